// SPDX-License-Identifier: GPL-2.0-only
#include "sim/simulator.h"

// core
#include "model/devicetree.h"
#include "model/units.h"
#include "source/loader.h"

// std
#include <algorithm>
#include <cmath>
#include <tuple>
#include <variant>

namespace carveout::sim {

namespace {

uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

/** The busy ranges that overlap [base, base + size), clipped to it. */
std::vector<BusyRange> busyIn(const std::vector<BusyRange>& all, uint64_t base, uint64_t size)
{
    std::vector<BusyRange> in;
    for (const BusyRange& b : all) {
        const uint64_t from = std::max(b.base, base), to = std::min(b.base + b.size, base + size);
        if (from < to)
            in.push_back({ from, to - from, b.from, b.to });
    }
    return in;
}

/** What the op asks of a pool: filled by routing, used by the pool run. */
enum class Path : uint8_t { Coherent, Restricted, CmaDma, CmaDirect, None };

} // namespace

QString failureText(const OpResult& r, const SimPool* pool, uint64_t size, uint64_t pageSize, uint64_t buddyMax)
{
    const QString where = pool ? pool->path : QStringLiteral("the pool");
    // What the pool had to find: whole pages, and a power-of-two block in a coherent pool.
    const uint64_t asked = size;
    size = (size + pageSize - 1) / pageSize * pageSize;
    if (pool && pool->kind == RegionKind::Coherent)
        size = pageSize << getOrder(size, pageSize);
    const QString rounded = size != asked ? QStringLiteral(" (%1 rounded up)").arg(formatSize(asked)) : QString();
    QString why;
    switch (r.why) {
    case AllocFailure::NoArea:
        why = QStringLiteral("%1 has no usable pages").arg(where);
        break;
    case AllocFailure::ZeroCount:
        why = QStringLiteral("a request of zero pages");
        break;
    case AllocFailure::LargerThanPool:
        why = QStringLiteral("%1 is larger than all of %2").arg(formatSize(size), where);
        break;
    case AllocFailure::NotEnoughFree:
        why = QStringLiteral("%1 has less than %2%3 free").arg(where, formatSize(size), rounded);
        break;
    case AllocFailure::NoFit:
        why = QStringLiteral("%1 has no free, suitably aligned run of %2%3 (fragmented)")
                  .arg(where, formatSize(size), rounded);
        break;
    case AllocFailure::SwiotlbTooLarge:
        why = QStringLiteral("%1 is more than a restricted pool hands out at once (128 slots of 2 KiB = 256 KiB)")
                  .arg(formatSize(size));
        break;
    case AllocFailure::Busy:
        why = QStringLiteral("every free, suitably aligned run of %1%2 in %3 holds busy pages (pinned or unmovable: "
                             "alloc_contig_range returned -EBUSY %4 time(s))")
                  .arg(formatSize(size), rounded, where)
                  .arg(r.busyRetries);
        break;
    case AllocFailure::None:
        break;
    }
    if (r.outcome == OpOutcome::Fallback)
        return why + QStringLiteral("; dma-direct falls back to the page allocator: the buffer lies outside the pool");
    if (r.outcome == OpOutcome::Failed && why.isEmpty())
        return QStringLiteral("the page allocator cannot give %1 contiguous (more than PAGE_SIZE << MAX_ORDER = %2)")
            .arg(formatSize(asked), formatSize(buddyMax));
    return why;
}

struct Simulator::PoolState
{
    std::variant<std::monostate, CmaArea, CoherentPool, RestrictedPool> a;
};

Simulator::Simulator(Workload workload, SimOptions options)
    : m_workload(std::move(workload))
    , m_options(options)
{
}

void Simulator::route(const LoadedTree& tree, const Layout& layout, const BootResult& boot)
{
    SimResult& R = m_result;
    R.pools.clear();
    R.routes.clear();
    R.notes.clear();
    R.error.clear();
    m_profile = boot.profile;
    R.pageSize = m_profile.pageSize;

    // Pools: regions the kernel initialised, then a default area made without DT.
    for (size_t i = 0; i < layout.regions.size() && i < boot.regions.size(); ++i) {
        const Region& r = layout.regions[i];
        const RegionBoot& b = boot.regions[i];
        if (b.outcome != Outcome::Active || !b.base || b.init.isEmpty() || b.initResult != 0)
            continue;
        if (r.kind != RegionKind::Cma && r.kind != RegionKind::Coherent && r.kind != RegionKind::Restricted)
            continue;
        SimPool p;
        p.path = r.path;
        p.kind = r.kind;
        p.region = int(i);
        p.base = *b.base;
        p.size = b.size;
        p.isDefaultCma = boot.defaultCma.source == DefaultCma::Source::DtNode && boot.defaultCma.region == int(i);
        p.basePredictable = !p.isDefaultCma || boot.defaultCma.basePredictable || r.placement == Placement::Static;
        R.pools.push_back(p);
    }
    int defaultCma = -1;
    for (size_t i = 0; i < R.pools.size(); ++i) {
        if (R.pools[i].isDefaultCma)
            defaultCma = int(i);
    }
    const DefaultCma& dc = boot.defaultCma;
    if (defaultCma < 0 && !dc.failed && dc.base && dc.size
        && (dc.source == DefaultCma::Source::Cmdline || dc.source == DefaultCma::Source::Kconfig)) {
        SimPool p;
        p.path = dc.source == DefaultCma::Source::Cmdline ? QStringLiteral("cma=")
                                                          : QStringLiteral("CONFIG_CMA_SIZE_MBYTES");
        p.kind = RegionKind::Cma;
        p.isDefaultCma = true;
        p.basePredictable = dc.basePredictable;
        p.base = *dc.base;
        p.size = dc.size;
        R.pools.push_back(p);
        defaultCma = int(R.pools.size() - 1);
    }
    // The command line's CMA areas (hugetlb_cma=, cma_pernuma=, ...): no device binds them through
    // the tree; their users (hugetlb's alloc_gigantic_folio, ...) call cma_alloc on them directly.
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        if (!a.cma || a.failed || !a.base || !a.size)
            continue;
        SimPool p;
        p.path = a.name;
        p.kind = RegionKind::Cma;
        p.cmdlineArea = true;
        p.orderPerBit = a.orderPerBit;
        p.sizeStep = a.granule;
        p.basePredictable = a.basePredictable;
        p.base = *a.base;
        p.size = a.size;
        R.pools.push_back(p);
    }
    // CONFIG_DMA_GLOBAL_POOL: the last linux,dma-default coherent pool is the global coherent area
    // (rmem_dma_setup, dma_init_reserved_memory), which dma_direct_alloc serves every device without
    // a pool of its own from, with no fallback.
    int globalPool = -1;
    for (size_t i = 0; m_profile.config.dmaGlobalPool && i < R.pools.size(); ++i) {
        const SimPool& p = R.pools[i];
        if (p.kind == RegionKind::Coherent && p.region >= 0 && layout.regions[size_t(p.region)].dmaDefault)
            globalPool = int(i);
    }
    // Pinned pages matter only where the page allocator lends pages: CMA areas.
    size_t busyPlaced = 0;
    for (SimPool& p : R.pools) {
        if (p.kind == RegionKind::Cma)
            p.busy = busyIn(m_workload.busy, p.base, p.size);
        busyPlaced += p.busy.size();
    }
    if (!m_workload.busy.empty() && !busyPlaced)
        R.notes << QStringLiteral(
            "no busy range of the workload lies in a CMA area of this board: they change nothing");
    auto poolOfRegion = [&](int region) {
        for (size_t i = 0; i < R.pools.size(); ++i) {
            if (R.pools[i].region == region)
                return int(i);
        }
        return -1;
    };

