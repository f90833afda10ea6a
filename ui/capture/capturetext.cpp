// SPDX-License-Identifier: GPL-2.0-only
#include "capturetext.h"

// core
#include "model/units.h"
#include "source/loader.h"

// Qt
#include <QObject>

namespace carveout::ui {

QColor verdictColor(capture::Verdict v)
{
    switch (v) {
    case capture::Verdict::Agree:
        return QColor(0x26, 0x32, 0x38);
    case capture::Verdict::Differ:
        return unexplainedColor();
    case capture::Verdict::Unknown:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QString rangeText(const AddrRange& r)
{
    return QStringLiteral("%1..%2 (%3)").arg(toHex(r.base), toHex(r.end()), formatSize(r.size));
}

QString placeText(Outcome outcome, const std::optional<uint64_t>& base, const std::optional<uint64_t>& size)
{
    QString s = outcomeName(outcome);
    if (base)
        s += QStringLiteral(" at %1").arg(toHex(*base));
    if (size)
        s += QStringLiteral(" (%1)").arg(formatSize(*size));
    return s;
}

QString predictedText(const capture::RegionComparison& c)
{
    return placeText(c.predicted.outcome, c.predicted.base,
        c.predicted.size ? std::optional<uint64_t>(c.predicted.size) : std::nullopt);
}

QString actualText(const capture::RegionComparison& c)
{
    return placeText(c.actual.outcome, c.actual.base, c.actual.size);
}

QStringList evidenceLines(const std::vector<capture::Evidence>& evidence, const QString& file)
{
    const QString shown = displayPath(file);
    QStringList lines;
    for (const auto& e : evidence) {
        // Facts read from a decoded section (the fdt) have no line of their own.
        const QString where = e.fileLine > 0 ? QStringLiteral("%1:%2").arg(shown).arg(e.fileLine) : shown;
        lines << QStringLiteral("%1 [%2] %3").arg(where, e.section, e.text);
    }
    return lines;
}

QString evidenceHtml(const std::vector<capture::Evidence>& evidence, const QString& file, int max)
{
    QStringList lines = evidenceLines(evidence, file);
    const int more = int(lines.size()) - max;
    if (more > 0) {
        lines = lines.mid(0, max);
        lines << QObject::tr("... %1 more line(s) in the Capture dock").arg(more);
    }
    for (auto& l : lines)
        l = QStringLiteral("<tt>%1</tt>").arg(l.toHtmlEscaped());
    return lines.join(QStringLiteral("<br>"));
}

} // namespace carveout::ui
