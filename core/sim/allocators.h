// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/bitmap.h"

// std
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace carveout::sim {

/** get_order(size): the smallest order with (PAGE_SIZE << order) >= size (0 for size 0). Inline:
 *  every replayed allocation asks it, and a constant page size makes the division a shift. */
inline int getOrder(uint64_t size, uint64_t pageSize)
{
    if (size <= pageSize)
        return 0;
    return 64 - __builtin_clzll((size - 1) / pageSize); // get_order: fls(size - 1 >> PAGE_SHIFT)
}

/** Why an allocator said no; the text for users is made by the simulator. */
enum class AllocFailure { None, NoArea, ZeroCount, LargerThanPool, NotEnoughFree, NoFit, SwiotlbTooLarge, Busy };

/** One CMA area as mm/cma.c manages it (kernel-rules.md 3.7.2, 3.7.3): a bitmap with one bit per
 *  2^order_per_bit pages, first fit on candidates aligned in PHYSICAL page numbers.
 *  alloc_contig_range succeeds unless the caller says the candidate's pages are busy (pinned). */
template <typename Bitmap> class CmaAreaT
{
public:
    CmaAreaT(uint64_t basePfn, uint64_t pages, unsigned orderPerBit = 0)
        : m_basePfn(basePfn)
        , m_count(pages)
        , m_opb(orderPerBit)
        , m_map(pages >> orderPerBit)
    {
    }

    /** cma_alloc(cma, count, align): the first pfn, or nothing with the reason. */
    std::optional<uint64_t> alloc(uint64_t count, unsigned align, AllocFailure* why = nullptr)
    {
        return alloc(
            count, align, [](uint64_t, uint64_t) { return uint64_t(0); }, why, nullptr);
    }

    /** cma_alloc where alloc_contig_range(pfn, pfn + count) returns -EBUSY when busy(pfn, count)
     *  is not 0 (it is then the end pfn of a busy range the candidate overlaps): the bits are
     *  cleared again and the search goes on from bitmap_no + mask + 1 (mm/cma.c, the same in
     *  5.x, 6.1, 6.12 and cma_range_alloc of 6.15 on). `retries` counts the cma_alloc_busy_retry
     *  events. */
    template <typename Busy>
    std::optional<uint64_t> alloc(
        uint64_t count, unsigned align, const Busy& busy, AllocFailure* why, uint64_t* retries)
    {
        auto fail = [&](AllocFailure f) {
            if (why)
                *why = f;
            return std::optional<uint64_t>();
        };
        if (!m_count)
            return fail(AllocFailure::NoArea);
        if (!count)
            return fail(AllocFailure::ZeroCount);
        const uint64_t mask = align <= m_opb ? 0 : (uint64_t(1) << (align - m_opb)) - 1;
        const uint64_t offset = align >= 64 ? m_basePfn >> m_opb : (m_basePfn & ((uint64_t(1) << align) - 1)) >> m_opb;
        const uint64_t maxno = m_count >> m_opb;
        const uint64_t nbits = ((count + (uint64_t(1) << m_opb) - 1) >> m_opb);
        if (nbits > maxno)
            return fail(AllocFailure::LargerThanPool);
        uint64_t tries = 0;
        for (uint64_t start = 0;;) {
            const uint64_t i = m_map.findZeroArea(start, nbits, mask, offset);
            if (i >= maxno) {
                if (retries)
                    *retries = tries;
                if (tries)
                    return fail(AllocFailure::Busy); // ret stays -EBUSY
                return fail(maxno - m_map.setCount() < nbits ? AllocFailure::NotEnoughFree : AllocFailure::NoFit);
            }
            const uint64_t pfn = m_basePfn + (i << m_opb);
            if (const uint64_t busyEnd = busy(pfn, count)) {
                ++tries;
                start = i + mask + 1; // "try again with a bit different memory target"
                // Every later candidate below the range's end reaches into it too (it starts after
                // i, which did): the kernel refuses each. Within a free run they step by mask + 1,
                // so they are counted a run at a time instead of one by one.
                const uint64_t e = std::min(maxno, (busyEnd - m_basePfn + (uint64_t(1) << m_opb) - 1) >> m_opb);
                while (start < e) {
                    const uint64_t j = m_map.findZeroArea(start, nbits, mask, offset);
                    if (j >= e)
                        break;
                    const uint64_t runEnd = m_map.findNextSet(j, maxno);
                    const uint64_t k = (std::min(runEnd - nbits, e - 1) - j) / (mask + 1) + 1;
                    tries += k;
                    start = j + k * (mask + 1);
                }
                continue;
            }
            m_map.set(i, nbits);
            if (retries)
                *retries = tries;
            if (why)
                *why = AllocFailure::None;
            return pfn;
        }
    }

    /** cma_release(cma, pages, count): false when the pages are not this area's. */
    bool release(uint64_t pfn, uint64_t count)
    {
        if (pfn < m_basePfn || pfn >= m_basePfn + m_count || pfn + count > m_basePfn + m_count)
            return false;
        const uint64_t bit = (pfn - m_basePfn) >> m_opb;
        const uint64_t nbits = (count + (uint64_t(1) << m_opb) - 1) >> m_opb;
        m_map.clear(bit, nbits);
        return true;
    }

    uint64_t basePfn() const { return m_basePfn; }
    uint64_t pages() const { return m_count; }
    unsigned orderPerBit() const { return m_opb; }
    const Bitmap& bitmap() const { return m_map; }
    uint64_t usedPages() const { return m_map.setCount() << m_opb; }

private:
    uint64_t m_basePfn;
    uint64_t m_count;
    unsigned m_opb;
    Bitmap m_map;
};
using CmaArea = CmaAreaT<PoolBitmap>;
using PlainCmaArea = CmaAreaT<PlainBitmap>;
using WordCmaArea = CmaAreaT<WordBitmap>;

/** A per-device coherent pool (kernel/dma/coherent.c, kernel-rules.md 3.8): one bit per page,
 *  every allocation a naturally aligned block of 2^get_order(size) pages counted from the pool's
 *  first page. */
template <typename Bitmap> class CoherentPoolT
{
public:
    CoherentPoolT(uint64_t sizeBytes, uint64_t pageSize)
        : m_pageSize(pageSize)
        , m_pages(sizeBytes / pageSize)
        , m_map(m_pages)
    {
    }

    /** __dma_alloc_from_coherent: the first page of the block, or nothing. */
    std::optional<uint64_t> alloc(uint64_t size, AllocFailure* why = nullptr)
    {
        const int order = getOrder(size, m_pageSize);
        if (size > m_pages * m_pageSize || order >= 63) {
            if (why)
                *why = AllocFailure::LargerThanPool;
            return std::nullopt;
        }
        const uint64_t block = uint64_t(1) << order;
        const uint64_t pos = m_map.findZeroArea(0, block, block - 1, 0); // bitmap_find_free_region
        if (pos >= m_pages) {
            if (why)
                *why = m_pages - m_map.setCount() < block ? AllocFailure::NotEnoughFree : AllocFailure::NoFit;
            return std::nullopt;
        }
        m_map.set(pos, block);
        if (why)
            *why = AllocFailure::None;
        return pos;
    }
    /** dma_release_from_dev_coherent(dev, get_order(size), vaddr). */
    void release(uint64_t page, uint64_t size) { m_map.clear(page, uint64_t(1) << getOrder(size, m_pageSize)); }

    uint64_t pages() const { return m_pages; }
    const Bitmap& bitmap() const { return m_map; }
    uint64_t usedPages() const { return m_map.setCount(); }

private:
    uint64_t m_pageSize;
    uint64_t m_pages;
    Bitmap m_map;
};
using CoherentPool = CoherentPoolT<PoolBitmap>;
using PlainCoherentPool = CoherentPoolT<PlainBitmap>;

/** A restricted DMA pool (kernel/dma/swiotlb.c as of 6.9, kernel-rules.md 3.9): 2 KiB slots in
 *  segments of 128, one area, a next-fit cursor, and per slot the free run up to the segment
 *  end (`list`). swiotlb_alloc asks for PAGE_SIZE << get_order(size) alignment. */
class RestrictedPool
{
public:
    static constexpr uint64_t kSlot = 2048; // IO_TLB_SIZE
    static constexpr unsigned kSegment = 128; // IO_TLB_SEGSIZE

    RestrictedPool(uint64_t base, uint64_t sizeBytes, uint64_t pageSize);

    /** swiotlb_alloc(dev, size) for a page-aligned size: the first slot, or nothing. */
    std::optional<uint64_t> alloc(uint64_t size, AllocFailure* why = nullptr);
    /** swiotlb_release_slots for the buffer starting at `slot`. */
    void release(uint64_t slot);

    uint64_t slotCount() const { return uint64_t(m_list.size()); }
    uint64_t usedSlots() const { return m_used; }
    uint64_t cursor() const { return m_index; }
    unsigned list(uint64_t slot) const { return m_list[size_t(slot)]; }
    /** Longest run of free slots (the pool can hand out at most 128 of them at once). */
    uint64_t largestFreeRun() const { return largestFreeRunStart().second; }
    /** The first longest run of free slots: (start, length); (slotCount(), 0) when full. */
    std::pair<uint64_t, uint64_t> largestFreeRunStart() const;
    bool slotUsed(uint64_t slot) const { return m_list[size_t(slot)] == 0; }

private:
    uint64_t wrap(uint64_t index) const { return index >= m_list.size() ? 0 : index; }

    uint64_t m_base;
    uint64_t m_pageSize;
    std::vector<unsigned> m_list;
    std::vector<uint32_t> m_nslots; // slots of the buffer that starts here
    uint64_t m_index = 0;
    uint64_t m_used = 0;
};

} // namespace carveout::sim