    // Devices.
    for (const WorkloadDevice& d : m_workload.devices) {
        DeviceRoute route;
        int node = -1;
        if (d.node.startsWith(QLatin1Char('&'))) {
            node = tree.tree.findLabel(d.node.mid(1).toUtf8());
        } else {
            node = tree.tree.findPath(d.node);
        }
        if (node < 0) {
            R.error = QStringLiteral(
                "workload device '%1': %2 is not a node of %3 (give a node path such as /soc/isp@ac00000 "
                "or a label such as &isp)")
                          .arg(d.name, d.node, layout.file);
            return;
        }
        route.node = tree.tree.path(node);
        if (!d.cmaArea.isEmpty()) {
            for (size_t i = 0; i < R.pools.size() && route.cma < 0; ++i) {
                if (R.pools[i].cmdlineArea && R.pools[i].path == d.cmaArea)
                    route.cma = int(i);
            }
            if (route.cma < 0) {
                QStringList have; // the pools made from the command line's areas above
                for (const SimPool& p : R.pools)
                    if (p.cmdlineArea)
                        have << p.path;
                R.error = QStringLiteral("workload device '%1': cma_area '%2' is not a CMA area this boot made (%3; "
                                         "hugetlb_cma= on the command line makes hugetlb0)")
                              .arg(d.name, d.cmaArea,
                                  have.isEmpty() ? QStringLiteral("the command line makes none")
                                                 : QStringLiteral("it made %1").arg(have.join(QStringLiteral(", "))));
                return;
            }
        }
        route.iommu = d.iommu.value_or(behindIommu(tree.tree, node));
        if (!route.iommu) {
            const DeviceDma dma = deviceDma(tree.tree, node);
            if (dma.restricted())
                route.dma = kernelDmaMap(dma.windows, m_profile.physAddrBits());
        }
        std::vector<const Consumer*> entries;
        for (const Consumer& c : layout.consumers) {
            if (c.device == route.node)
                entries.push_back(&c);
        }
        // of_dma_configure_id calls of_dma_set_restricted_buffer only for a device not behind an
        // IOMMU, which takes the first enabled restricted-dma-pool entry and no other, even when
        // that one fails to attach.
        for (const Consumer* c : entries) {
            if (!c->firstRestricted)
                continue;
            const QString& pool = layout.regions[size_t(c->region)].path;
            if (route.iommu)
                route.notes << QStringLiteral("behind an IOMMU: the kernel attaches no restricted pool, %1 is unused")
                                   .arg(pool);
            else if ((route.restricted = poolOfRegion(c->region)) < 0)
                route.notes << QStringLiteral("its restricted pool %1 is not one the kernel kept, and later "
                                              "memory-region entries are not tried")
                                   .arg(pool);
            break;
        }
        // The driver's of_reserved_mem_device_init_by_idx (or _by_name).
        const Consumer* chosen = nullptr;
        for (const Consumer* c : entries) {
            if (d.memoryRegionName.isEmpty() ? c->index == d.memoryRegion : c->name == d.memoryRegionName)
                chosen = c;
        }
        // A driver asking for an entry the node does not have gets -ENODEV: the workload names
        // something this board does not describe, most likely a typo.
        if (!chosen && (d.memoryRegion != 0 || !d.memoryRegionName.isEmpty())) {
            QStringList have;
            for (const Consumer* c : entries)
                have << (d.memoryRegionName.isEmpty() ? QString::number(c->index) : c->name);
            have.removeAll(QString());
            const QString asked = d.memoryRegionName.isEmpty() ? QString::number(d.memoryRegion)
                                                               : QStringLiteral("'%1'").arg(d.memoryRegionName);
            const QString what = d.memoryRegionName.isEmpty() ? QStringLiteral("memory-region entries")
                                                              : QStringLiteral("memory-region-names");
            R.error = QStringLiteral("workload device '%1': memory_region %2, but %3 has %4 (fix \"memory_region\" in "
                                     "the workload, or the board)")
                          .arg(d.name, asked, route.node,
                              have.isEmpty()
                                  ? QStringLiteral("no %1").arg(what)
                                  : QStringLiteral("only these %1: %2").arg(what, have.join(QStringLiteral(", "))));
            return;
        }
        if (chosen && chosen->region >= 0) {
            const int pool = poolOfRegion(chosen->region);
            const RegionKind k = layout.regions[size_t(chosen->region)].kind;
            if (pool < 0)
                route.notes << QStringLiteral(
                    "memory-region entry %1 (%2) is not a pool the kernel kept; the device uses the default CMA area")
                                   .arg(chosen->index)
                                   .arg(chosen->target);
            else if (k == RegionKind::Cma && d.cmaArea.isEmpty())
                route.cma = pool;
            else if (k == RegionKind::Coherent)
                route.coherent = pool;
        } else if (chosen) {
            route.notes << QStringLiteral("memory-region entry %1 points at %2, which is not a reserved-memory region")
                               .arg(chosen->index)
                               .arg(chosen->target.isEmpty() ? QStringLiteral("nothing") : chosen->target);
        }
        if (globalPool >= 0 && !route.iommu && route.coherent < 0 && route.restricted < 0) {
            route.coherent = globalPool;
            route.notes << QStringLiteral("no pool of its own: dma_alloc_coherent comes from the global coherent "
                                          "area %1 (linux,dma-default, CONFIG_DMA_GLOBAL_POOL)")
                               .arg(R.pools[size_t(globalPool)].path);
        }
        for (int p : { route.coherent, route.restricted }) {
            if (p < 0 || route.dma.empty())
                continue;
            const SimPool& sp = R.pools[size_t(p)];
            if (!rangesOutside(dmaReach(route.dma), { sp.base, sp.size }).empty())
                route.notes << QStringLiteral("%1 lies partly or wholly outside the device's DMA reach (its bus's "
                                              "dma-ranges): buffers from there are ones the device cannot address")
                                   .arg(sp.path);
        }
        if (route.iommu && route.coherent < 0 && route.restricted < 0)
            route.notes << QStringLiteral(
                "behind an IOMMU: dma_alloc_coherent builds buffers from single pages, not CMA");
        if (route.cma < 0 && route.coherent < 0 && route.restricted < 0 && !route.iommu)
            route.notes << (defaultCma >= 0
                    ? QStringLiteral("no pool of its own: allocations above one page use the default CMA area")
                    : QStringLiteral("no pool of its own and no default CMA area: the page allocator serves it"));
        R.routes.push_back(route);
    }
    for (size_t i = 0; i < R.routes.size(); ++i) {
        const DeviceRoute& r = R.routes[i];
        for (int p : { r.coherent, r.restricted, r.cma })
            if (p >= 0 && !R.pools[size_t(p)].devices.contains(m_workload.devices[i].name))
                R.pools[size_t(p)].devices << m_workload.devices[i].name;
    }

