// SPDX-License-Identifier: GPL-2.0-only
// Predicted against actual: one analysed board beside what a booted board showed.
#include "capture/compare.h"

// core
#include "capture/bootedtree.h"
#include "capture/logfacts.h"
#include "capture/treediff.h"
#include "model/units.h"

// std
#include <algorithm>

namespace carveout::capture {

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Agree:
        return QStringLiteral("agree");
    case Verdict::Differ:
        return QStringLiteral("differ");
    case Verdict::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

namespace {

bool covered(const std::vector<AddrRange>& merged, const AddrRange& r)
{
    for (const auto& m : merged)
        if (m.base <= r.base && r.end() <= m.end())
            return true;
    return false;
}

bool overlaps(const AddrRange& a, const AddrRange& b)
{
    return a.base < b.end() && b.base < a.end();
}

Evidence memblockEvidence(const MemblockEntry& e, const char* section)
{
    return { QStringLiteral("%1..%2 %3").arg(kernelPa(e.base, 64), kernelPa(e.base + e.size - 1, 64), e.flags),
        e.fileLine, QString::fromLatin1(section) };
}

/** Everything compareCapture works on, so the steps below stay small. */
struct Comparer
{
    const LoadedTree& board;
    const Analysis& A;
    const Capture& cap;
    CompareResult R;
    LogFacts F;
    std::optional<BootedTree> booted;
    std::vector<bool> allocUsed;
    std::vector<bool> reserveUsed;
    std::vector<TreeRange> reservedHeld, nomapHeld;
    std::vector<bool> nomapUsed; ///< nomapHeld entries explained by a region
    std::vector<bool> notHeld; ///< per region: the capture shows its memory is not held

    Comparer(const LoadedTree& b, const Analysis& a, const Capture& c)
        : board(b)
        , A(a)
        , cap(c)
    {
    }

    const Layout& L() const { return A.layout; }
    bool logUsable() const { return cap.log.present && !cap.log.truncatedStart; }

    void fromNamedLines(int i, ActualRegion& a)
    {
        const Region& r = L().regions[size_t(i)];
        if (F.containerIgnored) {
            a.outcome = Outcome::Ignored;
            a.evidence = F.containerEvidence;
            return;
        }
        const auto it = F.named.find(r.name);
        if (it == F.named.end())
            return;
        const NamedFacts& f = it->second;
        a.outcome = f.outcome;
        a.base = f.base;
        a.size = f.size;
        a.evidence = f.evidence;
    }

    /** memblock=debug: a dynamic region the log does not name, matched to the reserved-memory
     *  code's allocations by size, in the kernel's allocation order. */
    void fromAllocations()
    {
        allocUsed.assign(F.allocations.size(), false);
        // Allocations already explained by a named region's base.
        for (size_t k = 0; k < F.allocations.size(); ++k)
            for (const auto& c : R.regions)
                if (F.allocations[k].base && c.actual.base == F.allocations[k].base
                    && L().regions[size_t(c.region)].placement == Placement::Dynamic)
                    allocUsed[k] = true;
        std::vector<int> order = A.boot.allocationOrder;
        for (size_t i = 0; i < L().regions.size(); ++i)
            if (L().regions[i].placement == Placement::Dynamic
                && std::find(order.begin(), order.end(), int(i)) == order.end())
                order.push_back(int(i));
        for (int i : order) {
            RegionComparison& c = R.regions[size_t(i)];
            const Region& r = L().regions[size_t(i)];
            if (c.actual.base || r.placement != Placement::Dynamic || !r.size)
                continue;
            for (size_t k = 0; k < F.allocations.size(); ++k) {
                if (allocUsed[k] || F.allocations[k].size != *r.size)
                    continue;
                allocUsed[k] = true;
                c.actual.base = F.allocations[k].base;
                if (c.actual.base)
                    c.actual.size = *r.size;
                if (c.actual.outcome == Outcome::Unknown)
                    c.actual.outcome = c.actual.base ? Outcome::Active : Outcome::AllocFailed;
                c.actual.evidence.insert(
                    c.actual.evidence.end(), F.allocations[k].evidence.begin(), F.allocations[k].evidence.end());
                c.explanation = QStringLiteral("the log names no node for this allocation; it is matched by size "
                                               "(%1) in the kernel's allocation order")
                                    .arg(formatSize(*r.size));
                break;
            }
        }
        // A freed range names the region it was allocated or reserved for.
        for (auto& c : R.regions) {
            if (!c.actual.base || c.actual.outcome == Outcome::Freed)
                continue;
            for (const auto& f : F.treeFrees)
                if (f.range.base == *c.actual.base) {
                    c.actual.outcome = Outcome::Freed;
                    c.actual.evidence.push_back(f.evidence);
                }
        }
    }

