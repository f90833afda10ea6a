// SPDX-License-Identifier: GPL-2.0-only
#include "addressmap.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

namespace {
constexpr int kRulerHeight = 34;
constexpr int kBankHeight = 18;
constexpr int kLaneHeight = 38;
constexpr int kMargin = 8;
constexpr double kEdgeSlop = 5;

QColor kindColor(const Region& r)
{
    switch (r.kind) {
    case RegionKind::Cma:
        return QColor(0x4c, 0xaf, 0x50);
    case RegionKind::Coherent:
        return QColor(0x21, 0x96, 0xf3);
    case RegionKind::Restricted:
        return QColor(0x9c, 0x27, 0xb0);
    case RegionKind::Reserved:
        break;
    }
    return r.noMap ? QColor(0xff, 0x98, 0x00) : QColor(0x90, 0x90, 0x90);
}

bool failed(Outcome o)
{
    return o == Outcome::Freed || o == Outcome::ReserveFailed || o == Outcome::AllocFailed || o == Outcome::Ignored;
}
} // namespace

AddressMap::AddressMap(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(160);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void AddressMap::setData(const MapData& data)
{
    m_data = data;
    relayout();
    update();
}

void AddressMap::relayout()
{
    const Layout& L = m_data.layout;
    // Segments: RAM banks, plus what regions and /memreserve/ hold outside them.
    std::vector<AddrRange> ranges;
    for (const auto& b : L.memory)
        ranges.push_back(b.range);
    auto inRam = [&](uint64_t a, uint64_t e) {
        for (const auto& b : L.memory) {
            if (a >= b.range.base && e <= b.range.end())
                return true;
        }
        return false;
    };
    for (const auto& r : L.regions) {
        if (r.base && r.effectiveSize && !inRam(*r.base, saturatedEnd(*r.base, r.effectiveSize)))
            ranges.push_back({ *r.base, r.effectiveSize });
    }
    for (const auto& m : L.memreserve) {
        if (!inRam(m.range.base, m.range.end()))
            ranges.push_back(m.range);
    }
    std::sort(ranges.begin(), ranges.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    bool same = ranges.size() == m_rangesKey.size();
    for (size_t i = 0; same && i < ranges.size(); ++i)
        same = ranges[i].base == m_rangesKey[i].base && ranges[i].size == m_rangesKey[i].size;
    const double w = std::max(100, width() - 2 * kMargin);
    if (!same || std::abs(m_scale.width() - w) > 0.5) {
        const double zoom = m_scale.zoom(), offset = m_scale.offset();
        m_scale.setRanges(ranges, w);
        if (same)
            m_scale.setView(zoom, offset);
        m_rangesKey = ranges;
    }
    // Lanes: greedy interval packing, so overlapping regions sit on separate rows.
    std::vector<size_t> order;
    for (size_t i = 0; i < L.regions.size(); ++i)
        order.push_back(i);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return L.regions[a].base.value_or(UINT64_MAX) < L.regions[b].base.value_or(UINT64_MAX);
    });
    m_lane.assign(L.regions.size(), -1);
    std::vector<uint64_t> laneEnd;
    for (size_t i : order) {
        const Region& r = L.regions[i];
        if (!r.base || r.effectiveSize == 0)
            continue;
        size_t lane = 0;
        while (lane < laneEnd.size() && laneEnd[lane] > *r.base)
            ++lane;
        if (lane == laneEnd.size())
            laneEnd.push_back(0);
        laneEnd[lane] = saturatedEnd(*r.base, r.effectiveSize);
        m_lane[i] = int(lane);
    }
    m_lanes = std::max<int>(1, int(laneEnd.size()));
    setMinimumHeight(kRulerHeight + kBankHeight + (m_lanes + 1) * kLaneHeight + 2 * kMargin);
}

QRectF AddressMap::laneRect(int lane) const
{
    // Lane 0 is /memreserve/ (no room when there is none); regions start at lane 1.
    const double first = m_data.layout.memreserve.empty() ? -kLaneHeight + 8 : 0;
    const double y = kMargin + kRulerHeight + kBankHeight + 6 + first + lane * kLaneHeight;
    return QRectF(kMargin, y, width() - 2 * kMargin, kLaneHeight - 6);
}

QRectF AddressMap::regionRect(int region) const
{
    if (region < 0 || size_t(region) >= m_lane.size() || m_lane[size_t(region)] < 0)
        return {};
    const Region& r = m_data.layout.regions[size_t(region)];
    const double x0 = kMargin + m_scale.toPixel(*r.base);
    const double x1 = kMargin + m_scale.toPixel(saturatedEnd(*r.base, r.effectiveSize));
    const QRectF lane = laneRect(m_lane[size_t(region)] + 1);
    return QRectF(x0, lane.top(), std::max(2.0, x1 - x0), lane.height());
}

