// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** `compare --format json` (design.md: the compare contract). */
QByteArray compareToJson(const capture::CompareResult& r, const capture::Capture& capture);
/** `compare --format text`: differences first, then what agrees, what is unknown and why. */
QString compareToText(const capture::CompareResult& r, const capture::Capture& capture);

} // namespace carveout
