// SPDX-License-Identifier: GPL-2.0-only
#include "sim/simcharts.h"

// ui
#include "mapstyle.h"
#include "sim/heatmapview.h"

// Qt
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QGridLayout>
#include <QValueAxis>

// std
#include <algorithm>

namespace carveout::ui {

SimCharts::SimCharts(QWidget* parent)
    : QWidget(parent)
{
    m_model = new MetricsModel(this);
    auto* box = new QGridLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(0);
    setMinimumWidth(360);
    const QString titles[]
        = { tr("Utilisation (%)"), tr("Largest free block (MiB)"), tr("Fragmentation (%)"), tr("Failed allocations") };
    const QColor colours[] = { QColor(31, 119, 180), QColor(44, 160, 44), QColor(255, 127, 14), QColor(214, 39, 40) };
    for (int m = 0; m < MetricCount; ++m) {
        auto* chart = new QChart;
        // A white chart in a dark window glares and its dark cursor would vanish on a dark theme.
        if (style::isDark(palette()))
            chart->setTheme(QChart::ChartThemeDark);
        chart->setTitle(titles[m]);
        QFont f = chart->titleFont();
        f.setPointSizeF(f.pointSizeF() * 0.8);
        chart->setTitleFont(f);
        chart->legend()->hide();
        chart->setMargins(QMargins(2, 0, 2, 0));
        chart->setBackgroundRoundness(0);
        auto* series = new QLineSeries(chart);
        chart->addSeries(series);
        series->setColor(colours[m]); // after addSeries: the theme colours a series as it is added
        auto* cursor = new QLineSeries(chart);
        chart->addSeries(cursor);
        cursor->setColor(palette().color(QPalette::WindowText));
        auto* x = new QValueAxis(chart);
        x->setLabelFormat(QStringLiteral("%d"));
        x->setLabelsFont(f);
        auto* y = new QValueAxis(chart);
        y->setLabelsFont(f);
        y->setLabelFormat(QStringLiteral("%.0f"));
        y->setTickCount(3);
        x->setTickType(QValueAxis::TicksDynamic); // operation numbers at round steps (setTimeWindow)
        x->setTickAnchor(0);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        // The palette's text on its Base (after addAxis: the theme sets the axes' colours then).
        const QColor text = palette().color(QPalette::Text);
        chart->setBackgroundBrush(palette().color(QPalette::Base));
        chart->setTitleBrush(text);
        for (QValueAxis* a : { x, y })
            a->setLabelsColor(text);
        for (auto* s : { series, cursor }) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
        auto* view = new QChartView(chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(170, 90);
        view->setObjectName(QStringLiteral("chart%1").arg(m));
        box->addWidget(view, m / 2, m % 2);
        m_charts[size_t(m)] = chart;
        m_series[size_t(m)] = series;
        m_cursor[size_t(m)] = cursor;
        m_x[size_t(m)] = x;
        m_y[size_t(m)] = y;
    }
}

void SimCharts::setRun(const sim::PoolRun& run, uint64_t poolSize, std::vector<uint64_t> failureOps)
{
    m_model->setRun(run, poolSize);
    m_failureOps = std::move(failureOps);
    m_rowsShown = -1;
    m_partialShown = UINT64_MAX;
    uint32_t worst = 0;
    for (const auto& s : run.samples)
        worst = std::max(worst, s.failures);
    m_y[Utilisation]->setRange(0, 100);
    m_y[LargestFree]->setRange(0, std::max(1.0, double(poolSize) / double(1 << 20)));
    m_y[Fragmentation]->setRange(0, 100);
    m_y[Failures]->setRange(0, std::max<uint32_t>(worst, 2)); // whole-number ticks
    updateCursor();
}

void SimCharts::setCursor(uint64_t position)
{
    m_position = position;
    updateCursor();
}

void SimCharts::setTimeWindow(double t0, double t1)
{
    const double step = std::max(1.0, niceStep(t1 - t0, 4));
    for (auto* x : m_x) {
        x->setTickInterval(step);
        x->setRange(t0, t1);
    }
}

void SimCharts::updateCursor()
{
    static constexpr int columns[]
        = { MetricsModel::Utilisation, MetricsModel::LargestFree, MetricsModel::Fragmentation, MetricsModel::Failures };
    const int rows = m_model->rowsPlayed(m_position);
    // The bucket the cursor is inside: its failures so far are known exactly (the other metrics
    // are the state at the bucket's end, which the cursor has not reached yet).
    const uint64_t bucketStart = rows == 0 ? 0 : uint64_t(m_model->value(rows - 1, MetricsModel::Time));
    const auto failuresBefore = [this](uint64_t op) {
        return std::lower_bound(m_failureOps.begin(), m_failureOps.end(), op) - m_failureOps.begin();
    };
    const auto partial = rows < m_model->rowCount() && m_position > bucketStart
        ? failuresBefore(m_position) - failuresBefore(bucketStart)
        : 0;
    for (int m = 0; m < MetricCount; ++m) {
        const bool failures = m == Failures;
        if (rows != m_rowsShown || (failures && m_partialShown != m_position)) {
            QList<QPointF> points;
            points.reserve(rows + 1);
            for (int r = 0; r < rows; ++r)
                points.append(QPointF(m_model->value(r, MetricsModel::Time), m_model->value(r, columns[m])));
            if (failures && partial > 0)
                points.append(QPointF(double(m_position), double(partial)));
            m_series[size_t(m)]->replace(points);
        }
        const double x = double(m_position);
        m_cursor[size_t(m)]->replace(
            QList<QPointF> { QPointF(x, m_y[size_t(m)]->min()), QPointF(x, m_y[size_t(m)]->max()) });
    }
    m_rowsShown = rows;
    m_partialShown = m_position;
}

} // namespace carveout::ui
