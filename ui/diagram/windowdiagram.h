// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>
#include <QPoint>

class QAction;
class QMenu;
class QStackedWidget;
class QWidget;

namespace carveout::ui {

class DiagramView;
class MainWindow;
struct MapData;

/** The main window's memory-map diagram and region context menus: View > Diagram (Ctrl+D)
 *  switches the map area between the to-scale map and the diagram (remembered in QSettings,
 *  "view/mapView", as the detail level is in "view/diagramDetail"); the diagram shares the
 *  window's one selection with the map, the table and the Region panel; the map, the diagram
 *  and the regions table open the same region menu (fillRegionMenu). The window creates one
 *  and hands it the map's data; it reaches the window's members as a friend so that the
 *  window's file stays small. */
class WindowDiagram : public QObject
{
    Q_OBJECT
public:
    WindowDiagram(MainWindow* window, QMenu* viewMenu);

    DiagramView* view() const { return m_view; }
    QAction* toggleAction() const { return m_toggle; }
    bool diagramShown() const;
    /** The window's new data (wherever the map gets it). */
    void setData(const MapData& data);
    /** Opens the region menu of `region` at `globalPos` (blocks until it closes). */
    void showRegionMenu(int region, const QPoint& globalPos);

private:
    /** Makes `region` the window's selection, from any of its views. */
    void selectEverywhere(int region);

    MainWindow* m_window;
    QStackedWidget* m_stack = nullptr;
    DiagramView* m_view = nullptr;
    QAction* m_toggle = nullptr;
};

} // namespace carveout::ui
