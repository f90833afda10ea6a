// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"

// std
#include <cstdint>
#include <vector>

namespace carveout::ui {

/** Maps physical addresses to pixels along the address map, and back. The address space is cut
 *  into segments (memory banks and whatever lies outside them); each segment is linear, and the
 *  gaps between segments are collapsed to a fixed width with a break mark. Zoom and pan act on
 *  top of that. No widget is needed: the map and the tests use the same object. */
class AddressScale
{
public:
    struct Segment
    {
        uint64_t base = 0;
        uint64_t end = 0; ///< exclusive
        double x0 = 0; ///< content coordinates at zoom 1
        double x1 = 0;
    };
    struct Tick
    {
        double x = 0; ///< pixel
        uint64_t address = 0;
        bool major = false;
    };

    /** Segments cover `ranges` (merged when they touch or overlap); `width` is the pixel width at
     *  zoom 1, `gap` the width of a collapsed gap. Segments share the width by their size, but
     *  never less than `minSegment` pixels, so a small bank stays visible. */
    void setRanges(std::vector<AddrRange> ranges, double width, double gap = 24, double minSegment = 60);
    const std::vector<Segment>& segments() const { return m_segments; }

    double toPixel(uint64_t address) const;
    /** The address under a pixel, or the nearest segment edge in a gap. */
    uint64_t toAddress(double pixel) const;
    /** Bytes per pixel at `pixel` (for snapping and hit slop). */
    double bytesPerPixel(double pixel) const;

    double zoom() const { return m_zoom; }
    double offset() const { return m_offset; }
    double width() const { return m_width; }
    void setView(double zoom, double offset);
    /** Zooms by `factor` keeping the address under `pixel` in place. */
    void zoomAround(double pixel, double factor);
    void pan(double pixels);
    void fit();
    /** Zooms so that [base, end) fills the width, with a margin. */
    void zoomTo(uint64_t base, uint64_t end);

    /** Tick marks at a power-of-two step chosen so labels are at least `minSpacing` apart. */
    std::vector<Tick> ticks(double minSpacing = 90) const;
    /** Pixel positions of the collapsed gaps (for break marks). */
    std::vector<double> breaks() const;

private:
    double contentToPixel(double c) const { return (c - m_offset) * m_zoom; }
    double pixelToContent(double p) const { return p / m_zoom + m_offset; }
    void clampView();

    std::vector<Segment> m_segments;
    double m_width = 1000;
    double m_gap = 24;
    double m_zoom = 1;
    double m_offset = 0;
};

} // namespace carveout::ui
