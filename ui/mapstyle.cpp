// SPDX-License-Identifier: GPL-2.0-only
#include "mapstyle.h"

// Qt
#include <QPainter>
#include <QPalette>

namespace carveout::ui::style {

namespace {
QString tr(const char* s)
{
    return QCoreApplication::translate("MapStyle", s);
}

bool isDark(const QPalette& pal)
{
    return pal.color(QPalette::Base).lightness() < 128;
}
} // namespace

QColor kindColor(RegionKind kind, bool noMap)
{
    switch (kind) {
    case RegionKind::Cma:
        return QColor(0x4c, 0xaf, 0x50);
    case RegionKind::Coherent:
        return QColor(0x21, 0x96, 0xf3);
    case RegionKind::Restricted:
        return QColor(0x9c, 0x27, 0xb0);
    case RegionKind::Reserved:
        break;
    }
    return noMap ? QColor(0xff, 0x98, 0x00) : QColor(0x90, 0x90, 0x90);
}

QColor onKindText()
{
    return Qt::black;
}

QColor ramBand(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x45, 0x5a, 0x64) : QColor(0xcf, 0xd8, 0xdc);
}

QColor outsideRamBand(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x2b, 0x2b, 0x2b) : QColor(0xf5, 0xf5, 0xf5);
}

QColor bandBorder(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x90, 0xa4, 0xae) : QColor(0x78, 0x90, 0x9c);
}

QColor memreserveColor()
{
    return QColor(0x60, 0x7d, 0x8b);
}

QColor failedColor()
{
    return QColor(0xd3, 0x2f, 0x2f);
}

QColor errorBadge()
{
    return QColor(0xd3, 0x2f, 0x2f);
}

QColor warningBadge()
{
    return QColor(0xf5, 0x7c, 0x00);
}

QBrush dynamicHatch(const QColor& kind)
{
    return QBrush(kind.darker(140), Qt::BDiagPattern);
}

void paintEnlargedMark(QPainter& p, const QRectF& block, const QPalette& pal)
{
    // Under the block, 3 pixels wider each side: says "not to scale" without hiding a neighbour.
    p.fillRect(QRectF(block.left() - 3, block.bottom() + 2, block.width() + 6, 2), pal.color(QPalette::Text));
}

bool failedOutcome(Outcome o)
{
    return o == Outcome::Freed || o == Outcome::ReserveFailed || o == Outcome::AllocFailed || o == Outcome::Ignored;
}

std::vector<LegendEntry> legend(const QPalette& pal)
{
    using E = LegendEntry;
    return {
        { E::Fill, kindColor(RegionKind::Cma, false), tr("CMA pool"),
            tr("shared-dma-pool, reusable: the kernel lends it to movable pages") },
        { E::Fill, kindColor(RegionKind::Coherent, false), tr("Coherent pool"),
            tr("shared-dma-pool, no-map: a device's own DMA memory") },
        { E::Fill, kindColor(RegionKind::Restricted, false), tr("Restricted pool"),
            tr("restricted-dma-pool: bounce buffers of one device") },
        { E::Fill, kindColor(RegionKind::Reserved, true), tr("No-map carve-out"),
            tr("reserved and removed from the kernel's linear map") },
        { E::Fill, kindColor(RegionKind::Reserved, false), tr("Reserved"), tr("reserved, still mapped") },
        { E::Hatched, kindColor(RegionKind::Cma, false), tr("Placed by the kernel"),
            tr("a dynamic region (size only): drawn where the kernel puts it") },
        { E::Crossed, kindColor(RegionKind::Reserved, true), tr("Not kept"), tr("freed, failed or ignored at boot") },
        { E::Disabled, kindColor(RegionKind::Reserved, true), tr("Disabled"),
            tr("status = \"disabled\": the kernel skips it") },
        { E::Badge, errorBadge(), tr("Findings"),
            tr("the number of errors (red) or warnings (orange) about the region") },
        { E::Fill, memreserveColor(), tr("/memreserve/"), tr("an entry of the header's reserve map") },
        { E::Band, ramBand(pal), tr("RAM"), tr("memory banks the kernel sees") },
        { E::Band, outsideRamBand(pal), tr("Outside RAM"), tr("addresses no memory bank covers") },
        { E::Enlarged, kindColor(RegionKind::Reserved, true), tr("Enlarged"),
            tr("too thin to see at this zoom: drawn wider than to scale") },
        { E::Selected, pal.color(QPalette::Highlight), tr("Selected"), tr("the region the Region panel edits") },
    };
}

void paintSwatch(QPainter& p, const QRectF& r, const LegendEntry& e, const QPalette& pal)
{
    p.save();
    switch (e.swatch) {
    case LegendEntry::Fill:
        p.fillRect(r, e.colour);
        p.setPen(e.colour.darker(170));
        p.drawRect(r);
        break;
    case LegendEntry::Hatched:
        p.fillRect(r, e.colour);
        p.fillRect(r, dynamicHatch(e.colour));
        p.setPen(e.colour.darker(170));
        p.drawRect(r);
        break;
    case LegendEntry::Crossed:
        p.fillRect(r, e.colour);
        p.setPen(QPen(failedColor(), 1.5));
        p.drawLine(r.topLeft(), r.bottomRight());
        p.drawLine(r.bottomLeft(), r.topRight());
        p.setPen(QPen(failedColor(), 2, Qt::DashLine));
        p.drawRect(r);
        break;
    case LegendEntry::Disabled: {
        QColor c = e.colour;
        c.setAlpha(60);
        p.fillRect(r, c);
        p.setPen(QPen(e.colour.darker(170), 1, Qt::DotLine));
        p.drawRect(r);
        break;
    }
    case LegendEntry::Badge: {
        const double d = std::min(r.width(), r.height());
        const QRectF left(r.left(), r.center().y() - d / 2, d, d);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::white);
        p.setBrush(errorBadge());
        p.drawEllipse(left);
        p.drawText(left, Qt::AlignCenter, QStringLiteral("2"));
        const QRectF right = left.translated(d + 2, 0);
        p.setBrush(warningBadge());
        p.drawEllipse(right);
        p.drawText(right, Qt::AlignCenter, QStringLiteral("1"));
        break;
    }
    case LegendEntry::Band:
        p.fillRect(r, e.colour);
        p.setPen(bandBorder(pal));
        p.drawRect(r);
        break;
    case LegendEntry::Enlarged: {
        const QRectF thin(r.center().x() - 2.5, r.top(), 5, r.height() - 3);
        p.fillRect(thin, e.colour);
        p.setPen(e.colour.darker(170));
        p.drawRect(thin);
        paintEnlargedMark(p, thin, pal);
        break;
    }
    case LegendEntry::Selected:
        p.fillRect(r, kindColor(RegionKind::Reserved, false));
        p.setPen(QPen(e.colour, 3));
        p.drawRect(r);
        break;
    }
    p.restore();
}

} // namespace carveout::ui::style