    /** memblock=debug: static tuples and /memreserve/ entries the tree's code reserved. */
    void fromTreeReserves()
    {
        reserveUsed.assign(F.treeReserves.size(), false);
        for (size_t k = 0; k < F.treeReserves.size(); ++k) {
            const AddrRange& got = F.treeReserves[k].range;
            for (const auto& m : L().memreserve)
                if (m.range.base == got.base && m.range.size == got.size)
                    reserveUsed[k] = true;
            for (auto& c : R.regions) {
                const Region& r = L().regions[size_t(c.region)];
                for (const auto& t : r.reg)
                    if (t.base == got.base && t.size == got.size) {
                        reserveUsed[k] = true;
                        c.actual.evidence.push_back(F.treeReserves[k].evidence);
                        if (c.actual.outcome == Outcome::Unknown && !r.noMap)
                            c.actual.outcome = Outcome::Active;
                        if (!c.actual.base)
                            c.actual.base = r.reg.front().base;
                    }
            }
        }
    }

    /** What the capture shows held after boot: memblock/reserved and memblock/memory's NOMAP
     *  blocks, else /proc/iomem (arm64 lists memblock.reserved as "reserved" children of System
     *  RAM, and no-map memory as top-level "reserved" holes in it). */
    void collectHeld()
    {
        std::vector<TreeRange> iomemReserved, iomemNomap;
        if (cap.hasIomem && !cap.iomemHidden) {
            bool inRam = false;
            for (const auto& e : cap.iomem) {
                const AddrRange r { e.start, e.end - e.start + 1 };
                const Evidence ev {
                    QStringLiteral("%1-%2 : %3").arg(QString::number(e.start, 16), QString::number(e.end, 16), e.name),
                    e.fileLine, QStringLiteral("iomem")
                };
                if (e.depth == 0) {
                    inRam = e.name == QLatin1String("System RAM");
                    if (e.name == QLatin1String("reserved"))
                        iomemNomap.push_back({ r, ev });
                } else if (inRam && e.depth == 1 && e.name == QLatin1String("reserved")) {
                    iomemReserved.push_back({ r, ev });
                }
            }
        }
        if (cap.hasMemblock) {
            bool flags = false;
            for (const auto& e : cap.memblockReserved)
                reservedHeld.push_back({ { e.base, e.size }, memblockEvidence(e, "memblock/reserved") });
            for (const auto& e : cap.memblockMemory) {
                flags = flags || !e.flags.isEmpty();
                if (e.flags.contains(QLatin1String("NOMAP")))
                    nomapHeld.push_back({ { e.base, e.size }, memblockEvidence(e, "memblock/memory") });
            }
            // Kernels before 6.3 print no flags column: which blocks are NOMAP only iomem's holes tell.
            if (!flags)
                nomapHeld = iomemNomap;
            return;
        }
        // arm64 lists memblock.reserved as "reserved" children of System RAM; 32-bit ARM does
        // not, and then nothing says what is reserved.
        reservedHeld = iomemReserved;
        nomapHeld = iomemNomap;
    }

