// SPDX-License-Identifier: GPL-2.0-only
#include "rules.h"

// core
#include "model/devicetree.h"
#include "model/units.h"
#include "source/loader.h"

// std
#include <algorithm>
#include <cerrno>
#include <set>

namespace carveout {

struct RuleContext
{
    const Layout& L;
    const BootResult& B;
    const KernelProfile& P;
    const DeviceTree& T;
    const Rule* rule = nullptr;
    std::vector<Finding>* out = nullptr;

    const Region& reg(int i) const { return L.regions[size_t(i)]; }
    const RegionBoot& boot(int i) const { return B.regions[size_t(i)]; }
    bool v(int ma, int mi) const { return P.version.atLeast(ma, mi); }

    /** The source of a region's property, falling back to the node. */
    SourceRef src(int i, const char* prop = nullptr) const
    {
        const Region& r = reg(i);
        if (prop) {
            const auto it = r.propertySources.find(QString::fromLatin1(prop));
            if (it != r.propertySources.end())
                return it->second;
        }
        return r.source;
    }

    void report(const QString& node, const SourceRef& source, const QString& message, const QString& kernelMessage)
    {
        Finding f;
        f.rule = QString::fromLatin1(rule->id);
        f.severity = rule->severity;
        f.message = message;
        f.kernelMessage = kernelMessage;
        f.node = node;
        f.source = source;
        f.fix = QString::fromUtf8(rule->fix);
        out->push_back(f);
    }
    void report(int i, const char* prop, const QString& message, const QString& kernelMessage)
    {
        report(reg(i).path, src(i, prop), message, kernelMessage);
    }
    void report(int i, const char* prop, const QString& message)
    {
        report(i, prop, message, QString::fromUtf8(rule->kernelMessage));
    }
    void reportSev(Severity s, int i, const char* prop, const QString& message)
    {
        report(i, prop, message);
        out->back().severity = s;
    }
    bool hadFinding(int i, const std::set<QString>& ids) const
    {
        for (const auto& f : *out) {
            if (f.node == reg(i).path && ids.count(f.rule))
                return true;
        }
        return false;
    }
    int consumersOf(int i) const
    {
        int n = 0;
        for (const auto& c : L.consumers)
            n += c.region == i;
        return n;
    }
    bool enabled(int i) const { return reg(i).enabled && !B.containerIgnored && L.container.present; }
    /** Regions the kernel looked at (enabled, container accepted). */
    template <typename F> void each(F f)
    {
        for (int i = 0; i < int(L.regions.size()); ++i) {
            if (enabled(i))
                f(i);
        }
    }
};

namespace {

QString hx(uint64_t v)
{
    return toHex(v);
}

/** %pa as the kernel prints it, for kernel messages. */
QString pa(const RuleContext& c, uint64_t v)
{
    return kernelPa(v, c.P.physAddrBits());
}
QString sz(uint64_t v)
{
    return formatSize(v);
}

bool shared(const Region& r)
{
    return r.compatible.contains(QLatin1String("shared-dma-pool"));
}
bool isCma(const Region& r)
{
    return shared(r) && r.reusable && !r.noMap;
}

// ---- 2.1 container and root -------------------------------------------------------------

void rmNodePath(RuleContext& c)
{
    if (c.L.container.present)
        return;
    // Only worth saying when something expected one: a misplaced container or consumers.
    int misplaced = -1;
    for (int i = 1; i < c.T.nodeCount(); ++i) {
        const QByteArray& n = c.T.node(i).name;
        if ((n == "reserved-memory" || n.startsWith("reserved-memory@") || n == "reserved_memory")
            && c.T.node(i).parent != 0)
            misplaced = i;
        else if (n == "reserved_memory" || n == "reserved-mem" || n == "reserved_mem")
            misplaced = i;
    }
    if (misplaced >= 0) {
        const auto& spans = c.T.node(misplaced).spans;
        SourceRef s;
        if (!spans.empty()) {
            s.file = c.T.fileName(spans.front());
            s.line = spans.front().line;
        }
        c.report(c.T.path(misplaced), s,
            QStringLiteral("%1 is not /reserved-memory, so the kernel reserves nothing from it")
                .arg(c.T.path(misplaced)),
            QString::fromUtf8(c.rule->kernelMessage));
        c.out->back().severity = Severity::Error;
    } else if (!c.L.consumers.empty()) {
        const auto& k = c.L.consumers.front();
        c.report(k.device, k.source,
            QStringLiteral("devices use memory-region but the tree has no /reserved-memory node"),
            QString::fromUtf8(c.rule->kernelMessage));
        c.out->back().severity = Severity::Error;
    }
}

void rmRootCells(RuleContext& c)
{
    const auto& k = c.L.container;
    if (!k.present)
        return;
    if (k.addressCells == c.L.rootAddressCells && k.sizeCells == c.L.rootSizeCells)
        return;
    const auto it = k.propertySources.find(
        k.addressCells != c.L.rootAddressCells ? QStringLiteral("#address-cells") : QStringLiteral("#size-cells"));
    const SourceRef s = it != k.propertySources.end() ? it->second : k.source;
    const auto cellText = [](int v) { return v < 0 ? QStringLiteral("missing") : QString::number(v); };
    c.report(k.path, s,
        QStringLiteral("%1 has #address-cells = %2, #size-cells = %3 but the root has %4 and %5: the kernel ignores "
                       "the whole node and reserves none of its %6 regions")
            .arg(k.path, cellText(k.addressCells), cellText(k.sizeCells))
            .arg(c.L.rootAddressCells)
            .arg(c.L.rootSizeCells)
            .arg(c.L.regions.size()),
        QString::fromUtf8(c.rule->kernelMessage));
}

void rmRanges(RuleContext& c)
{
    const auto& k = c.L.container;
    if (!k.present || k.hasRanges)
        return;
    c.report(k.path, k.source,
        QStringLiteral(
            "%1 has no ranges property: the kernel ignores the whole node and reserves none of its %2 regions")
            .arg(k.path)
            .arg(c.L.regions.size()),
        QString::fromUtf8(c.rule->kernelMessage));
}

void rmRangesNonempty(RuleContext& c)
{
    const auto& k = c.L.container;
    if (!k.present || !k.hasRanges || k.rangesEmpty)
        return;
    const auto it = k.propertySources.find(QStringLiteral("ranges"));
    c.report(k.path, it != k.propertySources.end() ? it->second : k.source,
        QStringLiteral("ranges is not empty, but the kernel ignores any translation: child reg values are taken as "
                       "physical addresses"),
        QString());
}

void rmRootCellsMissing(RuleContext& c)
{
    if (c.L.rootAddressCellsPresent && c.L.rootSizeCellsPresent)
        return;
    SourceRef s;
    if (!c.T.root().spans.empty()) {
        s.file = c.T.fileName(c.T.root().spans.front());
        s.line = c.T.root().spans.front().line;
    }
    c.report(QStringLiteral("/"), s,
        QStringLiteral(
            "the root node lacks %1: the kernel assumes 1 cell, while dtc assumes 2 address cells and 1 size "
            "cell for children, so addresses and sizes may be misread")
            .arg(!c.L.rootAddressCellsPresent && !c.L.rootSizeCellsPresent
                    ? QStringLiteral("#address-cells and #size-cells")
                    : !c.L.rootAddressCellsPresent ? QStringLiteral("#address-cells")
                                                   : QStringLiteral("#size-cells")),
        QString::fromUtf8(c.rule->kernelMessage));
}

void rmPhysWidth(RuleContext& c)
{
    if (c.P.physAddrBits() != 32)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        std::vector<std::pair<const char*, uint64_t>> values;
        for (const auto& t : r.reg) {
            values.push_back({ "reg", t.base });
            values.push_back({ "reg", t.size });
            values.push_back({ "reg", t.base + t.size - (t.size ? 1 : 0) });
        }
        if (r.size)
            values.push_back({ "size", *r.size });
        if (r.alignment)
            values.push_back({ "alignment", *r.alignment });
        for (const auto& a : r.allocRanges) {
            values.push_back({ "alloc-ranges", a.base });
            values.push_back({ "alloc-ranges", a.size });
        }
        for (const auto& [prop, val] : values) {
            if (val > 0xffffffffull) {
                c.report(i, prop,
                    QStringLiteral("%1 value %2 does not fit the 32-bit phys_addr_t of this kernel (ARM without LPAE): "
                                   "the kernel silently keeps %3")
                        .arg(QLatin1String(prop), hx(val), hx(val & 0xffffffffull)));
                return;
            }
        }
    });
}

