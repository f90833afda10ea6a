// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

// std
#include <map>

namespace carveout::capture {

/** What the kernel log says about one reserved-memory node, by the name the kernel prints
 *  (the node name with its unit address). */
struct NamedFacts
{
    Outcome outcome = Outcome::Unknown;
    std::optional<uint64_t> base;
    std::optional<uint64_t> size; ///< exact (summary line, memblock); empty when only MiB are known
    std::optional<uint64_t> sizeMiB; ///< "size N MiB" of a pool or failure line
    std::optional<bool> noMap; ///< from the summary line
    std::vector<Evidence> evidence;
};

/** One dynamic allocation the reserved-memory code asked memblock for (memblock=debug):
 *  consecutive attempts of one size, one per alloc-ranges window, until one succeeds. */
struct DynamicAllocation
{
    uint64_t size = 0;
    std::optional<uint64_t> base; ///< empty when every attempt failed
    std::vector<Evidence> evidence;
};

/** A range the tree's code reserved or freed, from memblock=debug lines. */
struct TreeRange
{
    AddrRange range;
    Evidence evidence;
};

/** The reserved-memory story of one boot, read from its kernel log. */
struct LogFacts
{
    std::map<QString, NamedFacts> named;
    std::vector<QString> namedOrder; ///< names in the order the log first mentions them
    bool containerIgnored = false;
    std::vector<Evidence> containerEvidence;
    bool printsSummaries = false; ///< the kernel prints "BASE..END (N KiB) map|nomap ... NAME" lines
    std::vector<DynamicAllocation> allocations;
    std::vector<TreeRange> treeReserves; ///< memblock_reserve by the tree's code (static regions, /memreserve/)
    std::vector<TreeRange> treeFrees; ///< memblock_phys_free by the reserved-memory code
    std::vector<KernelReservation> kernel; ///< default CMA area, swiotlb, crashkernel
    bool defaultCmaFailed = false;
    std::optional<uint64_t> memoryTotal; ///< bytes, from "Memory: A/BK available"
    std::optional<Evidence> memoryEvidence;
};

LogFacts readLogFacts(const KernelLog& log);

/** Whether a memblock debug caller ("early_init_fdt_scan_reserved_mem+0x2f8/0x414") is the tree's
 *  reserved-memory code rather than the kernel reserving for itself. */
bool isTreeCaller(const QString& caller);

} // namespace carveout::capture
