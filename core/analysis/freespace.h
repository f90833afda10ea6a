// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {

struct Analysis;

/** RAM as the boot leaves it: what is held and the free gaps between. Ranges are half-open,
 *  sorted by base and merged (overlapping holders are one held range). */
struct FreeSpace
{
    std::vector<AddrRange> ram; ///< the memory the kernel uses (page-rounded, clipped), merged
    /// Inside RAM: the regions the kernel keeps (at their placed address), /memreserve/ entries,
    /// the profile's early reservations and a default CMA area the kernel makes without a node.
    /// Freed, failed, ignored and disabled regions hold nothing.
    std::vector<AddrRange> held;
    std::vector<AddrRange> gaps; ///< RAM that nothing holds

    /** Sum of the gaps' sizes (saturated). */
    uint64_t total() const;
    /** The largest gap (the lowest of equal ones); empty when RAM is all held or unknown. */
    std::optional<AddrRange> largestGap() const;
    /** The lowest base aligned to `align` (0 or 1: any) where [base, base + size) lies in one gap
     *  and inside `within` (empty: anywhere). Empty when nothing fits, or size is 0. */
    std::optional<uint64_t> firstFit(uint64_t size, uint64_t align, std::optional<AddrRange> within = {}) const;
    /** The gap that holds [base, base + size), or empty. */
    std::optional<AddrRange> gapAt(uint64_t base, uint64_t size = 1) const;
};

/** The free space of an analysis (its boot's memory and placements). Never fails: a board whose
 *  RAM the tree does not give has no RAM and so no gap. */
FreeSpace freeSpaceOf(const Analysis& analysis);
/** The same from the parts: RAM and what is held (anything; clipped to RAM, merged). */
FreeSpace freeSpaceOf(std::vector<AddrRange> ram, std::vector<AddrRange> held);

} // namespace carveout
