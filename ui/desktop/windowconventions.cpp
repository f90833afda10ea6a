// SPDX-License-Identifier: GPL-2.0-only
#include "windowconventions.h"

// ui
#include "mainwindow.h"

// core
#include "analysis/analysis.h"
#include "model/units.h"

// Qt
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>

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

} // namespace carveout::ui