// ---- 2.2 child node parsing -------------------------------------------------------------

void rmChildStatus(RuleContext& c)
{
    if (!c.L.container.present || c.B.containerIgnored)
        return;
    for (int i = 0; i < int(c.L.regions.size()); ++i) {
        const Region& r = c.reg(i);
        if (r.enabled)
            continue;
        c.report(i, "status",
            QStringLiteral("status = \"%1\": the kernel skips this node entirely (nothing reserved)%2")
                .arg(r.status,
                    c.consumersOf(i)
                        ? QStringLiteral("; its %1 memory-region user(s) get nothing attached").arg(c.consumersOf(i))
                        : QString()));
    }
}

void rmChildDepth(RuleContext& c)
{
    if (!c.L.container.present)
        return;
    const int container = c.T.findPath(c.L.container.path);
    if (container < 0)
        return;
    for (int child : c.T.node(container).children) {
        for (int g : c.T.node(child).children) {
            const DtNode& n = c.T.node(g);
            SourceRef s;
            if (!n.spans.empty()) {
                s.file = c.T.fileName(n.spans.front());
                s.line = n.spans.front().line;
            }
            c.report(c.T.path(g), s,
                QStringLiteral(
                    "a node below a /reserved-memory child is not a region: kernels since about 5.17 ignore it"),
                QString());
        }
    }
}

void rmRegFormat(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.regMalformed)
            return;
        const int per = (c.L.rootAddressCells + c.L.rootSizeCells);
        c.report(i, "reg",
            c.v(6, 19)
                ? QStringLiteral(
                    "reg is not a whole number of (%1 + %2)-cell tuples: this kernel treats it as absent%3")
                      .arg(c.L.rootAddressCells)
                      .arg(c.L.rootSizeCells)
                      .arg(r.size ? QStringLiteral(", so the node becomes dynamic") : QString())
                : QStringLiteral("reg is not a whole number of %1-cell tuples (#address-cells %2 + #size-cells %3 of "
                                 "the root): the kernel skips the node")
                      .arg(per)
                      .arg(c.L.rootAddressCells)
                      .arg(c.L.rootSizeCells),
            c.v(6, 19) ? QString()
                       : QStringLiteral("Reserved memory: invalid reg property in '%1', skipping node.").arg(r.name));
    });
}

void rmRegMulti(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.reg.size() <= 1 || r.regMalformed)
            return;
        const bool matters = !r.compatible.isEmpty() || c.consumersOf(i) > 0;
        QString what;
        if (c.v(6, 19))
            what = QStringLiteral("every tuple is reserved but the node gets no reserved_mem entry, so pools and "
                                  "memory-region users lose it");
        else
            what = QStringLiteral(
                "every tuple is reserved but only the first (%1 +%2) is registered; a pool uses only that one")
                       .arg(hx(r.reg.front().base), sz(r.reg.front().size));
        c.reportSev(matters ? Severity::Error : Severity::Warning, i, "reg",
            QStringLiteral("reg has %1 tuples: %2").arg(r.reg.size()).arg(what));
        if (!(c.v(6, 14) && !c.v(6, 19)))
            c.out->back().kernelMessage.clear();
        else
            c.out->back().kernelMessage
                = QStringLiteral("fdt_scan_reserved_mem_reg_nodes() ignores %1 regions in node '%2'")
                      .arg(r.reg.size() - 1)
                      .arg(r.name);
    });
}

void rmRegZeroSize(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        for (size_t t = 0; t < r.reg.size(); ++t) {
            if (r.reg[t].size != 0)
                continue;
            c.report(i, "reg",
                QStringLiteral("reg tuple %1 has size 0: nothing is reserved for it%2")
                    .arg(t)
                    .arg(t == 0 && !c.v(6, 13) && r.size
                            ? QStringLiteral(" and this kernel then allocates the node dynamically from its size")
                            : QString()),
                QStringLiteral("Reserved memory: failed to reserve memory for node '%1': base %2, size 0 MiB")
                    .arg(r.name, pa(c, r.reg[t].base)));
            return;
        }
    });
}

void rmRegAndSize(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::Static || !(r.size || r.sizeMalformed))
            return;
        // Before 6.13 a first reg tuple of size 0 makes the kernel allocate from size instead:
        // rm_reg_zero_size says that.
        if (!c.v(6, 13) && !r.reg.empty() && r.reg.front().size == 0)
            return;
        const bool more = r.alignment || !r.allocRanges.empty();
        c.report(i, "size",
            QStringLiteral("both reg and size are given: reg wins, and size%1 ignored")
                .arg(more ? QStringLiteral(", alignment and alloc-ranges are") : QStringLiteral(" is")));
    });
}

void rmNoRegNoSize(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::None)
            return;
        const DtNode& n = c.T.node(r.node);
        if (n.hasProperty("iommu-addresses"))
            return;
        c.report(i, nullptr,
            QStringLiteral("the node has neither reg nor size: the kernel silently ignores it%1")
                .arg(c.consumersOf(i) ? QStringLiteral(", and its memory-region users find nothing") : QString()));
    });
}

void rmSizeCells(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.sizeMalformed || r.placement != Placement::Dynamic)
            return;
        const DtProperty* p = c.T.node(r.node).property("size");
        c.report(i, "size",
            QStringLiteral(
                "size is %1 cell(s) long but the root's #size-cells is %2: the kernel does not allocate the region")
                .arg(p ? p->value.size() / 4.0 : 0)
                .arg(c.L.rootSizeCells),
            QStringLiteral("invalid size property in '%1' node.").arg(r.name));
    });
}

void rmSizeZero(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement == Placement::Dynamic && r.size && *r.size == 0)
            c.report(i, "size", QStringLiteral("size is 0: no memory is set aside and any pool init on it fails"));
    });
}

void rmAlignCells(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.alignmentMalformed || r.placement != Placement::Dynamic)
            return;
        c.report(i, "alignment",
            QStringLiteral("alignment must be #address-cells (%1) cells long (the kernel reads it with #address-cells, "
                           "whatever the binding text says): the region is not allocated")
                .arg(c.L.rootAddressCells),
            QStringLiteral("invalid alignment property in '%1' node.").arg(r.name));
    });
}

void rmAlignPow2(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::Dynamic || !r.alignment || *r.alignment == 0)
            return;
        const uint64_t a = *r.alignment;
        if ((a & (a - 1)) == 0)
            return;
        c.report(i, "alignment",
            QStringLiteral(
                "alignment %1 is not a power of two: memblock aligns with a mask, so the base is not a multiple of it")
                .arg(hx(a)));
    });
}

