// SPDX-License-Identifier: GPL-2.0-only
#include "analysis/analysis.h"

// core
#include "kernel/dmaheaps.h"
#include "model/devicetree.h"
#include "source/loader.h"

// Qt
#include <QHash>

// std
#include <algorithm>

namespace carveout {

namespace {

/** What may carry a memory-region: a device the kernel binds a driver to (a compatible and
 *  registers), or a node that already has one (a GPU's zap-shader child). Nodes with a compatible
 *  but no reg, such as /psci or /timer, are firmware interfaces; CPUs, memory and the /chosen and
 *  /aliases nodes are not devices. */
bool isDeviceNode(const DeviceTree& tree, int i, const QString& path)
{
    const DtNode& n = tree.node(i);
    if (!(n.hasProperty("compatible") && n.hasProperty("reg")) && !n.hasProperty("memory-region"))
        return false;
    static const QLatin1String notDevices[] = { QLatin1String("/cpus"), QLatin1String("/chosen"),
        QLatin1String("/aliases"), QLatin1String("/psci"), QLatin1String("/memory") };
    for (const QLatin1String& top : notDevices) {
        if (path == top || path.startsWith(top + QLatin1Char('/')) || path.startsWith(top + QLatin1Char('@')))
            return false;
    }
    const DtProperty* type = n.property("device_type");
    return !(type && (type->value.startsWith("memory") || type->value.startsWith("cpu")));
}

Bindings bindingsOf(const Layout& L, const BootResult& boot, const DeviceTree& tree)
{
    Bindings b;
    // Paths built parent first in one pass (nodes follow their parents), not walked per node:
    // this runs on every drag step.
    const int container = L.container.path.isEmpty() ? -1 : tree.findPath(L.container.path);
    std::vector<QString> paths(size_t(tree.nodeCount()));
    std::vector<char> inContainer(size_t(tree.nodeCount()), 0);
    for (int i = 1; i < tree.nodeCount(); ++i) {
        const DtNode& n = tree.node(i);
        const bool ordered = n.parent >= 0 && n.parent < i;
        paths[size_t(i)] = ordered
            ? (n.parent == 0 ? QString() : paths[size_t(n.parent)]) + QLatin1Char('/') + QString::fromUtf8(n.name)
            : tree.path(i);
        inContainer[size_t(i)] = ordered && (n.parent == container || inContainer[size_t(n.parent)]);
        if (n.deleted || inContainer[size_t(i)] || !isDeviceNode(tree, i, paths[size_t(i)]))
            continue;
        if (!ordered && !L.container.path.isEmpty() && paths[size_t(i)].startsWith(L.container.path + QLatin1Char('/')))
            continue;
        b.devices << paths[size_t(i)];
    }
    for (size_t i = 0; i < L.regions.size(); ++i) {
        const Region& r = L.regions[i];
        if (r.kind == RegionKind::Reserved || !r.enabled || r.cmaDefault)
            continue;
        const bool restricted = r.kind == RegionKind::Restricted;
        const bool used = std::any_of(L.consumers.begin(), L.consumers.end(), [&](const Consumer& c) {
            return c.region == int(i) && c.deviceEnabled && (!restricted || c.restrictedAttached());
        });
        if (!used)
            b.orphans.push_back(int(i));
    }
    for (size_t k = 0; k < L.consumers.size(); ++k) {
        const Consumer& c = L.consumers[k];
        if (!c.deviceEnabled)
            b.disabledUsers.push_back(int(k));
        else if (c.region < 0 || boot.regions[size_t(c.region)].outcome != Outcome::Active)
            b.fallbacks.push_back(int(k));
        else if (L.regions[size_t(c.region)].kind == RegionKind::Restricted && L.regions[size_t(c.region)].enabled
            && !c.restrictedAttached())
            b.unattached.push_back(int(k));
    }
    b.defaultCmaHeaps = defaultCmaHeapNames(L, boot);
    return b;
}

/** a + b, saturated: sizes of hostile trees add up past 2^64. */
uint64_t plus(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

} // namespace

std::vector<AddrRange> heldAfterBoot(const Layout& L, const BootResult& boot)
{
    std::vector<AddrRange> held;
    for (size_t i = 0; i < L.regions.size() && i < boot.regions.size(); ++i) {
        const RegionBoot& rb = boot.regions[i];
        if (rb.outcome == Outcome::Active && rb.base)
            held.push_back({ *rb.base, rb.size });
    }
    // The default CMA area has a node of its own only when the tree makes it (a region above).
    const DefaultCma& d = boot.defaultCma;
    if (d.source != DefaultCma::Source::None && d.source != DefaultCma::Source::DtNode && !d.failed && d.base)
        held.push_back({ *d.base, d.size });
    // hugetlb_cma=, crashkernel=, reserve_mem=: made after the tree, from what it left.
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        if (!a.failed && a.base)
            held.push_back({ *a.base, a.size });
    }
    if (boot.profile.efi()) {
        // The EFI stub deleted /memreserve/; the firmware's NOMAP ranges (runtime, reserved) hold RAM.
        for (const auto& m : boot.memblock.memory()) {
            if (m.nomap)
                held.push_back({ m.base, m.size });
        }
    } else {
        for (const auto& m : L.memreserve)
            held.push_back(m.range);
    }
    return held;
}

namespace {

RamSummary ramOf(const Layout& L, const BootResult& boot)
{
    RamSummary s;
    for (size_t i = 0; i < L.regions.size(); ++i) {
        const RegionBoot& rb = boot.regions[i];
        if (rb.outcome != Outcome::Active || !rb.base)
            continue;
        const Region& r = L.regions[i];
        s.reserved = plus(s.reserved, rb.size);
        if (r.noMap)
            s.noMap = plus(s.noMap, rb.size);
        if (r.kind == RegionKind::Cma)
            s.cma = plus(s.cma, rb.size);
    }
    const DefaultCma& d = boot.defaultCma;
    if (d.source != DefaultCma::Source::None && d.source != DefaultCma::Source::DtNode && !d.failed && d.base) {
        s.reserved = plus(s.reserved, d.size);
        s.cma = plus(s.cma, d.size);
    }
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        if (a.failed || !a.base)
            continue;
        s.reserved = plus(s.reserved, a.size);
        if (a.cma)
            s.cma = plus(s.cma, a.size);
    }
    std::vector<AddrRange> held = heldAfterBoot(L, boot);
    std::sort(held.begin(), held.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    // Held bytes inside RAM, overlaps counted once.
    uint64_t inRam = 0;
    for (const auto& bank : boot.memory) {
        s.ram = plus(s.ram, bank.size);
        uint64_t reach = bank.base;
        for (const auto& h : held) {
            const uint64_t from = std::max(h.base, reach), to = std::min(h.end(), bank.end());
            if (to > from) {
                inRam = plus(inRam, to - from);
                reach = to;
            }
        }
    }
    s.free = s.ram > inRam ? s.ram - inRam : 0;
    return s;
}

std::vector<int> countPerRegion(const Analysis& a, Severity severity)
{
    std::vector<int> n(a.layout.regions.size(), 0);
    for (const auto& f : a.check.findings) {
        if (f.region >= 0 && f.severity == severity)
            ++n[size_t(f.region)];
    }
    return n;
}

} // namespace

std::vector<int> Analysis::errorsPerRegion() const
{
    return countPerRegion(*this, Severity::Error);
}

std::vector<int> Analysis::warningsPerRegion() const
{
    return countPerRegion(*this, Severity::Warning);
}

AnalysisPtr analyse(const LoadedTree& tree, const KernelProfile& profile, const SeverityOverrides& severity)
{
    auto a = std::make_shared<Analysis>();
    a->profile = profile;
    a->layout = buildLayout(tree);
    a->boot = simulateBoot(a->layout, profile);
    a->check = runChecks(a->layout, a->boot, profile, tree.tree, severity);
    // A hash, not Layout::findRegion: hostile trees have 100,000 regions and as many findings.
    QHash<QString, int> byPath;
    for (size_t i = 0; i < a->layout.regions.size(); ++i)
        byPath.insert(a->layout.regions[i].path, int(i));
    for (auto& f : a->check.findings)
        f.region = byPath.value(f.node, -1);
    a->bindings = bindingsOf(a->layout, a->boot, tree.tree);
    a->ram = ramOf(a->layout, a->boot);
    return a;
}

} // namespace carveout
