// SPDX-License-Identifier: GPL-2.0-only
#include "sim/heatmapview.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// ui
#include "mapstyle.h"
#include "sim/heatmapcontroller.h"

// Qt
#include <QPainter>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

namespace {
constexpr int kLeft = HeatmapGeometry::kLeft, kRight = HeatmapGeometry::kRight, kTop = HeatmapGeometry::kTop,
              kBottom = HeatmapGeometry::kBottom;
constexpr int kMaxCells = 2048; // per axis: more is never visible

/** A power of two for address ticks, so they fall on sizes people think in. */
double pow2Step(double span, int count)
{
    const double raw = span / std::max(1, count);
    return std::exp2(std::ceil(std::log2(std::max(raw, 1.0))));
}

QColor occupancyColour(float v)
{
    // Light grey-blue (empty) through blue to a dark navy (full).
    const QColor empty(238, 241, 246), mid(86, 140, 214), full(18, 40, 96);
    const auto mix = [](const QColor& a, const QColor& b, double f) {
        return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
            float(a.greenF() + (b.greenF() - a.greenF()) * f), float(a.blueF() + (b.blueF() - a.blueF()) * f));
    };
    return v < 0.5f ? mix(empty, mid, double(v) * 2) : mix(mid, full, double(v - 0.5f) * 2);
}
} // namespace

double niceStep(double span, int count)
{
    const double raw = span / std::max(1, count);
    const double p = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-12))));
    for (double m : { 1.0, 2.0, 5.0, 10.0 })
        if (m * p >= raw)
            return m * p;
    return 10 * p;
}

HeatmapView::HeatmapView(QWidget* parent)
    : ControlledView(parent)
    , m_controller(new HeatmapController(m_geometry, this))
{
    setController(m_controller);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(320, 150);
    setObjectName(QStringLiteral("heatmap"));

    // Requests that change the view are applied here; a cursor move is the widget's signal.
    connect(m_controller, &HeatmapController::seekRequested, this, &HeatmapView::cursorRequested);
    connect(m_controller, &HeatmapController::toolTipRequested, this,
        [this](QPoint pos, QPoint globalPos) { showToolTipText(this, globalPos, toolTipAt(pos)); });
    connect(m_controller, &ViewController::fitRequested, this, &HeatmapView::resetView);
    connect(m_controller, &ViewController::panStarted, this, [this] { m_panFrom = heatmapGeometry(); });
    connect(m_controller, &ViewController::panRequested, this, [this](QPointF d) {
        m_geometry.setWindow(m_panFrom.t0(), m_panFrom.t1(), m_panFrom.a0(), m_panFrom.a1());
        pan(d.x(), d.y());
    });
    connect(m_controller, &ViewController::scrollRequested, this, [this](QPointF d) { pan(d.x(), d.y()); });
    connect(m_controller, &ViewController::zoomRequested, this, [this](QPointF at, double factor, Qt::Orientation o) {
        if (o == Qt::Vertical)
            zoomAddress(factor, at.y());
        else
            zoomTime(factor, at.x());
    });
}

const HeatmapGeometry& HeatmapView::heatmapGeometry() const
{
    m_geometry.setSize(size());
    return m_geometry;
}

void HeatmapView::setTimeline(
    sim::PoolTimeline timeline, std::shared_ptr<const sim::Workload> workload, const QString& title)
{
    // A resized pool (a drag in the address map) keeps the zoom: the time window stays, and the
    // address window stays unless it showed the whole pool, which it then still does.
    const bool sameTime = timeline.opCount == m_timeline.opCount;
    const bool wholePool = a0() <= 0 && a1() >= double(m_timeline.size);
    const bool sameSize = timeline.size == m_timeline.size;
    m_timeline = std::move(timeline);
    m_geometry.setExtent(m_timeline.opCount, m_timeline.size, m_timeline.base);
    m_workload = std::move(workload);
    m_title = title;
    m_phases.clear();
    if (m_workload) {
        const auto& ops = m_workload->ops;
        for (size_t i = 0; i < ops.size();) {
            size_t j = i;
            while (j < ops.size() && ops[j].phase == ops[i].phase)
                ++j;
            if (ops[i].phase != 0)
                m_phases.push_back({ i, j, m_workload->phases.value(int(ops[i].phase)) });
            i = j;
        }
    }
    if (!sameTime)
        resetView();
    else if (!sameSize && wholePool)
        setWindow(t0(), t1(), 0, double(std::max<uint64_t>(m_timeline.size, 1)));
    else
        windowChanged(); // clamped to the new size
    m_dirty = true;
    update();
}

