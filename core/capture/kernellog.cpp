// SPDX-License-Identifier: GPL-2.0-only
// Kernel log normalisation: dmesg, /dev/kmsg (as the bundle writes it), journalctl -k in its
// short and short-monotonic forms, syslog files and serial consoles, with or without printk
// timestamps; boots told apart so only the last one is kept (the file is never held twice).
#include "captureparts.h"

// std
#include <algorithm>

namespace carveout::capture::detail {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isHostChar(char c)
{
    return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_';
}

constexpr QByteArrayView kBooting = "Booting Linux on physical CPU";
constexpr QByteArrayView kVersion = "Linux version ";
constexpr QByteArrayView kCommandLine = "Kernel command line:";
constexpr QByteArrayView kJournalKernel = " kernel: ";

/** Messages only the kernel prints, for logs without timestamps (CONFIG_PRINTK_TIME=n). */
constexpr QByteArrayView kKernelMarkers[] = { kBooting, kVersion, kCommandLine,
    "OF: reserved mem:", "OF: fdt:", "Reserved memory:", "Machine model:", "memblock_", "MEMBLOCK configuration",
    "cma: ", "Memory: ", "Zone ranges:", "Early memory node ranges", "Initmem setup node", "earlycon: ", "printk: " };

/** memblock=debug lines: memblock_dbg() prints "%s: ..." with the calling function's name
 *  (memblock_reserve:, memblock_phys_alloc_range:, memblock_alloc_try_nid:, ...). */
bool isMemblockDebug(QByteArrayView text)
{
    if (!text.startsWith("memblock_"))
        return text.startsWith("MEMBLOCK configuration:");
    qsizetype i = 9;
    while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || text[i] == '_'))
        ++i;
    return i < text.size() && text[i] == ':';
}

/** One line with its prefixes taken apart. */
struct Parsed
{
    QByteArrayView text;
    std::optional<double> time;
    bool prefixed = false; ///< had a timestamp, a level or a journal/syslog prefix: surely the kernel's
    bool journal = false; ///< had a "HOST kernel: " prefix
};

/** "[    1.234567]" at the start: its length (with one following space) and the seconds. */
qsizetype timestampLength(QByteArrayView l, double* seconds)
{
    if (l.isEmpty() || l[0] != '[')
        return 0;
    qsizetype i = 1;
    while (i < l.size() && l[i] == ' ')
        ++i;
    const qsizetype intStart = i;
    while (i < l.size() && isDigit(l[i]) && i - intStart < 12)
        ++i;
    if (i == intStart || i >= l.size() || l[i] != '.')
        return 0;
    const qsizetype fracStart = ++i;
    while (i < l.size() && isDigit(l[i]) && i - fracStart < 9)
        ++i;
    if (i == fracStart || i >= l.size() || l[i] != ']')
        return 0;
    double whole = 0, frac = 0, scale = 1;
    for (qsizetype k = intStart; k < fracStart - 1; ++k)
        whole = whole * 10 + (l[k] - '0');
    for (qsizetype k = fracStart; k < i; ++k) {
        frac = frac * 10 + (l[k] - '0');
        scale *= 10;
    }
    *seconds = whole + frac / scale;
    ++i; // ']'
    if (i < l.size() && l[i] == ' ')
        ++i;
    return i;
}

/** "[Wed Dec  2 20:24:08 2026] " (dmesg -T): its length, else 0. */
qsizetype humanTimeLength(QByteArrayView l)
{
    if (l.size() < 26 || l[0] != '[' || !isAlpha(l[1]) || l[4] != ' ' || !isAlpha(l[5]) || l[8] != ' ' || l[14] != ':'
        || l[17] != ':' || l[25] != ']')
        return 0;
    return l.size() > 26 && l[26] == ' ' ? 27 : 26;
}

/** "Dec 02 20:24:08 host kernel: " (journalctl -o short, syslog) or "2026-12-02T20:24:08+0000
 *  host kernel: " (short-iso): the length up to the message, else 0. */
