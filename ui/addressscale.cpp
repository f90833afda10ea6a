// SPDX-License-Identifier: GPL-2.0-only
#include "addressscale.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

void AddressScale::setRanges(std::vector<AddrRange> ranges, double width, double gap, double minSegment)
{
    m_width = std::max(1.0, width);
    m_gap = gap;
    m_segments.clear();
    ranges.erase(
        std::remove_if(ranges.begin(), ranges.end(), [](const AddrRange& r) { return r.size == 0; }), ranges.end());
    if (ranges.empty())
        ranges.push_back({ 0, 0x1000 });
    std::sort(ranges.begin(), ranges.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    std::vector<AddrRange> merged;
    for (const auto& r : ranges) {
        if (!merged.empty() && r.base <= merged.back().end())
            merged.back().size = std::max(merged.back().end(), r.end()) - merged.back().base;
        else
            merged.push_back(r);
    }
    long double total = 0;
    for (const auto& r : merged)
        total += (long double)(r.end() - r.base);
    const double usable = std::max(1.0, m_width - gap * double(merged.size() - 1));
    // Share the width by size, then lift small segments to the minimum and shrink the others.
    std::vector<double> widths;
    double lifted = 0, rest = 0;
    for (const auto& r : merged) {
        const double w = double((long double)(r.end() - r.base) / total) * usable;
        widths.push_back(w);
        if (w < minSegment)
            lifted += minSegment - w;
        else
            rest += w;
    }
    double x = 0;
    for (size_t i = 0; i < merged.size(); ++i) {
        double w = widths[i];
        if (w < minSegment)
            w = std::min(minSegment, usable / double(merged.size()));
        else if (rest > 0)
            w -= lifted * (w / rest);
        m_segments.push_back({ merged[i].base, merged[i].end(), x, x + std::max(1.0, w) });
        x += std::max(1.0, w) + gap;
    }
    fit();
}

double AddressScale::toPixel(uint64_t address) const
{
    const Segment* best = &m_segments.front();
    for (const auto& s : m_segments) {
        if (address >= s.base)
            best = &s;
    }
    const Segment& s = *best;
    double c;
    if (address <= s.base)
        c = s.x0;
    else if (address >= s.end)
        c = s.x1; // a region that ends with the bank ends at its edge
    else
        c = s.x0 + (s.x1 - s.x0) * double((long double)(address - s.base) / (long double)(s.end - s.base));
    return contentToPixel(c);
}

uint64_t AddressScale::toAddress(double pixel) const
{
    const double c = pixelToContent(pixel);
    for (const auto& s : m_segments) {
        if (c < s.x0)
            return s.base;
        if (c <= s.x1) {
            const long double f = (long double)(c - s.x0) / (long double)(s.x1 - s.x0);
            return s.base + uint64_t(f * (long double)(s.end - s.base));
        }
    }
    return m_segments.back().end;
}

double AddressScale::bytesPerPixel(double pixel) const
{
    const double c = pixelToContent(pixel);
    const Segment* s = &m_segments.front();
    for (const auto& seg : m_segments) {
        if (c >= seg.x0)
            s = &seg;
    }
    return double(s->end - s->base) / ((s->x1 - s->x0) * m_zoom);
}

void AddressScale::setView(double zoom, double offset)
{
    m_zoom = zoom;
    m_offset = offset;
    clampView();
}

void AddressScale::zoomAround(double pixel, double factor)
{
    const double c = pixelToContent(pixel);
    m_zoom *= factor;
    clampView();
    m_offset = c - pixel / m_zoom;
    clampView();
}

void AddressScale::pan(double pixels)
{
    m_offset += pixels / m_zoom;
    clampView();
}

void AddressScale::fit()
{
    m_zoom = 1;
    m_offset = 0;
}

void AddressScale::zoomTo(uint64_t base, uint64_t end)
{
    fit();
    const double a = toPixel(base), b = toPixel(std::max(end, base + 1));
    const double span = std::max(1e-6, b - a);
    m_zoom = std::clamp(m_width / (span * 1.2), 1.0, 1e12);
    m_offset = (a + b) / 2 - m_width / (2 * m_zoom);
    clampView();
}

void AddressScale::clampView()
{
    m_zoom = std::clamp(m_zoom, 1.0, 1e12);
    const double visible = m_width / m_zoom;
    const double content = m_segments.empty() ? m_width : m_segments.back().x1;
    m_offset = std::clamp(m_offset, 0.0, std::max(0.0, content - visible));
}

std::vector<AddressScale::Tick> AddressScale::ticks(double minSpacing) const
{
    std::vector<Tick> out;
    for (const auto& s : m_segments) {
        const double p0 = contentToPixel(s.x0), p1 = contentToPixel(s.x1);
        if (p1 < 0 || p0 > m_width || p1 - p0 < 1)
            continue;
        const double bpp = double(s.end - s.base) / (p1 - p0);
        // The smallest power of two of bytes that keeps labels apart.
        uint64_t step = 1;
        while (double(step) < bpp * minSpacing && step < (uint64_t(1) << 62))
            step <<= 1;
        uint64_t a = (s.base + step - 1) & ~(step - 1);
        if (a < s.base) // overflow near 2^64
            continue;
        // Start at the first tick in view.
        const uint64_t first = toAddress(std::max(0.0, p0));
        if (first > a)
            a = (first + step - 1) & ~(step - 1);
        for (int n = 0; a < s.end && n < 1000; ++n, a += step) {
            const double x = toPixel(a);
            if (x > m_width)
                break;
            out.push_back({ x, a, (a & (step * 4 - 1)) == 0 });
            if (a + step < a)
                break;
        }
    }
    return out;
}

std::vector<double> AddressScale::breaks() const
{
    std::vector<double> out;
    for (size_t i = 1; i < m_segments.size(); ++i)
        out.push_back(contentToPixel((m_segments[i - 1].x1 + m_segments[i].x0) / 2));
    return out;
}

} // namespace carveout::ui
