// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "rules/rules.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <memory>
#include <vector>

namespace carveout {

struct LoadedTree;

/** Who uses which pool, and where that goes wrong (what the Region panel lists). */
struct Bindings
{
    /// Devices outside /reserved-memory (a compatible and a reg, or already a memory-region; not
    /// CPUs, memory, /psci, /chosen or /aliases): what `memory-region` may be added to.
    QStringList devices;
    /// Enabled pools (CMA, coherent, restricted) that no enabled device names (the default CMA
    /// area is not an orphan: every device without a pool of its own uses it; a restricted pool
    /// counts as used only where the kernel attaches it). Region indexes.
    std::vector<int> orphans;
    /// Consumers (indexes into Layout::consumers) whose device is disabled.
    std::vector<int> disabledUsers;
    /// Consumers of enabled devices whose entry does not reach a kept region: it names no region,
    /// or the kernel drops the region (the device falls back to the default CMA area or pages).
    std::vector<int> fallbacks;
    /// Consumers of enabled devices that name a restricted pool the kernel never attaches
    /// (of_dma_configure_id): the device is behind an IOMMU, or an earlier entry is its restricted pool.
    std::vector<int> unattached;
    /// /dev/dma_heap names of the default CMA area (defaultCmaHeapNames), for the bindings view.
    QStringList defaultCmaHeaps;
};

/** RAM as the kernel leaves it after the reserved-memory code ran, in bytes. Only what the kernel
 *  keeps counts: a freed, failed or ignored region holds nothing. */
struct RamSummary
{
    uint64_t ram = 0; ///< the memory banks (the profile's memory when it replaces them)
    uint64_t reserved = 0; ///< kept regions plus a default CMA area made without a tree node
    uint64_t noMap = 0; ///< of that, what is no-map
    uint64_t cma = 0; ///< of that, CMA areas
    uint64_t free = 0; ///< RAM that no kept region, default CMA area or /memreserve/ entry holds
};

/** Everything Carveout knows about one tree under one kernel profile: the layout read from the
 *  tree, what the kernel does with it at boot, every finding, the bindings and the RAM summary.
 *  Immutable once made; share it (AnalysisPtr) instead of copying it. */
struct Analysis
{
    KernelProfile profile;
    Layout layout; ///< what the tree says (outcomes and placements are in `boot`)
    BootResult boot;
    CheckResult check; ///< each finding's `region` is set (-1 when it is not about a region)
    Bindings bindings;
    RamSummary ram;

    /** What the kernel did with region i (Layout::regions index). */
    const RegionBoot& regionBoot(int i) const { return boot.regions[size_t(i)]; }
    /** Where region i sits after boot and its outcome (see placeOf()). */
    RegionPlace place(int i) const { return placeOf(layout, &boot, i); }
    /** Error and warning counts per region, by Layout::regions index. */
    std::vector<int> errorsPerRegion() const;
    std::vector<int> warningsPerRegion() const;
};

using AnalysisPtr = std::shared_ptr<const Analysis>;

/** Analyses a loaded tree under a profile (the profile carries --memory and --reserve) with
 *  the user's severity choices: buildLayout, simulateBoot, runChecks, bindings and RAM summary,
 *  in that order. Pure and never fails: what the tree gets wrong is in the findings. */
/** What the boot holds of RAM: the active regions, the default CMA area where the tree does not
 *  make it, the command line's areas, and /memreserve/ (on an EFI boot instead the firmware's
 *  NOMAP ranges). The RAM summary and the free space both count from it. */
std::vector<AddrRange> heldAfterBoot(const Layout& layout, const BootResult& boot);

AnalysisPtr analyse(const LoadedTree& tree, const KernelProfile& profile, const SeverityOverrides& severity = {});

} // namespace carveout
