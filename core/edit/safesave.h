// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/patcher.h"

// Qt
#include <QString>
#include <QStringList>

namespace carveout {

struct SaveResult
{
    bool ok = false;
    QStringList written; ///< files replaced (absolute paths)
    QStringList backups; ///< the .bak copies made of them
    QString error; ///< what went wrong, what was and was not written
};

/** Writes a patch. Each file is checked unchanged on disk since it was loaded (else nothing is
 *  written), every new text is first written in full next to its file (QSaveFile), and only
 *  then are the files swapped in, each after a `.bak` copy of the old one. If any swap fails, the
 *  files already swapped are restored from their backups, and the message says so.
 *  With `outDir`, files go below it (relative to `root`) instead, and nothing is backed up. */
SaveResult savePatch(const SourcePatch& patch, const QString& outDir = QString(), const QString& root = QString());

/** Compiles the board as patched, without touching the originals: every file cpp and dtc read is
 *  copied under a scratch folder (the patched text where there is one) and compiled there.
 *  Returns the tree (source positions point into the scratch copy) or the errors. */
LoadResult loadPatched(const EditDocument& doc, const SourcePatch& patch, const QString& scratchDir);

} // namespace carveout
