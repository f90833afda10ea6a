// SPDX-License-Identifier: GPL-2.0-only
// The rules of 2.3 reservation, overlap, limits (kernel-rules.md): each check function with its registry record
// (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

// ---- 2.3 reservation ------------------------------------------------------------

static void rmNomapBusy(RuleContext& c)
{
    c.each([&](int i) {
        const RegionBoot& b = c.boot(i);
        if (!b.reserveFailed)
            return;
        const Region& r = c.reg(i);
        const AddrRange t = r.reg[size_t(std::max(0, b.failedTuple))];
        QString what;
        for (const auto& e : c.P.earlyReservations()) {
            if (e.range.base < t.end() && t.base < e.range.end())
                what = QStringLiteral(" (the %1 is there)").arg(e.name);
        }
        for (size_t k = 0; k < c.L.regions.size() && what.isEmpty(); ++k) {
            const Region& o = c.L.regions[k];
            const auto ob = c.base(int(k));
            if (int(k) == i || o.noMap || !ob || !c.enabled(int(k)))
                continue;
            if (*ob < t.end() && t.base < *ob + c.size(int(k)))
                what = QStringLiteral(" (%1 holds it)").arg(o.name);
        }
        if (what.isEmpty() && c.B.era == Era::A) {
            for (const auto& m : c.L.memreserve) {
                if (m.range.base < t.end() && t.base < m.range.end())
                    what = QStringLiteral(" (a /memreserve/ entry, reserved first on this kernel)");
            }
        }
        c.report(i, "reg",
            QStringLiteral("no-map region %1..%2 lies on memory that is already reserved%3: the kernel refuses it "
                           "(-EBUSY), so it stays mapped and is not reserved")
                .arg(toHex(t.base), toHex(t.end()), what),
            QStringLiteral("Reserved memory: failed to reserve memory for node '%1': base %2, size %3 MiB")
                .arg(r.name, pa(c, t.base))
                .arg(t.size >> 20));
    });
}

const Rule kRmNomapBusy { "rm_nomap_busy", Severity::Error, "all", "all", nullptr,
    "Reserved memory: failed to reserve memory for node '%s': base %pa, size %lu MiB",
    "A no-map region on memory that is already reserved is refused (-EBUSY) and stays mapped.",
    "Move the region off the kernel image, DTB, /memreserve/ or other reservations, or drop no-map.", rmNomapBusy };

static void rmStaticOverReserved(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::Static || r.noMap)
            return;
        for (const auto& t : r.reg) {
            for (const auto& e : c.P.early) {
                if (e.range.base < t.end() && t.base < e.range.end()) {
                    // An error on the kernel image, initrd or DTB; a warning on other early
                    // reservations (kernel-rules.md RM-STATIC-OVER-RESERVED).
                    static const QStringList vital { QStringLiteral("kernel"), QStringLiteral("initrd"),
                        QStringLiteral("dtb"), QStringLiteral("page tables") };
                    const Severity sev = vital.contains(e.name.toLower()) ? Severity::Error : Severity::Warning;
                    c.reportSev(sev, i, "reg",
                        QStringLiteral("%1..%2 overlaps the %3 (%4..%5): memblock merges it silently%6")
                            .arg(toHex(t.base), toHex(t.end()), e.name, toHex(e.range.base), toHex(e.range.end()))
                            .arg(isCma(r) ? QStringLiteral(" and CMA will hand those pages to the page allocator")
                                          : QString()));
                    return;
                }
            }
        }
    });
}

const Rule kRmStaticOverReserved { "rm_static_over_reserved", Severity::Error, "all", "all", nullptr, "",
    "A mapped static region on the kernel image, initrd or DTB merges silently; a pool then hands out kernel "
    "memory.",
    "Move the region.", rmStaticOverReserved };

static void rmStaticOutsideRam(RuleContext& c)
{
    if (c.B.memory.empty())
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::Static || r.reg.empty() || r.regMalformed)
            return;
        const AddrRange t = r.reg.front();
        if (t.size == 0)
            return;
        uint64_t inside = 0;
        for (const auto& m : c.B.memory) {
            const uint64_t b = std::max(m.base, t.base), e = std::min(m.end(), t.end());
            if (e > b)
                inside += e - b;
        }
        if (inside == t.size)
            return;
        if (r.kind == RegionKind::Cma)
            return; // cma_zone says more
        c.reportSev(inside ? Severity::Warning : Severity::Info, i, "reg",
            inside ? QStringLiteral("%1..%2 lies partly outside RAM").arg(toHex(t.base), toHex(t.end()))
                   : QStringLiteral("%1..%2 lies outside RAM (fine for a device carve-out, useless for a pool)")
                         .arg(toHex(t.base), toHex(t.end())));
    });
}

const Rule kRmStaticOutsideRam { "rm_static_outside_ram", Severity::Info, "all", "all", nullptr, "",
    "Regions outside RAM are reserved without effect.", "Fine for device carve-outs; keep pools in RAM.",
    rmStaticOutsideRam };

