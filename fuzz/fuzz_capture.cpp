// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the capture readers (parseCapture: what `compare --capture FILE` reads: a bundle, a
// plain kernel log or /proc/iomem) and checks what capture.h promises of the answer. Seeds:
// fuzz/make-seeds.sh (small pieces of tests/data/captures) and fuzz/seeds/capture.
#include "fuzzcommon.h"

// core
#include "analysis/analysis.h"
#include "capture/compare.h"
#include "capture/logfacts.h"
#include "source/dtbloader.h"
#include "source/loader.h"

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

/** A small board with a static CMA pool, a no-map carve-out and a dynamic region, analysed
 *  once: every input is then compared with it, as `compare --capture` does. */
struct Board
{
    carveout::LoadedTree tree;
    carveout::AnalysisPtr analysis;
    Board()
    {
        using namespace carveout;
        char blob[4096];
        fdt_create(blob, sizeof blob);
        fdt_finish_reservemap(blob);
        fdt_begin_node(blob, "");
        fdt_property_u32(blob, "#address-cells", 2);
        fdt_property_u32(blob, "#size-cells", 2);
        fdt_begin_node(blob, "memory@40000000");
        fdt_property_string(blob, "device_type", "memory");
        const fdt64_t mem[] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x80000000) };
        fdt_property(blob, "reg", mem, sizeof mem);
        fdt_end_node(blob);
        fdt_begin_node(blob, "reserved-memory");
        fdt_property_u32(blob, "#address-cells", 2);
        fdt_property_u32(blob, "#size-cells", 2);
        fdt_property(blob, "ranges", nullptr, 0);
        fdt_begin_node(blob, "linux,cma@60000000");
        fdt_property_string(blob, "compatible", "shared-dma-pool");
        const fdt64_t cma[] = { cpu_to_fdt64(0x60000000), cpu_to_fdt64(0x4000000) };
        fdt_property(blob, "reg", cma, sizeof cma);
        fdt_property(blob, "reusable", nullptr, 0);
        fdt_end_node(blob);
        fdt_begin_node(blob, "fw@50000000");
        const fdt64_t fw[] = { cpu_to_fdt64(0x50000000), cpu_to_fdt64(0x200000) };
        fdt_property(blob, "reg", fw, sizeof fw);
        fdt_property(blob, "no-map", nullptr, 0);
        fdt_end_node(blob);
        fdt_begin_node(blob, "dyn-a");
        const fdt64_t sz = cpu_to_fdt64(0x1000000);
        fdt_property(blob, "size", &sz, sizeof sz);
        fdt_end_node(blob);
        fdt_end_node(blob);
        fdt_end_node(blob);
        fdt_finish(blob);
        QString error;
        if (!readDtb(QByteArray(blob, int(fdt_totalsize(blob))), tree.tree, &error))
            fuzz::broken("the fuzz board does not read");
        tree.file = QStringLiteral("fuzz-board.dtb");
        tree.fromDtb = true;
        analysis = analyse(tree, *findProfile(QStringLiteral("debian-6.12-arm64")));
    }
};

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

    // What compare makes of it: the log's facts, the profile, the comparison and its counts.
    static const Board board;
    const capture::LogFacts facts = capture::readLogFacts(c->log);
    for (const auto& a : facts.allocations)
        if (a.size == 0 && a.base)
            fuzz::broken("an allocation of size 0 that succeeded");
    QStringList notes;
    (void)capture::profileFromCapture(*c, board.analysis->profile, {}, &notes);
    const capture::CompareResult r = capture::compareCapture(board.tree, board.analysis, *c);
    if (r.regions.size() != board.analysis->layout.regions.size())
        fuzz::broken("compare lost or invented a region");
    if (r.agree + r.unknown > int(r.regions.size()) || r.differ < 0)
        fuzz::broken("compare counts that do not add up");
    return 0;
}