qsizetype syslogPrefixLength(QByteArrayView l)
{
    const bool monthName = l.size() > 16 && isAlpha(l[0]) && isAlpha(l[1]) && isAlpha(l[2]) && l[3] == ' '
        && l[6] == ' ' && isDigit(l[7]) && l[9] == ':' && l[12] == ':';
    const bool iso = l.size() > 20 && isDigit(l[0]) && isDigit(l[3]) && l[4] == '-' && l[7] == '-'
        && (l[10] == 'T' || l[10] == ' ') && l[13] == ':';
    if (!monthName && !iso)
        return 0;
    // DATE [TIME-SUFFIX] HOST kernel: (the host is one word)
    const qsizetype at = l.first(std::min<qsizetype>(l.size(), 96)).indexOf(kJournalKernel);
    if (at < 0)
        return 0;
    qsizetype hostStart = at;
    while (hostStart > 0 && l[hostStart - 1] != ' ')
        --hostStart;
    if (hostStart == at || hostStart < 15)
        return 0;
    return at + kJournalKernel.size();
}

/** "HOST kernel: " right after a timestamp (journalctl -o short-monotonic): its length, else 0. */
qsizetype hostKernelLength(QByteArrayView l)
{
    qsizetype i = 0;
    while (i < l.size() && i < 64 && isHostChar(l[i]))
        ++i;
    if (i == 0 || !l.sliced(i).startsWith(kJournalKernel))
        return 0;
    return i + kJournalKernel.size();
}

/** Console noise before a message: carriage returns, NULs and ANSI escape sequences. */
QByteArrayView skipNoise(QByteArrayView l)
{
    qsizetype i = 0;
    while (i < l.size()) {
        if (l[i] == '\r' || l[i] == '\0') {
            ++i;
        } else if (l[i] == '\x1b') {
            ++i;
            if (i < l.size() && l[i] == '[') {
                ++i;
                while (i < l.size() && !(l[i] >= 0x40 && l[i] <= 0x7e))
                    ++i;
            }
            if (i < l.size())
                ++i;
        } else {
            break;
        }
    }
    return l.sliced(i);
}

/** `journalMode`: strip "HOST kernel: " after timestamps (decided once per log, from its first
 *  timestamped line, so a message whose second word is "kernel:" is never cut in a dmesg). */
Parsed parseLine(QByteArrayView raw, int journalMode)
{
    Parsed p;
    QByteArrayView l = skipNoise(raw);
    // "<6>" syslog level (dmesg -r, /dev/kmsg, kern.log of some syslog daemons)
    if (l.size() >= 3 && l[0] == '<' && isDigit(l[1])) {
        qsizetype i = 1;
        while (i < l.size() && i < 4 && isDigit(l[i]))
            ++i;
        if (i < l.size() && l[i] == '>') {
            l = l.sliced(i + 1);
            p.prefixed = true;
        }
    }
    if (const qsizetype n = syslogPrefixLength(l)) {
        l = l.sliced(n);
        p.prefixed = p.journal = true;
    }
    double seconds = 0;
    if (const qsizetype n = timestampLength(l, &seconds)) {
        l = l.sliced(n);
        p.time = seconds;
        p.prefixed = true;
        if (journalMode > 0 && !p.journal) {
            if (const qsizetype h = hostKernelLength(l)) {
                l = l.sliced(h);
                p.journal = true;
            }
        }
    } else if (const qsizetype h = humanTimeLength(l)) {
        l = l.sliced(h);
        p.prefixed = true;
    }
    p.text = l;
    return p;
}

bool isMarker(QByteArrayView text)
{
    for (const auto& m : kKernelMarkers) {
        if (text.startsWith(m))
            return true;
    }
    return false;
}

/** "-- Boot 3f2a... --" (journalctl without -b, newer systemd) or "-- Reboot --" (older). */
bool isJournalBootMarker(QByteArrayView l)
{
    return l == QByteArrayView("-- Reboot --") || (l.startsWith("-- Boot ") && l.endsWith(" --"));
}

} // namespace

QString lineText(QByteArrayView line)
{
    return QString::fromUtf8(line);
}

bool LogReader::isKernelLine(QByteArrayView line)
{
    const Parsed p = parseLine(line, 0);
    return p.prefixed || isMarker(p.text);
}

LogReader::LogReader(KernelLog* out)
    : m_out(out)
{
}

void LogReader::newBoot(Start how, int fileLine)
{
    m_out->lines.clear();
    if (m_out->lines.capacity() > 65536)
        m_out->lines.shrink_to_fit(); // an earlier boot's size is not this one's
    m_out->memblockDebug = false;
    m_start = how;
    ++m_boundaries;
    m_bootLine = fileLine;
    m_kernelLinesInBoot = 0;
    m_lastTime.reset();
    m_lastVersion.clear();
    m_lastCommandLine.clear();
}

