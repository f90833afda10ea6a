// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/editdocument.h"
#include "edit/unifieddiff.h" // the save shows its patch as one

// Qt
#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace carveout {

/** The new text of each file a save changes, and what the user should know about it. */
struct SourcePatch
{
    QMap<QString, QByteArray> original; ///< absolute path -> text as loaded
    QMap<QString, QByteArray> patched; ///< absolute path -> new text (changed files only)
    QStringList notes; ///< macros replaced, overrides written, names kept, ...
    QString error; ///< set when the edits cannot be written as asked
    bool ok() const { return error.isEmpty(); }
};

/** Turns the difference between the document's original and working trees into text edits of
 *  the statements that define each value (found through dtc's source map), leaving comments,
 *  formatting, macros elsewhere and untouched files byte-identical. */
SourcePatch makePatch(const EditDocument& doc);

} // namespace carveout
