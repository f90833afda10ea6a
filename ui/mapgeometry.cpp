// SPDX-License-Identifier: GPL-2.0-only
#include "mapgeometry.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

MapData MapData::of(const AnalysisPtr& a)
{
    MapData d;
    d.analysis = a;
    d.cmaAlignment = a->profile.cmaMinAlignment();
    d.pageSize = a->profile.pageSize;
    d.errors = a->errorsPerRegion();
    d.warnings = a->warningsPerRegion();
    return d;
}

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

std::vector<AddrRange> MapData::ram() const
{
    std::vector<AddrRange> banks = analysis->profile.memory;
    if (banks.empty()) {
        for (const auto& b : layout().memory)
            banks.push_back(b.range);
    }
    banks.erase(std::remove_if(banks.begin(), banks.end(), [](const AddrRange& b) { return !b.size; }), banks.end());
    // Banks that touch are one stretch of RAM (imx8mp-evk: 3 GiB up to 4 GiB, 3 GiB above it).
    return mergedRanges(std::move(banks));
}

void MapGeometry::relayout()
{
    const Layout& L = m_data.layout();
    const int n = m_data.regionCount();
    m_comparison.assign(size_t(n), -1);
    m_marks.clear();
    if (const auto& c = m_data.compare) {
        for (size_t k = 0; k < c->regions.size(); ++k) {
            if (c->regions[k].region >= 0 && c->regions[k].region < n)
                m_comparison[size_t(c->regions[k].region)] = int(k);
        }
        for (size_t k = 0; k < c->unexplained.size(); ++k) {
            if (c->unexplained[k].range.size)
                m_marks.push_back({ CaptureMark::Unexplained, int(k), c->unexplained[k].range });
        }
        for (size_t k = 0; k < c->kernelReservations.size(); ++k) {
            if (c->kernelReservations[k].range.size)
                m_marks.push_back({ CaptureMark::Kernel, int(k), c->kernelReservations[k].range });
        }
    }
    // Segments: RAM, plus what regions, /memreserve/ and the capture show outside it.
    const std::vector<AddrRange> ram = m_data.ram();
    std::vector<AddrRange> ranges = ram;
    auto addOutsideRam = [&](uint64_t a, uint64_t size) {
        const uint64_t e = saturatedEnd(a, size);
        for (const auto& b : ram) {
            if (a >= b.base && e <= b.end())
                return;
        }
        ranges.push_back({ a, size });
    };
    for (int i = 0; i < n; ++i) {
        const auto base = m_data.placedBase(i);
        if (base && m_data.placedSize(i))
            addOutsideRam(*base, m_data.placedSize(i));
        if (const auto a = actualSpan(i))
            addOutsideRam(a->base, a->size);
    }
    for (const auto& m : L.memreserve)
        addOutsideRam(m.range.base, m.range.size);
    for (const auto& m : m_marks)
        addOutsideRam(m.range.base, m.range.size);
    for (const auto& r : m_data.alsoCover)
        addOutsideRam(r.base, r.size);
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
    packLanes();
}

void MapGeometry::packLanes()
{
    // Greedy interval packing, so overlapping regions sit on separate rows. A region the capture
    // puts elsewhere holds both spans in its lane: its outline never lands on another region.
    const int n = m_data.regionCount();
    std::vector<std::vector<AddrRange>> spans(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        if (const auto s = span(i); s && s->size)
            spans[size_t(i)].push_back({ s->base, s->size });
        if (const auto actual = actualSpan(i)) {
            const AddrRange a { actual->base, actual->size };
            const bool dup
                = !spans[size_t(i)].empty() && spans[size_t(i)][0].base == a.base && spans[size_t(i)][0].size == a.size;
            if (!dup)
                spans[size_t(i)].push_back(a);
        }
    }
    std::vector<int> order;
    for (int i = 0; i < n; ++i) {
        if (!spans[size_t(i)].empty())
            order.push_back(i);
    }
    std::stable_sort(
        order.begin(), order.end(), [&](int a, int b) { return spans[size_t(a)][0].base < spans[size_t(b)][0].base; });
    m_lane.assign(size_t(n), -1);
    std::vector<std::vector<AddrRange>> taken; // per lane
    auto fits = [&](const std::vector<AddrRange>& lane, const std::vector<AddrRange>& want) {
        for (const auto& t : lane) {
            for (const auto& s : want) {
                if (s.base < t.end() && t.base < s.end())
                    return false;
            }
        }
        return true;
    };
    for (int i : order) {
        size_t lane = 0;
        while (lane < taken.size() && !fits(taken[lane], spans[size_t(i)]))
            ++lane;
        if (lane == taken.size())
            taken.emplace_back();
        taken[lane].insert(taken[lane].end(), spans[size_t(i)].begin(), spans[size_t(i)].end());
        m_lane[size_t(i)] = int(lane);
    }
    m_lanes = std::max<int>(1, int(taken.size()));
}

