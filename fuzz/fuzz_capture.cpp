// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the capture readers (parseCapture: what `compare --capture FILE` reads: a bundle, a
// plain kernel log or /proc/iomem) and checks what capture.h promises of the answer. Seeds:
// fuzz/make-seeds.sh (small pieces of tests/data/captures) and fuzz/seeds/capture.
#include "fuzzcommon.h"

// core
#include "capture/capture.h"

// libfdt
#include <libfdt.h>

// std
#include <cstddef>
#include <cstdint>

namespace {

void checkLog(const carveout::capture::KernelLog& log, int fileLines)
{
    using carveout::fuzz::broken;
    if (!log.present && (!log.lines.empty() || log.boots))
        broken("a kernel log that is not present has lines or boots");
    if (log.truncatedStart && log.boots == 0)
        broken("a truncated start without a boot");
    int previous = 0;
    for (const auto& l : log.lines) {
        if (l.fileLine <= previous || l.fileLine > fileLines)
            broken("log lines out of order or past the end of the file");
        previous = l.fileLine;
        if (l.time && !(*l.time >= 0))
            broken("a negative or NaN timestamp");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    QString error;
    const auto c = capture::parseCapture(bytes, QStringLiteral("fuzz"), &error);
    if (!c) {
        if (error.isEmpty() || !error.startsWith(QLatin1String("fuzz")))
            fuzz::broken("parseCapture failed without a sentence naming the file");
        return 0;
    }
    if (!error.isEmpty())
        fuzz::broken("parseCapture succeeded with an error");
    const int fileLines = int(bytes.count('\n')) + 1;
    checkLog(c->log, fileLines);
    if (c->kind != capture::CaptureKind::Bundle
        && (c->formatVersion || c->truncated || !c->meta.empty() || !c->fdt.isEmpty() || c->hasMemblock))
        fuzz::broken("a plain log or iomem file with bundle sections");
    if (c->kind == capture::CaptureKind::Bundle && c->formatVersion != 1)
        fuzz::broken("a bundle of a version this reader does not read");
    if (c->kind == capture::CaptureKind::Iomem && (c->log.present || !c->hasIomem))
        fuzz::broken("an iomem file with a log, or without iomem");
    for (const auto& e : c->iomem) {
        if (e.end < e.start || e.fileLine < 1 || e.fileLine > fileLines || e.depth < 0)
            fuzz::broken("an iomem entry ending before it starts, or off the file");
    }
    for (const auto* list : { &c->memblockMemory, &c->memblockReserved }) {
        for (const auto& m : *list) {
            if (m.size == 0 || m.base + (m.size - 1) < m.base)
                fuzz::broken("a memblock entry of size 0 or past 2^64");
        }
    }
    if (!c->fdt.isEmpty() && fdt_check_full(c->fdt.constData(), size_t(c->fdt.size())) != 0)
        fuzz::broken("an fdt that is not a valid DTB");
    if (c->fdtFromListing && c->fdt.isEmpty())
        fuzz::broken("fdtFromListing without an fdt");
    for (const QString& note : c->readerNotes) {
        if (note.isEmpty())
            fuzz::broken("an empty reader note");
    }
    (void)capture::captureKindName(c->kind);
    return 0;
}
