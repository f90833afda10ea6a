// SPDX-License-Identifier: GPL-2.0-only
#include "kernel/kconfig.h"

// core
#include "capture/captureparts.h"

// Qt
#include <QRegularExpression>

// std
#include <map>
#include <tuple>

namespace carveout {

namespace {

bool sameFacts(const KernelProfile& a, const KernelProfile& b)
{
    const KernelConfig& x = a.config;
    const KernelConfig& y = b.config;
    return a.version.key() == b.version.key() && a.arch == b.arch && a.pageSize == b.pageSize
        && std::tie(x.cma, x.dmaCma, x.cmaAreas, x.restrictedPool, x.dmaGlobalPool, x.dmaDeclareCoherent, x.hugetlb,
               x.thp, x.forceMaxOrder, x.numa, x.dmaNumaCma, x.cmaSizeMbytes, x.cmaAlignment, x.lpae)
        == std::tie(y.cma, y.dmaCma, y.cmaAreas, y.restrictedPool, y.dmaGlobalPool, y.dmaDeclareCoherent, y.hugetlb,
            y.thp, y.forceMaxOrder, y.numa, y.dmaNumaCma, y.cmaSizeMbytes, y.cmaAlignment, y.lpae);
}

} // namespace

std::optional<KernelProfile> profileFromKconfig(
    const QByteArray& data, const KernelProfile& base, QStringList* notFound, QString* error)
{
    std::map<QString, QString> k;
    QByteArray text;
    if (!data.startsWith("\x1f\x8b")) {
        text = data;
    } else {
        QString why;
        if (!capture::detail::inflateGzip(data, &text, &why)) {
            *error = QStringLiteral("the compressed kernel configuration cannot be read: %1").arg(why);
            return std::nullopt;
        }
    }
    capture::detail::kconfigFromText(text, k);
    if (k.empty()) {
        *error
            = QStringLiteral("no CONFIG_ line: this is not a kernel configuration (.config, config.gz or defconfig)");
        return std::nullopt;
    }
    auto value = [&k](const char* name) -> QString {
        const auto it = k.find(QStringLiteral("CONFIG_") + QLatin1String(name));
        return it == k.end() ? QString() : it->second;
    };
    // Kconfig writes a full .config with this header; a defconfig has neither header nor the
    // options left at their defaults.
    static const QRegularExpression header(
        QStringLiteral("# Linux/(\\S+) (\\d+\\.\\d+(?:\\.\\d+)?)\\S* Kernel Configuration"));
    const QRegularExpressionMatch h = header.match(QString::fromLatin1(text.left(4096)));
    const bool full = h.hasMatch();

    KernelProfile p = base;
    Arch arch = base.arch;
    if (value("ARM64") == QLatin1String("y"))
        arch = Arch::Arm64;
    else if (value("ARM") == QLatin1String("y"))
        arch = Arch::Arm;
    else if (value("RISCV") == QLatin1String("y"))
        arch = Arch::Riscv;
    else if (notFound)
        *notFound << QStringLiteral("the architecture (CONFIG_ARM64, CONFIG_ARM or CONFIG_RISCV)");
    KernelVersion version = base.version;
    if (full) {
        if (const auto v = KernelVersion::parse(h.captured(2)))
            version = *v;
    } else if (notFound) {
        *notFound << QStringLiteral("the kernel version (a defconfig has no header line)");
    }
    uint64_t page = arch == Arch::Arm64 ? base.pageSize : 4096;
    if (arch == Arch::Arm64) {
        if (value("ARM64_64K_PAGES") == QLatin1String("y"))
            page = 65536;
        else if (value("ARM64_16K_PAGES") == QLatin1String("y"))
            page = 16384;
        else if (value("ARM64_4K_PAGES") == QLatin1String("y") || full)
            page = 4096; // the Kconfig default
        else if (notFound)
            *notFound << QStringLiteral("the page size (CONFIG_ARM64_*K_PAGES)");
    }
    if (version.key() != p.version.key() || arch != p.arch || page != p.pageSize) {
        const KernelConfig keep = p.config;
        p = genericProfile(version, arch, page);
        if (!full)
            p.config = keep; // a defconfig changes only what it names
    }

    struct Fact
    {
        const char* name;
        bool isBool;
    };
    static const Fact facts[] = { { "CMA", true }, { "DMA_CMA", true }, { "CMA_AREAS", false },
        { "CMA_SIZE_MBYTES", false }, { "CMA_ALIGNMENT", false }, { "ARCH_FORCE_MAX_ORDER", false },
        { "HUGETLB_PAGE", true }, { "TRANSPARENT_HUGEPAGE", true }, { "NUMA", true }, { "DMA_NUMA_CMA", true },
        { "DMA_RESTRICTED_POOL", true }, { "DMA_GLOBAL_POOL", true }, { "DMA_DECLARE_COHERENT", true },
        { "ARM_LPAE", true } };
    for (const Fact& f : facts) {
        if (QByteArrayView(f.name) == "ARM_LPAE" && arch != Arch::Arm)
            continue;
        QString v = value(f.name);
        if (v.isEmpty() && QByteArrayView(f.name) == "DMA_NUMA_CMA")
            v = value("DMA_PERNUMA_CMA"); // its name up to 6.5
        if (v == QLatin1String("m"))
            v = QStringLiteral("y");
        if (v.isEmpty()) {
            if (full && f.isBool) {
                v = QStringLiteral("n"); // no line: its dependencies are unmet, so it is off
            } else {
                if (notFound)
                    *notFound << QStringLiteral("CONFIG_%1 (kept %2)")
                                     .arg(QLatin1String(f.name), QStringLiteral("the profile's value"));
                continue;
            }
        }
        if (const QString e = applyConfig(p, QLatin1String(f.name) + QLatin1Char('=') + v); !e.isEmpty() && notFound)
            *notFound << QStringLiteral("CONFIG_%1: %2").arg(QLatin1String(f.name), e);
    }
    if (arch == Arch::Arm && !p.config.lpae) {
        p.config.hugetlb = false; // not available without LPAE
        p.config.thp = false;
    }
    for (const auto& named : namedProfiles())
        if (!named.name.startsWith(QLatin1String("linux-")) && sameFacts(named, p)) {
            KernelProfile n = named;
            n.cmdline = p.cmdline;
            n.memory = p.memory;
            n.early = p.early;
            return n;
        }
    p.name = QStringLiteral("kconfig-%1-%2-%3k").arg(version.toString(), archName(arch)).arg(page / 1024);
    p.description
        = full ? QStringLiteral("from a kernel .config") : QStringLiteral("from a defconfig over %1").arg(base.name);
    return p;
}

} // namespace carveout
