// SPDX-License-Identifier: GPL-2.0-only
// <debugfs>/memblock/{memory,reserved} (mm/memblock.c memblock_debug_show) and the CMA files
// of <debugfs>/cma/AREA/ (mm/cma_debug.c) and /sys/kernel/mm/cma/AREA/ (mm/cma_sysfs.c).
#include "captureparts.h"
#include "hexparse.h"

// std
#include <algorithm>

namespace carveout::capture::detail {

std::optional<MemblockEntry> parseMemblockLine(QByteArrayView line, int fileLine)
{
    // "%4d: %pa..%pa " then, since 6.x, "%4d " (node, or "x" for none) and the flag name.
    qsizetype pos = 0;
    skipSpaces(line, &pos);
    if (!takeDecimal(line, &pos) || !line.sliced(pos).startsWith(": 0x"))
        return std::nullopt;
    pos += 4;
    const auto base = takeHex(line, &pos);
    if (!base || !line.sliced(pos).startsWith("..0x"))
        return std::nullopt;
    pos += 4;
    const auto end = takeHex(line, &pos);
    // A range of the whole 64-bit space has no size that fits: not a memblock region.
    if (!end || *end < *base || (*base == 0 && *end == UINT64_MAX))
        return std::nullopt;
    MemblockEntry e;
    e.base = *base;
    e.size = *end - *base + 1;
    e.fileLine = fileLine;
    skipSpaces(line, &pos);
    if (pos < line.size() && line[pos] >= '0' && line[pos] <= '9') {
        const auto node = takeDecimal(line, &pos);
        if (!node || *node > 1u << 20)
            return std::nullopt;
        e.node = int(*node);
        skipSpaces(line, &pos);
    } else if (pos < line.size() && line[pos] == 'x' && (pos + 1 == line.size() || line[pos + 1] == ' ')) {
        ++pos; // MAX_NUMNODES: no node
        skipSpaces(line, &pos);
    }
    const QByteArrayView flags = line.sliced(pos).trimmed();
    for (const char ch : flags) {
        if (!((ch >= 'A' && ch <= 'Z') || ch == '_' || (ch >= '0' && ch <= '9')))
            return std::nullopt;
    }
    e.flags = QString::fromLatin1(flags);
    return e;
}

void readMemblock(
    QByteArrayView bytes, int firstLine, const QString& what, std::vector<MemblockEntry>& out, QStringList* notes)
{
    int bad = 0, firstBad = 0;
    forEachLine(bytes, firstLine, [&](QByteArrayView line, int number) {
        if (line.trimmed().isEmpty())
            return;
        if (auto e = parseMemblockLine(line, number))
            out.push_back(std::move(*e));
        else if (bad++ == 0)
            firstBad = number;
    });
    if (bad) {
        notes->append(
            QStringLiteral("%1: %2 line(s) not in the form of debugfs memblock ignored (the first at line %3)")
                .arg(what)
                .arg(bad)
                .arg(firstBad));
    }
}

void readCmaFile(const QString& area, const QString& file, bool sysfs, QByteArrayView content, const QString& what,
    std::vector<CmaAreaCapture>& areas, QStringList* notes)
{
    auto it = std::find_if(areas.begin(), areas.end(), [&](const CmaAreaCapture& a) { return a.name == area; });
    if (it == areas.end()) {
        areas.push_back(CmaAreaCapture { area, {}, {}, {}, {}, {}, {} });
        it = areas.end() - 1;
    }
    const QByteArrayView value = content.trimmed();
    if (sysfs) {
        it->sysfs[file] = lineText(value);
        return;
    }
    std::optional<uint64_t>* field = nullptr;
    if (file == QLatin1String("base_pfn"))
        field = &it->basePfn;
    else if (file == QLatin1String("count"))
        field = &it->count;
    else if (file == QLatin1String("order_per_bit"))
        field = &it->orderPerBit;
    else if (file == QLatin1String("used"))
        field = &it->used;
    else if (file == QLatin1String("maxchunk"))
        field = &it->maxchunk;
    if (!field)
        return; // bitmap and files of later kernels
    qsizetype pos = 0;
    const auto v = takeDecimal(value, &pos);
    if (v && pos == value.size())
        *field = v;
    else
        notes->append(QStringLiteral("%1: not a decimal number ('%2'); ignored")
                          .arg(what, lineText(value.first(std::min<qsizetype>(value.size(), 40)))));
}

} // namespace carveout::capture::detail
