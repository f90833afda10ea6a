// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/diagnostic.h"
#include "model/dmaranges.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace carveout {

class DeviceTree;
struct LoadedTree;
struct SourceSpan;

/** A place in the original sources, ready to show ("soc.dtsi", 305, 4). Empty for DTB input. */
struct SourceRef
{
    QString file;
    int line = 0;
    int column = 0;
    bool isValid() const { return !file.isEmpty() && line > 0; }
};

/** The one conversion from a span of `tree` to a shown place: the file as displayPath gives it
 *  (relative to the working folder when inside it), line and column. Empty when the span has no
 *  position (DTB input, dtc-generated phandles). Layout sources and findings all go through it. */
SourceRef sourceRef(const DeviceTree& tree, const SourceSpan& span);

/** base + size, saturated at 2^64 - 1: the end of a range that runs past the top of the address
 *  space (use it wherever an end is compared or shown; only the kernel model adds as the kernel does). */
inline uint64_t saturatedEnd(uint64_t base, uint64_t size)
{
    return base + size < base ? UINT64_MAX : base + size;
}

/** A half-open physical range [base, base + size). `end()` saturates at 2^64 - 1 so a
 *  range that runs past the top of the address space still compares sanely. */
struct AddrRange
{
    uint64_t base = 0;
    uint64_t size = 0;
    uint64_t end() const { return saturatedEnd(base, size); }
    bool overflows() const { return base + size < base; }
};

/** Sorted by base, with ranges that overlap or touch merged: what a set of ranges covers. */
std::vector<AddrRange> mergedRanges(std::vector<AddrRange> ranges);

enum class Placement { Static, Dynamic, None };
enum class RegionKind { Cma, Coherent, Restricted, Reserved };
enum class Outcome { Unknown, Active, Freed, ReserveFailed, AllocFailed, Ignored, Disabled };

QString placementName(Placement p);
QString kindName(RegionKind k);
QString outcomeName(Outcome o);

struct MemoryBank
{
    QString node; ///< path of the memory node
    AddrRange range;
    bool fromUsableMemory = false; ///< read from linux,usable-memory instead of reg
    SourceRef source; ///< the reg / linux,usable-memory property
};

struct MemReserve
{
    AddrRange range;
    SourceRef source;
};

/** The /reserved-memory node as the kernel checks it (kernel-rules.md 1.4). */
struct ReservedContainer
{
    bool present = false;
    QString path;
    int addressCells = -1; ///< -1 when the property is missing or malformed
    int sizeCells = -1;
    bool hasRanges = false;
    bool rangesEmpty = true;
    SourceRef source;
    std::map<QString, SourceRef> propertySources;
};

/** One `iommu-addresses` entry of a region: the IOVA range the IOMMU of `device` reserves for it
 *  (drivers/iommu/of_iommu.c of_iommu_get_resv_regions, 6.3+), read with the device's own cell
 *  counts (its parent's #address-cells and #size-cells, as of_translate_dma_region reads them). */
struct IommuAddress
{
    QString device; ///< path of the node the phandle names; empty when it names none
    int deviceNode = -1;
    uint32_t phandle = 0;
    AddrRange iova;
};

/** One child of /reserved-memory, read with the ROOT cell counts as the kernel reads it. */
struct Region
{
    int node = -1; ///< node index in the DeviceTree
    QString name; ///< node name with unit address ("linux,cma", "dsp@92400000")
    QString path;
    QStringList labels;
    uint32_t phandle = 0;
    Placement placement = Placement::None;

    std::vector<AddrRange> reg; ///< every whole tuple of `reg`
    bool regMalformed = false; ///< length not a multiple of (ac + sc) cells
    std::optional<uint64_t> size; ///< `size`, when exactly root #size-cells long
    bool sizeMalformed = false;
    std::optional<uint64_t> alignment; ///< `alignment`, when exactly root #address-cells long
    bool alignmentMalformed = false;
    std::vector<AddrRange> allocRanges;
    bool allocRangesMalformed = false;
    std::vector<IommuAddress> iommuAddresses;
    /// Cells left over, or a phandle that names no node (the entries before it are kept).
    bool iommuAddressesMalformed = false;

    QStringList compatible;
    bool noMap = false;
    bool reusable = false;
    bool cmaDefault = false;
    bool dmaDefault = false;
    QString status; ///< empty when absent
    bool enabled = true; ///< status absent, "okay" or "ok"
    RegionKind kind = RegionKind::Reserved;

    /// What the tree says: the first `reg` tuple of a static region (no base for a dynamic one)
    /// and the size asked for (`reg` or `size`; 0 when neither is readable). What the kernel makes
    /// of the region, and where it places it, is the boot model's (RegionBoot, placeOf()).
    std::optional<uint64_t> base;
    uint64_t treeSize = 0;

