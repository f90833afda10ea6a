// SPDX-License-Identifier: GPL-2.0-only
// The rules of 2.5 coherent pools, 2.6 restricted DMA pools, 2.7 consumers (kernel-rules.md): each check function with
// its registry record (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

// ---- 2.5 coherent pools ------------------------------------------------------------

static void dmaArmNomap(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (!shared(r) || r.reusable || r.noMap || !c.boot(i).initRan)
            return;
        c.report(i, "compatible",
            QStringLiteral("32-bit ARM needs no-map on a coherent pool: the kernel rejects it and frees %1")
                .arg(formatSize(c.size(i))));
    });
}

const Rule kDmaArmNomap { "dma_arm_nomap", Severity::Error, "all", "arm", applies::arm,
    "Reserved memory: regions without no-map are not yet supported",
    "32-bit ARM refuses coherent pools that stay in the linear map.", "Add no-map.", dmaArmNomap };

static void dmaMappedRam(RuleContext& c)
{
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

const Rule kDmaMappedRam { "dma_mapped_ram", Severity::Warning, "all", "arm64, riscv", applies::notArm,
    "Reserved memory: failed to init DMA memory pool at %pa, size %zd MiB",
    "A coherent pool without no-map stays in the linear map; a write-combined remap may be refused.", "Add no-map.",
    dmaMappedRam };

static void dmaDefault(RuleContext& c)
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
            Finding& f = c.reportSev(Severity::Warning, d[k], "linux,dma-default",
                QStringLiteral("a second linux,dma-default region redefines the global coherent area"));
            f.kernelMessage = QStringLiteral("Reserved memory: region for default DMA coherent area is redefined");
        }
    }
}

const Rule kDmaDefault { "dma_default", Severity::Info, ">= 5.15", "all", nullptr,
    "Reserved memory: region for default DMA coherent area is redefined",
    "linux,dma-default matters only with CONFIG_DMA_GLOBAL_POOL.", "Drop it unless the platform uses a global pool.",
    dmaDefault };

static void dmaOnePool(RuleContext& c)
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

const Rule kDmaOnePool { "dma_one_pool", Severity::Warning, "all", "all", nullptr, "",
    "A device has one coherent pool.", "Reference one coherent pool per device.", dmaOnePool };

// ---- 2.6 restricted DMA pools -----------------------------------------------------------------

static void swiotlbForbiddenProps(RuleContext& c)
{
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

const Rule kSwiotlbForbiddenProps { "swiotlb_forbidden_props", Severity::Error, ">= 5.15", "all", applies::since5_15,
    "node %s compatible matching fail",
    "A restricted-dma-pool must not be reusable, no-map, linux,cma-default or linux,dma-default.",
    "Remove those properties.", swiotlbForbiddenProps };

static void swiotlbConfig(RuleContext& c)
{
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

const Rule kSwiotlbConfig { "swiotlb_config", Severity::Warning, ">= 5.15", "all", applies::since5_15, "",
    "Without CONFIG_DMA_RESTRICTED_POOL the region is just reserved.", "Enable CONFIG_DMA_RESTRICTED_POOL.",
    swiotlbConfig };

static void swiotlbLinear(RuleContext& c)
{
    if (!c.B.highmemStart)
        return;
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const auto base = c.base(i);
        if (r.kind != RegionKind::Restricted || !base || saturatedEnd(*base, c.size(i)) <= c.B.highmemStart)
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("the pool %1..%2 reaches highmem (above %3): device attach fails")
                .arg(toHex(*base), toHex(saturatedEnd(*base, c.size(i))), toHex(c.B.highmemStart)));
    });
}

const Rule kSwiotlbLinear { "swiotlb_linear", Severity::Error, ">= 5.15", "arm", applies::armSince5_15,
    "Restricted DMA pool must be accessible within the linear mapping.", "A restricted pool must be in lowmem.",
    "Place it below the lowmem limit (alloc-ranges).", swiotlbLinear };

