// SPDX-License-Identifier: GPL-2.0-only
// The rules of 2.4 CMA (kernel-rules.md): each check function with its registry record
// (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

// ---- 2.4 CMA ------------------------------------------------------------

static void cmaReusable(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!shared(r) || r.reusable)
            return;
        // Only where the author evidently meant CMA.
        if (!r.cmaDefault && !r.name.contains(QLatin1String("cma"), Qt::CaseInsensitive))
            return;
        c.report(i, "compatible",
            QStringLiteral("a shared-dma-pool without reusable is a per-device coherent pool, not CMA%1")
                .arg(r.cmaDefault ? QStringLiteral(": linux,cma-default has no effect") : QString()));
    });
}

const Rule kCmaReusable { "cma_reusable", Severity::Info, "all", "all", nullptr, "",
    "A shared-dma-pool without reusable is a coherent pool, not CMA.", "Add reusable to make it CMA.", cmaReusable };

static void cmaNomap(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!shared(r) || !r.reusable || !r.noMap)
            return;
        c.report(i, "no-map",
            c.v(7, 1) ? QStringLiteral(
                "reusable with no-map is neither CMA nor a coherent pool: the region stays reserved with no pool")
                      : QStringLiteral(
                          "reusable with no-map is neither CMA nor a coherent pool: both inits refuse it and the "
                          "kernel %1")
                            .arg(r.placement == Placement::Dynamic
                                    ? QStringLiteral("clears no-map but keeps the memory reserved (leaked)")
                                    : QStringLiteral("gives the memory back")),
            c.v(7, 1) ? QString() : QStringLiteral("node %1 compatible matching fail").arg(r.name));
    });
}

const Rule kCmaNomap { "cma_nomap", Severity::Error, "all", "all", nullptr, "node %s compatible matching fail",
    "A CMA pool must stay in the linear map: reusable with no-map is refused.", "Remove no-map.", cmaNomap };

static void cmaAlign(RuleContext& c)
{
    const uint64_t a = c.P.cmaMinAlignment();
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        const auto base = c.base(i);
        const uint64_t size = c.size(i);
        if (!isCma(r) || !base || b.cmdlineBypassed || !b.initRan)
            return;
        if (r.placement == Placement::Dynamic && (*base & (a - 1)) == 0)
            return; // size only: cma_dyn_size
        if (((*base | size) & (a - 1)) == 0)
            return;
        const bool baseBad = (*base & (a - 1)) != 0;
        c.report(i, "reg",
            QStringLiteral(
                "CMA %1 %2 is not a multiple of %3 (CMA_MIN_ALIGNMENT_BYTES on %4): the kernel rejects the pool and "
                "frees its %5%6")
                .arg(baseBad ? QStringLiteral("base") : QStringLiteral("size"), toHex(baseBad ? *base : size),
                    formatSize(a), c.P.name, formatSize(size))
                .arg(c.consumersOf(i) ? QStringLiteral("; its %1 user(s) get -EINVAL").arg(c.consumersOf(i))
                                      : QString()),
            QStringLiteral("Reserved memory: incorrect alignment of CMA region"));
    });
}

const Rule kCmaAlign { "cma_align", Severity::Error, "all", "all", nullptr,
    "Reserved memory: incorrect alignment of CMA region",
    "Base and size of a CMA region must be multiples of CMA_MIN_ALIGNMENT_BYTES (the pageblock size).",
    "Align base and size to the profile's CMA minimum alignment.", cmaAlign };

static void cmaDynSize(RuleContext& c)
{
    const uint64_t a = c.P.cmaMinAlignment();
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!isCma(r) || r.placement != Placement::Dynamic || !r.size || *r.size == 0 || (*r.size & (a - 1)) == 0)
            return;
        if (c.boot(i).cmdlineBypassed)
            return;
        c.report(i, "size",
            QStringLiteral(
                "dynamic CMA size %1 is not a multiple of %2: the kernel aligns the base but never the size, "
                "then rejects the pool")
                .arg(formatSize(*r.size), formatSize(a)),
            QStringLiteral("Reserved memory: incorrect alignment of CMA region"));
    });
}

const Rule kCmaDynSize { "cma_dyn_size", Severity::Error, "all", "all", nullptr,
    "Reserved memory: incorrect alignment of CMA region",
    "For dynamic CMA the kernel aligns the base but never the size.",
    "Make the size a multiple of the CMA minimum alignment.", cmaDynSize };

