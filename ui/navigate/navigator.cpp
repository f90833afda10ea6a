// SPDX-License-Identifier: GPL-2.0-only
#include "navigator.h"

// ui
#include "addressmap.h"
#include "elidedlabel.h"
#include "gotobar.h"
#include "kernelbar.h"
#include "mainwindow.h"
#include "models/findingsmodel.h"
#include "models/regiontablemodel.h"
#include "rambanner.h"
#include "sourcepaths.h"

// core
#include "analysis/analysis.h"

// Qt
#include <QAction>
#include <QBoxLayout>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>

// std
#include <algorithm>

namespace carveout::ui {

namespace {

const QString kRamKey = QStringLiteral("boardRam"); ///< absolute board path -> Memory entry

/** The widget of the central layout that holds `w` (the map's splitter, whatever wraps it). */
QWidget* centralChildHolding(QWidget* central, QWidget* w)
{
    while (w && w->parentWidget() != central)
        w = w->parentWidget();
    return w;
}

} // namespace

Navigator::Navigator(MainWindow* w, QMenu* viewMenu)
    : QObject(w)
    , m_window(w)
{
    auto* box = qobject_cast<QBoxLayout*>(w->centralWidget()->layout());
    QWidget* mapHolder = centralChildHolding(w->centralWidget(), w->m_map);
    const int at = box && mapHolder ? box->indexOf(mapHolder) : -1;

    // Go to / Find.
    m_bar = new GotoBar([w](const QString& text) { return findTargets(text, *w->m_analysis); }, w->centralWidget());
    m_bar->hide();
    connect(m_bar, &GotoBar::goToRequested, this, &Navigator::goTo);
    viewMenu->addSeparator();
    auto open = [this] { m_bar->open(); };
    viewMenu->addAction(tr("&Go to address..."), QKeySequence(Qt::CTRL | Qt::Key_G), this, open);
    viewMenu->addAction(tr("F&ind region or device..."), QKeySequence(Qt::CTRL | Qt::Key_F), this, open);
    auto step = [this](bool forward) {
        if (m_bar->input()->text().trimmed().isEmpty()) {
            m_bar->open();
            return;
        }
        m_bar->show();
        forward ? m_bar->next() : m_bar->previous();
    };
    viewMenu->addAction(tr("Find &next"), QKeySequence(Qt::Key_F3), this, [step] { step(true); });
    viewMenu->addAction(tr("Find pre&vious"), QKeySequence(Qt::SHIFT | Qt::Key_F3), this, [step] { step(false); });

    // RAM the bootloader fills in.
    m_banner = new RamBanner(w->centralWidget());
    connect(m_banner, &RamBanner::setRamRequested, this, &Navigator::setRamDialog);
    if (at >= 0) {
        box->insertWidget(at, m_banner);
        box->insertWidget(at, m_bar);
    }

    // Paths: the middle of a long path goes, its file name stays; the full path is the tooltip.
    for (QTableView* t : { w->m_regions, w->m_findingsView }) {
        t->setTextElideMode(Qt::ElideMiddle);
        t->setWordWrap(false);
    }
    connect(w->m_regions, &QAbstractItemView::doubleClicked, this, &Navigator::regionDoubleClicked);
    connect(w->m_findingsView, &QAbstractItemView::doubleClicked, this, &Navigator::findingDoubleClicked);

    // The source pane's header names its file and opens it.
    if (auto* lower = qobject_cast<QSplitter*>(w->m_messages->parentWidget())) {
        const int index = lower->indexOf(w->m_messages);
        auto* pane = new QWidget;
        pane->setSizePolicy(w->m_messages->sizePolicy()); // keeps the splitter's stretch
        auto* v = new QVBoxLayout(pane);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        auto* header = new QHBoxLayout;
        m_sourceHeader = new ElidedLabel(Qt::ElideMiddle, QString(), pane);
        m_sourceHeader->setText(tr("Messages"));
        m_sourceHeader->setObjectName(QStringLiteral("sourceHeader"));
        m_sourceHeader->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        header->addWidget(m_sourceHeader, 1);
        m_openSource = new QToolButton(pane);
        m_openSource->setObjectName(QStringLiteral("openSource"));
        m_openSource->setText(tr("Open in editor"));
        m_openSource->setToolTip(tr("Opens the file at the line in $VISUAL or $EDITOR, else the desktop's editor"));
        m_openSource->setAutoRaise(true);
        m_openSource->setEnabled(false);
        connect(m_openSource, &QToolButton::clicked, this, [this] { openSource(m_sourceFile, m_sourceLine); });
        header->addWidget(m_openSource);
        v->addLayout(header);
        // The header takes a row: the pane below may shrink to two lines, so the window still
        // fits 1024x700 with the Simulation dock open.
        w->m_messages->setMinimumHeight(w->m_messages->fontMetrics().lineSpacing() * 2 + 8);
        lower->insertWidget(index, pane);
        v->addWidget(w->m_messages);
    }
}

void Navigator::goTo(const GotoTarget& t)
{
    MainWindow* w = m_window;
    if (t.end > t.base) {
        w->m_map->scale().zoomTo(t.base, t.end);
        w->m_map->update();
    }
    if (t.region < 0)
        return;
    // A row the filter hides cannot be selected: the filter gives way.
    bool shown = false;
    for (int row = 0; row < w->m_regionProxy->rowCount() && !shown; ++row)
        shown = w->m_regionProxy->index(row, 0).data(RegionTableModel::RegionRole).toInt() == t.region;
    if (!shown)
        w->m_filter->clear();
    w->m_map->setSelectedRegion(t.region);
    w->selectRegion(t.region);
    w->refreshPanel();
}

QString Navigator::rememberedRam(const QString& file)
{
    return QSettings().value(kRamKey).toMap().value(QFileInfo(file).absoluteFilePath()).toString();
}

void Navigator::boardOpening(const QString& file)
{
    MainWindow* w = m_window;
    const QString ram = rememberedRam(file);
    const QString current = w->m_kernelBar->request().memory.join(QStringLiteral(", "));
    if (!ram.isEmpty()) {
        w->m_kernelBar->setMemory({ ram });
        m_appliedRam = ram;
    } else if (!m_appliedRam.isEmpty() && current == m_appliedRam) {
        // The previous board's RAM is not this board's.
        w->m_kernelBar->setMemory({});
        m_appliedRam.clear();
    }
    w->m_lastRequest = w->profileRequest(); // not the user's change (the capture's bookkeeping)
    m_sourceFile.clear();
    m_openSource->setEnabled(false);
    sourceShown({}, 0);
}

void Navigator::analysisShown()
{
    MainWindow* w = m_window;
    const QString current = w->m_kernelBar->request().memory.join(QStringLiteral(", "));
    if (!m_appliedRam.isEmpty() && current != m_appliedRam) {
        // The user emptied the Memory field of a board whose RAM was remembered: forgotten, and
        // the banner offers Set RAM again. Another value there is the user's for this session.
        if (current.isEmpty() && rememberedRam(w->m_file) == m_appliedRam) {
            QSettings settings;
            QVariantMap map = settings.value(kRamKey).toMap();
            map.remove(QFileInfo(w->m_file).absoluteFilePath());
            settings.setValue(kRamKey, map);
        }
        m_appliedRam.clear();
    }
    const bool remembered = !m_appliedRam.isEmpty() && rememberedRam(w->m_file) == m_appliedRam;
    m_banner->showFor(*w->m_analysis, remembered);
    m_bar->invalidate();
}

void Navigator::setRamDialog()
{
    MainWindow* w = m_window;
    const Analysis& a = *w->m_analysis;
    uint64_t base = 0x40000000, size = 0x40000000;
    if (!a.profile.memory.empty()) {
        base = a.profile.memory.front().base;
        size = a.profile.memory.front().size;
    } else {
        // A guess that holds every placed region: from the lowest, 256 MiB aligned, up to a
        // power of two. The user corrects it; it only saves typing.
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t i = 0; i < a.layout.regions.size(); ++i) {
            const RegionPlace p = a.place(int(i));
            if (p.base && p.size) {
                lo = std::min(lo, *p.base);
                hi = std::max(hi, p.end());
            }
        }
        if (lo < hi) {
            base = lo & ~uint64_t(0xfffffff);
            size = 0x10000000;
            while (size < hi - base && size <= UINT64_MAX / 2)
                size *= 2;
            if (size - 1 > UINT64_MAX - base)
                size = UINT64_MAX - base + 1;
        }
    }
    auto* dialog = new SetRamDialog(base, size, w);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, w, dialog] {
        const QString entry = dialog->entry();
        if (entry.isEmpty() || w->m_file.isEmpty())
            return;
        QSettings settings;
        QVariantMap map = settings.value(kRamKey).toMap();
        map.insert(QFileInfo(w->m_file).absoluteFilePath(), entry);
        settings.setValue(kRamKey, map);
        m_appliedRam = entry;
        w->m_kernelBar->setMemory({ entry });
        w->profileChanged();
    });
    dialog->open();
}

