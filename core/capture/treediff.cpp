// SPDX-License-Identifier: GPL-2.0-only
#include "capture/treediff.h"

// core
#include "model/devicetree.h"
#include "model/units.h"

// std
#include <algorithm>

namespace carveout::capture {

namespace {

QString rangesText(const std::vector<AddrRange>& v)
{
    QStringList s;
    for (const auto& r : v)
        s << QStringLiteral("%1+%2").arg(toHex(r.base), formatSize(r.size));
    return s.isEmpty() ? QStringLiteral("none") : s.join(QStringLiteral(", "));
}

/** A property value as a reader wants it: strings when it is printable, else cells. */
QString valueText(const DtProperty* p)
{
    if (!p)
        return {};
    if (p->value.isEmpty())
        return QStringLiteral("(empty)");
    const QStringList strings = cells::strings(p->value);
    // Strings as dtc decides: printable bytes, NUL-terminated, no empty string among them.
    bool printable
        = p->value.endsWith('\0') && p->value.front() != '\0' && !p->value.contains(QByteArrayView("\0\0", 2));
    for (char ch : p->value)
        printable = printable && (ch == 0 || (ch >= 0x20 && ch < 0x7f));
    if (printable && !strings.isEmpty())
        return QLatin1Char('"') + strings.join(QStringLiteral("\", \"")) + QLatin1Char('"');
    QStringList c;
    for (int i = 0; i < cells::count(p->value); ++i)
        c << QStringLiteral("0x%1").arg(cells::at(p->value, i), 0, 16);
    return QLatin1Char('<') + c.join(QLatin1Char(' ')) + QLatin1Char('>');
}

/** The RAM the banks describe, adjacent banks joined: 0x40000000+3G and 0x100000000+1G is the
 *  same memory as one 0x40000000+4G node (a bootloader writes either). */
std::vector<AddrRange> sortedBanks(const Layout& l)
{
    std::vector<AddrRange> v;
    for (const auto& b : l.memory)
        v.push_back(b.range);
    std::sort(v.begin(), v.end(), [](const AddrRange& a, const AddrRange& b) { return a.base < b.base; });
    std::vector<AddrRange> out;
    for (const auto& r : v) {
        if (!out.empty() && r.base <= out.back().end())
            out.back().size = std::max(out.back().end(), r.end()) - out.back().base;
        else
            out.push_back(r);
    }
    return out;
}

/** "okay" and "ok" are what no status says. */
bool sameValue(const char* name, const DtProperty* a, const DtProperty* b)
{
    if (a && b && a->value == b->value)
        return true;
    if (QByteArrayView(name) != "status")
        return !a && !b;
    auto enabled = [](const DtProperty* p) {
        return !p || p->value == QByteArray("okay", 5) || p->value == QByteArray("ok", 3);
    };
    return enabled(a) && enabled(b);
}

bool sameRanges(const std::vector<AddrRange>& a, const std::vector<AddrRange>& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
        [](const AddrRange& x, const AddrRange& y) { return x.base == y.base && x.size == y.size; });
}

const char* const kRegionProps[] = { "reg", "size", "alignment", "alloc-ranges", "compatible", "no-map", "reusable",
    "status", "linux,cma-default", "linux,dma-default" };

} // namespace

