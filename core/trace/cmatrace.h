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

namespace carveout::trace {

/** One cma trace event (include/trace/events/cma.h) as ftrace prints it. The formats this reads
 *  (docs/traces.md):
 *  - 4.1 to 5.9: cma_alloc: pfn=%lx page=%p count=%u align=%u, cma_release: pfn=%lx page=%p count=%u
 *    (no area name; pfn in hex without 0x)
 *  - 5.10 to 6.x: cma_alloc_start: name=%s count=%lu align=%u, cma_alloc_finish and
 *    cma_alloc_busy_retry: name=%s pfn=0x%lx page=%p count=%lu align=%u, cma_release: name=%s
 *    pfn=0x%lx page=%p count=%lu (count %u before 5.19)
 *  - later: cma_alloc_finish gains errorno=%d, cma_alloc_start says request_count=,
 *    available_count=, total_count=.
 *  Fields are read by name, so the order and extra fields do not matter. */
struct CmaEvent
{
    enum Kind { AllocStart, AllocFinish, BusyRetry, Release };
    Kind kind = AllocFinish;
    QString area; ///< the CMA area's name ("reserved", "linux,cma"); empty in the oldest format
    std::optional<uint64_t> pfn; ///< none for cma_alloc_start; 0 or -1 (all ones) when it failed
    uint64_t count = 0; ///< pages asked for, or released
    unsigned align = 0; ///< the alignment order asked for
    std::optional<int> error; ///< errorno (kernels that print it)
    QString task; ///< the process that allocated ("kworker/0:1", "swapper/0")
    double time = 0; ///< seconds since boot
    int line = 0; ///< 1-based line of the trace text
    /** An allocation that gave no page (errorno set, or the pfn of a failure). */
    bool failed() const;
};

struct CmaTrace
{
    std::vector<CmaEvent> events;
    int ignoredLines = 0; ///< lines of other events, or not events at all (header, comments)
    bool lostEvents = false; ///< the buffer overflowed: "CPU:N [LOST M EVENTS]"
};

/** Parses the text of a tracefs `trace` file (or `trace_pipe`, or trace-cmd report output).
 *  Returns nothing, with `error` naming the file and line, when a cma event's fields cannot be
 *  read; a text without cma events is a valid, empty trace. */
std::optional<CmaTrace> parseCmaTrace(const QByteArray& text, const QString& file, QString* error);

} // namespace carveout::trace