    /** Whether each region's memory is held (reserved, or NOMAP for no-map) after boot. */
    void fromHeldMemory()
    {
        collectHeld();
        if (reservedHeld.empty() && nomapHeld.empty())
            return;
        auto ranges = [](const std::vector<TreeRange>& v) {
            std::vector<AddrRange> out;
            for (const auto& t : v)
                out.push_back(t.range);
            return mergedRanges(out);
        };
        const auto heldReserved = ranges(reservedHeld);
        const auto heldNomap = ranges(nomapHeld);
        nomapUsed.assign(nomapHeld.size(), false);
        const std::vector<AddrRange>& ram = A.boot.memory;
        auto inRam = [&ram](const AddrRange& r) {
            for (const auto& m : ram)
                if (m.base <= r.base && r.end() <= m.end())
                    return true;
            return false;
        };
        // Dynamic no-map regions the log does not place: a NOMAP block of exactly their size.
        for (auto& c : R.regions) {
            const Region& r = L().regions[size_t(c.region)];
            if (c.actual.base || !r.noMap || r.placement != Placement::Dynamic || !r.size)
                continue;
            for (size_t k = 0; k < nomapHeld.size(); ++k) {
                const AddrRange& e = nomapHeld[k].range;
                if (nomapUsed[k] || e.size != *r.size)
                    continue;
                // Not a block a static no-map region of the sources (or a region already placed) sits in.
                if (std::any_of(R.regions.begin(), R.regions.end(), [&](const RegionComparison& o) {
                        const Region& s = L().regions[size_t(o.region)];
                        return o.actual.base == e.base
                            || (s.noMap && s.placement == Placement::Static && s.base
                                && overlaps(e, { *s.base, s.treeSize }));
                    }))
                    continue;
                c.actual.base = e.base;
                c.actual.size = e.size;
                if (c.actual.outcome == Outcome::Unknown)
                    c.actual.outcome = Outcome::Active;
                c.actual.evidence.push_back(nomapHeld[k].evidence);
                c.explanation = QStringLiteral("placed by the no-map block of its size (the log names no node for it)");
                break;
            }
        }
        for (auto& c : R.regions) {
            const Region& r = L().regions[size_t(c.region)];
            std::optional<uint64_t> base = c.actual.base ? c.actual.base : r.base;
            if (!base)
                continue;
            const AddrRange range { *base, c.actual.size.value_or(r.treeSize) };
            if (range.size == 0 || !inRam(range))
                continue;
            for (size_t k = 0; k < nomapHeld.size(); ++k)
                if (overlaps(nomapHeld[k].range, range) && r.noMap)
                    nomapUsed[k] = true;
            if (c.actual.outcome != Outcome::Unknown || r.placement != Placement::Static)
                continue;
            const bool held = r.noMap ? covered(heldNomap, range) : covered(heldReserved, range);
            for (const auto& e : r.noMap ? nomapHeld : reservedHeld)
                if (overlaps(e.range, range))
                    c.actual.evidence.push_back(e.evidence);
            if (held) {
                c.actual.outcome = Outcome::Active;
                c.actual.base = range.base;
            } else {
                notHeld[size_t(c.region)] = true;
                c.explanation = r.noMap ? QStringLiteral("the capture does not show its range as no-map memory")
                                        : QStringLiteral("the capture does not show its range reserved");
            }
        }
    }

    void fromBootedTree(int i, ActualRegion& a)
    {
        if (!booted)
            return;
        const int j = booted->layout.findRegion(L().regions[size_t(i)].path);
        if (j < 0)
            return;
        const Region& b = booted->layout.regions[size_t(j)];
        if (!b.enabled && a.outcome == Outcome::Unknown) {
            a.outcome = Outcome::Disabled;
            a.evidence.push_back(
                { QStringLiteral("%1: status = \"%2\"").arg(b.path, b.status), 0, QStringLiteral("fdt") });
        }
    }

    /** The booted tree has regions the sources lack, or lacks some they have. */
    bool treeRegionsDiffer() const
    {
        if (!booted)
            return false;
        for (const Region& b : booted->layout.regions)
            if (L().findRegion(b.path) < 0)
                return true;
        for (const Region& s : L().regions)
            if (booted->layout.findRegion(s.path) < 0)
                return true;
        return false;
    }

