// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QLabel>

namespace carveout::ui {

/** A label that shows as much of its text as fits, elided (`text()` stays whole): a path in the
 *  middle so its file name stays, a status sentence at its end so the widgets beside it keep
 *  their room. `minimumText` is what it still shows when squeezed (empty: it may shrink to
 *  nothing). */
class ElidedLabel : public QLabel
{
public:
    ElidedLabel(Qt::TextElideMode mode, QString minimumText, QWidget* parent = nullptr);

    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Qt::TextElideMode m_mode;
    QString m_minimumText;
};

} // namespace carveout::ui
