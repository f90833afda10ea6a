// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>
#include <QStringList>

namespace carveout::ui {

/** `file` as the window shows it: relative to the folder of `boardFile`, or, for a file outside
 *  that folder, relative to the nearest folder holding both (the source tree's root, e.g. the
 *  kernel's arch/ folder: "arm64/qcom/sm8550.dtsi" beside "include/dt-bindings/..."). Absolute
 *  when they share nothing but the root, unchanged when either is empty. Relative inputs are read
 *  against the current folder, as the loader's display paths are. */
QString shownPath(const QString& file, const QString& boardFile);

/** The full path of a display path (for tooltips and the editor). */
QString fullPath(const QString& file);

/** `command` split into words as a POSIX shell does, without expansions: single quotes keep
 *  everything; double quotes keep everything but a backslash before a double quote, a backslash,
 *  a dollar or a backquote; outside quotes a backslash keeps the next character. An unclosed
 *  quote runs to the end. */
QStringList shellWords(const QString& command);

/** How to open file:line in the user's editor: `$VISUAL`, else `$EDITOR` (split as a shell
 *  word list, "code --wait" or "emacsclient -n"), run as `EDITOR +LINE FILE`. An empty program
 *  means neither is set: open the file with the desktop's default (QDesktopServices). A line
 *  below 1 is left out. */
struct EditorCommand
{
    QString program;
    QStringList arguments;
};
EditorCommand editorCommand(const QString& visual, const QString& editor, const QString& file, int line);

/** Opens file:line from the environment's VISUAL / EDITOR (detached), else with the desktop's
 *  default application. Returns an error sentence, or empty when the editor was started. */
QString openInEditor(const QString& file, int line);

} // namespace carveout::ui