    void judge(RegionComparison& c)
    {
        const Region& r = L().regions[size_t(c.region)];
        const ActualRegion& a = c.actual;
        const RegionPlace& p = c.predicted;
        QStringList why;
        if (a.outcome != Outcome::Unknown && a.outcome != p.outcome)
            why << QStringLiteral("the kernel's outcome is %1, the prediction %2")
                       .arg(outcomeName(a.outcome), outcomeName(p.outcome));
        if (a.base && p.base && *a.base != *p.base)
            why << QStringLiteral("it sits at %1, predicted %2").arg(toHex(*a.base), toHex(*p.base));
        if (a.size && p.outcome == Outcome::Active && *a.size != p.size)
            why << QStringLiteral("its size is %1, predicted %2").arg(formatSize(*a.size), formatSize(p.size));
        const auto named = F.named.find(r.name);
        if (named != F.named.end() && named->second.sizeMiB && p.outcome == Outcome::Active
            && *named->second.sizeMiB != p.size >> 20)
            why << QStringLiteral("the kernel made a %1 MiB pool, predicted %2")
                       .arg(*named->second.sizeMiB)
                       .arg(formatSize(p.size));
        if (notHeld[size_t(c.region)] && p.outcome == Outcome::Active)
            why << c.explanation;
        if (!why.isEmpty()) {
            c.verdict = Verdict::Differ;
            if (r.placement == Placement::Dynamic && treeRegionsDiffer())
                why << QStringLiteral("the booted tree's regions differ from the sources' (see the tree differences), "
                                      "which moves dynamic regions");
            c.explanation = why.join(QStringLiteral("; "));
            c.advice = r.placement == Placement::Dynamic && a.base && p.base && *a.base != *p.base
                ? QStringLiteral("dynamic placement depends on what was reserved first and on RAM: check the "
                                 "profile (--kernel, --memory) and pass the boot chain's reservations with --reserve")
                : QStringLiteral("check the profile the prediction used (--kernel, --cmdline, --config) against the "
                                 "booted kernel; if it is right, the sources differ from what was booted");
            return;
        }
        if (a.outcome == Outcome::Unknown && !a.base && !notHeld[size_t(c.region)]) {
            c.verdict = Verdict::Unknown;
            if (cap.log.truncatedStart)
                c.explanation = QStringLiteral("the log starts after the reserved-memory messages (its beginning "
                                               "was lost) and nothing else in the capture shows this region");
            else if (!cap.log.present)
                c.explanation
                    = QStringLiteral("the capture has no kernel log and nothing else in it shows this region");
            else
                c.explanation = QStringLiteral(
                    "the kernel printed no line naming it (6.1 prints none for a region "
                    "without an init function; newer kernels print a summary line) and the capture holds no "
                    "other trace of it; boot with memblock=debug to see it");
            return;
        }
        c.verdict = Verdict::Agree;
    }

    void regions()
    {
        notHeld.assign(L().regions.size(), false);
        for (size_t i = 0; i < L().regions.size(); ++i) {
            RegionComparison c;
            c.region = int(i);
            c.path = L().regions[i].path;
            c.name = L().regions[i].name;
            c.predicted = A.place(int(i));
            fromNamedLines(int(i), c.actual);
            fromBootedTree(int(i), c.actual);
            R.regions.push_back(c);
        }
        fromAllocations();
        fromTreeReserves();
        fromHeldMemory();
        for (auto& c : R.regions)
            judge(c);
    }

    void addUnexplained(Unexplained u)
    {
        // What the profile's early reservations (--reserve, the window's "Add as early
        // reservation") hold is explained: listed with the kernel's own, not a difference.
        for (const auto& e : A.profile.early)
            if (u.range.size && e.range.base <= u.range.base && u.range.end() <= e.range.end()) {
                for (auto& k : R.kernelReservations)
                    if (k.what == e.name + QStringLiteral(" (early reservation)")) {
                        k.evidence.insert(k.evidence.end(), u.evidence.begin(), u.evidence.end());
                        return;
                    }
                KernelReservation k;
                k.what = e.name + QStringLiteral(" (early reservation)");
                k.range = e.range;
                k.predictedBase = e.range.base;
                k.evidence = u.evidence;
                R.kernelReservations.push_back(k);
                return;
            }
        if (u.range.size)
            u.advice
                = QStringLiteral("if the bootloader adds it, predict with it: --reserve %1@%2+%3 (or add it to the "
                                 "sources); if it was deleted from the sources since that boot, the capture is "
                                 "older than the sources")
                      .arg(u.name.isEmpty() ? QStringLiteral("unexplained") : u.name.section(QLatin1Char('@'), 0, 0),
                          toHex(u.range.base), toHex(u.range.size));
        for (auto& e : R.unexplained)
            if ((u.range.size && e.range.size && overlaps(e.range, u.range))
                || (!u.name.isEmpty() && e.name == u.name)) {
                e.evidence.insert(e.evidence.end(), u.evidence.begin(), u.evidence.end());
                if (e.name.isEmpty())
                    e.name = u.name;
                if (!e.range.size)
                    e.range = u.range;
                e.noMap = e.noMap || u.noMap;
                return;
            }
        R.unexplained.push_back(u);
    }

