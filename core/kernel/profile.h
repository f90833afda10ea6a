// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {

enum class Arch { Arm64, Arm, Riscv };
QString archName(Arch a);
std::optional<Arch> parseArch(const QString& s);

struct KernelVersion
{
    int major = 7;
    int minor = 1;
    static std::optional<KernelVersion> parse(const QString& s); ///< "6.1", "6.12.117", "v7.1"
    QString toString() const { return QStringLiteral("%1.%2").arg(major).arg(minor); }
    int key() const { return major * 1000 + minor; }
    bool atLeast(int ma, int mi) const { return key() >= ma * 1000 + mi; }
};

/** The eras of kernel-rules.md: A ≤ 6.3, B 6.4–6.12, C 6.13–7.0, D 7.1. */
enum class Era { A, B, C, D };
QString eraName(Era e);

/** Kconfig facts that change verdicts (kernel-rules.md 1.7, 4). */
struct KernelConfig
{
    bool cma = true; ///< CONFIG_CMA
    bool dmaCma = true; ///< CONFIG_DMA_CMA
    int cmaAreas = 8; ///< CONFIG_CMA_AREAS
    bool restrictedPool = true; ///< CONFIG_DMA_RESTRICTED_POOL
    bool dmaGlobalPool = false; ///< CONFIG_DMA_GLOBAL_POOL
    bool dmaDeclareCoherent = true; ///< CONFIG_DMA_DECLARE_COHERENT: without it shared-dma-pool has no coherent init
    bool hugetlb = true; ///< CONFIG_HUGETLB_PAGE (needs LPAE on 32-bit ARM)
    bool thp = true; ///< CONFIG_TRANSPARENT_HUGEPAGE
    int forceMaxOrder = 0; ///< CONFIG_ARCH_FORCE_MAX_ORDER; 0 = the arch default
    bool numa = false; ///< CONFIG_NUMA
    bool dmaNumaCma = false; ///< CONFIG_DMA_PERNUMA_CMA (≤ 6.5) / CONFIG_DMA_NUMA_CMA: cma_pernuma=, numa_cma=
    int cmaSizeMbytes = 16; ///< CONFIG_CMA_SIZE_MBYTES: the default area without cma=
    int cmaAlignment = 8; ///< CONFIG_CMA_ALIGNMENT (order cap of dma_alloc_coherent from CMA)
    bool lpae = false; ///< 32-bit ARM: 64-bit phys_addr_t
};

/** Memory the boot holds before /reserved-memory is scanned and that no tree shows. */
struct EarlyReservation
{
    QString name; ///< "kernel", "initrd", "dtb", ...
    AddrRange range;
};

/** How the kernel is entered: straight from a bootloader with a DTB, or through its EFI stub
 *  (kernel-rules-additions.md section 6). */
enum class BootPath { Dt, Efi };

/** One descriptor of the firmware's EFI memory map, as efi=debug prints it. */
struct EfiRange
{
    AddrRange range;
    QString type; ///< "Conventional", "Runtime Data", ... as the kernel prints it
    bool memory = false; ///< is_memory: WB, WT or WC
    bool usable = false; ///< is_usable_memory: System RAM after ExitBootServices (WB)
    bool reserve = false; ///< ACPI Reclaim: memblock_reserve'd as well
    int line = 0; ///< in the file it was read from
};

/** Where the bootloader put one of its files before starting the kernel (U-Boot's
 *  kernel_addr_r, fdt_addr_r, ramdisk_addr_r); the kernel reserves each early. */
struct BootLoad
{
    QString name; ///< "kernel", "dtb" or "initrd" (the early reservation it becomes)
    QString variable; ///< "kernel_addr_r", ... (the U-Boot variable it stands for)
    AddrRange range;
    QString origin; ///< "--load kernel=..." or "FILE:LINE"
};

