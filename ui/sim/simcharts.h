// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "sim/metricsmodel.h"

// Qt
#include <QWidget>

// std
#include <array>
#include <vector>

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace carveout::ui {

/** Utilisation, largest free block, fragmentation and failures of one pool over time (Qt
 *  Charts): the metrics model's rows played so far, the time cursor as a vertical line, the
 *  time axis following the heatmap's window. Series are replaced in one call (a model mapper
 *  inserts point by point: 300 ms for 512 samples, too slow for a drag). */
class SimCharts : public QWidget
{
    Q_OBJECT
public:
    enum Metric { Utilisation, LargestFree, Fragmentation, Failures, MetricCount };

    explicit SimCharts(QWidget* parent = nullptr);

    /** A new run of the pool; `failureOps` (sorted) are its failed or fallen-back operations, so
     *  the failures chart counts a failure as soon as the cursor is past it, as the heatmap
     *  marks it, not only once its whole time bucket is played. */
    void setRun(const sim::PoolRun& run, uint64_t poolSize, std::vector<uint64_t> failureOps = {});
    void setCursor(uint64_t position);
    void setTimeWindow(double t0, double t1);

    MetricsModel* model() const { return m_model; }
    QLineSeries* series(Metric m) const { return m_series[size_t(m)]; }
    QLineSeries* cursorLine(Metric m) const { return m_cursor[size_t(m)]; }
    QChart* chart(Metric m) const { return m_charts[size_t(m)]; }
    QValueAxis* timeAxis(Metric m) const { return m_x[size_t(m)]; }
    QValueAxis* valueAxis(Metric m) const { return m_y[size_t(m)]; }

private:
    void updateCursor();

    MetricsModel* m_model = nullptr;
    std::array<QChart*, MetricCount> m_charts {};
    std::array<QLineSeries*, MetricCount> m_series {};
    std::array<QLineSeries*, MetricCount> m_cursor {};
    std::array<QValueAxis*, MetricCount> m_x {};
    std::array<QValueAxis*, MetricCount> m_y {};
    std::vector<uint64_t> m_failureOps;
    uint64_t m_position = 0;
    int m_rowsShown = -1;
    uint64_t m_partialShown = UINT64_MAX; ///< the position the failures' partial bucket was drawn for
};

} // namespace carveout::ui
