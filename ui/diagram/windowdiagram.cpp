// SPDX-License-Identifier: GPL-2.0-only
#include "windowdiagram.h"

// ui
#include "addressmap.h"
#include "diagramview.h"
#include "mainwindow.h"
#include "models/regiontablemodel.h"
#include "regionmenu.h"

// Qt
#include <QAction>
#include <QItemSelectionModel>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>

namespace carveout::ui {

namespace {
const QString kSettingsKey = QStringLiteral("view/mapView");
const QString kDetailKey = QStringLiteral("view/diagramDetail");
} // namespace

WindowDiagram::WindowDiagram(MainWindow* w, QMenu* viewMenu)
    : QObject(w)
    , m_window(w)
{
    // The map's place in the splitter becomes a stack of the map and the diagram.
    auto* split = qobject_cast<QSplitter*>(w->m_map->parentWidget());
    m_stack = new QStackedWidget;
    m_stack->setObjectName(QStringLiteral("mapStack"));
    m_stack->setSizePolicy(w->m_map->sizePolicy()); // the splitter's stretch lives there
    if (split)
        split->replaceWidget(split->indexOf(w->m_map), m_stack);
    m_stack->addWidget(w->m_map);
    m_view = new DiagramView(m_stack);
    m_stack->addWidget(m_view);

    m_toggle = viewMenu->addAction(tr("&Diagram"));
    m_toggle->setObjectName(QStringLiteral("diagramToggle"));
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_toggle->setStatusTip(tr("Show the memory map as a diagram of labelled blocks instead of to scale"));
    connect(m_toggle, &QAction::toggled, this, [this](bool on) {
        m_stack->setCurrentWidget(on ? static_cast<QWidget*>(m_view) : m_window->m_map);
        QSettings().setValue(kSettingsKey, on ? QStringLiteral("diagram") : QStringLiteral("map"));
    });
    m_toggle->setChecked(QSettings().value(kSettingsKey).toString() == QLatin1String("diagram"));
    // The detail level is a reading habit too.
    const int detail = QSettings().value(kDetailKey, int(DiagramLayout::Detail::Normal)).toInt();
    if (detail >= int(DiagramLayout::Detail::Compact) && detail <= int(DiagramLayout::Detail::Full))
        m_view->setDetail(DiagramLayout::Detail(detail));
    connect(
        m_view, &DiagramView::detailChanged, this, [this] { QSettings().setValue(kDetailKey, int(m_view->detail())); });

    // View > Zoom in / out, Fit and Zoom to selection act on the diagram while it is shown (the
    // hidden map follows too, harmlessly): more or fewer details, the level that fits the view,
    // the selected block in view.
    for (QAction* a : viewMenu->actions()) {
        const QKeySequence key = a->shortcut();
        if (key == QKeySequence(QKeySequence::ZoomIn) || key == QKeySequence(QKeySequence::ZoomOut)) {
            const bool more = key == QKeySequence(QKeySequence::ZoomIn);
            connect(a, &QAction::triggered, this, [this, more] {
                if (diagramShown())
                    m_view->zoomDetail(more);
            });
        } else if (key == QKeySequence(Qt::CTRL | Qt::Key_0)) {
            connect(a, &QAction::triggered, this, [this] {
                if (diagramShown())
                    m_view->fit();
            });
        } else if (key == QKeySequence(Qt::CTRL | Qt::Key_E)) {
            connect(a, &QAction::triggered, this, [this] {
                if (diagramShown())
                    m_view->scrollToRegion(m_view->selectedRegion());
            });
        }
    }

    // One selection: the diagram's clicks and keys go where the map's go, and it follows the
    // map and the table (the window syncs those two).
    connect(m_view, &DiagramView::regionSelected, this, &WindowDiagram::selectEverywhere);
    connect(w->m_map, &AddressMap::regionSelected, m_view, &DiagramView::setSelectedRegion);
    connect(w->m_regions->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this] { m_view->setSelectedRegion(m_window->m_map->selectedRegion()); });

    // Context menus of the map, the diagram and the table: one builder.
    w->m_map->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(w->m_map, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const int region = m_window->m_map->regionAt(pos);
        if (region < 0)
            return;
        selectEverywhere(region);
        showRegionMenu(region, m_window->m_map->mapToGlobal(pos));
    });
    connect(m_view, &DiagramView::regionMenuRequested, this, &WindowDiagram::showRegionMenu);
    w->m_regions->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(w->m_regions, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_window->m_regions->indexAt(pos); // the viewport's coordinates
        if (!index.isValid())
            return;
        const int region = index.data(RegionTableModel::RegionRole).toInt();
        selectEverywhere(region);
        showRegionMenu(region, m_window->m_regions->viewport()->mapToGlobal(pos));
    });
}

bool WindowDiagram::diagramShown() const
{
    return m_stack->currentWidget() == m_view;
}

void WindowDiagram::setData(const MapData& data)
{
    m_view->setData(data);
    m_view->setSelectedRegion(m_window->m_map->selectedRegion());
}

void WindowDiagram::selectEverywhere(int region)
{
    MainWindow* w = m_window;
    w->m_map->setSelectedRegion(region);
    m_view->setSelectedRegion(region);
    w->selectRegion(region);
    w->refreshPanel();
}

void WindowDiagram::showRegionMenu(int region, const QPoint& globalPos)
{
    MainWindow* w = m_window;
    if (region < 0 || region >= w->m_map->data().regionCount())
        return;
    RegionMenuActions actions;
    actions.zoomTo = [this, region] {
        selectEverywhere(region);
        if (diagramShown()) {
            m_view->scrollToRegion(region);
        } else {
            m_window->m_map->zoomToSelection();
        }
    };
    actions.selectInTable = [this, region] {
        selectEverywhere(region);
        m_window->m_regions->setFocus(Qt::OtherFocusReason);
    };
    const Region& r = w->m_map->data().region(region);
    const SourceRef source = r.source;
    actions.showSource = [this, source] { m_window->showSource(source.file, source.line); };
    // Deleting edits the document (one undo step, as the Region panel's Delete).
    if (w->m_doc && size_t(region) < w->m_committed->layout.regions.size()) {
        const QString path = w->m_committed->layout.regions[size_t(region)].path;
        actions.remove = [this, path] {
            m_window->m_map->setSelectedRegion(-1);
            m_window->applyEdit(
                MainWindow::tr("Delete %1").arg(path), [&](EditDocument& d) { return d.deleteNode(path); });
        };
    }
    QMenu menu(w);
    fillRegionMenu(&menu, w->m_map->data(), region, actions);
    menu.exec(globalPos);
}

} // namespace carveout::ui
