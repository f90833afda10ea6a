// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** A unified diff (`diff -u` style, 3 lines of context) of one file, headed `a/NAME` and
 *  `b/NAME`. Empty when the texts are equal. */
QByteArray unifiedDiff(const QString& displayName, const QByteArray& before, const QByteArray& after);

} // namespace carveout