static void cmaSlots(RuleContext& c)
{
    c.each([&](int i) {
        if (c.boot(i).cmaNoSlot)
            c.report(i, "compatible",
                QStringLiteral("more CMA areas than MAX_CMA_AREAS (%1 on %2): this pool gets no slot and is freed")
                    .arg(c.P.maxCmaAreas())
                    .arg(c.P.name),
                QStringLiteral("Not enough slots for CMA reserved regions!"));
    });
    // The command line's CMA areas (hugetlb_cma=, cma_pernuma=, ...) come after the tree's pools
    // and before the default area (from 7.0 hugetlb_cma= after it): they take slots too.
    const DefaultCma& d = c.B.defaultCma;
    QStringList taking, starved;
    for (const CmdlineArea& a : c.B.cmdlineAreas) {
        if (a.cma && !a.failed)
            taking << a.option;
        else if (a.noSlot)
            starved << QStringLiteral("%1 (%2)").arg(a.name, a.option);
    }
    auto takersOf = [](const QStringList& others) {
        return others.isEmpty() ? QStringLiteral("the DT CMA pools")
                                : QStringLiteral("the DT CMA pools and %1").arg(others.join(QStringLiteral(", ")));
    };
    const QString takers = takersOf(taking);
    // 7.0+: a starved hugetlb0 also lost to the default area, made before it.
    QStringList before = taking;
    if (c.P.version.atLeast(7, 0) && !d.failed && d.base && d.source != DefaultCma::Source::DtNode)
        before << QStringLiteral("the default CMA area");
    const QString where = c.L.container.present ? c.L.container.path : QStringLiteral("/");
    if (!starved.isEmpty())
        c.report(where, c.L.container.source,
            QStringLiteral("%1 take all %2 CMA slots: the command line's %3 cannot be created")
                .arg(takersOf(before))
                .arg(c.P.maxCmaAreas())
                .arg(starved.join(QStringLiteral(", "))),
            QStringLiteral("Not enough slots for CMA reserved regions!"));
    if (d.failed && d.message.contains(QLatin1String("slots"))) {
        c.report(where, c.L.container.source,
            QStringLiteral("%1 take all %2 CMA slots: the default CMA area (%3) cannot be created")
                .arg(takers)
                .arg(c.P.maxCmaAreas())
                .arg(formatSize(d.size)),
            QStringLiteral("Not enough slots for CMA reserved regions!"));
    }
}

const Rule kCmaSlots { "cma_slots", Severity::Error, "all", "all", nullptr,
    "Not enough slots for CMA reserved regions!",
    "At most MAX_CMA_AREAS CMA areas exist, the default area and the command line's (hugetlb_cma=, ...) included.",
    "Merge CMA pools or raise CONFIG_CMA_AREAS.", cmaSlots };

static void cmaNotReserved(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (!isCma(r) || !b.initRan || c.outcome(i) != Outcome::Freed || b.cmdlineBypassed || b.cmaNoSlot)
            return;
        if (b.kernelMessages.contains(QStringLiteral("Reserved memory: unable to setup CMA region")) && !b.cmaNoSlot)
            c.report(i, "reg",
                QStringLiteral(
                    "the CMA region is not reserved in memblock (or has size 0): cma_init_reserved_mem refuses it"),
                QStringLiteral("Reserved memory: unable to setup CMA region"));
    });
}

const Rule kCmaNotReserved { "cma_not_reserved", Severity::Error, "all", "all", nullptr,
    "Reserved memory: unable to setup CMA region", "cma_init_reserved_mem needs memory reserved in memblock.",
    "Check that the region is reserved and not empty.", cmaNotReserved };

static void cmaZone(RuleContext& c)
{
    if (c.B.noMemory)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (c.boot(i).init != QLatin1String("cma") || !c.base(i))
            return;
        const uint64_t s = *c.base(i), e = saturatedEnd(s, c.size(i));
        QString why;
        uint64_t inside = 0;
        for (const auto& m : c.B.memory) {
            const uint64_t lo = std::max(m.base, s), hi = std::min(m.end(), e);
            if (hi > lo)
                inside += hi - lo;
        }
        if (inside != c.size(i))
            why = inside
                ? QStringLiteral("it runs past the end of RAM (the kernel panics at once on arm64)")
                : QStringLiteral("it lies outside RAM (accepted at boot, then WARN + Oops and a panic at activation)");
        else if (const ZoneLimits& z = c.B.zones; z.dmaEnd && z.dmaEnd < z.dma32End && s < z.dmaEnd && e > z.dmaEnd)
            why = QStringLiteral("it straddles the ZONE_DMA limit at %1 (from the dma-ranges of %2)")
                      .arg(toHex(z.dmaEnd), z.dmaNode);
        else if (c.P.arch != Arch::Arm && s < 0x100000000ull && e > 0x100000000ull)
            why = QStringLiteral("it straddles the 4 GiB ZONE_DMA32 boundary");
        else if (c.P.arch == Arch::Arm && c.B.highmemStart && s < c.B.highmemStart && e > c.B.highmemStart)
            why = QStringLiteral("it straddles the lowmem/highmem boundary at %1").arg(toHex(c.B.highmemStart));
        if (why.isEmpty())
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("CMA pool %1..%2: %3; the area cannot be activated and every cma_alloc from it fails")
                .arg(toHex(s), toHex(e), why),
            QStringLiteral("CMA area %1 could not be activated").arg(r.name));
    });
}

