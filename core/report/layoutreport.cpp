// SPDX-License-Identifier: GPL-2.0-only
#include "layoutreport.h"

// core
#include "kernel/dmaheaps.h"
#include "report/jsonwriter.h"

// Qt
#include <QTextStream>

// std
#include <algorithm>

namespace carveout {

QStringList regionFlags(const Region& r)
{
    QStringList f;
    if (r.noMap)
        f << QStringLiteral("no-map");
    if (r.reusable)
        f << QStringLiteral("reusable");
    if (r.cmaDefault)
        f << QStringLiteral("cma-default");
    if (r.dmaDefault)
        f << QStringLiteral("dma-default");
    if (!r.enabled)
        f << QStringLiteral("status=") + r.status;
    if (r.reg.size() > 1)
        f << QStringLiteral("%1-tuples").arg(r.reg.size());
    if (r.regMalformed)
        f << QStringLiteral("bad-reg");
    if (r.sizeMalformed)
        f << QStringLiteral("bad-size");
    if (r.alignmentMalformed)
        f << QStringLiteral("bad-alignment");
    if (r.allocRangesMalformed)
        f << QStringLiteral("bad-alloc-ranges");
    return f;
}

namespace {

void writeSource(JsonWriter& w, const SourceRef& s)
{
    if (!s.isValid()) {
        w.null();
        return;
    }
    w.beginObject();
    w.key("file").value(s.file);
    w.key("line").value(s.line);
    w.key("column").value(s.column);
    w.endObject();
}

void writeRanges(JsonWriter& w, const std::vector<AddrRange>& ranges)
{
    w.beginArray();
    for (const auto& r : ranges) {
        w.beginObject();
        w.key("base").hex(r.base);
        w.key("size").hex(r.size);
        w.endObject();
    }
    w.endArray();
}

QString sourceText(const SourceRef& s)
{
    return s.isValid() ? s.file + QLatin1Char(':') + QString::number(s.line) : QStringLiteral("-");
}

/** The node's definition, plus where reg/size are written when that is another file (an
 *  override in the board file, typically). */
QString regionSourceText(const Region& r)
{
    QString out = sourceText(r.source);
    for (const char* p : { "reg", "size", "status" }) {
        const auto it = r.propertySources.find(QString::fromLatin1(p));
        if (it != r.propertySources.end() && it->second.isValid() && it->second.file != r.source.file)
            out += QStringLiteral(" (%1: %2)").arg(QLatin1String(p), sourceText(it->second));
    }
    return out;
}

QString defaultCmaText(const DefaultCma& d, const Layout& L)
{
    switch (d.source) {
    case DefaultCma::Source::None:
        return QStringLiteral("none");
    case DefaultCma::Source::DtNode:
        return QStringLiteral("%1 (the tree's linux,cma-default)").arg(L.regions[size_t(d.region)].path);
    case DefaultCma::Source::Cmdline:
    case DefaultCma::Source::Kconfig:
        break;
    }
    const QString from = d.source == DefaultCma::Source::Cmdline ? QStringLiteral("cma= on the command line")
                                                                 : QStringLiteral("CONFIG_CMA_SIZE_MBYTES");
    if (d.failed)
        return QStringLiteral("%1 from %2: FAILED (%3)").arg(formatSize(d.size), from, d.message);
    return QStringLiteral("%1 at %2%3, from %4")
        .arg(formatSize(d.size), toHex(d.base.value_or(0)),
            d.basePredictable ? QString() : QStringLiteral(" (about: the kernel places it after early allocations)"),
            from);
}

/** One line per area the command line reserved besides cma= (hugetlb_cma=, crashkernel=, ...). */
QString cmdlineAreaText(const CmdlineArea& a)
{
    const QString what
        = QStringLiteral("%1 %2 (%3%4)")
              .arg(cmdlineAreaKindName(a.kind), a.name, a.option, a.cma ? QStringLiteral(", a CMA area") : QString());
    if (a.failed)
        return QStringLiteral("%1: FAILED (%2)")
            .arg(what, a.kernelMessages.isEmpty() ? a.note : a.kernelMessages.join(QStringLiteral(" / ")));
    return QStringLiteral("%1: %2 at %3%4")
        .arg(what, formatSize(a.size), toHex(a.base.value_or(0)),
            a.basePredictable ? QString() : QStringLiteral(" (about: the kernel places it below early allocations)"));
}

} // namespace

void writeCmdlineAreasJson(JsonWriter& w, const BootResult& boot)
{
    // Present only when the command line asks for such areas: absent means none.
    if (boot.cmdlineAreas.empty())
        return;
    w.key("cmdline_areas").beginArray();
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        w.beginObject();
        const QString kind = cmdlineAreaKindName(a.kind);
        for (const auto& [key, text] : { std::pair { "kind", &kind }, { "name", &a.name }, { "option", &a.option } })
            w.key(key).value(*text);
        w.key("cma").value(a.cma);
        w.key("base");
        a.base && !a.failed ? w.hex(*a.base) : w.null();
        w.key("size").hex(a.size);
        w.key("failed").value(a.failed);
        w.key("base_predictable").value(a.basePredictable);
        w.key("kernel_messages").beginArray();
        for (const QString& m : a.kernelMessages)
            w.value(m);
        w.endArray();
        w.endObject();
    }
    w.endArray();
}