int AddressMap::regionAt(const QPoint& p) const
{
    int best = -1;
    for (size_t i = 0; i < m_lane.size(); ++i) {
        QRectF r = regionRect(int(i));
        r.adjust(-kEdgeSlop, 0, kEdgeSlop, 0);
        if (r.contains(p) && (best < 0 || regionRect(int(i)).width() < regionRect(best).width()))
            best = int(i);
    }
    return best;
}

uint64_t AddressMap::snapFor(int region) const
{
    if (region < 0)
        return m_data.pageSize;
    return m_data.layout.regions[size_t(region)].kind == RegionKind::Cma ? m_data.cmaAlignment : m_data.pageSize;
}

void AddressMap::setSelectedRegion(int region)
{
    if (m_selected == region)
        return;
    m_selected = region;
    update();
}

void AddressMap::fit()
{
    m_scale.fit();
    update();
}

void AddressMap::zoomToSelection()
{
    if (m_selected < 0)
        return;
    const Region& r = m_data.layout.regions[size_t(m_selected)];
    if (!r.base)
        return;
    m_scale.zoomTo(*r.base, saturatedEnd(*r.base, r.effectiveSize));
    update();
}

void AddressMap::resizeEvent(QResizeEvent*)
{
    relayout();
}

void AddressMap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().base());
    const Layout& L = m_data.layout;
    const QFontMetrics fm(font());

    // Ruler with adaptive ticks.
    p.setPen(palette().text().color());
    const double rulerY = kMargin + kRulerHeight - 6;
    p.drawLine(QPointF(kMargin, rulerY), QPointF(width() - kMargin, rulerY));
    double lastLabelEnd = -1e9;
    for (const auto& t : m_scale.ticks()) {
        const double x = kMargin + t.x;
        p.drawLine(QPointF(x, rulerY), QPointF(x, rulerY - (t.major ? 8 : 4)));
        const QString label = toHex(t.address);
        const double lw = fm.horizontalAdvance(label);
        const double lx = std::max(0.0, x - lw / 2);
        if (lx > lastLabelEnd + 6 && lx + lw < width()) {
            p.drawText(QPointF(lx, rulerY - 11), label);
            lastLabelEnd = lx + lw;
        }
    }
    // Banks, with break marks over collapsed gaps.
    const double bankY = kMargin + kRulerHeight;
    for (const auto& s : m_scale.segments()) {
        const double x0 = kMargin + m_scale.toPixel(s.base), x1 = kMargin + m_scale.toPixel(s.end);
        QRectF band(x0, bankY, std::max(1.0, x1 - x0), kBankHeight);
        bool ram = false;
        for (const auto& b : L.memory)
            ram |= s.base >= b.range.base && s.end <= b.range.end();
        p.fillRect(band, ram ? QColor(0xcf, 0xd8, 0xdc) : QColor(0xf5, 0xf5, 0xf5));
        p.setPen(QColor(0x78, 0x90, 0x9c));
        p.drawRect(band);
        const QString text = ram ? QStringLiteral("RAM %1").arg(formatSize(s.end - s.base)) : tr("outside RAM");
        p.setPen(palette().text().color());
        p.drawText(band.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
            fm.elidedText(text, Qt::ElideRight, int(band.width()) - 8));
    }
    p.setPen(QPen(palette().text().color(), 1.5));
    for (double b : m_scale.breaks()) {
        const double x = kMargin + b;
        p.drawLine(QPointF(x - 5, bankY - 2), QPointF(x - 1, bankY + kBankHeight + 2));
        p.drawLine(QPointF(x + 1, bankY - 2), QPointF(x + 5, bankY + kBankHeight + 2));
    }
    // /memreserve/ in lane 0.
    const QRectF mrLane = laneRect(0);
    for (const auto& m : L.memreserve) {
        const double x0 = kMargin + m_scale.toPixel(m.range.base), x1 = kMargin + m_scale.toPixel(m.range.end());
        const QRectF r(x0, mrLane.top() + 8, std::max(2.0, x1 - x0), mrLane.height() - 16);
        p.fillRect(r, QColor(0x60, 0x7d, 0x8b));
    }
    if (!L.memreserve.empty()) {
        p.setPen(palette().text().color());
        p.drawText(mrLane.adjusted(0, 0, 0, -mrLane.height() + 10), Qt::AlignLeft, QStringLiteral("/memreserve/"));
    }
    // Regions.
    for (size_t i = 0; i < L.regions.size(); ++i) {
        const QRectF r = regionRect(int(i));
        if (r.isEmpty() || r.right() < 0 || r.left() > width())
            continue;
        const Region& reg = L.regions[i];
        QColor c = kindColor(reg);
        if (!reg.enabled)
            c.setAlpha(60);
        p.fillRect(r, c);
        if (reg.placement == Placement::Dynamic)
            p.fillRect(r, QBrush(c.darker(140), Qt::BDiagPattern)); // placed by the kernel
        QPen border(c.darker(170), 1);
        if (!reg.enabled)
            border.setStyle(Qt::DotLine);
        if (failed(reg.outcome)) {
            border = QPen(QColor(0xd3, 0x2f, 0x2f), 2, Qt::DashLine);
            p.setPen(QPen(QColor(0xd3, 0x2f, 0x2f), 1.5));
            p.drawLine(r.topLeft(), r.bottomRight());
            p.drawLine(r.bottomLeft(), r.topRight());
        }
        if (int(i) == m_selected)
            border = QPen(palette().highlight().color(), 3);
        p.setPen(border);
        p.drawRect(r);
        if (r.width() > 24) {
            p.setPen(Qt::black);
            const QString text = fm.elidedText(reg.name, Qt::ElideRight, int(r.width()) - 6);
            p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        }
        const int errs = i < m_data.errors.size() ? m_data.errors[i] : 0;
        const int warns = i < m_data.warnings.size() ? m_data.warnings[i] : 0;
        if (errs + warns > 0) {
            const QRectF badge(r.right() - 7, r.top() - 7, 14, 14);
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setBrush(errs ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xf5, 0x7c, 0x00));
            p.setPen(Qt::white);
            p.drawEllipse(badge);
            p.drawText(badge, Qt::AlignCenter, QString::number(errs + warns));
            p.setBrush(Qt::NoBrush);
            p.setRenderHint(QPainter::Antialiasing, false);
        }
    }
}