void rmAllocRangesFormat(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!r.allocRangesMalformed || r.placement != Placement::Dynamic)
            return;
        c.report(i, "alloc-ranges",
            c.v(6, 19)
                ? QStringLiteral("alloc-ranges is not a whole number of tuples: this kernel treats it as absent and "
                                 "places the region at the top of RAM")
                : QStringLiteral(
                    "alloc-ranges is not a whole number of (%1 + %2)-cell tuples: the region is not allocated")
                      .arg(c.L.rootAddressCells)
                      .arg(c.L.rootSizeCells),
            c.v(6, 19) ? QString()
                       : QStringLiteral("invalid alloc-ranges property in '%1', skipping node.").arg(r.name));
    });
}

void rmDynNofit(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (c.boot(i).outcome != Outcome::AllocFailed)
            return;
        c.report(i, r.allocRanges.empty() ? "size" : "alloc-ranges",
            QStringLiteral("no free%1 space for %2%3: the region is not allocated%4")
                .arg(r.alignment ? QStringLiteral(", %1-aligned").arg(hx(*r.alignment)) : QString(), sz(*r.size))
                .arg(r.allocRanges.empty() ? QString() : QStringLiteral(" in any alloc-ranges window"))
                .arg(c.consumersOf(i) ? QStringLiteral(" and its users get nothing") : QString()),
            QStringLiteral("failed to allocate memory for node '%1': size %2 MiB").arg(r.name).arg(*r.size >> 20));
    });
}

void rmAllocRangeEmpty(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        for (const auto& w : r.allocRanges) {
            if (w.size != 0)
                continue;
            c.report(i, "alloc-ranges",
                w.base == 0
                    ? QStringLiteral("an alloc-ranges window has length 0 at address 0: the kernel reads it as "
                                     "'anywhere'")
                    : QStringLiteral("an alloc-ranges window at %1 has length 0: nothing can be allocated in it")
                          .arg(hx(w.base)));
            return;
        }
    });
}

void rmUnitAddr(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const qsizetype at = r.name.indexOf(QLatin1Char('@'));
        if (r.placement == Placement::Dynamic && at >= 0) {
            c.report(i, nullptr,
                QStringLiteral("a dynamic region has a unit address (%1) though the kernel chooses its base")
                    .arg(r.name.mid(at + 1)));
        } else if (r.placement == Placement::Static && !r.reg.empty() && at >= 0) {
            bool ok = false;
            const uint64_t unit = r.name.mid(at + 1).toULongLong(&ok, 16);
            if (ok && unit != r.reg.front().base)
                c.report(i, "reg",
                    QStringLiteral("the unit address %1 differs from the first reg address %2")
                        .arg(r.name.mid(at + 1), hx(r.reg.front().base)));
        }
    });
}

// ---- 2.3 reservation, overlap, limits ---------------------------------------------------

void rmNomapBusy(RuleContext& c)
{
    c.each([&](int i) {
        const RegionBoot& b = c.boot(i);
        if (!b.reserveFailed)
            return;
        const Region& r = c.reg(i);
        const AddrRange t = r.reg[size_t(std::max(0, b.failedTuple))];
        QString what;
        for (const auto& e : c.P.early) {
            if (e.range.base < t.end() && t.base < e.range.end())
                what = QStringLiteral(" (the %1 is there)").arg(e.name);
        }
        for (size_t k = 0; k < c.L.regions.size() && what.isEmpty(); ++k) {
            const Region& o = c.L.regions[k];
            if (int(k) == i || o.noMap || !o.base || !c.enabled(int(k)))
                continue;
            if (*o.base < t.end() && t.base < *o.base + o.effectiveSize)
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
                .arg(hx(t.base), hx(t.end()), what),
            QStringLiteral("Reserved memory: failed to reserve memory for node '%1': base %2, size %3 MiB")
                .arg(r.name, pa(c, t.base))
                .arg(t.size >> 20));
    });
}

void rmStaticOverReserved(RuleContext& c)
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
                            .arg(hx(t.base), hx(t.end()), e.name, hx(e.range.base), hx(e.range.end()))
                            .arg(isCma(r) ? QStringLiteral(" and CMA will hand those pages to the page allocator")
                                          : QString()));
                    return;
                }
            }
        }
    });
}

void rmStaticOutsideRam(RuleContext& c)
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
            inside ? QStringLiteral("%1..%2 lies partly outside RAM").arg(hx(t.base), hx(t.end()))
                   : QStringLiteral("%1..%2 lies outside RAM (fine for a device carve-out, useless for a pool)")
                         .arg(hx(t.base), hx(t.end())));
    });
}

void rmMaxRegions(RuleContext& c)
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

void rmOverlap(RuleContext& c)
{
    for (const auto& o : c.B.overlaps) {
        const Region& a = c.reg(o.first);
        const Region& b = c.reg(o.second);
        // Our sentence with ends saturated at 2^64; the kernel's words with its own (wrapping) sums.
        const uint64_t ab = c.boot(o.first).base.value_or(0), ae = AddrRange { ab, c.boot(o.first).size }.end();
        const uint64_t bb = c.boot(o.second).base.value_or(0), be = AddrRange { bb, c.boot(o.second).size }.end();
        const uint64_t aeKernel = ab + c.boot(o.first).size, beKernel = bb + c.boot(o.second).size;
        // The lower region is the one that runs into its neighbour: point at its reg.
        c.report(o.first, c.reg(o.first).placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("%1 (%2..%3) runs %4 into %5 (%6..%7); the kernel only reports it and both stay reserved")
                .arg(a.name, hx(ab), hx(ae), sz(std::min(ae, be) - bb), b.name, hx(bb), hx(be)),
            QStringLiteral("OVERLAP DETECTED!\n%1 (%2--%3) overlaps with %4 (%5--%6)")
                .arg(a.name, pa(c, ab), pa(c, aeKernel), b.name, pa(c, bb), pa(c, beKernel)));
    }
}

void rmOverlapHidden(RuleContext& c)
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
        const RegionBoot& b = c.boot(i);
        if (!b.base || !b.size || !b.registered || b.outcome != Outcome::Active)
            continue;
        spans.push_back({ *b.base, AddrRange { *b.base, b.size }.end(), i });
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
        const RegionBoot& a = c.boot(i);
        const RegionBoot& b = c.boot(j);
        c.report(j, "reg",
            QStringLiteral("%1 (%2..%3) overlaps %4 (%5..%6), and the kernel does not report it")
                .arg(c.reg(j).name, hx(*b.base), hx(AddrRange { *b.base, b.size }.end()), c.reg(i).name, hx(*a.base),
                    hx(AddrRange { *a.base, a.size }.end())),
            QString());
    }
    if (truncated) {
        c.report(spans.front().index, "reg",
            QStringLiteral("more than %1 pairs of regions overlap; only the first %1 are listed")
                .arg(kMaxListedOverlaps),
            QString());
    }
}

void rmMemreserveClobber(RuleContext& c)
{
    if (c.B.era != Era::C && c.B.era != Era::D)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (r.placement != Placement::Dynamic || !b.base || b.outcome == Outcome::AllocFailed)
            return;
        for (const auto& m : c.L.memreserve) {
            if (m.range.base < saturatedEnd(*b.base, b.size) && *b.base < m.range.end()) {
                c.report(i, "size",
                    QStringLiteral(
                        "this kernel places %1 at %2..%3, on top of the /memreserve/ block %4..%5 (reserved later, "
                        "silently merged)")
                        .arg(r.name, hx(*b.base), hx(saturatedEnd(*b.base, b.size)), hx(m.range.base),
                            hx(m.range.end())));
                return;
            }
        }
    });
}

