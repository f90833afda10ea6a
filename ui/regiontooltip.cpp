// SPDX-License-Identifier: GPL-2.0-only
#include "regiontooltip.h"

// core
#include "report/layoutreport.h"

// ui
#include "capture/capturetext.h"

// Qt
#include <QCoreApplication>

namespace carveout::ui {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("carveout::ui::AddressMap", text);
}
} // namespace

const capture::RegionComparison* comparisonOf(const MapData& data, int region)
{
    if (!data.compare)
        return nullptr;
    for (const auto& c : data.compare->regions) {
        if (c.region == region)
            return &c;
    }
    return nullptr;
}

QString regionToolTip(const MapData& d, int i, const capture::RegionComparison* c, bool outline)
{
    if (i < 0 || i >= d.regionCount())
        return {};
    const Region& r = d.region(i);
    QString tip;
    if (!outline) {
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        const std::optional<uint64_t> base = d.placedBase(i);
        const QString where = base
            ? QStringLiteral("%1 .. %2 (%3)").arg(toHex(*base), toHex(d.placedEnd(i)), formatSize(d.placedSize(i)))
            : tr("not placed");
        tip = QStringLiteral("<b>%1</b><br>%2<br>%3, %4<br>outcome: %5")
                  .arg(r.name.toHtmlEscaped(), where, kindName(r.kind), flags.join(QLatin1Char(' ')),
                      outcomeName(d.outcome(i)));
        if (r.source.isValid())
            tip += QStringLiteral("<br>%1:%2").arg(r.source.file.toHtmlEscaped()).arg(r.source.line);
        if (r.overlay >= 0) {
            tip += (r.runtimeOverlay ? tr("<br>added by run-time overlay %1: never reserved")
                                     : tr("<br>added by overlay %1"))
                       .arg(r.source.isValid() ? r.source.file.toHtmlEscaped() : QString::number(r.overlay + 1));
        }
    } else {
        tip = tr("<b>%1</b>: where the capture shows it").arg(r.name.toHtmlEscaped());
    }
    if (c) {
        tip += tr("<hr>capture: <b>%1</b><br>predicted: %2<br>actual: %3")
                   .arg(capture::verdictName(c->verdict), predictedText(*c).toHtmlEscaped(),
                       actualText(*c).toHtmlEscaped());
        if (!c->explanation.isEmpty())
            tip += QStringLiteral("<br>") + c->explanation.toHtmlEscaped();
        if (!c->actual.evidence.empty())
            tip += QStringLiteral("<br>") + evidenceHtml(c->actual.evidence, d.captureFile);
    }
    return tip;
}

} // namespace carveout::ui
