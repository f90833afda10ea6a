// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <vector>

namespace carveout::variants {

/** How a region of A was paired with one of B (in this order of preference). */
enum class MatchedBy { Path, Label, UnitAddress, None };
QString matchedByName(MatchedBy m); ///< "path", "label", "unit-address", "none"

struct RegionChange
{
    int a = -1; ///< Layout::regions index in A, -1 when added
    int b = -1; ///< index in B, -1 when removed
    MatchedBy matchedBy = MatchedBy::None;
    /// Every change, in this order: added, removed, moved, resized, flags, outcome, placement.
    QStringList changes;
    QStringList details; ///< one sentence per change ("base 0x96000000 -> 0x96200000")
    QString change() const { return changes.value(0); }
    QString path; ///< A's path (B's when added)
};

struct LayoutDiff
{
    std::vector<RegionChange> regions; ///< only regions that changed, in A's order, then B's additions
    std::vector<Finding> gained; ///< findings of B that A does not have
    std::vector<Finding> lost; ///< findings of A that B does not have
    RamSummary a, b;
    bool summaryChanged() const;
    bool any() const { return !regions.empty() || !gained.empty() || !lost.empty() || summaryChanged(); }
};

/** What changes from A to B: two boards (two SKUs, two commits of a file, a .dts and a .dtb) or one
 *  board under two profiles. Regions are paired by path, then by label, then by unit address. */
LayoutDiff diffAnalyses(const Analysis& a, const Analysis& b);

} // namespace carveout::variants
