// SPDX-License-Identifier: GPL-2.0-only
#include "windowconventions.h"

// ui
#include "mainwindow.h"

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
    window->statusBar()->addPermanentWidget(m_totals);
    // Tab and Shift+Tab move between panels; arrows move within a table.
    for (QTableView* table : { window->m_regions, window->m_findingsView })
        table->setTabKeyNavigation(false);
    // A closed dock comes back from the View menu.
    if (auto* dock = window->findChild<QDockWidget*>(QStringLiteral("regionDock")))
        viewMenu->addAction(dock->toggleViewAction());
}

void WindowConventions::setTotals(const QString& text)
{
    m_totals->setText(text);
}

} // namespace carveout::ui
