// SPDX-License-Identifier: GPL-2.0-only
#include "diagramlayout.h"

// core
#include "model/units.h"
#include "report/layoutreport.h"

// Qt
#include <QCoreApplication>
#include <QFontMetricsF>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("carveout::ui::DiagramLayout", text);
}

/** formatSize, with the exact bytes in hex when it rounds ("4.5 MiB (0x480000)"). */
QString sizeText(uint64_t size)
{
    const QString s = formatSize(size);
    return s.contains(QLatin1Char('.')) ? QStringLiteral("%1 (%2)").arg(s, toHex(size)) : s;
}

QString rangeLine(uint64_t base, uint64_t end)
{
    return QStringLiteral("%1 .. %2").arg(toHex(base), toHex(end));
}

QString lastComponent(const QString& path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash >= 0 && slash + 1 < path.size() ? path.mid(slash + 1) : path;
}

} // namespace

QStringList DiagramLayout::regionLines(const MapData& d, int i, Detail detail)
{
    const Region& r = d.region(i);
    QStringList lines { r.name };
    const std::optional<uint64_t> base = d.placedBase(i);
    const uint64_t size = d.placedSize(i);
    if (!base || size == 0) {
        lines << tr("not placed: %1").arg(outcomeName(d.outcome(i)));
        if (detail != Detail::Compact && size > 0)
            lines << sizeText(size);
    } else {
        if (detail != Detail::Compact)
            lines << rangeLine(*base, d.placedEnd(i));
        lines << sizeText(size);
    }
    if (detail == Detail::Full) {
        QStringList what { kindName(r.kind), placementName(r.placement) };
        what << regionFlags(r);
        lines << what.join(QLatin1Char(' '));
        lines << tr("outcome: %1").arg(outcomeName(d.outcome(i)));
        for (const Consumer& c : d.layout().consumers) {
            if (c.region == i)
                lines << tr("used by %1").arg(lastComponent(c.device));
        }
    }
    return lines;
}

int DiagramLayout::findings(int region) const
{
    const size_t i = size_t(region);
    return (i < m_data.errors.size() ? m_data.errors[i] : 0) + (i < m_data.warnings.size() ? m_data.warnings[i] : 0);
}

DiagramBlock DiagramLayout::makeBlock(const Span& s) const
{
    DiagramBlock b;
    b.type = s.type;
    b.index = s.index;
    b.base = s.base;
    b.end = s.end;
    if (s.type == DiagramBlock::Type::Region) {
        b.lines = regionLines(m_data, s.index, m_detail);
    } else if (s.type == DiagramBlock::Type::MemReserve) {
        b.lines << QStringLiteral("/memreserve/");
        if (m_detail != Detail::Compact)
            b.lines << rangeLine(s.base, s.end);
        b.lines << sizeText(s.end - s.base);
    }
    return b;
}

double DiagramLayout::textWidth(const DiagramBlock& b) const
{
    const QFontMetricsF fm(m_font);
    double w = 0;
    for (const QString& line : b.lines)
        w = std::max(w, fm.horizontalAdvance(line));
    if (b.type == DiagramBlock::Type::Region && findings(b.index) > 0)
        w += kBadge + 2;
    // Rounding of the advance at other scale factors: a pixel to spare.
    return std::ceil(w) + 1;
}

double DiagramLayout::blockHeight(const DiagramBlock& b) const
{
    const int lines = b.type == DiagramBlock::Type::Header ? 1 : std::max(2, int(b.lines.size()));
    double h = lines * m_lineSpacing + 2 * kPad;
    if (b.type != DiagramBlock::Type::Header && b.placed && b.end > b.base) {
        // Bigger ranges are taller on a log scale, from 64 KiB up: 1 MiB is 16 px taller than
        // its text, 16 MiB 32 px, 256 MiB and more kMaxExtra.
        const double doublings = std::log2(double(b.end - b.base)) - 16;
        h += std::clamp(4 * doublings, 0.0, double(kMaxExtra));
    }
    return std::ceil(h);
}