bool AddressMap::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const int i = regionAt(he->pos());
        if (i < 0) {
            QToolTip::hideText();
            return true;
        }
        const Region& r = m_data.layout.regions[size_t(i)];
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        QString tip = QStringLiteral("<b>%1</b><br>%2 .. %3 (%4)<br>%5, %6<br>outcome: %7")
                          .arg(r.name.toHtmlEscaped(), toHex(*r.base), toHex(saturatedEnd(*r.base, r.effectiveSize)),
                              formatSize(r.effectiveSize), kindName(r.kind), flags.join(QLatin1Char(' ')),
                              outcomeName(r.outcome));
        if (r.source.isValid())
            tip += QStringLiteral("<br>%1:%2").arg(r.source.file.toHtmlEscaped()).arg(r.source.line);
        QToolTip::showText(he->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(e);
}

void AddressMap::mousePressEvent(QMouseEvent* e)
{
    setFocus();
    m_pressPos = e->position().toPoint();
    const int i = regionAt(m_pressPos);
    if (e->button() != Qt::LeftButton)
        return;
    if (i < 0) {
        m_mode = DragMode::Pan;
        m_pressOffset = m_scale.offset();
        return;
    }
    if (i != m_selected) {
        m_selected = i;
        emit regionSelected(i);
        update();
    }
    const Region& r = m_data.layout.regions[size_t(i)];
    m_mode = DragMode::None;
    // Only fixed regions move: a dynamic one is placed by the kernel.
    if (r.placement != Placement::Static || !r.base || r.reg.empty())
        return;
    const QRectF rr = regionRect(i);
    const double x = e->position().x();
    if (std::abs(x - rr.left()) <= kEdgeSlop && rr.width() > 3 * kEdgeSlop)
        m_mode = DragMode::ResizeLeft;
    else if (std::abs(x - rr.right()) <= kEdgeSlop)
        m_mode = DragMode::ResizeRight;
    else
        m_mode = DragMode::Move;
    m_origBase = *r.base;
    m_origSize = r.effectiveSize;
    m_newBase = m_origBase;
    m_newSize = m_origSize;
}

