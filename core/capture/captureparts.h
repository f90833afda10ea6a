// SPDX-License-Identifier: GPL-2.0-only
// The pieces readCapture is made of, one .cpp per concern (internal to core/capture).
#pragma once

// core
#include "capture/capture.h"

// Qt
#include <QByteArrayView>

namespace carveout::capture::detail {

/** Calls `f(QByteArrayView line, int number)` for every line of `bytes`, without its "\n" and
 *  without trailing "\r"s (a file copied off a serial console); `number` counts from `first`.
 *  A last line without "\n" is a line; the empty rest after a final "\n" is not. */
template <class F> void forEachLine(QByteArrayView bytes, int first, F&& f)
{
    qsizetype pos = 0;
    int number = first;
    const qsizetype size = bytes.size();
    while (pos < size) {
        qsizetype eol = bytes.indexOf('\n', pos);
        if (eol < 0)
            eol = size;
        qsizetype end = eol;
        while (end > pos && bytes[end - 1] == '\r')
            --end;
        f(bytes.sliced(pos, end - pos), number);
        ++number;
        pos = eol + 1;
    }
}

/** Text of a line, for messages and stored text: UTF-8 with invalid bytes replaced (ASCII exact). */
QString lineText(QByteArrayView line);

// --- kernel log (kernellog.cpp) -------------------------------------------------------------

/** Streams the lines of a kernel log into a KernelLog, keeping only the current boot's lines. */
class LogReader
{
public:
    explicit LogReader(KernelLog* out);
    void add(QByteArrayView line, int fileLine);
    /** Sets `boots`, `truncatedStart`, `memblockDebug` etc. and adds the reader notes. */
    void finish(const QString& file, QStringList* notes);
    /** Whether a line is recognisably the kernel's (a timestamp, a journal or level prefix, or
     *  a message only the kernel prints): what tells a log from any text file. */
    static bool isKernelLine(QByteArrayView line);

private:
    enum class Start { None, Marker, Booting, Version, Clock };
    void newBoot(Start how, int fileLine);

    KernelLog* m_out;
    Start m_start = Start::None;
    int m_boundaries = 0;
    int m_bootLine = 0; ///< file line where the current boot starts
    int m_kernelLinesInBoot = 0;
    bool m_preambleHasKernel = false; ///< kernel lines before the first boundary (a cut boot)
    bool m_prevWasBooting = false;
    bool m_prevWasSchedClock = false;
    bool m_journal = false;
    int m_journalMode = 0; ///< 1: timestamps are followed by "HOST kernel: " (decided on the first one)
    std::optional<double> m_lastTime;
    QString m_lastVersion, m_lastCommandLine; ///< of the current boot
};

// --- /proc/iomem (iomem.cpp) ----------------------------------------------------------------

/** "  40000000-bfffffff : System RAM": the syntax kind detection counts. */
bool isIomemLine(QByteArrayView line);
std::optional<IomemEntry> parseIomemLine(QByteArrayView line, int fileLine);
/** Reads /proc/iomem lines into `c` (hasIomem, iomem, iomemHidden) with notes for lines that
 *  are not /proc/iomem lines. `what` names the source in notes ("FILE" or "FILE: section 'iomem'"). */
void readIomem(QByteArrayView bytes, int firstLine, const QString& what, Capture& c);

// --- debugfs and sysfs (debugfs.cpp) --------------------------------------------------------

std::optional<MemblockEntry> parseMemblockLine(QByteArrayView line, int fileLine);
void readMemblock(
    QByteArrayView bytes, int firstLine, const QString& what, std::vector<MemblockEntry>& out, QStringList* notes);
/** One file of debugfs/cma/AREA/ or sysfs/cma/AREA/ (`sysfs` false: debugfs). */
void readCmaFile(const QString& area, const QString& file, bool sysfs, QByteArrayView content, const QString& what,
    std::vector<CmaAreaCapture>& areas, QStringList* notes);

// --- device-tree listing (dtlisting.cpp) ----------------------------------------------------

/** The DTB rebuilt from a device-tree section (libfdt sequential write). Empty with `error` set
 *  ("FILE:L: section 'device-tree': ...") when a line is not a node or property line. */
QByteArray dtbFromListing(QByteArrayView bytes, int firstLine, const QString& file, QString* error);

// --- config.gz (kconfig.cpp) ----------------------------------------------------------------

/** Kconfig symbols of a gzip-compressed .config. Returns false with `error` (a reason, no file
 *  name) when the data does not inflate. */
bool kconfigFromGzip(const QByteArray& gz, std::map<QString, QString>& out, QString* error);
/** Inflates gzip data (concatenated members too), bounded in size. */
bool inflateGzip(const QByteArray& gz, QByteArray* out, QString* error);
/** Kconfig symbols of a plain .config or defconfig. */
void kconfigFromText(const QByteArray& text, std::map<QString, QString>& out);

// --- bundle framing (bundle.cpp) ------------------------------------------------------------

/** Reads a bundle (the first line is "carveout-capture-bundle N"). */
std::optional<Capture> parseBundle(QByteArrayView bytes, const QString& name, QString* error);

} // namespace carveout::capture::detail
