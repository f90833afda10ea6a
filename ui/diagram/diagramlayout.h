// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapgeometry.h"

// Qt
#include <QFont>
#include <QRectF>
#include <QSizeF>
#include <QStringList>

// std
#include <cstdint>
#include <vector>

namespace carveout::ui {

/** One block of the memory-map diagram. */
struct DiagramBlock
{
    enum class Type {
        Region, ///< a reserved-memory region (index: Layout::regions)
        MemReserve, ///< a /memreserve/ entry (index: Layout::memreserve)
        Free, ///< RAM no block covers (index -1)
        Header ///< a RAM bank's title row, or "outside RAM" / "not placed" (index: RAM range or -1)
    };
    Type type = Type::Region;
    int index = -1;
    uint64_t base = 0, end = 0; ///< [base, end); a Header's range (0, 0 for "not placed")
    bool placed = true; ///< false: a region the kernel does not place (no address)
    QRectF rect; ///< where it is drawn, in the diagram's coordinates
    QRectF textRect; ///< where its lines go: one per QFontMetrics::lineSpacing() from the top
    QStringList lines;
    int lane = 0, lanes = 1; ///< side by side sub-columns of overlapping blocks
};

/** An address written beside a block's edge, in the left gutter. */
struct DiagramLabel
{
    QRectF rect;
    QString text;
    uint64_t address = 0;
    bool atTop = true; ///< a band's top edge (else the bottom one of a band nothing follows)
                       ///< (the label is centred on the edge either way)
};

/** The geometry of the memory-map diagram, without a widget: what SoC reference manuals draw, a
 *  column of stacked blocks in address order. Each RAM bank opens with a title row (regions
 *  outside RAM go under an "outside RAM" row); regions and /memreserve/ entries are blocks at
 *  least as tall as their text and taller for bigger ranges on a log scale (within limits);
 *  the RAM between them is one "free" block per gap, with its size. Regions that overlap go
 *  side by side in sub-columns of one band: each keeps its full text (an overlap marker would
 *  cover one of them), and the band's edges still read as addresses. Blocks never get narrower
 *  than their text: the layout grows wider than asked instead (the view scrolls). Regions the
 *  kernel does not place come last, under "not placed". Coordinates start at (0, 0). */
class DiagramLayout
{
public:
    /** How much each block says (the view's zoom). */
    enum class Detail { Compact, Normal, Full };
    static constexpr int kMargin = 8;
    static constexpr int kPad = 4; ///< between a block's edge and its text
    static constexpr int kBadge = 16; ///< the finding badge's square, at a block's top right
    static constexpr int kMaxExtra = 48; ///< most extra height a big range gets
    static constexpr int kBreak = 14; ///< least gap between bands whose addresses do not meet

    /** Lays out `data` for `width` pixels in `font` (the layout may come out wider). */
    void setData(const MapData& data, const QFont& font, int width, Detail detail);
    const MapData& data() const { return m_data; }
    Detail detail() const { return m_detail; }
    const QFont& font() const { return m_font; }

    const std::vector<DiagramBlock>& blocks() const { return m_blocks; }
    const std::vector<DiagramLabel>& labels() const { return m_labels; }
    /** The y of each break: a hole in the address space between two bands (outside RAM). */
    const std::vector<double>& breaks() const { return m_breaks; }
    /** The whole diagram's size (at least the width asked for). */
    QSizeF size() const { return m_size; }

    /** The block under a point (-1: none; headers included). */
    int blockAt(const QPointF& p) const;
    /** The region under a point, or -1. */
    int regionAt(const QPointF& p) const;
    /** The block of a region, or -1. */
    int blockOfRegion(int region) const;
    /** The regions in the order the diagram shows them (Up/Down walk it). */
    std::vector<int> regionOrder() const;
    /** Errors + warnings of a region (its badge's number; 0: no badge). */
    int findings(int region) const;

    /** The lines a region's block says at `detail`, name first (no line wider than its block). */
    static QStringList regionLines(const MapData& d, int region, Detail detail);

private:
    struct Span
    {
        DiagramBlock::Type type;
        int index;
        uint64_t base, end;
    };
    /** The sub-column of each span of a cluster (sorted by base). */
    static std::vector<int> lanesOf(const std::vector<Span>& spans);
    void addBlock(DiagramBlock b, double top, double height);
    void layoutCluster(const std::vector<Span>& spans, double* y);
    DiagramBlock makeBlock(const Span& s) const;
    /** The height a block needs: its text, plus the log-scaled extra for its range. */
    double blockHeight(const DiagramBlock& b) const;
    double textWidth(const DiagramBlock& b) const;
    void addHeader(const QString& text, uint64_t base, uint64_t end, int index, double* y);
    void addFree(uint64_t base, uint64_t end, double* y);
    void addEdgeLabel(uint64_t address, double y, bool top);

    MapData m_data;
    QFont m_font;
    Detail m_detail = Detail::Normal;
    double m_left = 0, m_right = 0; ///< the blocks' column
    double m_lineSpacing = 0;
    std::vector<DiagramBlock> m_blocks;
    std::vector<DiagramLabel> m_labels;
    std::vector<double> m_breaks;
    QSizeF m_size;
};

} // namespace carveout::ui
