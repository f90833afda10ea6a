// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "capture/compare.h"
#include "model/layout.h"

// ui
#include "addressscale.h"

// Qt
#include <QPointF>
#include <QRectF>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout::ui {

/** What the map shows: an analysis (shared, not copied: the layout and what the boot made of
 *  each region) and the findings per region. */
struct MapData
{
    AnalysisPtr analysis = std::make_shared<const Analysis>();
    std::vector<int> errors; ///< per region
    std::vector<int> warnings; ///< per region
    uint64_t cmaAlignment = 0x200000;
    uint64_t pageSize = 4096;
    /// What an imported capture shows, compared with this analysis (null: no capture).
    std::shared_ptr<const capture::CompareResult> compare;
    QString captureFile; ///< the capture's file, for the evidence's file:line
    /// More ranges the scale covers: the Compare window gives each of its maps the other's, so
    /// both cut the address space into the same segments (one address, one x on both).
    std::vector<AddrRange> alsoCover;

    /** What the map shows of an analysis: its verdicts, finding counts and snapping steps. */
    static MapData of(const AnalysisPtr& a);
    const Layout& layout() const { return analysis->layout; }
    int regionCount() const { return int(layout().regions.size()); }
    const Region& region(int i) const { return layout().regions[size_t(i)]; }
    Outcome outcome(int i) const { return analysis->place(i).outcome; }
    /** Where the region sits after boot; empty when the kernel does not place it. */
    std::optional<uint64_t> placedBase(int i) const { return analysis->place(i).base; }
    /** Its size after boot (0 when unknown). */
    uint64_t placedSize(int i) const { return analysis->place(i).size; }
    /** placedBase + placedSize, saturated at 2^64 (0 when not placed). */
    uint64_t placedEnd(int i) const;
    /** The RAM drawn: the profile's memory when it replaces the tree's (--memory), else the banks;
     *  sorted, those that touch or overlap merged into one range. */
    std::vector<AddrRange> ram() const;
};

/** Something the capture lane shows: a reservation no region explains, or the kernel's own. */
struct CaptureMark
{
    enum Kind { Unexplained, Kernel } kind = Unexplained;
    int index = -1; ///< into CompareResult::unexplained or ::kernelReservations
    AddrRange range;
};

/** Where the user grabs a region. */
enum class MapHandle { None, Body, LeftEdge, RightEdge };

/** What lies under a point of the map. */
struct MapHit
{
    int region = -1; ///< -1: background
    MapHandle handle = MapHandle::None;
    bool movable = false; ///< a fixed region (a dynamic one is placed by the kernel)
};

/** A region's range, [base, base + size). */
struct MapSpan
{
    uint64_t base = 0;
    uint64_t size = 0;
    bool operator==(const MapSpan& o) const { return base == o.base && size == o.size; }
    bool operator!=(const MapSpan& o) const { return !(*this == o); }
};

/** The geometry of the address map, without a widget: the address scale, the lanes that keep
 *  overlapping regions apart, where each region is drawn, what lies under a point, and where
 *  a drag or a nudge puts a region (snapped to what the kernel needs). Coordinates are the
 *  widget's pixels; the scale's run from the left margin. */
class MapGeometry
{
public:
    static constexpr int kRulerHeight = 34;
    static constexpr int kBankHeight = 18;
    static constexpr int kLaneHeight = 38;
    static constexpr int kMargin = 8;
    static constexpr double kEdgeSlop = 5; ///< pixels either side of an edge that grab it
    /// With a capture, a region lane holds the predicted block on top and, under it, the strip
    /// where the capture shows the region (its outline): this many pixels of the lane's height.
    static constexpr double kActualHeight = 9;

    /** New data for a widget `width` pixels wide; keeps the view (zoom, pan) unless the memory
     *  map changed. The selection is kept (the window sets it again). */
    void setData(MapData data, int width);
    /** The widget's width changed. */
    void setWidth(int width);
    const MapData& data() const { return m_data; }
    int width() const { return m_width; }
    AddressScale& scale() { return m_scale; }
    const AddressScale& scale() const { return m_scale; }