void HeatmapView::setColour(Colour c)
{
    m_colour = c;
    m_dirty = true;
    update();
}

void HeatmapView::setCursor(uint64_t position)
{
    if (position == m_geometry.cursor())
        return;
    m_geometry.setCursor(position);
    update();
}

void HeatmapView::setWindow(double t0, double t1, double a0, double a1)
{
    m_geometry.setWindow(t0, t1, a0, a1);
    windowChanged();
}

void HeatmapView::resetView()
{
    m_geometry.resetView();
    windowChanged();
}

void HeatmapView::zoomTime(double factor, double aroundX)
{
    heatmapGeometry();
    m_geometry.zoomTime(factor, aroundX);
    windowChanged();
}

void HeatmapView::zoomAddress(double factor, double aroundY)
{
    heatmapGeometry();
    m_geometry.zoomAddress(factor, aroundY);
    windowChanged();
}

void HeatmapView::pan(double dx, double dy)
{
    heatmapGeometry();
    m_geometry.pan(dx, dy);
    windowChanged();
}

void HeatmapView::windowChanged()
{
    m_geometry.clamp();
    m_dirty = true;
    update();
    emit timeWindowChanged(t0(), t1());
}

const sim::Heatmap& HeatmapView::cells()
{
    if (m_dirty)
        rebuildImage();
    return m_cells;
}

void HeatmapView::rebuildImage()
{
    m_dirty = false;
    const QRect r = plotRect();
    sim::HeatWindow w;
    w.t0 = t0();
    w.t1 = t1();
    w.a0 = a0();
    w.a1 = a1();
    // One cell per device pixel: at a scale factor of 2 the picture is as sharp as the text.
    const double dpr = devicePixelRatioF();
    w.timeBins = std::clamp(int(std::lround(r.width() * dpr)), 1, kMaxCells);
    w.addressBins = std::clamp(int(std::lround(r.height() * dpr)), 1, kMaxCells);
    const int devices = m_workload ? int(m_workload->devices.size()) : 0;
    m_cells = sim::renderHeatmap(m_timeline, w, devices);
    m_image = QImage(w.timeBins, w.addressBins, QImage::Format_RGB32);
    for (int t = 0; t < w.timeBins; ++t) {
        for (int a = 0; a < w.addressBins; ++a) {
            const size_t cell = size_t(t) * size_t(w.addressBins) + size_t(a);
            const float v = m_cells.occupancy[cell];
            QColor c = occupancyColour(v);
            if (m_colour == Colour::Device && v > 0) {
                const QColor d = deviceColour(m_cells.device[cell]);
                const QColor e = occupancyColour(0);
                const double f = 0.25 + 0.75 * double(v); // a trace of a device stays visible
                c = QColor::fromRgbF(float(e.redF() + (d.redF() - e.redF()) * f),
                    float(e.greenF() + (d.greenF() - e.greenF()) * f), float(e.blueF() + (d.blueF() - e.blueF()) * f));
            }
            m_image.setPixel(t, w.addressBins - 1 - a, c.rgb()); // low addresses at the bottom
        }
    }
}

QColor HeatmapView::deviceColour(int device) const
{
    static const QColor palette[] = { QColor(31, 119, 180), QColor(44, 160, 44), QColor(148, 103, 189),
        QColor(255, 127, 14), QColor(23, 190, 207), QColor(140, 86, 75), QColor(227, 119, 194), QColor(188, 189, 34),
        QColor(127, 127, 127), QColor(57, 59, 121) };
    if (device < 0)
        return QColor(160, 160, 160);
    return palette[size_t(device) % (sizeof(palette) / sizeof(palette[0]))];
}

