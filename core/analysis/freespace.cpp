// SPDX-License-Identifier: GPL-2.0-only
#include "analysis/freespace.h"

// core
#include "analysis/analysis.h"

// std
#include <algorithm>

namespace carveout {

FreeSpace freeSpaceOf(std::vector<AddrRange> ram, std::vector<AddrRange> held)
{
    FreeSpace f;
    ram.erase(std::remove_if(ram.begin(), ram.end(), [](const AddrRange& r) { return !r.size; }), ram.end());
    f.ram = mergedRanges(std::move(ram));
    held.erase(std::remove_if(held.begin(), held.end(), [](const AddrRange& r) { return !r.size; }), held.end());
    const std::vector<AddrRange> merged = mergedRanges(std::move(held));
    // One pass per bank over the merged holders, both sorted: a bank's gaps are what lies
    // between the holders that reach into it.
    for (const AddrRange& bank : f.ram) {
        uint64_t at = bank.base;
        const uint64_t end = bank.end();
        for (const AddrRange& h : merged) {
            if (h.end() <= at)
                continue;
            if (h.base >= end)
                break;
            const uint64_t from = std::max(h.base, at), to = std::min(h.end(), end);
            f.held.push_back({ from, to - from });
            if (from > at)
                f.gaps.push_back({ at, from - at });
            at = to;
        }
        if (at < end)
            f.gaps.push_back({ at, end - at });
    }
    return f;
}

FreeSpace freeSpaceOf(const Analysis& a)
{
    std::vector<AddrRange> held = heldAfterBoot(a.layout, a.boot);
    for (const EarlyReservation& e : a.profile.earlyReservations())
        held.push_back(e.range);
    return freeSpaceOf(a.boot.memory, std::move(held));
}

uint64_t FreeSpace::total() const
{
    uint64_t t = 0;
    for (const AddrRange& g : gaps)
        t = t + g.size < t ? UINT64_MAX : t + g.size;
    return t;
}

std::optional<AddrRange> FreeSpace::largestGap() const
{
    std::optional<AddrRange> best;
    for (const AddrRange& g : gaps) {
        if (!best || g.size > best->size)
            best = g;
    }
    return best;
}

std::optional<uint64_t> FreeSpace::firstFit(uint64_t size, uint64_t align, std::optional<AddrRange> within) const
{
    if (!size)
        return std::nullopt;
    const uint64_t a = std::max<uint64_t>(align, 1);
    for (const AddrRange& g : gaps) {
        uint64_t from = g.base, to = g.end();
        if (within) {
            from = std::max(from, within->base);
            to = std::min(to, within->end());
        }
        if (from >= to)
            continue;
        // Round up, watching for the top of the address space.
        const uint64_t rem = from % a;
        if (rem && from + (a - rem) < from)
            continue;
        const uint64_t base = rem ? from + (a - rem) : from;
        if (base < to && to - base >= size)
            return base;
    }
    return std::nullopt;
}

std::optional<AddrRange> FreeSpace::gapAt(uint64_t base, uint64_t size) const
{
    const uint64_t end = saturatedEnd(base, std::max<uint64_t>(size, 1));
    for (const AddrRange& g : gaps) {
        if (base >= g.base && end <= g.end())
            return g;
    }
    return std::nullopt;
}

} // namespace carveout
