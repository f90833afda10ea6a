// SPDX-License-Identifier: GPL-2.0-only
// carveout-cli workload --from-trace: a workload from the cma trace events a kernel recorded
// (carveout-capture --trace, or a tracefs trace file), for simulate to replay.
#include "options.h"

// core
#include "capture/capture.h"
#include "edit/safesave.h"
#include "model/devicetree.h"
#include "source/dtbloader.h"
#include "trace/traceworkload.h"

// Qt
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

namespace carveout::cli {

int runWorkloadFromTrace(const Options& o, QTextStream& out, QTextStream& err)
{
    const auto fail = [&](const QString& what) {
        err << "carveout-cli: " << what << "\n";
        return 2;
    };
    QFile f(o.trace);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the trace %1 (%2)").arg(o.trace, f.errorString()));
    if (f.size() > (256 << 20))
        return fail(QStringLiteral("%1 is larger than 256 MiB: not a trace this reads").arg(o.trace));
    QByteArray text = f.readAll();
    f.close();

    // A carveout-capture bundle gives the trace, the page size and the tree the kernel received.
    DeviceTree booted;
    bool haveTree = false;
    uint64_t pageSize = 4096;
    QString traceFile = o.trace;
    int lineOffset = 0;
    if (text.startsWith("carveout-capture-bundle")) {
        QString error;
        const auto c = capture::readCapture(o.trace, &error);
        if (!c)
            return fail(error);
        if (c->trace.isEmpty())
            return fail(
                QStringLiteral("%1 holds no trace: record it with carveout-capture --trace SECONDS").arg(o.trace));
        text = c->trace;
        lineOffset = c->traceLine - 1;
        pageSize = c->pageSize.value_or(pageSize);
        if (!c->fdt.isEmpty())
            haveTree = readDtb(c->fdt, booted, &error);
    }
    if (!o.file.isEmpty()) { // the board given: its tree names the devices
        const LoadResult loaded = loadBoard(o.file, o.load);
        if (!loaded.ok) {
            for (const auto& d : loaded.errors)
                err << d.toString() << "\n";
            return fail(QStringLiteral("could not load %1").arg(o.file));
        }
        booted = loaded.doc.tree;
        haveTree = true;
    }
    if (!o.profile.pageSize.isEmpty()) {
        pageSize = parsePageSize(o.profile.pageSize);
        if (!pageSize)
            return fail(QStringLiteral("--page-size takes 4K, 16K or 64K, not '%1'").arg(o.profile.pageSize));
    }
    QString error;
    auto trace = trace::parseCmaTrace(text, traceFile, &error);
    if (!trace) {
        // Lines of the bundle, not of the section.
        if (lineOffset)
            error = error.replace(QRegularExpression(QStringLiteral("^(.*?):(\\d+):")), QString());
        return fail(error);
    }
    if (lineOffset) {
        for (auto& e : trace->events)
            e.line += lineOffset;
    }
    if (trace->events.empty())
        return fail(QStringLiteral("%1: no cma trace event (cma_alloc_finish, cma_release, ...) in it; was the trace "
                                   "recorded with the cma events on?")
                        .arg(o.trace));
    const auto w = trace::workloadFromTrace(*trace, haveTree ? &booted : nullptr, pageSize,
        QStringLiteral("trace of %1").arg(QFileInfo(o.trace).fileName()), &error);
    if (!w)
        return fail(QStringLiteral("%1: %2").arg(o.trace, error));
    if (o.output == QLatin1String("-")) {
        out << QString::fromUtf8(w->json);
    } else if (const QString e = writeFileAtomically(o.output, w->json); !e.isEmpty()) {
        return fail(e);
    }
    int failed = 0;
    for (const auto& a : w->allocations)
        failed += !a.pfn;
    QTextStream& report = o.output == QLatin1String("-") ? err : out;
    report << "Workload from " << o.trace << ": " << w->allocations.size() << " allocation(s) (" << failed
           << " failed in the trace), " << w->frees << " free(s), " << w->heldAtEnd << " held at the end, page size "
           << pageSize << "\n";
    if (o.output != QLatin1String("-"))
        report << "Wrote " << o.output << "; replay it with carveout-cli simulate BOARD --workload " << o.output
               << "\n";
    report << "What the trace cannot tell:\n";
    for (const QString& l : w->limits)
        report << "  - " << l << "\n";
    return 0;
}

} // namespace carveout::cli
