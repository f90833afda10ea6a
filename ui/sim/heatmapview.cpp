// SPDX-License-Identifier: GPL-2.0-only
#include "sim/heatmapview.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

namespace {
constexpr int kLeft = 92, kRight = 12, kTop = 24, kBottom = 40;
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
    : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(320, 150);
    setObjectName(QStringLiteral("heatmap"));
}

void HeatmapView::setTimeline(
    sim::PoolTimeline timeline, std::shared_ptr<const sim::Workload> workload, const QString& title)
{
    // A resized pool (a drag in the address map) keeps the zoom: the time window stays, and the
    // address window stays unless it showed the whole pool, which it then still does.
    const bool sameTime = timeline.opCount == m_timeline.opCount;
    const bool wholePool = m_a0 <= 0 && m_a1 >= double(m_timeline.size);
    const bool sameSize = timeline.size == m_timeline.size;
    m_timeline = std::move(timeline);
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
        setWindow(m_t0, m_t1, 0, double(std::max<uint64_t>(m_timeline.size, 1)));
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
    if (position == m_cursor)
        return;
    m_cursor = position;
    update();
}

void HeatmapView::setWindow(double t0, double t1, double a0, double a1)
{
    m_t0 = t0;
    m_t1 = t1;
    m_a0 = a0;
    m_a1 = a1;
    windowChanged();
}

void HeatmapView::resetView()
{
    setWindow(0, double(std::max<uint64_t>(m_timeline.opCount, 1)), 0, double(std::max<uint64_t>(m_timeline.size, 1)));
}

void HeatmapView::zoomTime(double factor, double aroundX)
{
    const double t = timeAtX(aroundX);
    m_t0 = t - (t - m_t0) / factor;
    m_t1 = t + (m_t1 - t) / factor;
    windowChanged();
}

void HeatmapView::zoomAddress(double factor, double aroundY)
{
    const double a = offsetAtY(aroundY);
    m_a0 = a - (a - m_a0) / factor;
    m_a1 = a + (m_a1 - a) / factor;
    windowChanged();
}

void HeatmapView::pan(double dx, double dy)
{
    const QRect r = plotRect();
    const double dt = -dx * (m_t1 - m_t0) / std::max(1, r.width());
    const double da = dy * (m_a1 - m_a0) / std::max(1, r.height());
    m_t0 += dt;
    m_t1 += dt;
    m_a0 += da;
    m_a1 += da;
    windowChanged();
}

void HeatmapView::clampWindow()
{
    // At least a few operations and a few pages wide; never beyond the run or the pool.
    const auto clamp = [](double& lo, double& hi, double extent, double minSpan) {
        extent = std::max(extent, minSpan);
        double span = std::clamp(hi - lo, minSpan, extent);
        const double mid = (lo + hi) / 2;
        lo = std::clamp(mid - span / 2, 0.0, extent - span);
        hi = lo + span;
    };
    clamp(m_t0, m_t1, double(m_timeline.opCount), 4.0);
    clamp(m_a0, m_a1, double(m_timeline.size), std::min(double(m_timeline.size), 65536.0));
}

void HeatmapView::windowChanged()
{
    clampWindow();
    m_dirty = true;
    update();
    emit timeWindowChanged(m_t0, m_t1);
}

QRect HeatmapView::plotRect() const
{
    return rect().adjusted(kLeft, kTop, -kRight, -kBottom);
}

double HeatmapView::xAtTime(double t) const
{
    const QRect r = plotRect();
    return r.left() + (t - m_t0) / (m_t1 - m_t0) * r.width();
}

double HeatmapView::timeAtX(double x) const
{
    const QRect r = plotRect();
    return m_t0 + (x - r.left()) / std::max(1, r.width()) * (m_t1 - m_t0);
}

double HeatmapView::yAtOffset(double offset) const
{
    const QRect r = plotRect();
    return r.top() + r.height() - (offset - m_a0) / (m_a1 - m_a0) * r.height();
}

double HeatmapView::offsetAtY(double y) const
{
    const QRect r = plotRect();
    return m_a0 + (r.top() + r.height() - y) / std::max(1, r.height()) * (m_a1 - m_a0);
}

