// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>
#include <QString>

// std
#include <functional>

class QCloseEvent;
class QLabel;
class QMenu;
class QPalette;

namespace carveout {
struct Analysis;
}

namespace carveout::ui {

class AddressMap;
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

    /** Puts back the geometry and dock state of the last window closed (QSettings); without
     *  them, sizes the window to 80% of its screen's available area (within the screen, at any
     *  scale factor). */
    void restoreWindowState();
    /** Remembers the window's geometry and dock state, and the board and map view shown (on
     *  close). */
    void saveWindowState() const;
    /** After a board is opened anew: the map's zoom and pan of the last session if it showed
     *  the same board, else the map as fitted. */
    void restoreView(const QString& file);

private:
    void buildHelpMenu();
    /** Accessible names of the custom-painted views; the map lists its regions. */
    void makeViewsAccessible();
    /** Tab goes toolbar, map, filter, regions, findings, source, then the docks. */
    void setTabOrder();

    MainWindow* m_window;
    QLabel* m_totals = nullptr;
};

/** Gives a map an accessible name and description and its regions as accessible children
 *  (name; base, size, kind and outcome as the description; selected state), `select` for a
 *  reader's selection. The main window's map and the Compare window's maps use it. */
void makeMapAccessible(
    AddressMap* map, const QString& name, const QString& description, std::function<void(int)> select = {});

/** A dark palette (Fusion's roles, dark Base and Window) for `carveout --palette dark` and the
 *  tests of legibility under a dark desktop theme. */
QPalette darkPalette();

} // namespace carveout::ui
