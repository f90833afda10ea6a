// SPDX-License-Identifier: GPL-2.0-only
#include "elidedlabel.h"

// Qt
#include <QPainter>

namespace carveout::ui {

ElidedLabel::ElidedLabel(Qt::TextElideMode mode, QString minimumText, QWidget* parent)
    : QLabel(parent)
    , m_mode(mode)
    , m_minimumText(std::move(minimumText))
{
}

QSize ElidedLabel::minimumSizeHint() const
{
    const int width = m_minimumText.isEmpty() ? 0 : fontMetrics().horizontalAdvance(m_minimumText);
    return QSize(width, QLabel::minimumSizeHint().height());
}

void ElidedLabel::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setPen(palette().color(foregroundRole()));
    const QRect r = contentsRect();
    p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, fontMetrics().elidedText(text(), m_mode, r.width()));
}

} // namespace carveout::ui
