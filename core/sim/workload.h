// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout::sim {

enum class Api { DmaAllocCoherent, CmaAlloc };

/** A device as the workload names it (design.md section 7; docs/workloads.md). */
struct WorkloadDevice
{
    QString name; ///< the short name steps use
    QString node; ///< "/soc/isp@ac00000" or "&isp"
    int memoryRegion = 0; ///< which memory-region entry the driver attaches (of_reserved_mem_device_init_by_idx)
    QString memoryRegionName; ///< or by memory-region-names, when set
    std::optional<bool> iommu; ///< behind an IOMMU; empty: its `iommus` names an available IOMMU node
    /// `cma_area`: its cma_alloc calls go to this CMA area of the command line (hugetlb_cma's
    /// "hugetlb0", ...), which no device binds through the tree; empty: the tree decides.
    QString cmaArea;
};

/** One operation after repeat blocks and churn are expanded. Time is the operation's index. */
struct Op
{
    enum Kind : uint8_t { Alloc, Free };
    Kind kind = Alloc;
    Api api = Api::DmaAllocCoherent;
    bool atomic = false; ///< a non-blocking gfp: CMA is never used
    int8_t alignOrder = -1; ///< cma_alloc's align; -1: dma_alloc_coherent's own rule
    int device = -1; ///< index into Workload::devices
    uint32_t buffer = 0; ///< index into Workload::buffers (alloc and free of one buffer share it)
    uint32_t phase = 0; ///< index into Workload::phases
    uint64_t size = 0; ///< bytes asked for (the buffer's, for a free)
};

/** Pages alloc_contig_range cannot take (pinned or unmovable: -EBUSY) during operations
 *  [from, to): a CMA allocation whose candidate range overlaps them is retried further on. */
struct BusyRange
{
    uint64_t base = 0; ///< physical address
    uint64_t size = 0; ///< bytes
    uint64_t from = 0; ///< first operation (index after expansion) it is busy for
    uint64_t to = UINT64_MAX; ///< first operation it is no longer busy for; UINT64_MAX: to the end
};

/** Upper bound on busy ranges: each CMA candidate is checked against the active ones. */
constexpr size_t kMaxBusyRanges = 10'000;

struct Workload
{
    QString name;
    uint64_t seed = 0;
    std::vector<WorkloadDevice> devices;
    QStringList phases; ///< phase names; 0 is "" (outside any phase)
    uint32_t bufferCount = 0;
    QStringList names; ///< the "as" names and the names freed, each once
    std::vector<uint32_t> bufferNames; ///< by buffer: 1 + index into names, 0 for a churn buffer
    std::vector<Op> ops;
    std::vector<BusyRange> busy; ///< "busy" (docs/workloads.md), in the order written

    /** "frame0" for a named buffer, "gpu~17" for buffer 17, a churn buffer of device gpu. */
    QString bufferName(const Op& op) const;
};

/** Upper bound on expanded operations: a workload that expands further is refused. */
constexpr uint64_t kMaxOps = 10'000'000;

/** Parses and expands a workload (JSON). On failure returns nothing and sets `error` to a
 *  message naming the place (line:column for JSON syntax, else the step path such as
 *  steps[3].steps[0].size) and what to write instead. */
std::optional<Workload> parseWorkload(const QByteArray& json, QString* error);

} // namespace carveout::sim
