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
        updateCompare();
    }
    return m_compareWindow;
}

void MainWindow::updateCompare()
{
    if (m_compareWindow && m_doc)
        m_compareWindow->setSideA(m_file, m_doc->working(), m_committed, profileRequest());
}

} // namespace carveout::ui
