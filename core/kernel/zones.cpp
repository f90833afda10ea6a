// SPDX-License-Identifier: GPL-2.0-only
// The zone limits of a boot (docs/kernel-rules-additions.md section 1): what dma-ranges makes of
// ZONE_DMA on arm64, per era; kept apart from the boot model's reservation order.
#include "bootmodel.h"

// std
#include <algorithm>

namespace carveout {

namespace {
constexpr uint64_t k4G = 0x100000000ull;
/** DMA_BIT_MASK(bits) (fls64 of 0 is 0, of PHYS_ADDR_MAX 64). */
uint64_t bitMask(int bits)
{
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}
int fls64(uint64_t v)
{
    int n = 0;
    for (; v; v >>= 1)
        ++n;
    return n;
}
} // namespace

ZoneLimits zoneLimits(const Layout& layout, const KernelProfile& profile, const std::vector<AddrRange>& memory)
{
    ZoneLimits z;
    if (memory.empty())
        return z;
    const uint64_t start = memory.front().base;
    const uint64_t last = memory.back().end() - 1; // memblock_end_of_DRAM() - 1
    constexpr uint64_t u32Max = 0xffffffffull;
    if (profile.arch == Arch::Riscv) {
        // setup_bootmem: dma32_phys_limit = min(4 GiB, max_low_pfn); no ZONE_DMA, no dma-ranges.
        z.dma32End = std::min(last + 1, k4G);
        z.cmaLimit = start >= k4G ? 0 : z.dma32End;
        return z;
    }
    if (profile.arch != Arch::Arm64)
        return z; // 32-bit ARM: arm_dma_limit comes from the machine (mdesc->dma_zone_size), not the tree
    // arch/arm64/mm/init.c zone_sizes_init() (ZONE_DMA and ZONE_DMA32 as every arm64 defconfig).
    const uint64_t maxCpu = layout.dmaMaxCpu; // ACPI's IORT limit is PHYS_ADDR_MAX on a DT boot
    if (!profile.version.atLeast(6, 12)) {
        // max_zone_phys(bits): DRAM above 4 GiB widens the zone to all memory; DRAM starting
        // above the mask widens it to 4 GiB.
        auto maxZonePhys = [&](int bits) {
            uint64_t mask = bitMask(bits);
            if (start > u32Max)
                mask = ~0ull;
            else if (start > mask)
                mask = u32Max;
            return std::min(mask, last) + 1;
        };
        z.dma32End = maxZonePhys(32);
        z.dmaEnd = maxZonePhys(std::min(32, fls64(maxCpu)));
    } else {
        // zone_dma_limit: the exact CPU address, capped at 4 GiB while DRAM starts below it.
        z.dma32End = std::min(u32Max, last) + 1;
        uint64_t limit = maxCpu;
        if (start < u32Max)
            limit = std::min(limit, u32Max);
        z.dmaEnd = std::min(limit, last) + 1;
    }
    z.cmaLimit = z.dmaEnd; // dma_contiguous_reserve(arm64_dma_phys_limit)
    if (!layout.dmaMaxCpuNode.isEmpty() && z.dmaEnd < z.dma32End) {
        z.dmaNode = layout.dmaMaxCpuNode;
        z.dmaMaxCpu = maxCpu;
    }
    return z;
}

} // namespace carveout