const capture::RegionComparison* MapGeometry::comparison(int region) const
{
    if (!m_data.compare || region < 0 || size_t(region) >= m_comparison.size() || m_comparison[size_t(region)] < 0)
        return nullptr;
    return &m_data.compare->regions[size_t(m_comparison[size_t(region)])];
}

int MapGeometry::captureLane() const
{
    return m_data.compare ? m_lanes + 1 : -1;
}

QRectF MapGeometry::spanRect(uint64_t base, uint64_t end, int lane, double top, double bottom) const
{
    const double x0 = kMargin + m_scale.toPixel(base);
    const double x1 = kMargin + m_scale.toPixel(end);
    const QRectF r = laneRect(lane).adjusted(0, top, 0, -bottom);
    return QRectF(x0, r.top(), std::max(2.0, x1 - x0), r.height());
}

std::optional<MapSpan> MapGeometry::actualSpan(int region) const
{
    const auto* c = comparison(region);
    if (!c || !c->actual.base)
        return std::nullopt;
    // Some lines give the base alone ("created CMA memory pool at X" on 6.1): the size is then
    // the predicted one.
    const uint64_t size = c->actual.size.value_or(c->predicted.size);
    if (!size)
        return std::nullopt;
    return MapSpan { *c->actual.base, size };
}

QRectF MapGeometry::actualRect(int region) const
{
    const auto a = actualSpan(region);
    if (!a || lane(region) < 0)
        return {};
    const double top = laneRect(0).height() - kActualHeight;
    return spanRect(a->base, saturatedEnd(a->base, a->size), lane(region) + 1, top);
}

QRectF MapGeometry::captureRect(int mark) const
{
    if (mark < 0 || size_t(mark) >= m_marks.size())
        return {};
    const AddrRange& r = m_marks[size_t(mark)].range;
    return spanRect(r.base, r.end(), captureLane());
}

namespace {
/** The narrowest of `count` rectangles that contains p (widened by `slop`), or -1. */
template <typename RectOf> int narrowestAt(int count, const QPointF& p, double slop, RectOf rectOf)
{
    int best = -1;
    double bestWidth = 0;
    for (int i = 0; i < count; ++i) {
        const QRectF r = rectOf(i);
        if (!r.isEmpty() && r.adjusted(-slop, 0, slop, 0).contains(p) && (best < 0 || r.width() < bestWidth)) {
            best = i;
            bestWidth = r.width();
        }
    }
    return best;
}
} // namespace

int MapGeometry::captureMarkAt(const QPointF& p) const
{
    return narrowestAt(int(m_marks.size()), p, 1, [this](int i) { return captureRect(i); });
}

int MapGeometry::actualAt(const QPointF& p) const
{
    return narrowestAt(int(m_lane.size()), p, 1, [this](int i) { return actualRect(i); });
}

int MapGeometry::lane(int region) const
{
    return region >= 0 && size_t(region) < m_lane.size() ? m_lane[size_t(region)] : -1;
}

int MapGeometry::minimumHeight() const
{
    return kRulerHeight + kBankHeight + (m_lanes + (m_data.compare ? 2 : 1)) * kLaneHeight + 2 * kMargin;
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
    if (l < 0 || !m_data.placedBase(region) || !m_data.placedSize(region))
        return {};
    // With a capture the strip under the block is the capture's (actualRect()).
    return spanRect(
        *m_data.placedBase(region), m_data.placedEnd(region), l + 1, 0, m_data.compare ? kActualHeight + 2 : 0);
}

int MapGeometry::regionAt(const QPointF& p) const
{
    return narrowestAt(int(m_lane.size()), p, kEdgeSlop, [this](int i) { return regionRect(i); });
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
