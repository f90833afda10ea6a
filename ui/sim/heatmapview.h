// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/timeline.h"
#include "sim/workload.h"

// ui
#include "controlledview.h"
#include "sim/heatmapgeometry.h"

// Qt
#include <QImage>
#include <QWidget>

// std
#include <memory>
#include <utility>

namespace carveout::ui {

class HeatmapController;

/** 1, 2 or 5 times a power of ten: the first step giving at most `count` ticks over `span`
 *  (the heatmap's and the charts' time axes). */
double niceStep(double span, int count);

/** One pool's heatmap: time (operations) to the right, the address within the pool upward,
 *  each cell coloured by how much of it buffers covered or by the device covering most of it.
 *  Failed allocations are marked at their operation, with the largest free block of that
 *  moment outlined. Operations at or after the time cursor (the player's position) are not
 *  played yet and are veiled. The cells are computed for the window shown at the widget's
 *  resolution, so zooming in on either axis shows single operations and single pages. The widget
 *  paints from its HeatmapGeometry and passes mouse and keys to a HeatmapController, whose
 *  requests it applies (view changes) or emits (cursor moves). */
class HeatmapView : public ControlledView
{
    Q_OBJECT
public:
    enum class Colour { Occupancy, Device };

    explicit HeatmapView(QWidget* parent = nullptr);

    /** A new run; keeps the window when the time axis is the same length. */
    void setTimeline(sim::PoolTimeline timeline, std::shared_ptr<const sim::Workload> workload, const QString& title);
    const sim::PoolTimeline& timeline() const { return m_timeline; }
    void setColour(Colour c);
    Colour colour() const { return m_colour; }
    /** The time cursor: operations [0, position) are played. */
    void setCursor(uint64_t position);
    uint64_t cursor() const { return m_geometry.cursor(); }

    // The window shown, and its geometry (tested); see HeatmapGeometry.
    const HeatmapGeometry& heatmapGeometry() const;
    double t0() const { return heatmapGeometry().t0(); }
    double t1() const { return heatmapGeometry().t1(); }
    double a0() const { return heatmapGeometry().a0(); }
    double a1() const { return heatmapGeometry().a1(); }
    void setWindow(double t0, double t1, double a0, double a1);
    void resetView();
    void zoomTime(double factor, double aroundX);
    void zoomAddress(double factor, double aroundY);
    /** Moves the window by a drag of (dx, dy) pixels. */
    void pan(double dx, double dy);
    QRect plotRect() const { return heatmapGeometry().plotRect(); }
    double xAtTime(double t) const { return heatmapGeometry().xAtTime(t); }
    double timeAtX(double x) const { return heatmapGeometry().timeAtX(x); }
    double yAtOffset(double offset) const { return heatmapGeometry().yAtOffset(offset); }
    double offsetAtY(double y) const { return heatmapGeometry().offsetAtY(y); }
    /** Where failure `i` is drawn: its column, and the largest free block's band (or the
     *  marker at the top when the pool was full). */
    QRectF failureRect(int i) const { return heatmapGeometry().failureRect(m_timeline.failures[size_t(i)]); }
    HeatmapController* controller() const { return m_controller; }
    /** The tooltip for a point: the buffer, a failure, or the free space under it. */
    QString toolTipAt(const QPoint& p) const;
    /** The cells as painted (for tests and exports). */
    const sim::Heatmap& cells();
    /** The widget as it is now, for the PNG export. */
    QImage toImage();

signals:
    /** A click asks to move the time cursor (the player follows). */
    void cursorRequested(uint64_t position);
    /** The time window changed (the charts follow). */
    void timeWindowChanged(double t0, double t1);

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void beforeInput() override { heatmapGeometry(); } // the geometry is laid out lazily

private:
    /** Applies a change of the window: clamped, cells recomputed, the charts told. */
    void windowChanged();
    /** The axes, the phase band and the device legend around the plot `r`. */
    void paintAxes(QPainter& p, const QRect& r) const;
    void rebuildImage();
    QColor deviceColour(int device) const;
    QString bufferText(const sim::Lifetime& l) const;
    /** The buffer's name and its device's, as the workload gives them. */
    std::pair<QString, QString> names(uint32_t buffer, int device) const;

    sim::PoolTimeline m_timeline;
    std::shared_ptr<const sim::Workload> m_workload;
    QString m_title;
    struct Phase
    {
        uint64_t from, to;
        QString name;
    };
    std::vector<Phase> m_phases;
    Colour m_colour = Colour::Occupancy;
    // Follows the widget's size at every use: a widget that is not shown gets no resize event.
    mutable HeatmapGeometry m_geometry;
    HeatmapController* m_controller = nullptr;
    HeatmapGeometry m_panFrom; ///< the window when the pan began
    sim::Heatmap m_cells;
    QImage m_image;
    bool m_dirty = true;
};

} // namespace carveout::ui
