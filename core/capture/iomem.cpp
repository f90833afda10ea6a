// SPDX-License-Identifier: GPL-2.0-only
// /proc/iomem: "START-END : NAME", two spaces of indentation per nesting level
// (kernel/resource.c r_show: "%*s%0*llx-%0*llx : %s").
#include "captureparts.h"
#include "hexparse.h"

namespace carveout::capture::detail {

namespace {

/** The line's fields without making the name (kind detection runs this on every line). */
bool split(QByteArrayView line, IomemEntry* e, qsizetype* nameAt)
{
    qsizetype pos = 0;
    skipSpaces(line, &pos);
    e->depth = int(pos / 2);
    const auto start = takeHex(line, &pos);
    if (!start || pos >= line.size() || line[pos] != '-')
        return false;
    ++pos;
    const auto end = takeHex(line, &pos);
    if (!end || *end < *start || !line.sliced(pos).startsWith(" : "))
        return false;
    e->start = *start;
    e->end = *end;
    *nameAt = pos + 3;
    return true;
}

} // namespace

std::optional<IomemEntry> parseIomemLine(QByteArrayView line, int fileLine)
{
    IomemEntry e;
    qsizetype nameAt = 0;
    if (!split(line, &e, &nameAt))
        return std::nullopt;
    e.name = lineText(line.sliced(nameAt));
    e.fileLine = fileLine;
    return e;
}

bool isIomemLine(QByteArrayView line)
{
    IomemEntry e;
    qsizetype nameAt = 0;
    return split(line, &e, &nameAt);
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