void rmInitFailFree(RuleContext& c)
{
    static const std::set<QString> specific { QStringLiteral("cma_align"), QStringLiteral("cma_dyn_size"),
        QStringLiteral("cma_nomap"), QStringLiteral("rm_nomap_reusable"), QStringLiteral("cma_slots"),
        QStringLiteral("cma_not_reserved"), QStringLiteral("cma_cmdline_override"), QStringLiteral("cma_no_config"),
        QStringLiteral("dma_arm_nomap"), QStringLiteral("swiotlb_forbidden_props"), QStringLiteral("rm_size_zero") };
    c.each([&](int i) {
        if (c.boot(i).outcome != Outcome::Freed || c.hadFinding(i, specific))
            return;
        c.report(i, "compatible",
            QStringLiteral("the init function for %1 failed (%2): the memory is given back and its users get -EINVAL")
                .arg(c.reg(i).compatible.join(QStringLiteral(", ")))
                .arg(c.boot(i).initResult),
            QStringLiteral("node %1 compatible matching fail").arg(c.reg(i).name));
    });
}

void rmNoInit(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        // Plain carve-outs (no compatible) are the common case and need no remark.
        if (r.compatible.isEmpty() || !b.initRan || !b.init.isEmpty() || b.outcome != Outcome::Active)
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

void rmReusableNocma(RuleContext& c)
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

void rmNomapReusable(RuleContext& c)
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

// ---- 2.4 CMA ------------------------------------------------------------------------------

void cmaReusable(RuleContext& c)
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

void cmaNomap(RuleContext& c)
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

void cmaAlign(RuleContext& c)
{
    const uint64_t a = c.P.cmaMinAlignment();
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (!isCma(r) || !b.base || b.cmdlineBypassed || !b.initRan)
            return;
        if (r.placement == Placement::Dynamic && (*b.base & (a - 1)) == 0)
            return; // size only: cma_dyn_size
        if (((*b.base | b.size) & (a - 1)) == 0)
            return;
        const bool baseBad = (*b.base & (a - 1)) != 0;
        c.report(i, "reg",
            QStringLiteral(
                "CMA %1 %2 is not a multiple of %3 (CMA_MIN_ALIGNMENT_BYTES on %4): the kernel rejects the pool and "
                "frees its %5%6")
                .arg(baseBad ? QStringLiteral("base") : QStringLiteral("size"), hx(baseBad ? *b.base : b.size), sz(a),
                    c.P.name, sz(b.size))
                .arg(c.consumersOf(i) ? QStringLiteral("; its %1 user(s) get -EINVAL").arg(c.consumersOf(i))
                                      : QString()),
            QStringLiteral("Reserved memory: incorrect alignment of CMA region"));
    });
}

void cmaDynSize(RuleContext& c)
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
                .arg(sz(*r.size), sz(a)),
            QStringLiteral("Reserved memory: incorrect alignment of CMA region"));
    });
}

void cmaSlots(RuleContext& c)
{
    c.each([&](int i) {
        if (c.boot(i).cmaNoSlot)
            c.report(i, "compatible",
                QStringLiteral("more CMA areas than MAX_CMA_AREAS (%1 on %2): this pool gets no slot and is freed")
                    .arg(c.P.maxCmaAreas())
                    .arg(c.P.name),
                QStringLiteral("Not enough slots for CMA reserved regions!"));
    });
    const DefaultCma& d = c.B.defaultCma;
    if (d.failed && d.message.contains(QLatin1String("slots"))) {
        c.report(c.L.container.present ? c.L.container.path : QStringLiteral("/"), c.L.container.source,
            QStringLiteral("the DT CMA pools take all %1 CMA slots: the default CMA area (%2) cannot be created")
                .arg(c.P.maxCmaAreas())
                .arg(sz(d.size)),
            QStringLiteral("Not enough slots for CMA reserved regions!"));
    }
}

void cmaNotReserved(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (!isCma(r) || !b.initRan || b.outcome != Outcome::Freed || b.cmdlineBypassed || b.cmaNoSlot)
            return;
        if (b.kernelMessages.contains(QStringLiteral("Reserved memory: unable to setup CMA region")) && !b.cmaNoSlot)
            c.report(i, "reg",
                QStringLiteral(
                    "the CMA region is not reserved in memblock (or has size 0): cma_init_reserved_mem refuses it"),
                QStringLiteral("Reserved memory: unable to setup CMA region"));
    });
}

void cmaZone(RuleContext& c)
{
    if (c.B.noMemory)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (b.init != QLatin1String("cma") || !b.base)
            return;
        const uint64_t s = *b.base, e = saturatedEnd(s, b.size);
        QString why;
        uint64_t inside = 0;
        for (const auto& m : c.B.memory) {
            const uint64_t lo = std::max(m.base, s), hi = std::min(m.end(), e);
            if (hi > lo)
                inside += hi - lo;
        }
        if (inside != b.size)
            why = inside
                ? QStringLiteral("it runs past the end of RAM (the kernel panics at once on arm64)")
                : QStringLiteral("it lies outside RAM (accepted at boot, then WARN + Oops and a panic at activation)");
        else if (c.P.arch != Arch::Arm && s < 0x100000000ull && e > 0x100000000ull)
            why = QStringLiteral("it straddles the 4 GiB ZONE_DMA32 boundary");
        else if (c.P.arch == Arch::Arm && c.B.highmemStart && s < c.B.highmemStart && e > c.B.highmemStart)
            why = QStringLiteral("it straddles the lowmem/highmem boundary at %1").arg(hx(c.B.highmemStart));
        if (why.isEmpty())
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("CMA pool %1..%2: %3; the area cannot be activated and every cma_alloc from it fails")
                .arg(hx(s), hx(e), why),
            QStringLiteral("CMA area %1 could not be activated").arg(r.name));
    });
}

void cmaDefaultMulti(RuleContext& c)
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

void cmaCmdlineOverride(RuleContext& c)
{
    c.each([&](int i) {
        const RegionBoot& b = c.boot(i);
        if (!b.cmdlineBypassed)
            return;
        const DefaultCma& d = c.B.defaultCma;
        const QString area = d.failed ? QStringLiteral("and its own area fails (%1)").arg(d.message)
            : d.size
            ? QStringLiteral("which gives a %1 default area%2")
                  .arg(sz(d.size), d.base && d.basePredictable ? QStringLiteral(" at ") + hx(*d.base) : QString())
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

void cmaNoConfig(RuleContext& c)
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

void cmaStaticLateDefault(RuleContext& c)
{
    if (c.P.arch != Arch::Arm || (c.B.era != Era::C && c.B.era != Era::D))
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (isCma(r) && r.cmaDefault && r.placement == Placement::Static)
            c.report(i, "linux,cma-default",
                QStringLiteral("on ARM32 from 6.13 static regions are initialised after dma_contiguous_reserve(): the "
                               "Kconfig/cma= default area may be created too, and this region replaces it later"));
    });
}

// ---- 2.5 coherent pools -----------------------------------------------------------------

void dmaArmNomap(RuleContext& c)
{
    if (!c.P.coherentNeedsNoMap())
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!shared(r) || r.reusable || r.noMap || !c.boot(i).initRan)
            return;
        c.report(i, "compatible",
            QStringLiteral("32-bit ARM needs no-map on a coherent pool: the kernel rejects it and frees %1")
                .arg(sz(c.boot(i).size)));
    });
}

