// SPDX-License-Identifier: GPL-2.0-only
#include "treecompare.h"

// std
#include <map>

namespace carveout {

namespace {
uint32_t phandleOf(const DtNode& n)
{
    for (const char* name : { "phandle", "linux,phandle" }) {
        const auto* p = n.property(name);
        if (p && p->value.size() == 4)
            return cells::at(p->value, 0);
    }
    return 0;
}
} // namespace

QString treeDifference(const DeviceTree& a, const DeviceTree& b)
{
    // Phandle a -> phandle b, through node paths.
    std::map<uint32_t, uint32_t> map;
    int liveA = 0, liveB = 0;
    for (int i = 0; i < a.nodeCount(); ++i) {
        if (a.node(i).deleted)
            continue;
        ++liveA;
        const uint32_t pa = phandleOf(a.node(i));
        const int j = b.findPath(a.path(i));
        if (pa && j >= 0)
            map[pa] = phandleOf(b.node(j));
    }
    for (int j = 0; j < b.nodeCount(); ++j)
        liveB += !b.node(j).deleted;
    if (liveA != liveB)
        return QStringLiteral("%1 nodes expected, %2 found").arg(liveA).arg(liveB);
    if (a.memReserve().size() != b.memReserve().size())
        return QStringLiteral("/memreserve/ entries differ");
    for (size_t k = 0; k < a.memReserve().size(); ++k) {
        const MemReserveEntry &x = a.memReserve()[k], &y = b.memReserve()[k];
        if (x.base != y.base || x.size != y.size)
            return QStringLiteral("/memreserve/ entry %1 differs").arg(k + 1);
    }
    for (int i = 0; i < a.nodeCount(); ++i) {
        const DtNode& na = a.node(i);
        if (na.deleted)
            continue;
        const QString path = a.path(i);
        const int j = b.findPath(path);
        if (j < 0)
            return QStringLiteral("%1 is missing").arg(path);
        const DtNode& nb = b.node(j);
        size_t countA = 0, countB = 0;
        for (const auto& p : na.properties)
            countA += p.name != "phandle" && p.name != "linux,phandle";
        for (const auto& p : nb.properties)
            countB += p.name != "phandle" && p.name != "linux,phandle";
        if (countA != countB)
            return QStringLiteral("%1: %2 properties expected, %3 found").arg(path).arg(countA).arg(countB);
        for (const auto& p : na.properties) {
            if (p.name == "phandle" || p.name == "linux,phandle")
                continue;
            const DtProperty* q = nb.property(p.name.constData());
            if (!q)
                return QStringLiteral("%1: %2 is missing").arg(path, QString::fromUtf8(p.name));
            if (q->value == p.value)
                continue;
            bool same = q->value.size() == p.value.size() && p.value.size() % 4 == 0;
            for (int k = 0; same && k < cells::count(p.value); ++k) {
                const uint32_t x = cells::at(p.value, k), y = cells::at(q->value, k);
                if (x == y)
                    continue;
                const auto it = map.find(x);
                same = it != map.end() && it->second == y;
            }
            if (!same)
                return QStringLiteral("%1: %2 differs").arg(path, QString::fromUtf8(p.name));
        }
    }
    return {};
}

} // namespace carveout
