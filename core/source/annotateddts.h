// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/devicetree.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** Parses what `dtc -I dts -O dts -T -T` prints: a normalised DTS where every node and
 *  property ends with a comment `/ * file:line:col-line:col[, ...] * /` naming where it was
 *  defined in the original sources (cpp line markers honoured by dtc).
 *
 *  Values are converted to the raw bytes a DTB would hold, so a tree read this way equals
 *  the one libfdt reads from the DTB dtc would have written.
 *
 *  Returns false and sets `error` (with the output line) on anything unexpected; it never
 *  reads outside `text`, and nesting is handled without recursion. */
bool parseAnnotatedDts(const QByteArray& text, DeviceTree& tree, QString* error);

/** Parses one annotation comment body ("a.dtsi:3:1-5:2, b.dts:9:1-9:4") into spans. */
std::vector<SourceSpan> parseSpanList(const char* begin, const char* end, DeviceTree& tree);

} // namespace carveout
