// SPDX-License-Identifier: GPL-2.0-only
#include "mapgeometry.h"

// core
#include "model/units.h"

// Qt
#include <QHash>
#include <QCoreApplication>
#include <QFontMetricsF>

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

void MapGeometry::setHeight(int height)
{
    m_height = height; // the label cache notices
}

void MapGeometry::setFont(const QFont& font)
{
    m_font = font;
    ++m_generation;
}

std::vector<AddrRange> MapData::ram() const
{
    std::vector<AddrRange> banks = analysis->profile.memory;
    if (analysis->profile.efi() && !analysis->profile.efiMap.empty())
        banks = analysis->boot.memory; // the firmware's map replaces the tree's memory
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
    for (const auto& l : m_data.analysis->profile.loads)
        addOutsideRam(l.range.base, l.range.size);
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
    ++m_generation;
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

int MapGeometry::bootLane() const
{
    return m_data.analysis->profile.loads.empty() ? -1 : m_lanes + (m_data.compare ? 2 : 1);
}

QRectF MapGeometry::loadRect(int k) const
{
    const auto& loads = m_data.analysis->profile.loads;
    if (k < 0 || size_t(k) >= loads.size())
        return {};
    const AddrRange& r = loads[size_t(k)].range;
    return spanRect(r.base, r.end(), bootLane(), 13, 0, true);
}

QRectF MapGeometry::spanRect(uint64_t base, uint64_t end, int lane, double top, double bottom, bool enlarge) const
{
    double x0 = kMargin + m_scale.toPixel(base);
    double x1 = kMargin + m_scale.toPixel(end);
    if (enlarge && x1 - x0 < kMinRegionWidth) {
        // As regionRect() enlarges a block: an outline lines up with its block.
        const double c = (x0 + x1) / 2;
        x0 = c - kMinRegionWidth / 2;
        x1 = c + kMinRegionWidth / 2;
    }
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
    const double top = laneRect(lane(region) + 1).height() - kActualHeight;
    return spanRect(a->base, saturatedEnd(a->base, a->size), lane(region) + 1, top, 0, true);
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

int MapGeometry::loadAt(const QPointF& p) const
{
    return narrowestAt(int(m_data.analysis->profile.loads.size()), p, 1, [this](int i) { return loadRect(i); });
}

int MapGeometry::actualAt(const QPointF& p) const
{
    return narrowestAt(int(m_lane.size()), p, 1, [this](int i) { return actualRect(i); });
}

int MapGeometry::lane(int region) const
{
    return region >= 0 && size_t(region) < m_lane.size() ? m_lane[size_t(region)] : -1;
}

double MapGeometry::rowHeight() const
{
    return std::ceil(QFontMetricsF(m_font).height()) + 4; // whole pixels: rows stay on the pixel grid
}

double MapGeometry::fixedHeight() const
{
    const bool memreserve = !m_data.layout().memreserve.empty();
    return kMargin + kRulerHeight + kBankHeight + 6 + (memreserve ? kLaneHeight : 8) + 4
        + (m_data.compare ? kLaneHeight + 4 : 0) + (m_data.analysis->profile.loads.empty() ? 0 : kLaneHeight + 4)
        + kMargin;
}

int MapGeometry::preferredHeight() const
{
    ensureLabels();
    return int(std::ceil(fixedHeight() + m_cache.neededRows * rowHeight() + m_lanes * kLaneHeight));
}

int MapGeometry::minimumHeight() const
{
    ensureLabels();
    // Two label rows at least; more only where the window gives the room (labels without a row
    // are named in tooltips), so a board with many regions does not squeeze the table out of a
    // 1024x700 window.
    return int(std::ceil(fixedHeight() + std::min(m_cache.neededRows, 2) * rowHeight() + m_lanes * kLaneHeight));
}

double MapGeometry::laneHeight() const
{
    ensureLabels();
    return m_cache.laneHeight;
}

int MapGeometry::labelRowsAbove() const
{
    ensureLabels();
    return m_cache.above;
}

int MapGeometry::labelRowsBelow() const
{
    ensureLabels();
    return m_cache.below;
}

QRectF MapGeometry::laneRect(int lane) const
{
    ensureLabels();
    const double w = m_width - 2 * kMargin;
    const double rowH = rowHeight();
    // Ruler, bank band, the label rows above, /memreserve/ (none: no room for it), the region
    // lanes, the label rows below, then the capture lane.
    const double top = kMargin + kRulerHeight + kBankHeight + 6 + m_cache.above * rowH;
    if (lane <= 0)
        return QRectF(kMargin, top, w, kLaneHeight - 6);
    const double regionTop = top + (m_data.layout().memreserve.empty() ? 8 : kLaneHeight);
    const double h = m_cache.laneHeight;
    if (lane <= m_lanes)
        return QRectF(kMargin, regionTop + (lane - 1) * h, w, h - 6);
    const double belowTop = regionTop + m_lanes * h + m_cache.below * rowH + 4;
    return QRectF(kMargin, belowTop + (lane - m_lanes - 1) * kLaneHeight, w, kLaneHeight - 6);
}

std::optional<std::pair<double, double>> MapGeometry::blockX(int region) const
{
    if (lane(region) < 0 || !m_data.placedBase(region) || !m_data.placedSize(region))
        return std::nullopt;
    double x0 = kMargin + m_scale.toPixel(*m_data.placedBase(region));
    double x1 = kMargin + m_scale.toPixel(m_data.placedEnd(region));
    if (x1 - x0 < kMinRegionWidth) {
        const double c = (x0 + x1) / 2;
        x0 = c - kMinRegionWidth / 2;
        x1 = c + kMinRegionWidth / 2;
    }
    return std::make_pair(x0, x1);
}

bool MapGeometry::enlarged(int region) const
{
    if (lane(region) < 0 || !m_data.placedBase(region) || !m_data.placedSize(region))
        return false;
    return m_scale.toPixel(m_data.placedEnd(region)) - m_scale.toPixel(*m_data.placedBase(region)) < kMinRegionWidth;
}

QRectF MapGeometry::regionRect(int region) const
{
    const auto x = blockX(region);
    if (!x)
        return {};
    // With a capture the strip under the block is the capture's (actualRect()).
    const QRectF lr = laneRect(lane(region) + 1).adjusted(0, 0, 0, m_data.compare ? -(kActualHeight + 2) : 0);
    return QRectF(x->first, lr.top(), x->second - x->first, lr.height());
}

namespace {
QString mapTr(const char* s)
{
    return QCoreApplication::translate("MapGeometry", s);
}

/** The node name without its unit address: the base is on the ruler and in the tooltip. */
QString shortName(const QString& name)
{
    const qsizetype at = name.indexOf(QLatin1Char('@'));
    return at > 0 ? name.left(at) : name;
}
} // namespace

void MapGeometry::ensureLabels() const
{
    LabelCache& c = m_cache;
    if (c.zoom == m_scale.zoom() && c.offset == m_scale.offset() && c.width == m_width && c.height == m_height
        && c.generation == m_generation)
        return;
    c = LabelCache();
    c.zoom = m_scale.zoom();
    c.offset = m_scale.offset();
    c.width = m_width;
    c.height = m_height;
    c.generation = m_generation;
    const int n = m_data.regionCount();
    c.byRegion.assign(size_t(n), -1);
    const QFontMetricsF fm(m_font);
    const double left = kMargin, right = m_width - kMargin;
    // Names are measured once per data and font, not on every zoom step (hostile trees have
    // 100,000 regions).
    if (m_widthsGeneration != m_generation || m_nameWidths.size() != size_t(n)) {
        // Without the unit address where that name is the region's alone: k3-j784s4 boards have
        // twenty "memory@..." regions, which must stay apart.
        QHash<QString, int> uses;
        for (int i = 0; i < n; ++i)
            ++uses[shortName(m_data.region(i).name)];
        m_labelNames.resize(size_t(n));
        m_nameWidths.resize(size_t(n));
        for (int i = 0; i < n; ++i) {
            const QString& full = m_data.region(i).name;
            const QString s = shortName(full);
            m_labelNames[size_t(i)] = uses.value(s) > 1 ? full : s;
            m_nameWidths[size_t(i)] = fm.horizontalAdvance(m_labelNames[size_t(i)]);
        }
        m_widthsGeneration = m_generation;
    }
    // Which labels fit inside their block: that depends on x alone.
    std::vector<MapLabel> all;
    std::vector<double> anchors; // per label: the block's visible centre
    for (int i = 0; i < n; ++i) {
        const auto x = blockX(i);
        if (!x || x->second <= left || x->first >= right)
            continue;
        const double x0 = std::max(x->first, left), x1 = std::min(x->second, right);
        const QString& name = m_labelNames[size_t(i)];
        const capture::RegionComparison* cmp = comparison(i);
        const double markRoom = cmp && cmp->verdict != capture::Verdict::Agree ? 14 : 0;
        MapLabel l;
        l.region = i;
        l.lines = QStringList { name };
        const double textWidth = m_nameWidths[size_t(i)];
        l.inside = textWidth + 6 + markRoom <= x1 - x0;
        l.rect = QRectF(x0 + 3 + (l.inside ? markRoom : 0), 0, l.inside ? x1 - x0 - 6 - markRoom : textWidth + 6, 0);
        all.push_back(l);
        anchors.push_back((x0 + x1) / 2);
    }
    std::vector<size_t> outside;
    for (size_t k = 0; k < all.size(); ++k) {
        if (!all[k].inside)
            outside.push_back(k);
    }
    std::stable_sort(outside.begin(), outside.end(), [&](size_t a, size_t b) { return anchors[a] < anchors[b]; });

    // Rows, first fit: a label takes the first row of its side (above for the upper lanes, below
    // for the others) where it fits no farther than kMaxLabelShift from its block, then a row of
    // the other side, then a new row on the side with fewer.
    const double rowH = rowHeight();
    struct Placed
    {
        bool below = true;
        int row = -1;
        double x = 0;
    };
    auto place = [&](int maxRows, std::vector<Placed>* out) {
        // Per side (0 above, 1 below), per row: the labels' [x0, x1), sorted. A label takes the
        // free slot nearest its block, to the left as well as to the right of the others.
        std::vector<std::vector<std::pair<double, double>>> rows[2];
        out->assign(outside.size(), Placed());
        for (size_t k = 0; k < outside.size(); ++k) {
            const MapLabel& l = all[outside[k]];
            const double w = l.rect.width();
            const double desired = std::clamp(anchors[outside[k]] - w / 2, left, std::max(left, right - w));
            const int preferred = lane(l.region) >= (m_lanes - 1) / 2.0 ? 1 : 0;
            auto tryRow = [&](int side, size_t row) {
                if (row == rows[side].size()) {
                    if (desired + w > right + 0.5)
                        return false;
                    rows[side].push_back({ { desired, desired + w } });
                    (*out)[k] = { side == 1, int(row), desired };
                    return true;
                }
                auto& taken = rows[side][row];
                double best = 0, bestShift = kMaxLabelShift + 1;
                size_t at = 0;
                for (size_t g = 0; g <= taken.size(); ++g) {
                    const double from = g == 0 ? left : taken[g - 1].second + kLabelSpacing;
                    const double to = g == taken.size() ? right : taken[g].first - kLabelSpacing;
                    if (to - from < w)
                        continue;
                    const double x = std::clamp(desired, from, to - w);
                    if (std::abs(x - desired) < bestShift) {
                        best = x;
                        bestShift = std::abs(x - desired);
                        at = g;
                    }
                }
                if (bestShift > kMaxLabelShift)
                    return false;
                taken.insert(taken.begin() + std::ptrdiff_t(at), { best, best + w });
                (*out)[k] = { side == 1, int(row), best };
                return true;
            };
            bool done = false;
            for (int side : { preferred, 1 - preferred }) {
                for (size_t r = 0; !done && r < rows[side].size(); ++r)
                    done = tryRow(side, r);
            }
            if (!done && int(rows[0].size() + rows[1].size()) < maxRows) {
                const int side = rows[1 - preferred].size() < rows[preferred].size() ? 1 - preferred : preferred;
                done = tryRow(side, rows[side].size());
            }
        }
        return std::make_pair(int(rows[0].size()), int(rows[1].size()));
    };
    std::vector<Placed> placed;
    const auto [needAbove, needBelow] = place(kMaxLabelRows, &placed);
    c.neededRows = needAbove + needBelow;
    c.above = needAbove;
    c.below = needBelow;
    // A widget too low for every row: as many rows as fit over lanes at their least.
    if (m_height > 0) {
        const int room = int((m_height - fixedHeight() - m_lanes * kLaneHeight) / rowH);
        if (room < c.neededRows) {
            const auto [a, b] = place(std::max(0, room), &placed);
            c.above = a;
            c.below = b;
        }
    }
    const double spare = m_height - fixedHeight() - (c.above + c.below) * rowH;
    c.laneHeight = std::clamp(spare / std::max(1, m_lanes), double(kLaneHeight), double(kMaxLaneHeight));

    // y, now that the rows and lanes are known (regionRect() and laneRect() use the cache above).
    const double aboveTop = kMargin + kRulerHeight + kBankHeight + 5;
    const double belowTop = laneRect(m_lanes).bottom() + 6;
    for (size_t k = 0; k < outside.size(); ++k) {
        MapLabel& l = all[outside[k]];
        if (placed[k].row < 0) {
            l.region = -1; // no room: the tooltip still names it
            continue;
        }
        const double y
            = placed[k].below ? belowTop + placed[k].row * rowH : aboveTop + (c.above - 1 - placed[k].row) * rowH;
        l.rect = QRectF(placed[k].x, y, l.rect.width(), rowH - 2);
        const QRectF block = regionRect(l.region);
        const double ax = std::clamp(anchors[outside[k]], left, right);
        l.leaderFrom = QPointF(ax, placed[k].below ? block.bottom() : block.top());
        l.leaderTo = QPointF(
            std::clamp(ax, l.rect.left() + 3, l.rect.right() - 3), placed[k].below ? l.rect.top() : l.rect.bottom());
    }
    const double lineH = fm.height();
    for (MapLabel& l : all) {
        if (!l.inside)
            continue;
        // Inside: the name, then the size and the base while the block has the height and width.
        const QRectF block = regionRect(l.region);
        const int fit = int((block.height() - 4) / lineH);
        const QString more[] = { formatSize(m_data.placedSize(l.region)), toHex(*m_data.placedBase(l.region)) };
        for (const QString& line : more) {
            if (l.lines.size() >= fit || fm.horizontalAdvance(line) > l.rect.width())
                break;
            l.lines << line;
        }
        const double h = l.lines.size() * lineH;
        l.rect = QRectF(l.rect.left(), block.center().y() - h / 2, l.rect.width(), h);
    }
    all.erase(std::remove_if(all.begin(), all.end(), [](const MapLabel& l) { return l.region < 0; }), all.end());
    c.labels = std::move(all);
    for (size_t k = 0; k < c.labels.size(); ++k)
        c.byRegion[size_t(c.labels[k].region)] = int(k);
}

const std::vector<MapLabel>& MapGeometry::labels() const
{
    ensureLabels();
    return m_cache.labels;
}

const MapLabel* MapGeometry::labelOf(int region) const
{
    ensureLabels();
    if (region < 0 || size_t(region) >= m_cache.byRegion.size() || m_cache.byRegion[size_t(region)] < 0)
        return nullptr;
    return &m_cache.labels[size_t(m_cache.byRegion[size_t(region)])];
}

int MapGeometry::labelAt(const QPointF& p) const
{
    for (const MapLabel& l : labels()) {
        if (!l.inside && l.rect.contains(p))
            return l.region;
    }
    return -1;
}

std::vector<BandPiece> MapGeometry::bandPieces() const
{
    std::vector<BandPiece> pieces;
    const double top = kMargin + kRulerHeight;
    const auto piece = [&](uint64_t base, uint64_t end, bool ram) {
        const double x0 = kMargin + m_scale.toPixel(base), x1 = kMargin + m_scale.toPixel(end);
        pieces.push_back({ QRectF(x0, top, std::max(1.0, x1 - x0), kBankHeight), ram, base, end });
    };
    // A segment may hold RAM and what lies beside it (a region just past a bank's end, or the
    // other side's addresses in the Compare window): each part is drawn as what it is.
    const std::vector<AddrRange> ram = m_data.ram(); // sorted
    for (const auto& s : m_scale.segments()) {
        uint64_t at = s.base;
        for (const auto& b : ram) {
            const uint64_t from = std::max(b.base, at), to = std::min(b.end(), s.end);
            if (from >= to)
                continue;
            if (from > at)
                piece(at, from, false);
            piece(from, to, true);
            at = to;
        }
        if (at < s.end)
            piece(at, s.end, false);
    }
    return pieces;
}

std::vector<BandLabel> MapGeometry::bandLabels() const
{
    std::vector<BandLabel> runs;
    for (const BandPiece& p : bandPieces()) {
        const uint64_t bytes = p.ram ? p.end - p.base : 0;
        if (!runs.empty() && runs.back().ram == p.ram) {
            runs.back().rect = runs.back().rect.united(p.rect);
            runs.back().bytes += bytes;
            continue;
        }
        runs.push_back({ p.rect, p.ram, bytes, {} });
    }
    for (BandLabel& r : runs)
        r.text = r.ram ? QStringLiteral("RAM %1").arg(formatSize(r.bytes)) : mapTr("outside RAM");
    return runs;
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