void dmaMappedRam(RuleContext& c)
{
    if (c.P.coherentNeedsNoMap())
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (b.init != QLatin1String("coherent") || r.noMap || !b.inRam)
            return;
        c.report(i, "compatible",
            QStringLiteral(
                "a coherent pool without no-map stays in the linear map; the write-combined remap at the first "
                "device attach can be refused, and the pool then fails to init"));
    });
}

void dmaDefault(RuleContext& c)
{
    std::vector<int> d;
    c.each([&](int i) {
        if (c.reg(i).dmaDefault)
            d.push_back(i);
    });
    for (size_t k = 0; k < d.size(); ++k) {
        if (!c.P.config.dmaGlobalPool) {
            c.reportSev(Severity::Info, d[k], "linux,dma-default",
                QStringLiteral(
                    "linux,dma-default only matters with CONFIG_DMA_GLOBAL_POOL, which this profile does not have"));
        } else if (k > 0) {
            c.reportSev(Severity::Warning, d[k], "linux,dma-default",
                QStringLiteral("a second linux,dma-default region redefines the global coherent area"));
            c.out->back().kernelMessage
                = QStringLiteral("Reserved memory: region for default DMA coherent area is redefined");
        }
    }
}

void dmaOnePool(RuleContext& c)
{
    std::map<QString, std::vector<int>> byDevice;
    for (const auto& k : c.L.consumers) {
        if (k.region >= 0 && k.deviceEnabled && c.boot(k.region).init == QLatin1String("coherent"))
            byDevice[k.device].push_back(k.region);
    }
    for (const auto& [dev, regions] : byDevice) {
        if (regions.size() < 2)
            continue;
        // Remote processors list their carve-outs and hand vdev buffers to sub-devices, each
        // with its own pool: that is not one device with two pools.
        const QString base = dev.mid(dev.lastIndexOf(QLatin1Char('/')) + 1);
        bool rproc = base.startsWith(QLatin1String("remoteproc")) || base.startsWith(QLatin1String("m4"))
            || base.startsWith(QLatin1String("m7")) || base.startsWith(QLatin1String("m33"))
            || base.startsWith(QLatin1String("dsp")) || base.startsWith(QLatin1String("scp"))
            || base.startsWith(QLatin1String("mcu"));
        for (const auto& k : c.L.consumers) {
            if (k.device == dev) {
                const DtProperty* compat = c.T.node(k.deviceNode).property("compatible");
                const QString cs = compat ? cells::strings(compat->value).join(QLatin1Char(' ')) : QString();
                rproc |= cs.contains(QLatin1String("rproc")) || cs.contains(QLatin1String("remoteproc"))
                    || cs.contains(QLatin1String("-pas")) || cs.contains(QLatin1String("-m4"))
                    || cs.contains(QLatin1String("-dsp"));
                break;
            }
        }
        if (rproc)
            continue;
        for (const auto& k : c.L.consumers) {
            if (k.device == dev && k.region == regions[1]) {
                c.report(dev, k.source,
                    QStringLiteral("%1 references %2 coherent pools, but a device has one: attaching %3 %4")
                        .arg(dev)
                        .arg(regions.size())
                        .arg(c.reg(regions[1]).name,
                            c.v(7, 0) ? QStringLiteral("fails with -EBUSY") : QStringLiteral("is ignored")),
                    QString());
                break;
            }
        }
    }
}

// ---- 2.6 restricted DMA pools -------------------------------------------------------------

void swiotlbForbiddenProps(RuleContext& c)
{
    if (!c.v(5, 15))
        return; // restricted-dma-pool arrived in 5.15
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.kind != RegionKind::Restricted)
            return;
        QStringList bad;
        if (r.reusable)
            bad << QStringLiteral("reusable");
        if (r.noMap)
            bad << QStringLiteral("no-map");
        if (r.cmaDefault)
            bad << QStringLiteral("linux,cma-default");
        if (r.dmaDefault)
            bad << QStringLiteral("linux,dma-default");
        if (bad.isEmpty())
            return;
        const QByteArray first = bad.front().toLatin1();
        c.report(i, first.constData(),
            QStringLiteral("a restricted-dma-pool must not have %1: %2")
                .arg(bad.join(QStringLiteral(", ")),
                    c.P.config.restrictedPool ? QStringLiteral("the kernel rejects it and frees the memory")
                                              : QStringLiteral("a kernel with CONFIG_DMA_RESTRICTED_POOL rejects it")),
            c.P.config.restrictedPool ? QStringLiteral("node %1 compatible matching fail").arg(r.name) : QString());
    });
}

void swiotlbConfig(RuleContext& c)
{
    if (!c.v(5, 15))
        return; // restricted-dma-pool arrived in 5.15
    if (c.P.config.restrictedPool)
        return;
    c.each([&](int i) {
        if (c.reg(i).kind == RegionKind::Restricted)
            c.report(i, "compatible",
                QStringLiteral(
                    "this profile has no CONFIG_DMA_RESTRICTED_POOL: the region is only reserved, and its devices "
                    "bounce through the global swiotlb instead"));
    });
}

void swiotlbLinear(RuleContext& c)
{
    if (!c.v(5, 15))
        return; // restricted-dma-pool arrived in 5.15
    if (c.P.arch != Arch::Arm || !c.B.highmemStart)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (r.kind != RegionKind::Restricted || !b.base || saturatedEnd(*b.base, b.size) <= c.B.highmemStart)
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("the pool %1..%2 reaches highmem (above %3): device attach fails")
                .arg(hx(*b.base), hx(saturatedEnd(*b.base, b.size)), hx(c.B.highmemStart)));
    });
}

void swiotlbSize(RuleContext& c)
{
    if (!c.v(5, 15))
        return; // restricted-dma-pool arrived in 5.15
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const RegionBoot& b = c.boot(i);
        if (r.kind != RegionKind::Restricted || b.size == 0 || (b.size & 0x7ff) == 0)
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("size %1 is not a multiple of the 2 KiB slot: the last %2 bytes are never used")
                .arg(hx(b.size))
                .arg(b.size & 0x7ff));
    });
}

// ---- 2.7 consumers --------------------------------------------------------------------------

void mrPhandle(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        if (k.target.isEmpty() && k.deviceEnabled)
            c.report(k.device, k.source,
                QStringLiteral("memory-region entry %1 is phandle %2, which no node carries")
                    .arg(k.index)
                    .arg(k.phandle),
                QString());
    }
}

void mrTargetDisabled(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        if (k.region < 0 || !k.deviceEnabled || c.reg(k.region).enabled)
            continue;
        c.report(k.device, k.source,
            QStringLiteral("memory-region entry %1 points at %2, which is disabled: the attach returns 0 and the "
                           "device gets nothing")
                .arg(k.index)
                .arg(c.reg(k.region).path),
            QString());
    }
}

void mrTargetUnregistered(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        if (!k.deviceEnabled || k.target.isEmpty())
            continue;
        if (k.region < 0) {
            c.report(k.device, k.source,
                QStringLiteral("memory-region entry %1 points at %2, which is not a child of /reserved-memory: the "
                               "device gets -EINVAL")
                    .arg(k.index)
                    .arg(k.target),
                QString());
            continue;
        }
        // A region the kernel freed, failed to place or ignored has its own finding, which names
        // its users (reporting policy of kernel-rules.md section 2); only a region that is kept
        // but never registered (over the table limit, several reg tuples from 6.19) is news here.
        const Region& r = c.reg(k.region);
        const RegionBoot& b = c.boot(k.region);
        if (!r.enabled || b.registered || b.outcome != Outcome::Active)
            continue;
        c.report(k.device, k.source,
            QStringLiteral(
                "memory-region entry %1 points at %2, which the kernel did not keep (%3): the device gets -EINVAL")
                .arg(k.index)
                .arg(r.path, outcomeName(b.outcome)),
            QString());
    }
}

