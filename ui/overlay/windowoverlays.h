// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "source/loader.h"

// Qt
#include <QObject>

class QDockWidget;
class QMenu;

namespace carveout::ui {

class MainWindow;
class OverlayPanel;

/** The main window's overlays: the Overlays dock (OverlayPanel), File > Open with overlays... and
 *  File > Add overlay..., and a dropped .dtbo or .dtso. Any change to the stack reloads the board
 *  with it (cpp, dtc -@, fdt_overlay_apply) and re-analyses at once; the map marks the regions an
 *  overlay added. A friend of the window, so its file stays small. */
class WindowOverlays : public QObject
{
    Q_OBJECT
public:
    WindowOverlays(MainWindow* window, QMenu* fileMenu, QMenu* viewMenu);

    OverlayPanel* panel() const { return m_panel; }
    QDockWidget* dock() const { return m_dock; }
    /** What the next load applies. */
    QList<OverlayRequest> requests() const;
    /** A dropped file: true (and the overlay added) for a .dtbo or .dtso. */
    bool acceptDrop(const QString& file);
    /** Replaces the stack without loading (the next load applies it). */
    void setStack(const QList<OverlayRequest>& overlays);
    /** Opens `board` with `overlays` over it, in order (replacing the stack). */
    bool openWith(const QString& board, const QStringList& overlays);

private:
    void reload();
    void openWithDialog();
    void addDialog();

    MainWindow* m_window;
    OverlayPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
};

} // namespace carveout::ui
