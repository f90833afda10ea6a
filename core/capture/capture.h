// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace carveout::capture {

/** What a capture file is (detected from its content, never from its name). */
enum class CaptureKind { Bundle, Log, Iomem };
QString captureKindName(CaptureKind k); ///< "bundle", "log", "iomem"

/** One kernel log line with its place in the file, prefixes removed. */
struct LogLine
{
    int fileLine = 0; ///< 1-based line in the capture file (for a bundle: in the bundle file)
    QString text; ///< the message: timestamp, "HOST kernel: ", syslog "<6>" level, console noise removed
    std::optional<double> time; ///< seconds since boot, when the line had a timestamp
};

/** The kernel log of one boot, normalised from dmesg, /dev/kmsg, journalctl -k or a serial
 *  console (with or without timestamps, with or without memblock=debug). */
struct KernelLog
{
    bool present = false;
    std::vector<LogLine> lines; ///< the LAST boot only
    int boots = 0; ///< boots found in the input ("Booting Linux on physical CPU" / "Linux version")
    bool truncatedStart
        = false; ///< the boot's start is missing (no "Booting Linux"/"Linux version" before the first line)
    bool memblockDebug
        = false; ///< memblock=debug lines are present (memblock_reserve:, memblock_phys_alloc_range:, ...)
    QString linuxVersion; ///< "6.12.117+deb12-arm64" from "Linux version X (...)", when seen
    QString commandLine; ///< from "Kernel command line: ...", when seen
    /// Added to the interface: how the log was written: the bundle's `kernel_log_source`
    /// ("dmesg", "kmsg", "journal"); for a plain log file "journal" when its lines carry
    /// "HOST kernel: " prefixes, else "log".
    QString source;
};

/** One line of /proc/iomem: "  40000000-bfffffff : System RAM". */
struct IomemEntry
{
    uint64_t start = 0;
    uint64_t end = 0; ///< inclusive, as printed
    QString name;
    int depth = 0; ///< indentation / 2
    int fileLine = 0;
};

/** One line of <debugfs>/memblock/memory or reserved: "   0: 0x0000000040000000..0x00000000bfffffff    0 NONE". */
struct MemblockEntry
{
    uint64_t base = 0;
    uint64_t size = 0; ///< end - base + 1
    int node = -1; ///< NUMA node column when present (6.x prints it), else -1
    QString flags; ///< "NONE", "NOMAP", ... (empty on kernels that print no flags)
    int fileLine = 0;
};

/** One CMA area from <debugfs>/cma/NAME/ and /sys/kernel/mm/cma/NAME/. */
struct CmaAreaCapture
{
    QString name;
    std::optional<uint64_t> basePfn, count, orderPerBit, used, maxchunk; ///< debugfs (pages)
    std::map<QString, QString> sysfs; ///< file name -> trimmed value (alloc_pages_success, ...)
};

/** Everything read from one capture file. Pure data; sections that were absent stay empty with
 *  `has*` false. */
struct Capture
{
    QString file;
    CaptureKind kind = CaptureKind::Log;
    int formatVersion = 0; ///< bundle format version (bundles only)
    bool truncated = false; ///< bundle without its final "@@@ end": complete sections before the cut are used
    std::map<QString, QString> meta; ///< the bundle's meta section
    QString kernelRelease; ///< uname -r ("6.12.117+deb12-arm64"), else from "Linux version" in the log
    QString machine; ///< uname -m ("aarch64", "armv7l", "riscv64"), empty when unknown
    std::optional<uint64_t> pageSize;
    std::optional<QString> cmdline; ///< /proc/cmdline, else "Kernel command line:" of the log
    KernelLog log;
    bool hasIomem = false;
    bool iomemHidden = false; ///< every address 0 (read as non-root)
    std::vector<IomemEntry> iomem;
    bool hasMemblock = false;
    std::vector<MemblockEntry> memblockMemory, memblockReserved;
    QString meminfo; ///< raw /proc/meminfo (may be empty)
    std::vector<CmaAreaCapture> cma;
    /// The DTB the kernel received: the fdt section, or a blob rebuilt (libfdt sequential write)
    /// from the device-tree listing; empty when the capture has neither.
    QByteArray fdt;
    /// Rebuilt from /proc/device-tree: no /memreserve/ entries known (and the `name` properties
    /// old kernels synthesize, the node name up to '@', left out). Either way `fdt` passed readDtb.
    bool fdtFromListing = false; ///< rebuilt from /proc/device-tree: no /memreserve/ entries known
    /// Kconfig from config.gz ("CONFIG_CMA" -> "y", "CONFIG_CMA_AREAS" -> "19"); empty when absent.
    /// "# CONFIG_X is not set" gives "n"; string values keep their quotes, as in .config.
    std::map<QString, QString> kconfig;
    QStringList bundleNotes; ///< the bundle's notes section, verbatim lines
    /// The tracefs trace carveout-capture --trace recorded (empty without one), and the bundle
    /// line its first line is on.
    QByteArray trace;
    int traceLine = 0;
    /// Sections of the bundle this reader does not know (ignored, as the format says), in file order.
    /// Added to the interface: for a verbose mode.
    QStringList unknownSections;
    /// What the reader itself wants the user to know, one sentence each ("the log holds 2 boots;
    /// the last one is used", "the log starts after the beginning of the boot (truncated) ...",
    /// "unknown section 'trace' ignored" is NOT listed; "section 'x' has unknown encoding 'zstd'; skipped" is).
    QStringList readerNotes;
};

/** Reads a capture file (bundle, plain kernel log or /proc/iomem; the kind is detected).
 *  Memory stays bounded for huge files (refuse files above 256 MiB with a sentence; never
 *  keep more than the last boot's lines). On failure returns nothing and sets `error` to one
 *  clear sentence naming the file (and line, where one is at fault) and what to do; examples:
 *  "FILE: bundle format version 3 is newer than this Carveout reads (1); update Carveout",
 *  "FILE: not a capture: no kernel log lines, no /proc/iomem lines and no bundle header",
 *  "FILE:12: section 'fdt': invalid base64". Never crashes on any bytes. */
std::optional<Capture> readCapture(const QString& path, QString* error);
/** The same on bytes already read (fuzzing, tests); `name` is used in messages. */
std::optional<Capture> parseCapture(const QByteArray& bytes, const QString& name, QString* error);

} // namespace carveout::capture
