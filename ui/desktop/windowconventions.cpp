// SPDX-License-Identifier: GPL-2.0-only
#include "windowconventions.h"

// ui
#include "addressmap.h"
#include "helpdialogs.h"
#include "mainwindow.h"
#include "regionaccessible.h"
#include "sim/heatmapview.h"
#include "sim/simulationpanel.h"

// core
#include "analysis/analysis.h"
#include "model/units.h"

// Qt
#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPalette>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace carveout::ui {

WindowConventions::WindowConventions(MainWindow* window, QMenu* viewMenu)
    : QObject(window)
    , m_window(window)
{
    // Permanent: a showMessage() text is cleared by every menu item's (empty) status tip, and a
    // temporary message would hide a normal widget.
    m_totals = new QLabel(window);
    m_totals->setObjectName(QStringLiteral("totals"));
    m_totals->setText(tr("No board loaded")); // a message would stay beside the first board's totals
    window->statusBar()->addPermanentWidget(m_totals);
    // Tab and Shift+Tab move between panels; arrows move within a table.
    for (QTableView* table : { window->m_regions, window->m_findingsView })
        table->setTabKeyNavigation(false);
    // A closed dock comes back from the View menu.
    if (auto* dock = window->findChild<QDockWidget*>(QStringLiteral("regionDock")))
        viewMenu->addAction(dock->toggleViewAction());
    buildHelpMenu();
    makeViewsAccessible();
    setTabOrder();
    restoreWindowState();
}

void WindowConventions::buildHelpMenu()
{
    QMenu* help = m_window->menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] { showShortcutsDialog(m_window); });
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    help->addSeparator();
    QAction* about = help->addAction(tr("&About Carveout"), this, [this] { showAboutDialog(m_window); });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void makeMapAccessible(
    AddressMap* map, const QString& name, const QString& description, std::function<void(int)> select)
{
    AccessibleRegions regions;
    regions.count = [map] { return map->data().regionCount(); };
    regions.name = [map](int i) { return map->data().region(i).name; };
    regions.description = [map](int i) {
        const MapData& d = map->data();
        const Region& r = d.region(i);
        const std::optional<uint64_t> base = d.placedBase(i);
        return WindowConventions::tr("%1, size %2, %3, %4")
            .arg(base ? WindowConventions::tr("base %1").arg(toHex(*base))
                      : WindowConventions::tr("placed by the kernel"),
                formatSize(d.placedSize(i)), kindName(r.kind), outcomeName(d.outcome(i)));
    };
    regions.rect = [map](int i) { return map->regionRect(i); };
    regions.selected = [map](int i) { return map->selectedRegion() == i; };
    regions.select = std::move(select);
    // Before the names: setting one may make (and cache) a plain interface of the widget.
    installRegionAccessibility(map, std::move(regions));
    map->setAccessibleName(name);
    map->setAccessibleDescription(description);
}

void WindowConventions::makeViewsAccessible()
{
    makeMapAccessible(m_window->m_map, tr("Address map"),
        tr("The reserved-memory regions on the physical address space, in address order; the regions table "
           "lists the same regions."),
        [w = m_window](int i) {
            w->m_map->setSelectedRegion(i);
            w->selectRegion(i);
            w->refreshPanel();
        });
    if (auto* heatmap = m_window->m_simPanel->heatmap()) {
        heatmap->setAccessibleName(tr("Simulation heatmap"));
        heatmap->setAccessibleDescription(tr("Occupancy of the simulated pools over the workload's operations"));
    }
}

void WindowConventions::setTabOrder()
{
    MainWindow* w = m_window;
    // Names for tests and accessibility tools.
    w->m_filter->setObjectName(QStringLiteral("regionFilter"));
    w->m_filter->setAccessibleName(tr("Filter regions"));
    w->m_messages->setObjectName(QStringLiteral("source"));
    w->m_messages->setAccessibleName(tr("Load messages and source"));
    w->m_regions->setAccessibleName(tr("Regions"));
    w->m_findingsView->setAccessibleName(tr("Findings"));
    // Reading order: what sets the profile, the map, then what lists its regions and findings.
    const QList<QWidget*> order
        = { w->m_includes, w->m_map, w->m_filter, w->m_regions, w->m_findingsView, w->m_messages };
    for (int i = 0; i + 1 < order.size(); ++i)
        QWidget::setTabOrder(order[i], order[i + 1]);
}

