// SPDX-License-Identifier: GPL-2.0-only
#include "mapgeometry.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

uint64_t MapData::placedEnd(int i) const
{
    const auto base = placedBase(i);
    return base ? saturatedEnd(*base, placedSize(i)) : 0;
}

void MapGeometry::setData(MapData data, int width)
{
    m_data = std::move(data);
    m_width = width;
    relayout();
}

void MapGeometry::setWidth(int width)
{
    m_width = width;
    relayout();
}

void MapGeometry::relayout()
{
    const Layout& L = m_data.layout();
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
    for (int i = 0; i < m_data.regionCount(); ++i) {
        const auto base = m_data.placedBase(i);
        if (base && m_data.placedSize(i) && !inRam(*base, m_data.placedEnd(i)))
            ranges.push_back({ *base, m_data.placedSize(i) });
    }
    for (const auto& m : L.memreserve) {
        if (!inRam(m.range.base, m.range.end()))
            ranges.push_back(m.range);
    }
    std::sort(ranges.begin(), ranges.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    bool same = ranges.size() == m_rangesKey.size();
    for (size_t i = 0; same && i < ranges.size(); ++i)
        same = ranges[i].base == m_rangesKey[i].base && ranges[i].size == m_rangesKey[i].size;
    const double w = std::max(100, m_width - 2 * kMargin);
    if (!same || std::abs(m_scale.width() - w) > 0.5) {
        const double zoom = m_scale.zoom(), offset = m_scale.offset();
        m_scale.setRanges(ranges, w);
        if (same)
            m_scale.setView(zoom, offset);
        m_rangesKey = ranges;
    }
    // Lanes: greedy interval packing, so overlapping regions sit on separate rows.
    std::vector<int> order;
    for (int i = 0; i < m_data.regionCount(); ++i)
        order.push_back(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return m_data.placedBase(a).value_or(UINT64_MAX) < m_data.placedBase(b).value_or(UINT64_MAX);
    });
    m_lane.assign(size_t(m_data.regionCount()), -1);
    std::vector<uint64_t> laneEnd;
    for (int i : order) {
        const auto base = m_data.placedBase(i);
        if (!base || m_data.placedSize(i) == 0)
            continue;
        size_t lane = 0;
        while (lane < laneEnd.size() && laneEnd[lane] > *base)
            ++lane;
        if (lane == laneEnd.size())
            laneEnd.push_back(0);
        laneEnd[lane] = m_data.placedEnd(i);
        m_lane[size_t(i)] = int(lane);
    }
    m_lanes = std::max<int>(1, int(laneEnd.size()));
}

int MapGeometry::lane(int region) const
{
    return region >= 0 && size_t(region) < m_lane.size() ? m_lane[size_t(region)] : -1;
}

int MapGeometry::minimumHeight() const
{
    return kRulerHeight + kBankHeight + (m_lanes + 1) * kLaneHeight + 2 * kMargin;
}

QRectF MapGeometry::laneRect(int lane) const
{
    // No room for /memreserve/ when there is none.
    const double first = m_data.layout().memreserve.empty() ? -kLaneHeight + 8 : 0;
    const double y = kMargin + kRulerHeight + kBankHeight + 6 + first + lane * kLaneHeight;
    return QRectF(kMargin, y, m_width - 2 * kMargin, kLaneHeight - 6);
}

QRectF MapGeometry::regionRect(int region) const
{
    const int l = lane(region);
    if (l < 0)
        return {};
    const double x0 = kMargin + m_scale.toPixel(*m_data.placedBase(region));
    const double x1 = kMargin + m_scale.toPixel(m_data.placedEnd(region));
    const QRectF r = laneRect(l + 1);
    return QRectF(x0, r.top(), std::max(2.0, x1 - x0), r.height());
}

