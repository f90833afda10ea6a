// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the workload parser (parseWorkload: the JSON of `simulate --workload`, its repeat, phase
// and churn expansion) and checks what it promises of the operations it returns. A workload of
// at most kSimulateOps operations is then replayed on the simulation sample board (loaded once,
// with the real cpp and dtc) on a 4K and a 64K page kernel, with both reports and the window's
// timelines and heatmaps (and the smallest-size search on a pool for at most kMinSizeOps).
// Seeds: samples/sim/*.json, tests/data/*workload*.json and fuzz/seeds/workload.
#include "fuzzcommon.h"

// core
#include "report/simreport.h"
#include "sim/simulator.h"
#include "sim/timeline.h"
#include "sim/workload.h"

// std
#include <cstddef>
#include <cstdint>

namespace {

/** Larger workloads are only parsed: the replay of ten million operations takes seconds, and the
 *  parser is what reads the file. */
constexpr size_t kSimulateOps = 5000;
/** The smallest-size search replays a pool's operations up to ~40 times. */
constexpr size_t kMinSizeOps = 500;

struct Board
{
    carveout::LoadedTree tree;
    carveout::AnalysisPtr analysis;
};

std::vector<Board>& boards()
{
    static std::vector<Board> loaded;
    return loaded;
}

/** What parseWorkload promises of a workload it returns. */
void checkWorkload(const carveout::sim::Workload& w)
{
    using namespace carveout::sim;
    if (w.ops.size() > kMaxOps)
        carveout::fuzz::broken("more operations than kMaxOps");
    if (w.devices.empty() || w.phases.isEmpty())
        carveout::fuzz::broken("a workload without devices or without the outer phase");
    std::vector<uint8_t> state(w.bufferCount, 0); // 0 never allocated, 1 allocated, 2 freed
    for (const Op& op : w.ops) {
        if (op.device < 0 || size_t(op.device) >= w.devices.size() || op.phase >= uint32_t(w.phases.size())
            || op.buffer >= w.bufferCount)
            carveout::fuzz::broken("an operation indexes past the workload's devices, phases or buffers");
        if (op.size == 0 || op.size > (uint64_t(1) << 48))
            carveout::fuzz::broken("an operation of 0 bytes or beyond 256 TiB");
        uint8_t& s = state[op.buffer];
        if (op.kind == Op::Alloc ? s != 0 : s != 1)
            carveout::fuzz::broken("a buffer allocated twice, or freed without being allocated");
        s = op.kind == Op::Alloc ? 1 : 2;
        (void)w.bufferName(op);
    }
}

/** What the window's heatmap does with a run: every pool's timeline, the whole of it and a
 *  zoomed corner, and the buffer under a point. */
void checkTimelines(const carveout::sim::Workload& w, const carveout::sim::SimResult& r)
{
    using namespace carveout::sim;
    for (size_t p = 0; p < r.pools.size(); ++p) {
        const PoolTimeline t = buildTimeline(w, r, int(p));
        const double ops = double(std::max<uint64_t>(t.opCount, 1)), size = double(std::max<uint64_t>(t.size, 1));
        for (const HeatWindow& window :
            { HeatWindow { 0, ops, 0, size, 16, 8 }, HeatWindow { ops / 3, ops / 2, size / 5, size / 4, 7, 5 } }) {
            const Heatmap h = renderHeatmap(t, window, int(w.devices.size()), 4);
            if (h.occupancy.size() != size_t(window.timeBins) * size_t(window.addressBins)
                || h.device.size() != h.occupancy.size())
                carveout::fuzz::broken("a heatmap without one cell per bin");
            for (size_t c = 0; c < h.occupancy.size(); ++c) {
                // "Exact, so it never exceeds 1" (timeline.h), up to float rounding.
                if (!(h.occupancy[c] >= -1e-4f && h.occupancy[c] <= 1.0001f)
                    || h.device[c] >= int16_t(w.devices.size()))
                    carveout::fuzz::broken("a heatmap cell outside 0..1 or of a device the workload lacks");
            }
        }
        for (size_t i = 0; i < t.lifetimes.size() && i < 64; ++i) { // lifetimeAt is linear: the first 64
            const Lifetime& l = t.lifetimes[i];
            if (l.bytes && lifetimeAt(t, l.allocOp, l.addr + l.bytes / 2) < 0)
                carveout::fuzz::broken("a buffer not found where it lies at its allocation");
        }
    }
}

/** Pinned pages (the workload's busy ranges): no CMA buffer is given a page busy at its
 *  allocation, and the heatmap's busy cells are all there or none. */
void checkBusy(const carveout::sim::Workload& w, const carveout::sim::SimResult& r)
{
    using namespace carveout::sim;
    for (size_t i = 0; i < r.ops.size(); ++i) {
        const OpResult& o = r.ops[i];
        if (w.ops[i].kind != Op::Alloc || o.outcome != OpOutcome::Served || o.pool < 0
            || r.pools[size_t(o.pool)].kind != carveout::RegionKind::Cma)
            continue;
        const uint64_t first = o.addr / r.pageSize * r.pageSize, end = o.addr + o.bytes;
        for (const BusyRange& b : r.pools[size_t(o.pool)].busy) {
            if (b.from <= i && i < b.to && first < b.base + b.size && b.base < end)
                carveout::fuzz::broken("a CMA buffer given a page that was busy at its allocation");
        }
    }
    for (const PoolRun& run : r.runs) {
        const Heatmap& h = run.heatmap;
        if (!h.busy.empty() && h.busy.size() != size_t(h.timeBins) * size_t(h.addressBins))
            carveout::fuzz::broken("busy heatmap cells without one per cell");
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    using namespace carveout;
    const LoadResult r = loadBoard(QStringLiteral(CARVEOUT_SOURCE_DIR "/samples/sim/sim-board.dts"));
    if (!r.ok) {
        std::fprintf(stderr, "fuzz_workload: cannot load samples/sim/sim-board.dts (cpp and dtc needed)\n");
        std::exit(1);
    }
    for (const char* name : { "linux-7.1-arm64-4k", "linux-6.12-arm64-64k" }) {
        const auto profile = findProfile(QString::fromLatin1(name));
        if (!profile) {
            std::fprintf(stderr, "fuzz_workload: no kernel profile %s\n", name);
            std::exit(1);
        }
        Board b;
        b.tree = r.doc;
        b.analysis = analyse(b.tree, *profile);
        boards().push_back(std::move(b));
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    QString error;
    auto workload = sim::parseWorkload(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), &error);
    if (!workload) {
        if (error.isEmpty())
            fuzz::broken("parseWorkload failed without a message");
        return 0;
    }
    checkWorkload(*workload);
    if (workload->ops.size() > kSimulateOps)
        return 0;
    for (const Board& b : boards()) {
        sim::SimOptions options;
        options.timeBins = 16;
        options.addressBins = 8;
        sim::Simulator simulator(*workload, options);
        const sim::SimResult& r = simulator.update(b.tree, *b.analysis);
        if (!r.error.isEmpty())
            continue; // a device this board does not have: the CLI's exit 2
        if (r.ops.size() != workload->ops.size() || r.runs.size() != r.pools.size())
            fuzz::broken("a result without one entry per operation and per pool");
        // Same inputs: every pool reused.
        simulator.update(b.tree, *b.analysis);
        if (simulator.lastRerunCount() != 0)
            fuzz::broken("an update with nothing changed re-ran a pool");
        std::optional<sim::MinSizeResult> minSize;
        for (size_t p = 0; p < r.pools.size() && !minSize && r.ops.size() <= kMinSizeOps; ++p) {
            if (r.runs[p].allocs)
                minSize = simulator.minSize(int(p));
        }
        (void)simulationToText(simulator, b.analysis->profile, OpListing::All, minSize ? &*minSize : nullptr);
        (void)simulationToJson(simulator, b.analysis->profile, OpListing::Failures, minSize ? &*minSize : nullptr);
        checkTimelines(*workload, r);
        checkBusy(*workload, r);
    }
    return 0;
}
