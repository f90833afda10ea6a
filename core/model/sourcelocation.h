// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>

namespace carveout {

class DeviceTree;
struct SourceSpan;

/** Path of a source file as it should be shown to the user: relative to the current folder
 *  when inside it, absolute otherwise. Empty and relative paths come back unchanged. */
QString displayPath(const QString& absolutePath);

/** The file of a span of `tree` as shown to the user (displayPath of the file dtc named); empty
 *  when the span names no file (dtc's `<no-file>`). The one conversion from a source span to the
 *  file of a displayed file:line. */
QString displayFile(const DeviceTree& tree, const SourceSpan& span);

} // namespace carveout
