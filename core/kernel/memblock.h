// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"

// std
#include <cstdint>
#include <vector>

namespace carveout {

/** The parts of mm/memblock.c that decide reserved-memory placement: memory with NOMAP
 *  flags, merged reservations, and memblock_find_in_range_node's top-down / bottom-up
 *  search (kernel-rules.md 3.3.2). Ranges are half-open. `addrMask` truncates every address
 *  to phys_addr_t (32-bit ARM without LPAE). */
class Memblock
{
public:
    struct MemRegion
    {
        uint64_t base = 0;
        uint64_t size = 0;
        bool nomap = false;
        uint64_t end() const { return base + size; }
    };

    explicit Memblock(uint64_t pageSize = 4096)
        : m_pageSize(pageSize)
    {
    }

    void addMemory(uint64_t base, uint64_t size);
    /** memblock_reserve: merges with what is there; never fails on overlap. */
    void reserve(uint64_t base, uint64_t size);
    /** memblock_phys_free: removes the range from the reserved set. */
    void free(uint64_t base, uint64_t size);
    /** memblock_mark_nomap / memblock_clear_nomap on the memory regions the range covers. */
    void markNomap(uint64_t base, uint64_t size);
    void clearNomap(uint64_t base, uint64_t size);
    /** memblock_is_region_reserved: any overlap with a reservation. */
    bool isReserved(uint64_t base, uint64_t size) const;
    /** memblock_overlaps_region(&memblock.memory, ...). */
    bool overlapsMemory(uint64_t base, uint64_t size) const;
    /** memblock_phys_alloc_range: finds and reserves; returns 0 on failure. */
    uint64_t allocRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end);
    uint64_t findInRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end) const;

    void setBottomUp(bool b) { m_bottomUp = b; }
    bool bottomUp() const { return m_bottomUp; }

    const std::vector<MemRegion>& memory() const { return m_memory; }
    const std::vector<AddrRange>& reserved() const { return m_reserved; }
    uint64_t memoryEnd() const { return m_memory.empty() ? 0 : m_memory.back().end(); }
    /** memblock_phys_mem_size(): all memory, no-map included. */
    uint64_t memorySize() const
    {
        uint64_t n = 0;
        for (const auto& m : m_memory)
            n += m.size;
        return n;
    }

private:
    /** Free ranges: memory without NOMAP minus reserved, ascending. */
    std::vector<AddrRange> freeRanges() const;
    void splitMemoryAt(uint64_t addr);
    void mergeMemory();

    uint64_t m_pageSize;
    bool m_bottomUp = false;
    std::vector<MemRegion> m_memory; // sorted, non-overlapping
    std::vector<AddrRange> m_reserved; // sorted, merged
};

} // namespace carveout