QRectF HeatmapView::failureRect(int i) const
{
    const sim::FailureMark& f = m_timeline.failures[size_t(i)];
    double x0 = xAtTime(double(f.op)), x1 = xAtTime(double(f.op + 1));
    if (x1 - x0 < 5) { // always wide enough to see and to hover
        const double c = (x0 + x1) / 2;
        x0 = c - 2.5;
        x1 = c + 2.5;
    }
    const QRect r = plotRect();
    if (f.freeBytes == 0)
        return QRectF(QPointF(x0, r.top()), QPointF(x1, r.top() + 8));
    const double off = double(f.freeAddr - m_timeline.base);
    double top = yAtOffset(off + double(f.freeBytes)), bottom = yAtOffset(off);
    if (bottom - top < 3)
        top = bottom - 3;
    return QRectF(QPointF(x0, top), QPointF(x1, bottom));
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
    w.t0 = m_t0;
    w.t1 = m_t1;
    w.a0 = m_a0;
    w.a1 = m_a1;
    w.timeBins = std::clamp(r.width(), 1, kMaxCells);
    w.addressBins = std::clamp(r.height(), 1, kMaxCells);
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
    const double cx = std::clamp(xAtTime(double(m_cursor)), double(r.left()), double(r.right() + 1));
    if (cx < r.right() + 1) {
        const QRectF future(QPointF(cx, r.top()), QPointF(r.right() + 1, r.bottom() + 1));
        p.fillRect(future, QColor(250, 250, 250, 235)); // a faint hint of what is to come
        p.fillRect(future, QBrush(QColor(0, 0, 0, 30), Qt::BDiagPattern));
    }
    // Failures played so far: the column, and the largest free block that was not enough.
    p.setRenderHint(QPainter::Antialiasing, false);
    const QColor red(214, 39, 40);
    for (size_t i = 0; i < m_timeline.failures.size(); ++i) {
        const sim::FailureMark& f = m_timeline.failures[i];
        if (f.op >= m_cursor || double(f.op + 1) < m_t0 || double(f.op) > m_t1)
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

    // Address axis: physical addresses at power-of-two steps.
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm(font());
    const double astep = pow2Step(m_a1 - m_a0, std::max(2, r.height() / 40));
    for (double a = std::ceil(m_a0 / astep) * astep; a <= m_a1 + 0.5; a += astep) {
        const double y = yAtOffset(a);
        p.drawLine(QPointF(r.left() - 4, y), QPointF(r.left(), y));
        p.drawText(QRectF(0, y - fm.height() / 2.0, kLeft - 7, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
            toHex(m_timeline.base + uint64_t(a)));
    }
    // Time axis: operation numbers; phases as a band under it.
    const double tstep = std::max(1.0, niceStep(m_t1 - m_t0, std::max(2, r.width() / 90)));
    for (double t = std::ceil(m_t0 / tstep) * tstep; t <= m_t1 + 0.5; t += tstep) {
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
        p.fillRect(pr, i % 2 ? QColor(225, 225, 235) : QColor(210, 215, 228));
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
    const QRect r = plotRect();
    if (!r.contains(pt) && !(pt.y() >= r.top() - 2 && pt.y() < r.top() && pt.x() >= r.left()))
        return {};
    const double t = timeAtX(pt.x());
    // Failures first: they are what people look for.
    for (size_t i = 0; i < m_timeline.failures.size(); ++i) {
        const sim::FailureMark& f = m_timeline.failures[i];
        if (f.op >= m_cursor)
            break;
        const QRectF fr = failureRect(int(i));
        if (pt.x() < fr.left() || pt.x() > fr.right())
            continue;
        if (!(fr.adjusted(0, -3, 0, 3).contains(pt) || pt.y() <= r.top() + 8))
            continue;
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
    if (!r.contains(pt) || t < 0 || t >= double(m_cursor))
        return t >= double(m_cursor) && r.contains(pt) ? tr("op %1: not played yet").arg(uint64_t(std::max(0.0, t)))
                                                       : QString();
    const double off = offsetAtY(pt.y() + 0.5);
    if (off < 0 || off >= double(m_timeline.size))
        return {};
    const uint64_t addr = m_timeline.base + uint64_t(off);
    const int l = sim::lifetimeAt(m_timeline, uint64_t(t), addr);
    if (l >= 0)
        return bufferText(m_timeline.lifetimes[size_t(l)]);
    return tr("free at %1 after op %2").arg(toHex(addr)).arg(uint64_t(t));
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

void HeatmapView::mousePressEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton)
        return;
    m_pressPos = e->position().toPoint();
    m_pressWindow[0] = m_t0;
    m_pressWindow[1] = m_t1;
    m_pressWindow[2] = m_a0;
    m_pressWindow[3] = m_a1;
    m_panning = false;
}

void HeatmapView::mouseMoveEvent(QMouseEvent* e)
{
    const QPoint pos = e->position().toPoint();
    if (e->buttons() & Qt::LeftButton) {
        if (!m_panning && (pos - m_pressPos).manhattanLength() < 4)
            return;
        m_panning = true;
        m_t0 = m_pressWindow[0];
        m_t1 = m_pressWindow[1];
        m_a0 = m_pressWindow[2];
        m_a1 = m_pressWindow[3];
        pan(pos.x() - m_pressPos.x(), pos.y() - m_pressPos.y());
        return;
    }
    const QString tip = toolTipAt(pos);
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(e->globalPosition().toPoint(), tip, this);
}

void HeatmapView::mouseReleaseEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton)
        return;
    if (!m_panning && plotRect().contains(e->position().toPoint())) {
        // A click on operation k's column shows the pool just after it.
        const double t = timeAtX(e->position().x());
        emit cursorRequested(std::min<uint64_t>(uint64_t(std::max(0.0, std::floor(t))) + 1, m_timeline.opCount));
    }
    m_panning = false;
}

void HeatmapView::mouseDoubleClickEvent(QMouseEvent*)
{
    resetView();
}

void HeatmapView::wheelEvent(QWheelEvent* e)
{
    const double steps = e->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    const double factor = std::pow(1.25, steps);
    // Wheel: time; Ctrl or Shift + wheel: addresses.
    if (e->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier))
        zoomAddress(factor, e->position().y());
    else
        zoomTime(factor, e->position().x());
    e->accept();
}

void HeatmapView::keyPressEvent(QKeyEvent* e)
{
    const QRect r = plotRect();
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomTime(1.5, xAtTime(double(m_cursor)));
        break;
    case Qt::Key_Minus:
        zoomTime(1 / 1.5, xAtTime(double(m_cursor)));
        break;
    case Qt::Key_Home:
        resetView();
        break;
    case Qt::Key_Left:
        emit cursorRequested(m_cursor > 0 ? m_cursor - 1 : 0);
        break;
    case Qt::Key_Right:
        emit cursorRequested(std::min(m_cursor + 1, m_timeline.opCount));
        break;
    case Qt::Key_Up:
        pan(0, r.height() / 8.0);
        break;
    case Qt::Key_Down:
        pan(0, -r.height() / 8.0);
        break;
    default:
        QWidget::keyPressEvent(e);
    }
}

} // namespace carveout::ui
