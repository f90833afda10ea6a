// SPDX-License-Identifier: GPL-2.0-only
// The rules of 2.8 memory and command line (kernel-rules.md): each check function with its registry record
// (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

// ---- 2.8 memory and command line ------------------------------------------------------------

static void memDevtype(RuleContext& c)
{
    for (int child : c.T.root().children) {
        const DtNode& n = c.T.node(child);
        if (!n.name.startsWith("memory") || n.name.startsWith("memory-controller"))
            continue;
        const DtProperty* dt = n.property("device_type");
        if (dt && cells::strings(dt->value).value(0) == QLatin1String("memory"))
            continue;
        if (!n.hasProperty("reg"))
            continue;
        Finding& f = c.report(c.T.path(child), c.src(n),
            QStringLiteral("a memory node without device_type = \"memory\" is ignored by the kernel"), QString());
        f.severity = c.L.memory.empty() ? Severity::Error : Severity::Warning;
    }
}

const Rule kMemDevtype { "mem_devtype", Severity::Warning, "all", "all", nullptr, "",
    "Memory nodes need device_type = \"memory\".", "Add device_type = \"memory\".", memDevtype };

static void memPageAlign(RuleContext& c)
{
    for (const auto& b : c.L.memory) {
        if (((b.range.base | b.range.size) & (c.P.pageSize - 1)) == 0)
            continue;
        c.report(b.node, b.source,
            QStringLiteral("bank %1 +%2 is not page-aligned (%3): the kernel rounds the base up and the size down")
                .arg(toHex(b.range.base), toHex(b.range.size), formatSize(c.P.pageSize)),
            QString());
    }
}

const Rule kMemPageAlign { "mem_page_align", Severity::Warning, "all", "all", nullptr,
    "Ignoring memory block 0x%llx - 0x%llx", "Banks are rounded to whole pages.", "Page-align the bank.",
    memPageAlign };

static void memNone(RuleContext& c)
{
    if (!c.B.noMemory || c.L.regions.empty())
        return;
    bool dynamic = false;
    for (const auto& r : c.L.regions)
        dynamic |= r.placement == Placement::Dynamic && r.enabled;
    SourceRef s;
    QString node = QStringLiteral("/");
    if (!c.L.ignoredMemory.empty()) {
        s = c.L.ignoredMemory.front().source;
        node = c.L.ignoredMemory.front().node;
    }
    Finding& f = c.report(node, s,
        QStringLiteral("the tree describes no RAM (a memory node of size 0 is filled in by the bootloader)%1; pass "
                       "--memory BASE+SIZE to check against the board's real memory")
            .arg(dynamic ? QStringLiteral(": where dynamic regions land and whether they fit cannot be known")
                         : QStringLiteral(": RAM-dependent checks are skipped")),
        QString());
    f.severity = dynamic ? Severity::Warning : Severity::Info;
}

const Rule kMemNone { "mem_none", Severity::Warning, "all", "all", nullptr, "",
    "Without RAM in the tree, placement of dynamic regions and RAM checks cannot be decided (project rule).",
    "Pass --memory BASE+SIZE (the board's real memory), or describe the memory in the tree.", memNone };

static void memUsable(RuleContext& c)
{
    std::set<QString> seen;
    for (const auto& b : c.L.memory) {
        if (b.fromUsableMemory && !seen.count(b.node)) {
            seen.insert(b.node);
            c.report(b.node, b.source, QStringLiteral("linux,usable-memory replaces reg for this node"), QString());
        }
    }
}

const Rule kMemUsable { "mem_usable", Severity::Info, "all", "all", nullptr, "", "linux,usable-memory replaces reg.",
    "Nothing, if intended.", memUsable };

/** Where cma= is written: /chosen/bootargs when the command line came from the tree. */
static SourceRef cmdlineSource(const RuleContext& c)
{
    if (c.P.cmdline)
        return {};
    const int chosen = c.T.child(0, "chosen");
    const DtProperty* p = chosen >= 0 ? c.T.node(chosen).property("bootargs") : nullptr;
    return p ? c.src(*p) : SourceRef {};
}

