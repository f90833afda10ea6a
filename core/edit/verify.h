// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/patcher.h"
#include "model/diagnostic.h"
#include "source/loader.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

class EditDocument;

/** Checks a patch before anything is written: the patched sources, copied into a scratch folder,
 *  must compile with cpp and dtc (the include folders the board was loaded with, the user's -I
 *  among them) to exactly the edited tree. The CLI's `edit` and the window's Save use it.
 *  Returns empty when `patch` (made from `doc`) may be written, else why not: "the patched sources
 *  do not compile" (with the compiler's errors in `compileErrors`) or "the patched sources would not
 *  give the edited tree (DIFFERENCE)". A patch that changes no file passes unchecked. */
QString checkPatch(const EditDocument& doc, const SourcePatch& patch, Diagnostics* compileErrors = nullptr);

/** The DTB of a board as edited, for File > Export DTB and `carveout-cli export`. */
struct DtbExport
{
    QByteArray dtb;
    QString error; ///< why there is no DTB (empty on success)
    Diagnostics compileErrors;
    bool refused = false; ///< error-level findings remain and `force` was not given
    bool ok() const { return error.isEmpty(); }
};
/** Refuses while `errors` error-level findings remain (unless `force`). An unedited .dtb is its
 *  own bytes; otherwise the sources (patched where edited, in a scratch copy) are compiled once
 *  to a DTB with the board's include folders, and the tree read back from that DTB must equal
 *  the edited tree (a compile that silently drops or changes a value is refused). */
DtbExport exportDtb(const EditDocument& doc, int errors, bool force);

/** Compiles the board as patched, without touching the originals: every file cpp and dtc read is
 *  copied under a scratch folder (the patched text where there is one) and compiled there.
 *  Returns the tree (source positions point into the scratch copy) or the errors. */
LoadResult loadPatched(const EditDocument& doc, const SourcePatch& patch, const QString& scratchDir);

} // namespace carveout
