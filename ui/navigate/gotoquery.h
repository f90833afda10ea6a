// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>
#include <QStringView>

// std
#include <cstdint>
#include <vector>

namespace carveout {
struct Analysis;
}

namespace carveout::ui {

/** One place the Go to bar can show: a region (index into the layout, or -1 for none) and the
 *  address range [base, end) the map should bring into view (end == base: nothing to show, a
 *  region the kernel did not place). `why` says what matched ("label: pmem"). */
struct GotoTarget
{
    int region = -1;
    uint64_t base = 0;
    uint64_t end = 0;
    QString why;
};

/** What a Go to / Find text names, in the order the bar steps through it. On bad input or no
 *  match `error` is a sentence telling the user what to type, and `targets` is empty. */
struct GotoResult
{
    std::vector<GotoTarget> targets;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/** Reads `text` as the Go to bar does, against what `analysis` shows:
 *  - an address: `0x80000000`, `0x8000_0000`, `2G` (the kernel's memparse units, optional "iB"):
 *    the regions holding it (the map shows each region), else the MiB around the address;
 *  - a range: `BASE-END` (END exclusive) or `BASE+SIZE`: the regions overlapping it, else the
 *    range alone; the map shows the range itself;
 *  - else a name, case-insensitive: a region's node name (with or without its unit address), a
 *    label, a path, or a device bound through `memory-region` (its path or node name). Exact
 *    matches come first, then names starting with the text, then names containing it; each
 *    group in address order.
 *  Pure: no widget, no state. */
GotoResult findTargets(QStringView text, const Analysis& analysis);

} // namespace carveout::ui