void WindowConventions::restoreWindowState()
{
    const QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    if (geometry.isEmpty() || !m_window->restoreGeometry(geometry)) {
        // The first start: a share of the screen, never more than it (QT_SCALE_FACTOR=1.5 on a
        // 1080p laptop leaves 1280x720 logical pixels).
        const QScreen* screen = m_window->screen() ? m_window->screen() : QGuiApplication::primaryScreen();
        if (screen) {
            const QRect avail = screen->availableGeometry();
            QSize size = (avail.size() * 0.8).expandedTo(QSize(1024, 700)).boundedTo(avail.size());
            m_window->resize(size);
            m_window->move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
        }
    }
    m_window->restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void WindowConventions::saveWindowState() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), m_window->saveGeometry());
    settings.setValue(QStringLiteral("window/state"), m_window->saveState());
    if (m_window->m_file.isEmpty())
        return;
    settings.setValue(QStringLiteral("view/file"), QFileInfo(m_window->m_file).absoluteFilePath());
    settings.setValue(QStringLiteral("view/zoom"), m_window->m_map->scale().zoom());
    settings.setValue(QStringLiteral("view/offset"), m_window->m_map->scale().offset());
}

void WindowConventions::restoreView(const QString& file)
{
    QSettings settings;
    if (settings.value(QStringLiteral("view/file")).toString() != QFileInfo(file).absoluteFilePath())
        return;
    // Once: the next board opened in this session starts fitted.
    const double zoom = settings.value(QStringLiteral("view/zoom")).toDouble();
    const double offset = settings.value(QStringLiteral("view/offset")).toDouble();
    settings.remove(QStringLiteral("view"));
    if (zoom > 0) {
        m_window->m_map->scale().setView(zoom, offset);
        m_window->m_map->update();
    }
}

void WindowConventions::showTotals(const Analysis& a)
{
    const RamSummary& ram = a.ram;
    QString cma = formatSize(ram.cma);
    const DefaultCma& d = a.boot.defaultCma;
    // The kernel's own area has no node: say where it comes from, or the total looks like the
    // tree's pools counted although the kernel dropped them.
    if ((d.source == DefaultCma::Source::Cmdline || d.source == DefaultCma::Source::Kconfig) && !d.failed && d.base)
        cma += tr(" (default area %1, from %2)")
                   .arg(formatSize(d.size),
                       d.source == DefaultCma::Source::Cmdline ? QStringLiteral("cma=")
                                                               : QStringLiteral("CONFIG_CMA_SIZE_MBYTES"));
    m_totals->setText(
        tr("RAM %1 | reserved %2 | no-map %3 | CMA %4 | free %5")
            .arg(formatSize(ram.ram), formatSize(ram.reserved), formatSize(ram.noMap), cma, formatSize(ram.free)));
    QStringList dropped;
    for (size_t i = 0; i < a.layout.regions.size(); ++i) {
        const RegionBoot& rb = a.boot.regions[i];
        if (rb.outcome != Outcome::Active && a.layout.regions[i].enabled)
            dropped << tr("%1 (%2): %3").arg(a.layout.regions[i].name, formatSize(rb.size), outcomeName(rb.outcome));
    }
    m_totals->setToolTip(dropped.isEmpty()
            ? tr("What the kernel keeps reserved at boot under %1.").arg(a.profile.name)
            : tr("What the kernel keeps reserved at boot under %1. Not counted, the kernel does not keep "
                 "them:\n%2")
                  .arg(a.profile.name, dropped.join(QLatin1Char('\n'))));
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x30), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x28));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3c, 0x3f));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4e));
    p.setColor(QPalette::Midlight, QColor(0x3c, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x5a, 0x5a, 0x60));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::black);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabledText);
    return p;
}

} // namespace carveout::ui