void DiagramLayout::addBlock(DiagramBlock b, double top, double height)
{
    const double laneWidth = (m_right - m_left) / b.lanes;
    b.rect = QRectF(m_left + b.lane * laneWidth, top, laneWidth, height);
    b.textRect = b.rect.adjusted(kPad, kPad, -kPad, -kPad);
    if (b.type == DiagramBlock::Type::Region && findings(b.index) > 0)
        b.textRect.setRight(b.textRect.right() - kBadge - 2);
    m_blocks.push_back(std::move(b));
}

void DiagramLayout::addHeader(const QString& text, uint64_t base, uint64_t end, int index, double* y)
{
    DiagramBlock b;
    b.type = DiagramBlock::Type::Header;
    b.index = index;
    b.base = base;
    b.end = end;
    b.lines << text;
    *y += m_blocks.empty() ? 0 : 6; // a bank ends here
    const double h = blockHeight(b);
    addBlock(std::move(b), *y, h);
    *y += h;
}

void DiagramLayout::addEdgeLabel(uint64_t address, double y, bool top)
{
    const QFontMetricsF fm(m_font);
    DiagramLabel l;
    l.address = address;
    l.text = toHex(address);
    l.atTop = top;
    const double h = std::ceil(fm.height());
    // Centred on its edge, as reference manuals write them (blocks are taller than two labels).
    l.rect = QRectF(kMargin, y - h / 2, m_left - kMargin - 6, h);
    m_labels.push_back(l);
}

void DiagramLayout::addFree(uint64_t base, uint64_t end, double* y)
{
    DiagramBlock b;
    b.type = DiagramBlock::Type::Free;
    b.base = base;
    b.end = end;
    b.lines << tr("free %1").arg(sizeText(end - base));
    if (m_detail != Detail::Compact)
        b.lines << rangeLine(base, end);
    const double h = blockHeight(b);
    addBlock(std::move(b), *y, h);
    *y += h;
}

std::vector<int> DiagramLayout::lanesOf(const std::vector<Span>& spans)
{
    // Greedy, in address order: each span goes to the first sub-column free at its base.
    std::vector<uint64_t> laneEnd;
    std::vector<int> lane;
    for (const Span& s : spans) {
        size_t k = 0;
        while (k < laneEnd.size() && laneEnd[k] > s.base)
            ++k;
        if (k == laneEnd.size())
            laneEnd.push_back(0);
        laneEnd[k] = s.end;
        lane.push_back(int(k));
    }
    return lane;
}

void DiagramLayout::layoutCluster(const std::vector<Span>& spans, double* y)
{
    const std::vector<int> laneOf = lanesOf(spans);
    std::vector<std::vector<DiagramBlock>> lanes;
    for (size_t k = 0; k < spans.size(); ++k) {
        if (size_t(laneOf[k]) >= lanes.size())
            lanes.resize(size_t(laneOf[k]) + 1);
        DiagramBlock b = makeBlock(spans[k]);
        b.lane = laneOf[k];
        lanes[size_t(laneOf[k])].push_back(std::move(b));
    }
    double band = 0;
    for (const auto& lane : lanes) {
        double h = 0;
        for (const auto& b : lane)
            h += blockHeight(b);
        band = std::max(band, h);
    }
    // Emit in address order (the order Up/Down walk); each lane's last block fills the band.
    std::vector<std::pair<const DiagramBlock*, double>> placed; // block, top
    std::vector<double> heights;
    for (const auto& lane : lanes) {
        double top = *y;
        for (size_t k = 0; k < lane.size(); ++k) {
            const double h = k + 1 == lane.size() ? *y + band - top : blockHeight(lane[k]);
            placed.push_back({ &lane[k], top });
            heights.push_back(h);
            top += h;
        }
    }
    std::vector<size_t> order(placed.size());
    for (size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return placed[a].first->base != placed[b].first->base ? placed[a].first->base < placed[b].first->base
                                                              : placed[a].first->lane < placed[b].first->lane;
    });
    for (size_t k : order) {
        DiagramBlock b = *placed[k].first;
        b.lanes = int(lanes.size());
        addBlock(std::move(b), placed[k].second, heights[k]);
    }
    *y += band;
}

