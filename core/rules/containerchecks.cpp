// SPDX-License-Identifier: GPL-2.0-only
// The rules of 2.1 container and root, 2.2 child node parsing (kernel-rules.md): each check function with its registry
// record (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

// ---- 2.1 container and root ------------------------------------------------------------

static void rmNodePath(RuleContext& c)
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
        Finding& f = c.report(c.T.path(misplaced), c.src(c.T.node(misplaced)),
            QStringLiteral("%1 is not /reserved-memory, so the kernel reserves nothing from it")
                .arg(c.T.path(misplaced)),
            QString::fromUtf8(c.rule->kernelMessage));
        f.severity = Severity::Error;
    } else if (!c.L.consumers.empty()) {
        const auto& k = c.L.consumers.front();
        Finding& f = c.report(k.device, k.source,
            QStringLiteral("devices use memory-region but the tree has no /reserved-memory node"),
            QString::fromUtf8(c.rule->kernelMessage));
        f.severity = Severity::Error;
    }
}

const Rule kRmNodePath { "rm_node_path", Severity::Info, "all", "all", nullptr,
    "Reserved memory: No reserved-memory node in the DT",
    "Only a node named exactly reserved-memory, directly under /, is read.",
    "Move or rename the node to /reserved-memory.", rmNodePath };

static void rmRootCells(RuleContext& c)
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

const Rule kRmRootCells { "rm_root_cells", Severity::Error, "all", "all", nullptr,
    "Reserved memory: unsupported node format, ignoring",
    "The container's #address-cells and #size-cells must equal the root's, or the kernel ignores every region "
    "in it.",
    "Set #address-cells and #size-cells in /reserved-memory to the root's values.", rmRootCells };

static void rmRanges(RuleContext& c)
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

const Rule kRmRanges { "rm_ranges", Severity::Error, "all", "all", nullptr,
    "Reserved memory: unsupported node format, ignoring",
    "The container needs a ranges property, or the kernel ignores every region in it.",
    "Add an empty 'ranges;' to /reserved-memory.", rmRanges };

static void rmRangesNonempty(RuleContext& c)
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

const Rule kRmRangesNonempty { "rm_ranges_nonempty", Severity::Warning, "all", "all", nullptr, "",
    "Child reg values are taken as physical addresses; a translation in ranges is ignored.", "Use an empty 'ranges;'.",
    rmRangesNonempty };

static void rmRootCellsMissing(RuleContext& c)
{
    if (c.L.rootAddressCellsPresent && c.L.rootSizeCellsPresent)
        return;
    c.report(QStringLiteral("/"), c.src(c.T.root()),
        QStringLiteral(
            "the root node lacks %1: the kernel assumes 1 cell, while dtc assumes 2 address cells and 1 size "
            "cell for children, so addresses and sizes may be misread")
            .arg(!c.L.rootAddressCellsPresent && !c.L.rootSizeCellsPresent
                    ? QStringLiteral("#address-cells and #size-cells")
                    : !c.L.rootAddressCellsPresent ? QStringLiteral("#address-cells")
                                                   : QStringLiteral("#size-cells")),
        QString::fromUtf8(c.rule->kernelMessage));
}

const Rule kRmRootCellsMissing { "rm_root_cells_missing", Severity::Error, "all", "all", nullptr,
    "No '#size-cells' in root node",
    "Without root cell counts the kernel reads 1/1 while dtc assumes 2/1 for children.",
    "Give the root #address-cells and #size-cells.", rmRootCellsMissing };

static void rmPhysWidth(RuleContext& c)
{
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
                        .arg(QLatin1String(prop), toHex(val), toHex(val & 0xffffffffull)));
                return;
            }
        }
    });
}

const Rule kRmPhysWidth { "rm_phys_width", Severity::Error, "all", "arm (no LPAE)", applies::phys32, "",
    "phys_addr_t is 32 bits on ARM without LPAE: larger values are silently truncated.",
    "Keep regions below 4 GiB, or use an LPAE kernel.", rmPhysWidth };

// ---- 2.2 child node parsing -------------------------------------------------------------------

