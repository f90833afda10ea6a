// SPDX-License-Identifier: GPL-2.0-only
#include "profile.h"

// Qt
#include <QRegularExpression>

// std
#include <algorithm>

namespace carveout {

QString archName(Arch a)
{
    switch (a) {
    case Arch::Arm:
        return QStringLiteral("arm");
    case Arch::Riscv:
        return QStringLiteral("riscv");
    case Arch::Arm64:
        break;
    }
    return QStringLiteral("arm64");
}

std::optional<Arch> parseArch(const QString& s)
{
    const QString l = s.toLower();
    if (l == QLatin1String("arm64") || l == QLatin1String("aarch64"))
        return Arch::Arm64;
    if (l == QLatin1String("arm") || l == QLatin1String("armhf") || l == QLatin1String("arm32"))
        return Arch::Arm;
    if (l == QLatin1String("riscv") || l == QLatin1String("riscv64"))
        return Arch::Riscv;
    return std::nullopt;
}

std::optional<KernelVersion> KernelVersion::parse(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^v?(\\d+)\\.(\\d+)(?:\\.\\d+)?(?:[-+~].*)?$"));
    const auto m = re.match(s.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    KernelVersion v;
    v.major = m.captured(1).toInt();
    v.minor = m.captured(2).toInt();
    if (v.major < 5 || v.major > 9)
        return std::nullopt;
    return v;
}

QString eraName(Era e)
{
    switch (e) {
    case Era::A:
        return QStringLiteral("A (<= 6.3)");
    case Era::B:
        return QStringLiteral("B (6.4-6.12)");
    case Era::C:
        return QStringLiteral("C (6.13-7.0)");
    case Era::D:
        break;
    }
    return QStringLiteral("D (7.1)");
}

std::vector<EarlyReservation> KernelProfile::earlyReservations() const
{
    std::vector<EarlyReservation> all = early;
    if (!efi()) {
        for (const auto& l : loads)
            all.push_back({ l.name, l.range });
    }
    return all;
}

Era KernelProfile::era() const
{
    if (eraOverride)
        return *eraOverride;
    if (!version.atLeast(6, 4))
        return Era::A;
    if (!version.atLeast(6, 13))
        return Era::B;
    if (!version.atLeast(7, 1))
        return Era::C;
    return Era::D;
}

int KernelProfile::pageShift() const
{
    int s = 0;
    while ((uint64_t(1) << s) < pageSize)
        ++s;
    return s;
}

int KernelProfile::largestBuddyOrder() const
{
    // MAX_ORDER was exclusive up to 6.3 (largest order MAX_ORDER-1), inclusive from 6.4
    // (23baf831a32c); ARCH_FORCE_MAX_ORDER follows the same meaning in each era.
    const bool exclusive = !version.atLeast(6, 4);
    if (config.forceMaxOrder > 0)
        return exclusive ? config.forceMaxOrder - 1 : config.forceMaxOrder;
    // Arch defaults give the same largest block in every era (kernel-rules.md 4.1).
    if (arch == Arch::Arm64) {
        if (pageSize == 16384)
            return 11;
        if (pageSize == 65536)
            return 13;
    }
    return 10;
}

int KernelProfile::hugePageOrder() const
{
    switch (arch) {
    case Arch::Arm64:
        return pageSize == 16384 ? 11 : pageSize == 65536 ? 13 : 9;
    case Arch::Arm:
        return config.lpae ? 9 : -1; // hugetlb and THP need LPAE on 32-bit ARM
    case Arch::Riscv:
        return 9;
    }
    return -1;
}

int KernelProfile::pageblockOrder() const
{
    const int largest = largestBuddyOrder();
    const int huge = hugePageOrder();
    if (config.hugetlb && huge > 0) {
        if (!version.atLeast(5, 18))
            return huge; // HUGETLB_PAGE_ORDER
        return std::min(huge, largest);
    }
    // THP without hugetlb sets pageblock_order from 6.10 on.
    if (config.thp && huge > 0 && version.atLeast(6, 10))
        return std::min(huge, largest);
    return largest;
}

uint64_t KernelProfile::cmaMinAlignment() const
{
    const int largest = largestBuddyOrder();
    if (!version.atLeast(5, 18))
        return pageSize << std::max(largest, pageblockOrder());
    if (!version.atLeast(5, 19))
        return pageSize << largest; // MAX_ORDER_NR_PAGES
    return pageblockBytes();
}

int KernelProfile::maxCmaAreas() const
{
    // include/linux/cma.h: MAX_CMA_AREAS was 1 + CONFIG_CMA_AREAS (the default area had its
    // own slot) and became CONFIG_CMA_AREAS when the Kconfig default moved 19 -> 20 for NUMA.
    // Measured: 6.1 has the +1 (shared oracle case 26, armhf), 6.12 does not (our case
    // 27-cma-slots-full-6.12). The release in between that changed it is assumed to be 6.2.
    return version.atLeast(6, 2) ? config.cmaAreas : config.cmaAreas + 1;
}

int KernelProfile::physAddrBits() const
{
    return (arch == Arch::Arm && !config.lpae) ? 32 : 64;
}

QStringList supportedVersions()
{
    return { QStringLiteral("5.10"), QStringLiteral("5.15"), QStringLiteral("6.1"), QStringLiteral("6.6"),
        QStringLiteral("6.12"), QStringLiteral("6.18"), QStringLiteral("7.1") };
}

KernelProfile genericProfile(const KernelVersion& v, Arch arch, uint64_t pageSize)
{
    KernelProfile p;
    p.version = v;
    p.arch = arch;
    p.pageSize = pageSize;
    const QString pages = pageSize == 65536 ? QStringLiteral("64k")
        : pageSize == 16384                 ? QStringLiteral("16k")
                                            : QStringLiteral("4k");
    p.name = QStringLiteral("linux-%1-%2-%3").arg(v.toString(), archName(arch), pages);
    p.description = QStringLiteral("upstream defconfig-like: CMA on, %1 CMA areas, restricted pool built in")
                        .arg(p.config.cmaAreas);
    if (arch == Arch::Arm) {
        p.config.hugetlb = false;
        p.config.thp = false;
    }
    // Before the NUMA default change the UMA default was 7 (+1 for the default area).
    if (!v.atLeast(6, 2))
        p.config.cmaAreas = 7;
    // restricted-dma-pool arrived in 5.15.
    if (!v.atLeast(5, 15))
        p.config.restrictedPool = false;
    // The riscv defconfig enables ARCH_R9A07G043 (RZ/Five), which selects DMA_GLOBAL_POOL from
    // 6.6 (484861e09f3e) until 6.8 makes it depend on !DMA_DIRECT_REMAP, which that defconfig has.
    if (arch == Arch::Riscv && v.atLeast(6, 6) && !v.atLeast(6, 8))
        p.config.dmaGlobalPool = true;
    return p;
}

KernelProfile noMmuProfile()
{
    KernelProfile m = genericProfile(KernelVersion {}, Arch::Arm, 4096);
    m.name = QStringLiteral("linux-%1-arm-nommu").arg(m.version.toString());
    m.description = QStringLiteral(
        "32-bit ARM without an MMU (ARMv7-M: STM32 F4/F7/H7 and other Cortex-M boards): global coherent pool, no CMA");
    // arch/arm/Kconfig: ARM selects DMA_GLOBAL_POOL if !MMU; mm/Kconfig: CMA depends on MMU; the
    // restricted pool needs SWIOTLB, which ARM selects only with LPAE.
    m.config.dmaGlobalPool = true;
    m.config.cma = false;
    m.config.dmaCma = false;
    m.config.restrictedPool = false;
    return m;
}

const std::vector<KernelProfile>& namedProfiles()
{
    static const std::vector<KernelProfile> profiles = [] {
        std::vector<KernelProfile> out;
        // The oracle kernels (shared/oracle/README.md, "Kernels and config facts").
        KernelProfile a = genericProfile({ 6, 1 }, Arch::Arm64, 4096);
        a.name = QStringLiteral("debian-6.1-arm64");
        a.description = QStringLiteral("Debian 12 linux-image-6.1.0-56-arm64 (6.1.192), as measured by the oracle");
        a.config.cmaAreas = 19;
        a.config.restrictedPool = false;
        a.config.forceMaxOrder = 11;
        a.config.numa = true;
        a.config.dmaNumaCma = true; // CONFIG_DMA_PERNUMA_CMA=y (cma_pernuma=, oracle case 45)
        a.config.cmaSizeMbytes = 64;
        out.push_back(a);

        KernelProfile b = genericProfile({ 6, 12 }, Arch::Arm64, 4096);
        b.name = QStringLiteral("debian-6.12-arm64");
        b.description
            = QStringLiteral("Debian 12 linux-image-6.12.117+deb12-arm64 (6.12.117), as measured by the oracle");
        b.config.cmaAreas = 20;
        b.config.restrictedPool = false;
        b.config.forceMaxOrder = 10;
        b.config.numa = true;
        b.config.cmaSizeMbytes = 64;
        // 6.12.117 allocates dynamic regions in DT order during the scan and reserves
        // /memreserve/ after them (oracle cases 11, 12, 20): the era C restructure is backported.
        b.eraOverride = Era::C;
        out.push_back(b);

        KernelProfile c = genericProfile({ 6, 1 }, Arch::Arm, 4096);
        c.name = QStringLiteral("debian-6.1-armhf");
        c.description = QStringLiteral("Debian 12 linux-image-6.1.0-50-armmp (6.1.176), as measured by the oracle");
        c.config.cmaAreas = 7;
        c.config.restrictedPool = false;
        c.config.forceMaxOrder = 12;
        c.config.cmaSizeMbytes = 16;
        out.push_back(c);

        out.push_back(noMmuProfile());

        for (const auto& vs : supportedVersions()) {
            const KernelVersion v = *KernelVersion::parse(vs);
            for (uint64_t page : { uint64_t(4096), uint64_t(16384), uint64_t(65536) })
                out.push_back(genericProfile(v, Arch::Arm64, page));
            out.push_back(genericProfile(v, Arch::Arm, 4096));
            out.push_back(genericProfile(v, Arch::Riscv, 4096));
        }
        return out;
    }();
    return profiles;
}

std::optional<KernelProfile> findProfile(const QString& name)
{
    for (const auto& p : namedProfiles()) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

QString applyConfig(KernelProfile& p, const QString& assignment)
{
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return QStringLiteral("--config takes NAME=VALUE, not '%1'").arg(assignment);
    QString name = assignment.left(eq).trimmed().toUpper();
    if (name.startsWith(QLatin1String("CONFIG_")))
        name = name.mid(7);
    const QString value = assignment.mid(eq + 1).trimmed().toLower();
    const auto boolValue = [&](bool* into) -> QString {
        if (value == QLatin1String("y") || value == QLatin1String("yes") || value == QLatin1String("1")
            || value == QLatin1String("on")) {
            *into = true;
            return {};
        }
        if (value == QLatin1String("n") || value == QLatin1String("no") || value == QLatin1String("0")
            || value == QLatin1String("off")) {
            *into = false;
            return {};
        }
        return QStringLiteral("%1 takes y or n, not '%2'").arg(name, value);
    };
    const auto intValue = [&](int* into, int lo, int hi) -> QString {
        bool ok = false;
        const int v = value.toInt(&ok);
        if (!ok || v < lo || v > hi)
            return QStringLiteral("%1 takes a number from %2 to %3, not '%4'").arg(name).arg(lo).arg(hi).arg(value);
        *into = v;
        return {};
    };
    KernelConfig& c = p.config;
    if (name == QLatin1String("CMA"))
        return boolValue(&c.cma);
    if (name == QLatin1String("DMA_CMA"))
        return boolValue(&c.dmaCma);
    if (name == QLatin1String("CMA_AREAS"))
        return intValue(&c.cmaAreas, 1, 1024);
    if (name == QLatin1String("DMA_RESTRICTED_POOL"))
        return boolValue(&c.restrictedPool);
    if (name == QLatin1String("DMA_GLOBAL_POOL"))
        return boolValue(&c.dmaGlobalPool);
    if (name == QLatin1String("DMA_DECLARE_COHERENT"))
        return boolValue(&c.dmaDeclareCoherent);
    if (name == QLatin1String("HUGETLB_PAGE"))
        return boolValue(&c.hugetlb);
    if (name == QLatin1String("TRANSPARENT_HUGEPAGE"))
        return boolValue(&c.thp);
    if (name == QLatin1String("ARCH_FORCE_MAX_ORDER"))
        return intValue(&c.forceMaxOrder, 1, 20);
    if (name == QLatin1String("NUMA"))
        return boolValue(&c.numa);
    if (name == QLatin1String("DMA_NUMA_CMA") || name == QLatin1String("DMA_PERNUMA_CMA"))
        return boolValue(&c.dmaNumaCma);
    if (name == QLatin1String("CMA_SIZE_MBYTES"))
        return intValue(&c.cmaSizeMbytes, 0, 1 << 20);
    if (name == QLatin1String("CMA_ALIGNMENT"))
        return intValue(&c.cmaAlignment, 2, 12);
    if (name == QLatin1String("ARM_LPAE"))
        return boolValue(&c.lpae);
    return QStringLiteral("unknown config '%1'; known: CMA, DMA_CMA, CMA_AREAS, DMA_RESTRICTED_POOL, DMA_GLOBAL_POOL, "
                          "DMA_DECLARE_COHERENT, "
                          "HUGETLB_PAGE, TRANSPARENT_HUGEPAGE, ARCH_FORCE_MAX_ORDER, NUMA, DMA_NUMA_CMA, "
                          "CMA_SIZE_MBYTES, CMA_ALIGNMENT, ARM_LPAE")
        .arg(name);
}

} // namespace carveout
