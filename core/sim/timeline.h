// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/simulator.h"

// std
#include <cstdint>
#include <vector>

namespace carveout::sim {

/** One buffer's life in a pool: a rectangle in time (operation index) x address. Operation k
 *  spans the time [k, k + 1); the buffer is in the pool from its allocation's slot up to (not
 *  including) its free's slot. */
struct Lifetime
{
    static constexpr uint64_t kNeverFreed = UINT64_MAX;
    uint64_t allocOp = 0;
    uint64_t freeOp = kNeverFreed;
    uint64_t addr = 0; ///< physical
    uint64_t bytes = 0; ///< what the pool set aside
    uint64_t asked = 0; ///< what the driver asked for
    int device = -1;
    uint32_t buffer = 0;
};

/** A failed or fallen-back allocation: when, and the largest free block at that moment. */
struct FailureMark
{
    uint64_t op = 0;
    uint64_t asked = 0;
    int device = -1;
    uint32_t buffer = 0;
    OpOutcome outcome = OpOutcome::Failed;
    uint64_t freeAddr = 0; ///< physical; 0 with freeBytes 0 when the pool was full
    uint64_t freeBytes = 0;
};

/** Everything the heatmap needs of one pool's run, sorted by time. */
struct PoolTimeline
{
    int pool = -1;
    uint64_t base = 0;
    uint64_t size = 0;
    uint64_t opCount = 0; ///< operations in the whole workload (the time axis)
    std::vector<Lifetime> lifetimes; ///< by allocation
    std::vector<FailureMark> failures; ///< by time
    std::vector<BusyRange> busy; ///< the pool's busy ranges (pinned pages), physical
};

PoolTimeline buildTimeline(const Workload& workload, const SimResult& result, int pool);

/** A window of the heatmap: time [t0, t1) in operations, address offsets [a0, a1) in bytes from
 *  the pool base, cut into timeBins x addressBins cells. */
struct HeatWindow
{
    double t0 = 0, t1 = 1;
    double a0 = 0, a1 = 1;
    int timeBins = 1;
    int addressBins = 1;
};

/** The heatmap of a window at any zoom: a cell's occupancy is the share of its time x address
 *  area that buffers covered (exact, so it never exceeds 1, and a single operation at full zoom
 *  shows each buffer as it is); its device is the one covering most of it (-1 when nothing
 *  does). Devices past `maxDevices` count toward occupancy only. Linear in lifetimes plus
 *  cells (a 2-D difference array per device). */
Heatmap renderHeatmap(const PoolTimeline& timeline, const HeatWindow& window, int deviceCount, int maxDevices = 16);

/** The buffer in the pool at operation slot `op` covering the physical address, or -1. */
int lifetimeAt(const PoolTimeline& timeline, uint64_t op, uint64_t addr);

} // namespace carveout::sim