    // Operations: the pool each one goes to (kernel-rules.md 3.7.4).
    const uint64_t page = m_profile.pageSize;
    R.ops.assign(m_workload.ops.size(), OpResult {});
    m_poolOps.assign(R.pools.size(), {});
    for (size_t i = 0; i < m_workload.ops.size(); ++i) {
        const Op& op = m_workload.ops[i];
        const DeviceRoute& rt = R.routes[size_t(op.device)];
        OpResult& res = R.ops[i];
        int pool = -1;
        if (op.api == Api::CmaAlloc) {
            pool = rt.cma >= 0 ? rt.cma : defaultCma;
            if (pool < 0) {
                res.outcome = OpOutcome::Failed;
                res.why = AllocFailure::NoArea;
            }
        } else if (rt.coherent >= 0) {
            pool = rt.coherent;
        } else if (rt.restricted >= 0) {
            pool = rt.restricted;
        } else if (rt.iommu || op.atomic) {
            res.outcome = OpOutcome::PageAllocator;
        } else if (rt.cma >= 0) {
            pool = rt.cma;
        } else if (((op.size + page - 1) & ~(page - 1)) <= page || defaultCma < 0) {
            res.outcome = OpOutcome::PageAllocator;
        } else {
            pool = defaultCma;
        }
        res.pool = pool;
        if (pool >= 0)
            m_poolOps[size_t(pool)].push_back(uint32_t(i));
    }
}