int MapGeometry::regionAt(const QPointF& p) const
{
    int best = -1;
    double bestWidth = 0;
    for (int i = 0; i < int(m_lane.size()); ++i) {
        const QRectF r = regionRect(i);
        if (r.adjusted(-kEdgeSlop, 0, kEdgeSlop, 0).contains(p) && (best < 0 || r.width() < bestWidth)) {
            best = i;
            bestWidth = r.width();
        }
    }
    return best;
}

bool MapGeometry::movable(int region) const
{
    if (region < 0 || region >= m_data.regionCount())
        return false;
    const Region& r = m_data.region(region);
    return r.placement == Placement::Static && m_data.placedBase(region) && !r.reg.empty();
}

MapHandle MapGeometry::handleAt(int region, double x) const
{
    if (region < 0)
        return MapHandle::None;
    if (!movable(region))
        return MapHandle::Body;
    const QRectF rr = regionRect(region);
    if (std::abs(x - rr.left()) <= kEdgeSlop && rr.width() > 3 * kEdgeSlop)
        return MapHandle::LeftEdge;
    if (std::abs(x - rr.right()) <= kEdgeSlop)
        return MapHandle::RightEdge;
    return MapHandle::Body;
}

MapHit MapGeometry::hitTest(const QPointF& p) const
{
    MapHit hit;
    hit.region = regionAt(p);
    hit.handle = handleAt(hit.region, p.x());
    hit.movable = movable(hit.region);
    return hit;
}

uint64_t MapGeometry::snapFor(int region) const
{
    if (region < 0 || region >= m_data.regionCount())
        return m_data.pageSize;
    return m_data.region(region).kind == RegionKind::Cma ? m_data.cmaAlignment : m_data.pageSize;
}

MapSpan MapGeometry::dragged(MapHandle handle, MapSpan from, int64_t deltaBytes, uint64_t step)
{
    const int64_t snap = int64_t(std::max<uint64_t>(step, 1));
    auto snapDown = [&](int64_t v) { return snap <= 1 ? v : v - (((v % snap) + snap) % snap); };
    auto roundSnap = [&](int64_t v) { return snap <= 1 ? v : snapDown(v + snap / 2); };
    const int64_t base = int64_t(from.base), end = int64_t(from.base + from.size);
    int64_t nb = base, ne = end;
    switch (handle) {
    case MapHandle::Body:
        // A move stops at address 0 with its size (the size must not pay for the clamp).
        nb = std::max<int64_t>(0, roundSnap(base + deltaBytes));
        ne = nb + (end - base);
        break;
    case MapHandle::LeftEdge:
        nb = std::min(roundSnap(base + deltaBytes), end - snap);
        break;
    case MapHandle::RightEdge:
        ne = std::max(roundSnap(end + deltaBytes), base + snap);
        break;
    case MapHandle::None:
        return from;
    }
    nb = std::max<int64_t>(0, nb);
    return { uint64_t(nb), uint64_t(ne - nb) };
}

MapSpan MapGeometry::dragged(int region, MapHandle handle, MapSpan from, double pressX, double dx, bool snapping) const
{
    const double bpp = m_scale.bytesPerPixel(pressX - kMargin);
    const int64_t delta = int64_t(std::llround(dx * bpp));
    return dragged(handle, from, delta, snapping ? snapFor(region) : 1);
}

std::optional<MapSpan> MapGeometry::span(int region) const
{
    if (region < 0 || region >= m_data.regionCount() || !m_data.placedBase(region))
        return std::nullopt;
    return MapSpan { *m_data.placedBase(region), m_data.placedSize(region) };
}

std::optional<MapSpan> MapGeometry::nudged(int region, bool grow, bool resize) const
{
    auto s = span(region);
    if (!s || m_data.region(region).placement != Placement::Static)
        return std::nullopt;
    const uint64_t step = snapFor(region);
    if (resize) {
        if (!grow && s->size <= step)
            return std::nullopt;
        s->size = grow ? s->size + step : s->size - step;
    } else {
        if (!grow && s->base < step)
            return std::nullopt;
        s->base = grow ? s->base + step : s->base - step;
    }
    return s;
}

} // namespace carveout::ui
