// SPDX-License-Identifier: GPL-2.0-only
#include "capture/logfacts.h"

// Qt
#include <QRegularExpression>

namespace carveout::capture {

namespace {

// The kernel's messages (kernel-rules.md section 2; drivers/of/of_reserved_mem.c,
// kernel/dma/contiguous.c, coherent.c, swiotlb.c, mm/cma.c), with the "OF: fdt: " /
// "OF: reserved mem: " prefix removed first: which one a line carries depends on the era.
const QRegularExpression kSummary(
    QStringLiteral(R"(^(0x[0-9a-f]+)\.\.(0x[0-9a-f]+) \((\d+) KiB\) (map|nomap) (reusable|non-reusable) (\S+)$)"));
const QRegularExpression kInitialized(QStringLiteral(R"(^initialized node (\S+), compatible id (\S+)$)"));
const QRegularExpression kMatchingFail(QStringLiteral(R"(^node (\S+) compatible matching fail$)"));
const QRegularExpression kAllocFail(QStringLiteral(R"(^failed to allocate memory for node '([^']+)')"));
const QRegularExpression kReserveFail(QStringLiteral(
    R"(^(?:Reserved memory: )?failed to reserve memory for node '([^']+)': base (0x[0-9a-f]+), size (\d+) MiB)"));
const QRegularExpression kInvalidProp(
    QStringLiteral(R"(^(?:Reserved memory: )?invalid (reg|size|alignment|alloc-ranges) property in '([^']+)')"));
const QRegularExpression kCreatedPool(QStringLiteral(
    R"(^Reserved memory: created (?:CMA|DMA|restricted DMA) (?:memory )?pool at (0x[0-9a-f]+), size (\d+) MiB)"));
const QRegularExpression kBypass(
    QStringLiteral(R"(^Reserved memory: bypass (\S+) node, using cmdline CMA params instead)"));
const QRegularExpression kIgnoresRegions(QStringLiteral(R"(ignores \d+ regions in node '([^']+)')"));
const QRegularExpression kOverlapPair(
    QStringLiteral(R"((\S+) \((0x[0-9a-f]+)--(0x[0-9a-f]+)\) overlaps with (\S+) \((0x[0-9a-f]+)--(0x[0-9a-f]+)\))"));
const QRegularExpression kCmaNotActivated(QStringLiteral(R"(^CMA area (\S+) could not be activated)"));
const QRegularExpression kDefaultCma(QStringLiteral(R"(^cma: Reserved (\d+) MiB at (0x[0-9a-f]+))"));
const QRegularExpression kDefaultCmaFail(QStringLiteral(R"(^cma: Failed to reserve (\d+) MiB)"));
const QRegularExpression kSwiotlb(QStringLiteral(R"(^software IO TLB: mapped \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\])"));
const QRegularExpression kCrashkernel(QStringLiteral(R"(^crashkernel reserved: (0x[0-9a-f]+) - (0x[0-9a-f]+))"));
const QRegularExpression kMemory(QStringLiteral(R"(^Memory: (\d+)K/(\d+)K available)"));
const QRegularExpression kPhysAlloc(QStringLiteral(
    R"(^memblock_phys_alloc_range: (\d+) bytes align=(0x[0-9a-f]+) from=(0x[0-9a-f]+) max_addr=(0x[0-9a-f]+) (\S+)$)"));
const QRegularExpression kMemblockRange(QStringLiteral(
    R"(^(memblock_reserve|memblock_phys_free|memblock_free|memblock_remove): \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\S+)$)"));

uint64_t hex(const QString& s)
{
    return s.toULongLong(nullptr, 16);
}

QString stripPrefix(const QString& text)
{
    for (const auto& p : { QStringLiteral("OF: reserved mem: "), QStringLiteral("OF: fdt: ") })
        if (text.startsWith(p))
            return text.mid(p.size());
    return text;
}

/** The outcome a new line implies over what was known: failures win over "kept". */
void setOutcome(NamedFacts& f, Outcome o)
{
    auto rank = [](Outcome x) {
        switch (x) {
        case Outcome::Unknown:
            return 0;
        case Outcome::Active:
            return 1;
        default:
            return 2;
        }
    };
    if (rank(o) >= rank(f.outcome))
        f.outcome = o;
}

} // namespace

bool isTreeCaller(const QString& caller)
{
    const QString fn = caller.section(QLatin1Char('+'), 0, 0);
    // The kernel's own reservations that live in the same files.
    static const QStringList kernelOwn { QStringLiteral("early_init_fdt_reserve_self"),
        QStringLiteral("fdt_reserve_elfcorehdr"), QStringLiteral("early_init_dt_check_for_initrd") };
    if (kernelOwn.contains(fn))
        return false;
    return fn.contains(QLatin1String("reserved_mem")) || fn.startsWith(QLatin1String("early_init_dt_reserve_memory"))
        || fn.startsWith(QLatin1String("early_init_dt_alloc_reserved_memory"))
        || fn == QLatin1String("early_init_fdt_scan_reserved_mem");
}

LogFacts readLogFacts(const KernelLog& log)
{
    LogFacts F;
    auto facts = [&F](const QString& name) -> NamedFacts& {
        auto it = F.named.find(name);
        if (it == F.named.end()) {
            F.namedOrder.push_back(name);
            it = F.named.emplace(name, NamedFacts {}).first;
        }
        return it->second;
    };
    // Lines that name no node ("created CMA memory pool at", "incorrect alignment of CMA
    // region") belong to the next line that does: the kernel prints them from the init function
    // it runs for that node.
    std::vector<Evidence> pending;
    std::optional<uint64_t> pendingBase, pendingMiB;
    auto attachPending = [&](NamedFacts& f) {
        f.evidence.insert(f.evidence.end(), pending.begin(), pending.end());
        if (pendingBase && !f.base)
            f.base = pendingBase;
        if (pendingMiB && !f.sizeMiB)
            f.sizeMiB = pendingMiB;
        pending.clear();
        pendingBase.reset();
        pendingMiB.reset();
    };
    std::optional<DynamicAllocation> attempt; // the allocation whose memblock_reserve is awaited
    bool lastAttemptFailed = false;
    bool overlapHeader = false;

    for (const LogLine& line : log.lines) {
        const QString t = stripPrefix(line.text);
        const Evidence ev { line.text, line.fileLine, QStringLiteral("dmesg") };
        QRegularExpressionMatch m;

        if (attempt && !t.startsWith(QLatin1String("memblock_reserve:"))) {
            // The attempt printed no reservation: it failed (the next window is tried, or the node fails).
            F.allocations.push_back(*attempt);
            attempt.reset();
            lastAttemptFailed = true;
        }
        if (overlapHeader) {
            overlapHeader = false;
            if ((m = kOverlapPair.match(t)).hasMatch()) {
                for (int k : { 1, 4 }) {
                    NamedFacts& f = facts(m.captured(k));
                    f.evidence.push_back(ev);
                }
                continue;
            }
        }
        if ((m = kSummary.match(t)).hasMatch()) {
            F.printsSummaries = true;
            NamedFacts& f = facts(m.captured(6));
            attachPending(f);
            f.base = hex(m.captured(1));
            f.size = hex(m.captured(2)) - hex(m.captured(1)) + 1;
            f.noMap = m.captured(4) == QLatin1String("nomap");
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Active);
        } else if ((m = kInitialized.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            attachPending(f);
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Active);
        } else if ((m = kMatchingFail.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            attachPending(f);
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Freed);
        } else if ((m = kBypass.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Freed);
        } else if ((m = kAllocFail.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            attachPending(f);
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::AllocFailed);
        } else if ((m = kReserveFail.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            f.evidence.push_back(ev);
            if (!f.base)
                f.base = hex(m.captured(2));
            setOutcome(f, Outcome::ReserveFailed);
        } else if ((m = kInvalidProp.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(2));
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Ignored);
        } else if ((m = kIgnoresRegions.match(t)).hasMatch()) {
            facts(m.captured(1)).evidence.push_back(ev);
        } else if ((m = kCreatedPool.match(t)).hasMatch()) {
            pending.push_back(ev);
            pendingBase = hex(m.captured(1));
            pendingMiB = m.captured(2).toULongLong();
        } else if (t.startsWith(QLatin1String("Reserved memory: incorrect alignment"))
            || t.startsWith(QLatin1String("Reserved memory: regions without no-map"))
            || t.startsWith(QLatin1String("Reserved memory: unable to setup CMA"))
            || t.startsWith(QLatin1String("Not enough slots for CMA reserved regions"))) {
            pending.push_back(ev);
        } else if (t.contains(QLatin1String("unsupported node format, ignoring"))) {
            F.containerIgnored = true;
            F.containerEvidence.push_back(ev);
        } else if (t.startsWith(QLatin1String("OVERLAP DETECTED!"))) {
            if ((m = kOverlapPair.match(t)).hasMatch()) {
                for (int k : { 1, 4 })
                    facts(m.captured(k)).evidence.push_back(ev);
            } else {
                overlapHeader = true; // the pair follows on the next line (the message holds a \n)
            }
        } else if ((m = kCmaNotActivated.match(t)).hasMatch()) {
            NamedFacts& f = facts(m.captured(1));
            f.evidence.push_back(ev);
            setOutcome(f, Outcome::Freed);
        } else if ((m = kDefaultCma.match(t)).hasMatch()) {
            KernelReservation k;
            k.what = QStringLiteral("default CMA area");
            k.range = { hex(m.captured(2)), m.captured(1).toULongLong() << 20 };
            k.evidence.push_back(ev);
            F.kernel.push_back(k);
        } else if (kDefaultCmaFail.match(t).hasMatch()) {
            F.defaultCmaFailed = true;
            KernelReservation k;
            k.what = QStringLiteral("default CMA area (failed)");
            k.evidence.push_back(ev);
            F.kernel.push_back(k);
        } else if ((m = kSwiotlb.match(t)).hasMatch()) {
            KernelReservation k;
            k.what = QStringLiteral("swiotlb");
            // swiotlb_print_info() prints mem->end = start + bytes: the end is exclusive.
            k.range = { hex(m.captured(1)), hex(m.captured(2)) - hex(m.captured(1)) };
            k.evidence.push_back(ev);
            F.kernel.push_back(k);
        } else if ((m = kCrashkernel.match(t)).hasMatch()) {
            KernelReservation k;
            k.what = QStringLiteral("crashkernel");
            k.range = { hex(m.captured(1)), hex(m.captured(2)) - hex(m.captured(1)) + 1 };
            k.evidence.push_back(ev);
            F.kernel.push_back(k);
        } else if ((m = kMemory.match(t)).hasMatch()) {
            F.memoryTotal = m.captured(2).toULongLong() << 10;
            F.memoryEvidence = ev;
        } else if ((m = kPhysAlloc.match(t)).hasMatch()) {
            if (isTreeCaller(m.captured(5))) {
                const uint64_t size = m.captured(1).toULongLong();
                // A failed attempt of the same size was the previous alloc-ranges window of this node.
                if (lastAttemptFailed && !F.allocations.empty() && F.allocations.back().size == size
                    && !F.allocations.back().base) {
                    attempt = F.allocations.back();
                    F.allocations.pop_back();
                } else {
                    attempt = DynamicAllocation { size, {}, {} };
                }
                attempt->evidence.push_back(ev);
                lastAttemptFailed = false;
                continue;
            }
        } else if ((m = kMemblockRange.match(t)).hasMatch()) {
            const AddrRange r { hex(m.captured(2)), hex(m.captured(3)) - hex(m.captured(2)) + 1 };
            const QString op = m.captured(1);
            if (attempt && op == QLatin1String("memblock_reserve")) {
                attempt->base = r.base;
                attempt->evidence.push_back(ev);
                F.allocations.push_back(*attempt);
                attempt.reset();
                lastAttemptFailed = false;
                continue;
            }
            if (isTreeCaller(m.captured(4))) {
                if (op == QLatin1String("memblock_reserve"))
                    F.treeReserves.push_back({ r, ev });
                else if (op != QLatin1String("memblock_remove"))
                    F.treeFrees.push_back({ r, ev });
            }
        }
        if (!t.startsWith(QLatin1String("memblock_")))
            lastAttemptFailed = false;
    }
    if (attempt)
        F.allocations.push_back(*attempt);
    return F;
}

} // namespace carveout::capture