PoolRun Simulator::runPool(
    const SimPool& pool, const std::vector<uint32_t>& opIndexes, std::vector<OpResult>* out, bool metrics) const
{
    PoolRun run;
    const uint64_t page = m_profile.pageSize;
    const unsigned pageShift = unsigned(m_profile.pageShift());
    const int cmaAlignCap = m_profile.config.cmaAlignment;
    const uint64_t buddyMax = page << m_profile.largestBuddyOrder();
    const std::vector<Op>& ops = m_workload.ops;
    std::vector<OpResult>& res = *out;

    PoolState st;
    // Busy ranges in page numbers (a partly busy page is busy), checked for every CMA candidate.
    struct BusyPfns
    {
        uint64_t first, end, from, to;
    };
    std::vector<BusyPfns> busyPfns;
    if (pool.kind == RegionKind::Cma) {
        for (const BusyRange& b : busyIn(m_workload.busy, pool.base, pool.size))
            busyPfns.push_back({ b.base >> pageShift, (b.base + b.size + page - 1) >> pageShift, b.from, b.to });
    }
    // The ranges busy at the current operation: each enters once (by `from`) and leaves once.
    std::vector<const BusyPfns*> byFrom, activeBusy;
    std::vector<uint64_t> busyEnds; // by activeBusy index: the farthest end up to it
    for (const BusyPfns& b : busyPfns)
        byFrom.push_back(&b);
    std::stable_sort(
        byFrom.begin(), byFrom.end(), [](const BusyPfns* x, const BusyPfns* y) { return x->from < y->from; });
    size_t nextBusy = 0;
    uint64_t unitBytes = page; // bytes per bitmap bit or slot
    switch (pool.kind) {
    case RegionKind::Cma:
        st.a.emplace<CmaArea>(pool.base >> pageShift, pool.size >> pageShift, pool.orderPerBit);
        unitBytes = page << pool.orderPerBit; // a unit is a bitmap bit: 2^order_per_bit pages
        break;
    case RegionKind::Coherent:
        st.a.emplace<CoherentPool>(pool.size, page);
        break;
    case RegionKind::Restricted:
        st.a.emplace<RestrictedPool>(pool.base, pool.size, page);
        unitBytes = RestrictedPool::kSlot;
        break;
    default:
        break;
    }
    const uint64_t units = pool.kind == RegionKind::Restricted ? std::get<RestrictedPool>(st.a).slotCount()
        : pool.kind == RegionKind::Coherent                    ? std::get<CoherentPool>(st.a).pages()
                                                               : std::get<CmaArea>(st.a).bitmap().size();
    auto usedUnits = [&]() -> uint64_t {
        if (auto* c = std::get_if<CmaArea>(&st.a))
            return c->bitmap().setCount();
        if (auto* c = std::get_if<CoherentPool>(&st.a))
            return c->usedPages();
        return std::get<RestrictedPool>(st.a).usedSlots();
    };
    auto largestFree = [&]() -> uint64_t {
        if (auto* c = std::get_if<CmaArea>(&st.a))
            return c->bitmap().largestFreeRun();
        if (auto* c = std::get_if<CoherentPool>(&st.a))
            return c->bitmap().largestFreeRun();
        return std::get<RestrictedPool>(st.a).largestFreeRun();
    };
    auto unitUsed = [&](uint64_t from, uint64_t to) -> uint64_t {
        if (auto* c = std::get_if<CmaArea>(&st.a))
            return c->bitmap().countSet(from, to);
        if (auto* c = std::get_if<CoherentPool>(&st.a))
            return c->bitmap().countSet(from, to);
        uint64_t n = 0;
        for (uint64_t s = from; s < to; ++s)
            n += std::get<RestrictedPool>(st.a).slotUsed(s);
        return n;
    };

    // Live allocations (for the heatmap's device colours): unit offset, units, device.
    struct Live
    {
        uint64_t start, count;
        int device;
        uint32_t buffer;
    };
    std::vector<Live> live;
    std::vector<int64_t> livePos; // buffer -> index in live, grown on demand
    std::vector<int64_t> allocOp; // buffer -> op index of its allocation in this pool
    const int T = metrics ? std::max(1, m_options.timeBins) : 0;
    const int A = metrics ? std::max(1, m_options.addressBins) : 0;
    const uint64_t N = std::max<uint64_t>(ops.size(), 1);
    if (metrics) {
        run.heatmap.timeBins = T;
        run.heatmap.addressBins = A;
        run.heatmap.occupancy.assign(size_t(T) * size_t(A), 0.f);
        run.heatmap.device.assign(size_t(T) * size_t(A), -1);
        run.heatmap.busy.assign(busyPfns.empty() ? 0 : size_t(T) * size_t(A), 0);
        run.samples.reserve(size_t(T));
    }
    int bucket = 0;
    uint64_t bucketPeak = 0;
    uint32_t bucketFailures = 0;
    const size_t ndev = m_workload.devices.size();
    std::vector<uint64_t> share;
    auto flushBucket = [&]() {
        const uint64_t endOp = (uint64_t(bucket + 1) * N) / uint64_t(T) - 1;
        PoolSample s;
        s.endOp = endOp;
        s.used = usedUnits() * unitBytes;
        s.peak = std::max(bucketPeak, s.used);
        s.largestFree = largestFree() * unitBytes;
        const uint64_t freeBytes = units * unitBytes - s.used;
        s.fragmentation = freeBytes ? 1.0 - double(s.largestFree) / double(freeBytes) : 0.0;
        s.failures = bucketFailures;
        run.samples.push_back(s);
        run.minLargestFree = std::min(run.minLargestFree, s.largestFree);
        run.maxFragmentation = std::max(run.maxFragmentation, s.fragmentation);
        share.assign(size_t(A) * ndev, 0);
        for (const Live& l : live) {
            for (uint64_t u = l.start; u < l.start + l.count;) {
                const uint64_t cell = units ? std::min<uint64_t>(uint64_t(A) - 1, u * uint64_t(A) / units) : 0;
                const uint64_t cellEnd
                    = std::min(l.start + l.count, ((cell + 1) * units + uint64_t(A) - 1) / uint64_t(A));
                const uint64_t take = std::max<uint64_t>(1, cellEnd > u ? cellEnd - u : 1);
                share[size_t(cell) * ndev + size_t(l.device)] += take;
                u += take;
            }
        }
        for (int a = 0; a < A; ++a) {
            const uint64_t from = units * uint64_t(a) / uint64_t(A), to = units * uint64_t(a + 1) / uint64_t(A);
            const size_t cell = size_t(bucket) * size_t(A) + size_t(a);
            run.heatmap.occupancy[cell] = to > from ? float(double(unitUsed(from, to)) / double(to - from)) : 0.f;
            uint64_t best = 0;
            for (size_t d = 0; d < ndev; ++d) {
                if (share[size_t(a) * ndev + d] > best) {
                    best = share[size_t(a) * ndev + d];
                    run.heatmap.device[cell] = int16_t(d);
                }
            }
        }
        const uint64_t startOp = (uint64_t(bucket) * N) / uint64_t(T);
        const uint64_t basePfn = pool.base >> pageShift;
        for (const BusyPfns& b : busyPfns) {
            if (b.from > endOp || b.to <= startOp || !units)
                continue;
            const uint64_t a0 = ((b.first - basePfn) >> pool.orderPerBit) * uint64_t(A) / units;
            const uint64_t a1 = std::min<uint64_t>(
                uint64_t(A) - 1, ((b.end - 1 - basePfn) >> pool.orderPerBit) * uint64_t(A) / units);
            for (uint64_t a = a0; a <= a1; ++a)
                run.heatmap.busy[size_t(bucket) * size_t(A) + size_t(a)] = 1;
        }
        bucketPeak = 0;
        bucketFailures = 0;
        ++bucket;
    };

    for (uint32_t i : opIndexes) {
        while (metrics && bucket < T && (uint64_t(bucket + 1) * N) / uint64_t(T) <= i)
            flushBucket();
        const Op& op = ops[i];
        OpResult& r = res[i];
        if (op.buffer >= allocOp.size()) {
            allocOp.resize(std::max<size_t>(op.buffer + 1, allocOp.size() * 2), -1);
            if (metrics)
                livePos.resize(allocOp.size(), -1);
        }
        if (op.kind == Op::Free) {
            const int64_t a = allocOp[op.buffer];
            if (a < 0 || res[size_t(a)].outcome != OpOutcome::Served) {
                r.outcome = OpOutcome::FreeSkipped;
                r.outOfReach = a >= 0 && res[size_t(a)].outOfReach;
                continue;
            }
            const OpResult& ar = res[size_t(a)];
            r.outcome = OpOutcome::Served;
            r.addr = ar.addr;
            r.bytes = ar.bytes;
            if (auto* c = std::get_if<CmaArea>(&st.a)) {
                c->release(ar.addr >> pageShift, ar.bytes >> pageShift);
            } else if (auto* coh = std::get_if<CoherentPool>(&st.a)) {
                coh->release((ar.addr - pool.base) >> pageShift, op.size);
            } else {
                std::get<RestrictedPool>(st.a).release((ar.addr - pool.base) / RestrictedPool::kSlot);
            }
            ++run.frees;
            if (metrics) {
                const int64_t p = livePos[op.buffer];
                live[size_t(p)] = live.back();
                livePos[live[size_t(p)].buffer] = p;
                live.pop_back();
                livePos[op.buffer] = -1;
            }
            continue;
        }
        ++run.allocs;
        allocOp[op.buffer] = i;
        r.outcome = OpOutcome::Served;
        r.why = AllocFailure::None;
        r.outOfReach = false;
        const uint64_t pageAligned = (op.size + page - 1) & ~(page - 1);
        uint64_t startUnit = 0, unitCount = 0;
        bool ok = false;
        if (auto* c = std::get_if<CmaArea>(&st.a)) {
            const uint64_t count = pageAligned >> pageShift;
            const unsigned align = op.api == Api::CmaAlloc
                ? unsigned(op.alignOrder)
                : unsigned(std::min(getOrder(pageAligned, page), cmaAlignCap));
            const size_t before = activeBusy.size(), firstNew = nextBusy;
            for (; nextBusy < byFrom.size() && byFrom[nextBusy]->from <= i; ++nextBusy)
                activeBusy.push_back(byFrom[nextBusy]);
            activeBusy.erase(
                std::remove_if(activeBusy.begin(), activeBusy.end(), [&](const BusyPfns* b) { return b->to <= i; }),
                activeBusy.end());
            if (activeBusy.size() != before || nextBusy != firstNew) {
                // By first page, with the farthest end so far: a candidate's check is a binary search.
                std::sort(activeBusy.begin(), activeBusy.end(),
                    [](const BusyPfns* x, const BusyPfns* y) { return x->first < y->first; });
                busyEnds.resize(activeBusy.size());
                for (size_t k = 0; k < activeBusy.size(); ++k)
                    busyEnds[k] = std::max(k ? busyEnds[k - 1] : 0, activeBusy[k]->end);
            }
            const auto busy = [&](uint64_t pfn, uint64_t n) -> uint64_t {
                // The farthest end among the ranges that start before the candidate ends: it
                // overlaps the candidate when it passes its first page (and gives the longest skip).
                const auto ub = std::partition_point(
                    activeBusy.begin(), activeBusy.end(), [&](const BusyPfns* b) { return b->first < pfn + n; });
                const uint64_t end = ub == activeBusy.begin() ? 0 : busyEnds[size_t(ub - activeBusy.begin()) - 1];
                return end > pfn ? end : 0;
            };
            uint64_t retries = 0;
            const auto pfn
                = activeBusy.empty() ? c->alloc(count, align, &r.why) : c->alloc(count, align, busy, &r.why, &retries);
            r.busyRetries = uint32_t(std::min<uint64_t>(retries, UINT32_MAX));
            run.busyRetries += retries;
            run.busyFailures += r.why == AllocFailure::Busy;
            if (pfn) {
                const std::vector<DmaWindow>& dma = m_result.routes[size_t(op.device)].dma;
                if (op.api == Api::DmaAllocCoherent && !dma.empty()
                    && !dmaCoherentOk(dma, *pfn << pageShift, count << pageShift)) {
                    // __dma_direct_alloc_pages: the page fails dma_coherent_ok, goes back to the
                    // area, and the page allocator serves the buffer, silently.
                    c->release(*pfn, count);
                    r.outOfReach = true;
                    r.addr = *pfn << pageShift;
                    r.outcome = pageAligned <= buddyMax ? OpOutcome::PageAllocator : OpOutcome::Failed;
                    ++run.outOfReach;
                    if (r.outcome == OpOutcome::Failed) {
                        ++run.failures;
                        ++bucketFailures;
                        if (run.firstFailureOp < 0)
                            run.firstFailureOp = int64_t(i);
                    }
                    continue;
                }
                ok = true;
                r.addr = *pfn << pageShift;
                r.bytes = count << pageShift;
                startUnit = (*pfn - c->basePfn()) >> pool.orderPerBit;
                unitCount = (count + (uint64_t(1) << pool.orderPerBit) - 1) >> pool.orderPerBit;
            }
        } else if (auto* coh = std::get_if<CoherentPool>(&st.a)) {
            if (auto pos = coh->alloc(op.size, &r.why)) {
                ok = true;
                r.addr = pool.base + (*pos << pageShift);
                unitCount = uint64_t(1) << getOrder(op.size, page);
                r.bytes = unitCount << pageShift;
                startUnit = *pos;
            }
        } else if (auto* rp = std::get_if<RestrictedPool>(&st.a)) {
            if (auto slot = rp->alloc(pageAligned, &r.why)) {
                ok = true;
                r.addr = pool.base + *slot * RestrictedPool::kSlot;
                unitCount = (pageAligned + RestrictedPool::kSlot - 1) / RestrictedPool::kSlot;
                r.bytes = unitCount * RestrictedPool::kSlot;
                startUnit = *slot;
            }
        }
        if (ok) {
            run.highWater = std::max(run.highWater, (startUnit + unitCount) * unitBytes);
            const uint64_t used = usedUnits() * unitBytes;
            run.peakUsed = std::max(run.peakUsed, used);
            bucketPeak = std::max(bucketPeak, used);
            if (metrics) {
                livePos[op.buffer] = int64_t(live.size());
                live.push_back({ startUnit, unitCount, op.device, op.buffer });
            }
            continue;
        }
        // dma-direct: a CMA miss falls back to the buddy allocator, which gives at most
        // PAGE_SIZE << MAX_ORDER contiguous.
        const bool dmaFromCma = pool.kind == RegionKind::Cma && op.api == Api::DmaAllocCoherent;
        r.outcome = dmaFromCma && pageAligned <= buddyMax ? OpOutcome::Fallback : OpOutcome::Failed;
        if (r.outcome == OpOutcome::Fallback)
            ++run.fallbacks;
        else
            ++run.failures;
        ++bucketFailures;
        if (metrics) {
            // Where the request could not go: the largest free block at that moment (the
            // heatmap marks it; the reports print addresses of served operations only).
            uint64_t start = 0, length = 0;
            if (auto* c = std::get_if<CmaArea>(&st.a)) {
                start = c->bitmap().largestFreeRunStart();
                length = c->bitmap().largestFreeRun();
            } else if (auto* coh = std::get_if<CoherentPool>(&st.a)) {
                start = coh->bitmap().largestFreeRunStart();
                length = coh->bitmap().largestFreeRun();
            } else {
                std::tie(start, length) = std::get<RestrictedPool>(st.a).largestFreeRunStart();
            }
            r.addr = length ? pool.base + start * unitBytes : 0;
            r.bytes = length * unitBytes;
        }
        if (run.firstFailureOp < 0)
            run.firstFailureOp = int64_t(i);
    }
    while (metrics && bucket < T)
        flushBucket();
    if (run.minLargestFree == UINT64_MAX)
        run.minLargestFree = largestFree() * unitBytes;
    return run;
}