const Rule kCmaZone { "cma_zone", Severity::Error, "all", "all", nullptr, "CMA area %s could not be activated",
    "A CMA area must be valid RAM within one zone (arm64 ZONE_DMA limit from dma-ranges, 4 GiB DMA32 limit, ARM32 "
    "lowmem/highmem).",
    "Move the pool inside RAM and one zone.", cmaZone };

static void cmaDefaultMulti(RuleContext& c)
{
    std::vector<int> defaults;
    c.each([&](int i) {
        if (c.reg(i).cmaDefault && isCma(c.reg(i)))
            defaults.push_back(i);
    });
    for (size_t k = 1; k < defaults.size(); ++k)
        c.report(defaults[k], "linux,cma-default",
            QStringLiteral("%1 regions carry linux,cma-default; the last one initialised becomes the default area")
                .arg(defaults.size()));
}

const Rule kCmaDefaultMulti { "cma_default_multi", Severity::Warning, "all", "all", nullptr, "",
    "Only one linux,cma-default can be the default area.", "Keep linux,cma-default on one region.", cmaDefaultMulti };

static void cmaCmdlineOverride(RuleContext& c)
{
    c.each([&](int i) {
        const RegionBoot& b = c.boot(i);
        if (!b.cmdlineBypassed)
            return;
        const DefaultCma& d = c.B.defaultCma;
        const QString area = d.failed ? QStringLiteral("and its own area fails (%1)").arg(d.message)
            : d.size                  ? QStringLiteral("which gives a %1 default area%2")
                           .arg(formatSize(d.size),
                               d.base && d.basePredictable ? QStringLiteral(" at ") + toHex(*d.base) : QString())
                     : QStringLiteral("which leaves no default area");
        c.report(i, "linux,cma-default",
            QStringLiteral("'%1' on the command line replaces this linux,cma-default region, %2; the region is %3")
                .arg(c.B.cma.text, area,
                    c.v(6, 19) ? QStringLiteral("not reserved at all") : QStringLiteral("reserved, then freed")),
            [&] {
                for (const auto& m : b.kernelMessages) {
                    if (m.contains(QLatin1String("cma=")) || m.contains(QLatin1String("cmdline CMA")))
                        return m;
                }
                return QString();
            }());
    });
}

const Rule kCmaCmdlineOverride { "cma_cmdline_override", Severity::Info, "all", "all", nullptr,
    "Reserved memory: bypass %s node, using cmdline CMA params instead",
    "Any cma= on the command line replaces the tree's linux,cma-default region.",
    "Drop cma= or the DT default, as intended.", cmaCmdlineOverride };

static void cmaNoConfig(RuleContext& c)
{
    if (c.P.config.cma && c.P.config.dmaCma)
        return;
    c.each([&](int i) {
        if (!isCma(c.reg(i)))
            return;
        c.report(i, "reusable",
            c.v(7, 1)
                ? QStringLiteral("this profile has no CONFIG_DMA_CMA: the region stays reserved but is no pool")
                : QStringLiteral(
                    "this profile has no CONFIG_DMA_CMA: the coherent init refuses reusable and the memory is freed"));
    });
}

const Rule kCmaNoConfig { "cma_no_config", Severity::Error, "all", "all", nullptr, "",
    "Without CONFIG_DMA_CMA a reusable shared-dma-pool is refused.",
    "Enable CONFIG_DMA_CMA, or make the region a coherent pool.", cmaNoConfig };

static void cmaStaticLateDefault(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (isCma(r) && r.cmaDefault && r.placement == Placement::Static)
            c.report(i, "linux,cma-default",
                QStringLiteral("on ARM32 from 6.13 static regions are initialised after dma_contiguous_reserve(): the "
                               "Kconfig/cma= default area may be created too, and this region replaces it later"));
    });
}

const Rule kCmaStaticLateDefault { "cma_static_late_default", Severity::Warning, ">= 6.13", "arm",
    applies::armEraCOrLater, "", "On ARM32 the default CMA area is reserved before static regions are initialised.",
    "Make the default CMA dynamic.", cmaStaticLateDefault };

} // namespace carveout
