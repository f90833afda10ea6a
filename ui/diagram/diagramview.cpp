// SPDX-License-Identifier: GPL-2.0-only
#include "diagramview.h"

// core
#include "model/units.h"

// ui
#include "controlledview.h"
#include "mapstyle.h"
#include "regiontooltip.h"

// Qt
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

DiagramView::DiagramView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("diagram"));
    setAccessibleName(tr("Memory-map diagram"));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    setMinimumHeight(160);
    m_layout.setData(MapData(), font(), 400, DiagramLayout::Detail::Normal);
}

void DiagramView::setData(const MapData& data)
{
    m_layout.setData(data, font(), viewport()->width(), m_layout.detail());
    if (m_selected >= data.regionCount())
        m_selected = -1;
    relayout();
}

void DiagramView::relayout()
{
    if (m_layout.size().width() > 0 && int(m_layout.size().width()) != viewport()->width())
        m_layout.setData(MapData(m_layout.data()), font(), viewport()->width(), m_layout.detail());
    const QSize content = m_layout.size().toSize();
    horizontalScrollBar()->setRange(0, std::max(0, content.width() - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    verticalScrollBar()->setRange(0, std::max(0, content.height() - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(20);
    viewport()->update();
}

void DiagramView::setDetail(DiagramLayout::Detail detail)
{
    if (detail == m_layout.detail())
        return;
    // Keep the selected block in view across the change of heights.
    m_layout.setData(MapData(m_layout.data()), font(), viewport()->width(), detail);
    relayout();
    scrollToRegion(m_selected);
    emit detailChanged();
}

bool DiagramView::zoomDetail(bool more)
{
    const int d = int(m_layout.detail()) + (more ? 1 : -1);
    if (d < int(DiagramLayout::Detail::Compact) || d > int(DiagramLayout::Detail::Full))
        return false;
    setDetail(DiagramLayout::Detail(d));
    return true;
}

void DiagramView::fit()
{
    // The layout's height is the only thing that decides, so each level is laid out once at
    // this width (cheap: a layout is linear in the regions).
    DiagramLayout::Detail chosen = DiagramLayout::Detail::Compact;
    for (auto d : { DiagramLayout::Detail::Full, DiagramLayout::Detail::Normal }) {
        DiagramLayout trial;
        trial.setData(m_layout.data(), font(), viewport()->width(), d);
        if (trial.size().height() <= viewport()->height()) {
            chosen = d;
            break;
        }
    }
    setDetail(chosen);
    verticalScrollBar()->setValue(0);
}

void DiagramView::setSelectedRegion(int region)
{
    if (region == m_selected)
        return;
    m_selected = region;
    scrollToRegion(region);
    viewport()->update();
}

void DiagramView::select(int region)
{
    if (region == m_selected)
        return;
    setSelectedRegion(region);
    emit regionSelected(region);
}

void DiagramView::scrollToRegion(int region)
{
    const int k = m_layout.blockOfRegion(region);
    if (k < 0)
        return;
    const QRectF r = m_layout.blocks()[size_t(k)].rect;
    const int top = verticalScrollBar()->value(), h = viewport()->height();
    if (r.top() < top)
        verticalScrollBar()->setValue(int(r.top()) - DiagramLayout::kMargin);
    else if (r.bottom() > top + h)
        verticalScrollBar()->setValue(int(std::min(r.top() - DiagramLayout::kMargin, r.bottom() - h + 1)));
    const int left = horizontalScrollBar()->value(), w = viewport()->width();
    if (r.left() < left || r.right() > left + w)
        horizontalScrollBar()->setValue(int(r.left()) - DiagramLayout::kMargin);
}

int DiagramView::regionAt(const QPoint& pos) const
{
    return m_layout.regionAt(QPointF(pos) + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value()));
}

QRect DiagramView::regionRect(int region) const
{
    const int k = m_layout.blockOfRegion(region);
    if (k < 0)
        return {};
    return m_layout.blocks()[size_t(k)]
        .rect.translated(-horizontalScrollBar()->value(), -verticalScrollBar()->value())
        .toAlignedRect();
}

QString DiagramView::toolTipAt(const QPoint& pos) const
{
    const QPointF at = QPointF(pos) + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int k = m_layout.blockAt(at);
    if (k < 0)
        return {};
    const DiagramBlock& b = m_layout.blocks()[size_t(k)];
    const MapData& d = m_layout.data();
    switch (b.type) {
    case DiagramBlock::Type::Region:
        return regionToolTip(d, b.index, comparisonOf(d, b.index));
    case DiagramBlock::Type::MemReserve: {
        const MemReserve& m = d.layout().memreserve[size_t(b.index)];
        QString tip = tr("<b>/memreserve/</b><br>%1 .. %2 (%3)<br>kept from the kernel before the tree is read")
                          .arg(toHex(b.base), toHex(b.end), formatSize(b.end - b.base));
        if (m.source.isValid())
            tip += QStringLiteral("<br>%1:%2").arg(m.source.file.toHtmlEscaped()).arg(m.source.line);
        return tip;
    }
    case DiagramBlock::Type::Free:
        return tr("<b>free</b> %1<br>%2 .. %3<br>RAM no region or /memreserve/ entry covers")
            .arg(formatSize(b.end - b.base), toHex(b.base), toHex(b.end));
    case DiagramBlock::Type::Header:
        return b.lines.join(QLatin1Char('\n')).toHtmlEscaped();
    }
    return {};
}

QSize DiagramView::contentSize(int width) const
{
    DiagramLayout l;
    l.setData(m_layout.data(), font(), width, m_layout.detail());
    return l.size().toSize();
}

void DiagramView::paintTo(QPainter& p, const QRect& target) const
{
    DiagramLayout l;
    l.setData(m_layout.data(), font(), target.width(), m_layout.detail());
    p.save();
    p.setFont(font());
    p.translate(target.topLeft());
    const QSizeF s = l.size();
    const double scale
        = std::min({ 1.0, target.width() / std::max(1.0, s.width()), target.height() / std::max(1.0, s.height()) });
    p.scale(scale, scale);
    p.fillRect(QRectF(QPointF(0, 0), s), palette().base());
    paintLayout(p, l, m_selected, palette());
    p.restore();
}

void DiagramView::paintLayout(QPainter& p, const DiagramLayout& layout, int selected, const QPalette& pal)
{
    const MapData& d = layout.data();
    const double line = std::ceil(QFontMetricsF(layout.font()).lineSpacing());
    const auto drawLines = [&](const DiagramBlock& b, const QColor& text, const QColor& behind) {
        const QFontMetricsF fm(layout.font());
        p.setPen(text);
        for (int k = 0; k < int(b.lines.size()); ++k) {
            const QRectF r(b.textRect.left(), b.textRect.top() + k * line, b.textRect.width(), line);
            if (behind.isValid()) // over a cross: the text keeps a background of its block
                p.fillRect(QRectF(r.left() - 1, r.top(), fm.horizontalAdvance(b.lines[k]) + 2, line), behind);
            p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, b.lines[k]);
        }
    };
    for (const DiagramBlock& b : layout.blocks()) {
        const QRectF r = b.rect;
        switch (b.type) {
        case DiagramBlock::Type::Header:
            p.fillRect(r, b.index >= 0 ? style::ramBand(pal) : style::outsideRamBand(pal));
            p.setPen(style::bandBorder(pal));
            p.drawRect(r.adjusted(0, 0, -1, -1)); // inside: the next block's top edge stays its own
            drawLines(b, pal.text().color(), QColor());
            break;
        case DiagramBlock::Type::Free:
            p.fillRect(r, style::freeBlock(pal));
            p.setPen(QPen(style::bandBorder(pal), 1, Qt::DashLine));
            p.drawRect(r.adjusted(0, 0, -1, -1));
            drawLines(b, pal.text().color(), QColor());
            break;
        case DiagramBlock::Type::MemReserve: {
            const QColor c = style::memreserveColor();
            p.fillRect(r, c);
            p.setPen(c.darker(170));
            p.drawRect(r.adjusted(0, 0, -1, -1));
            drawLines(b, style::onKindText(), QColor());
            break;
        }
        case DiagramBlock::Type::Region: {
            const Region& reg = d.region(b.index);
            QColor c = style::kindColor(reg);
            if (!reg.enabled)
                c.setAlpha(60);
            p.fillRect(r, c);
            if (reg.placement == Placement::Dynamic)
                p.fillRect(r, style::dynamicHatch(c)); // placed by the kernel
            QPen border(c.darker(170), 1);
            if (!reg.enabled)
                border.setStyle(Qt::DotLine);
            const bool failed = style::failedOutcome(d.outcome(b.index));
            if (failed) {
                border = QPen(style::failedColor(), 2, Qt::DashLine);
                p.setPen(QPen(style::failedColor(), 1.5));
                p.drawLine(r.topLeft(), r.bottomRight());
                p.drawLine(r.bottomLeft(), r.topRight());
            }
            if (b.index == selected)
                border = QPen(pal.highlight().color(), 3);
            p.setPen(border);
            p.drawRect(r.adjusted(1, 1, -1, -1));
            // A disabled block is faint over the base: its text takes the palette's.
            const QColor text = reg.enabled ? style::onKindText() : pal.text().color();
            QColor behind;
            if (failed) {
                behind = reg.enabled ? style::kindColor(reg) : pal.base().color();
                behind = behind.lighter(120);
            }
            drawLines(b, text, behind);
            if (const int n = layout.findings(b.index); n > 0) {
                const int errs = size_t(b.index) < d.errors.size() ? d.errors[size_t(b.index)] : 0;
                const QRectF badge(r.right() - DiagramLayout::kPad - DiagramLayout::kBadge + 1,
                    r.top() + DiagramLayout::kPad, DiagramLayout::kBadge - 2, DiagramLayout::kBadge - 2);
                p.setRenderHint(QPainter::Antialiasing, true);
                p.setBrush(errs ? style::errorBadge() : style::warningBadge());
                p.setPen(Qt::white);
                p.drawEllipse(badge);
                p.drawText(badge, Qt::AlignCenter, QString::number(n));
                p.setBrush(Qt::NoBrush);
                p.setRenderHint(QPainter::Antialiasing, false);
            }
            break;
        }
        }
    }
    // Holes in the address space between bands: the map's break mark, across the column.
    if (!layout.blocks().empty()) {
        const double left = layout.blocks().front().rect.left(), right = layout.blocks().front().rect.right();
        for (const double y : layout.breaks()) {
            p.setPen(QPen(pal.text().color(), 1, Qt::DotLine));
            p.drawLine(QPointF(left, y), QPointF(right, y));
            p.setPen(QPen(pal.text().color(), 1.5));
            for (const double x : { left + 12.0, left + 18.0 })
                p.drawLine(QPointF(x - 3, y + 5), QPointF(x + 3, y - 5));
        }
    }
    // Addresses at the bands' edges, with a tick to the column.
    for (const DiagramLabel& l : layout.labels()) {
        p.setPen(pal.text().color());
        p.drawText(l.rect, Qt::AlignRight | Qt::AlignVCenter, l.text);
        const double y = l.rect.center().y();
        p.setPen(style::bandBorder(pal));
        p.drawLine(QPointF(l.rect.right() + 1, y), QPointF(l.rect.right() + 6, y));
    }
}

void DiagramView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    if (m_layout.blocks().empty()) {
        p.setPen(palette().text().color());
        p.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
            m_layout.data().layout().file.isEmpty()
                ? tr("Open a board to see its memory-map diagram.")
                : tr("This board has no memory bank, no /memreserve/ entry and no reserved-memory region: there "
                     "is nothing to draw."));
        return;
    }
    p.translate(-horizontalScrollBar()->value(), -verticalScrollBar()->value());
    paintLayout(p, m_layout, m_selected, palette());
}

