// SPDX-License-Identifier: GPL-2.0-only
#include "sim/heatmapgeometry.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

void HeatmapGeometry::setExtent(uint64_t opCount, uint64_t poolSize, uint64_t poolBase)
{
    m_opCount = opCount;
    m_poolSize = poolSize;
    m_poolBase = poolBase;
}

void HeatmapGeometry::setWindow(double t0, double t1, double a0, double a1)
{
    m_t0 = t0;
    m_t1 = t1;
    m_a0 = a0;
    m_a1 = a1;
    clamp();
}

void HeatmapGeometry::resetView()
{
    setWindow(0, double(std::max<uint64_t>(m_opCount, 1)), 0, double(std::max<uint64_t>(m_poolSize, 1)));
}

void HeatmapGeometry::zoomTime(double factor, double aroundX)
{
    const double t = timeAtX(aroundX);
    m_t0 = t - (t - m_t0) / factor;
    m_t1 = t + (m_t1 - t) / factor;
    clamp();
}

void HeatmapGeometry::zoomAddress(double factor, double aroundY)
{
    const double a = offsetAtY(aroundY);
    m_a0 = a - (a - m_a0) / factor;
    m_a1 = a + (m_a1 - a) / factor;
    clamp();
}

void HeatmapGeometry::pan(double dx, double dy)
{
    const QRect r = plotRect();
    const double dt = -dx * (m_t1 - m_t0) / std::max(1, r.width());
    const double da = dy * (m_a1 - m_a0) / std::max(1, r.height());
    m_t0 += dt;
    m_t1 += dt;
    m_a0 += da;
    m_a1 += da;
    clamp();
}

void HeatmapGeometry::clamp()
{
    // At least a few operations and a few pages wide; never beyond the run or the pool.
    const auto fit = [](double& lo, double& hi, double extent, double minSpan) {
        extent = std::max(extent, minSpan);
        double span = std::clamp(hi - lo, minSpan, extent);
        const double mid = (lo + hi) / 2;
        lo = std::clamp(mid - span / 2, 0.0, extent - span);
        hi = lo + span;
    };
    fit(m_t0, m_t1, double(m_opCount), 4.0);
    fit(m_a0, m_a1, double(m_poolSize), std::min(double(m_poolSize), 65536.0));
}

QRect HeatmapGeometry::plotRect() const
{
    return QRect(QPoint(0, 0), m_size).adjusted(kLeft, kTop, -kRight, -kBottom);
}

double HeatmapGeometry::xAtTime(double t) const
{
    const QRect r = plotRect();
    return r.left() + (t - m_t0) / (m_t1 - m_t0) * r.width();
}

double HeatmapGeometry::timeAtX(double x) const
{
    const QRect r = plotRect();
    return m_t0 + (x - r.left()) / std::max(1, r.width()) * (m_t1 - m_t0);
}

double HeatmapGeometry::yAtOffset(double offset) const
{
    const QRect r = plotRect();
    return r.top() + r.height() - (offset - m_a0) / (m_a1 - m_a0) * r.height();
}

double HeatmapGeometry::offsetAtY(double y) const
{
    const QRect r = plotRect();
    return m_a0 + (r.top() + r.height() - y) / std::max(1, r.height()) * (m_a1 - m_a0);
}

QRectF HeatmapGeometry::failureRect(const sim::FailureMark& f) const
{
    double x0 = xAtTime(double(f.op)), x1 = xAtTime(double(f.op + 1));
    if (x1 - x0 < 5) { // always wide enough to see and to hover
        const double c = (x0 + x1) / 2;
        x0 = c - 2.5;
        x1 = c + 2.5;
    }
    const QRect r = plotRect();
    if (f.freeBytes == 0)
        return QRectF(QPointF(x0, r.top()), QPointF(x1, r.top() + 8));
    const double off = double(f.freeAddr - m_poolBase);
    double top = yAtOffset(off + double(f.freeBytes)), bottom = yAtOffset(off);
    if (bottom - top < 3)
        top = bottom - 3;
    return QRectF(QPointF(x0, top), QPointF(x1, bottom));
}

HeatmapHit HeatmapGeometry::hitTest(const sim::PoolTimeline& timeline, const QPoint& pt) const
{
    HeatmapHit hit;
    const QRect r = plotRect();
    if (!r.contains(pt) && !(pt.y() >= r.top() - 2 && pt.y() < r.top() && pt.x() >= r.left()))
        return hit;
    const double t = timeAtX(pt.x());
    // Failures first: they are what people look for.
    for (size_t i = 0; i < timeline.failures.size(); ++i) {
        const sim::FailureMark& f = timeline.failures[i];
        if (f.op >= m_cursor)
            break;
        const QRectF fr = failureRect(f);
        if (pt.x() < fr.left() || pt.x() > fr.right())
            continue;
        if (!(fr.adjusted(0, -3, 0, 3).contains(pt) || pt.y() <= r.top() + 8))
            continue;
        hit.kind = HeatmapHit::Kind::Failure;
        hit.index = int(i);
        hit.op = f.op;
        return hit;
    }
    if (!r.contains(pt) || t < 0 || t >= double(m_cursor)) {
        if (t >= double(m_cursor) && r.contains(pt)) {
            hit.kind = HeatmapHit::Kind::NotPlayed;
            hit.op = uint64_t(std::max(0.0, t));
        }
        return hit;
    }
    const double off = offsetAtY(pt.y() + 0.5);
    if (off < 0 || off >= double(timeline.size))
        return hit;
    hit.op = uint64_t(t);
    hit.address = timeline.base + uint64_t(off);
    hit.index = sim::lifetimeAt(timeline, hit.op, hit.address);
    hit.kind = hit.index >= 0 ? HeatmapHit::Kind::Buffer : HeatmapHit::Kind::Free;
    return hit;
}

std::optional<uint64_t> HeatmapGeometry::seekAt(const QPointF& p) const
{
    if (!plotRect().contains(p.toPoint()))
        return std::nullopt;
    // A click on operation k's column shows the pool just after it.
    const double t = timeAtX(p.x());
    return std::min<uint64_t>(uint64_t(std::max(0.0, std::floor(t))) + 1, m_opCount);
}

} // namespace carveout::ui