const SimResult& Simulator::update(const LoadedTree& tree, const Analysis& analysis)
{
    const BootResult& boot = analysis.boot;
    const std::vector<OpResult> previous = std::move(m_result.ops);
    const std::vector<PoolRun> previousRuns = std::move(m_result.runs);
    const std::vector<uint64_t> previousKeys = std::move(m_poolKeys);
    route(tree, analysis.layout, boot);
    SimResult& R = m_result;
    m_reruns = 0;
    R.runs.assign(R.pools.size(), PoolRun {});
    m_poolKeys.assign(R.pools.size(), 0);
    if (!R.error.isEmpty())
        return R;
    // The devices' DMA windows decide which CMA pages dma-direct keeps.
    uint64_t reachKey = 0;
    for (const DeviceRoute& rt : R.routes) {
        for (const DmaWindow& w : rt.dma)
            reachKey = mix(mix(mix(reachKey, w.cpu), w.bus), w.size);
        reachKey = mix(reachKey, rt.dma.size());
    }
    for (size_t p = 0; p < R.pools.size(); ++p) {
        const SimPool& pool = R.pools[p];
        uint64_t key = mix(mix(mix(uint64_t(pool.kind), pool.base), pool.size), m_profile.pageSize);
        key = mix(mix(key, reachKey), pool.orderPerBit);
        key = mix(mix(key, uint64_t(m_profile.config.cmaAlignment)), uint64_t(m_profile.largestBuddyOrder()));
        for (uint32_t i : m_poolOps[p])
            key = mix(key, i);
        m_poolKeys[p] = key;
        // Reuse a previous run with the same inputs (pools are independent of each other).
        auto same = std::find(previousKeys.begin(), previousKeys.end(), key);
        if (same != previousKeys.end() && previous.size() == R.ops.size()) {
            R.runs[p] = previousRuns[size_t(same - previousKeys.begin())];
            for (uint32_t i : m_poolOps[p]) {
                R.ops[i] = previous[i];
                R.ops[i].pool = int(p);
            }
            continue;
        }
        R.runs[p] = runPool(pool, m_poolOps[p], &R.ops, true);
        ++m_reruns;
    }
    R.allocs = R.frees = R.failures = R.fallbacks = R.pageAllocator = R.busyRetries = 0;
    for (size_t i = 0; i < R.ops.size(); ++i) {
        const OpResult& r = R.ops[i];
        const bool alloc = m_workload.ops[i].kind == Op::Alloc;
        R.allocs += alloc;
        R.frees += !alloc && r.outcome != OpOutcome::FreeSkipped;
        R.failures += r.outcome == OpOutcome::Failed;
        R.fallbacks += r.outcome == OpOutcome::Fallback;
        R.pageAllocator += alloc && r.outcome == OpOutcome::PageAllocator;
        R.busyRetries += r.busyRetries;
        R.outOfReach += alloc && r.outOfReach;
    }
    if (boot.profile.version.major < 6 || (boot.profile.version.major == 6 && boot.profile.version.minor < 9)) {
        for (const SimPool& p : R.pools) {
            if (p.kind == RegionKind::Restricted) {
                R.notes << QStringLiteral("restricted pools are simulated with the search of Linux 6.9 and later; %1 "
                                          "differs in alignment and stride")
                               .arg(boot.profile.kernel());
                break;
            }
        }
    }
    return R;
}

