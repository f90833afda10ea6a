// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the cma trace reader (parseCmaTrace: tracefs text of workload --from-trace) and the
// converter after it (workloadFromTrace, with and without a tree), then checks what they promise:
// every event has a count and its line, the workload the converter writes parses, with one
// alloc step per traced allocation and no more frees than allocations.
// Seeds: the trace sections of tests/data/captures/*.trace.bundle and fuzz/seeds/trace.
#include "fuzzcommon.h"

// core
#include "sim/workload.h"
#include "trace/traceworkload.h"

// std
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char*>(data), qsizetype(size));
    QString error;
    const auto trace = carveout::trace::parseCmaTrace(text, QStringLiteral("fuzz.trace"), &error);
    if (!trace) {
        if (error.isEmpty())
            __builtin_trap(); // a refusal says why
        return 0;
    }
    int lines = 1 + int(text.count('\n'));
    for (const auto& e : trace->events) {
        if (e.line < 1 || e.line > lines || e.align > 30)
            __builtin_trap();
    }
    const auto w = carveout::trace::workloadFromTrace(*trace, nullptr, 4096, QStringLiteral("fuzz"), &error);
    if (!w)
        return 0;
    QString perror;
    const auto parsed = carveout::sim::parseWorkload(w->json, &perror);
    if (!parsed)
        __builtin_trap(); // the converter writes only workloads the simulator reads
    size_t allocs = 0, frees = 0;
    for (const auto& op : parsed->ops)
        (op.kind == carveout::sim::Op::Alloc ? allocs : frees)++;
    if (allocs != w->allocations.size() || frees != size_t(w->frees) || frees > allocs)
        __builtin_trap();
    return 0;
}
