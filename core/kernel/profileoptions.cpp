// SPDX-License-Identifier: GPL-2.0-only
#include "profileoptions.h"

// core
#include "kernel/bootchain.h"
#include "kernel/kconfig.h"
#include "model/devicetree.h"
#include "model/units.h"
#include "source/loader.h"

// Qt
#include <QFile>
#include <QRegularExpression>

namespace carveout {

namespace {
bool parseSizeInto(const QString& s, uint64_t* out)
{
    const auto v = parseSize(QStringView(s));
    if (v)
        *out = *v;
    return bool(v);
}

bool hasArmv7mNvic(const DeviceTree& tree)
{
    for (int i = 0; i < tree.nodeCount(); ++i) {
        const DtNode& n = tree.node(i);
        const DtProperty* compat = n.deleted ? nullptr : n.property("compatible");
        if (compat && cells::strings(compat->value).contains(QLatin1String("arm,armv7m-nvic")))
            return true;
    }
    return false;
}
} // namespace

uint64_t parsePageSize(const QString& s)
{
    const auto v = parseSize(QStringView(s));
    return v && (*v == 4096 || *v == 16384 || *v == 65536) ? *v : 0;
}

QString resolveProfile(const ProfileRequest& rq, const LoadedTree* board, KernelProfile* out, QStringList* notes)
{
    KernelProfile p;
    bool archFixed = false;
    if (!rq.profile.isEmpty()) {
        const auto named = findProfile(rq.profile);
        if (!named)
            return QStringLiteral("unknown profile '%1'; 'carveout-cli profiles' lists them").arg(rq.profile);
        p = *named;
        archFixed = true;
    } else {
        p = genericProfile(KernelVersion {}, Arch::Arm64, 4096);
    }
    if (!rq.kconfig.isEmpty()) {
        // The kernel's own configuration, over the named profile; --kernel and the rest still win.
        QFile f(rq.kconfig);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("--kconfig: cannot read %1: %2").arg(rq.kconfig, f.errorString());
        if (f.size() > (64 << 20))
            return QStringLiteral("--kconfig: %1 is larger than 64 MiB, which no kernel configuration is")
                .arg(rq.kconfig);
        QString error;
        QStringList missing;
        const auto fromConfig = profileFromKconfig(f.readAll(), p, &missing, &error);
        if (!fromConfig)
            return QStringLiteral("--kconfig %1: %2").arg(rq.kconfig, error);
        p = *fromConfig;
        archFixed = true;
        if (notes) {
            *notes << QStringLiteral("--kconfig %1 gives the profile %2").arg(rq.kconfig, p.name);
            for (const auto& m : missing)
                *notes << QStringLiteral("--kconfig %1 does not say %2").arg(rq.kconfig, m);
        }
    }
    KernelVersion version = p.version;
    Arch arch = p.arch;
    uint64_t page = p.pageSize;
    if (!rq.kernel.isEmpty()) {
        const auto v = KernelVersion::parse(rq.kernel);
        if (!v)
            return QStringLiteral("--kernel takes a version such as 6.1 or 6.12, not '%1'").arg(rq.kernel);
        version = *v;
    }
    if (!rq.arch.isEmpty()) {
        const auto a = parseArch(rq.arch);
        if (!a)
            return QStringLiteral("--arch takes arm64, arm or riscv, not '%1'").arg(rq.arch);
        arch = *a;
        archFixed = true;
    }
    if (!archFixed && board && !board->includeDirs.root.isEmpty()) {
        // The tree says which arch the board is for: src/<arch>/ or arch/<arch>/boot/dts.
        const QString rel = board->absoluteFile.mid(board->includeDirs.root.size());
        // /src/<arch>/ or /arch/<arch>/ (by hand: a regular expression's first match costs 0.3
        // million instructions, its compile).
        for (const QLatin1String top : { QLatin1String("/src/"), QLatin1String("/arch/") }) {
            if (!rel.startsWith(top))
                continue;
            const QString name = rel.mid(top.size()).section(QLatin1Char('/'), 0, 0);
            if (rel.size() > top.size() + name.size()
                && (name == QLatin1String("arm64") || name == QLatin1String("arm") || name == QLatin1String("riscv")))
                arch = *parseArch(name);
        }
    }
    // An ARMv7-M interrupt controller means a Cortex-M core, which has no MMU: such a board runs a
    // CONFIG_MMU=n kernel, whose DMA config differs (global coherent pool, no CMA).
    bool noMmu = false;
    if (!archFixed && board && arch == Arch::Arm && hasArmv7mNvic(board->tree)) {
        p = noMmuProfile();
        noMmu = true;
    }
    if (!rq.pageSize.isEmpty()) {
        page = parsePageSize(rq.pageSize);
        if (page == 0)
            return QStringLiteral("--page-size takes 4K, 16K or 64K, not '%1'").arg(rq.pageSize);
    }
    if (arch != Arch::Arm64 && page != 4096)
        return QStringLiteral("%1 kernels use 4K pages only").arg(archName(arch));
    if (version.key() != p.version.key() || arch != p.arch || page != p.pageSize) {
        // Changing the basics leaves the named profile: start from the generic one.
        const QString base = p.name;
        const KernelConfig keep = p.config;
        const bool named = !rq.profile.isEmpty() || noMmu;
        p = genericProfile(version, arch, page);
        if (named) {
            p.config = keep;
            // Said as it is: the generic kernel asked for, with the named profile's settings.
            p.name = QStringLiteral("%1 with %2's config").arg(p.name, base);
        }
    }
    for (const auto& c : rq.config) {
        const QString err = applyConfig(p, c);
        if (!err.isEmpty())
            return err;
    }
    if (arch == Arch::Arm && !p.config.lpae && (p.config.hugetlb || p.config.thp)) {
        p.config.hugetlb = false; // not available without LPAE
        p.config.thp = false;
    }
    if (rq.cmdline)
        p.cmdline = *rq.cmdline;
    for (const auto& r : rq.reserve) {
        static const QRegularExpression re(QStringLiteral("^(?:([^@]+)@)?([^+]+)\\+(.+)$"));
        const auto m = re.match(r);
        EarlyReservation e;
        if (!m.hasMatch() || !parseSizeInto(m.captured(2), &e.range.base)
            || !parseSizeInto(m.captured(3), &e.range.size))
            return QStringLiteral("--reserve takes [NAME@]BASE+SIZE (e.g. kernel@0x40200000+32M), not '%1'").arg(r);
        if (e.range.overflows())
            return QStringLiteral("--reserve '%1' runs past the top of the 64-bit address space; check BASE and SIZE")
                .arg(r);
        e.name = m.captured(1).isEmpty() ? QStringLiteral("early") : m.captured(1);
        p.early.push_back(e);
    }
    for (const auto& m : rq.memory) {
        static const QRegularExpression re(QStringLiteral("^([^+]+)\\+(.+)$"));
        const auto mm = re.match(m);
        AddrRange r;
        if (!mm.hasMatch() || !parseSizeInto(mm.captured(1), &r.base) || !parseSizeInto(mm.captured(2), &r.size)
            || r.size == 0)
            return QStringLiteral("--memory takes BASE+SIZE (e.g. 0x40000000+2G), not '%1'").arg(m);
        if (r.overflows())
            return QStringLiteral("--memory '%1' runs past the top of the 64-bit address space; check BASE and SIZE")
                .arg(m);
        p.memory.push_back(r);
    }
    if (const QString e = applyBootChain(rq, &p, notes); !e.isEmpty())
        return e;
    *out = p;
    return {};
}

} // namespace carveout