void DiagramView::resizeEvent(QResizeEvent*)
{
    relayout();
}

void DiagramView::mousePressEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(e);
    const int region = regionAt(e->position().toPoint());
    if (region >= 0)
        select(region);
}

void DiagramView::wheelEvent(QWheelEvent* e)
{
    if (e->modifiers() & Qt::ControlModifier) {
        if (e->angleDelta().y() != 0)
            zoomDetail(e->angleDelta().y() > 0);
        e->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(e);
}

void DiagramView::keyPressEvent(QKeyEvent* e)
{
    const std::vector<int> order = m_layout.regionOrder();
    const auto at = std::find(order.begin(), order.end(), m_selected);
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomDetail(true);
        return;
    case Qt::Key_Minus:
        zoomDetail(false);
        return;
    case Qt::Key_Down:
        if (!order.empty())
            select(at == order.end() ? order.front() : (at + 1 == order.end() ? *at : *(at + 1)));
        return;
    case Qt::Key_Up:
        if (!order.empty())
            select(at == order.end() ? order.back() : (at == order.begin() ? *at : *(at - 1)));
        return;
    case Qt::Key_Home:
        if (!order.empty())
            select(order.front());
        return;
    case Qt::Key_End:
        if (!order.empty())
            select(order.back());
        return;
    default:
        QAbstractScrollArea::keyPressEvent(e);
    }
}

void DiagramView::contextMenuEvent(QContextMenuEvent* e)
{
    const int region = regionAt(e->pos()); // the viewport's coordinates, as for the mouse
    if (region < 0)
        return;
    select(region);
    emit regionMenuRequested(region, e->globalPos());
}

bool DiagramView::viewportEvent(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        showToolTipText(viewport(), he->globalPos(), toolTipAt(he->pos()));
        return true;
    }
    return QAbstractScrollArea::viewportEvent(e);
}

} // namespace carveout::ui