MinSizeResult Simulator::minSize(int poolIndex, const Progress& progress) const
{
    MinSizeResult m;
    m.pool = poolIndex;
    if (poolIndex < 0 || size_t(poolIndex) >= m_result.pools.size()) {
        m.error = QStringLiteral("no such pool");
        return m;
    }
    const SimPool& pool = m_result.pools[size_t(poolIndex)];
    const std::vector<uint32_t>& ops = m_poolOps[size_t(poolIndex)];
    m.current = pool.size;
    m.step = pool.sizeStep             ? pool.sizeStep
        : pool.kind == RegionKind::Cma ? m_profile.cmaMinAlignment()
                                       : m_profile.pageSize;
    m.exact = pool.kind != RegionKind::Restricted;
    std::vector<OpResult> scratch = m_result.ops;
    int expected = 2;
    auto tryWith = [&](uint64_t size) {
        if (progress && !m.cancelled && !progress(m.runs, std::max(expected, m.runs + 1), size)) {
            m.cancelled = true;
            m.error = QStringLiteral("cancelled");
        }
        if (m.cancelled)
            return PoolRun {}; // ends every loop below; the caller discards the answer
        SimPool p = pool;
        p.size = size;
        ++m.runs;
        return runPool(p, ops, &scratch, false);
    };
    auto fits = [](const PoolRun& r) { return r.failures == 0 && r.fallbacks == 0; };
    auto up = [&](uint64_t v) { return (v + m.step - 1) / m.step * m.step; };
    if (ops.empty()) {
        m.minimum = m.step;
        return m;
    }
    if (pool.kind == RegionKind::Restricted) {
        // swiotlb hands out at most IO_TLB_SEGSIZE slots at once, however large the pool: no
        // size serves a larger request (and growing towards the limit below costs gigabytes).
        for (uint32_t i : ops) {
            const Op& op = m_workload.ops[i];
            if (op.kind == Op::Alloc
                && (op.size + RestrictedPool::kSlot - 1) / RestrictedPool::kSlot > RestrictedPool::kSegment) {
                m.error = QStringLiteral("step %1 asks %2 for %3 at once, more than a restricted pool hands out (128 "
                                         "slots of 2 KiB = 256 KiB): no size of the pool serves it")
                              .arg(i)
                              .arg(pool.path, formatSize(op.size));
                return m;
            }
        }
    }
    // Grow until nothing fails (the base stays; the size may exceed RAM: this is a question,
    // not a layout). A restricted pool keeps two words per 2 KiB slot: 16 GiB is 64 MiB of them.
    uint64_t size = std::max(up(pool.size), m.step);
    PoolRun r = tryWith(size);
    const uint64_t limit = pool.kind == RegionKind::Restricted ? uint64_t(16) << 30 : uint64_t(1) << 40;
    while (!fits(r) && size < limit && !m.cancelled) {
        size = std::min(up(size * 2), limit);
        ++expected;
        r = tryWith(size);
    }
    if (m.cancelled)
        return m;
    if (!fits(r)) {
        m.error = QStringLiteral("the workload fails even with %1 in %2")
                      .arg(pool.kind == RegionKind::Restricted ? QStringLiteral("16 GiB") : QStringLiteral("1 TiB"),
                          pool.path);
        return m;
    }
    if (m.exact) {
        // First fit gives the same answers in any pool at least as large as its high-water mark
        // and fails in any smaller one (the first allocation beyond the end cannot be placed).
        // (tst_sim's minSizeIsTight re-runs the answer on a fresh board; no second run here.)
        m.minimum = std::max(up(r.highWater), m.step);
    }
    if (!m.exact) {
        uint64_t lo = 0, hi = size / m.step; // lo fails (or is 0), hi fits
        expected = m.runs + 1 + int(std::ceil(std::log2(double(hi))));
        while (hi - lo > 1 && !m.cancelled) {
            const uint64_t mid = lo + (hi - lo) / 2;
            if (fits(tryWith(mid * m.step)))
                hi = mid;
            else
                lo = mid;
        }
        m.minimum = hi * m.step;
    }
    if (m.cancelled)
        return m;
    expected = m.runs + 1;
    if (m.minimum > m.step) {
        m.smaller = m.minimum - m.step;
        const PoolRun s = tryWith(m.smaller);
        m.smallerFailures = s.failures + s.fallbacks;
        m.smallerFirstFailure = s.firstFailureOp;
        m.smallerPeak = s.peakUsed;
    }
    if (progress)
        progress(m.runs, m.runs, 0);
    return m;
}

} // namespace carveout::sim
