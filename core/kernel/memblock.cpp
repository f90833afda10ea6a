// SPDX-License-Identifier: GPL-2.0-only
#include "memblock.h"

// std
#include <algorithm>

namespace carveout {

namespace {
uint64_t clampEnd(uint64_t base, uint64_t size)
{
    // memblock_cap_size: a range never runs past the top of the address space.
    return base + size < base ? UINT64_MAX : base + size;
}
} // namespace

namespace {
/** Adds [base, base + size) to a sorted list, merging everything it overlaps or touches, as
 *  memblock_add_range does for both memory and reservations. */
template <typename Range> void mergeRange(std::vector<Range>& list, uint64_t base, uint64_t size)
{
    const uint64_t end = clampEnd(base, size);
    if (end <= base)
        return;
    std::vector<Range> out;
    uint64_t b = base, e = end;
    for (const auto& r : list) {
        if (r.end() < b || r.base > e) {
            out.push_back(r);
        } else {
            b = std::min(b, r.base);
            e = std::max(e, r.end());
        }
    }
    Range merged {};
    merged.base = b;
    merged.size = e - b;
    out.push_back(merged);
    std::sort(out.begin(), out.end(), [](const Range& x, const Range& y) { return x.base < y.base; });
    list = std::move(out);
}
} // namespace

void Memblock::addMemory(uint64_t base, uint64_t size)
{
    mergeRange(m_memory, base, size);
}

void Memblock::reserve(uint64_t base, uint64_t size)
{
    mergeRange(m_reserved, base, size);
}

void Memblock::free(uint64_t base, uint64_t size)
{
    const uint64_t end = clampEnd(base, size);
    std::vector<AddrRange> out;
    for (const auto& r : m_reserved) {
        if (r.end() <= base || r.base >= end) {
            out.push_back(r);
            continue;
        }
        if (r.base < base)
            out.push_back({ r.base, base - r.base });
        if (r.end() > end)
            out.push_back({ end, r.end() - end });
    }
    m_reserved = std::move(out);
}

void Memblock::splitMemoryAt(uint64_t addr)
{
    for (size_t i = 0; i < m_memory.size(); ++i) {
        MemRegion& r = m_memory[i];
        if (addr > r.base && addr < r.end()) {
            MemRegion tail { addr, r.end() - addr, r.nomap };
            r.size = addr - r.base;
            m_memory.insert(m_memory.begin() + ptrdiff_t(i) + 1, tail);
            return;
        }
    }
}

void Memblock::mergeMemory()
{
    std::vector<MemRegion> out;
    for (const auto& r : m_memory) {
        if (!out.empty() && out.back().end() == r.base && out.back().nomap == r.nomap)
            out.back().size += r.size;
        else
            out.push_back(r);
    }
    m_memory = std::move(out);
}

void Memblock::markNomap(uint64_t base, uint64_t size)
{
    const uint64_t end = clampEnd(base, size);
    splitMemoryAt(base);
    splitMemoryAt(end);
    for (auto& r : m_memory) {
        if (r.base >= base && r.end() <= end)
            r.nomap = true;
    }
    mergeMemory();
}

void Memblock::clearNomap(uint64_t base, uint64_t size)
{
    const uint64_t end = clampEnd(base, size);
    splitMemoryAt(base);
    splitMemoryAt(end);
    for (auto& r : m_memory) {
        if (r.base >= base && r.end() <= end)
            r.nomap = false;
    }
    mergeMemory();
}

bool Memblock::isReserved(uint64_t base, uint64_t size) const
{
    const uint64_t end = clampEnd(base, size);
    for (const auto& r : m_reserved) {
        if (r.base < end && base < r.end())
            return true;
    }
    return false;
}

bool Memblock::overlapsMemory(uint64_t base, uint64_t size) const
{
    const uint64_t end = clampEnd(base, size);
    for (const auto& r : m_memory) {
        if (r.base < end && base < r.end())
            return true;
    }
    return false;
}

std::vector<AddrRange> Memblock::freeRanges() const
{
    // for_each_free_mem_range: memory regions without NOMAP, minus every reservation.
    std::vector<AddrRange> out;
    size_t j = 0;
    for (const auto& m : m_memory) {
        if (m.nomap)
            continue;
        uint64_t cursor = m.base;
        while (j < m_reserved.size() && m_reserved[j].end() <= cursor)
            ++j;
        size_t k = j;
        while (cursor < m.end()) {
            if (k < m_reserved.size() && m_reserved[k].base < m.end()) {
                const AddrRange& r = m_reserved[k];
                if (r.base > cursor)
                    out.push_back({ cursor, r.base - cursor });
                cursor = std::max(cursor, r.end());
                ++k;
            } else {
                out.push_back({ cursor, m.end() - cursor });
                cursor = m.end();
            }
        }
    }
    return out;
}

uint64_t Memblock::findInRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end) const
{
    if (align == 0)
        align = 64;
    // memblock_find_in_range_node: never the first page; end pumped up to start.
    start = std::max(start, m_pageSize);
    end = std::max(start, end);
    const std::vector<AddrRange> ranges = freeRanges();
    if (!m_bottomUp) {
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            const uint64_t rs = std::clamp(it->base, start, end);
            const uint64_t re = std::clamp(it->end(), start, end);
            if (re < size)
                continue;
            // round_down with the kernel's mask arithmetic, also for non-power-of-two align.
            const uint64_t cand = (re - size) & ~(align - 1);
            if (cand >= rs)
                return cand;
        }
        return 0;
    }
    for (const auto& r : ranges) {
        const uint64_t rs = std::clamp(r.base, start, end);
        const uint64_t re = std::clamp(r.end(), start, end);
        const uint64_t cand = ((rs - 1) | (align - 1)) + 1; // round_up, kernel macro form
        if (cand < re && re - cand >= size)
            return cand;
    }
    return 0;
}

uint64_t Memblock::allocRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end)
{
    const uint64_t found = findInRange(size, align, start, end);
    if (found)
        reserve(found, size);
    return found;
}

} // namespace carveout
