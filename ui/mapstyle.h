// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"

// Qt
#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QPen>
#include <QString>

// std
#include <vector>

class QPainter;
class QPalette;
class QRectF;

namespace carveout::ui::style {

/** The one table of what the map, the diagram, the compare maps and the legend draw: colours
 *  of region kinds, of banks and of outcomes. Painters take colours from here and the legend
 *  lists these entries, so the legend cannot disagree with the picture. Colours that sit
 *  under text of the palette take the palette, so a dark palette stays legible. */
QColor kindColor(RegionKind kind, bool noMap);
inline QColor kindColor(const Region& r)
{
    return kindColor(r.kind, r.noMap);
}
/** Text drawn on a kind colour (the kind colours are mid-tones: dark text reads on all). */
QColor onKindText();
QColor ramBand(const QPalette& pal);
QColor outsideRamBand(const QPalette& pal);
QColor bandBorder(const QPalette& pal);
QColor memreserveColor();
/** Outline and cross of a region the kernel did not keep (freed, failed, ignored). */
QColor failedColor();
QColor errorBadge();
QColor warningBadge();
/** Hatching over a region the kernel places (dynamic). */
QBrush dynamicHatch(const QColor& kind);
/** The mark of a block drawn wider than to scale (MapGeometry::kMinRegionWidth): a bar under
 *  it, wider than the block, in the text colour. The map and the legend's swatch both use it. */
void paintEnlargedMark(QPainter& p, const QRectF& block, const QPalette& pal);
/** A region the kernel did not keep: freed, failed to reserve or allocate, or ignored. */
bool failedOutcome(Outcome o);

/** One entry of the legend: a swatch and what it means. */
struct LegendEntry
{
    enum Swatch { Fill, Hatched, Crossed, Disabled, Badge, Band, Enlarged, Selected };
    Swatch swatch = Fill;
    QColor colour;
    QString name; ///< short: "CMA pool"
    QString meaning; ///< one sentence
};
/** Every colour, hatching and mark the map paints, in the order a reader needs them. */
std::vector<LegendEntry> legend(const QPalette& pal);
/** Paints an entry's swatch into `r` exactly as the map paints the thing it stands for. */
void paintSwatch(QPainter& p, const QRectF& r, const LegendEntry& e, const QPalette& pal);

} // namespace carveout::ui::style