void Navigator::sourceShown(const QString& file, int line)
{
    m_sourceFile = file;
    m_sourceLine = line;
    const QString text
        = file.isEmpty() ? tr("Messages") : QStringLiteral("%1:%2").arg(shownPath(file, m_window->m_file)).arg(line);
    m_sourceHeader->setText(text);
    m_sourceHeader->setToolTip(file.isEmpty() ? QString() : QStringLiteral("%1:%2").arg(fullPath(file)).arg(line));
    m_openSource->setEnabled(!file.isEmpty());
}

void Navigator::openSource(const QString& file, int line)
{
    if (file.isEmpty())
        return;
    if (const QString e = openInEditor(file, line); !e.isEmpty())
        m_window->statusBar()->showMessage(e, 10000);
}

void Navigator::regionDoubleClicked(const QModelIndex& index)
{
    const int region = index.data(RegionTableModel::RegionRole).toInt();
    const Layout& L = m_window->m_regionModel->layout();
    if (region < 0 || size_t(region) >= L.regions.size())
        return;
    const SourceRef& s = L.regions[size_t(region)].source;
    if (s.isValid())
        openSource(s.file, s.line);
    else
        m_window->statusBar()->showMessage(
            tr("%1 has no source line (a DTB has none).").arg(L.regions[size_t(region)].name), 8000);
}

void Navigator::findingDoubleClicked(const QModelIndex& index)
{
    const SourceRef& s = m_window->m_findingsModel->finding(index.row()).source;
    if (s.isValid())
        openSource(s.file, s.line);
}

} // namespace carveout::ui
