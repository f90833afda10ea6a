// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/timeline.h"
#include "sim/workload.h"

// Qt
#include <QImage>
#include <QWidget>

// std
#include <memory>
#include <utility>

namespace carveout::ui {

/** 1, 2 or 5 times a power of ten: the first step giving at most `count` ticks over `span`
 *  (the heatmap's and the charts' time axes). */
double niceStep(double span, int count);

/** One pool's heatmap: time (operations) to the right, the address within the pool upward,
 *  each cell coloured by how much of it buffers covered or by the device covering most of it.
 *  Failed allocations are marked at their operation, with the largest free block of that
 *  moment outlined. Operations at or after the time cursor (the player's position) are not
 *  played yet and are veiled. The cells are computed for the window shown at the widget's
 *  resolution, so zooming in on either axis shows single operations and single pages. */
class HeatmapView : public QWidget
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
    uint64_t cursor() const { return m_cursor; }

    // The window shown, and its geometry (tested).
    double t0() const { return m_t0; }
    double t1() const { return m_t1; }
    double a0() const { return m_a0; }
    double a1() const { return m_a1; }
    void setWindow(double t0, double t1, double a0, double a1);
    void resetView();
    void zoomTime(double factor, double aroundX);
    void zoomAddress(double factor, double aroundY);
    /** Moves the window by a drag of (dx, dy) pixels. */
    void pan(double dx, double dy);
    QRect plotRect() const;
    double xAtTime(double t) const;
    double timeAtX(double x) const;
    double yAtOffset(double offset) const;
    double offsetAtY(double y) const;
    /** Where failure `i` is drawn: its column, and the largest free block's band (or the
     *  marker at the top when the pool was full). */
    QRectF failureRect(int i) const;
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
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void mouseDoubleClickEvent(QMouseEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void keyPressEvent(QKeyEvent*) override;

private:
    void clampWindow();
    void windowChanged();
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
    uint64_t m_cursor = 0;
    double m_t0 = 0, m_t1 = 1, m_a0 = 0, m_a1 = 1;
    sim::Heatmap m_cells;
    QImage m_image;
    bool m_dirty = true;
    QPoint m_pressPos;
    double m_pressWindow[4] = {};
    bool m_panning = false;
};

} // namespace carveout::ui