static void swiotlbSize(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        const uint64_t size = c.size(i);
        if (r.kind != RegionKind::Restricted || size == 0 || (size & 0x7ff) == 0)
            return;
        c.report(i, r.placement == Placement::Dynamic ? "size" : "reg",
            QStringLiteral("size %1 is not a multiple of the 2 KiB slot: the last %2 bytes are never used")
                .arg(toHex(size))
                .arg(size & 0x7ff));
    });
}

const Rule kSwiotlbSize { "swiotlb_size", Severity::Warning, ">= 5.15", "all", applies::since5_15, "",
    "The pool is cut into 2 KiB slots.", "Make the size a multiple of 2 KiB.", swiotlbSize };

static void swiotlbIommu(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        if (!k.deviceEnabled || !k.firstRestricted || !k.behindIommu)
            continue;
        c.report(k.device, k.source,
            QStringLiteral("behind an IOMMU (iommus), the device gets no restricted pool from the kernel: %1 "
                           "stays unused and its DMA goes through the IOMMU")
                .arg(c.reg(k.region).path),
            QString());
    }
}

const Rule kSwiotlbIommu { "swiotlb_iommu", Severity::Warning, ">= 5.15", "all", applies::since5_15, "",
    "of_dma_configure_id attaches a restricted pool only to a device that is not behind an IOMMU.",
    "Drop iommus from the device, or the restricted pool from its memory-region.", swiotlbIommu };

static void swiotlbSecond(RuleContext& c)
{
    std::map<QString, const Consumer*> first;
    for (const auto& k : c.L.consumers) {
        if (k.firstRestricted)
            first.emplace(k.device, &k);
    }
    for (const auto& k : c.L.consumers) {
        const auto f = first.find(k.device);
        if (!k.deviceEnabled || k.firstRestricted || k.region < 0 || f == first.end() || f->second->behindIommu)
            continue;
        const Region& r = c.reg(k.region);
        if (!r.enabled || !r.compatible.contains(QLatin1String("restricted-dma-pool")))
            continue;
        c.report(k.device, k.source,
            QStringLiteral("memory-region entry %1 (%2) is a second restricted pool: the kernel attaches only the "
                           "first, entry %3 (%4), and never this one")
                .arg(k.index)
                .arg(r.path)
                .arg(f->second->index)
                .arg(c.reg(f->second->region).path),
            QString());
    }
}

const Rule kSwiotlbSecond { "swiotlb_second", Severity::Warning, ">= 5.15", "all", applies::since5_15, "",
    "of_dma_set_restricted_buffer attaches the first enabled restricted-dma-pool entry only.",
    "Reference one restricted pool per device.", swiotlbSecond };

// ---- 2.7 consumers ----------------------------------------------------------------------------

static void mrPhandle(RuleContext& c)
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

const Rule kMrPhandle { "mr_phandle", Severity::Error, "all", "all", nullptr, "",
    "A memory-region phandle that resolves to nothing gives -ENODEV.",
    "Point memory-region at a /reserved-memory child.", mrPhandle };

static void mrTargetDisabled(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        if (k.region < 0 || !k.deviceEnabled || c.reg(k.region).enabled)
            continue;
        // of_reserved_mem_device_init_by_idx returns 0 for a disabled target in every era; the 6.16
        // resource helpers return -ENODEV for it, while their _count still counts the entry.
        const QString lookups = c.v(6, 16)
            ? QStringLiteral("of_reserved_mem_region_to_resource gives -ENODEV (of_reserved_mem_region_count "
                             "still counts the entry, so a driver that loops over it fails its probe)")
            : QStringLiteral("a driver that reads the target's reg itself (of_address_to_resource) gets memory the "
                             "kernel never reserved");
        c.report(k.device, k.source,
            QStringLiteral("memory-region entry %1 points at %2, which is disabled: of_reserved_mem_device_init "
                           "returns 0 with nothing attached, and %3")
                .arg(k.index)
                .arg(c.reg(k.region).path, lookups),
            QString());
    }
}

