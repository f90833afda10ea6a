// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "trace/cmatrace.h"

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {
class DeviceTree;
}

namespace carveout::trace {

/** What a trace says one allocation got: the replay of the workload must give the same. */
struct TracedAllocation
{
    QString area;
    uint64_t count = 0;
    unsigned align = 0;
    std::optional<uint64_t> pfn; ///< none when the kernel's allocation failed
    int line = 0; ///< of the cma_alloc_finish event
};

/** A workload made from a cma trace (docs/workloads.md format, docs/traces.md). */
struct TraceWorkload
{
    QByteArray json; ///< the workload file
    std::vector<TracedAllocation> allocations; ///< in the order of the workload's alloc steps
    int frees = 0;
    int heldAtEnd = 0; ///< allocations the trace never releases: they stay held
    int releasedUnknown = 0; ///< releases of pages allocated before the trace began (left out)
    int busyRetries = 0; ///< cma_alloc_busy_retry events: pages that were pinned or in use
    /** What the trace cannot tell, one sentence each (always some). */
    QStringList limits;
};

/** Makes the workload: each cma_alloc_finish becomes an alloc step of api cma_alloc with the
 *  traced count (times the page size) and alignment order, each cma_release the free of the
 *  allocation it releases (matched by area and pfn). The device of each CMA area comes from the
 *  booted tree: the default area (the command line's or Kconfig's "reserved", or the region with
 *  linux,cma-default) is reached from the root node, which binds no region; another region from
 *  a device whose memory-region names it; a CMA area of the command line (hugetlb_cma's
 *  "hugetlb0", ...) from a device with `cma_area`. Without a tree only the default area and
 *  the command line's can be used.
 *  On failure returns nothing with `error` saying what is missing. */
std::optional<TraceWorkload> workloadFromTrace(
    const CmaTrace& trace, const DeviceTree* booted, uint64_t pageSize, const QString& name, QString* error);

} // namespace carveout::trace
