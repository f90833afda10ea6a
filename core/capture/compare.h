// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "capture/capture.h"

// std
#include <optional>
#include <vector>

namespace carveout::capture {

/** One line of the capture that shows something, with its line in the capture file. */
struct Evidence
{
    QString text;
    int fileLine = 0;
    QString section; ///< "dmesg", "iomem", "memblock/reserved", "fdt", ...
};

/** What the capture shows for one region. Outcome::Unknown = no evidence either way. */
struct ActualRegion
{
    Outcome outcome = Outcome::Unknown;
    std::optional<uint64_t> base;
    std::optional<uint64_t> size;
    std::vector<Evidence> evidence;
};

enum class Verdict { Agree, Differ, Unknown };
QString verdictName(Verdict v); ///< "agree", "differ", "unknown"

struct RegionComparison
{
    int region = -1; ///< Layout::regions index of the analysed board
    QString path, name;
    RegionPlace predicted;
    ActualRegion actual;
    Verdict verdict = Verdict::Unknown;
    QString explanation; ///< why it differs / why unknown, one sentence ("6.1 prints nothing for a region without
                         ///< compatible; boot with memblock=debug to see it")
    QString advice; ///< what to do, empty when nothing
};

/** A reservation the capture shows coming from the device tree that no region of the sources
 *  explains (a node the bootloader added, a region deleted from the sources since that boot). */
struct Unexplained
{
    AddrRange range;
    QString name; ///< node name when the kernel printed one, else empty
    bool noMap = false;
    std::vector<Evidence> evidence;
    QString explanation;
    QString advice;
};

/** The kernel's own reservations (image, DTB copy, page tables, default CMA area, swiotlb,
 *  crashkernel, ...): listed apart, never differences. */
struct KernelReservation
{
    QString what; ///< "default CMA area", "kernel image", "swiotlb", ...
    AddrRange range;
    std::optional<uint64_t> predictedBase; ///< the model's base where it has one
    bool predictable = true; ///< false: shown, not counted (the arm64 default CMA base)
    std::vector<Evidence> evidence;
};

/** What the bootloader changed: the source tree against the tree the kernel received. */
struct TreeDifference
{
    QString area; ///< "/memory", "/reserved-memory", "/memreserve/", "/chosen"
    QString path; ///< node or property path
    QString change; ///< "added", "removed", "changed"
    QString source; ///< the value in the sources (empty when added)
    QString booted; ///< the value the kernel received (empty when removed)
    SourceRef where; ///< the defining source line, when there is one
    QString explanation;
    QString advice;
    /// False for what a bootloader routinely adds and that changes no verdict (the initrd's place,
    /// seeds in /chosen): listed, not counted as a difference.
    bool counted = true;
};

struct CompareResult
{
    QString board;
    CaptureKind kind = CaptureKind::Log;
    QString kernelRelease;
    KernelProfile profile; ///< the profile the prediction used
    QStringList profileNotes; ///< where each profile value came from ("kernel 6.12 from uname -r of the capture")
    /// The bootloader's /memory (from the booted DTB) when it differs from the sources: the fix "--memory".
    std::vector<AddrRange> bootedMemory;
    std::vector<RegionComparison> regions;
    std::vector<Unexplained> unexplained;
    std::vector<KernelReservation> kernelReservations;
    std::vector<TreeDifference> treeDifferences;
    QStringList notes; ///< reader notes + compare notes (truncated log, two boots, ...)
    int agree = 0, differ = 0, unknown = 0; ///< regions; unexplained and tree differences count into differ
    bool anyDifference() const { return differ > 0; }
};

/** The profile a capture implies: kernel version, arch, page size, command line and Kconfig
 *  (CMA_AREAS, CMA_SIZE_MBYTES, ... from config.gz), and RAM from the booted DTB's memory
 *  nodes, laid over `base` where the user did not override them (`overridden` names what the
 *  user set: "kernel", "arch", "page-size", "cmdline", "memory", "config"). Known Debian
 *  kernels map to the named oracle profiles. Each value taken says so in `notes`. */
KernelProfile profileFromCapture(
    const Capture& capture, const KernelProfile& base, const QStringList& overridden, QStringList* notes);

/** Compares the board's analysis (made under profileFromCapture's profile) with the capture. */
CompareResult compareCapture(const LoadedTree& board, const AnalysisPtr& analysis, const Capture& capture);

} // namespace carveout::capture
