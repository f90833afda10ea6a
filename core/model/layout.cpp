// SPDX-License-Identifier: GPL-2.0-only
#include "layout.h"

// core
#include "model/devicetree.h"
#include "model/sourcelocation.h"
#include "source/loader.h"

// std
#include <algorithm>

namespace carveout {

std::vector<AddrRange> mergedRanges(std::vector<AddrRange> v)
{
    std::sort(v.begin(), v.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    std::vector<AddrRange> out;
    for (const auto& r : v) {
        if (!out.empty() && r.base <= out.back().end()) {
            const uint64_t end = std::max(out.back().end(), r.end());
            out.back().size = end - out.back().base;
        } else {
            out.push_back(r);
        }
    }
    return out;
}

QString placementName(Placement p)
{
    switch (p) {
    case Placement::Static:
        return QStringLiteral("static");
    case Placement::Dynamic:
        return QStringLiteral("dynamic");
    case Placement::None:
        break;
    }
    return QStringLiteral("none");
}

QString kindName(RegionKind k)
{
    switch (k) {
    case RegionKind::Cma:
        return QStringLiteral("cma");
    case RegionKind::Coherent:
        return QStringLiteral("coherent");
    case RegionKind::Restricted:
        return QStringLiteral("restricted");
    case RegionKind::Reserved:
        break;
    }
    return QStringLiteral("reserved");
}

QString outcomeName(Outcome o)
{
    switch (o) {
    case Outcome::Active:
        return QStringLiteral("active");
    case Outcome::Freed:
        return QStringLiteral("freed");
    case Outcome::ReserveFailed:
        return QStringLiteral("reserve-failed");
    case Outcome::AllocFailed:
        return QStringLiteral("alloc-failed");
    case Outcome::Ignored:
        return QStringLiteral("ignored");
    case Outcome::Disabled:
        return QStringLiteral("disabled");
    case Outcome::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

uint64_t Layout::memoryTotal() const
{
    uint64_t total = 0;
    for (const auto& b : memory)
        total += b.range.size;
    return total;
}

int Layout::findRegion(const QString& path) const
{
    for (size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].path == path)
            return int(i);
    }
    return -1;
}

SourceRef sourceRef(const DeviceTree& tree, const SourceSpan& span)
{
    SourceRef r;
    if (span.isValid()) {
        r.file = displayFile(tree, span);
        r.line = span.line;
        r.column = span.column;
    }
    return r;
}

std::vector<AddrRange> dmaReach(const std::vector<DmaWindow>& windows)
{
    std::vector<AddrRange> out;
    for (const DmaWindow& w : windows)
        out.push_back({ w.cpu, w.size });
    return mergedRanges(std::move(out));
}

std::vector<AddrRange> rangesOutside(const std::vector<AddrRange>& cover, const AddrRange& r)
{
    std::vector<AddrRange> out;
    uint64_t at = r.base;
    const uint64_t end = r.end();
    for (const AddrRange& c : cover) {
        if (c.end() <= at || c.base >= end)
            continue;
        if (c.base > at)
            out.push_back({ at, c.base - at });
        at = std::max(at, c.end());
    }
    if (at < end)
        out.push_back({ at, end - at });
    return out;
}

namespace {

class Reader
{
public:
    explicit Reader(const LoadedTree& loaded)
        : m_tree(loaded.tree)
    {
    }

    SourceRef ref(const SourceSpan& span) const { return sourceRef(m_tree, span); }

    SourceRef propRef(const DtNode& n, const char* name) const
    {
        const auto* p = n.property(name);
        return p ? ref(p->span) : SourceRef {};
    }

    SourceRef nodeRef(const DtNode& n) const { return n.spans.empty() ? SourceRef {} : ref(n.spans.front()); }

    /** A u32 cell property, or -1 when missing or not exactly one cell. */
    static int cellProp(const DtNode& n, const char* name)
    {
        const auto* p = n.property(name);
        if (!p || p->value.size() != 4)
            return -1;
        const uint32_t v = cells::at(p->value, 0);
        return v > 1024 ? 1024 : int(v);
    }

    static bool statusOkay(const DtNode& n, QString* status)
    {
        const auto* p = n.property("status");
        if (!p)
            return true;
        const QStringList s = cells::strings(p->value);
        // Present but empty stays a non-null empty string: absent (null) means okay.
        *status = s.isEmpty() ? QStringLiteral("") : s.front();
        // of_fdt_device_is_available: "okay" or "ok" (compared with the terminating NUL).
        return *status == QLatin1String("okay") || *status == QLatin1String("ok");
    }

    /** Whole (ac + sc) tuples; `malformed` when bytes are left over. Cell counts of 0 or more
     *  than the value holds are handled like the kernel's of_read_number (low 64 bits). */
    /** of_n_addr_cells / of_n_size_cells of a node: the nearest ancestor's value, else 1. */
    int ownCells(int node, const char* name) const
    {
        for (int p = m_tree.node(node).parent; p >= 0; p = m_tree.node(p).parent) {
            const int v = cellProp(m_tree.node(p), name);
            if (v >= 0)
                return v;
        }
        return 1;
    }

    /** `iommu-addresses` as the binding lays it out: <&device iova size> with the device's own
     *  cell counts, one entry after the other. */
    void iommuAddresses(const QByteArray& v, Region* r) const
    {
        const int n = cells::count(v);
        r->iommuAddressesMalformed = (v.size() % 4) != 0;
        for (int i = 0; i < n;) {
            IommuAddress a;
            a.phandle = cells::at(v, i++);
            a.deviceNode = m_tree.findPhandle(a.phandle);
            if (a.deviceNode < 0) {
                r->iommuAddressesMalformed = true;
                return;
            }
            const int ac = std::min(ownCells(a.deviceNode, "#address-cells"), 4);
            const int sc = std::min(ownCells(a.deviceNode, "#size-cells"), 4);
            if (i + ac + sc > n) {
                r->iommuAddressesMalformed = true;
                return;
            }
            a.device = m_tree.path(a.deviceNode);
            a.iova.base = cells::readNumber(v, i, ac);
            a.iova.size = cells::readNumber(v, i + ac, sc);
            i += ac + sc;
            r->iommuAddresses.push_back(a);
        }
    }

    static std::vector<AddrRange> tuples(const QByteArray& v, int ac, int sc, bool* malformed)
    {
        std::vector<AddrRange> out;
        const int per = ac + sc;
        if (per <= 0) {
            *malformed = !v.isEmpty();
            return out;
        }
        const int n = cells::count(v);
        *malformed = (v.size() % (per * 4)) != 0;
        for (int i = 0; i + per <= n; i += per) {
            AddrRange r;
            r.base = cells::readNumber(v, i, ac);
            r.size = cells::readNumber(v, i + ac, sc);
            out.push_back(r);
        }
        return out;
    }

    const DeviceTree& m_tree;
};

/** Layout::overlays: per overlay, the regions it added or changed and how many values it set. */
void listOverlays(const DeviceTree& tree, Layout* L)
{
    for (const AppliedOverlay& ov : tree.overlays())
        L->overlays.push_back({ displayPath(ov.file), ov.runtime, {}, {}, 0, 0 });
    const auto at = [&](int i) { return i >= 0 && size_t(i) < L->overlays.size() ? &L->overlays[size_t(i)] : nullptr; };
    for (int i = 0; i < tree.nodeCount(); ++i) {
        const DtNode& n = tree.node(i);
        if (n.deleted)
            continue;
        if (LayoutOverlay* o = at(n.overlay))
            ++o->nodesAdded;
        for (const DtProperty& p : n.properties)
            if (LayoutOverlay* o = at(p.overlay))
                ++o->valuesSet;
    }
    for (const Region& r : L->regions) {
        if (LayoutOverlay* o = at(r.overlay)) {
            o->regionsAdded << r.path;
            continue;
        }
        for (const DtProperty& p : tree.node(r.node).properties)
            if (LayoutOverlay* o = at(p.overlay); o && !o->regionsChanged.contains(r.path))
                o->regionsChanged << r.path;
    }
}

} // namespace

Layout buildLayout(const LoadedTree& loaded)
{
    Layout L;
    L.file = loaded.file;
    L.fromDtb = loaded.fromDtb;
    const DeviceTree& tree = loaded.tree;
    const Reader rd(loaded);
    const DtNode& root = tree.root();

    // Root cells as early_init_dt_scan_root() reads them: OF_ROOT_NODE_*_CELLS_DEFAULT = 1.
    const int ac = Reader::cellProp(root, "#address-cells");
    const int sc = Reader::cellProp(root, "#size-cells");
    L.rootAddressCellsPresent = ac >= 0;
    L.rootSizeCellsPresent = sc >= 0;
    L.rootAddressCells = ac >= 0 ? ac : 1;
    L.rootSizeCells = sc >= 0 ? sc : 1;

    // Memory banks: direct children of / with device_type = "memory" (early_init_dt_scan_memory).
    for (int c : root.children) {
        const DtNode& n = tree.node(c);
        if (n.deleted)
            continue;
        const auto* dt = n.property("device_type");
        if (!dt || cells::strings(dt->value).value(0) != QLatin1String("memory"))
            continue;
        QString status;
        const bool enabled = Reader::statusOkay(n, &status);
        const auto* usable = n.property("linux,usable-memory");
        const auto* reg = usable ? usable : n.property("reg");
        if (!reg)
            continue;
        bool malformed = false;
        const auto ranges = Reader::tuples(reg->value, L.rootAddressCells, L.rootSizeCells, &malformed);
        for (const auto& r : ranges) {
            MemoryBank b;
            b.node = tree.path(c);
            b.range = r;
            b.fromUsableMemory = usable != nullptr;
            b.source = rd.ref(reg->span);
            (enabled && r.size != 0 ? L.memory : L.ignoredMemory).push_back(b);
        }
    }

    for (const auto& e : tree.memReserve()) {
        MemReserve m;
        m.range = { e.base, e.size };
        m.source = rd.ref(e.span);
        L.memreserve.push_back(m);
    }

    if (const int chosen = tree.child(0, "chosen"); chosen >= 0) {
        if (const auto* p = tree.node(chosen).property("bootargs"))
            L.bootargs = cells::strings(p->value).value(0);
    }

    // The container as fdt_path_offset("/reserved-memory") finds it: libfdt's name match also
    // accepts "reserved-memory@unit", and the first match in tree order wins.
    int container = -1;
    for (int c : root.children) {
        if (tree.node(c).deleted)
            continue;
        const QByteArray& n = tree.node(c).name;
        if (n == "reserved-memory" || n.startsWith("reserved-memory@")) {
            container = c;
            break;
        }
    }
    std::map<int, int> regionByNode;
    if (container >= 0) {
        const DtNode& cn = tree.node(container);
        L.container.present = true;
        L.container.path = tree.path(container);
        L.container.addressCells = Reader::cellProp(cn, "#address-cells");
        L.container.sizeCells = Reader::cellProp(cn, "#size-cells");
        const auto* ranges = cn.property("ranges");
        L.container.hasRanges = ranges != nullptr;
        L.container.rangesEmpty = !ranges || ranges->value.isEmpty();
        L.container.source = rd.nodeRef(cn);
        for (const char* p : { "#address-cells", "#size-cells", "ranges" }) {
            const SourceRef r = rd.propRef(cn, p);
            if (r.isValid())
                L.container.propertySources[QString::fromLatin1(p)] = r;
        }

        for (int c : cn.children) {
            const DtNode& n = tree.node(c);
            if (n.deleted)
                continue;
            Region r;
            r.node = c;
            r.name = QString::fromUtf8(n.name);
            r.path = tree.path(c);
            for (const auto& l : n.labels)
                r.labels.append(QString::fromUtf8(l));
            for (const char* ph : { "phandle", "linux,phandle" }) {
                const auto* p = n.property(ph);
                if (p && p->value.size() == 4 && r.phandle == 0)
                    r.phandle = cells::at(p->value, 0);
            }
            if (const auto* p = n.property("reg")) {
                r.reg = Reader::tuples(p->value, L.rootAddressCells, L.rootSizeCells, &r.regMalformed);
                r.placement = Placement::Static;
            }
            if (const auto* p = n.property("size")) {
                if (p->value.size() == L.rootSizeCells * 4 && L.rootSizeCells > 0)
                    r.size = cells::readNumber(p->value, 0, L.rootSizeCells);
                else
                    r.sizeMalformed = true;
                if (r.placement == Placement::None)
                    r.placement = Placement::Dynamic;
            }
            if (const auto* p = n.property("alignment")) {
                // The kernel reads alignment with #address-cells (the binding says #size-cells;
                // the 6.14 attempt to follow it was reverted).
                if (p->value.size() == L.rootAddressCells * 4 && L.rootAddressCells > 0)
                    r.alignment = cells::readNumber(p->value, 0, L.rootAddressCells);
                else
                    r.alignmentMalformed = true;
            }
            if (const auto* p = n.property("alloc-ranges"))
                r.allocRanges = Reader::tuples(p->value, L.rootAddressCells, L.rootSizeCells, &r.allocRangesMalformed);
            if (const auto* p = n.property("iommu-addresses"))
                rd.iommuAddresses(p->value, &r);
            if (const auto* p = n.property("compatible"))
                r.compatible = cells::strings(p->value);
            r.noMap = n.hasProperty("no-map");
            r.reusable = n.hasProperty("reusable");
            r.cmaDefault = n.hasProperty("linux,cma-default");
            r.dmaDefault = n.hasProperty("linux,dma-default");
            r.enabled = Reader::statusOkay(n, &r.status);
            r.overlay = n.overlay;
            if (const AppliedOverlay* ov = tree.overlayOf(n.overlay))
                r.runtimeOverlay = ov->runtime;
            if (r.compatible.contains(QLatin1String("shared-dma-pool")))
                r.kind = r.reusable ? RegionKind::Cma : RegionKind::Coherent;
            else if (r.compatible.contains(QLatin1String("restricted-dma-pool")))
                r.kind = RegionKind::Restricted;

            if (r.placement == Placement::Static && !r.reg.empty()) {
                r.base = r.reg.front().base;
                r.treeSize = r.reg.front().size;
            } else if (r.placement == Placement::Dynamic && r.size) {
                r.treeSize = *r.size;
            }
            r.source = rd.nodeRef(n);
            for (size_t i = 1; i < n.spans.size(); ++i)
                r.overrides.push_back(rd.ref(n.spans[i]));
            for (const auto& p : n.properties) {
                const SourceRef s = rd.ref(p.span);
                if (s.isValid())
                    r.propertySources[QString::fromUtf8(p.name)] = s;
            }
            regionByNode[c] = int(L.regions.size());
            L.regions.push_back(std::move(r));
        }
    }

    // Consumers: every memory-region entry in the tree.
    for (int i = 0; i < tree.nodeCount(); ++i) {
        const DtNode& n = tree.node(i);
        if (n.deleted)
            continue;
        const auto* mr = n.property("memory-region");
        if (!mr)
            continue;
        QStringList names;
        if (const auto* p = n.property("memory-region-names"))
            names = cells::strings(p->value);
        QString status;
        const bool enabled = Reader::statusOkay(n, &status);
        const QString devicePath = tree.path(i);
        const SourceRef src = rd.ref(mr->span);
        const bool iommu = behindIommu(tree, i);
        bool restrictedSeen = false;
        const DeviceDma dma = deviceDma(tree, i);
        const QString dmaBus = dma.restricted() ? tree.path(dma.busNode) : QString();
        const SourceRef dmaSource = dma.restricted() ? rd.propRef(tree.node(dma.busNode), "dma-ranges") : SourceRef {};
        for (int k = 0; k < cells::count(mr->value); ++k) {
            Consumer c;
            c.device = devicePath;
            c.deviceNode = i;
            c.deviceStatus = status;
            c.deviceEnabled = enabled;
            c.index = k;
            if (k < names.size())
                c.name = names.at(k).isNull() ? QStringLiteral("") : names.at(k);
            c.phandle = cells::at(mr->value, k);
            const int target = tree.findPhandle(c.phandle);
            if (target >= 0) {
                c.target = tree.path(target);
                const auto it = regionByNode.find(target);
                if (it != regionByNode.end())
                    c.region = it->second;
            }
            c.source = src;
            c.behindIommu = iommu;
            if (!restrictedSeen && c.region >= 0) {
                const Region& r = L.regions[size_t(c.region)];
                restrictedSeen = c.firstRestricted
                    = r.compatible.contains(QLatin1String("restricted-dma-pool")) && r.enabled;
            }
            c.dmaBus = dmaBus;
            c.dmaSource = dmaSource;
            c.dmaWindows = dma.windows;
            L.consumers.push_back(std::move(c));
        }
    }
    const DmaMaxCpu maxCpu = dmaMaxCpuAddress(tree);
    L.dmaMaxCpu = maxCpu.maxCpu;
    if (maxCpu.node >= 0) {
        L.dmaMaxCpuNode = tree.path(maxCpu.node);
        L.dmaMaxCpuSource = rd.propRef(tree.node(maxCpu.node), "dma-ranges");
    }
    listOverlays(tree, &L);
    return L;
}

} // namespace carveout
