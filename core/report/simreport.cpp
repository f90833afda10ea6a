// SPDX-License-Identifier: GPL-2.0-only
#include "report/simreport.h"

// core
#include "model/units.h"
#include "report/jsonwriter.h"

// std
#include <climits>

namespace carveout {

using namespace sim;

namespace {

const char* outcomeWord(OpOutcome o)
{
    switch (o) {
    case OpOutcome::Served:
        return "ok";
    case OpOutcome::PageAllocator:
        return "page allocator";
    case OpOutcome::Fallback:
        return "fallback";
    case OpOutcome::Failed:
        return "FAILED";
    case OpOutcome::FreeSkipped:
        return "skipped";
    }
    return "";
}

QString opNote(const Simulator& sim, size_t i, uint64_t buddyMax)
{
    const SimResult& R = sim.result();
    const Op& op = sim.workload().ops[i];
    const OpResult& r = R.ops[i];
    const SimPool* pool = r.pool >= 0 ? &R.pools[size_t(r.pool)] : nullptr;
    if (r.outcome == OpOutcome::Failed || r.outcome == OpOutcome::Fallback)
        return failureText(r, pool, op.size, sim.result().pageSize, buddyMax);
    if (r.outcome == OpOutcome::FreeSkipped)
        return r.outOfReach ? QStringLiteral("the page allocator served it: nothing to free in the pool")
                            : QStringLiteral("its allocation failed: nothing to free");
    if (r.outOfReach)
        return QStringLiteral("the CMA page at %1 lies outside the device's DMA reach (dma-ranges): dma-direct gave "
                              "it back and the page allocator served the buffer")
            .arg(toHex(r.addr));
    if (r.outcome == OpOutcome::PageAllocator) {
        const DeviceRoute& rt = R.routes[size_t(op.device)];
        if (rt.iommu)
            return QStringLiteral("behind an IOMMU: iommu-dma takes single pages");
        if (op.atomic)
            return QStringLiteral("atomic: CMA is never used");
        return QStringLiteral("one page or no CMA area: the buddy allocator");
    }
    return QString();
}

bool listed(OpListing l, const OpResult& r)
{
    return l == OpListing::All
        || (l == OpListing::Failures && (r.outcome == OpOutcome::Failed || r.outcome == OpOutcome::Fallback));
}

void writeSimulation(
    JsonWriter& j, const Simulator& sim, const KernelProfile& profile, OpListing listing, const MinSizeResult* minSize)
{
    const SimResult& R = sim.result();
    const Workload& W = sim.workload();
    const uint64_t buddyMax = profile.pageSize << profile.largestBuddyOrder();
    j.beginObject();
    j.key("workload").value(W.name);
    j.key("profile").value(profile.name);
    j.key("pools").beginArray();
    for (size_t p = 0; p < R.pools.size(); ++p) {
        const SimPool& pool = R.pools[p];
        const PoolRun& run = R.runs[p];
        j.beginObject();
        j.key("path").value(pool.path);
        j.key("kind").value(kindName(pool.kind));
        j.key("base").hex(pool.base);
        j.key("size").hex(pool.size);
        j.key("default_cma").value(pool.isDefaultCma);
        j.key("base_predictable").value(pool.basePredictable);
        j.key("devices").value(pool.devices);
        j.key("allocs").value(run.allocs);
        j.key("frees").value(run.frees);
        j.key("failures").value(run.failures);
        j.key("fallbacks").value(run.fallbacks);
        j.key("peak_used").hex(run.peakUsed);
        j.key("high_water").hex(run.highWater);
        j.key("min_largest_free").hex(run.minLargestFree);
        j.key("max_fragmentation").value(run.maxFragmentation);
        j.key("first_failure_step");
        if (run.firstFailureOp >= 0)
            j.value(run.firstFailureOp);
        else
            j.null();
        if (!pool.busy.empty()) { // only with busy ranges: other reports stay as they were
            j.key("busy").beginArray();
            for (const BusyRange& b : pool.busy) {
                j.beginObject();
                j.key("base").hex(b.base);
                j.key("size").hex(b.size);
                j.key("from_step").value(int64_t(b.from));
                j.key("to_step");
                if (b.to == UINT64_MAX)
                    j.null();
                else
                    j.value(int64_t(b.to));
                j.endObject();
            }
            j.endArray();
            j.key("busy_retries").value(int64_t(run.busyRetries));
            j.key("busy_failures").value(run.busyFailures);
        }
        j.key("samples").beginArray();
        for (const PoolSample& s : run.samples) {
            j.beginObject();
            j.key("end_step").value(int64_t(s.endOp));
            j.key("used").hex(s.used);
            j.key("peak").hex(s.peak);
            j.key("largest_free").hex(s.largestFree);
            j.key("fragmentation").value(s.fragmentation);
            j.key("failures").value(s.failures);
            j.endObject();
        }
        j.endArray();
        const Heatmap& h = run.heatmap;
        j.key("heatmap").beginObject();
        j.key("address_bins").value(h.addressBins);
        j.key("time_bins").value(h.timeBins);
        j.key("occupancy").beginArray();
        for (int t = 0; t < h.timeBins; ++t) {
            j.beginArray();
            for (int a = 0; a < h.addressBins; ++a)
                j.value(double(h.occupancy[size_t(t) * size_t(h.addressBins) + size_t(a)]));
            j.endArray();
        }
        j.endArray();
        j.key("device").beginArray();
        for (int t = 0; t < h.timeBins; ++t) {
            j.beginArray();
            for (int a = 0; a < h.addressBins; ++a) {
                const int d = h.device[size_t(t) * size_t(h.addressBins) + size_t(a)];
                if (d < 0)
                    j.null();
                else
                    j.value(W.devices[size_t(d)].name);
            }
            j.endArray();
        }
        j.endArray();
        if (!h.busy.empty()) {
            j.key("busy").beginArray();
            for (int t = 0; t < h.timeBins; ++t) {
                j.beginArray();
                for (int a = 0; a < h.addressBins; ++a)
                    j.value(h.busy[size_t(t) * size_t(h.addressBins) + size_t(a)] != 0);
                j.endArray();
            }
            j.endArray();
        }
        j.endObject();
        j.endObject();
    }
    j.endArray();
    j.key("devices").beginArray();
    for (size_t d = 0; d < W.devices.size(); ++d) {
        const DeviceRoute& rt = R.routes[d];
        j.beginObject();
        j.key("name").value(W.devices[d].name);
        j.key("node").value(rt.node);
        j.key("iommu").value(rt.iommu);
        auto poolKey = [&](const char* k, int p) {
            j.key(k);
            if (p < 0)
                j.null();
            else
                j.value(R.pools[size_t(p)].path);
        };
        poolKey("coherent_pool", rt.coherent);
        poolKey("restricted_pool", rt.restricted);
        poolKey("cma_area", rt.cma);
        j.key("notes").value(rt.notes);
        j.endObject();
    }
    j.endArray();
    j.key("ops").beginArray();
    for (size_t i = 0; i < W.ops.size(); ++i) {
        const Op& op = W.ops[i];
        const OpResult& r = R.ops[i];
        if (!listed(listing, r))
            continue;
        j.beginObject();
        j.key("step").value(int64_t(i));
        j.key("op").value(op.kind == Op::Alloc ? "alloc" : "free");
        j.key("buffer").value(W.bufferName(op));
        j.key("device").value(W.devices[size_t(op.device)].name);
        j.key("pool");
        if (r.pool >= 0 && r.outcome != OpOutcome::Fallback)
            j.value(R.pools[size_t(r.pool)].path);
        else
            j.null();
        j.key("size").hex(op.size);
        j.key("addr");
        if (r.outcome == OpOutcome::Served)
            j.hex(r.addr);
        else
            j.null();
        j.key("error");
        if (r.outcome == OpOutcome::Failed)
            j.value(
                failureText(r, r.pool >= 0 ? &R.pools[size_t(r.pool)] : nullptr, op.size, profile.pageSize, buddyMax));
        else
            j.null();
        if (r.outcome != OpOutcome::Served && r.outcome != OpOutcome::Failed) {
            j.key("note").value(opNote(sim, i, buddyMax));
        }
        if (r.busyRetries)
            j.key("busy_retries").value(r.busyRetries);
        j.endObject();
    }
    j.endArray();
    j.key("summary").beginObject();
    j.key("allocs").value(int64_t(R.allocs));
    j.key("frees").value(int64_t(R.frees));
    j.key("failures").value(int64_t(R.failures));
    j.key("fallbacks").value(int64_t(R.fallbacks));
    j.key("page_allocator").value(int64_t(R.pageAllocator));
    j.key("out_of_reach").value(int64_t(R.outOfReach));
    j.key("peak_used").beginObject();
    for (size_t p = 0; p < R.pools.size(); ++p)
        j.key(R.pools[p].path.toUtf8().constData()).hex(R.runs[p].peakUsed);
    j.endObject();
    j.key("notes").value(R.notes);
    j.endObject();
    if (minSize) {
        j.key("min_size").beginObject();
        j.key("pool").value(R.pools[size_t(minSize->pool)].path);
        j.key("current").hex(minSize->current);
        j.key("minimum");
        if (minSize->minimum)
            j.hex(minSize->minimum);
        else
            j.null();
        j.key("step").hex(minSize->step);
        j.key("exact").value(minSize->exact);
        j.key("runs").value(minSize->runs);
        j.key("smaller").hex(minSize->smaller);
        j.key("smaller_failures").value(minSize->smallerFailures);
        j.key("smaller_first_failure_step");
        if (minSize->smallerFirstFailure >= 0)
            j.value(minSize->smallerFirstFailure);
        else
            j.null();
        j.key("smaller_peak_used").hex(minSize->smallerPeak);
        if (!minSize->error.isEmpty())
            j.key("error").value(minSize->error);
        j.endObject();
    }
    j.endObject();
}

} // namespace

QByteArray simulationToJson(
    const Simulator& sim, const KernelProfile& profile, OpListing listing, const MinSizeResult* minSize)
{
    JsonWriter j;
    writeSimulation(j, sim, profile, listing, minSize);
    return j.result();
}

bool simulationToJson(
    QIODevice* out, const Simulator& sim, const KernelProfile& profile, OpListing listing, const MinSizeResult* minSize)
{
    JsonWriter j(out);
    writeSimulation(j, sim, profile, listing, minSize);
    return j.finish();
}

QString simulationToText(
    const Simulator& sim, const KernelProfile& profile, OpListing listing, const MinSizeResult* minSize)
{
    const SimResult& R = sim.result();
    const Workload& W = sim.workload();
    const uint64_t buddyMax = profile.pageSize << profile.largestBuddyOrder();
    QString s;
    s += QStringLiteral("Workload: %1 (%2 operations, %3 devices), profile %4\n")
             .arg(W.name.isEmpty() ? QStringLiteral("(unnamed)") : W.name)
             .arg(W.ops.size())
             .arg(W.devices.size())
             .arg(profile.name);
    s += QStringLiteral("\nDevices:\n");
    for (size_t d = 0; d < W.devices.size(); ++d) {
        const DeviceRoute& rt = R.routes[d];
        QString to;
        if (rt.coherent >= 0)
            to = QStringLiteral("coherent pool ") + R.pools[size_t(rt.coherent)].path;
        else if (rt.restricted >= 0)
            to = QStringLiteral("restricted pool ") + R.pools[size_t(rt.restricted)].path;
        else if (rt.cma >= 0)
            to = QStringLiteral("CMA area ") + R.pools[size_t(rt.cma)].path;
        else
            to = QStringLiteral("no pool of its own");
        s += QStringLiteral("  %1  %2 -> %3\n").arg(W.devices[d].name, -8).arg(rt.node, to);
        for (const QString& n : rt.notes)
            s += QStringLiteral("      note: %1\n").arg(n);
    }
    s += QStringLiteral("\nPools:\n");
    for (size_t p = 0; p < R.pools.size(); ++p) {
        const SimPool& pool = R.pools[p];
        const PoolRun& run = R.runs[p];
        s += QStringLiteral("  %1 (%2%3) %4 at %5%6\n")
                 .arg(pool.path, kindName(pool.kind), pool.isDefaultCma ? QStringLiteral(", default") : QString(),
                     formatSize(pool.size), toHex(pool.base),
                     pool.basePredictable ? QString() : QStringLiteral(" (base approximate)"));
        if (!run.allocs) {
            s += QStringLiteral("      not used by this workload\n");
            continue;
        }
        s += QStringLiteral("      %1 allocations, %2 frees; peak %3 (%4%), smallest largest-free block %5, "
                            "worst fragmentation %6%\n")
                 .arg(run.allocs)
                 .arg(run.frees)
                 .arg(formatSize(run.peakUsed))
                 .arg(pool.size ? 100.0 * double(run.peakUsed) / double(pool.size) : 0.0, 0, 'f', 1)
                 .arg(formatSize(run.minLargestFree))
                 .arg(100.0 * run.maxFragmentation, 0, 'f', 1);
        if (run.failures || run.fallbacks)
            s += QStringLiteral("      %1 failed, %2 fell back to the page allocator; first at step %3\n")
                     .arg(run.failures)
                     .arg(run.fallbacks)
                     .arg(run.firstFailureOp);
        if (!pool.busy.empty())
            s += QStringLiteral(
                "      %1 busy range(s) (pinned pages): %2 candidate(s) retried (cma_alloc_busy_retry), "
                "%3 allocation(s) failed on busy pages\n")
                     .arg(pool.busy.size())
                     .arg(run.busyRetries)
                     .arg(run.busyFailures);
    }
    int shown = 0;
    const int limit = listing == OpListing::All ? INT_MAX : 20;
    QString failures;
    for (size_t i = 0; i < W.ops.size(); ++i) {
        const OpResult& r = R.ops[i];
        const bool bad = r.outcome == OpOutcome::Failed || r.outcome == OpOutcome::Fallback;
        if (listing == OpListing::None || (listing == OpListing::Failures && !bad))
            continue;
        if (shown++ >= limit)
            continue;
        const Op& op = W.ops[i];
        failures
            += QStringLiteral("  %1  %2 %3 %4 %5 %6%7\n")
                   .arg(i, 7)
                   .arg(op.kind == Op::Alloc ? QStringLiteral("alloc") : QStringLiteral("free "))
                   .arg(W.devices[size_t(op.device)].name, -8)
                   .arg(W.bufferName(op), -12)
                   .arg(formatSize(op.size), 10)
                   .arg(r.outcome == OpOutcome::Served ? toHex(r.addr) : QString::fromLatin1(outcomeWord(r.outcome)))
                   .arg(r.outcome == OpOutcome::Served ? QString() : QStringLiteral(": ") + opNote(sim, i, buddyMax));
    }
    if (shown) {
        s += listing == OpListing::All ? QStringLiteral("\nOperations:\n") : QStringLiteral("\nFailures:\n");
        s += failures;
        if (shown > limit)
            s += QStringLiteral("  ... and %1 more (--format json lists them all)\n").arg(shown - limit);
    }
    s += QStringLiteral(
        "\n%1 allocations, %2 frees: %3 failed, %4 fell back to the page allocator, %5 served by the page "
        "allocator by design\n")
             .arg(R.allocs)
             .arg(R.frees)
             .arg(R.failures)
             .arg(R.fallbacks)
             .arg(R.pageAllocator);
    if (R.outOfReach)
        s += QStringLiteral("%1 of those by the page allocator were CMA pages outside the device's DMA reach, given "
                            "back\n")
                 .arg(R.outOfReach);
    for (const QString& n : R.notes)
        s += QStringLiteral("note: %1\n").arg(n);
    if (minSize) {
        const SimPool& pool = R.pools[size_t(minSize->pool)];
        s += QStringLiteral("\nSmallest size of %1 (steps of %2, base kept at %3): ")
                 .arg(pool.path, formatSize(minSize->step), toHex(pool.base));
        if (!minSize->error.isEmpty()) {
            s += minSize->error + QLatin1Char('\n');
        } else {
            s += QStringLiteral("%1 (%2; now %3)%4\n")
                     .arg(formatSize(minSize->minimum), toHex(minSize->minimum), formatSize(minSize->current),
                         minSize->exact ? QString()
                                        : QStringLiteral(", found by bisection: next-fit is not monotonic"));
            if (minSize->smaller)
                s += QStringLiteral("  %1 (one step less) is not enough: %2 allocation(s) fail, the first at step %3 "
                                    "(peak %4 in use)\n")
                         .arg(toHex(minSize->smaller))
                         .arg(minSize->smallerFailures)
                         .arg(minSize->smallerFirstFailure)
                         .arg(formatSize(minSize->smallerPeak));
        }
    }
    return s;
}

} // namespace carveout
