// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/cmdlineareas.h"
#include "kernel/memblock.h"
#include "kernel/profile.h"
#include "model/layout.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <optional>
#include <vector>

namespace carveout {

/** The command line's words, split at ASCII white space as the kernel's next_arg (isspace) and
 *  a \s+ split do (by hand: a regular expression costs 0.1 million instructions to compile). */
QStringList cmdlineWords(const QString& cmdline);

/** `cma=` from the kernel command line (kernel-rules.md 3.10); the last one wins. */
struct CmaCmdline
{
    bool present = false;
    bool malformed = false;
    uint64_t size = 0;
    uint64_t base = 0;
    uint64_t limit = 0;
    QString text; ///< the option as written
};
CmaCmdline parseCmaCmdline(const QString& cmdline);

/** What happened to one region at boot. Indexes follow Layout::regions. */
struct RegionBoot
{
    Outcome outcome = Outcome::Unknown;
    std::optional<uint64_t> base;
    uint64_t size = 0;
    bool registered = false; ///< has a reserved_mem entry (consumers can find it)
    QString init; ///< "cma", "coherent", "restricted" when an init function took it
    int initResult = 0; ///< 0, or the -errno the last init function returned
    bool initRan = false;
    bool cmdlineBypassed = false;
    bool reserveFailed = false; ///< a no-map tuple hit memory already reserved (-EBUSY)
    int failedTuple = -1;
    int allocOrder = -1; ///< position among dynamic allocations, -1 if none
    int initOrder = -1; ///< position among init calls
    bool cmaNoSlot = false;
    bool inRam = true; ///< wholly inside memory
    QStringList kernelMessages; ///< what the kernel prints for it, in order
};

struct DefaultCma
{
    enum class Source { None, DtNode, Cmdline, Kconfig };
    Source source = Source::None;
    int region = -1; ///< the DT region when source is DtNode
    std::optional<uint64_t> base;
    uint64_t size = 0;
    bool failed = false;
    /// False where the kernel allocates it after early allocations no tree shows (arm64,
    /// riscv: after paging_init), so the real base is somewhat lower.
    bool basePredictable = true;
    QString message;
};

/** At most this many overlapping pairs are listed (hidden overlaps, rm_overlap_hidden): a
 *  generated tree with every region at one address would otherwise have billions. */
constexpr size_t kMaxListedOverlaps = 10000;

struct OverlapPair
{
    int first = -1; ///< region indexes, in the kernel's sorted order
    int second = -1;
};

/** The zone limits that decide where the default CMA area may go and which boundaries a CMA area
 *  must not cross (docs/kernel-rules-additions.md 1). Ends are exclusive; 0 means none. */
struct ZoneLimits
{
    uint64_t dmaEnd = 0; ///< arm64 ZONE_DMA end (arm64_dma_phys_limit); 0 on other arches
    uint64_t dma32End = 0; ///< ZONE_DMA32 end (arm64, riscv)
    uint64_t cmaLimit = 0; ///< dma_contiguous_reserve()'s limit: 0 = the end of memory
    /// The node whose dma-ranges moved ZONE_DMA below ZONE_DMA32's end (empty when none did).
    QString dmaNode;
    uint64_t dmaMaxCpu = UINT64_MAX; ///< of_dma_get_max_cpu_address() when dmaNode is set
};
/** zone_sizes_init() and the default CMA limit for `profile` over `memory` (memblock's view of
 *  RAM, sorted): arm64 takes ZONE_DMA from the tree's dma-ranges (a power of two up to 6.11,
 *  the exact limit from 6.12), riscv and 32-bit ARM do not. */
ZoneLimits zoneLimits(const Layout& layout, const KernelProfile& profile, const std::vector<AddrRange>& memory);

struct BootResult
{
    KernelProfile profile;
    Era era = Era::D;
    bool containerIgnored = false;
    QString containerReason;
    CmaCmdline cma;
    std::vector<RegionBoot> regions;
    std::vector<int> allocationOrder;
    std::vector<int> initOrder;
    std::vector<OverlapPair> overlaps; ///< what the kernel prints (adjacent pairs after its sort)
    /// Overlapping pairs the kernel does not print (ends saturated at 2^64; at most kMaxListedOverlaps).
    std::vector<OverlapPair> hiddenOverlaps;
    DefaultCma defaultCma;
    /// hugetlb_cma=, cma_pernuma=, numa_cma=, crashkernel=, reserve_mem=: in the order the kernel made them.
    std::vector<CmdlineArea> cmdlineAreas;
    int cmaAreasUsed = 0;
    Memblock memblock;
    std::vector<AddrRange> memory; ///< memory after the kernel's page rounding and clipping
    uint64_t highmemStart = 0; ///< 32-bit ARM lowmem end, 0 when none
    uint64_t dmaLimit = 0; ///< the default CMA limit
    ZoneLimits zones;
    /// The tree (and profile) describe no RAM: bootloaders often fill memory nodes in at boot.
    /// Dynamic placement is then unknown rather than failed.
    bool noMemory = false;
};

/** A physical address as the kernel's %pa prints it: 0x and 16 zero-padded hex digits, 8 where
 *  phys_addr_t is 32 bits (the oracle's logs show both). */
QString kernelPa(uint64_t v, int physAddrBits);

/** Runs the kernel's boot-time processing of the tree for a profile (kernel-rules.md 3.1–3.6,
 *  3.10). Pure: the layout is not changed. */
BootResult simulateBoot(const Layout& layout, const KernelProfile& profile);

/** Where a region sits and what became of it. */
struct RegionPlace
{
    Outcome outcome = Outcome::Unknown;
    std::optional<uint64_t> base; ///< empty when nobody placed it
    uint64_t size = 0;
    uint64_t end() const { return base ? saturatedEnd(*base, size) : 0; }
};
/** Region i of `layout` after `boot`: the kernel's outcome and placement, or the tree's base and
 *  size where the kernel placed nothing (a failed static region is still drawn where the tree
 *  puts it). Without a boot (nullptr): the tree's, with an unknown outcome. */
RegionPlace placeOf(const Layout& layout, const BootResult* boot, int i);

/** lib/sort.c (Wegener's bottom-up heapsort, ≥ 5.1) on indexes with a three-way comparator;
 *  exposed for tests because 6.1's dynamic allocation order is whatever it leaves. */
template <typename Cmp> void kernelHeapSort(std::vector<int>& v, Cmp cmp)
{
    size_t n = v.size();
    size_t a = n / 2;
    if (a == 0)
        return;
    auto parent = [](size_t i) { return (i - 1) / 2; };
    for (;;) {
        size_t b, c, d;
        if (a)
            --a;
        else if (--n)
            std::swap(v[0], v[n]);
        else
            break;
        for (b = a; c = 2 * b + 1, (d = c + 1) < n;)
            b = cmp(v[c], v[d]) >= 0 ? c : d;
        if (d == n)
            b = c;
        while (b != a && cmp(v[a], v[b]) >= 0)
            b = parent(b);
        c = b;
        while (b != a) {
            b = parent(b);
            std::swap(v[b], v[c]);
        }
    }
}

} // namespace carveout
