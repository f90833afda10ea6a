// SPDX-License-Identifier: GPL-2.0-only
#include "bootlane.h"

// core
#include "model/units.h"

// ui
#include "mapgeometry.h"
#include "mapstyle.h"

// Qt
#include <QCoreApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QPalette>

namespace carveout::ui {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("carveout::ui::BootLane", text);
}

/** One colour for the bootloader's files: they are neither regions nor the capture's marks. */
QColor loadColor()
{
    return QColor(0x4a, 0x7f, 0x8c);
}
} // namespace

void paintBootLane(QPainter& p, const MapGeometry& g, const QPalette& pal, const QFont& font, int width)
{
    const int lane = g.bootLane();
    if (lane < 0)
        return;
    const KernelProfile& profile = g.data().analysis->profile;
    const QRectF r = g.laneRect(lane);
    p.setPen(pal.text().color());
    p.drawText(r.adjusted(0, 0, 0, -r.height() + 12), Qt::AlignLeft,
        profile.efi() ? tr("bootloader (EFI boot: placed by the firmware, not reserved)") : tr("bootloader"));
    const QFontMetrics fm(font);
    for (int k = 0; k < int(profile.loads.size()); ++k) {
        const QRectF b = g.loadRect(k);
        if (b.right() < 0 || b.left() > width)
            continue;
        QColor fill = loadColor();
        if (profile.efi())
            fill.setAlpha(90);
        const QColor under = style::composited(fill, pal.color(QPalette::Base));
        p.fillRect(b, under);
        if (profile.efi())
            p.fillRect(b, QBrush(style::legibleOn(loadColor(), pal.color(QPalette::Base), 3), Qt::BDiagPattern));
        p.setPen(QPen(style::legibleOn(loadColor(), pal.color(QPalette::Base), 3), 1));
        p.drawRect(b);
        if (b.width() > 24) {
            p.setPen(style::textOn(under));
            p.drawText(b.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                fm.elidedText(profile.loads[size_t(k)].name, Qt::ElideRight, int(b.width()) - 6));
        }
    }
}

QString bootLaneToolTip(const MapGeometry& g, const QPointF& pos)
{
    const int k = g.loadAt(pos);
    if (k < 0)
        return {};
    const KernelProfile& profile = g.data().analysis->profile;
    const BootLoad& l = profile.loads[size_t(k)];
    QString tip = tr("<b>%1</b> (the bootloader's %2, from %3)<br>%4 .. %5 (%6)")
                      .arg(l.name.toHtmlEscaped(), l.variable, l.origin.toHtmlEscaped(), toHex(l.range.base),
                          toHex(l.range.end()), formatSize(l.range.size));
    tip += profile.efi() ? tr("<br>EFI boot: the stub and the firmware place the files, so this is not reserved")
                         : tr("<br>the kernel reserves it before /reserved-memory is read");
    for (const auto& f : g.data().analysis->check.findings) {
        if ((f.rule == QLatin1String("boot_load_overlap") || f.rule == QLatin1String("boot_load_in_window"))
            && f.message.contains(l.variable))
            tip += QStringLiteral("<br>&bull; ") + f.message.toHtmlEscaped();
    }
    return tip;
}

} // namespace carveout::ui
