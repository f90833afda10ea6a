// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapgeometry.h"

// Qt
#include <QString>

// std
#include <functional>

class QMenu;

namespace carveout::ui {

/** What the window does for the actions of a region's context menu; an empty one leaves its
 *  action out (Show source for a region with no source line, Delete without an open document). */
struct RegionMenuActions
{
    std::function<void()> zoomTo;
    std::function<void()> selectInTable;
    std::function<void()> selectInList; ///< the Compare window's list of differences
    std::function<void()> showSource;
    std::function<void()> remove;
};

/** Fills `menu` with what one can do with region `region` of `data`: Zoom to region, Select in
 *  table (or list), Show source, Copy name / base / size / reg (to the clipboard, as DTS writes them) and
 *  Delete region. The one builder of the map's, the diagram's and the regions table's menu.
 *  The actions' object names ("copyReg", ...) name them for the tests. */
void fillRegionMenu(QMenu* menu, const MapData& data, int region, const RegionMenuActions& actions);

/** `reg = <...>;` of [base, base + size) in `addressCells` and `sizeCells` 32-bit cells (1 or 2;
 *  another count takes 2). */
QString dtsReg(uint64_t base, uint64_t size, int addressCells, int sizeCells);

} // namespace carveout::ui