static void rmChildStatus(RuleContext& c)
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

const Rule kRmChildStatus { "rm_child_status", Severity::Info, "all", "all", nullptr, "",
    "Nodes whose status is not okay are skipped completely.",
    "Remove the status or set it to \"okay\" if the region is needed.", rmChildStatus };

static void rmChildDepth(RuleContext& c)
{
    if (!c.L.container.present)
        return;
    const int container = c.T.findPath(c.L.container.path);
    if (container < 0)
        return;
    for (int child : c.T.node(container).children) {
        for (int g : c.T.node(child).children) {
            c.report(c.T.path(g), c.src(c.T.node(g)),
                QStringLiteral(
                    "a node below a /reserved-memory child is not a region: kernels since about 5.17 ignore it"),
                QString());
        }
    }
}

const Rule kRmChildDepth { "rm_child_depth", Severity::Warning, ">= 5.17", "all", nullptr, "",
    "Only direct children of /reserved-memory are regions.", "Move the node up one level.", rmChildDepth };

static void rmRegFormat(RuleContext& c)
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

const Rule kRmRegFormat { "rm_reg_format", Severity::Error, "all", "all", nullptr,
    "Reserved memory: invalid reg property in '%s', skipping node.",
    "reg must be whole (#address-cells + #size-cells)-cell tuples of the root's cell counts.",
    "Write reg with the root's cell counts.", rmRegFormat };

static void rmRangeWraps(RuleContext& c)
{
    // base + size past 2^64: memblock_cap_size cuts the range at the top of the address space,
    // and the kernel's own overlap check (which adds without a cap) wraps around and misses it.
    const auto text = [](const char* what, const AddrRange& r) {
        return QStringLiteral("%1 %2 + %3 runs past the top of the 64-bit address space (it would end at 2^64 + "
                              "%4): the kernel cuts it at 2^64 and its overlap check wraps around")
            .arg(QLatin1String(what), toHex(r.base), toHex(r.size), toHex(r.base + r.size));
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

const Rule kRmRangeWraps { "rm_range_wraps", Severity::Error, "all", "all", nullptr, "",
    "A range whose base + size passes 2^64 is cut at the top of the address space by memblock, and the "
    "kernel's overlap check wraps around (project rule).",
    "Fix the base or the size: one of them is not what was meant.", rmRangeWraps };

static void rmRegMulti(RuleContext& c)
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
                       .arg(toHex(r.reg.front().base), formatSize(r.reg.front().size));
        Finding& f = c.reportSev(matters ? Severity::Error : Severity::Warning, i, "reg",
            QStringLiteral("reg has %1 tuples: %2").arg(r.reg.size()).arg(what));
        if (!(c.v(6, 14) && !c.v(6, 19)))
            f.kernelMessage.clear();
        else
            f.kernelMessage = QStringLiteral("fdt_scan_reserved_mem_reg_nodes() ignores %1 regions in node '%2'")
                                  .arg(r.reg.size() - 1)
                                  .arg(r.name);
    });
}

const Rule kRmRegMulti { "rm_reg_multi", Severity::Warning, "all", "all", nullptr,
    "fdt_scan_reserved_mem_reg_nodes() ignores %d regions in node '%s'",
    "All tuples are reserved but only the first is registered (none from 6.19).",
    "Split the region into one node per range.", rmRegMulti };

static void rmRegZeroSize(RuleContext& c)
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

const Rule kRmRegZeroSize { "rm_reg_zero_size", Severity::Error, "all", "all", nullptr,
    "Reserved memory: failed to reserve memory for node '%s': base %pa, size %lu MiB",
    "A reg tuple of size 0 reserves nothing.", "Give the tuple its real size, or remove it.", rmRegZeroSize };

static void rmRegAndSize(RuleContext& c)
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

const Rule kRmRegAndSize { "rm_reg_and_size", Severity::Warning, "all", "all", nullptr, "",
    "reg wins over size; size, alignment and alloc-ranges are ignored.",
    "Keep reg for a fixed region or size for a dynamic one, not both.", rmRegAndSize };

