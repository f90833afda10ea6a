// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>
#include <QString>

class QLabel;
class QMenu;

namespace carveout {
struct Analysis;
}

namespace carveout::ui {

class MainWindow;

/** What a desktop user expects of the main window beyond its panels: the status bar's totals (a
 *  permanent label, so a menu's status tip never wipes them), Tab leaving the tables, every dock
 *  in the View menu, remembered geometry, dock state and zoom, a first window that fits the
 *  screen, the Help menu, context menus, paths that name their file and open in the editor, and
 *  accessible names. The window creates one and calls it from a few hooks; it reaches the
 *  window's members as a friend so that the window's file stays small. */
class WindowConventions : public QObject
{
    Q_OBJECT
public:
    WindowConventions(MainWindow* window, QMenu* viewMenu);

    /** The status bar's memory totals of `analysis`: what the kernel keeps (regions it drops at
     *  boot are named in the tooltip, not counted) and the default CMA area it makes itself. */
    void showTotals(const Analysis& analysis);

private:
    MainWindow* m_window;
    QLabel* m_totals = nullptr;
};

} // namespace carveout::ui
