// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/devicetree.h"

// Qt
#include <QString>

namespace carveout {

/** Compares two trees node by node (by path) and property by property (as bytes), as a DTB
 *  holds them. dtc numbers phandles itself, so a new reference can shift them: phandle values
 *  are matched through the nodes that carry them, and a cell that differs only by that mapping
 *  is equal. Deleted nodes are skipped. Returns the first difference, or empty when equal. */
QString treeDifference(const DeviceTree& expected, const DeviceTree& actual);

} // namespace carveout