    void unexplained()
    {
        const QString advice = QStringLiteral("if the bootloader adds it, pass it to the prediction with --reserve "
                                              "NAME@BASE+SIZE (or add it to the sources); if it was deleted from the "
                                              "sources since that boot, the capture is older than the sources");
        for (const QString& name : F.namedOrder) {
            if (L().findRegion(QStringLiteral("/reserved-memory/") + name) >= 0
                || std::any_of(
                    L().regions.begin(), L().regions.end(), [&name](const Region& r) { return r.name == name; }))
                continue;
            const NamedFacts& f = F.named.at(name);
            Unexplained u;
            u.name = name;
            u.range = { f.base.value_or(0), f.size.value_or(f.sizeMiB.value_or(0) << 20) };
            u.noMap = f.noMap.value_or(false);
            u.evidence = f.evidence;
            u.explanation = QStringLiteral("the kernel reserved a node '%1' that the sources do not have").arg(name);
            u.advice = advice;
            addUnexplained(u);
        }
        for (size_t k = 0; k < F.treeReserves.size(); ++k) {
            if (reserveUsed[k])
                continue;
            Unexplained u;
            u.range = F.treeReserves[k].range;
            u.evidence.push_back(F.treeReserves[k].evidence);
            u.explanation = QStringLiteral("the tree's reserved-memory code reserved a range no region or /memreserve/ "
                                           "entry of the sources has");
            u.advice = advice;
            addUnexplained(u);
        }
        for (size_t k = 0; k < F.allocations.size(); ++k) {
            if (allocUsed[k] || !F.allocations[k].base)
                continue;
            Unexplained u;
            u.range = { *F.allocations[k].base, F.allocations[k].size };
            u.evidence = F.allocations[k].evidence;
            u.explanation
                = QStringLiteral("the reserved-memory code allocated a dynamic region no node of the sources explains");
            u.advice = advice;
            addUnexplained(u);
        }
        for (size_t k = 0; k < nomapUsed.size(); ++k) {
            if (nomapUsed[k])
                continue;
            Unexplained u;
            u.range = nomapHeld[k].range;
            u.noMap = true;
            u.evidence.push_back(nomapHeld[k].evidence);
            u.explanation = QStringLiteral("no-map memory (a hole in the kernel's RAM) that no no-map region of the "
                                           "sources explains");
            u.advice = advice;
            addUnexplained(u);
        }
        // Regions of the booted tree that the sources lack: the kernel reserved them, printed or not.
        if (booted)
            for (const Region& b : booted->layout.regions) {
                if (L().findRegion(b.path) >= 0 || !b.enabled || !b.base)
                    continue;
                Unexplained u;
                u.name = b.name;
                u.range = { *b.base, b.treeSize };
                u.noMap = b.noMap;
                u.evidence.push_back({ QStringLiteral("%1: reg = %2+%3%4")
                                           .arg(b.path, toHex(*b.base), formatSize(b.treeSize),
                                               b.noMap ? QStringLiteral(", no-map") : QString()),
                    0, QStringLiteral("fdt") });
                u.explanation = QStringLiteral("the booted tree has the region %1, the sources do not").arg(b.path);
                u.advice = advice;
                addUnexplained(u);
            }
    }