void AddressMap::dragTo(const QPoint& pos, Qt::KeyboardModifiers mods)
{
    const double dx = pos.x() - m_pressPos.x();
    const double bpp = m_scale.bytesPerPixel(m_pressPos.x() - kMargin);
    const int64_t delta = int64_t(std::llround(dx * bpp));
    const uint64_t snap = (mods & Qt::ShiftModifier) ? 1 : snapFor(m_selected);
    auto snapDown
        = [&](int64_t v) { return snap <= 1 ? v : v - (((v % int64_t(snap)) + int64_t(snap)) % int64_t(snap)); };
    auto roundSnap = [&](int64_t v) { return snap <= 1 ? v : snapDown(v + int64_t(snap) / 2); };
    const int64_t base = int64_t(m_origBase), end = int64_t(m_origBase + m_origSize);
    int64_t nb = base, ne = end;
    switch (m_mode) {
    case DragMode::Move:
        nb = roundSnap(base + delta);
        ne = nb + (end - base);
        break;
    case DragMode::ResizeLeft:
        nb = std::min(roundSnap(base + delta), end - int64_t(std::max<uint64_t>(snap, 1)));
        break;
    case DragMode::ResizeRight:
        ne = std::max(roundSnap(end + delta), base + int64_t(std::max<uint64_t>(snap, 1)));
        break;
    default:
        return;
    }
    nb = std::max<int64_t>(0, nb);
    if (uint64_t(nb) == m_newBase && uint64_t(ne - nb) == m_newSize)
        return;
    m_newBase = uint64_t(nb);
    m_newSize = uint64_t(ne - nb);
    emit dragPreview(m_selected, m_newBase, m_newSize);
}

void AddressMap::mouseMoveEvent(QMouseEvent* e)
{
    const QPoint pos = e->position().toPoint();
    if (m_mode == DragMode::Pan && (e->buttons() & Qt::LeftButton)) {
        m_scale.setView(m_scale.zoom(), m_pressOffset - (pos.x() - m_pressPos.x()) / m_scale.zoom());
        update();
        return;
    }
    if (m_mode != DragMode::None && (e->buttons() & Qt::LeftButton)) {
        dragTo(pos, e->modifiers());
        return;
    }
    // Hover: the cursor says what a press would do.
    const int i = regionAt(pos);
    Qt::CursorShape shape = Qt::ArrowCursor;
    if (i >= 0 && m_data.layout.regions[size_t(i)].placement == Placement::Static) {
        const QRectF rr = regionRect(i);
        shape = (std::abs(pos.x() - rr.left()) <= kEdgeSlop || std::abs(pos.x() - rr.right()) <= kEdgeSlop)
            ? Qt::SizeHorCursor
            : Qt::OpenHandCursor;
    }
    setCursor(shape);
}

void AddressMap::mouseReleaseEvent(QMouseEvent* e)
{
    const DragMode mode = m_mode;
    m_mode = DragMode::None;
    if (mode == DragMode::None || mode == DragMode::Pan || e->button() != Qt::LeftButton)
        return;
    dragTo(e->position().toPoint(), e->modifiers());
    if (m_newBase != m_origBase || m_newSize != m_origSize)
        emit editRequested(m_selected, m_newBase, m_newSize, false);
    else
        emit dragCancelled();
}

void AddressMap::wheelEvent(QWheelEvent* e)
{
    const double steps = e->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    m_scale.zoomAround(e->position().x() - kMargin, std::pow(1.25, steps));
    update();
    e->accept();
}

void AddressMap::keyPressEvent(QKeyEvent* e)
{
    const double center = (width() - 2 * kMargin) / 2.0;
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_scale.zoomAround(center, 1.5);
        break;
    case Qt::Key_Minus:
        m_scale.zoomAround(center, 1 / 1.5);
        break;
    case Qt::Key_0:
        m_scale.fit();
        break;
    case Qt::Key_Z:
        zoomToSelection();
        break;
    case Qt::Key_Left:
    case Qt::Key_Right: {
        if (m_selected < 0) {
            m_scale.pan(e->key() == Qt::Key_Left ? -40 : 40);
            break;
        }
        const Region& r = m_data.layout.regions[size_t(m_selected)];
        if (r.placement != Placement::Static || !r.base)
            break;
        // Nudge by one snapping step; Shift resizes instead of moving.
        const uint64_t step = snapFor(m_selected);
        const bool grow = e->key() == Qt::Key_Right;
        uint64_t base = *r.base, size = r.effectiveSize;
        if (e->modifiers() & Qt::ShiftModifier) {
            if (!grow && size <= step)
                break;
            size = grow ? size + step : size - step;
        } else {
            if (!grow && base < step)
                break;
            base = grow ? base + step : base - step;
        }
        emit editRequested(m_selected, base, size, true);
        break;
    }
    default:
        QWidget::keyPressEvent(e);
        return;
    }
    update();
}

} // namespace carveout::ui
