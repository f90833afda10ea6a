// SPDX-License-Identifier: GPL-2.0-only
#include "sim/timeline.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::sim {

PoolTimeline buildTimeline(const Workload& workload, const SimResult& result, int pool)
{
    PoolTimeline t;
    t.pool = pool;
    t.opCount = workload.ops.size();
    if (pool < 0 || size_t(pool) >= result.pools.size() || result.ops.size() != workload.ops.size())
        return t;
    t.base = result.pools[size_t(pool)].base;
    t.size = result.pools[size_t(pool)].size;
    t.busy = result.pools[size_t(pool)].busy;
    std::vector<int64_t> open(workload.bufferCount, -1); // buffer -> its live lifetime
    for (size_t i = 0; i < workload.ops.size(); ++i) {
        const OpResult& r = result.ops[i];
        if (r.pool != pool)
            continue;
        const Op& op = workload.ops[i];
        if (op.buffer >= open.size())
            open.resize(size_t(op.buffer) + 1, -1);
        if (op.kind == Op::Free) {
            if (r.outcome == OpOutcome::Served && open[op.buffer] >= 0)
                t.lifetimes[size_t(open[op.buffer])].freeOp = i;
            open[op.buffer] = -1;
        } else if (r.outcome == OpOutcome::Served) {
            open[op.buffer] = int64_t(t.lifetimes.size());
            t.lifetimes.push_back({ i, Lifetime::kNeverFreed, r.addr, r.bytes, op.size, op.device, op.buffer });
        } else if (r.outcome == OpOutcome::Failed || r.outcome == OpOutcome::Fallback) {
            t.failures.push_back({ i, op.size, op.device, op.buffer, r.outcome, r.addr, r.bytes });
        }
    }
    return t;
}

namespace {
/** A span [from, to) in bin units cut into at most three pieces of constant weight: the
 *  partial first bin, the whole bins, the partial last bin. */
struct Piece
{
    int first, last;
    double weight;
};

int pieces(double from, double to, int bins, Piece out[3])
{
    const int i0 = std::clamp(int(std::floor(from)), 0, bins - 1);
    const int i1 = std::clamp(int(std::ceil(to)) - 1, 0, bins - 1);
    if (i0 >= i1)
        return (out[0] = { i0, i0, to - from }), 1;
    int n = 0;
    out[n++] = { i0, i0, double(i0 + 1) - from };
    if (i1 - i0 > 1)
        out[n++] = { i0 + 1, i1 - 1, 1.0 };
    out[n++] = { i1, i1, to - double(i1) };
    return n;
}
} // namespace

Heatmap renderHeatmap(const PoolTimeline& timeline, const HeatWindow& w, int deviceCount, int maxDevices)
{
    Heatmap h;
    const int T = std::max(1, w.timeBins), A = std::max(1, w.addressBins);
    h.timeBins = T;
    h.addressBins = A;
    h.occupancy.assign(size_t(T) * size_t(A), 0.f);
    h.device.assign(size_t(T) * size_t(A), -1);
    const double dt = (w.t1 - w.t0) / T, da = (w.a1 - w.a0) / A;
    if (!(dt > 0) || !(da > 0))
        return h;
    // One difference array per coloured device and one for the rest; a rectangle of constant
    // weight is four corner updates, so each lifetime costs at most 36 of them.
    const int colours = std::clamp(deviceCount, 0, maxDevices);
    const size_t stride = size_t(A) + 1, plane = (size_t(T) + 1) * stride;
    std::vector<double> diff(plane * (size_t(colours) + 1), 0.0);
    const double end = double(timeline.opCount);
    for (const Lifetime& l : timeline.lifetimes) {
        if (double(l.allocOp) >= w.t1)
            break; // sorted by allocation
        const double s = std::max(double(l.allocOp), w.t0);
        const double e = std::min(l.freeOp == Lifetime::kNeverFreed ? end : double(l.freeOp), w.t1);
        const double off = double(l.addr - timeline.base);
        const double x = std::max(off, w.a0), y = std::min(off + double(l.bytes), w.a1);
        if (e <= s || y <= x)
            continue;
        Piece tp[3], ap[3];
        const int nt = pieces((s - w.t0) / dt, (e - w.t0) / dt, T, tp);
        const int na = pieces((x - w.a0) / da, (y - w.a0) / da, A, ap);
        const int which = l.device >= 0 && l.device < colours ? l.device : colours;
        double* d = diff.data() + size_t(which) * plane;
        for (int i = 0; i < nt; ++i) {
            for (int j = 0; j < na; ++j) {
                const double v = tp[i].weight * ap[j].weight;
                const size_t r0 = size_t(tp[i].first) * stride, r1 = size_t(tp[i].last + 1) * stride;
                const size_t c0 = size_t(ap[j].first), c1 = size_t(ap[j].last + 1);
                d[r0 + c0] += v;
                d[r1 + c0] -= v;
                d[r0 + c1] -= v;
                d[r1 + c1] += v;
            }
        }
    }
    // In-place 2-D prefix sums, S(t,a) = d(t,a) + S(t,a-1) + S(t-1,a) - S(t-1,a-1), turn each
    // plane into per-cell coverage (left and upper neighbours are summed before a cell).
    std::vector<double> total(size_t(T) * size_t(A), 0.0), best(size_t(T) * size_t(A), 0.0);
    for (int p = 0; p <= colours; ++p) {
        double* d = diff.data() + size_t(p) * plane;
        for (int t = 0; t < T; ++t) {
            for (int a = 0; a < A; ++a) {
                double& c = d[size_t(t) * stride + size_t(a)];
                if (a > 0)
                    c += d[size_t(t) * stride + size_t(a) - 1];
                if (t > 0)
                    c += d[size_t(t - 1) * stride + size_t(a)]
                        - (a > 0 ? d[size_t(t - 1) * stride + size_t(a) - 1] : 0);
            }
        }
    }
    for (int p = 0; p <= colours; ++p) {
        const double* d = diff.data() + size_t(p) * plane;
        for (int t = 0; t < T; ++t) {
            for (int a = 0; a < A; ++a) {
                const size_t cell = size_t(t) * size_t(A) + size_t(a);
                // The prefix sums leave rounding crumbs (1e-16) where a buffer's rectangle ended:
                // nothing covers such a cell, and it must not be drawn as covered by no device.
                double v = d[size_t(t) * stride + size_t(a)];
                if (std::abs(v) < 1e-9)
                    v = 0;
                total[cell] += v;
                if (p < colours && v > best[cell] + 1e-9) {
                    best[cell] = v;
                    h.device[cell] = int16_t(p);
                }
            }
        }
    }
    for (size_t c = 0; c < total.size(); ++c)
        h.occupancy[c] = float(std::clamp(total[c], 0.0, 1.0));
    return h;
}

int lifetimeAt(const PoolTimeline& timeline, uint64_t op, uint64_t addr)
{
    for (size_t i = 0; i < timeline.lifetimes.size(); ++i) {
        const Lifetime& l = timeline.lifetimes[i];
        if (l.allocOp > op)
            break;
        if (op < l.freeOp && addr >= l.addr && addr - l.addr < l.bytes)
            return int(i);
    }
    return -1;
}

} // namespace carveout::sim
