// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QList>
#include <QString>

class QAction;
class QDialog;
class QWidget;

namespace carveout::ui {

/** Help > About's text (HTML): the program's version and git revision, the Qt it runs on and
 *  was built with, the dtc the loader runs (its --version) and the libfdt it was built with. */
QString aboutText();
/** The libfdt version found at configure time (libfdt 1.6.1 has no call that says it), or "". */
QString libfdtVersion();
/** A non-modal About dialog (object name "aboutDialog"), deleted when closed. */
QDialog* showAboutDialog(QWidget* parent);

/** Every action of `window` (its menus, toolbars and docks) that has a shortcut, once each, in
 *  the order they were made. */
QList<QAction*> shortcutActions(QWidget* window);
/** Help > Keyboard shortcuts: a table generated from shortcutActions() when it opens, so it
 *  lists what the window has now (object name "shortcutsDialog"; its table "shortcuts"). */
QDialog* showShortcutsDialog(QWidget* window);

} // namespace carveout::ui
