// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "capture/compare.h"
#include "model/layout.h"

// ui
#include "addressscale.h"

// Qt
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QStringList>

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
    /** The RAM drawn: the profile's memory when it replaces the tree's (--memory, an EFI map), else the banks;
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

/** A region's label: inside its block (name, and size and base when the block has the room), or
 *  in a label row above or below the lanes, joined to the block by a leader line. */
struct MapLabel
{
    int region = -1;
    QStringList lines; ///< what is written, one line each
    QRectF rect; ///< where the text goes
    bool inside = true;
    QPointF leaderFrom, leaderTo; ///< outside labels: from the block's edge to the label's
};

/** A piece of the bank band: RAM or addresses no bank covers. */
struct BandPiece
{
    QRectF rect;
    bool ram = false;
    uint64_t base = 0, end = 0; ///< the addresses it covers
};

/** One label of the bank band for a run of pieces of one kind (RAM, outside RAM) that follow
 *  one another across the collapsed gaps: said once, not on every segment. */
struct BandLabel
{
    QRectF rect; ///< the run's extent
    bool ram = false;
    uint64_t bytes = 0; ///< the run's RAM
    QString text;
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
    /// Narrower blocks are drawn this wide, centred on their place, with the enlarged mark.
    static constexpr double kMinRegionWidth = 5;
    /// Lanes grow to fill the widget's height, up to this.
    static constexpr int kMaxLaneHeight = 110;
    /// How far an outside label may move sideways from its block before a farther row is tried.
    static constexpr double kMaxLabelShift = 260;
    static constexpr double kLabelSpacing = 8; ///< between two labels of a row
    /// Label rows above and below together: a board with more labels than they hold names the
    /// rest in tooltips (and at a closer zoom), rather than taking the window's height.
    static constexpr int kMaxLabelRows = 10;

    /** New data for a widget `width` pixels wide; keeps the view (zoom, pan) unless the memory
     *  map changed. The selection is kept (the window sets it again). */
    void setData(MapData data, int width);
    /** The widget's width changed. */
    void setWidth(int width);
    /** The widget's height: lanes grow to fill it; label rows are dropped when it is too low. */
    void setHeight(int height);
    int height() const { return m_height; }
    /** The font labels are measured in (the widget's). */
    void setFont(const QFont& font);
    const QFont& font() const { return m_font; }
    const MapData& data() const { return m_data; }
    int width() const { return m_width; }
    AddressScale& scale() { return m_scale; }
    const AddressScale& scale() const { return m_scale; }

    int selected() const { return m_selected; }
    void setSelected(int region) { m_selected = region; }

    /** Lane per region (-1: not drawn), lanes used, and the height they all need. */
    int lane(int region) const;
    int laneCount() const { return m_lanes; }
    /** The height that shows every label at the current view with lanes at their least. */
    int minimumHeight() const;
    /** The height at which every outside label has its row (the widget's size hint). */
    int preferredHeight() const;
    /** The height of a region lane now (it grows with the widget). */
    double laneHeight() const;
    /** Lane 0 is /memreserve/; regions are drawn from lane 1. */
    QRectF laneRect(int lane) const;
    /** Where a region is drawn (empty when it is not drawn): at least kMinRegionWidth wide. */
    QRectF regionRect(int region) const;
    /** Whether the region is drawn wider than to scale (enlarged()), at the current zoom. */
    bool enlarged(int region) const;
    /** Every drawn region's label at the current view, none overlapping another: inside its
     *  block when the name fits, else in a label row with a leader; a region whose label finds
     *  no room (a too low widget) has none. */
    const std::vector<MapLabel>& labels() const;
    /** The label of a region, or null. */
    const MapLabel* labelOf(int region) const;
    /** The region whose outside label lies under a point, or -1. */
    int labelAt(const QPointF& p) const;
    /** Label rows above and below the lanes at the current view. */
    int labelRowsAbove() const;
    int labelRowsBelow() const;
    /** The bank band: its pieces (each part of a segment as what it is) and one label per run. */
    std::vector<BandPiece> bandPieces() const;
    std::vector<BandLabel> bandLabels() const;
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
    /** The lane of the bootloader's placements (after the region lanes and the capture lane),
     *  -1 when the profile has none. */
    int bootLane() const;
    /** Where placement k of the profile's loads is drawn in the boot lane. */
    QRectF loadRect(int k) const;
    /** The placement under a point (the narrowest), or -1. */
    int loadAt(const QPointF& p) const;
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
    /** The labels and the vertical layout for the current view, when it changed. */
    void ensureLabels() const;
    /** Lays the outside labels of `order` into rows (at most `maxRows` in all); the rows used. */
    void placeOutside(const std::vector<MapLabel*>& order, int maxRows, int* above, int* below) const;
    /** Height of the fixed parts: ruler, band, /memreserve/ lane, capture lane, margins. */
    double fixedHeight() const;
    double rowHeight() const;
    /** x extent of a region's block (enlarged to kMinRegionWidth); empty optional when not drawn. */
    std::optional<std::pair<double, double>> blockX(int region) const;
    /** The columns of [base, end) in a lane, over the rows [top, bottom) of its rectangle; `enlarge`:
     *  at least kMinRegionWidth wide, centred, as regionRect() draws a block. */
    QRectF spanRect(
        uint64_t base, uint64_t end, int lane, double top = 0, double bottom = 0, bool enlarge = false) const;

    MapData m_data;
    AddressScale m_scale;
    int m_width = 0;
    std::vector<int> m_lane;
    std::vector<int> m_comparison; ///< per region: index into compare->regions, or -1
    std::vector<CaptureMark> m_marks;
    int m_lanes = 1;
    int m_selected = -1;
    int m_height = 0;
    QFont m_font;
    unsigned m_generation = 0; ///< bumped by every relayout
    /// The label layout and the view it was made for.
    struct LabelCache
    {
        double zoom = -1, offset = 0;
        int width = -1, height = -1;
        unsigned generation = ~0u;
        std::vector<MapLabel> labels;
        std::vector<int> byRegion; ///< index into labels, or -1
        int above = 0, below = 0; ///< rows used
        int neededRows = 0; ///< rows the labels would use with no height limit
        double laneHeight = kLaneHeight;
    };
    mutable LabelCache m_cache;
    mutable std::vector<double> m_nameWidths; ///< per region: its label's text width
    mutable std::vector<QString> m_labelNames; ///< per region: its label (unit address dropped when the name is unique)
    mutable unsigned m_widthsGeneration = ~0u;
    std::vector<AddrRange> m_rangesKey; ///< the ranges the scale was built for
};

} // namespace carveout::ui
