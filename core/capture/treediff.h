// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

namespace carveout::capture {

/** What the boot chain changed: the source tree against the tree the kernel received, in
 *  /memory, /reserved-memory, /memreserve/ (unless the booted tree was rebuilt from
 *  /proc/device-tree, which has none) and /chosen. `bootedMemory` receives the booted banks
 *  when /memory differs. */
std::vector<TreeDifference> treeDifferences(const Layout& source, const Layout& booted, const DeviceTree& bootedTree,
    const DeviceTree& sourceTree, bool noMemreserve, std::vector<AddrRange>* bootedMemory);

} // namespace carveout::capture
