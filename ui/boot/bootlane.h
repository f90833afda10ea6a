// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// The address map's boot lane: where the bootloader put the kernel, the DTB and the initrd
// (the profile's loads, kernel-rules-additions.md section 7), painted and explained in tooltips.

// Qt
#include <QString>

class QFont;
class QPainter;
class QPalette;
class QPointF;

namespace carveout::ui {

class MapGeometry;

/** Paints the boot lane (nothing when the profile has no placements). */
void paintBootLane(QPainter& p, const MapGeometry& g, const QPalette& pal, const QFont& font, int width);
/** The tooltip of the placement under `pos`, or empty. */
QString bootLaneToolTip(const MapGeometry& g, const QPointF& pos);

} // namespace carveout::ui