const Rule kMrTargetDisabled { "mr_target_disabled", Severity::Warning, "all", "all", nullptr, "",
    "Attaching a disabled region succeeds with nothing attached; from 6.16 the resource lookups give -ENODEV.",
    "Enable the region or drop the reference.", mrTargetDisabled };

static void iommuAddresses(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.iommuAddressesMalformed)
            c.report(i, "iommu-addresses",
                QStringLiteral("iommu-addresses is not whole <&device iova size> entries (a phandle that names no "
                               "node, or cells left over): the IOMMU code misreads what follows"),
                QString());
        for (const IommuAddress& a : r.iommuAddresses) {
            const QString iova = QStringLiteral("%1..%2").arg(toHex(a.iova.base), toHex(a.iova.end()));
            const auto user = std::find_if(c.L.consumers.begin(), c.L.consumers.end(),
                [&](const Consumer& k) { return k.deviceNode == a.deviceNode && k.region == i; });
            if (user == c.L.consumers.end()) {
                c.report(i, "iommu-addresses",
                    QStringLiteral("iommu-addresses names %1, whose memory-region does not point at this region: "
                                   "of_iommu_get_resv_regions never sees the entry and IOVA %2 is not reserved")
                        .arg(a.device, iova),
                    QString());
                continue;
            }
            if (!user->behindIommu) {
                c.reportSev(Severity::Info, i, "iommu-addresses",
                    QStringLiteral("%1 is not behind an IOMMU (no enabled iommus target): iommu-addresses has no "
                                   "effect for it")
                        .arg(a.device));
                continue;
            }
            if (a.iova.size == 0) {
                Finding& f = c.report(i, "iommu-addresses",
                    QStringLiteral("the IOVA entry for %1 has size 0: nothing is reserved%2")
                        .arg(a.device,
                            c.v(6, 8) ? QString()
                                      : QStringLiteral(", and kernels without the 6.8 check add an empty region")));
                f.kernelMessage = c.v(6, 8) ? QStringLiteral("Cannot reserve IOVA region of 0 size") : QString();
                continue;
            }
            // No reg (dynamic or IOVA-only): a reservation in the IOVA space, no mapping, no message.
            if (r.reg.empty())
                continue;
            if (iommuIdentity(r, a))
                continue; // IOMMU_RESV_DIRECT: the identity mapping the binding describes
            const AddrRange phys = r.reg.front();
            Finding& f = c.report(i, "iommu-addresses",
                QStringLiteral("the IOVA %1 for %2 is not reg %3..%4: the IOMMU only reserves that IOVA range and "
                               "maps nothing there, so the device's accesses to it fault")
                    .arg(iova, a.device, toHex(phys.base), toHex(phys.end())));
            f.kernelMessage
                = QStringLiteral("treating non-direct mapping [[mem %1-%2 flags 0x200]] -> [%3-%4] as reservation")
                      .arg(pa(c, phys.base), pa(c, phys.end() - 1), pa(c, a.iova.base), pa(c, a.iova.end() - 1));
        }
    });
}

const Rule kIommuAddresses { "iommu_addresses", Severity::Warning, ">= 6.3", "all", applies::since6_3,
    "treating non-direct mapping [%pr] -> [%pap-%pap] as reservation",
    "An iommu-addresses entry equal to reg is mapped 1:1 (IOMMU_RESV_DIRECT); any other is only reserved.",
    "Make the IOVA equal to reg for a 1:1 mapping, and reference the region from the device.", iommuAddresses };

static void mrTargetUnregistered(RuleContext& c)
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
        if (!r.enabled || c.boot(k.region).registered || c.outcome(k.region) != Outcome::Active)
            continue;
        c.report(k.device, k.source,
            QStringLiteral(
                "memory-region entry %1 points at %2, which the kernel did not keep (%3): the device gets -EINVAL")
                .arg(k.index)
                .arg(r.path, outcomeName(c.outcome(k.region))),
            QString());
    }
}

