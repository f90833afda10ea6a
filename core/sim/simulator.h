// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "model/layout.h"
#include "sim/allocators.h"
#include "sim/workload.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace carveout {
struct LoadedTree;
}

namespace carveout::sim {

/** A pool the workload can reach: a DT region the boot model kept, the default CMA area, or a
 *  CMA area of the command line (hugetlb_cma=, ...). */
struct SimPool
{
    /// node path, "cma=" / "CONFIG_CMA_SIZE_MBYTES" for a default area made without DT, or the
    /// kernel's name of a command-line area ("hugetlb0")
    QString path;
    RegionKind kind = RegionKind::Cma;
    int region = -1; ///< Layout::regions index, -1 for the command-line / Kconfig area
    bool isDefaultCma = false;
    bool cmdlineArea = false; ///< a CMA area of the command line: reached through a device's cma_area
    unsigned orderPerBit = 0; ///< of a CMA area
    uint64_t sizeStep = 0; ///< sizes the option can give come in these steps (hugetlb_cma=: the gigantic page)
    bool basePredictable = true;
    uint64_t base = 0;
    uint64_t size = 0;
    QStringList devices; ///< workload device names routed here
    std::vector<BusyRange> busy; ///< the workload's busy ranges that overlap a CMA pool, clipped to it
};

/** How a workload device reaches memory (kernel-rules.md 3.7.4, 3.8, 3.9, 3.11). */
struct DeviceRoute
{
    QString node; ///< resolved path
    int coherent = -1, cma = -1, restricted = -1; ///< pool indexes
    bool iommu = false;
    /// The DMA windows of the device's bus (dma-ranges; empty: the tree does not restrict it, or
    /// an IOMMU maps for it). dma-direct frees a CMA page outside them (dma_coherent_ok).
    std::vector<DmaWindow> dma;
    QStringList notes; ///< why a binding did not attach, fallbacks, ...
};

enum class OpOutcome : uint8_t {
    Served, ///< the pool gave it
    PageAllocator, ///< by design not from a pool (one page, atomic, IOMMU, no CMA): counted only
    Fallback, ///< the pool could not: dma-direct took pages from the buddy allocator instead
    Failed, ///< NULL to the driver
    FreeSkipped, ///< a free of a buffer whose allocation failed
};

struct OpResult
{
    int pool = -1;
    OpOutcome outcome = OpOutcome::Served;
    AllocFailure why = AllocFailure::None;
    /// Served: the buffer's physical address and what the pool set aside (pages or slots
    /// rounded up). Failed or fallen back: the pool's largest free block at that moment.
    uint64_t addr = 0;
    uint64_t bytes = 0;
    uint32_t busyRetries = 0; ///< candidates a busy range refused (cma_alloc_busy_retry events)
    /// The CMA page dma-direct got lay outside the device's DMA reach: it went back to the pool
    /// and the page allocator served the buffer (PageAllocator; addr is the page given back).
    /// On a free: the freed buffer was such a one.
    bool outOfReach = false;
};

/** One time bucket of a pool's history (state at the bucket's last operation). */
struct PoolSample
{
    uint64_t endOp = 0; ///< last operation index in the bucket (inclusive)
    uint64_t used = 0; ///< bytes in use
    uint64_t peak = 0; ///< most bytes in use during the bucket
    uint64_t largestFree = 0; ///< bytes
    double fragmentation = 0; ///< 1 - largest free / free, 0 when nothing is free
    uint32_t failures = 0; ///< failed or fallen-back allocations in the bucket
};

/** Address buckets x time buckets of one pool: occupancy (0..1) and the device holding most of
 *  each cell, at the end of each time bucket. Row-major by time: cell(t, a) = t * addressBins + a. */
struct Heatmap
{
    int addressBins = 0;
    int timeBins = 0;
    std::vector<float> occupancy;
    std::vector<int16_t> device; ///< workload device index, -1 when empty
    std::vector<uint8_t> busy; ///< 1 where a busy range lies during part of the time bucket
};

struct PoolRun
{
    uint64_t peakUsed = 0;
    uint64_t highWater = 0; ///< bytes from the pool base to the end of the highest allocation ever made
    uint64_t minLargestFree = UINT64_MAX;
    double maxFragmentation = 0;
    uint32_t allocs = 0, frees = 0, failures = 0, fallbacks = 0;
    uint64_t busyRetries = 0; ///< candidates busy ranges refused
    uint32_t busyFailures = 0; ///< allocations that failed because every candidate was busy
    uint32_t outOfReach = 0; ///< CMA pages given back because the device cannot reach them
    int64_t firstFailureOp = -1;
    std::vector<PoolSample> samples;
    Heatmap heatmap;
};

struct SimOptions
{
    int timeBins = 128;
    int addressBins = 64;
};

struct SimResult
{
    QString error; ///< the workload cannot run on this board (unknown device, ...): exit 2
    std::vector<SimPool> pools;
    std::vector<DeviceRoute> routes; ///< by workload device
    std::vector<OpResult> ops; ///< by workload operation
    std::vector<PoolRun> runs; ///< by pool
    uint64_t allocs = 0, frees = 0, failures = 0, fallbacks = 0, pageAllocator = 0;
    uint64_t busyRetries = 0;
    uint64_t outOfReach = 0; ///< of pageAllocator: CMA pages outside the device's reach, given back
    QStringList notes;
    uint64_t pageSize = 4096;
};

/** The smallest size of one pool for which no allocation routed to it fails or falls back. */
struct MinSizeResult
{
    QString error;
    bool cancelled = false;
    int pool = -1;
    uint64_t current = 0;
    uint64_t minimum = 0; ///< 0 when no size up to the limit works
    uint64_t step
        = 0; ///< granularity (CMA_MIN_ALIGNMENT_BYTES for CMA, a gigantic page for hugetlb0, the page size else)
    bool exact = true; ///< false for restricted pools (next-fit: found by bisection)
    int runs = 0;
    // The next smaller size:
    uint64_t smaller = 0;
    uint32_t smallerFailures = 0;
    int64_t smallerFirstFailure = -1;
    uint64_t smallerPeak = 0;
};

/** Replays a workload against the pools a board's boot produced. Keeps the last run: update()
 *  re-runs only the pools whose geometry or routed operations changed, so the GUI can call it on
 *  every mouse move. */
class Simulator
{
public:
    explicit Simulator(Workload workload, SimOptions options = {});

