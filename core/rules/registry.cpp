// SPDX-License-Identifier: GPL-2.0-only
// The rule registry, shaped like dtc's checks.c: the records live next to their check
// functions (the checks files of core/rules), this table lists them in catalogue order, and the
// runner decides from the records which rules run and in what order.
#include "rulecontext.h"

// Qt
#include <QtGlobal>

// std
#include <algorithm>
#include <iterator>

namespace carveout {

namespace {

// kernel-rules.md section 2 order; the `rules` report and SARIF's rule indexes follow it.
const Rule* const kTable[] = {
    // 2.1 container and root
    &kRmNodePath,
    &kRmRootCells,
    &kRmRanges,
    &kRmRangesNonempty,
    &kRmRootCellsMissing,
    &kRmPhysWidth,
    // 2.2 child nodes
    &kRmChildStatus,
    &kRmChildDepth,
    &kRmRegFormat,
    &kRmRangeWraps,
    &kRmRegMulti,
    &kRmRegZeroSize,
    &kRmRegAndSize,
    &kRmNoRegNoSize,
    &kRmSizeCells,
    &kRmSizeZero,
    &kRmAlignCells,
    &kRmAlignPow2,
    &kRmAllocRangesFormat,
    &kRmDynNofit,
    &kRmAllocRangeEmpty,
    &kRmUnitAddr,
    // 2.3 reservation, overlap, limits
    &kRmNomapBusy,
    &kRmStaticOverReserved,
    &kRmStaticOutsideRam,
    &kRmMaxRegions,
    &kRmOverlap,
    &kRmOverlapHidden,
    &kRmMemreserveClobber,
    &kRmInitFailFree,
    &kRmNoInit,
    &kRmReusableNocma,
    &kRmNomapReusable,
    // 2.4 CMA
    &kCmaReusable,
    &kCmaNomap,
    &kCmaAlign,
    &kCmaDynSize,
    &kCmaSlots,
    &kCmaNotReserved,
    &kCmaZone,
    &kCmaDefaultMulti,
    &kCmaCmdlineOverride,
    &kCmaNoConfig,
    &kCmaStaticLateDefault,
    // 2.5 coherent pools
    &kDmaArmNomap,
    &kDmaMappedRam,
    &kDmaDefault,
    &kDmaOnePool,
    // 2.6 restricted DMA pools
    &kSwiotlbForbiddenProps,
    &kSwiotlbConfig,
    &kSwiotlbLinear,
    &kSwiotlbSize,
    &kSwiotlbIommu,
    &kSwiotlbSecond,
    // 2.7 consumers
    &kMrPhandle,
    &kMrTargetDisabled,
    &kMrTargetUnregistered,
    &kMrNames,
    &kMrShared,
    &kIommuAddresses,
    &kMrDmaReach,
    // 2.8 memory and command line
    &kMemDevtype,
    &kMemPageAlign,
    &kMemNone,
    &kMemUsable,
    &kCmdlineCmaFixed,
    &kCmdlineCmaLimit,
    &kCmdlineAreaFailed,
    // device-tree overlays (kernel-rules-additions.md section 8)
    &kOverlayRuntimeRmem,
    // the boot chain (kernel-rules-additions.md 6, 7)
    &kEfiMemreserveDropped,
    &kBootLoadOverlap,
    &kBootLoadInWindow,
};

int indexOf(const QString& id)
{
    const auto& all = rules();
    for (size_t i = 0; i < all.size(); ++i) {
        if (id == QLatin1String(all[i].id))
            return int(i);
    }
    return -1;
}

/** The order rules run in and each rule's prerequisites by index, resolved once. */
struct RunPlan
{
    std::vector<int> order;
    std::vector<std::vector<int>> prerequisites;
};

const RunPlan& runPlan()
{
    static const RunPlan plan = [] {
        const auto& all = rules();
        RunPlan p;
        p.prerequisites.resize(all.size());
        for (size_t i = 0; i < all.size(); ++i) {
            for (const char* id : all[i].prerequisites) {
                const int k = indexOf(QLatin1String(id));
                Q_ASSERT_X(k >= 0, "rules", "a prerequisite names no rule");
                if (k >= 0)
                    p.prerequisites[i].push_back(k);
            }
        }
        // Level 0: no prerequisites; else one more than the deepest prerequisite. A cycle would
        // be a programming error; the bound keeps it from looping.
        std::vector<int> level(all.size(), 0);
        for (size_t round = 0; round < all.size(); ++round) {
            bool changed = false;
            for (size_t i = 0; i < all.size(); ++i) {
                for (int k : p.prerequisites[i]) {
                    if (level[i] < level[size_t(k)] + 1) {
                        level[i] = level[size_t(k)] + 1;
                        changed = true;
                    }
                }
            }
            if (!changed)
                break;
        }
        for (size_t i = 0; i < all.size(); ++i)
            p.order.push_back(int(i));
        std::stable_sort(
            p.order.begin(), p.order.end(), [&](int a, int b) { return level[size_t(a)] < level[size_t(b)]; });
        return p;
    }();
    return plan;
}

} // namespace

const std::vector<Rule>& rules()
{
    static const std::vector<Rule> table = [] {
        std::vector<Rule> t;
        for (const Rule* r : kTable)
            t.push_back(*r);
        return t;
    }();
    return table;
}

const Rule* findRule(const QString& id)
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &rules()[size_t(i)];
}

