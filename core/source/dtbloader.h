// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/devicetree.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** Reads a flattened device tree blob with libfdt. The blob is checked completely
 *  (fdt_check_full) before anything is read, so a damaged file gives an error, never a crash.
 *  Returns false with `error` set to a sentence that says what is wrong and what to do. */
bool readDtb(const QByteArray& blob, DeviceTree& tree, QString* error);

/** Our own sentence for a libfdt error code (fdt_strerror only names the code). */
QString fdtErrorSentence(int err);

} // namespace carveout
