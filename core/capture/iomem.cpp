// SPDX-License-Identifier: GPL-2.0-only
// /proc/iomem: "START-END : NAME", two spaces of indentation per nesting level
// (kernel/resource.c r_show: "%*s%0*llx-%0*llx : %s").
#include "captureparts.h"
#include "hexparse.h"

namespace carveout::capture::detail {

std::optional<IomemEntry> parseIomemLine(QByteArrayView line, int fileLine)
{
    qsizetype pos = 0;
    skipSpaces(line, &pos);
    IomemEntry e;
    e.depth = int(pos / 2);
    const auto start = takeHex(line, &pos);
    if (!start || pos >= line.size() || line[pos] != '-')
        return std::nullopt;
    ++pos;
    const auto end = takeHex(line, &pos);
    if (!end || !line.sliced(pos).startsWith(" : "))
        return std::nullopt;
    e.start = *start;
    e.end = *end;
    e.name = lineText(line.sliced(pos + 3));
    e.fileLine = fileLine;
    return e;
}

bool isIomemLine(QByteArrayView line)
{
    return parseIomemLine(line, 0).has_value();
}

void readIomem(QByteArrayView bytes, int firstLine, const QString& what, Capture& c)
{
    c.hasIomem = true;
    int bad = 0, firstBad = 0;
    forEachLine(bytes, firstLine, [&](QByteArrayView line, int number) {
        if (line.trimmed().isEmpty())
            return;
        if (auto e = parseIomemLine(line, number)) {
            c.iomem.push_back(std::move(*e));
        } else if (bad++ == 0) {
            firstBad = number;
        }
    });
    if (bad) {
        c.readerNotes.append(
            QStringLiteral("%1: %2 line(s) not in the form of /proc/iomem ignored (the first at line %3)")
                .arg(what)
                .arg(bad)
                .arg(firstBad));
    }
    bool allZero = !c.iomem.empty();
    for (const auto& e : c.iomem)
        allZero = allZero && e.start == 0 && e.end == 0;
    c.iomemHidden = allZero;
    if (allZero) {
        c.readerNotes.append(QStringLiteral("%1: every /proc/iomem address is 0 (it was read as a user other than "
                                            "root): its ranges show nothing; capture as root")
                                 .arg(what));
    }
}

} // namespace carveout::capture::detail
