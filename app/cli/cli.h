// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QStringList>

class QTextStream;

namespace carveout::cli {

/** Runs one carveout-cli command. Returns the exit status of design.md section 5:
 *  0 success, 1 error-level findings, 2 the input could not be read or the call was wrong. */
int run(const QStringList& args, QTextStream& out, QTextStream& err);

} // namespace carveout::cli
