// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>

namespace carveout::ui {

/** The absolute path of a file as a SourceRef names it (displayPath: relative to the current
 *  folder, or absolute). Empty stays empty. */
QString absoluteSourcePath(const QString& file);

/** How the window shows a source file of the board `boardFile` (both absolute or as displayPath
 *  gives them): relative to the board's folder when the file is inside it, else relative to the
 *  source tree's root (the deepest folder holding both, when it is below the home folder and not
 *  a top-level folder such as /usr), else absolute with the home folder as `~`. Views elide it in
 *  the middle and give absoluteSourcePath() in the tooltip. */
QString shownSourcePath(const QString& file, const QString& boardFile);

/** shownSourcePath() with ":line" (line <= 0: none). */
QString shownSourceLocation(const QString& file, int line, const QString& boardFile);

} // namespace carveout::ui