void writeProfileJson(JsonWriter& w, const KernelProfile& p)
{
    w.beginObject();
    w.key("name").value(p.name);
    w.key("kernel").value(p.kernel());
    w.key("era").value(eraName(p.era()).left(1));
    w.key("arch").value(p.archString());
    w.key("page_size").value(int64_t(p.pageSize));
    w.key("pageblock_order").value(p.pageblockOrder());
    w.key("cma_min_alignment").hex(p.cmaMinAlignment());
    w.key("max_cma_areas").value(p.maxCmaAreas());
    w.key("config").beginObject();
    w.key("CMA").value(p.config.cma);
    w.key("DMA_CMA").value(p.config.dmaCma);
    w.key("CMA_AREAS").value(p.config.cmaAreas);
    w.key("CMA_SIZE_MBYTES").value(p.config.cmaSizeMbytes);
    w.key("CMA_ALIGNMENT").value(p.config.cmaAlignment);
    w.key("DMA_RESTRICTED_POOL").value(p.config.restrictedPool);
    w.key("DMA_GLOBAL_POOL").value(p.config.dmaGlobalPool);
    w.key("DMA_DECLARE_COHERENT").value(p.config.dmaDeclareCoherent);
    w.key("HUGETLB_PAGE").value(p.config.hugetlb);
    w.key("TRANSPARENT_HUGEPAGE").value(p.config.thp);
    w.key("ARCH_FORCE_MAX_ORDER");
    p.config.forceMaxOrder ? w.value(p.config.forceMaxOrder) : w.null();
    w.key("NUMA").value(p.config.numa);
    if (p.arch == Arch::Arm)
        w.key("ARM_LPAE").value(p.config.lpae);
    w.endObject();
    w.key("cmdline");
    p.cmdline ? w.value(*p.cmdline) : w.null();
    // An early reservation and a bootloader placement start alike: name, base, size.
    const auto range = [&w](const QString& name, const AddrRange& r) {
        w.beginObject();
        w.key("name").value(name);
        w.key("base").hex(r.base);
        w.key("size").hex(r.size);
    };
    w.key("early_reservations").beginArray();
    for (const auto& e : p.early) {
        range(e.name, e.range);
        w.endObject();
    }
    w.endArray();
    // Only when set, so that the reports of plain DT boots stay as they were.
    if (p.efi()) {
        w.key("boot").value(QStringLiteral("efi"));
        w.key("efi_map_entries").value(int(p.efiMap.size()));
    }
    if (!p.loads.empty()) {
        w.key("loads").beginArray();
        for (const auto& l : p.loads) {
            range(l.name, l.range);
            w.key("variable").value(l.variable);
            w.key("from").value(l.origin);
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
}

void writeRegionJson(JsonWriter& w, const Layout& L, const BootResult* boot, size_t i)
{
    const Region& r = L.regions[i];
    const RegionPlace P = placeOf(L, boot, int(i));
    w.beginObject();
    w.key("name").value(r.name);
    w.key("path").value(r.path);
    w.key("labels").value(r.labels);
    w.key("placement").value(placementName(r.placement));
    w.key("base");
    P.base ? w.hex(*P.base) : w.null();
    w.key("size");
    if (P.base) // what the kernel uses (placed, or truncated to phys_addr_t)
        w.hex(P.size);
    else if (r.placement == Placement::Static && !r.reg.empty())
        w.hex(r.reg.front().size);
    else if (r.size)
        w.hex(*r.size);
    else
        w.null();
    if (r.placement == Placement::Static) {
        w.key("reg");
        writeRanges(w, r.reg);
    }
    if (r.size && r.placement == Placement::Static) {
        w.key("size_property").hex(*r.size);
    }
    w.key("alignment");
    r.alignment ? w.hex(*r.alignment) : w.null();
    if (!r.allocRanges.empty()) {
        w.key("alloc_ranges");
        writeRanges(w, r.allocRanges);
    }
    w.key("compatible").value(r.compatible);
    w.key("no_map").value(r.noMap);
    w.key("reusable").value(r.reusable);
    w.key("cma_default").value(r.cmaDefault);
    w.key("dma_default").value(r.dmaDefault);
    w.key("status").value(r.status.isNull() ? QStringLiteral("okay") : r.status);
    w.key("kind").value(kindName(r.kind));
    w.key("outcome").value(outcomeName(P.outcome));
    if (boot && i < boot->regions.size()) {
        const RegionBoot& b = boot->regions[i];
        w.key("init");
        b.init.isEmpty() ? w.null() : w.value(b.init);
        w.key("kernel_messages").value(b.kernelMessages);
    }
    if (!r.iommuAddresses.empty()) {
        w.key("iommu_addresses").beginArray();
        for (const IommuAddress& a : r.iommuAddresses) {
            w.beginObject();
            w.key("device").value(a.device);
            w.key("identity").value(iommuIdentity(r, a));
            w.key("iova");
            writeRanges(w, { a.iova });
            w.endObject();
        }
        w.endArray();
    }
    w.key("phandle");
    r.phandle ? w.value(int64_t(r.phandle)) : w.null();
    const QStringList malformed = [&] {
        QStringList m;
        if (r.regMalformed)
            m << QStringLiteral("reg");
        if (r.sizeMalformed)
            m << QStringLiteral("size");
        if (r.alignmentMalformed)
            m << QStringLiteral("alignment");
        if (r.allocRangesMalformed)
            m << QStringLiteral("alloc-ranges");
        return m;
    }();
    if (!malformed.isEmpty()) {
        w.key("malformed").value(malformed);
    }
    w.key("source");
    writeSource(w, r.source);
    if (!r.overrides.empty()) {
        w.key("overrides").beginArray();
        for (const auto& o : r.overrides)
            writeSource(w, o);
        w.endArray();
    }
    w.key("property_sources").beginObject();
    for (const auto& [name, src] : r.propertySources) {
        w.key(name.toUtf8().constData());
        writeSource(w, src);
    }
    w.endObject();
    w.endObject();
}

void writeOverlaysJson(JsonWriter& w, const Layout& L)
{
    if (L.overlays.empty())
        return;
    w.key("overlays").beginArray();
    int order = 0;
    for (const LayoutOverlay& o : L.overlays) {
        w.beginObject();
        w.key("file").value(o.file);
        w.key("runtime").value(o.runtime);
        w.key("order").value(++order);
        for (const auto& [key, paths] :
            { std::pair { "regions_added", &o.regionsAdded }, { "regions_changed", &o.regionsChanged } })
            w.key(key).value(*paths);
        for (const auto& [key, count] : { std::pair { "nodes_added", o.nodesAdded }, { "values_set", o.valuesSet } })
            w.key(key).value(count);
        w.endObject();
    }
    w.endArray();
}

QString overlaysText(const Layout& L)
{
    QString out;
    int order = 0;
    for (const LayoutOverlay& o : L.overlays) {
        QStringList did;
        if (!o.regionsAdded.isEmpty())
            did << QStringLiteral("adds ") + o.regionsAdded.join(QStringLiteral(", "));
        if (!o.regionsChanged.isEmpty())
            did << QStringLiteral("changes ") + o.regionsChanged.join(QStringLiteral(", "));
        did << QStringLiteral("%1 node(s) added, %2 value(s) set").arg(o.nodesAdded).arg(o.valuesSet);
        out += QStringLiteral("Overlay %1: %2 (%3): %4\n")
                   .arg(++order)
                   .arg(o.file,
                       o.runtime ? QStringLiteral("applied at run time: nothing it adds is reserved")
                                 : QStringLiteral("applied before boot"),
                       did.join(QStringLiteral("; ")));
    }
    return out;
}

QByteArray layoutToJson(const Layout& L, const KernelProfile& profile, const BootResult* boot)
{
    JsonWriter w;
    w.beginObject();
    w.key("file").value(L.file);
    w.key("input").value(L.fromDtb ? "dtb" : "dts");
    writeOverlaysJson(w, L);
    w.key("profile");
    writeProfileJson(w, profile);
    w.key("root").beginObject();
    w.key("address_cells").value(L.rootAddressCells);
    w.key("size_cells").value(L.rootSizeCells);
    w.key("address_cells_present").value(L.rootAddressCellsPresent);
    w.key("size_cells_present").value(L.rootSizeCellsPresent);
    w.endObject();

    w.key("memory").beginArray();
    for (const auto& b : L.memory) {
        w.beginObject();
        w.key("node").value(b.node);
        w.key("base").hex(b.range.base);
        w.key("size").hex(b.range.size);
        if (b.fromUsableMemory)
            w.key("usable_memory").value(true);
        w.key("source");
        writeSource(w, b.source);
        w.endObject();
    }
    w.endArray();
    w.key("memory_total").hex(L.memoryTotal());

    w.key("memreserve").beginArray();
    for (const auto& m : L.memreserve) {
        w.beginObject();
        w.key("base").hex(m.range.base);
        w.key("size").hex(m.range.size);
        w.key("source");
        writeSource(w, m.source);
        w.endObject();
    }
    w.endArray();

    w.key("reserved_memory");
    if (!L.container.present) {
        w.null();
    } else {
        w.beginObject();
        w.key("path").value(L.container.path);
        w.key("address_cells");
        L.container.addressCells >= 0 ? w.value(L.container.addressCells) : w.null();
        w.key("size_cells");
        L.container.sizeCells >= 0 ? w.value(L.container.sizeCells) : w.null();
        w.key("ranges").value(L.container.hasRanges);
        w.key("ranges_empty").value(L.container.rangesEmpty);
        w.key("source");
        writeSource(w, L.container.source);
        w.endObject();
    }

    w.key("regions").beginArray();
    for (size_t i = 0; i < L.regions.size(); ++i)
        writeRegionJson(w, L, boot, i);
    w.endArray();

    if (boot) {
        const DefaultCma& d = boot->defaultCma;
        w.key("default_cma").beginObject();
        static const char* sources[] = { "none", "dt", "cmdline", "kconfig" };
        w.key("source").value(sources[int(d.source)]);
        w.key("region");
        d.region >= 0 ? w.value(L.regions[size_t(d.region)].path) : w.null();
        w.key("base");
        d.base && !d.failed ? w.hex(*d.base) : w.null();
        w.key("size").hex(d.size);
        w.key("failed").value(d.failed);
        w.key("base_predictable").value(d.basePredictable);
        w.key("heaps").beginArray();
        for (const QString& h : defaultCmaHeapNames(L, *boot))
            w.value(h);
        w.endArray();
        w.endObject();
        writeCmdlineAreasJson(w, *boot);
        w.key("allocation_order").beginArray();
        for (int i : boot->allocationOrder)
            w.value(L.regions[size_t(i)].path);
        w.endArray();
    }

    w.key("consumers").beginArray();
    for (const auto& c : L.consumers) {
        w.beginObject();
        w.key("device").value(c.device);
        w.key("region");
        c.region >= 0 ? w.value(L.regions[size_t(c.region)].path) : w.null();
        w.key("index").value(c.index);
        w.key("name");
        c.name.isNull() ? w.null() : w.value(c.name);
        w.key("device_status").value(c.deviceStatus.isNull() ? QStringLiteral("okay") : c.deviceStatus);
        w.key("device_enabled").value(c.deviceEnabled);
        w.key("phandle").value(int64_t(c.phandle));
        w.key("target");
        c.target.isEmpty() ? w.null() : w.value(c.target);
        w.key("source");
        writeSource(w, c.source);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.result();
}

QString layoutToText(const Layout& L, const KernelProfile& profile, const BootResult* boot)
{
    QString out;
    QTextStream ts(&out);
    ts << "Board: " << L.file << (L.fromDtb ? "  (device tree blob: no source positions)" : "") << "\n";
    ts << overlaysText(L);
    ts << "Kernel profile: " << profile.name << " (era " << eraName(profile.era()) << ", CMA minimum alignment "
       << formatSize(profile.cmaMinAlignment()) << ")\n";
    if (profile.efi())
        ts << "Boot: EFI: the stub deletes /memreserve/ and the EFI memory map replaces the memory nodes; memory "
           << (profile.efiMap.empty() ? QStringLiteral("from the tree (no --efi-map given)")
                                      : QStringLiteral("from the EFI memory map of %1 (%2 entries)")
                                            .arg(profile.efiMapFile)
                                            .arg(profile.efiMap.size()))
           << "\n";
    for (const auto& l : profile.loads)
        ts << "Bootloader: " << l.name << " at " << toHex(l.range.base) << " .. " << toHex(l.range.end()) << " ("
           << l.variable << ", " << l.origin << (profile.efi() ? "; not reserved on an EFI boot" : "") << ")\n";
    ts << "Root cells: #address-cells = " << L.rootAddressCells
       << (L.rootAddressCellsPresent ? "" : " (missing, kernel default)") << ", #size-cells = " << L.rootSizeCells
       << (L.rootSizeCellsPresent ? "" : " (missing, kernel default)") << "\n\n";

    ts << "Memory: " << L.memory.size() << (L.memory.size() == 1 ? " bank, " : " banks, ")
       << formatSize(L.memoryTotal()) << "\n";
    for (const auto& b : L.memory) {
        ts << QStringLiteral("  %1 .. %2  %3  %4%5  %6\n")
                  .arg(toHex(b.range.base), 12)
                  .arg(toHex(b.range.end()), -12)
                  .arg(formatSize(b.range.size), 10)
                  .arg(b.node)
                  .arg(b.fromUsableMemory ? QStringLiteral(" (linux,usable-memory)") : QString())
                  .arg(sourceText(b.source));
    }
    for (const auto& b : L.ignoredMemory)
        ts << "  ignored: " << b.node << " " << toHex(b.range.base) << " +" << toHex(b.range.size) << "\n";

    if (!L.memreserve.empty()) {
        ts << "\n/memreserve/: " << L.memreserve.size() << "\n";
        for (const auto& m : L.memreserve) {
            ts << QStringLiteral("  %1 .. %2  %3  %4\n")
                      .arg(toHex(m.range.base), 12)
                      .arg(toHex(m.range.end()), -12)
                      .arg(formatSize(m.range.size), 10)
                      .arg(sourceText(m.source));
        }
    }

    ts << "\n";
    if (!L.container.present) {
        ts << "No /reserved-memory node.\n";
        return out;
    }
    ts << L.container.path << ": #address-cells = "
       << (L.container.addressCells >= 0 ? QString::number(L.container.addressCells) : QStringLiteral("missing"))
       << ", #size-cells = "
       << (L.container.sizeCells >= 0 ? QString::number(L.container.sizeCells) : QStringLiteral("missing"))
       << (L.container.hasRanges ? (L.container.rangesEmpty ? ", ranges" : ", ranges (not empty)") : ", no ranges")
       << "  " << sourceText(L.container.source) << "\n";

    // Static regions by base, then dynamic ones (base unknown until the boot model places them).
    std::vector<size_t> order(L.regions.size());
    std::vector<RegionPlace> places(L.regions.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
        places[i] = placeOf(L, boot, int(i));
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const auto& ra = places[a];
        const auto& rb = places[b];
        if (ra.base.has_value() != rb.base.has_value())
            return ra.base.has_value();
        return ra.base.value_or(0) < rb.base.value_or(0);
    });

    // Memory the regions hold: enabled regions with a known place, overlaps counted once.
    std::vector<AddrRange> held;
    int unplaced = 0;
    for (size_t i = 0; i < L.regions.size(); ++i) {
        const Region& r = L.regions[i];
        const RegionPlace& P = places[i];
        if (!r.enabled || P.outcome == Outcome::Ignored || P.outcome == Outcome::AllocFailed)
            continue;
        if (P.base)
            held.push_back({ *P.base, P.size });
        else if (r.placement == Placement::Dynamic)
            ++unplaced;
    }
    std::sort(held.begin(), held.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    uint64_t total = 0, reach = 0;
    for (const auto& h : held) {
        const uint64_t from = std::max(h.base, reach);
        if (h.end() > from)
            total += h.end() - from;
        reach = std::max(reach, h.end());
    }
    ts << "Regions: " << L.regions.size() << ", holding " << formatSize(total)
       << (unplaced ? QStringLiteral(" plus %1 dynamic region(s) not yet placed").arg(unplaced) : QString())
       << " (disabled regions left out, overlaps counted once)\n";
    if (L.regions.empty())
        return out;
    ts << QStringLiteral("  %1  %2  %3  %4  %5  %6  %7\n")
              .arg(QStringLiteral("BASE"), 12)
              .arg(QStringLiteral("END (excl.)"), -12)
              .arg(QStringLiteral("SIZE"), 10)
              .arg(QStringLiteral("NAME"), -28)
              .arg(QStringLiteral("KIND"), -10)
              .arg(QStringLiteral("OUTCOME"), -8)
              .arg(QStringLiteral("FLAGS / SOURCE"));
    for (size_t i : order) {
        const Region& r = L.regions[i];
        const RegionPlace& P = places[i];
        const QString base = P.base ? toHex(*P.base) : QStringLiteral("(dynamic)");
        const QString end = P.base ? toHex(P.end()) : QStringLiteral("");
        const QString size = (r.placement == Placement::None || (r.placement == Placement::Dynamic && !r.size))
            ? QStringLiteral("?")
            : formatSize(P.size);
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        ts << QStringLiteral("  %1  %2  %3  %4  %5  %6  %7  %8\n")
                  .arg(base, 12)
                  .arg(end, -12)
                  .arg(size, 10)
                  .arg(r.name, -28)
                  .arg(kindName(r.kind), -10)
                  .arg(outcomeName(P.outcome), -8)
                  .arg(flags.join(QLatin1Char(' ')))
                  .arg(regionSourceText(r));
        if (!r.labels.isEmpty())
            ts << QString(56, QLatin1Char(' ')) << "label: " << r.labels.join(QStringLiteral(", ")) << "\n";
        if (r.placement == Placement::Dynamic) {
            QStringList extra;
            if (r.alignment)
                extra << QStringLiteral("alignment %1").arg(toHex(*r.alignment));
            for (const auto& a : r.allocRanges)
                extra << QStringLiteral("alloc-range [%1, %2)").arg(toHex(a.base), toHex(a.end()));
            if (!extra.isEmpty())
                ts << QString(56, QLatin1Char(' ')) << extra.join(QStringLiteral(", ")) << "\n";
        }
        if (!r.compatible.isEmpty())
            ts << QString(56, QLatin1Char(' ')) << "compatible: " << r.compatible.join(QStringLiteral(", ")) << "\n";
        for (const IommuAddress& a : r.iommuAddresses)
            ts << QString(56, QLatin1Char(' ')) << "iommu-addresses: " << a.device << " IOVA [" << toHex(a.iova.base)
               << ", " << toHex(a.iova.end()) << ") "
               << (iommuIdentity(r, a) ? "mapped 1:1 (IOMMU_RESV_DIRECT)" : "reserved only, not mapped") << "\n";
        for (const auto& c : L.consumers) {
            if (c.region != int(i))
                continue;
            ts << QString(56, QLatin1Char(' ')) << "used by " << c.device;
            if (!c.name.isEmpty())
                ts << " as \"" << c.name << "\"";
            else
                ts << " [" << c.index << "]";
            if (!c.deviceEnabled)
                ts << " (device " << c.deviceStatus << ")";
            ts << "\n";
        }
    }

    if (boot) {
        ts << "\nDefault CMA area: " << defaultCmaText(boot->defaultCma, L) << "\n";
        if (const QStringList heaps = defaultCmaHeapNames(L, *boot); !heaps.isEmpty())
            ts << "Its dma-buf heap(s) with CONFIG_DMABUF_HEAPS_CMA: /dev/dma_heap/"
               << heaps.join(QStringLiteral(", /dev/dma_heap/")) << "\n";
        for (const CmdlineArea& a : boot->cmdlineAreas)
            ts << "Command line: " << cmdlineAreaText(a) << "\n";
        if (!boot->allocationOrder.empty()) {
            QStringList names;
            for (int i : boot->allocationOrder)
                names << L.regions[size_t(i)].name;
            ts << "Dynamic allocation order: " << names.join(QStringLiteral(", ")) << "\n";
        }
    }

    int dangling = 0;
    for (const auto& c : L.consumers)
        dangling += c.region < 0;
    if (dangling > 0) {
        ts << "\nmemory-region entries that do not point at a /reserved-memory child: " << dangling << "\n";
        for (const auto& c : L.consumers) {
            if (c.region >= 0)
                continue;
            ts << "  " << c.device << " [" << c.index << "] -> "
               << (c.target.isEmpty() ? QStringLiteral("phandle %1 (no such node)").arg(c.phandle) : c.target) << "  "
               << sourceText(c.source) << "\n";
        }
    }
    return out;
}

} // namespace carveout
