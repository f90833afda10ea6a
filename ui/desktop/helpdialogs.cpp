// SPDX-License-Identifier: GPL-2.0-only
#include "helpdialogs.h"

// app
#include "version.h"

// core
#include "source/loader.h"

// Qt
#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace carveout::ui {

QString libfdtVersion()
{
    return QStringLiteral(CARVEOUT_LIBFDT_VERSION);
}

QString aboutText()
{
    QString rev = QLatin1String(revision());
    rev = rev.isEmpty() ? QString() : QObject::tr(" (git %1)").arg(rev);
    // The loader's dtc: a board that compiles here may not with another dtc.
    const QString dtc = dtcVersion();
    const QString fdt = libfdtVersion();
    return QObject::tr("<h3>Carveout %1%2</h3>"
                       "<p>The /reserved-memory layout of Linux device trees: on an address map, checked with the "
                       "kernel's own rules, edited and saved as patches of the source lines.</p>"
                       "<table>"
                       "<tr><td>Qt</td><td>%3 (built with %4)</td></tr>"
                       "<tr><td>dtc</td><td>%5</td></tr>"
                       "<tr><td>libfdt</td><td>%6</td></tr>"
                       "</table>"
                       "<p>Licensed under the GNU General Public License, version 2.</p>")
        .arg(QLatin1String(version()), rev, QLatin1String(qVersion()), QStringLiteral(QT_VERSION_STR),
            dtc.isEmpty() ? QObject::tr("not found (boards in .dts cannot be opened)") : dtc,
            fdt.isEmpty() ? QObject::tr("unknown (not found at configure time)") : fdt);
}

QDialog* showAboutDialog(QWidget* parent)
{
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("aboutDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("About Carveout"));
    auto* box = new QVBoxLayout(dialog);
    auto* text = new QLabel(aboutText(), dialog);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setTextInteractionFlags(Qt::TextSelectableByMouse); // a bug report quotes it
    text->setWordWrap(true);
    box->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    box->addWidget(buttons);
    dialog->show();
    return dialog;
}

QList<QAction*> shortcutActions(QWidget* window)
{
    QList<QAction*> out;
    for (QAction* a : window->findChildren<QAction*>()) {
        if (!a->shortcut().isEmpty() && !out.contains(a))
            out << a;
    }
    // Actions added straight to the window (not children of it) count too.
    for (QAction* a : window->actions()) {
        if (!a->shortcut().isEmpty() && !out.contains(a))
            out << a;
    }
    return out;
}

namespace {
/// Where a user finds the action: "File > Open...", or its text alone outside any menu.
QString actionPlace(QAction* a)
{
    QString text = a->text();
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    for (QObject* o : a->associatedObjects()) {
        if (auto* menu = qobject_cast<QMenu*>(o)) {
            QString title = menu->title();
            title.remove(QLatin1Char('&'));
            if (!title.isEmpty())
                return title + QStringLiteral(" > ") + text;
        }
    }
    return text;
}
} // namespace

QDialog* showShortcutsDialog(QWidget* window)
{
    auto* dialog = new QDialog(window);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("Keyboard shortcuts"));
    auto* box = new QVBoxLayout(dialog);
    const QList<QAction*> actions = shortcutActions(window);
    auto* table = new QTableWidget(int(actions.size()), 2, dialog);
    table->setObjectName(QStringLiteral("shortcuts"));
    table->setHorizontalHeaderLabels({ QObject::tr("Action"), QObject::tr("Shortcut") });
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setTabKeyNavigation(false);
    for (int row = 0; row < actions.size(); ++row) {
        QAction* a = actions[row];
        auto* what = new QTableWidgetItem(actionPlace(a));
        what->setToolTip(a->toolTip());
        table->setItem(row, 0, what);
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        table->setItem(row, 1, new QTableWidgetItem(keys.join(QStringLiteral(", "))));
    }
    table->sortItems(0);
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    box->addWidget(table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    box->addWidget(buttons);
    dialog->resize(520, 480);
    dialog->show();
    return dialog;
}

} // namespace carveout::ui