static void rmMaxRegions(RuleContext& c)
{
    c.each([&](int i) {
        for (const auto& m : c.boot(i).kernelMessages) {
            if (m.startsWith(QLatin1String("not enough space for all defined regions"))) {
                c.report(i, nullptr,
                    QStringLiteral("more regions than the kernel's table holds (64): this one is not registered"), m);
                return;
            }
        }
    });
}

const Rule kRmMaxRegions { "rm_max_regions", Severity::Error, "all", "all", nullptr,
    "not enough space for all defined regions.", "The kernel's table holds 64 regions (64 dynamic ones from 6.13).",
    "Merge regions.", rmMaxRegions };

static void rmOverlap(RuleContext& c)
{
    for (const auto& o : c.B.overlaps) {
        const Region& a = c.reg(o.first);
        const Region& b = c.reg(o.second);
        // Our sentence with ends saturated at 2^64; the kernel's words with its own (wrapping) sums.
        const uint64_t ab = c.base(o.first).value_or(0), ae = AddrRange { ab, c.size(o.first) }.end();
        const uint64_t bb = c.base(o.second).value_or(0), be = AddrRange { bb, c.size(o.second) }.end();
        const uint64_t aeKernel = ab + c.size(o.first), beKernel = bb + c.size(o.second);
        // The lower region is the one that runs into its neighbour: point at its reg.
        c.report(o.first, c.reg(o.first).placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("%1 (%2..%3) runs %4 into %5 (%6..%7); the kernel only reports it and both stay reserved")
                .arg(a.name, toHex(ab), toHex(ae), formatSize(std::min(ae, be) - bb), b.name, toHex(bb), toHex(be)),
            QStringLiteral("OVERLAP DETECTED!\n%1 (%2--%3) overlaps with %4 (%5--%6)")
                .arg(a.name, pa(c, ab), pa(c, aeKernel), b.name, pa(c, bb), pa(c, beKernel)));
    }
}

const Rule kRmOverlap { "rm_overlap", Severity::Error, "all", "all", nullptr,
    "OVERLAP DETECTED!\\n%s (%pa--%pa) overlaps with %s (%pa--%pa)",
    "Overlapping regions are only reported (adjacent pairs after sorting); both stay reserved.",
    "Resize or move one of the two.", rmOverlap };

static void rmOverlapHidden(RuleContext& c)
{
    // Overlaps the kernel never prints: non-adjacent pairs after its sort, and (before 6.13)
    // anything involving a dynamic region, whose base is unknown when it checks.
    std::set<std::pair<int, int>> printed;
    for (const auto& o : c.B.overlaps)
        printed.insert({ std::min(o.first, o.second), std::max(o.first, o.second) });
    // A sweep over the regions sorted by base finds the overlapping pairs without comparing every
    // pair (a generated tree can hold 100,000 regions); ends saturate at 2^64 so a range that
    // runs past the top of the address space still overlaps what lies above its base.
    struct Span
    {
        uint64_t base;
        uint64_t end;
        int index;
    };
    std::vector<Span> spans;
    for (int i = 0; i < int(c.L.regions.size()); ++i) {
        const auto base = c.base(i);
        if (!base || !c.size(i) || !c.boot(i).registered || c.outcome(i) != Outcome::Active)
            continue;
        spans.push_back({ *base, AddrRange { *base, c.size(i) }.end(), i });
    }
    std::sort(spans.begin(), spans.end(),
        [](const Span& x, const Span& y) { return x.base != y.base ? x.base < y.base : x.index < y.index; });
    std::vector<std::pair<int, int>> pairs;
    bool truncated = false;
    for (size_t x = 0; x < spans.size() && !truncated; ++x) {
        for (size_t y = x + 1; y < spans.size() && spans[y].base < spans[x].end; ++y) {
            const auto pair = std::minmax(spans[x].index, spans[y].index);
            if (printed.count(pair))
                continue;
            if (pairs.size() >= kMaxListedOverlaps) {
                truncated = true;
                break;
            }
            pairs.push_back(pair);
        }
    }
    std::sort(pairs.begin(), pairs.end()); // the order of the old all-pairs loop
    for (const auto& [i, j] : pairs) {
        const uint64_t a = *c.base(i), b = *c.base(j);
        c.report(j, "reg",
            QStringLiteral("%1 (%2..%3) overlaps %4 (%5..%6), and the kernel does not report it")
                .arg(c.reg(j).name, toHex(b), toHex(AddrRange { b, c.size(j) }.end()), c.reg(i).name, toHex(a),
                    toHex(AddrRange { a, c.size(i) }.end())),
            QString());
    }
    if (truncated) {
        c.report(spans.front().index, "reg",
            QStringLiteral("more than %1 pairs of regions overlap; only the first %1 are listed")
                .arg(kMaxListedOverlaps),
            QString());
    }
}