QString SeverityOverrides::apply(const QString& flag, const QString& arg)
{
    QString id = arg;
    const bool off = id.startsWith(QLatin1String("no-"));
    if (off)
        id = id.mid(3);
    id.replace(QLatin1Char('-'), QLatin1Char('_'));
    id = id.toLower();
    if (!findRule(id))
        return QStringLiteral("unknown rule '%1' for -%2; 'carveout-cli rules' lists them").arg(arg, flag);
    if (off)
        m_map[id] = std::nullopt;
    else
        m_map[id] = flag == QLatin1String("E") ? Severity::Error : Severity::Warning;
    return {};
}

std::optional<Severity> SeverityOverrides::effective(const Rule& r) const
{
    if (m_map.isEmpty()) // the common case: no key to build for each of the rules runChecks asks about
        return r.severity;
    const auto it = m_map.find(QString::fromLatin1(r.id));
    if (it == m_map.end())
        return r.severity;
    return it.value();
}

CheckResult runChecks(const Layout& layout, const BootResult& boot, const KernelProfile& profile,
    const DeviceTree& tree, const SeverityOverrides& overrides)
{
    const auto& all = rules();
    const RunPlan& plan = runPlan();

    // What runs: the rules that apply to the profile and are on, then (in reverse run order,
    // so a chain of prerequisites is followed to its end) what they need.
    std::vector<std::optional<Severity>> severity(all.size());
    std::vector<bool> runs(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
        severity[i] = overrides.effective(all[i]);
        runs[i] = severity[i].has_value() && (!all[i].appliesTo || all[i].appliesTo(profile));
    }
    for (auto it = plan.order.rbegin(); it != plan.order.rend(); ++it) {
        if (!runs[size_t(*it)])
            continue;
        for (int k : plan.prerequisites[size_t(*it)])
            runs[size_t(k)] = runs[size_t(k)] || !all[size_t(k)].appliesTo || all[size_t(k)].appliesTo(profile);
    }

    CheckResult result;
    result.ran.reserve(all.size());
    std::vector<std::vector<Finding>> found(all.size());
    RuleContext ctx { layout, boot, profile, tree, nullptr, nullptr, {} };
    for (int i : plan.order) {
        if (!runs[size_t(i)])
            continue;
        result.ran.push_back(all[size_t(i)].id);
        ctx.rule = &all[size_t(i)];
        ctx.out = &found[size_t(i)];
        ctx.prerequisiteFindings.clear();
        for (int k : plan.prerequisites[size_t(i)])
            ctx.prerequisiteFindings.push_back(&found[size_t(k)]);
        ctx.rule->check(ctx);
    }

    for (int i : plan.order) {
        const auto& sev = severity[size_t(i)];
        if (!sev)
            continue; // a switched-off prerequisite: it ran for the rules that read it
        for (Finding& f : found[size_t(i)]) {
            if (*sev != all[size_t(i)].severity)
                f.severity = *sev;
            result.findings.push_back(std::move(f));
        }
    }
    std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
        if (a.source.file != b.source.file)
            return a.source.file < b.source.file;
        return a.source.line < b.source.line;
    });
    for (const auto& f : result.findings) {
        result.errors += f.severity == Severity::Error;
        result.warnings += f.severity == Severity::Warning;
        result.infos += f.severity == Severity::Info;
    }
    return result;
}

} // namespace carveout