void HeatmapView::paintEvent(QPaintEvent*)
{
    if (m_dirty)
        rebuildImage();
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect r = plotRect();
    p.setFont(font());
    p.drawText(QRect(kLeft, 2, width() - kLeft - kRight, kTop - 4), Qt::AlignLeft | Qt::AlignVCenter,
        m_title.isEmpty() ? tr("No workload: open one to simulate") : m_title);
    if (r.width() <= 0 || r.height() <= 0)
        return;
    p.drawImage(r, m_image);

    // Not played yet: veiled.
    const uint64_t cursor = m_geometry.cursor();
    const double cx = std::clamp(xAtTime(double(cursor)), double(r.left()), double(r.right() + 1));
    if (cx < r.right() + 1) {
        const QRectF future(QPointF(cx, r.top()), QPointF(r.right() + 1, r.bottom() + 1));
        p.fillRect(future, QColor(250, 250, 250, 235)); // a faint hint of what is to come
        p.fillRect(future, QBrush(QColor(0, 0, 0, 30), Qt::BDiagPattern));
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    // Busy ranges (pinned pages cma_alloc had to step over): hatched over their time span.
    for (const sim::BusyRange& b : m_timeline.busy) {
        const double to = b.to == UINT64_MAX ? double(m_timeline.opCount) : double(b.to);
        const double off = double(b.base - m_timeline.base);
        QRectF br(
            QPointF(xAtTime(double(b.from)), yAtOffset(off + double(b.size))), QPointF(xAtTime(to), yAtOffset(off)));
        br = br.normalized().intersected(QRectF(r));
        if (br.isEmpty())
            continue;
        br.setHeight(std::max(br.height(), 2.0)); // a pinned page stays visible at any zoom
        p.fillRect(br, QColor(255, 140, 0, 70));
        p.fillRect(br, QBrush(QColor(200, 90, 0), Qt::DiagCrossPattern));
    }
    // Failures played so far: the column, and the largest free block that was not enough.
    const QColor red(214, 39, 40);
    for (size_t i = 0; i < m_timeline.failures.size(); ++i) {
        const sim::FailureMark& f = m_timeline.failures[i];
        if (f.op >= cursor || double(f.op + 1) < t0() || double(f.op) > t1())
            continue;
        const QRectF fr = failureRect(int(i));
        p.setPen(QPen(QColor(214, 39, 40, 90), 1, Qt::DashLine));
        p.drawLine(QPointF(fr.center().x(), r.top()), QPointF(fr.center().x(), r.bottom()));
        p.setPen(QPen(red, 2));
        p.setBrush(QColor(214, 39, 40, 60));
        p.drawRect(fr.intersected(QRectF(r)));
        // A triangle on the top edge finds it at any zoom.
        const QPointF tip(fr.center().x(), r.top() + 7);
        const QPointF tri[] = { tip, QPointF(tip.x() - 5, r.top() - 1), QPointF(tip.x() + 5, r.top() - 1) };
        p.setPen(Qt::NoPen);
        p.setBrush(red);
        p.drawPolygon(tri, 3);
    }
    // The time cursor.
    if (cx >= r.left() && cx <= r.right() + 1) {
        p.setPen(QPen(QColor(20, 20, 20), 2));
        p.drawLine(QPointF(cx, r.top()), QPointF(cx, r.bottom()));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r.adjusted(0, 0, -1, -1));
    paintAxes(p, r);
}

void HeatmapView::paintAxes(QPainter& p, const QRect& r) const
{
    // Address axis: physical addresses at power-of-two steps.
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm(font());
    const double astep = pow2Step(a1() - a0(), std::max(2, r.height() / 40));
    for (double a = std::ceil(a0() / astep) * astep; a <= a1() + 0.5; a += astep) {
        const double y = yAtOffset(a);
        p.drawLine(QPointF(r.left() - 4, y), QPointF(r.left(), y));
        p.drawText(QRectF(0, y - fm.height() / 2.0, kLeft - 7, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
            toHex(m_timeline.base + uint64_t(a)));
    }
    // Time axis: operation numbers; phases as a band under it.
    const double tstep = std::max(1.0, niceStep(t1() - t0(), std::max(2, r.width() / 90)));
    for (double t = std::ceil(t0() / tstep) * tstep; t <= t1() + 0.5; t += tstep) {
        const double x = xAtTime(t);
        p.drawLine(QPointF(x, r.bottom() + 1), QPointF(x, r.bottom() + 5));
        p.drawText(QRectF(x - 50, r.bottom() + 5, 100, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
            QString::number(uint64_t(t)));
    }
    const int band = r.bottom() + 6 + fm.height();
    for (size_t i = 0; i < m_phases.size(); ++i) {
        const double x0 = std::max(xAtTime(double(m_phases[i].from)), double(r.left()));
        const double x1 = std::min(xAtTime(double(m_phases[i].to)), double(r.right() + 1));
        if (x1 <= x0)
            continue;
        const QRectF pr(x0, band, x1 - x0, kBottom - (band - r.bottom()) - 2);
        p.fillRect(pr, style::phaseBand(palette(), int(i)));
        p.drawText(pr.adjusted(3, 0, -3, 0), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(m_phases[i].name, Qt::ElideRight, int(pr.width()) - 6));
    }
    // Device legend in device mode.
    if (m_colour == Colour::Device && m_workload) {
        int x = r.right() - 8;
        for (int d = int(m_workload->devices.size()) - 1; d >= 0; --d) {
            const QString name = m_workload->devices[size_t(d)].name;
            const int w = fm.horizontalAdvance(name) + 18;
            x -= w;
            p.fillRect(QRect(x, 6, 10, 10), deviceColour(d));
            p.drawText(QRect(x + 13, 2, w, kTop - 4), Qt::AlignLeft | Qt::AlignVCenter, name);
        }
    }
}

std::pair<QString, QString> HeatmapView::names(uint32_t buffer, int device) const
{
    if (!m_workload)
        return { QString::number(buffer), QString() };
    sim::Op op; // bufferName names churn buffers after their device
    op.buffer = buffer;
    op.device = device;
    return { m_workload->bufferName(op), device >= 0 ? m_workload->devices[size_t(device)].name : QString() };
}

QString HeatmapView::bufferText(const sim::Lifetime& l) const
{
    const auto [name, device] = names(l.buffer, l.device);
    QString freed = l.freeOp == sim::Lifetime::kNeverFreed ? tr("never freed") : tr("freed at op %1").arg(l.freeOp);
    return tr("<b>%1</b> (%2)<br>%3 asked, %4 held<br>%5..%6<br>allocated at op %7, %8")
        .arg(name.toHtmlEscaped(), device.toHtmlEscaped(), formatSize(l.asked), formatSize(l.bytes), toHex(l.addr),
            toHex(l.addr + l.bytes))
        .arg(l.allocOp)
        .arg(freed);
}

QString HeatmapView::toolTipAt(const QPoint& pt) const
{
    const HeatmapHit hit = heatmapGeometry().hitTest(m_timeline, pt);
    switch (hit.kind) {
    case HeatmapHit::Kind::Failure: {
        const sim::FailureMark& f = m_timeline.failures[size_t(hit.index)];
        const auto [name, device] = names(f.buffer, f.device);
        const QString what = f.outcome == sim::OpOutcome::Fallback
            ? tr("did not fit: dma-direct fell back to the page allocator")
            : tr("FAILED: the driver got NULL");
        const QString block = f.freeBytes
            ? tr("largest free block %1 at %2..%3")
                  .arg(formatSize(f.freeBytes), toHex(f.freeAddr), toHex(f.freeAddr + f.freeBytes))
            : tr("the pool was full");
        return tr("<b>op %1: %2</b> (%3) asked %4<br>%5<br>%6")
            .arg(f.op)
            .arg(name.toHtmlEscaped(), device.toHtmlEscaped(), formatSize(f.asked), what, block);
    }
    case HeatmapHit::Kind::NotPlayed:
        return tr("op %1: not played yet").arg(hit.op);
    case HeatmapHit::Kind::Buffer:
        return bufferText(m_timeline.lifetimes[size_t(hit.index)]);
    case HeatmapHit::Kind::Free:
        return tr("free at %1 after op %2").arg(toHex(hit.address)).arg(hit.op);
    case HeatmapHit::Kind::None:
        break;
    }
    return {};
}

QImage HeatmapView::toImage()
{
    QImage image(size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    render(&image);
    return image;
}

void HeatmapView::resizeEvent(QResizeEvent*)
{
    m_dirty = true;
}

} // namespace carveout::ui