void mrNames(RuleContext& c)
{
    std::set<QString> seen;
    for (const auto& k : c.L.consumers) {
        if (seen.count(k.device))
            continue;
        seen.insert(k.device);
        const DtNode& n = c.T.node(k.deviceNode);
        const DtProperty* names = n.property("memory-region-names");
        if (!names)
            continue;
        const int count = int(cells::strings(names->value).size());
        const int entries = cells::count(n.property("memory-region")->value);
        if (count != entries)
            c.report(k.device, k.source,
                QStringLiteral(
                    "memory-region has %1 entries but memory-region-names has %2: lookups by name go to the wrong "
                    "entry or fail")
                    .arg(entries)
                    .arg(count),
                QString());
    }
}

void mrShared(RuleContext& c)
{
    c.each([&](int i) {
        std::set<QString> devices;
        for (const auto& k : c.L.consumers) {
            if (k.region == i && k.deviceEnabled)
                devices.insert(k.device);
        }
        if (devices.size() > 1)
            c.report(i, nullptr,
                QStringLiteral("%1 devices share this region (%2)")
                    .arg(devices.size())
                    .arg(QStringList(devices.begin(), devices.end()).join(QStringLiteral(", "))),
                QString());
    });
}

// ---- 2.8 memory and command line ---------------------------------------------------------

void memDevtype(RuleContext& c)
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
        SourceRef s;
        if (!n.spans.empty()) {
            s.file = c.T.fileName(n.spans.front());
            s.line = n.spans.front().line;
        }
        c.report(c.T.path(child), s,
            QStringLiteral("a memory node without device_type = \"memory\" is ignored by the kernel"), QString());
        c.out->back().severity = c.L.memory.empty() ? Severity::Error : Severity::Warning;
    }
}

void rmRangeWraps(RuleContext& c)
{
    // base + size past 2^64: memblock_cap_size cuts the range at the top of the address space,
    // and the kernel's own overlap check (which adds without a cap) wraps around and misses it.
    const auto text = [](const char* what, const AddrRange& r) {
        return QStringLiteral("%1 %2 + %3 runs past the top of the 64-bit address space (it would end at 2^64 + "
                              "%4): the kernel cuts it at 2^64 and its overlap check wraps around")
            .arg(QLatin1String(what), hx(r.base), hx(r.size), hx(r.base + r.size));
    };
    for (const auto* banks : { &c.L.memory, &c.L.ignoredMemory }) {
        for (const auto& b : *banks) {
            if (b.range.overflows())
                c.report(b.node, b.source, text("memory bank", b.range), QString());
        }
    }
    for (const auto& m : c.L.memreserve) {
        if (m.range.overflows())
            c.report(QStringLiteral("/memreserve/"), m.source, text("/memreserve/", m.range), QString());
    }
    c.each([&](int i) {
        for (const auto& t : c.reg(i).reg) {
            if (t.overflows()) {
                c.report(i, "reg", text("reg", t));
                return;
            }
        }
        for (const auto& t : c.reg(i).allocRanges) {
            if (t.overflows()) {
                c.report(i, "alloc-ranges", text("alloc-ranges window", t));
                return;
            }
        }
    });
}

void memPageAlign(RuleContext& c)
{
    for (const auto& b : c.L.memory) {
        if (((b.range.base | b.range.size) & (c.P.pageSize - 1)) == 0)
            continue;
        c.report(b.node, b.source,
            QStringLiteral("bank %1 +%2 is not page-aligned (%3): the kernel rounds the base up and the size down")
                .arg(hx(b.range.base), hx(b.range.size), sz(c.P.pageSize)),
            QString());
    }
}

void memNone(RuleContext& c)
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
    c.report(node, s,
        QStringLiteral("the tree describes no RAM (a memory node of size 0 is filled in by the bootloader)%1; pass "
                       "--memory BASE+SIZE to check against the board's real memory")
            .arg(dynamic ? QStringLiteral(": where dynamic regions land and whether they fit cannot be known")
                         : QStringLiteral(": RAM-dependent checks are skipped")),
        QString());
    c.out->back().severity = dynamic ? Severity::Warning : Severity::Info;
}

void memUsable(RuleContext& c)
{
    std::set<QString> seen;
    for (const auto& b : c.L.memory) {
        if (b.fromUsableMemory && !seen.count(b.node)) {
            seen.insert(b.node);
            c.report(b.node, b.source, QStringLiteral("linux,usable-memory replaces reg for this node"), QString());
        }
    }
}

/** Where cma= is written: /chosen/bootargs when the command line came from the tree. */
SourceRef cmdlineSource(const RuleContext& c)
{
    if (c.P.cmdline)
        return {};
    const int chosen = c.T.child(0, "chosen");
    const DtProperty* p = chosen >= 0 ? c.T.node(chosen).property("bootargs") : nullptr;
    SourceRef s;
    if (p && p->span.isValid()) {
        s.file = displayPath(c.T.fileName(p->span));
        s.line = p->span.line;
        s.column = p->span.column;
    }
    return s;
}

void cmdlineCmaFixed(RuleContext& c)
{
    const DefaultCma& d = c.B.defaultCma;
    if (d.source != DefaultCma::Source::Cmdline || !d.failed || d.message.contains(QLatin1String("exceeds limit"))
        || d.message.contains(QLatin1String("slots")))
        return;
    c.report(QStringLiteral("/chosen"), cmdlineSource(c), QStringLiteral("'%1': %2").arg(c.B.cma.text, d.message),
        d.message);
}

void cmdlineCmaLimit(RuleContext& c)
{
    const DefaultCma& d = c.B.defaultCma;
    if (d.source != DefaultCma::Source::Cmdline || !d.failed || !d.message.contains(QLatin1String("exceeds limit")))
        return;
    c.report(QStringLiteral("/chosen"), cmdlineSource(c), QStringLiteral("'%1': %2").arg(c.B.cma.text, d.message),
        d.message);
}

} // namespace

