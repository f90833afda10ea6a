// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>

class QDockWidget;
class QLabel;
class QMenu;
class QToolButton;
class QTreeWidget;

namespace carveout {
struct Analysis;
}

namespace carveout::ui {

class Legend;
class MainWindow;

/** What the main window shows of free space and what its colours mean: the Free space dock
 *  (free gaps of RAM: base, end, size; selecting one zooms the map to it), the status bar's
 *  permanent "largest free block" line, the Legend dock (View > Legend) and the status bar's
 *  Legend button with the same legend as a popup (both list the overlay flags while the board
 *  has an overlay stack). The window creates one and hands it every
 *  analysis it shows; a friend, so the window's file stays small. */
class WindowFreeSpace : public QObject
{
    Q_OBJECT
public:
    WindowFreeSpace(MainWindow* window, QMenu* viewMenu);

    /** Shows the free space of `analysis` (also while a drag previews an edit). */
    void show(const Analysis& analysis);
    QTreeWidget* list() const { return m_list; }
    QLabel* largestLabel() const { return m_largest; }
    QDockWidget* legendDock() const { return m_legendDock; }
    QToolButton* legendButton() const { return m_legendButton; }
    /** The popup the Legend button opens (made on first use; null before). */
    QWidget* legendPopup() const { return m_popup; }

private:
    void showPopup();
    /** The overlay flags in both legends when the board has an overlay stack. */
    void showOverlayFlags(bool overlays);

    MainWindow* m_window;
    QTreeWidget* m_list = nullptr;
    QLabel* m_largest = nullptr;
    QDockWidget* m_legendDock = nullptr;
    QToolButton* m_legendButton = nullptr;
    QWidget* m_popup = nullptr;
    bool m_overlays = false;
};

} // namespace carveout::ui