    /// The overlay that added the node (index into DeviceTree::overlays()), -1: the base; and
    /// whether that overlay is applied at run time (the boot never sees the node).
    int overlay = -1;
    bool runtimeOverlay = false;

    SourceRef source; ///< where the node is defined (first contribution)
    std::vector<SourceRef> overrides; ///< later `&label { }` contributions
    std::map<QString, SourceRef> propertySources; ///< property name -> winning definition
};

/** Whether the IOMMU maps an iommu-addresses entry 1:1 (IOMMU_RESV_DIRECT): the IOVA range equals
 *  the region's first reg tuple. Any other entry, and every entry of a region without reg, is
 *  only a reservation in the device's IOVA space (of_iommu_get_resv_regions). */
inline bool iommuIdentity(const Region& r, const IommuAddress& a)
{
    return !r.reg.empty() && a.iova.size && a.iova.base == r.reg.front().base && a.iova.size == r.reg.front().size;
}

/** A device bound to a region through `memory-region` (one entry per phandle). */
struct Consumer
{
    QString device; ///< path of the consumer node
    int deviceNode = -1;
    QString deviceStatus;
    bool deviceEnabled = true;
    int index = 0; ///< position in memory-region
    QString name; ///< from memory-region-names, when present
    uint32_t phandle = 0;
    QString target; ///< path of the node the phandle resolves to; empty when dangling
    int region = -1; ///< index into Layout::regions when the target is a region, else -1
    SourceRef source; ///< the memory-region property
    /// The device's `iommus` names an enabled node: of_dma_configure_id then attaches no
    /// restricted pool (of_iommu_xlate takes a disabled IOMMU node for "no IOMMU").
    bool behindIommu = false;
    /// The entry of_dma_set_restricted_buffer picks at probe: the first whose target is an enabled
    /// restricted-dma-pool. Later ones are never looked at, even when this one fails to attach.
    bool firstRestricted = false;
    /** Whether the kernel attaches this entry's restricted pool at probe (kernel permitting). */
    bool restrictedAttached() const { return firstRestricted && !behindIommu; }
    /// The device's DMA reach from the tree (of_dma_get_range): the bus whose dma-ranges applies
    /// and its translated windows; no bus means the tree does not restrict the device.
    QString dmaBus;
    SourceRef dmaSource; ///< that bus's dma-ranges
    std::vector<DmaWindow> dmaWindows;
    bool dmaRestricted() const { return !dmaBus.isEmpty() && !dmaWindows.empty(); }
};

/** The CPU ranges a device's DMA windows reach, sorted and merged (for showing and measuring). */
std::vector<AddrRange> dmaReach(const std::vector<DmaWindow>& windows);
/** The parts of `r` that lie outside `cover` (sorted, merged ranges). */
std::vector<AddrRange> rangesOutside(const std::vector<AddrRange>& cover, const AddrRange& r);

/** One overlay of the stack the tree was built with (DeviceTree::overlays()), as the reports
 *  list it: what a script needs to tell which overlay did what. */
struct LayoutOverlay
{
    QString file; ///< displayPath of the overlay
    bool runtime = false; ///< --overlay-runtime
    QStringList regionsAdded; ///< /reserved-memory children the overlay added (their paths)
    QStringList regionsChanged; ///< base regions with a property the overlay set last
    int nodesAdded = 0; ///< every node the overlay added, regions included
    int valuesSet = 0; ///< properties whose winning value is the overlay's
};

/** The reserved-memory layout of a board: what the kernel reads from the tree, with where
 *  each value is defined. Built once per load; cheap to copy. */
struct Layout
{
    QString file;
    bool fromDtb = false;
    int rootAddressCells = 1; ///< the kernel's value (1 when missing)
    int rootSizeCells = 1;
    bool rootAddressCellsPresent = false;
    bool rootSizeCellsPresent = false;
    std::vector<MemoryBank> memory; ///< banks the kernel adds (enabled memory nodes)
    std::vector<MemoryBank> ignoredMemory; ///< disabled nodes and zero-size tuples
    std::vector<MemReserve> memreserve;
    ReservedContainer container;
    std::vector<Region> regions;
    std::vector<Consumer> consumers;
    QString bootargs; ///< /chosen/bootargs, when present
    /// of_dma_get_max_cpu_address(NULL): the highest CPU address every bus with dma-ranges
    /// reaches (UINT64_MAX when none restricts), and the node that sets it.
    uint64_t dmaMaxCpu = UINT64_MAX;
    QString dmaMaxCpuNode;
    SourceRef dmaMaxCpuSource;
    std::vector<LayoutOverlay> overlays; ///< in the order applied; empty without --overlay

    uint64_t memoryTotal() const;
    /** Index of the region with this path, or -1. */
    int findRegion(const QString& path) const;
};

/** Reads the layout from a loaded tree (kernel-rules.md section 1). Never fails: malformed
 *  properties are flagged on the region for the rules to report. */
Layout buildLayout(const LoadedTree& loaded);

} // namespace carveout
