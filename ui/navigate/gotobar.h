// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "gotoquery.h"

// Qt
#include <QFrame>

// std
#include <functional>

class QLabel;
class QLineEdit;

namespace carveout::ui {

/** The Go to / Find bar over the map: a line for an address, a range or a name (see
 *  findTargets), "2 of 5" and what matched. Enter goes to the first match of a new text and to
 *  the next one after; next() and previous() (F3, Shift+F3) step through the matches, wrapping;
 *  Escape closes the bar. The bar only chooses: goToRequested() asks the window to show a target. */
class GotoBar : public QFrame
{
    Q_OBJECT
public:
    /** `search` runs a text against what the window shows now. */
    GotoBar(std::function<GotoResult(const QString&)> search, QWidget* parent = nullptr);

    /** Shows the bar with the focus in its line, the text selected. */
    void open();
    void next();
    void previous();
    /** What the window shows changed: the next Enter, F3 or Shift+F3 searches again. */
    void invalidate() { m_stale = true; }
    QString statusText() const;
    QLineEdit* input() const { return m_input; }

signals:
    void goToRequested(const carveout::ui::GotoTarget& target);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    /** Searches when the text or the window changed since the last search; false on no match. */
    bool refresh();
    void step(int delta);
    void showStatus();

    std::function<GotoResult(const QString&)> m_search;
    QLineEdit* m_input = nullptr;
    QLabel* m_status = nullptr;
    GotoResult m_result;
    QString m_searched; ///< the text m_result is for
    int m_index = -1;
    bool m_stale = true;
};

} // namespace carveout::ui
