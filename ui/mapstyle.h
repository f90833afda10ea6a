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
/** Text drawn on a kind colour (the kind colours are mid-tones: dark text reads on most;
 *  textOn() picks for the one under the text). */
QColor onKindText();
/** What a region's block shows, opaque: its kind colour, faded into the palette's Base when
 *  the region is disabled (the colour its label is read against). */
QColor regionFill(const Region& r, const QPalette& pal);
/** The region's label colour: the one of black and white that reads best on regionFill(). */
QColor regionText(const Region& r, const QPalette& pal);
/** Black or white, whichever has the higher contrast on `background` (opaque). */
QColor textOn(const QColor& background);
/** `over` (with its alpha) painted on the opaque `under`. */
QColor composited(const QColor& over, const QColor& under);
/** WCAG 2 contrast ratio of two opaque colours, 1 (none) to 21 (black on white). */
double contrastRatio(const QColor& a, const QColor& b);
/** `c` made lighter or darker, keeping its hue, until text of it reads on `background`
 *  (contrast `ratio`: 4.5 for text, WCAG AA; 3 for lines and marks): a table's verdict
 *  colours, the capture's outlines, on a light or a dark Base. */
QColor legibleOn(const QColor& c, const QColor& background, double ratio = 4.5);
/** Text that says something failed, or fits, on the palette's Window (status lines). */
QColor errorText(const QPalette& pal);
QColor okText(const QPalette& pal);
/** The capture lane's kernel reservations: fill and outline (light on a light Base, dark on a
 *  dark one, so the lane does not glare). */
QColor kernelReservationFill(const QPalette& pal);
QColor kernelReservationBorder(const QPalette& pal);
/** The simulation's phase bands under its time axis (alternating), read with WindowText. */
QColor phaseBand(const QPalette& pal, int i);
/** Whether the palette is a dark one (dark Base). */
bool isDark(const QPalette& pal);
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
/** The mark of a region an overlay added: a corner flag at its top left (hollow for a run-time
 *  overlay, whose region the boot never sees). */
void paintOverlayMark(QPainter& p, const QRectF& block, bool runtime);
QColor overlayColor();
/** A region the kernel did not keep: freed, failed to reserve or allocate, or ignored. */
bool failedOutcome(Outcome o);
/** The diagram's free block: RAM no region or /memreserve/ entry covers (outlined dashed in
 *  bandBorder()). */
QColor freeBlock(const QPalette& pal);

/** One entry of the legend: a swatch and what it means. */
struct LegendEntry
{
    enum Swatch { Fill, Hatched, Crossed, Disabled, Badge, Band, Enlarged, Selected, Overlay, RuntimeOverlay };
    Swatch swatch = Fill;
    QColor colour;
    QString name; ///< short: "CMA pool"
    QString meaning; ///< one sentence
};
/** Every colour, hatching and mark the map paints, in the order a reader needs them; the
 *  overlay corner flags only with `overlays` (a board opened with an overlay stack). */
std::vector<LegendEntry> legend(const QPalette& pal, bool overlays = false);
/** Paints an entry's swatch into `r` exactly as the map paints the thing it stands for. */
void paintSwatch(QPainter& p, const QRectF& r, const LegendEntry& e, const QPalette& pal);

} // namespace carveout::ui::style
