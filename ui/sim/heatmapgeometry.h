// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/timeline.h"

// Qt
#include <QPoint>
#include <QRect>
#include <QRectF>
#include <QSize>

// std
#include <cstdint>
#include <optional>

namespace carveout::ui {

/** What lies under a point of the heatmap. */
struct HeatmapHit
{
    enum class Kind { None, Failure, Buffer, Free, NotPlayed };
    Kind kind = Kind::None;
    int index = -1; ///< the failure (Failure) or the lifetime (Buffer)
    uint64_t op = 0; ///< the operation under the point
    uint64_t address = 0; ///< the physical address under the point (Buffer, Free)
};

/** The heatmap's geometry, without a widget: the window shown (operations [t0, t1) to the right,
 *  pool offsets [a0, a1) upward), the plot inside the widget's margins, the time cursor, and
 *  what lies under a point. The window never leaves the run or the pool and is at least a few
 *  operations and a few pages wide. Coordinates are the widget's pixels. */
class HeatmapGeometry
{
public:
    static constexpr int kLeft = 92, kRight = 12, kTop = 24, kBottom = 40;

    /** The widget's size (the plot is what the margins leave). */
    void setSize(QSize size) { m_size = size; }
    QSize size() const { return m_size; }
    /** The run's length and the pool's size and base: what the window is clamped to. */
    void setExtent(uint64_t opCount, uint64_t poolSize, uint64_t poolBase);
    uint64_t opCount() const { return m_opCount; }
    uint64_t poolSize() const { return m_poolSize; }
    /** The time cursor: operations [0, cursor) are played. */
    void setCursor(uint64_t position) { m_cursor = position; }
    uint64_t cursor() const { return m_cursor; }

    double t0() const { return m_t0; }
    double t1() const { return m_t1; }
    double a0() const { return m_a0; }
    double a1() const { return m_a1; }
    /** Each of these clamps the window. */
    void setWindow(double t0, double t1, double a0, double a1);
    void resetView();
    void zoomTime(double factor, double aroundX);
    void zoomAddress(double factor, double aroundY);
    /** Moves the window by a drag of (dx, dy) pixels (the content follows the mouse). */
    void pan(double dx, double dy);
    /** Clamps the window to the extent (after setExtent). */
    void clamp();

    QRect plotRect() const;
    double xAtTime(double t) const;
    double timeAtX(double x) const;
    double yAtOffset(double offset) const;
    double offsetAtY(double y) const;
    /** Where a failure is drawn: its column (at least 5 pixels wide), and the largest free
     *  block's band (at least 3 high), or a marker at the top when the pool was full. */
    QRectF failureRect(const sim::FailureMark& f) const;
    /** What lies under `p`: a played failure (its column, or the marker strip above the plot),
     *  else a buffer, free space, or the not yet played future. */
    HeatmapHit hitTest(const sim::PoolTimeline& timeline, const QPoint& p) const;
    /** The cursor a click at `p` asks for: just after the operation under it; empty outside
     *  the plot. */
    std::optional<uint64_t> seekAt(const QPointF& p) const;

private:
    QSize m_size;
    uint64_t m_opCount = 0;
    uint64_t m_poolSize = 0;
    uint64_t m_poolBase = 0;
    uint64_t m_cursor = 0;
    double m_t0 = 0, m_t1 = 1, m_a0 = 0, m_a1 = 1;
};

} // namespace carveout::ui
