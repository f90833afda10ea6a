// SPDX-License-Identifier: GPL-2.0-only
// Small lookups the window tests share.
#pragma once

#include "mainwindow.h"

// Qt
#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QPixmap>
#include <QStringList>
#include <QTest>
#include <QTimer>

// std
#include <memory>
#include <utility>

namespace carveout::test {

/// The Qt warnings seen since the last takeQtWarnings(), once catchQtWarnings() is installed.
inline QStringList& qtWarnings()
{
    static QStringList warnings;
    return warnings;
}

/// Collects every Qt warning (the window tests fail on any, in cleanup()).
inline void catchQtWarnings()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& msg) {
        // The offscreen plugin itself says these on every top-level show (and menu popup); they are not about our code.
        if (msg.startsWith(QLatin1String("This plugin does not support propagateSizeHints"))
            || msg.startsWith(QLatin1String("This plugin does not support raise()"))
            || msg.startsWith(QLatin1String("This plugin does not support grabbing the keyboard")))
            return;
        if (type != QtDebugMsg && type != QtInfoMsg)
            qtWarnings() << msg;
    });
}

inline QStringList takeQtWarnings()
{
    return std::exchange(qtWarnings(), {});
}

/// Saves a grab of \a w as \a name in $CARVEOUT_SCREENSHOT_DIR (the README's pictures), if set.
inline void screenshot(QWidget& w, const char* name)
{
    const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        w.grab().save(shots + QLatin1Char('/') + QLatin1String(name));
}

/** Sends a context-menu event to `target` at `pos` and, once the menu is up, chooses the action
 *  named `action` in it with the keyboard. Returns the menu's action names (empty: no menu). */
inline QStringList chooseFromMenu(QWidget* target, const QPoint& pos, const QString& action)
{
    QStringList names;
    bool chosen = false;
    QTimer::singleShot(0, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction* a : menu->actions()) {
            if (!a->objectName().isEmpty())
                names << a->objectName();
        }
        for (QAction* a : menu->actions()) {
            if (a->objectName() == action && a->isEnabled()) {
                menu->setActiveAction(a);
                QTest::keyClick(menu, Qt::Key_Return);
                chosen = true;
                return;
            }
        }
        menu->close();
    });
    QContextMenuEvent e(QContextMenuEvent::Mouse, pos, target->mapToGlobal(pos));
    QApplication::sendEvent(target, &e);
    if (!chosen && !action.isEmpty())
        qWarning("action %s was not in the menu", qPrintable(action));
    return names;
}
/// A main window shown at \a size with \a board open; the test run stops when it cannot be.
inline std::unique_ptr<ui::MainWindow> openWindow(const QString& board, QSize size = QSize(1400, 860))
{
    auto w = std::make_unique<ui::MainWindow>();
    w->resize(size);
    w->show();
    if (!QTest::qWaitForWindowExposed(w.get()) || !w->openFile(board))
        qFatal("cannot open %s", qPrintable(board));
    return w;
}

/// Index of the first region whose node name starts with \a prefix, or -1.
inline int regionNamed(const ui::MainWindow& w, const QString& prefix)
{
    const auto& regions = w.layout().regions;
    for (size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].name.startsWith(prefix))
            return int(i);
    }
    return -1;
}

/// Whether the window's current findings include \a rule.
inline bool hasFinding(const ui::MainWindow& w, const char* rule)
{
    for (const auto& f : w.findings().findings) {
        if (f.rule == QLatin1String(rule))
            return true;
    }
    return false;
}

} // namespace carveout::test
