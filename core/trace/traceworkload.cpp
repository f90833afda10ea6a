// SPDX-License-Identifier: GPL-2.0-only
#include "trace/traceworkload.h"

// core
#include "model/devicetree.h"

// Qt
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

// std
#include <map>

namespace carveout::trace {

namespace {

struct AreaDevice
{
    QString name; ///< the workload's short device name
    QString node;
    int memoryRegion = 0;
    QString cmaArea; ///< a CMA area of the command line, which no device binds through the tree
};

uint32_t be32(const QByteArray& v, qsizetype at)
{
    const auto* p = reinterpret_cast<const uchar*>(v.constData() + at);
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

/** The default CMA area's names: the command line's and Kconfig's area is "reserved". */
bool isDefaultName(const QString& area)
{
    return area.isEmpty() || area == QLatin1String("reserved");
}

/** The names the kernel gives the CMA areas of the command line (kernel/cmdlineareas.cpp):
 *  hugetlb_cma's "hugetlbN", cma_pernuma's "pernumaN", numa_cma's "numaN", crashkernel's. */
bool isCmdlineAreaName(const QString& area)
{
    static const QRegularExpression re(QStringLiteral("^(hugetlb|pernuma|numa)[0-9]+$|^crashkernel$"));
    return re.match(area).hasMatch();
}

/** The /reserved-memory child named `area`, or -1. */
int reservedNode(const DeviceTree& tree, const QString& area)
{
    const int rm = tree.findPath(QStringLiteral("/reserved-memory"));
    int region = -1;
    if (rm >= 0) {
        for (int c : tree.node(rm).children) {
            if (QString::fromUtf8(tree.node(c).name) == area)
                region = c;
        }
    }
    return region;
}

/** Where the workload reaches the CMA area `area` from, or an error sentence. */
std::optional<AreaDevice> deviceFor(const QString& area, const DeviceTree* tree, QString* error)
{
    AreaDevice d;
    d.name = QStringLiteral("cma-") + (area.isEmpty() ? QStringLiteral("default") : area);
    d.name.replace(QLatin1Char(','), QLatin1Char('-'));
    d.name.replace(QLatin1Char('@'), QLatin1Char('-'));
    if (isDefaultName(area)) {
        d.node = QStringLiteral("/"); // binds no region: cma_alloc goes to the default area
        return d;
    }
    if (isCmdlineAreaName(area) && (!tree || reservedNode(*tree, area) < 0)) {
        d.node = QStringLiteral("/");
        d.cmaArea = area; // hugetlb (alloc_gigantic_folio) calls cma_alloc on its area directly
        return d;
    }
    if (!tree) {
        *error = QStringLiteral(
            "the trace allocates from the CMA area '%1', a region of the device tree: give the board (or a "
            "bundle with the tree the kernel received) so the device that uses it is known")
                     .arg(area);
        return std::nullopt;
    }
    const int region = reservedNode(*tree, area);
    if (region < 0) {
        *error = QStringLiteral("the trace allocates from the CMA area '%1', which is neither a /reserved-memory node "
                                "of the tree nor a CMA area of the command line (hugetlb0, pernuma0, numa0, "
                                "crashkernel)")
                     .arg(area);
        return std::nullopt;
    }
    if (tree->node(region).hasProperty("linux,cma-default")) {
        d.node = QStringLiteral("/");
        return d;
    }
    const DtProperty* ph = tree->node(region).property("phandle");
    if (!ph)
        ph = tree->node(region).property("linux,phandle");
    if (ph && ph->value.size() == 4) {
        const uint32_t phandle = be32(ph->value, 0);
        for (int n = 0; n < tree->nodeCount(); ++n) {
            const DtProperty* mr = tree->node(n).deleted ? nullptr : tree->node(n).property("memory-region");
            for (qsizetype i = 0; mr && i + 4 <= mr->value.size(); i += 4) {
                if (be32(mr->value, i) == phandle) {
                    d.node = tree->path(n);
                    d.memoryRegion = int(i / 4);
                    return d;
                }
            }
        }
    }
    *error = QStringLiteral("no device of the tree has a memory-region entry for the CMA area '%1': the workload "
                            "cannot reach it")
                 .arg(area);
    return std::nullopt;
}

} // namespace

std::optional<TraceWorkload> workloadFromTrace(
    const CmaTrace& trace, const DeviceTree* booted, uint64_t pageSize, const QString& name, QString* error)
{
    TraceWorkload w;
    std::map<QString, AreaDevice> devices;
    // Live allocations by (area, pfn): the buffer name and the page count.
    QMap<QPair<QString, uint64_t>, QPair<QString, uint64_t>> live;
    QJsonArray steps, busy;
    int next = 0;
    int zeroPages = 0;
    // Candidates alloc_contig_range refused (-EBUSY) by area, until that area's cma_alloc_finish.
    std::map<QString, std::vector<std::pair<uint64_t, uint64_t>>> retried;
    for (const CmaEvent& e : trace.events) {
        if (e.kind == CmaEvent::BusyRetry) {
            ++w.busyRetries;
            if (e.pfn && e.count && e.count <= (uint64_t(1) << 48) / pageSize
                && *e.pfn <= (uint64_t(1) << 48) / pageSize)
                retried[e.area].push_back({ *e.pfn, e.count });
            continue;
        }
        if (e.kind == CmaEvent::AllocStart)
            continue; // cma_alloc_finish says the same and the outcome
        auto dev = devices.find(e.area);
        if (dev == devices.end()) {
            const auto d = deviceFor(e.area, booted, error);
            if (!d) {
                *error = QStringLiteral("line %1: %2").arg(e.line).arg(*error);
                return std::nullopt;
            }
            dev = devices.emplace(e.area, *d).first;
        }
        // The workload format's bound on a size (docs/workloads.md): no machine has more.
        constexpr uint64_t kMaxBytes = uint64_t(256) << 40;
        if (e.count > kMaxBytes / pageSize) {
            *error = QStringLiteral("line %1: %2 pages of %3 bytes are more memory than any machine has (at most "
                                    "256 TiB)")
                         .arg(e.line)
                         .arg(e.count)
                         .arg(pageSize);
            return std::nullopt;
        }
        if (e.kind == CmaEvent::AllocFinish && e.count == 0) {
            ++zeroPages; // cma_alloc(cma, 0, ...) returns NULL before it searches
            continue;
        }
        if (e.kind == CmaEvent::AllocFinish) {
            const QString buffer = QStringLiteral("b%1").arg(++next);
            QJsonObject s { { QStringLiteral("alloc"), dev->second.name },
                { QStringLiteral("api"), QStringLiteral("cma_alloc") },
                { QStringLiteral("size"), QStringLiteral("0x%1").arg(e.count * pageSize, 0, 16) },
                { QStringLiteral("align_order"), int(e.align) }, { QStringLiteral("as"), buffer } };
            steps.append(s);
            TracedAllocation a { e.area, e.count, e.align, std::nullopt, e.line };
            if (!e.failed()) {
                a.pfn = e.pfn;
                live.insert({ e.area, *e.pfn }, { buffer, e.count });
            }
            w.allocations.push_back(a);
            // Each refused candidate was busy during this allocation only (all the trace says);
            // the pages it shares with the range finally given were not, so they stay free.
            const qsizetype op = steps.size() - 1;
            for (const auto& [pfn, count] : retried[e.area]) {
                uint64_t first = pfn, end = pfn + count;
                if (a.pfn && *a.pfn < end && first < *a.pfn + e.count) {
                    if (first < *a.pfn)
                        end = *a.pfn;
                    else
                        first = *a.pfn + e.count;
                }
                if (first >= end)
                    continue;
                busy.append(
                    QJsonObject { { QStringLiteral("base"), QStringLiteral("0x%1").arg(first * pageSize, 0, 16) },
                        { QStringLiteral("size"), QStringLiteral("0x%1").arg((end - first) * pageSize, 0, 16) },
                        { QStringLiteral("from"), double(op) }, { QStringLiteral("to"), double(op + 1) } });
            }
            retried.erase(e.area);
            continue;
        }
        // cma_release
        const auto it = live.find({ e.area, e.pfn.value_or(0) });
        if (it == live.end()) {
            ++w.releasedUnknown;
            continue;
        }
        steps.append(QJsonObject { { QStringLiteral("free"), it->first } });
        live.erase(it);
        ++w.frees;
    }
    if (w.allocations.empty()) {
        // Releases alone (of pages allocated before the trace) make no workload: nothing to replay.
        *error = QStringLiteral("the trace holds no cma allocation (cma_alloc_finish)%1")
                     .arg(w.releasedUnknown ? QStringLiteral(", only %1 release(s) of pages allocated before it began")
                                                  .arg(w.releasedUnknown)
                                            : QString());
        return std::nullopt;
    }
    w.heldAtEnd = int(live.size());
    QJsonObject devs;
    for (const auto& [area, d] : devices) {
        QJsonObject o { { QStringLiteral("node"), d.node }, { QStringLiteral("iommu"), false } };
        if (d.memoryRegion)
            o.insert(QStringLiteral("memory_region"), d.memoryRegion);
        if (!d.cmaArea.isEmpty())
            o.insert(QStringLiteral("cma_area"), d.cmaArea);
        devs.insert(d.name, o);
    }
    QJsonObject doc { { QStringLiteral("name"), name }, { QStringLiteral("devices"), devs },
        { QStringLiteral("steps"), steps } };
    if (!busy.isEmpty())
        doc.insert(QStringLiteral("busy"), busy);
    w.json = QJsonDocument(doc).toJson(QJsonDocument::Indented);

    w.limits << QStringLiteral("the trace names the CMA area and the task, not the device: each area becomes one "
                               "device of the workload")
             << QStringLiteral("allocations that did not go through CMA (the page allocator, coherent and "
                               "restricted pools, allocations behind an IOMMU) are not in a cma trace");
    for (const auto& [area, d] : devices) {
        if (area.startsWith(QLatin1String("hugetlb")) && !d.cmaArea.isEmpty())
            w.limits << QStringLiteral("when cma_alloc on %1 fails, hugetlb takes the gigantic page from elsewhere "
                                       "(alloc_contig_pages), which a cma trace does not show: a failure there is not "
                                       "a hugepage the kernel refused")
                            .arg(area);
    }
    if (w.releasedUnknown)
        w.limits << QStringLiteral("%1 release(s) of pages allocated before the trace began are left out")
                        .arg(w.releasedUnknown);
    if (w.heldAtEnd)
        w.limits << QStringLiteral("%1 allocation(s) still held when the trace ended stay held").arg(w.heldAtEnd);
    if (w.busyRetries)
        w.limits << QStringLiteral("%1 busy retr%2 (pages pinned or in use): each refused range is busy for the "
                                   "allocation that retried, as long as the trace can tell")
                        .arg(w.busyRetries)
                        .arg(w.busyRetries == 1 ? QStringLiteral("y") : QStringLiteral("ies"));
    if (zeroPages)
        w.limits << QStringLiteral("%1 allocation(s) of 0 pages are left out (the kernel returns NULL for them "
                                   "before it searches)")
                        .arg(zeroPages);
    if (trace.lostEvents)
        w.limits << QStringLiteral("the trace buffer overflowed (LOST EVENTS): some operations are missing; make "
                                   "buffer_size_kb larger");
    return w;
}

} // namespace carveout::trace