void DiagramLayout::setData(const MapData& data, const QFont& font, int width, Detail detail)
{
    m_data = data;
    m_font = font;
    m_detail = detail;
    m_blocks.clear();
    m_labels.clear();
    m_breaks.clear();
    const QFontMetricsF fm(font);
    m_lineSpacing = std::ceil(fm.lineSpacing());
    const Layout& L = data.layout();

    std::vector<Span> spans;
    std::vector<int> unplaced;
    for (int i = 0; i < data.regionCount(); ++i) {
        const std::optional<uint64_t> base = data.placedBase(i);
        if (base && data.placedSize(i) > 0)
            spans.push_back({ DiagramBlock::Type::Region, i, *base, data.placedEnd(i) });
        else
            unplaced.push_back(i);
    }
    for (int k = 0; k < int(L.memreserve.size()); ++k) {
        const AddrRange& r = L.memreserve[size_t(k)].range;
        if (r.size > 0)
            spans.push_back({ DiagramBlock::Type::MemReserve, k, r.base, r.end() });
    }
    std::stable_sort(spans.begin(), spans.end(),
        [](const Span& a, const Span& b) { return a.base != b.base ? a.base < b.base : a.end > b.end; });
    std::vector<std::vector<Span>> clusters;
    uint64_t clusterEnd = 0;
    for (const Span& s : spans) {
        if (!clusters.empty() && s.base < clusterEnd) {
            clusters.back().push_back(s);
            clusterEnd = std::max(clusterEnd, s.end);
        } else {
            clusters.push_back({ s });
            clusterEnd = s.end;
        }
    }
    const std::vector<AddrRange> ram = data.ram();

    // The gutter holds the widest address; the column the widest text of any band.
    double gutter = 0;
    const auto widen = [&](uint64_t a) { gutter = std::max(gutter, fm.horizontalAdvance(toHex(a))); };
    for (const Span& s : spans) {
        widen(s.base);
        widen(s.end);
    }
    for (const AddrRange& r : ram) {
        widen(r.base);
        widen(r.end());
    }
    m_left = kMargin + std::ceil(gutter) + 1 + 6;
    m_right = m_left + 1; // textWidth() does not read it
    double need = 160;
    const auto headerText = [&](size_t k) {
        const AddrRange& r = ram[k];
        return tr("RAM %1 (%2)").arg(rangeLine(r.base, r.end()), formatSize(r.size));
    };
    const QString outside = tr("outside RAM");
    const QString notPlaced = tr("not placed by the kernel");
    for (size_t k = 0; k < ram.size(); ++k)
        need = std::max(need, fm.horizontalAdvance(headerText(k)) + 2 * kPad + 2);
    need = std::max(need, fm.horizontalAdvance(outside) + 2 * kPad + 2);
    if (!unplaced.empty())
        need = std::max(need, fm.horizontalAdvance(notPlaced) + 2 * kPad + 2);
    for (const auto& c : clusters) {
        double w = 0;
        for (const Span& s : c)
            w = std::max(w, textWidth(makeBlock(s)));
        const std::vector<int> lanes = lanesOf(c);
        need = std::max(need, double(*std::max_element(lanes.begin(), lanes.end()) + 1) * (w + 2 * kPad));
    }
    for (int i : unplaced) {
        DiagramBlock b;
        b.index = i;
        b.lines = regionLines(data, i, detail);
        need = std::max(need, textWidth(b) + 2 * kPad);
    }
    // A free block's range is no wider than two of the gutter's addresses (its size line is
    // checked once the gaps are known, below).
    need = std::max(need, 2 * gutter + fm.horizontalAdvance(QStringLiteral(" .. ")) + 2 * kPad + 2);
    // Never narrower than the text; never wider than asked when the text fits (no scrollbar).
    m_right = m_left + std::max(std::ceil(need), std::floor(double(width) - m_left - kMargin));

    // Walk banks and clusters in address order. A bank opens with its title; a cluster not in a
    // bank goes under "outside RAM"; the RAM between clusters (and to a bank's edges) is free.
    double y = kMargin;
    int bank = -1; // the bank open, or -1
    bool outsideOpen = false;
    uint64_t cursor = 0; // in the open bank: where the free RAM starts
    bool pending = false; // the last band's end address is still to be labelled
    uint64_t pendingEnd = 0;
    const auto flush = [&] {
        if (pending)
            addEdgeLabel(pendingEnd, y, false);
        pending = false;
    };
    // A band's top edge is labelled with its base; its bottom with its end only when the next
    // band does not start there (a shared edge is labelled once). Between bands whose addresses
    // do not meet (a hole outside RAM) the diagram leaves a break, marked by the painter.
    // The two labels of a break, centred on its edges, stay apart.
    const double gap = std::max(double(kBreak), std::ceil(fm.height()) + 2);
    const auto open = [&](uint64_t base) {
        if (pending && pendingEnd == base) {
            pending = false;
        } else if (pending) {
            flush();
            y += gap;
            m_breaks.push_back(y - gap / 2);
        }
        addEdgeLabel(base, y, true);
    };
    const auto close = [&](uint64_t end) {
        pending = true;
        pendingEnd = end;
    };
    const auto closeBank = [&] {
        if (bank < 0)
            return;
        const uint64_t end = ram[size_t(bank)].end();
        if (cursor < end) {
            open(cursor);
            addFree(cursor, end, &y);
            close(end);
        }
        flush();
        bank = -1;
    };
    size_t nextBank = 0;
    for (const auto& c : clusters) {
        const uint64_t base = c.front().base;
        uint64_t end = 0;
        for (const Span& s : c)
            end = std::max(end, s.end);
        while (nextBank < ram.size() && ram[nextBank].base <= base) {
            closeBank();
            flush();
            bank = int(nextBank);
            outsideOpen = false;
            addHeader(headerText(nextBank), ram[nextBank].base, ram[nextBank].end(), int(nextBank), &y);
            cursor = std::max(cursor, ram[nextBank].base);
            ++nextBank;
        }
        if (bank >= 0 && base >= ram[size_t(bank)].end())
            closeBank();
        if (bank < 0 && !outsideOpen) {
            flush();
            addHeader(outside, 0, 0, -1, &y);
            outsideOpen = true;
        }
        if (bank >= 0 && base > cursor) {
            open(cursor);
            addFree(cursor, base, &y);
            close(base);
        }
        open(base);
        layoutCluster(c, &y);
        close(end);
        cursor = std::max(cursor, end);
    }
    while (nextBank < ram.size()) {
        closeBank();
        flush();
        bank = int(nextBank);
        addHeader(headerText(nextBank), ram[nextBank].base, ram[nextBank].end(), int(nextBank), &y);
        cursor = std::max(cursor, ram[nextBank].base);
        ++nextBank;
    }
    closeBank();
    flush();
    if (!unplaced.empty()) {
        addHeader(notPlaced, 0, 0, -1, &y);
        for (int i : unplaced) {
            DiagramBlock b;
            b.index = i;
            b.placed = false;
            b.lines = regionLines(data, i, detail);
            const double h = blockHeight(b);
            addBlock(std::move(b), y, h);
            y += h;
        }
    }
    m_size = QSizeF(m_right + kMargin, y + kMargin);
    double freeNeed = 0;
    for (const auto& b : m_blocks) {
        if (b.type == DiagramBlock::Type::Free)
            freeNeed = std::max(freeNeed, textWidth(b) + 2 * kPad);
    }
    if (freeNeed > m_right - m_left) // once: the column is then wide enough for every gap
        setData(MapData(data), font, int(std::ceil(m_left + freeNeed + kMargin)), detail);
}

int DiagramLayout::blockAt(const QPointF& p) const
{
    for (int k = 0; k < int(m_blocks.size()); ++k) {
        if (m_blocks[size_t(k)].rect.contains(p))
            return k;
    }
    return -1;
}

int DiagramLayout::regionAt(const QPointF& p) const
{
    const int k = blockAt(p);
    return k >= 0 && m_blocks[size_t(k)].type == DiagramBlock::Type::Region ? m_blocks[size_t(k)].index : -1;
}

int DiagramLayout::blockOfRegion(int region) const
{
    for (int k = 0; k < int(m_blocks.size()); ++k) {
        if (m_blocks[size_t(k)].type == DiagramBlock::Type::Region && m_blocks[size_t(k)].index == region)
            return k;
    }
    return -1;
}

std::vector<int> DiagramLayout::regionOrder() const
{
    std::vector<int> order;
    for (const auto& b : m_blocks) {
        if (b.type == DiagramBlock::Type::Region)
            order.push_back(b.index);
    }
    return order;
}

} // namespace carveout::ui