    int selected() const { return m_selected; }
    void setSelected(int region) { m_selected = region; }

    /** Lane per region (-1: not drawn), lanes used, and the height they all need. */
    int lane(int region) const;
    int laneCount() const { return m_lanes; }
    int minimumHeight() const;
    /** Lane 0 is /memreserve/; regions are drawn from lane 1. */
    QRectF laneRect(int lane) const;
    /** Where a region is drawn (empty when it is not drawn). */
    QRectF regionRect(int region) const;
    /** The capture's comparison of a region (null without a capture or when it has none). */
    const capture::RegionComparison* comparison(int region) const;
    /** Where the capture puts a region: an outline in the strip under the predicted blocks of
     *  the region's lane (empty without a capture, or when the capture shows no placement). */
    QRectF actualRect(int region) const;
    /** Where the capture puts a region (its size, where the capture gives none, the predicted one). */
    std::optional<MapSpan> actualSpan(int region) const;
    /** The lane of the capture's own marks (after the region lanes), -1 without a capture. */
    int captureLane() const;
    const std::vector<CaptureMark>& captureMarks() const { return m_marks; }
    /** Where mark i is drawn in the capture lane. */
    QRectF captureRect(int mark) const;
    /** The capture mark under a point (the narrowest), or -1. */
    int captureMarkAt(const QPointF& p) const;
    /** The region whose actual outline lies under a point (the narrowest), or -1. */
    int actualAt(const QPointF& p) const;

    /** The region drawn under a point (the narrowest, edges grabbed within kEdgeSlop), or -1. */
    int regionAt(const QPointF& p) const;
    /** The handle of `region` at x (for a fixed region: an edge within kEdgeSlop, the left one
     *  only when the region is wide enough to leave room for the body). */
    MapHandle handleAt(int region, double x) const;
    /** The region under p and the handle there. */
    MapHit hitTest(const QPointF& p) const;
    /** Whether a region can be moved and resized (fixed, with a reg). */
    bool movable(int region) const;

    /** Snapping step for a region: the CMA minimum alignment for CMA, else the page size. */
    uint64_t snapFor(int region) const;
    /** Where a drag of `deltaBytes` on `handle` puts [base, base + size), on a grid of `step`
     *  (1: none): moves round the base to the grid; resizes round the dragged edge and keep
     *  at least one step; the base never goes below 0. */
    static MapSpan dragged(MapHandle handle, MapSpan from, int64_t deltaBytes, uint64_t step);
    /** The same for a drag of `dx` pixels that started at widget x `pressX`, snapped to
     *  snapFor(region) unless `snapping` is off. */
    MapSpan dragged(int region, MapHandle handle, MapSpan from, double pressX, double dx, bool snapping) const;
    /** One snapping step right (`grow`) or left: moved, or resized when `resize`; empty when
     *  the region cannot be nudged that way. */
    std::optional<MapSpan> nudged(int region, bool grow, bool resize) const;
    /** The placed span of a region (empty when it is not placed). */
    std::optional<MapSpan> span(int region) const;

private:
    void relayout();
    void packLanes();
    /** The columns of [base, end) in a lane, over the rows [top, bottom) of its rectangle. */
    QRectF spanRect(uint64_t base, uint64_t end, int lane, double top = 0, double bottom = 0) const;

    MapData m_data;
    AddressScale m_scale;
    int m_width = 0;
    std::vector<int> m_lane;
    std::vector<int> m_comparison; ///< per region: index into compare->regions, or -1
    std::vector<CaptureMark> m_marks;
    int m_lanes = 1;
    int m_selected = -1;
    std::vector<AddrRange> m_rangesKey; ///< the ranges the scale was built for
};

} // namespace carveout::ui
