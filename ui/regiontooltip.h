// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapgeometry.h"

// Qt
#include <QString>

namespace carveout::ui {

/** The capture's comparison of a region (null without a capture or when it has none). */
const capture::RegionComparison* comparisonOf(const MapData& data, int region);

/** The tooltip of a region, the same in the map and the diagram: name, placed range and size,
 *  kind, flags, outcome, where it is defined and what the capture shows of it (`comparison`,
 *  may be null). `outline`: the tooltip of the capture's outline of it rather than its block. */
QString regionToolTip(
    const MapData& data, int region, const capture::RegionComparison* comparison, bool outline = false);

} // namespace carveout::ui