static void rmNoRegNoSize(RuleContext& c)
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

const Rule kRmNoRegNoSize { "rm_no_reg_no_size", Severity::Error, "all", "all", nullptr, "",
    "A node with neither reg nor size is silently ignored.", "Add reg (fixed) or size (dynamic).", rmNoRegNoSize };

static void rmSizeCells(RuleContext& c)
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

const Rule kRmSizeCells { "rm_size_cells", Severity::Error, "all", "all", nullptr,
    "invalid size property in '%s' node.", "size must be exactly the root's #size-cells cells long.",
    "Write size with the root's #size-cells.", rmSizeCells };

static void rmSizeZero(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement == Placement::Dynamic && r.size && *r.size == 0)
            c.report(i, "size", QStringLiteral("size is 0: no memory is set aside and any pool init on it fails"));
    });
}

const Rule kRmSizeZero { "rm_size_zero", Severity::Error, "all", "all", nullptr, "",
    "A size of 0 sets nothing aside; pool inits fail on it.", "Give the real size.", rmSizeZero };

static void rmAlignCells(RuleContext& c)
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

const Rule kRmAlignCells { "rm_align_cells", Severity::Error, "all", "all", nullptr,
    "invalid alignment property in '%s' node.",
    "The kernel reads alignment with the root's #address-cells (not #size-cells).",
    "Write alignment with the root's #address-cells.", rmAlignCells };

static void rmAlignPow2(RuleContext& c)
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
                .arg(toHex(a)));
    });
}

const Rule kRmAlignPow2 { "rm_align_pow2", Severity::Warning, "all", "all", nullptr, "",
    "memblock aligns with a mask; a non-power-of-two alignment gives odd bases.", "Use a power of two.", rmAlignPow2 };

static void rmAllocRangesFormat(RuleContext& c)
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

const Rule kRmAllocRangesFormat { "rm_alloc_ranges_format", Severity::Error, "all", "all", nullptr,
    "invalid alloc-ranges property in '%s', skipping node.",
    "alloc-ranges must be whole (address, size) tuples of the root's cell counts.", "Fix the tuples.",
    rmAllocRangesFormat };

static void rmDynNofit(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (c.outcome(i) != Outcome::AllocFailed)
            return;
        c.report(i, r.allocRanges.empty() ? "size" : "alloc-ranges",
            QStringLiteral("no free%1 space for %2%3: the region is not allocated%4")
                .arg(r.alignment ? QStringLiteral(", %1-aligned").arg(toHex(*r.alignment)) : QString(),
                    formatSize(*r.size))
                .arg(r.allocRanges.empty() ? QString() : QStringLiteral(" in any alloc-ranges window"))
                .arg(c.consumersOf(i) ? QStringLiteral(" and its users get nothing") : QString()),
            QStringLiteral("failed to allocate memory for node '%1': size %2 MiB").arg(r.name).arg(*r.size >> 20));
    });
}

const Rule kRmDynNofit { "rm_dyn_nofit", Severity::Error, "all", "all", nullptr,
    "failed to allocate memory for node '%s': size %lu MiB",
    "No free, suitably aligned space was left where the region may go.",
    "Shrink the region, widen alloc-ranges or free space around it.", rmDynNofit };

static void rmAllocRangeEmpty(RuleContext& c)
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
                          .arg(toHex(w.base)));
            return;
        }
    });
}

const Rule kRmAllocRangeEmpty { "rm_alloc_range_empty", Severity::Warning, "all", "all", nullptr, "",
    "A zero-length window means 'anywhere' at address 0, nothing elsewhere.", "Give the window its length.",
    rmAllocRangeEmpty };

static void rmUnitAddr(RuleContext& c)
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
                        .arg(r.name.mid(at + 1), toHex(r.reg.front().base)));
        }
    });
}

const Rule kRmUnitAddr { "rm_unit_addr", Severity::Info, "n/a", "all", nullptr, "",
    "The kernel ignores unit addresses; people and dtc do not.",
    "Make the unit address match reg, or drop it on dynamic regions.", rmUnitAddr };

} // namespace carveout
