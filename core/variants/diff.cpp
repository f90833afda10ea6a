// SPDX-License-Identifier: GPL-2.0-only
#include "variants/diff.h"

// core
#include "model/units.h"

// std
#include <algorithm>
#include <map>
#include <tuple>

namespace carveout::variants {

QString matchedByName(MatchedBy m)
{
    switch (m) {
    case MatchedBy::Path:
        return QStringLiteral("path");
    case MatchedBy::Label:
        return QStringLiteral("label");
    case MatchedBy::UnitAddress:
        return QStringLiteral("unit-address");
    case MatchedBy::None:
        break;
    }
    return QStringLiteral("none");
}

bool LayoutDiff::summaryChanged() const
{
    return std::tie(a.ram, a.reserved, a.noMap, a.cma, a.free) != std::tie(b.ram, b.reserved, b.noMap, b.cma, b.free);
}

namespace {

QString unitAddress(const Region& r)
{
    return r.name.contains(QLatin1Char('@')) ? r.name.section(QLatin1Char('@'), 1) : QString();
}

/** Pairs A's regions with B's: path first, then a shared label, then the unit address. */
std::vector<std::pair<int, MatchedBy>> pairRegions(const Layout& A, const Layout& B)
{
    std::vector<std::pair<int, MatchedBy>> pair(A.regions.size(), { -1, MatchedBy::None });
    std::vector<bool> taken(B.regions.size(), false);
    auto pass = [&](MatchedBy how, auto same) {
        for (size_t i = 0; i < A.regions.size(); ++i) {
            if (pair[i].first >= 0)
                continue;
            for (size_t j = 0; j < B.regions.size(); ++j)
                if (!taken[j] && same(A.regions[i], B.regions[j])) {
                    pair[i] = { int(j), how };
                    taken[j] = true;
                    break;
                }
        }
    };
    pass(MatchedBy::Path, [](const Region& x, const Region& y) { return x.path == y.path; });
    pass(MatchedBy::Label, [](const Region& x, const Region& y) {
        return std::any_of(x.labels.begin(), x.labels.end(), [&y](const QString& l) { return y.labels.contains(l); });
    });
    pass(MatchedBy::UnitAddress, [](const Region& x, const Region& y) {
        const QString u = unitAddress(x);
        return !u.isEmpty() && u == unitAddress(y);
    });
    return pair;
}

QString placeText(const RegionPlace& p)
{
    return p.base ? QStringLiteral("%1+%2").arg(toHex(*p.base), formatSize(p.size)) : QStringLiteral("unplaced");
}

void compareRegions(const Analysis& A, const Analysis& B, int i, int j, RegionChange& c)
{
    const Region& x = A.layout.regions[size_t(i)];
    const Region& y = B.layout.regions[size_t(j)];
    if (x.placement == Placement::Static && y.placement == Placement::Static && x.base != y.base) {
        c.changes << QStringLiteral("moved");
        c.details << QStringLiteral("base %1 -> %2").arg(toHex(x.base.value_or(0)), toHex(y.base.value_or(0)));
    }
    if (x.treeSize != y.treeSize) {
        c.changes << QStringLiteral("resized");
        c.details << QStringLiteral("size %1 -> %2").arg(formatSize(x.treeSize), formatSize(y.treeSize));
    }
    QStringList flags;
    auto flag = [&flags](bool was, bool is, const char* name) {
        if (was != is)
            flags << QStringLiteral("%1 %2").arg(
                QLatin1String(name), is ? QStringLiteral("added") : QStringLiteral("removed"));
    };
    flag(x.noMap, y.noMap, "no-map");
    flag(x.reusable, y.reusable, "reusable");
    flag(x.cmaDefault, y.cmaDefault, "linux,cma-default");
    flag(x.dmaDefault, y.dmaDefault, "linux,dma-default");
    flag(x.enabled, y.enabled, "enabled");
    if (x.compatible != y.compatible)
        flags << QStringLiteral("compatible \"%1\" -> \"%2\"")
                     .arg(x.compatible.join(QLatin1Char(',')), y.compatible.join(QLatin1Char(',')));
    if (x.alignment != y.alignment)
        flags << QStringLiteral("alignment %1 -> %2")
                     .arg(x.alignment ? toHex(*x.alignment) : QStringLiteral("none"),
                         y.alignment ? toHex(*y.alignment) : QStringLiteral("none"));
    const bool rangesDiffer
        = !std::equal(x.allocRanges.begin(), x.allocRanges.end(), y.allocRanges.begin(), y.allocRanges.end(),
            [](const AddrRange& p, const AddrRange& q) { return p.base == q.base && p.size == q.size; });
    if (rangesDiffer)
        flags << QStringLiteral("alloc-ranges changed");
    if (x.placement != y.placement)
        flags << QStringLiteral("%1 -> %2").arg(placementName(x.placement), placementName(y.placement));
    if (!flags.isEmpty()) {
        c.changes << QStringLiteral("flags");
        c.details << flags.join(QStringLiteral(", "));
    }
    const RegionPlace p = A.place(i);
    const RegionPlace q = B.place(j);
    if (p.outcome != q.outcome) {
        c.changes << QStringLiteral("outcome");
        c.details << QStringLiteral("%1 -> %2").arg(outcomeName(p.outcome), outcomeName(q.outcome));
    }
    // Where the kernel puts it: a dynamic region's placement, or a static one the kernel truncates.
    const bool movedByTree = c.changes.contains(QLatin1String("moved")) || c.changes.contains(QLatin1String("resized"));
    if (!movedByTree && (p.base != q.base || (p.base && p.size != q.size))) {
        c.changes << QStringLiteral("placement");
        c.details << QStringLiteral("placed %1 -> %2").arg(placeText(p), placeText(q));
    }
}

using FindingKey = std::tuple<QString, QString, int>;
FindingKey keyOf(const Finding& f)
{
    return { f.rule, f.node, int(f.severity) };
}

/** Findings of `from` that `other` does not have (as a multiset of rule, node, severity). */
std::vector<Finding> missingIn(const CheckResult& from, const CheckResult& other)
{
    std::map<FindingKey, int> count;
    for (const auto& f : other.findings)
        ++count[keyOf(f)];
    std::vector<Finding> out;
    for (const auto& f : from.findings) {
        int& n = count[keyOf(f)];
        if (n > 0)
            --n;
        else
            out.push_back(f);
    }
    return out;
}

} // namespace

LayoutDiff diffAnalyses(const Analysis& A, const Analysis& B)
{
    LayoutDiff d;
    d.a = A.ram;
    d.b = B.ram;
    const auto pair = pairRegions(A.layout, B.layout);
    std::vector<bool> seen(B.layout.regions.size(), false);
    for (size_t i = 0; i < pair.size(); ++i) {
        RegionChange c;
        c.a = int(i);
        c.path = A.layout.regions[i].path;
        c.matchedBy = pair[i].second;
        c.b = pair[i].first;
        if (c.b < 0) {
            c.changes << QStringLiteral("removed");
            c.details << QStringLiteral("only in A");
        } else {
            seen[size_t(c.b)] = true;
            compareRegions(A, B, int(i), c.b, c);
            if (c.matchedBy != MatchedBy::Path)
                c.details << QStringLiteral("paired by %1 with %2")
                                 .arg(matchedByName(c.matchedBy), B.layout.regions[size_t(c.b)].path);
        }
        if (!c.changes.isEmpty())
            d.regions.push_back(c);
    }
    for (size_t j = 0; j < seen.size(); ++j) {
        if (seen[j])
            continue;
        RegionChange c;
        c.b = int(j);
        c.path = B.layout.regions[j].path;
        c.changes << QStringLiteral("added");
        c.details << QStringLiteral("only in B");
        d.regions.push_back(c);
    }
    d.gained = missingIn(B.check, A.check);
    d.lost = missingIn(A.check, B.check);
    return d;
}

} // namespace carveout::variants