void LogReader::add(QByteArrayView line, int fileLine)
{
    if (m_journalMode == 0) {
        double seconds = 0;
        const QByteArrayView l = skipNoise(line);
        if (const qsizetype n = timestampLength(l, &seconds))
            m_journalMode = hostKernelLength(l.sliced(n)) ? 1 : -1;
    }
    const Parsed p = parseLine(line, m_journalMode);
    const bool kernel = p.prefixed || isMarker(p.text);
    m_journal = m_journal || p.journal;
    const bool booting = p.text.startsWith(kBooting);
    const bool version = p.text.startsWith(kVersion);
    const bool schedClock = p.text.startsWith("sched_clock:");
    if (!kernel && isJournalBootMarker(p.text)) {
        newBoot(Start::Marker, fileLine);
    } else if (booting) {
        if (m_start == Start::Marker && m_kernelLinesInBoot == 0)
            m_start = Start::Booting;
        else
            newBoot(Start::Booting, fileLine);
    } else if (version) {
        if (m_start == Start::Marker && m_kernelLinesInBoot == 0)
            m_start = Start::Version;
        else if (!(m_prevWasBooting && m_kernelLinesInBoot == 1))
            newBoot(Start::Version, fileLine);
    } else if (p.time && m_lastTime && *p.time < 1.0 && *m_lastTime - *p.time > 1.0 && !schedClock
        && !m_prevWasSchedClock) {
        // The clock fell back to ~0: a boot whose first lines are missing. Not after
        // "sched_clock:", where some boards switch from a counter the bootloader left running.
        newBoot(Start::Clock, fileLine);
    }
    if (kernel) {
        ++m_kernelLinesInBoot;
        if (m_boundaries == 0)
            m_preambleHasKernel = true;
        m_prevWasBooting = booting;
        m_prevWasSchedClock = schedClock;
        if (p.time)
            m_lastTime = p.time;
        if (version) {
            const QByteArrayView rest = p.text.sliced(kVersion.size());
            const qsizetype space = rest.indexOf(' ');
            m_lastVersion = lineText(space < 0 ? rest : rest.first(space));
        } else if (p.text.startsWith(kCommandLine)) {
            m_lastCommandLine = lineText(p.text.sliced(kCommandLine.size())).trimmed();
        } else if (!m_out->memblockDebug && isMemblockDebug(p.text)) {
            m_out->memblockDebug = true;
        }
    }
    m_out->lines.push_back(LogLine { fileLine, lineText(p.text), p.time });
}

void LogReader::finish(const QString& file, QStringList* notes)
{
    KernelLog& log = *m_out;
    log.boots = m_boundaries + (m_preambleHasKernel ? 1 : 0);
    log.linuxVersion = m_lastVersion;
    log.commandLine = m_lastCommandLine;
    if (log.source.isEmpty())
        log.source = m_journal ? QStringLiteral("journal") : QStringLiteral("log");
    log.truncatedStart = log.boots > 0 && m_start != Start::Booting && m_start != Start::Version;
    if (log.boots > 1) {
        notes->append(QStringLiteral("%1 holds %2 boots; the last one (from line %3) is used")
                          .arg(file)
                          .arg(log.boots)
                          .arg(m_bootLine));
    }
    if (log.truncatedStart) {
        const int first = log.lines.empty() ? 0 : log.lines.front().fileLine;
        const QString why = log.memblockDebug
            ? QStringLiteral("memblock=debug prints a line for every early memblock call, and on arm64 "
                             "that overflows the 128 KiB early log buffer before log_buf_len= takes effect")
            : QStringLiteral("the kernel's log buffer wrapped, or the recording started late");
        notes->append(QStringLiteral("%1: the kernel log starts after the beginning of the boot (line %2 is not "
                                     "'Booting Linux' or 'Linux version'): %3, so the first messages, among "
                                     "them the 'OF: reserved mem:' lines, are missing and what they would show "
                                     "is unknown; a serial console log recorded with earlycon, or a boot with a "
                                     "larger buffer (log_buf_len=8M), keeps them")
                          .arg(file)
                          .arg(first)
                          .arg(why));
    }
}

} // namespace carveout::capture::detail
