// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// What a check function sees (internal to core/rules): the layout, the boot model's verdicts,
// the profile and the tree, and the calls that turn a verdict into a Finding.

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/devicetree.h"
#include "model/layout.h"
#include "model/units.h"
#include "rules.h"

// Qt
#include <QString>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {

struct RuleContext
{
    const Layout& L;
    const BootResult& B;
    const KernelProfile& P;
    const DeviceTree& T;
    const Rule* rule = nullptr;
    std::vector<Finding>* out = nullptr; ///< the findings of `rule`
    /// The findings of this rule's prerequisites (what they reported in this run).
    std::vector<const std::vector<Finding>*> prerequisiteFindings;

    const Region& reg(int i) const { return L.regions[size_t(i)]; }
    /// The boot model's other facts about a region (init, messages, ...). Its outcome, base and
    /// size are read through outcome(), base() and size() only.
    const RegionBoot& boot(int i) const { return B.regions[size_t(i)]; }
    /// What the profile's kernel does with region i, where it placed it and how much it holds
    /// (the one seam between the rules and the boot result for these three).
    Outcome outcome(int i) const { return B.regions[size_t(i)].outcome; }
    std::optional<uint64_t> base(int i) const { return B.regions[size_t(i)].base; }
    uint64_t size(int i) const { return B.regions[size_t(i)].size; }
    /// For message variants of one rule across kernels (applicability is Rule::appliesTo).
    bool v(int ma, int mi) const { return P.version.atLeast(ma, mi); }

    /** The source of a region's property, falling back to the node. */
    SourceRef src(int i, const char* prop = nullptr) const;
    /** Where a node of the tree is first defined (file as displayed, line, column). */
    SourceRef src(const DtNode& node) const;
    /** A property's definition. */
    SourceRef src(const DtProperty& property) const;

    /** Adds a finding of the running rule with its default severity; returns it for rules
     *  that grade a finding themselves. */
    Finding& report(const QString& node, const SourceRef& source, const QString& message, const QString& kernelMessage);
    Finding& report(int i, const char* prop, const QString& message, const QString& kernelMessage);
    /** ... with the rule's own kernel message. */
    Finding& report(int i, const char* prop, const QString& message);
    Finding& reportSev(Severity s, int i, const char* prop, const QString& message);

    /** Whether a prerequisite of the running rule reported on region i's node. */
    bool prerequisiteReported(int i) const;
    int consumersOf(int i) const;
    bool enabled(int i) const { return reg(i).enabled && !B.containerIgnored && L.container.present; }
    /** Regions the kernel looked at (enabled, container accepted). */
    template <typename F> void each(F f)
    {
        for (int i = 0; i < int(L.regions.size()); ++i) {
            if (enabled(i))
                f(i);
        }
    }
};

// ---- helpers shared by the checks files ----------------------------------------------------

/** %pa as the kernel prints it, for kernel messages. */
inline QString pa(const RuleContext& c, uint64_t v)
{
    return kernelPa(v, c.P.physAddrBits());
}
inline bool shared(const Region& r)
{
    return r.compatible.contains(QLatin1String("shared-dma-pool"));
}
inline bool isCma(const Region& r)
{
    return shared(r) && r.reusable && !r.noMap;
}

// ---- where rules apply (Rule::appliesTo) ---------------------------------------------------

namespace applies {
/// restricted-dma-pool arrived in 5.15.
inline bool since5_15(const KernelProfile& p)
{
    return p.version.atLeast(5, 15);
}
/// The 6.13 restructure (eras C and D, also backported to 6.12.y: the era, not the number).
inline bool eraCOrLater(const KernelProfile& p)
{
    return p.era() == Era::C || p.era() == Era::D;
}
/// ... on a DT boot: through EFI there is no /memreserve/ left to land on.
inline bool eraCOrLaterDtBoot(const KernelProfile& p)
{
    return eraCOrLater(p) && !p.efi();
}
inline bool armEraCOrLater(const KernelProfile& p)
{
    return p.arch == Arch::Arm && eraCOrLater(p);
}
/// ARM without LPAE: a 32-bit phys_addr_t.
inline bool phys32(const KernelProfile& p)
{
    return p.physAddrBits() == 32;
}
/// CONFIG_ARM: coherent pools need no-map.
inline bool arm(const KernelProfile& p)
{
    return p.coherentNeedsNoMap();
}
inline bool notArm(const KernelProfile& p)
{
    return !p.coherentNeedsNoMap();
}
inline bool armSince5_15(const KernelProfile& p)
{
    return p.arch == Arch::Arm && since5_15(p);
}
/// of_iommu_get_resv_regions (iommu-addresses) arrived in 6.3.
inline bool since6_3(const KernelProfile& p)
{
    return p.version.atLeast(6, 3);
}
} // namespace applies

// ---- the records, one per rule, defined next to their check functions ---------------------

// containerchecks.cpp: 2.1 container and root, 2.2 child node parsing
extern const Rule kRmNodePath, kRmRootCells, kRmRanges, kRmRangesNonempty, kRmRootCellsMissing, kRmPhysWidth,
    kRmChildStatus, kRmChildDepth, kRmRegFormat, kRmRangeWraps, kRmRegMulti, kRmRegZeroSize, kRmRegAndSize,
    kRmNoRegNoSize, kRmSizeCells, kRmSizeZero, kRmAlignCells, kRmAlignPow2, kRmAllocRangesFormat, kRmDynNofit,
    kRmAllocRangeEmpty, kRmUnitAddr;
// reservationchecks.cpp: 2.3 reservation, overlap, limits
extern const Rule kRmNomapBusy, kRmStaticOverReserved, kRmStaticOutsideRam, kRmMaxRegions, kRmOverlap, kRmOverlapHidden,
    kRmMemreserveClobber, kRmInitFailFree, kRmNoInit, kRmReusableNocma, kRmNomapReusable;
// cmachecks.cpp: 2.4 CMA
extern const Rule kCmaReusable, kCmaNomap, kCmaAlign, kCmaDynSize, kCmaSlots, kCmaNotReserved, kCmaZone,
    kCmaDefaultMulti, kCmaCmdlineOverride, kCmaNoConfig, kCmaStaticLateDefault;
// poolchecks.cpp: 2.5 coherent pools, 2.6 restricted DMA pools, 2.7 consumers
extern const Rule kDmaArmNomap, kDmaMappedRam, kDmaDefault, kDmaOnePool, kSwiotlbForbiddenProps, kSwiotlbConfig,
    kSwiotlbLinear, kSwiotlbSize, kSwiotlbIommu, kSwiotlbSecond, kMrPhandle, kMrTargetDisabled, kMrTargetUnregistered,
    kMrNames, kMrShared, kIommuAddresses, kMrDmaReach;
// memorychecks.cpp: 2.8 memory and command line
extern const Rule kMemDevtype, kMemPageAlign, kMemNone, kMemUsable, kCmdlineCmaFixed, kCmdlineCmaLimit,
    kCmdlineAreaFailed;
// overlaychecks.cpp: device-tree overlays (kernel-rules-additions.md section 8)
extern const Rule kOverlayRuntimeRmem;
// bootchecks.cpp: the boot chain (kernel-rules-additions.md 6, 7)
extern const Rule kEfiMemreserveDropped, kBootLoadOverlap, kBootLoadInWindow;

} // namespace carveout