    void kernelReservations()
    {
        const DefaultCma& d = A.boot.defaultCma;
        for (KernelReservation k : F.kernel) {
            if (k.what == QLatin1String("default CMA area")) {
                k.predictedBase = d.source == DefaultCma::Source::DtNode ? std::nullopt : d.base;
                k.predictable = d.basePredictable;
                if (d.source == DefaultCma::Source::DtNode || d.failed || d.size != k.range.size)
                    R.notes << QStringLiteral("the kernel reserved a %1 default CMA area at %2; the prediction %3")
                                   .arg(formatSize(k.range.size), toHex(k.range.base),
                                       d.source == DefaultCma::Source::DtNode
                                           ? QStringLiteral("has a tree node as the default area")
                                           : d.failed ? QStringLiteral("has it fail")
                                                      : QStringLiteral("has %1").arg(formatSize(d.size)));
                else if (!d.basePredictable)
                    R.notes << QStringLiteral("the default CMA area's base (%1) is not predictable from the tree on "
                                              "this arch (allocated after early allocations the tree does not show): "
                                              "shown, not compared")
                                   .arg(toHex(k.range.base));
            }
            R.kernelReservations.push_back(k);
        }
        for (const auto& e : bootReservations(cap, booted ? &*booted : nullptr)) {
            KernelReservation k;
            k.what = e.name == QLatin1String("kernel") ? QStringLiteral("kernel image") : e.name;
            k.range = e.range;
            k.evidence.push_back(
                { QStringLiteral("%1 %2+%3").arg(e.name, toHex(e.range.base), formatSize(e.range.size)), 0,
                    e.name == QLatin1String("kernel") ? QStringLiteral("iomem") : QStringLiteral("fdt") });
            R.kernelReservations.push_back(k);
        }
    }

    void memoryTotal()
    {
        if (!F.memoryTotal || booted)
            return; // the booted DTB's /memory is compared directly
        uint64_t ram = 0;
        for (const auto& m : A.boot.memory)
            ram += m.size;
        if (ram == *F.memoryTotal || ram == 0)
            return;
        TreeDifference t;
        t.area = QStringLiteral("/memory");
        t.path = QStringLiteral("/memory");
        t.change = QStringLiteral("changed");
        t.source = formatSize(ram);
        t.booted = formatSize(*F.memoryTotal);
        t.explanation = QStringLiteral("the kernel counted %1 of RAM (\"%2\"), the prediction %3")
                            .arg(formatSize(*F.memoryTotal), F.memoryEvidence->text, formatSize(ram));
        t.advice
            = QStringLiteral("the bootloader or mem= changed the memory: predict with --memory BASE+SIZE as booted");
        R.treeDifferences.push_back(t);
    }

    CompareResult run()
    {
        R.board = board.file;
        R.kind = cap.kind;
        R.kernelRelease = cap.kernelRelease;
        R.profile = A.profile;
        R.notes = cap.readerNotes;
        if (cap.kernelRelease.isEmpty())
            R.notes << QStringLiteral("the capture does not say which kernel booted: the prediction uses the profile "
                                      "%1; pass --profile or --kernel (and --arch) for the booted kernel")
                           .arg(A.profile.name);
        if (cap.log.present)
            F = readLogFacts(cap.log);
        QString why;
        booted = readBootedTree(cap, &why);
        if (!why.isEmpty())
            R.notes << why;
        if (cap.log.present && cap.log.truncatedStart)
            R.notes << QStringLiteral("the kernel log begins after the start of the boot: its reserved-memory lines "
                                      "are lost, so regions only the log could show are unknown (a serial console "
                                      "log with earlycon keeps them)");
        regions();
        unexplained();
        kernelReservations();
        if (booted)
            R.treeDifferences = treeDifferences(
                L(), booted->layout, booted->loaded.tree, board.tree, cap.fdtFromListing, &R.bootedMemory);
        memoryTotal();
        for (const auto& c : R.regions)
            (c.verdict == Verdict::Agree ? R.agree : c.verdict == Verdict::Differ ? R.differ : R.unknown)++;
        R.differ += int(R.unexplained.size());
        for (const auto& t : R.treeDifferences)
            R.differ += t.counted ? 1 : 0;
        return std::move(R);
    }
};

} // namespace

CompareResult compareCapture(const LoadedTree& board, const AnalysisPtr& analysis, const Capture& capture)
{
    return Comparer(board, *analysis, capture).run();
}

} // namespace carveout::capture
