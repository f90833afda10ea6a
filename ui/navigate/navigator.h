// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>
#include <QString>

class QLabel;
class QMenu;
class QModelIndex;
class QToolButton;

namespace carveout::ui {

class GotoBar;
class MainWindow;
class RamBanner;
struct GotoTarget;

/** Finding one's way in the main window (issue 15, items 5, 7 and 8): the Go to / Find bar
 *  (Ctrl+G, Ctrl+F, F3, Shift+F3) that brings an address, a range or a region into view in the
 *  map and the table; the banner and the remembered RAM of boards whose bootloader fills RAM in;
 *  source paths shown relative to the board, elided in the middle, the source pane's header,
 *  and file:line opened in the user's editor by a double click. The window creates one and
 *  calls its hooks; it reaches the window's members as a friend, so that the window's file
 *  stays small. */
class Navigator : public QObject
{
    Q_OBJECT
public:
    Navigator(MainWindow* window, QMenu* viewMenu);

    /** Before a board is analysed: applies the RAM remembered for `file` (or takes back the
     *  previous board's). */
    void boardOpening(const QString& file);
    /** After the window shows a new analysis (banner, stale matches). */
    void analysisShown();
    /** The source pane shows file:line. */
    void sourceShown(const QString& file, int line);

    GotoBar* gotoBar() const { return m_bar; }
    RamBanner* ramBanner() const { return m_banner; }
    /** Opens the Set RAM dialog (window-modal, not blocking); accepting it applies the RAM. */
    void setRamDialog();
    /** The RAM remembered for a board file (a Memory entry, BASE+SIZE), or empty. */
    static QString rememberedRam(const QString& file);

private:
    void goTo(const GotoTarget& target);
    void openSource(const QString& file, int line);
    void regionDoubleClicked(const QModelIndex& index);
    void findingDoubleClicked(const QModelIndex& index);

    MainWindow* m_window;
    GotoBar* m_bar = nullptr;
    RamBanner* m_banner = nullptr;
    QLabel* m_sourceHeader = nullptr;
    QToolButton* m_openSource = nullptr;
    QString m_sourceFile;
    int m_sourceLine = 0;
    QString m_appliedRam; ///< the Memory entry this helper put in the toolbar for the open board
};

} // namespace carveout::ui
