// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/diagnostic.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

class MarkerRewriter;

/** An error of the loader itself (a tool that cannot run, a file that cannot be read). */
Diagnostic toolError(const QString& file, const QString& message);

/** Turns cpp's stderr into diagnostics with a sentence on what to do. `names` maps the file
 *  names cpp gives when it read the board from stdin (`<stdin>`, names relative to the board's
 *  folder) back to the real files. */
Diagnostics cppDiagnostics(const QByteArray& err, const QString& board, const MarkerRewriter* names = nullptr);

/** Turns dtc's stderr into diagnostics (errors) and notes (warnings), each with file:line:column
 *  where dtc gives one and a sentence on what to do. `dtc` is the program, for its version. */
void dtcDiagnostics(const QByteArray& err, const QString& dtc, Diagnostics* errors, Diagnostics* notes);

/** dtc names no file for some errors (a missing or cyclic /include/): finds where in cpp's
 *  output `pp` (through its line markers), and says what to do. */
void explainFilelessDtcErrors(Diagnostics* errors, const QByteArray& pp, const QString& board);

} // namespace carveout
