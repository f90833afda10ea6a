// SPDX-License-Identifier: GPL-2.0-only
#include "windowoverlays.h"

// ui
#include "mainwindow.h"
#include "overlay/overlaypanel.h"

// Qt
#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
#include <QMenu>
#include <QSignalBlocker>
#include <QStatusBar>

namespace carveout::ui {

namespace {
const char* const kOverlayFilter
    = QT_TRANSLATE_NOOP("carveout::ui::WindowOverlays", "Device-tree overlays (*.dtbo *.dtso);;All files (*)");
} // namespace

WindowOverlays::WindowOverlays(MainWindow* window, QMenu* fileMenu, QMenu* viewMenu)
    : QObject(window)
    , m_window(window)
{
    m_dock = new QDockWidget(tr("Overlays"), window);
    m_dock->setObjectName(QStringLiteral("overlayDock"));
    m_panel = new OverlayPanel(m_dock);
    m_dock->setWidget(m_panel);
    window->addDockWidget(Qt::RightDockWidgetArea, m_dock);
    m_dock->hide(); // until an overlay is added (View > Overlays shows it)
    viewMenu->addAction(m_dock->toggleViewAction());

    // After File > Open recent, where opening belongs.
    const QList<QAction*> actions = fileMenu->actions();
    QAction* before = actions.value(2);
    auto* openWith = new QAction(tr("Open with o&verlays..."), fileMenu);
    openWith->setObjectName(QStringLiteral("openWithOverlays"));
    connect(openWith, &QAction::triggered, this, &WindowOverlays::openWithDialog);
    auto* add = new QAction(tr("Add &overlay..."), fileMenu);
    add->setObjectName(QStringLiteral("addOverlayAction"));
    connect(add, &QAction::triggered, this, &WindowOverlays::addDialog);
    fileMenu->insertActions(before, { openWith, add });

    connect(m_panel, &OverlayPanel::addRequested, this, &WindowOverlays::addDialog);
    connect(m_panel, &OverlayPanel::stackChanged, this, &WindowOverlays::reload);
}

QList<OverlayRequest> WindowOverlays::requests() const
{
    return m_panel->requests();
}

bool WindowOverlays::acceptDrop(const QString& file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix != QLatin1String("dtbo") && suffix != QLatin1String("dtso"))
        return false;
    m_dock->show();
    if (!m_panel->addOverlay(file))
        m_window->statusBar()->showMessage(tr("%1 is in the overlay list already").arg(file), 10000);
    return true;
}

void WindowOverlays::setStack(const QList<OverlayRequest>& overlays)
{
    const QSignalBlocker quiet(m_panel);
    m_panel->list()->clear();
    for (const auto& o : overlays)
        m_panel->addOverlay(o.file, o.runtime);
    if (!overlays.isEmpty())
        m_dock->show();
    m_dock->setWindowTitle(m_panel->count() ? tr("Overlays (%1)").arg(m_panel->count()) : tr("Overlays"));
}

bool WindowOverlays::openWith(const QString& board, const QStringList& overlays)
{
    QList<OverlayRequest> stack;
    for (const auto& o : overlays)
        stack.append({ o, false });
    setStack(stack);
    return m_window->openFile(board);
}

void WindowOverlays::reload()
{
    m_dock->setWindowTitle(m_panel->count() ? tr("Overlays (%1)").arg(m_panel->count()) : tr("Overlays"));
    if (m_panel->count() > 0)
        m_dock->show();
    if (m_window->m_file.isEmpty() || !m_window->maybeSave())
        return;
    if (m_window->openFile(m_window->m_file)) {
        const int n = int(requests().size());
        m_window->statusBar()->showMessage(
            n ? tr("%n overlay(s) applied", nullptr, n) : tr("No overlay applied"), 10000);
    }
}

void WindowOverlays::openWithDialog()
{
    if (!m_window->maybeSave())
        return;
    const QString board = QFileDialog::getOpenFileName(
        m_window, tr("Open board"), QString(), tr("Device trees (*.dts *.dtb);;All files (*)"));
    if (board.isEmpty())
        return;
    const QStringList overlays = QFileDialog::getOpenFileNames(
        m_window, tr("Overlays to apply, in order"), QFileInfo(board).absolutePath(), tr(kOverlayFilter));
    openWith(board, overlays);
}

void WindowOverlays::addDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(m_window, tr("Add overlay"),
        m_window->m_file.isEmpty() ? QString() : QFileInfo(m_window->m_file).absolutePath(), tr(kOverlayFilter));
    for (const auto& f : files)
        acceptDrop(f);
}

} // namespace carveout::ui