const std::vector<Rule>& rules()
{
    static const std::vector<Rule> table = {
        // 2.1 container and root
        { "rm_node_path", Severity::Info, "all", "all", "Reserved memory: No reserved-memory node in the DT",
            "Only a node named exactly reserved-memory, directly under /, is read.",
            "Move or rename the node to /reserved-memory.", rmNodePath },
        { "rm_root_cells", Severity::Error, "all", "all", "Reserved memory: unsupported node format, ignoring",
            "The container's #address-cells and #size-cells must equal the root's, or the kernel ignores every region "
            "in it.",
            "Set #address-cells and #size-cells in /reserved-memory to the root's values.", rmRootCells },
        { "rm_ranges", Severity::Error, "all", "all", "Reserved memory: unsupported node format, ignoring",
            "The container needs a ranges property, or the kernel ignores every region in it.",
            "Add an empty 'ranges;' to /reserved-memory.", rmRanges },
        { "rm_ranges_nonempty", Severity::Warning, "all", "all", "",
            "Child reg values are taken as physical addresses; a translation in ranges is ignored.",
            "Use an empty 'ranges;'.", rmRangesNonempty },
        { "rm_root_cells_missing", Severity::Error, "all", "all", "No '#size-cells' in root node",
            "Without root cell counts the kernel reads 1/1 while dtc assumes 2/1 for children.",
            "Give the root #address-cells and #size-cells.", rmRootCellsMissing },
        { "rm_phys_width", Severity::Error, "all", "arm (no LPAE)", "",
            "phys_addr_t is 32 bits on ARM without LPAE: larger values are silently truncated.",
            "Keep regions below 4 GiB, or use an LPAE kernel.", rmPhysWidth },
        // 2.2 child nodes
        { "rm_child_status", Severity::Info, "all", "all", "", "Nodes whose status is not okay are skipped completely.",
            "Remove the status or set it to \"okay\" if the region is needed.", rmChildStatus },
        { "rm_child_depth", Severity::Warning, ">= 5.17", "all", "",
            "Only direct children of /reserved-memory are regions.", "Move the node up one level.", rmChildDepth },
        { "rm_reg_format", Severity::Error, "all", "all",
            "Reserved memory: invalid reg property in '%s', skipping node.",
            "reg must be whole (#address-cells + #size-cells)-cell tuples of the root's cell counts.",
            "Write reg with the root's cell counts.", rmRegFormat },
        { "rm_range_wraps", Severity::Error, "all", "all", "",
            "A range whose base + size passes 2^64 is cut at the top of the address space by memblock, and the "
            "kernel's overlap check wraps around (project rule).",
            "Fix the base or the size: one of them is not what was meant.", rmRangeWraps },
        { "rm_reg_multi", Severity::Warning, "all", "all",
            "fdt_scan_reserved_mem_reg_nodes() ignores %d regions in node '%s'",
            "All tuples are reserved but only the first is registered (none from 6.19).",
            "Split the region into one node per range.", rmRegMulti },
        { "rm_reg_zero_size", Severity::Error, "all", "all",
            "Reserved memory: failed to reserve memory for node '%s': base %pa, size %lu MiB",
            "A reg tuple of size 0 reserves nothing.", "Give the tuple its real size, or remove it.", rmRegZeroSize },
        { "rm_reg_and_size", Severity::Warning, "all", "all", "",
            "reg wins over size; size, alignment and alloc-ranges are ignored.",
            "Keep reg for a fixed region or size for a dynamic one, not both.", rmRegAndSize },
        { "rm_no_reg_no_size", Severity::Error, "all", "all", "",
            "A node with neither reg nor size is silently ignored.", "Add reg (fixed) or size (dynamic).",
            rmNoRegNoSize },
        { "rm_size_cells", Severity::Error, "all", "all", "invalid size property in '%s' node.",
            "size must be exactly the root's #size-cells cells long.", "Write size with the root's #size-cells.",
            rmSizeCells },
        { "rm_size_zero", Severity::Error, "all", "all", "", "A size of 0 sets nothing aside; pool inits fail on it.",
            "Give the real size.", rmSizeZero },
        { "rm_align_cells", Severity::Error, "all", "all", "invalid alignment property in '%s' node.",
            "The kernel reads alignment with the root's #address-cells (not #size-cells).",
            "Write alignment with the root's #address-cells.", rmAlignCells },
        { "rm_align_pow2", Severity::Warning, "all", "all", "",
            "memblock aligns with a mask; a non-power-of-two alignment gives odd bases.", "Use a power of two.",
            rmAlignPow2 },
        { "rm_alloc_ranges_format", Severity::Error, "all", "all",
            "invalid alloc-ranges property in '%s', skipping node.",
            "alloc-ranges must be whole (address, size) tuples of the root's cell counts.", "Fix the tuples.",
            rmAllocRangesFormat },
        { "rm_dyn_nofit", Severity::Error, "all", "all", "failed to allocate memory for node '%s': size %lu MiB",
            "No free, suitably aligned space was left where the region may go.",
            "Shrink the region, widen alloc-ranges or free space around it.", rmDynNofit },
        { "rm_alloc_range_empty", Severity::Warning, "all", "all", "",
            "A zero-length window means 'anywhere' at address 0, nothing elsewhere.", "Give the window its length.",
            rmAllocRangeEmpty },
        { "rm_unit_addr", Severity::Info, "n/a", "all", "", "The kernel ignores unit addresses; people and dtc do not.",
            "Make the unit address match reg, or drop it on dynamic regions.", rmUnitAddr },
        // 2.3 reservation, overlap, limits
        { "rm_nomap_busy", Severity::Error, "all", "all",
            "Reserved memory: failed to reserve memory for node '%s': base %pa, size %lu MiB",
            "A no-map region on memory that is already reserved is refused (-EBUSY) and stays mapped.",
            "Move the region off the kernel image, DTB, /memreserve/ or other reservations, or drop no-map.",
            rmNomapBusy },
        { "rm_static_over_reserved", Severity::Error, "all", "all", "",
            "A mapped static region on the kernel image, initrd or DTB merges silently; a pool then hands out kernel "
            "memory.",
            "Move the region.", rmStaticOverReserved },
        { "rm_static_outside_ram", Severity::Info, "all", "all", "", "Regions outside RAM are reserved without effect.",
            "Fine for device carve-outs; keep pools in RAM.", rmStaticOutsideRam },
        { "rm_max_regions", Severity::Error, "all", "all", "not enough space for all defined regions.",
            "The kernel's table holds 64 regions (64 dynamic ones from 6.13).", "Merge regions.", rmMaxRegions },
        { "rm_overlap", Severity::Error, "all", "all", "OVERLAP DETECTED!\\n%s (%pa--%pa) overlaps with %s (%pa--%pa)",
            "Overlapping regions are only reported (adjacent pairs after sorting); both stay reserved.",
            "Resize or move one of the two.", rmOverlap },
        { "rm_overlap_hidden", Severity::Error, "all", "all", "",
            "Overlaps the kernel never prints (non-adjacent after its sort, or dynamic regions before 6.13).",
            "Resize or move one of the two.", rmOverlapHidden },
        { "rm_memreserve_clobber", Severity::Error, ">= 6.13", "all", "",
            "From 6.13 dynamic regions are placed before /memreserve/ is reserved and can land on it silently.",
            "Add alloc-ranges that avoid the /memreserve/ block.", rmMemreserveClobber },
        { "rm_init_fail_free", Severity::Error, "all", "all", "node %s compatible matching fail",
            "A failed init gives the memory back; users get -EINVAL.", "Fix what the init refused.", rmInitFailFree },
        { "rm_no_init", Severity::Info, "all", "all", "%pa..%pa (%lu KiB) %s %s %s",
            "No init function handles the compatible; the memory just stays reserved.",
            "Nothing, if drivers use resource lookups.", rmNoInit },
        { "rm_reusable_nocma", Severity::Warning, "all", "all", "",
            "reusable only has an effect on a CMA shared-dma-pool.",
            "Drop reusable, or make the node a shared-dma-pool.", rmReusableNocma },
        { "rm_nomap_reusable", Severity::Error, "all", "all", "", "no-map and reusable exclude each other.",
            "Keep one of them.", rmNomapReusable },
        // 2.4 CMA
        { "cma_reusable", Severity::Info, "all", "all", "",
            "A shared-dma-pool without reusable is a coherent pool, not CMA.", "Add reusable to make it CMA.",
            cmaReusable },
        { "cma_nomap", Severity::Error, "all", "all", "node %s compatible matching fail",
            "A CMA pool must stay in the linear map: reusable with no-map is refused.", "Remove no-map.", cmaNomap },
        { "cma_align", Severity::Error, "all", "all", "Reserved memory: incorrect alignment of CMA region",
            "Base and size of a CMA region must be multiples of CMA_MIN_ALIGNMENT_BYTES (the pageblock size).",
            "Align base and size to the profile's CMA minimum alignment.", cmaAlign },
        { "cma_dyn_size", Severity::Error, "all", "all", "Reserved memory: incorrect alignment of CMA region",
            "For dynamic CMA the kernel aligns the base but never the size.",
            "Make the size a multiple of the CMA minimum alignment.", cmaDynSize },
        { "cma_slots", Severity::Error, "all", "all", "Not enough slots for CMA reserved regions!",
            "At most MAX_CMA_AREAS CMA areas exist, the default area included.",
            "Merge CMA pools or raise CONFIG_CMA_AREAS.", cmaSlots },
        { "cma_not_reserved", Severity::Error, "all", "all", "Reserved memory: unable to setup CMA region",
            "cma_init_reserved_mem needs memory reserved in memblock.",
            "Check that the region is reserved and not empty.", cmaNotReserved },
        { "cma_zone", Severity::Error, "all", "all", "CMA area %s could not be activated",
            "A CMA area must be valid RAM within one zone (ZONE_DMA/DMA32 limit, ARM32 lowmem/highmem).",
            "Move the pool inside RAM and one zone.", cmaZone },
        { "cma_default_multi", Severity::Warning, "all", "all", "",
            "Only one linux,cma-default can be the default area.", "Keep linux,cma-default on one region.",
            cmaDefaultMulti },
        { "cma_cmdline_override", Severity::Info, "all", "all",
            "Reserved memory: bypass %s node, using cmdline CMA params instead",
            "Any cma= on the command line replaces the tree's linux,cma-default region.",
            "Drop cma= or the DT default, as intended.", cmaCmdlineOverride },
        { "cma_no_config", Severity::Error, "all", "all", "",
            "Without CONFIG_DMA_CMA a reusable shared-dma-pool is refused.",
            "Enable CONFIG_DMA_CMA, or make the region a coherent pool.", cmaNoConfig },
        { "cma_static_late_default", Severity::Warning, ">= 6.13", "arm", "",
            "On ARM32 the default CMA area is reserved before static regions are initialised.",
            "Make the default CMA dynamic.", cmaStaticLateDefault },
        // 2.5 coherent pools
        { "dma_arm_nomap", Severity::Error, "all", "arm",
            "Reserved memory: regions without no-map are not yet supported",
            "32-bit ARM refuses coherent pools that stay in the linear map.", "Add no-map.", dmaArmNomap },
        { "dma_mapped_ram", Severity::Warning, "all", "arm64, riscv",
            "Reserved memory: failed to init DMA memory pool at %pa, size %zd MiB",
            "A coherent pool without no-map stays in the linear map; a write-combined remap may be refused.",
            "Add no-map.", dmaMappedRam },
        { "dma_default", Severity::Info, ">= 5.15", "all",
            "Reserved memory: region for default DMA coherent area is redefined",
            "linux,dma-default matters only with CONFIG_DMA_GLOBAL_POOL.",
            "Drop it unless the platform uses a global pool.", dmaDefault },
        { "dma_one_pool", Severity::Warning, "all", "all", "", "A device has one coherent pool.",
            "Reference one coherent pool per device.", dmaOnePool },
        // 2.6 restricted DMA pools
        { "swiotlb_forbidden_props", Severity::Error, ">= 5.15", "all", "node %s compatible matching fail",
            "A restricted-dma-pool must not be reusable, no-map, linux,cma-default or linux,dma-default.",
            "Remove those properties.", swiotlbForbiddenProps },
        { "swiotlb_config", Severity::Warning, ">= 5.15", "all", "",
            "Without CONFIG_DMA_RESTRICTED_POOL the region is just reserved.", "Enable CONFIG_DMA_RESTRICTED_POOL.",
            swiotlbConfig },
        { "swiotlb_linear", Severity::Error, ">= 5.15", "arm",
            "Restricted DMA pool must be accessible within the linear mapping.", "A restricted pool must be in lowmem.",
            "Place it below the lowmem limit (alloc-ranges).", swiotlbLinear },
        { "swiotlb_size", Severity::Warning, ">= 5.15", "all", "", "The pool is cut into 2 KiB slots.",
            "Make the size a multiple of 2 KiB.", swiotlbSize },
        // 2.7 consumers
        { "mr_phandle", Severity::Error, "all", "all", "",
            "A memory-region phandle that resolves to nothing gives -ENODEV.",
            "Point memory-region at a /reserved-memory child.", mrPhandle },
        { "mr_target_disabled", Severity::Warning, "all", "all", "",
            "Attaching a disabled region succeeds with nothing attached.", "Enable the region or drop the reference.",
            mrTargetDisabled },
        { "mr_target_unregistered", Severity::Error, "all", "all", "",
            "memory-region must point at a region the kernel registered: a /reserved-memory child that was kept.",
            "Point memory-region at the right region, or fix why the region was dropped.", mrTargetUnregistered },
        { "mr_names", Severity::Warning, "all", "all", "", "memory-region-names must name every memory-region entry.",
            "Give one name per entry.", mrNames },
        { "mr_shared", Severity::Info, "all", "all", "", "Several devices share one region (one bitmap or CMA area).",
            "Nothing, if intended.", mrShared },
        // 2.8 memory and command line
        { "mem_devtype", Severity::Warning, "all", "all", "", "Memory nodes need device_type = \"memory\".",
            "Add device_type = \"memory\".", memDevtype },
        { "mem_page_align", Severity::Warning, "all", "all", "Ignoring memory block 0x%llx - 0x%llx",
            "Banks are rounded to whole pages.", "Page-align the bank.", memPageAlign },
        { "mem_none", Severity::Warning, "all", "all", "",
            "Without RAM in the tree, placement of dynamic regions and RAM checks cannot be decided (project rule).",
            "Pass --memory BASE+SIZE (the board's real memory), or describe the memory in the tree.", memNone },
        { "mem_usable", Severity::Info, "all", "all", "", "linux,usable-memory replaces reg.", "Nothing, if intended.",
            memUsable },
        { "cmdline_cma_fixed", Severity::Error, "all", "all", "cma: Failed to reserve %ld MiB",
            "cma=S@B places the default area at B exactly: B must be aligned and free.",
            "Align B to the CMA minimum alignment and keep it free.", cmdlineCmaFixed },
        { "cmdline_cma_limit", Severity::Error, "all", "all", "Size (%pa) of region at %pa exceeds limit (%pa)",
            "The default area must fit below its limit.", "Lower the size or raise the limit.", cmdlineCmaLimit },
    };
    return table;
}

const Rule* findRule(const QString& id)
{
    for (const auto& r : rules()) {
        if (id == QLatin1String(r.id))
            return &r;
    }
    return nullptr;
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
    const auto it = m_map.find(QString::fromLatin1(r.id));
    if (it == m_map.end())
        return r.severity;
    return it.value();
}

CheckResult runChecks(const Layout& layout, const BootResult& boot, const KernelProfile& profile,
    const DeviceTree& tree, const SeverityOverrides& overrides)
{
    CheckResult result;
    std::vector<Finding> all;
    RuleContext ctx { layout, boot, profile, tree, nullptr, &all };
    // rm_init_fail_free reports what no more specific rule explained, so it runs last.
    const Rule* late = findRule(QStringLiteral("rm_init_fail_free"));
    for (const auto& r : rules()) {
        if (&r == late)
            continue;
        ctx.rule = &r;
        r.check(ctx);
    }
    ctx.rule = late;
    late->check(ctx);

    for (auto& f : all) {
        const Rule* r = findRule(f.rule);
        const auto sev = overrides.effective(*r);
        if (!sev)
            continue;
        if (*sev != r->severity)
            f.severity = *sev;
        result.findings.push_back(f);
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
