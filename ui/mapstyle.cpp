// SPDX-License-Identifier: GPL-2.0-only
#include "mapstyle.h"

// Qt
#include <QPainter>
#include <QPalette>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui::style {

namespace {
QString tr(const char* s)
{
    return QCoreApplication::translate("MapStyle", s);
}
} // namespace

bool isDark(const QPalette& pal)
{
    return pal.color(QPalette::Base).lightness() < 128;
}

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

QColor composited(const QColor& over, const QColor& under)
{
    const double a = over.alphaF();
    const auto mix = [a](double o, double u) { return float(o * a + u * (1 - a)); };
    return QColor::fromRgbF(
        mix(over.redF(), under.redF()), mix(over.greenF(), under.greenF()), mix(over.blueF(), under.blueF()));
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const auto luminance = [](const QColor& c) {
        const auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor textOn(const QColor& background)
{
    const QColor black(Qt::black), white(Qt::white);
    return contrastRatio(black, background) >= contrastRatio(white, background) ? black : white;
}

QColor legibleOn(const QColor& c, const QColor& background, double ratio)
{
    QColor out = c;
    const bool lighten = background.lightnessF() < 0.5;
    for (int step = 0; step < 20 && contrastRatio(out, background) < ratio; ++step) {
        float h, s, l, a;
        out.getHslF(&h, &s, &l, &a);
        out = QColor::fromHslF(h, s, lighten ? std::min(1.0f, l + 0.05f) : std::max(0.0f, l - 0.05f), a);
    }
    return out;
}

QColor errorText(const QPalette& pal)
{
    return legibleOn(QColor(0xb0, 0x00, 0x20), pal.color(QPalette::Window));
}

QColor okText(const QPalette& pal)
{
    return legibleOn(QColor(0x1b, 0x7a, 0x2e), pal.color(QPalette::Window));
}

QColor regionFill(const Region& r, const QPalette& pal)
{
    QColor c = kindColor(r);
    if (!r.enabled)
        c.setAlpha(60);
    return composited(c, pal.color(QPalette::Base));
}

QColor regionText(const Region& r, const QPalette& pal)
{
    return textOn(regionFill(r, pal));
}

QColor kernelReservationFill(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x37, 0x47, 0x4f) : QColor(0xec, 0xef, 0xf1);
}

QColor kernelReservationBorder(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x90, 0xa4, 0xae) : QColor(0x54, 0x6e, 0x7a);
}

QColor phaseBand(const QPalette& pal, int i)
{
    if (isDark(pal))
        return i % 2 ? QColor(0x3a, 0x3f, 0x4a) : QColor(0x30, 0x35, 0x40);
    return i % 2 ? QColor(225, 225, 235) : QColor(210, 215, 228);
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

QColor freeBlock(const QPalette& pal)
{
    return isDark(pal) ? QColor(0x1e, 0x2a, 0x20) : QColor(0xf1, 0xf8, 0xe9);
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

QColor overlayColor()
{
    return QColor(0x8e, 0x44, 0xad); // purple: no region kind uses it
}

void paintOverlayMark(QPainter& p, const QRectF& block, bool runtime)
{
    const qreal side = std::min<qreal>(12, std::min(block.width(), block.height()));
    const QPointF corner[]
        = { block.topLeft(), block.topLeft() + QPointF(side, 0), block.topLeft() + QPointF(0, side) };
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(overlayColor(), 1.5));
    p.setBrush(runtime ? QBrush(Qt::NoBrush) : QBrush(overlayColor()));
    p.drawPolygon(corner, 3);
    p.restore();
}

bool failedOutcome(Outcome o)
{
    return o == Outcome::Freed || o == Outcome::ReserveFailed || o == Outcome::AllocFailed || o == Outcome::Ignored;
}

std::vector<LegendEntry> legend(const QPalette& pal, bool overlays)
{
    using E = LegendEntry;
    std::vector<LegendEntry> entries {
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
    if (overlays) {
        entries.push_back({ E::Overlay, overlayColor(), tr("Added by an overlay"),
            tr("an overlay applied before boot added the region (its tooltip names the overlay)") });
        entries.push_back({ E::RuntimeOverlay, overlayColor(), tr("Added at run time"),
            tr("a run-time overlay added it: the kernel never reserves it") });
    }
    return entries;
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
        p.fillRect(r, composited(c, pal.color(QPalette::Base)));
        p.setPen(QPen(e.colour.darker(170), 1, Qt::DotLine));
        p.drawRect(r);
        break;
    }
    case LegendEntry::Badge: {
        const double d = std::min(r.width(), r.height());
        const QRectF left(r.left(), r.center().y() - d / 2, d, d);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(textOn(errorBadge()));
        p.setBrush(errorBadge());
        p.drawEllipse(left);
        p.drawText(left, Qt::AlignCenter, QStringLiteral("2"));
        const QRectF right = left.translated(d + 2, 0);
        p.setPen(textOn(warningBadge()));
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
    case LegendEntry::Overlay:
    case LegendEntry::RuntimeOverlay:
        p.fillRect(r, kindColor(RegionKind::Reserved, true));
        p.setPen(kindColor(RegionKind::Reserved, true).darker(170));
        p.drawRect(r);
        paintOverlayMark(p, r, e.swatch == LegendEntry::RuntimeOverlay);
        break;
    }
    p.restore();
}

} // namespace carveout::ui::style