std::vector<TreeDifference> treeDifferences(const Layout& source, const Layout& booted, const DeviceTree& bootedTree,
    const DeviceTree& sourceTree, bool noMemreserve, std::vector<AddrRange>* bootedMemory)
{
    std::vector<TreeDifference> out;
    const QString fixupAdvice = QStringLiteral("the bootloader changed it at boot: fix the sources, or predict with "
                                               "what was booted");

    const auto srcMem = sortedBanks(source);
    const auto bootMem = sortedBanks(booted);
    if (!sameRanges(srcMem, bootMem)) {
        TreeDifference t;
        t.area = QStringLiteral("/memory");
        t.path = source.memory.empty() ? QStringLiteral("/memory") : source.memory.front().node;
        t.change = srcMem.empty() ? QStringLiteral("added") : QStringLiteral("changed");
        t.source = rangesText(srcMem);
        t.booted = rangesText(bootMem);
        if (!source.memory.empty())
            t.where = source.memory.front().source;
        t.explanation = QStringLiteral("the bootloader filled in /memory: the sources say %1, the kernel received %2")
                            .arg(t.source, t.booted);
        QStringList args;
        for (const auto& r : bootMem)
            args << QStringLiteral("--memory %1+%2").arg(toHex(r.base), toHex(r.size));
        t.advice = QStringLiteral("predict with the booted RAM (%1; compare does so unless --memory is given), or "
                                  "fix the memory node if the board really has this much")
                       .arg(args.join(QLatin1Char(' ')));
        if (bootedMemory)
            *bootedMemory = bootMem;
        out.push_back(t);
    }

    for (const Region& b : booted.regions) {
        if (source.findRegion(b.path) >= 0)
            continue;
        TreeDifference t;
        t.area = QStringLiteral("/reserved-memory");
        t.path = b.path;
        t.change = QStringLiteral("added");
        t.booted = b.base ? QStringLiteral("%1+%2%3").arg(
                       toHex(*b.base), formatSize(b.treeSize), b.noMap ? QStringLiteral(" no-map") : QString())
                          : QStringLiteral("size %1").arg(formatSize(b.treeSize));
        t.explanation = QStringLiteral("the kernel received a region %1 that the sources do not have (added by the "
                                       "bootloader, or deleted from the sources since that boot)")
                            .arg(b.path);
        t.advice = QStringLiteral("add it to the sources, or pass it with --reserve %1@%2+%3 to predict with it")
                       .arg(b.name.section(QLatin1Char('@'), 0, 0), toHex(b.base.value_or(0)), toHex(b.treeSize));
        out.push_back(t);
    }
    for (const Region& s : source.regions) {
        const int j = booted.findRegion(s.path);
        if (j < 0) {
            TreeDifference t;
            t.area = QStringLiteral("/reserved-memory");
            t.path = s.path;
            t.change = QStringLiteral("removed");
            t.source = s.base ? QStringLiteral("%1+%2").arg(toHex(*s.base), formatSize(s.treeSize))
                              : QStringLiteral("size %1").arg(formatSize(s.treeSize));
            t.where = s.source;
            t.explanation = QStringLiteral("the kernel did not receive %1 (the bootloader removed it, or it was "
                                           "added to the sources since that boot)")
                                .arg(s.path);
            t.advice = fixupAdvice;
            out.push_back(t);
            continue;
        }
        const Region& b = booted.regions[size_t(j)];
        for (const char* name : kRegionProps) {
            const DtProperty* ps = sourceTree.node(s.node).property(name);
            const DtProperty* pb = bootedTree.node(b.node).property(name);
            if (sameValue(name, ps, pb))
                continue;
            TreeDifference t;
            t.area = QStringLiteral("/reserved-memory");
            t.path = s.path + QLatin1Char('/') + QLatin1String(name);
            t.change = !ps ? QStringLiteral("added") : !pb ? QStringLiteral("removed") : QStringLiteral("changed");
            t.source = valueText(ps);
            t.booted = valueText(pb);
            const auto it = s.propertySources.find(QLatin1String(name));
            t.where = it != s.propertySources.end() ? it->second : s.source;
            t.explanation = QStringLiteral("%1 of %2 differs between the sources and the booted tree")
                                .arg(QLatin1String(name), s.path);
            t.advice = fixupAdvice;
            out.push_back(t);
        }
    }

    if (!noMemreserve) {
        std::vector<AddrRange> ms, mb;
        for (const auto& m : source.memreserve)
            ms.push_back(m.range);
        for (const auto& m : booted.memreserve)
            mb.push_back(m.range);
        if (!sameRanges(ms, mb)) {
            TreeDifference t;
            t.area = QStringLiteral("/memreserve/");
            t.path = QStringLiteral("/memreserve/");
            t.change = ms.empty() ? QStringLiteral("added")
                : mb.empty()      ? QStringLiteral("removed")
                                  : QStringLiteral("changed");
            t.source = rangesText(ms);
            t.booted = rangesText(mb);
            if (!source.memreserve.empty())
                t.where = source.memreserve.front().source;
            t.explanation = QStringLiteral("the /memreserve/ entries of the booted DTB differ from the sources' (the "
                                           "bootloader adds its own, an EFI stub removes them)");
            t.advice = QStringLiteral("predict with the booted entries: pass each as --reserve memreserve@BASE+SIZE");
            out.push_back(t);
        }
    }

    // /chosen: the command line and usable memory change verdicts; the initrd's place and seeds
    // are what every bootloader writes and are listed only.
    const int sc = sourceTree.findPath(QStringLiteral("/chosen"));
    const int bc = bootedTree.findPath(QStringLiteral("/chosen"));
    QList<QByteArray> names;
    if (sc >= 0)
        for (const auto& p : sourceTree.node(sc).properties)
            names << p.name;
    if (bc >= 0)
        for (const auto& p : bootedTree.node(bc).properties)
            if (!names.contains(p.name))
                names << p.name;
    for (const QByteArray& name : names) {
        const DtProperty* ps = sc >= 0 ? sourceTree.node(sc).property(name.constData()) : nullptr;
        const DtProperty* pb = bc >= 0 ? bootedTree.node(bc).property(name.constData()) : nullptr;
        if (ps && pb && ps->value == pb->value)
            continue;
        TreeDifference t;
        t.area = QStringLiteral("/chosen");
        t.path = QStringLiteral("/chosen/") + QString::fromLatin1(name);
        t.change = !ps ? QStringLiteral("added") : !pb ? QStringLiteral("removed") : QStringLiteral("changed");
        t.source = valueText(ps);
        t.booted = valueText(pb);
        if (ps)
            t.where = sourceRef(sourceTree, ps->span);
        // The booted command line is the prediction's already (unless --cmdline): listed only.
        t.counted = name == "linux,usable-memory-range" || name == "linux,elfcorehdr";
        if (name == "bootargs") {
            t.explanation = QStringLiteral("the bootloader set the command line; the prediction uses the booted one");
            t.advice = QStringLiteral("pass --cmdline to predict with the sources' instead");
        } else if (t.counted) {
            t.explanation
                = QStringLiteral("the bootloader set %1, which changes the memory the kernel uses").arg(t.path);
            t.advice = QStringLiteral("predict with the memory it leaves (--memory)");
        } else {
            t.explanation = QStringLiteral("the bootloader wrote %1 (routine; it changes no verdict)").arg(t.path);
        }
        out.push_back(t);
    }
    return out;
}

} // namespace carveout::capture