static void cmdlineCmaFixed(RuleContext& c)
{
    const DefaultCma& d = c.B.defaultCma;
    if (d.source != DefaultCma::Source::Cmdline || !d.failed || d.message.contains(QLatin1String("exceeds limit"))
        || d.message.contains(QLatin1String("slots")))
        return;
    c.report(QStringLiteral("/chosen"), cmdlineSource(c), QStringLiteral("'%1': %2").arg(c.B.cma.text, d.message),
        d.message);
}

const Rule kCmdlineCmaFixed { "cmdline_cma_fixed", Severity::Error, "all", "all", nullptr,
    "cma: Failed to reserve %ld MiB", "cma=S@B places the default area at B exactly: B must be aligned and free.",
    "Align B to the CMA minimum alignment and keep it free.", cmdlineCmaFixed };

static void cmdlineCmaLimit(RuleContext& c)
{
    const DefaultCma& d = c.B.defaultCma;
    if (d.source != DefaultCma::Source::Cmdline || !d.failed || !d.message.contains(QLatin1String("exceeds limit")))
        return;
    c.report(QStringLiteral("/chosen"), cmdlineSource(c), QStringLiteral("'%1': %2").arg(c.B.cma.text, d.message),
        d.message);
}

const Rule kCmdlineCmaLimit { "cmdline_cma_limit", Severity::Error, "all", "all", nullptr,
    "Size (%pa) of region at %pa exceeds limit (%pa)", "The default area must fit below its limit.",
    "Lower the size or raise the limit.", cmdlineCmaLimit };

static void cmdlineAreaFailed(RuleContext& c)
{
    for (const CmdlineArea& a : c.B.cmdlineAreas) {
        if (!a.failed || a.noSlot) // no slot: cma_slots says it
            continue;
        QString why = a.kernelMessages.isEmpty() ? a.note : a.kernelMessages.join(QStringLiteral(" / "));
        // The tree is placed first: dynamic regions it put below the area's limit took memory
        // the area then could not get (the crash kernel after arm64's bootmem_init, say).
        QStringList dynamic;
        uint64_t held = 0;
        for (size_t i = 0; i < c.L.regions.size(); ++i) {
            const auto b = c.base(int(i));
            if (c.reg(int(i)).placement != Placement::Dynamic || !b || c.outcome(int(i)) != Outcome::Active)
                continue;
            if (a.limit && *b >= a.limit)
                continue;
            dynamic << QStringLiteral("%1 (%2)").arg(c.reg(int(i)).name, formatSize(c.size(int(i))));
            held += c.size(int(i));
        }
        if (!dynamic.isEmpty())
            why += QStringLiteral("; the tree's dynamic regions, placed before it, hold %1 there: %2")
                       .arg(formatSize(held), dynamic.join(QStringLiteral(", ")));
        c.report(QStringLiteral("/chosen"), cmdlineSource(c),
            QStringLiteral("'%1': the kernel cannot make %2: %3")
                .arg(a.option,
                    a.name == cmdlineAreaKindName(a.kind)
                        ? a.name
                        : QStringLiteral("%1 (%2)").arg(a.name, cmdlineAreaKindName(a.kind)),
                    why),
            a.kernelMessages.value(a.kernelMessages.size() - 1));
    }
}

const Rule kCmdlineAreaFailed { "cmdline_area_failed", Severity::Warning, "all", "all", nullptr,
    "cannot allocate crashkernel (size:0x%llx)",
    "hugetlb_cma=, cma_pernuma=, numa_cma=, crashkernel= and reserve_mem= reserve after the tree, from what it "
    "left: the boot goes on without the area.",
    "Lower the size, give RAM room for it, or move the tree's dynamic regions out of its window.", cmdlineAreaFailed };

} // namespace carveout