const Rule kRmOverlapHidden { "rm_overlap_hidden", Severity::Error, "all", "all", nullptr, "",
    "Overlaps the kernel never prints (non-adjacent after its sort, or dynamic regions before 6.13).",
    "Resize or move one of the two.", rmOverlapHidden };

static void rmMemreserveClobber(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const auto base = c.base(i);
        const uint64_t size = c.size(i);
        if (r.placement != Placement::Dynamic || !base || c.outcome(i) == Outcome::AllocFailed)
            return;
        for (const auto& m : c.L.memreserve) {
            if (m.range.base < saturatedEnd(*base, size) && *base < m.range.end()) {
                c.report(i, "size",
                    QStringLiteral(
                        "this kernel places %1 at %2..%3, on top of the /memreserve/ block %4..%5 (reserved later, "
                        "silently merged)")
                        .arg(r.name, toHex(*base), toHex(saturatedEnd(*base, size)), toHex(m.range.base),
                            toHex(m.range.end())));
                return;
            }
        }
    });
}

const Rule kRmMemreserveClobber { "rm_memreserve_clobber", Severity::Error, ">= 6.13", "all",
    applies::eraCOrLaterDtBoot, "",
    "From 6.13 dynamic regions are placed before /memreserve/ is reserved and can land on it silently.",
    "Add alloc-ranges that avoid the /memreserve/ block.", rmMemreserveClobber };

static void rmInitFailFree(RuleContext& c)
{
    // What a more specific rule (the prerequisites) explained is not said twice.
    c.each([&](int i) {
        if (c.outcome(i) != Outcome::Freed || c.prerequisiteReported(i))
            return;
        c.report(i, "compatible",
            QStringLiteral("the init function for %1 failed (%2): the memory is given back and its users get -EINVAL")
                .arg(c.reg(i).compatible.join(QStringLiteral(", ")))
                .arg(c.boot(i).initResult),
            QStringLiteral("node %1 compatible matching fail").arg(c.reg(i).name));
    });
}

// The rules that explain a freed region better: their findings replace this one.
static const char* const kInitFailFreeExplainedBy[]
    = { "cma_align", "cma_dyn_size", "cma_nomap", "rm_nomap_reusable", "cma_slots", "cma_not_reserved",
          "cma_cmdline_override", "cma_no_config", "dma_arm_nomap", "swiotlb_forbidden_props", "rm_size_zero" };
const Rule kRmInitFailFree { "rm_init_fail_free", Severity::Error, "all", "all", nullptr,
    "node %s compatible matching fail", "A failed init gives the memory back; users get -EINVAL.",
    "Fix what the init refused.", rmInitFailFree, kInitFailFreeExplainedBy };

static void rmNoInit(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        // Plain carve-outs (no compatible) are the common case and need no remark.
        if (r.compatible.isEmpty() || !b.initRan || !b.init.isEmpty() || c.outcome(i) != Outcome::Active)
            return;
        if (shared(r) || r.kind == RegionKind::Restricted)
            return; // said by the CMA / DMA / SWIOTLB rules
        c.report(i, "compatible",
            QStringLiteral("no kernel init function handles '%1': the region stays reserved; drivers reach it through "
                           "resource lookups, and of_reserved_mem_device_init() gives -EINVAL")
                .arg(r.compatible.join(QStringLiteral("\", \""))),
            QString());
    });
}

const Rule kRmNoInit { "rm_no_init", Severity::Info, "all", "all", nullptr, "%pa..%pa (%lu KiB) %s %s %s",
    "No init function handles the compatible; the memory just stays reserved.",
    "Nothing, if drivers use resource lookups.", rmNoInit };

static void rmReusableNocma(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.reusable || (r.noMap && !shared(r)))
            return; // no-map + reusable on a non-pool: rm_nomap_reusable says more
        if (!shared(r))
            c.report(i, "reusable",
                QStringLiteral(
                    "reusable only has an effect on a shared-dma-pool (CMA); here the memory just stays reserved"));
        else if (!c.P.config.cma)
            c.report(i, "reusable", QStringLiteral("reusable needs CONFIG_CMA, which this profile does not have"));
    });
}

const Rule kRmReusableNocma { "rm_reusable_nocma", Severity::Warning, "all", "all", nullptr, "",
    "reusable only has an effect on a CMA shared-dma-pool.", "Drop reusable, or make the node a shared-dma-pool.",
    rmReusableNocma };

static void rmNomapReusable(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.noMap || !r.reusable || shared(r))
            return;
        c.report(i, "no-map",
            QStringLiteral("no-map and reusable contradict each other: memory outside the linear map cannot be lent to "
                           "the kernel"));
    });
}

const Rule kRmNomapReusable { "rm_nomap_reusable", Severity::Error, "all", "all", nullptr, "",
    "no-map and reusable exclude each other.", "Keep one of them.", rmNomapReusable };

} // namespace carveout
