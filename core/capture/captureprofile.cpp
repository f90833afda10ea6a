// SPDX-License-Identifier: GPL-2.0-only
// The kernel profile a capture implies (kernel, arch, page size, command line, Kconfig, RAM).
#include "capture/bootedtree.h"
#include "capture/compare.h"

// core
#include "model/units.h"

// Qt
#include <QRegularExpression>

namespace carveout::capture {

namespace {

std::optional<Arch> archFromMachine(const QString& machine)
{
    if (machine == QLatin1String("aarch64") || machine == QLatin1String("arm64"))
        return Arch::Arm64;
    if (machine.startsWith(QLatin1String("armv")) || machine == QLatin1String("arm"))
        return Arch::Arm;
    if (machine.startsWith(QLatin1String("riscv")))
        return Arch::Riscv;
    return std::nullopt;
}

/** The oracle's Debian kernels by their `uname -r` (shared/oracle/README.md): their measured
 *  Kconfig values are better than a generic profile's guesses. */
QString debianProfile(const QString& release)
{
    static const QRegularExpression d61arm64(QStringLiteral(R"(^6\.1\.0-\d+-arm64$)"));
    static const QRegularExpression d612arm64(QStringLiteral(R"(^6\.12\.\d+\+deb\d+-arm64$)"));
    static const QRegularExpression d61armhf(QStringLiteral(R"(^6\.1\.0-\d+-armmp$)"));
    if (d61arm64.match(release).hasMatch())
        return QStringLiteral("debian-6.1-arm64");
    if (d612arm64.match(release).hasMatch())
        return QStringLiteral("debian-6.12-arm64");
    if (d61armhf.match(release).hasMatch())
        return QStringLiteral("debian-6.1-armhf");
    return {};
}

} // namespace

KernelProfile profileFromCapture(
    const Capture& cap, const KernelProfile& base, const QStringList& overridden, QStringList* notes)
{
    KernelProfile p = base;
    auto note = [notes](const QString& s) {
        if (notes)
            notes->push_back(s);
    };
    auto userSet = [&overridden](const char* what) { return overridden.contains(QLatin1String(what)); };
    const bool keepKernel = userSet("profile") || userSet("kernel");
    const auto version = KernelVersion::parse(cap.kernelRelease);
    const auto arch = archFromMachine(cap.machine);

    if (!keepKernel && !userSet("arch")) {
        const QString named = debianProfile(cap.kernelRelease);
        if (auto np = named.isEmpty() ? std::nullopt : findProfile(named)) {
            p = *np;
            note(QStringLiteral("profile %1 from the capture's kernel %2").arg(named, cap.kernelRelease));
        } else if (version) {
            p = genericProfile(*version, arch.value_or(base.arch), cap.pageSize.value_or(base.pageSize));
            note(QStringLiteral("kernel %1 from the capture's kernel %2%3")
                     .arg(version->toString(), cap.kernelRelease,
                         arch ? QStringLiteral(", arch %1 from uname -m (%2)").arg(archName(*arch), cap.machine)
                              : QString()));
        }
        // A user's own choices from the base profile that a kernel does not imply stay.
        p.memory = base.memory;
        p.early = base.early;
        p.cmdline = base.cmdline;
    } else if (!keepKernel && version) {
        p.version = *version;
        note(QStringLiteral("kernel %1 from the capture").arg(version->toString()));
    } else if (!userSet("arch") && arch && *arch != p.arch) {
        p.arch = *arch;
        note(QStringLiteral("arch %1 from uname -m (%2)").arg(archName(*arch), cap.machine));
    }
    if (keepKernel && version && (version->major != p.version.major || version->minor != p.version.minor))
        note(QStringLiteral("the capture's kernel is %1, but the prediction uses %2 as asked")
                 .arg(cap.kernelRelease, p.name));
    if (!userSet("page-size") && !userSet("profile") && cap.pageSize && *cap.pageSize != p.pageSize) {
        p.pageSize = *cap.pageSize;
        note(QStringLiteral("page size %1 from the capture").arg(formatSize(p.pageSize)));
    }
    if (!userSet("cmdline") && cap.cmdline) {
        p.cmdline = cap.cmdline->trimmed();
        note(QStringLiteral("command line from the capture (%1)")
                 .arg(cap.meta.count(QStringLiteral("kernel_release")) ? QStringLiteral("/proc/cmdline")
                                                                       : QStringLiteral("the kernel log")));
    }
    if (!userSet("config") && !cap.kconfig.empty()) {
        int taken = 0;
        static const char* const names[] = { "CMA", "DMA_CMA", "CMA_AREAS", "DMA_RESTRICTED_POOL", "DMA_GLOBAL_POOL",
            "HUGETLB_PAGE", "TRANSPARENT_HUGEPAGE", "ARCH_FORCE_MAX_ORDER", "NUMA", "CMA_SIZE_MBYTES", "CMA_ALIGNMENT",
            "ARM_LPAE" };
        for (const char* n : names) {
            const QString key = QStringLiteral("CONFIG_") + QLatin1String(n);
            const auto it = cap.kconfig.find(key);
            // "# CONFIG_X is not set" reads as absent: a bool option is then n.
            QString value = it != cap.kconfig.end() ? it->second : QString();
            if (value.isEmpty()) {
                if (QByteArrayView(n) == "CMA_AREAS" || QByteArrayView(n) == "ARCH_FORCE_MAX_ORDER"
                    || QByteArrayView(n) == "CMA_SIZE_MBYTES" || QByteArrayView(n) == "CMA_ALIGNMENT")
                    continue;
                value = QStringLiteral("n");
            }
            if (value == QLatin1String("m"))
                value = QStringLiteral("y");
            if (applyConfig(p, QLatin1String(n) + QLatin1Char('=') + value).isEmpty())
                ++taken;
        }
        note(QStringLiteral("%1 Kconfig values from the capture's config.gz").arg(taken));
    }
    QString why;
    const std::optional<BootedTree> booted = readBootedTree(cap, &why); // read once, for RAM and the initrd
    if (!userSet("memory") && !cap.fdt.isEmpty()) {
        if (booted && !booted->layout.memory.empty()) {
            p.memory.clear();
            for (const auto& bank : booted->layout.memory)
                p.memory.push_back(bank.range);
            note(QStringLiteral("RAM from the booted DTB's memory nodes (%1)")
                     .arg(formatSize(booted->layout.memoryTotal())));
        } else if (!why.isEmpty()) {
            note(why);
        }
    }
    if (!userSet("reserve")) {
        for (const auto& e : bootReservations(cap, booted ? &*booted : nullptr)) {
            p.early.push_back(e);
            note(QStringLiteral("early reservation %1 %2+%3 from the capture")
                     .arg(e.name, toHex(e.range.base), formatSize(e.range.size)));
        }
    }
    return p;
}

} // namespace carveout::capture