const Rule kMrTargetUnregistered { "mr_target_unregistered", Severity::Error, "all", "all", nullptr, "",
    "memory-region must point at a region the kernel registered: a /reserved-memory child that was kept.",
    "Point memory-region at the right region, or fix why the region was dropped.", mrTargetUnregistered };

static void mrNames(RuleContext& c)
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

const Rule kMrNames { "mr_names", Severity::Warning, "all", "all", nullptr, "",
    "memory-region-names must name every memory-region entry.", "Give one name per entry.", mrNames };

static void mrShared(RuleContext& c)
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

const Rule kMrShared { "mr_shared", Severity::Info, "all", "all", nullptr, "",
    "Several devices share one region (one bitmap or CMA area).", "Nothing, if intended.", mrShared };

static QString rangesText(const std::vector<AddrRange>& ranges)
{
    QStringList parts;
    for (const AddrRange& r : ranges)
        parts << QStringLiteral("%1..%2").arg(toHex(r.base), toHex(r.end()));
    return parts.join(QStringLiteral(", "));
}

static void mrDmaReach(RuleContext& c)
{
    for (const auto& k : c.L.consumers) {
        // dma-iommu maps any page for the device: its bus window no longer limits what it reaches.
        if (k.region < 0 || !k.deviceEnabled || !k.dmaRestricted() || k.behindIommu || !c.enabled(k.region))
            continue;
        const Region& r = c.reg(k.region);
        if (c.outcome(k.region) != Outcome::Active || !c.base(k.region) || c.size(k.region) == 0)
            continue;
        if (r.kind != RegionKind::Cma && r.kind != RegionKind::Coherent && r.kind != RegionKind::Restricted)
            continue;
        const AddrRange pool { *c.base(k.region), c.size(k.region) };
        const std::vector<DmaWindow> map = kernelDmaMap(k.dmaWindows, c.P.physAddrBits());
        const std::vector<AddrRange> reach = dmaReach(map);
        const std::vector<AddrRange> outside = rangesOutside(reach, pool);
        if (outside.empty())
            continue;
        uint64_t outBytes = 0;
        for (const AddrRange& o : outside)
            outBytes += o.size;
        const QString head
            = QStringLiteral("the device reaches only %1 (dma-ranges of %2); %3 of %4 (%5..%6) lies "
                             "outside: %7")
                  .arg(rangesText(reach), k.dmaBus, outBytes == pool.size ? QStringLiteral("all") : rangesText(outside),
                      r.name, toHex(pool.base), toHex(pool.end()));
        QString what;
        Severity sev = Severity::Error;
        QString kernelMessage;
        if (r.kind == RegionKind::Cma) {
            // __dma_direct_alloc_pages: a CMA page failing dma_coherent_ok is freed, the page
            // allocator serves the buffer instead, and nothing is printed.
            sev = Severity::Warning;
            what = QStringLiteral("dma_alloc_coherent gives back every CMA page it gets there and silently takes the "
                                  "buffer from the page allocator");
        } else if (r.kind == RegionKind::Coherent) {
            // dma_alloc_from_dev_coherent checks no mask: the device gets buffers it cannot address.
            what = QStringLiteral("the coherent pool hands out buffers there that the device cannot address");
            uint64_t busLimit = 0;
            for (const DmaWindow& w : map)
                busLimit = std::max(busLimit, w.bus + w.size - 1);
            if (c.v(6, 16) && pool.end() - 1 > busLimit)
                kernelMessage = QStringLiteral("reserved memory is beyond device's set DMA address range");
        } else {
            what = QStringLiteral("bounce buffers there fail the device's dma_capable() check");
        }
        c.report(k.device, k.source, head.arg(what), kernelMessage).severity = sev;
    }
}

const Rule kMrDmaReach { "mr_dma_reach", Severity::Warning, "all", "all", nullptr, "",
    "A device's bus dma-ranges must reach its memory-region pool (a CMA pool outside it is bypassed, a coherent "
    "pool hands out memory the device cannot address).",
    "Move the pool inside the device's DMA window, or widen the bus's dma-ranges.", mrDmaReach };

} // namespace carveout
