// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/memblock.h"
#include "kernel/profile.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {

/** Memory the kernel command line reserves besides `cma=` (docs/kernel-rules-additions.md 3):
 *  CMA areas (`hugetlb_cma=`, `cma_pernuma=`, `numa_cma=`, `crashkernel=...,cma`) and plain
 *  reservations (`crashkernel=`, its `,low` part, `reserve_mem=`). All of them are made after
 *  the tree's /reserved-memory, so they never move a tree region; they take what it left. */
struct CmdlineArea
{
    enum class Kind { HugetlbCma, PernumaCma, NumaCma, CrashKernel, CrashKernelLow, CrashKernelCma, ReserveMem };
    Kind kind = Kind::CrashKernel;
    QString name; ///< the kernel's name: "hugetlb0", "pernuma0", "numa0", "crashkernel", "oops", ...
    QString option; ///< the option as written
    bool cma = false; ///< a CMA area: takes one of MAX_CMA_AREAS and its pages stay movable
    std::optional<uint64_t> base;
    uint64_t size = 0;
    bool failed = false;
    bool noSlot = false; ///< failed for want of a CMA slot
    /// False where the kernel places it top-down below allocations no tree shows (page tables,
    /// the unflattened tree: the top of RAM on arm64, of lowmem on ARM), so the real base is lower.
    bool basePredictable = true;
    uint64_t limit = 0; ///< the highest end it was allowed (0 = none)
    unsigned orderPerBit = 0; ///< of a CMA area: pages per bitmap bit, as a power of two
    uint64_t granule = 0; ///< the option's size is rounded up to a multiple of it (0: none said)
    QStringList kernelMessages; ///< what the kernel prints for it, in order
    QString note; ///< why it failed when the kernel says nothing (a size parse_crashkernel refuses)
};
/** "hugetlb_cma", "cma_pernuma", "numa_cma", "crashkernel", "crashkernel_low", "crashkernel_cma",
 *  "reserve_mem": the JSON `kind`. */
QString cmdlineAreaKindName(CmdlineArea::Kind k);

/** The options as the kernel parses them (early_param: the last one of a name wins, except
 *  reserve_mem=, which reserves once per occurrence). */
struct CmdlineRequests
{
    struct Sized
    {
        bool present = false;
        bool malformed = false;
        uint64_t size = 0;
        int node = -1; ///< "N:size" forms; -1 = every node
        QString text;
    };
    Sized hugetlbCma, pernuma, numaCma;
    struct Crash
    {
        bool present = false;
        bool malformed = false;
        uint64_t size = 0;
        uint64_t base = 0;
        bool high = false;
        std::optional<uint64_t> low; ///< crashkernel=Y,low
        uint64_t cma = 0; ///< crashkernel=Z,cma
        QString text;
    } crash;
    struct ReserveMem
    {
        uint64_t size = 0;
        uint64_t align = 0;
        QString name;
        bool malformed = false;
        QString text;
    };
    std::vector<ReserveMem> reserveMem;
};
/** Parses the options; `systemRam` picks the size of the `crashkernel=RANGE:SIZE,...` form. */
CmdlineRequests parseCmdlineRequests(const QString& cmdline, uint64_t systemRam);

/** What the placement functions work on: the boot's memblock, CMA slot count and limits. */
struct CmdlineAreaBoot
{
    Memblock& memblock;
    const KernelProfile& profile;
    int& cmaAreasUsed;
    uint64_t dmaLimit = 0; ///< arm64_dma_phys_limit / the end of lowmem on ARM (CRASH_ADDR_LOW_MAX)
    uint64_t highmemStart = 0;
    std::vector<CmdlineArea>& out;
};
/** bootmem_init() before dma_contiguous_reserve(): hugetlb_cma_reserve() (up to 6.19), then the
 *  per-node areas (dma_pernuma_cma_reserve / dma_numa_cma_reserve). arm64 only: no other
 *  modelled arch calls them. */
void reserveCmdlineCmaAreas(CmdlineAreaBoot& b, const CmdlineRequests& q);
/** 7.0+: hugetlb_cma_reserve() from mm_core_init_early(), right after setup_arch(): after the
 *  default area and the crash kernel, before reserve_mem=. */
void reserveLateHugetlbCma(CmdlineAreaBoot& b, const CmdlineRequests& q);
/** After the default CMA area: reserve_crashkernel() (arm64: bootmem_init; ARM: setup_arch
 *  after the tree and the default area), then crashkernel=...,cma. */
void reserveCrashKernel(CmdlineAreaBoot& b, const CmdlineRequests& q);
/** reserve_mem= (6.11+): a __setup handler, so it runs after setup_arch(), top-down. */
void reserveMemAreas(CmdlineAreaBoot& b, const CmdlineRequests& q);

} // namespace carveout