/** The kernel a layout is judged against (design.md section 4). Values that depend on
 *  others (era, pageblock order, CMA minimum alignment) are derived, never stored. */
struct KernelProfile
{
    QString name = QStringLiteral("linux-7.1-arm64-4k");
    QString description;
    KernelVersion version;
    Arch arch = Arch::Arm64;
    uint64_t pageSize = 4096;
    KernelConfig config;
    /// The kernel command line; empty optional = take /chosen/bootargs from the tree.
    std::optional<QString> cmdline;
    std::vector<EarlyReservation> early;
    /// Stable kernels carry backports: the era follows the features present, not the number
    /// (kernel-rules.md: 8a6e02d0c00e reached 6.12.y). Empty: derived from the version.
    std::optional<Era> eraOverride;
    /// The final memory map when the tree's is not it (bootloaders fill in memory nodes, mem=).
    /// Empty: the tree's memory nodes.
    std::vector<AddrRange> memory;
    BootPath boot = BootPath::Dt;
    /// With EFI: the firmware's memory map (empty: unknown, the tree's memory stands in).
    std::vector<EfiRange> efiMap;
    QString efiMapFile; ///< where efiMap was read from
    /// The bootloader's placements (a DT boot; through EFI the firmware places the files).
    std::vector<BootLoad> loads;

    bool efi() const { return boot == BootPath::Efi; }
    /// What the kernel reserves before /reserved-memory: `early`, then the loads of a DT boot.
    std::vector<EarlyReservation> earlyReservations() const;
    QString kernel() const { return version.toString(); }
    QString archString() const { return archName(arch); }
    Era era() const;
    int pageShift() const;
    /// The largest buddy order (MAX_ORDER−1 up to 6.3, MAX_ORDER / MAX_PAGE_ORDER after).
    int largestBuddyOrder() const;
    /// HUGETLB_PAGE_ORDER / HPAGE_PMD_ORDER for this arch and page size, or -1 when unavailable.
    int hugePageOrder() const;
    int pageblockOrder() const;
    uint64_t pageblockBytes() const { return pageSize << pageblockOrder(); }
    /// CMA_MIN_ALIGNMENT_BYTES (kernel-rules.md 4.3).
    uint64_t cmaMinAlignment() const;
    /// Slots for CMA areas, the default area included.
    int maxCmaAreas() const;
    /// Width of phys_addr_t: 32 on ARM without LPAE, else 64.
    int physAddrBits() const;
    uint64_t smpCacheBytes() const { return 64; }
    /// Whether the arch needs no-map on a coherent pool (CONFIG_ARM).
    bool coherentNeedsNoMap() const { return arch == Arch::Arm; }
};

/** The named profiles: the three oracle kernels with their measured values, then generic
 *  upstream profiles for each version, arch and page size. */
const std::vector<KernelProfile>& namedProfiles();
std::optional<KernelProfile> findProfile(const QString& name);
/** The named profile of a 32-bit ARM kernel without an MMU (CONFIG_MMU=n): DMA_GLOBAL_POOL on,
 *  CMA and the restricted pool off. The profile a tree with an ARMv7-M NVIC gets by default. */
KernelProfile noMmuProfile();
/** A generic upstream profile for a version, arch and page size (default config). */
KernelProfile genericProfile(const KernelVersion& v, Arch arch, uint64_t pageSize);
QStringList supportedVersions();

/** Applies `NAME=VALUE` (Kconfig names without CONFIG_: CMA, DMA_CMA, CMA_AREAS,
 *  DMA_RESTRICTED_POOL, DMA_GLOBAL_POOL, HUGETLB_PAGE, TRANSPARENT_HUGEPAGE,
 *  ARCH_FORCE_MAX_ORDER, NUMA, CMA_SIZE_MBYTES, CMA_ALIGNMENT, ARM_LPAE). Returns an error
 *  sentence, or empty on success. */
QString applyConfig(KernelProfile& p, const QString& assignment);

} // namespace carveout
