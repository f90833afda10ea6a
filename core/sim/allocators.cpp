// SPDX-License-Identifier: GPL-2.0-only
#include "sim/allocators.h"

// std
#include <algorithm>

namespace carveout::sim {

RestrictedPool::RestrictedPool(uint64_t base, uint64_t sizeBytes, uint64_t pageSize)
    : m_base(base)
    , m_pageSize(pageSize)
{
    const uint64_t n = sizeBytes / kSlot; // rmem->size >> IO_TLB_SHIFT
    m_list.resize(size_t(n));
    m_nslots.assign(size_t(n), 0);
    // The free run of a slot stops at its segment's end and at the pool's end (the kernel's
    // min(IO_TLB_SEGSIZE - io_tlb_offset(i), nslabs - i)).
    for (uint64_t i = 0; i < n; ++i)
        m_list[size_t(i)] = unsigned(std::min<uint64_t>(kSegment - i % kSegment, n - i));
}

std::optional<uint64_t> RestrictedPool::alloc(uint64_t size, AllocFailure* why)
{
    auto fail = [&](AllocFailure f) {
        if (why)
            *why = f;
        return std::optional<uint64_t>();
    };
    const uint64_t nslabs = m_list.size();
    if (!nslabs)
        return fail(AllocFailure::NoArea);
    const uint64_t nslots = (size + kSlot - 1) / kSlot;
    if (!nslots)
        return fail(AllocFailure::ZeroCount);
    // swiotlb_alloc: align = (1 << (get_order(size) + PAGE_SHIFT)) - 1; then
    // swiotlb_search_pool_area: slot alignment at least, no min_align_mask for a plain device.
    const int order = getOrder(size, m_pageSize);
    uint64_t alignMask = order >= 40 ? ~uint64_t(0) : (m_pageSize << order) - 1;
    alignMask |= kSlot - 1;
    const uint64_t stride = (alignMask >> 11) + 1; // get_max_slots
    if (nslots > nslabs - m_used)
        return fail(AllocFailure::NotEnoughFree);
    if (nslots > kSegment)
        return fail(AllocFailure::SwiotlbTooLarge);
    uint64_t index = m_index;
    for (uint64_t checked = 0; checked < nslabs;) {
        const uint64_t addr = m_base + index * kSlot;
        if (addr & alignMask) {
            index = wrap(index + 1);
            checked += 1;
            continue;
        }
        // No segment boundary for a device without dma_parms (mask ~0).
        if (m_list[size_t(index)] >= nslots) {
            for (uint64_t i = index; i < index + nslots; ++i)
                m_list[size_t(i)] = 0;
            unsigned count = 0;
            for (uint64_t i = index; i-- > 0 && i % kSegment != kSegment - 1 && m_list[size_t(i)];)
                m_list[size_t(i)] = ++count;
            m_nslots[size_t(index)] = uint32_t(nslots);
            m_index = wrap(index + nslots);
            m_used += nslots;
            if (why)
                *why = AllocFailure::None;
            return index;
        }
        index = wrap(index + stride);
        checked += stride;
    }
    return fail(AllocFailure::NoFit);
}

void RestrictedPool::release(uint64_t index)
{
    const uint64_t nslots = m_nslots[size_t(index)];
    m_nslots[size_t(index)] = 0;
    unsigned count = 0;
    const uint64_t segEnd = (index / kSegment + 1) * kSegment; // ALIGN(index + 1, IO_TLB_SEGSIZE)
    if (index + nslots < segEnd && index + nslots < m_list.size())
        count = m_list[size_t(index + nslots)];
    for (uint64_t i = index + nslots; i-- > index;)
        m_list[size_t(i)] = ++count;
    for (uint64_t i = index; i-- > 0 && i % kSegment != kSegment - 1 && m_list[size_t(i)];)
        m_list[size_t(i)] = ++count;
    m_used -= nslots;
}

std::pair<uint64_t, uint64_t> RestrictedPool::largestFreeRunStart() const
{
    uint64_t best = 0, bestStart = m_list.size(), run = 0;
    for (uint64_t i = 0; i < m_list.size(); ++i) {
        run = m_list[size_t(i)] ? run + 1 : 0;
        if (run > best) {
            best = run;
            bestStart = i + 1 - run;
        }
    }
    return { bestStart, best };
}

} // namespace carveout::sim
