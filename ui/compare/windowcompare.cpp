// SPDX-License-Identifier: GPL-2.0-only
// The main window's side of View > Compare with... (issue 16): the action and side A.
#include "comparewindow.h"
#include "mainwindow.h"

// Qt
#include <QAction>
#include <QMenu>

namespace carveout::ui {

void MainWindow::buildCompareAction(QMenu* viewMenu)
{
    viewMenu->addSeparator();
    QAction* compare = viewMenu->addAction(tr("&Compare with..."), this, [this] {
        CompareWindow* w = compareWindow();
        if (w->isVisible()) { // already open: bring it to the front
            w->raise();
            w->activateWindow();
        }
        w->show();
        updateCompare(); // A as the window shows it now (a hidden Compare window is not kept up to date)
    });
    compare->setObjectName(QStringLiteral("compareWith"));
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
}

CompareWindow* MainWindow::compareWindow()
{
    if (!m_compareWindow) {
        // A window of its own (Qt::Window), closed with the main window.
        m_compareWindow = new CompareWindow(this);
        m_compareWindow->setWindowFlag(Qt::Window);
    }
    return m_compareWindow;
}

void MainWindow::updateCompare()
{
    // Only while it is shown: every edit would otherwise analyse B for nobody.
    if (m_compareWindow && m_compareWindow->isVisible() && m_doc)
        m_compareWindow->setSideA(m_file, m_doc->working(), m_committed, profileRequest());
}

} // namespace carveout::ui