    /** Routes the workload on the pools of `analysis` (made from `tree`) and runs what changed. */
    const SimResult& update(const LoadedTree& tree, const Analysis& analysis);
    const SimResult& result() const { return m_result; }
    const Workload& workload() const { return m_workload; }
    /** Pools re-run by the last update() (the others were reused). */
    int lastRerunCount() const { return m_reruns; }

    /** Called before each trial run with the runs done, the runs expected so far (the estimate
     *  grows while the search doubles) and the size about to be tried; false cancels. */
    using Progress = std::function<bool(int done, int expected, uint64_t trying)>;
    /** Searches the smallest size of `pool` (index into result().pools) with the base kept. */
    MinSizeResult minSize(int pool, const Progress& progress = {}) const;

private:
    struct PoolState;
    PoolRun runPool(
        const SimPool& pool, const std::vector<uint32_t>& opIndexes, std::vector<OpResult>* out, bool metrics) const;
    void route(const LoadedTree& tree, const Layout& layout, const BootResult& boot);

    Workload m_workload;
    SimOptions m_options;
    KernelProfile m_profile;
    SimResult m_result;
    std::vector<std::vector<uint32_t>> m_poolOps; // alloc/free op indexes per pool
    std::vector<uint64_t> m_poolKeys; // what a pool's last run depended on
    int m_reruns = 0;
};

/** The message for a failed or fallen-back allocation; `buddyMax` is PAGE_SIZE << MAX_ORDER. */
QString failureText(const OpResult& r, const SimPool* pool, uint64_t size, uint64_t pageSize, uint64_t buddyMax);

} // namespace carveout::sim
