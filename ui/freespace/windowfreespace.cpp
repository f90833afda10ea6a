// SPDX-License-Identifier: GPL-2.0-only
#include "windowfreespace.h"

// ui
#include "addressmap.h"
#include "elidedlabel.h"
#include "legend.h"
#include "mainwindow.h"

// core
#include "analysis/analysis.h"
#include "analysis/freespace.h"
#include "model/units.h"

// Qt
#include <QDockWidget>
#include <QFrame>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QStatusBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

// std
#include <algorithm>

namespace carveout::ui {

namespace {

enum Column { Base, End, Size };
constexpr int kBaseRole = Qt::UserRole, kEndRole = Qt::UserRole + 1;

/** A scrolling legend: a dock and a popup are shorter than its 14 rows on small screens. */
QScrollArea* scrolledLegend(QWidget* parent)
{
    auto* scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(new Legend(scroll));
    return scroll;
}
} // namespace

WindowFreeSpace::WindowFreeSpace(MainWindow* window, QMenu* viewMenu)
    : QObject(window)
    , m_window(window)
{
    auto* dock = new QDockWidget(tr("Free space"), window);
    dock->setObjectName(QStringLiteral("freeSpaceDock"));
    m_list = new QTreeWidget(dock);
    m_list->setObjectName(QStringLiteral("freeSpace"));
    m_list->setAccessibleName(tr("Free gaps of RAM"));
    m_list->setHeaderLabels({ tr("Base"), tr("End (excl.)"), tr("Size") });
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    dock->setWidget(m_list);
    window->addDockWidget(Qt::RightDockWidgetArea, dock);
    viewMenu->addAction(dock->toggleViewAction());
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item)
            return;
        AddressMap* map = m_window->m_map;
        map->scale().zoomTo(item->data(Base, kBaseRole).toULongLong(), item->data(Base, kEndRole).toULongLong());
        map->update();
    });

    // It gives way first: in a narrow window the memory totals beside it stay whole (the tooltip
    // has all of it).
    m_largest = new ElidedLabel(Qt::ElideRight, tr("largest free…"), window);
    m_largest->setText(tr("largest free block: no board"));
    m_largest->setObjectName(QStringLiteral("largestFree"));
    window->statusBar()->addPermanentWidget(m_largest);

    m_legendDock = new QDockWidget(tr("Legend"), window);
    m_legendDock->setObjectName(QStringLiteral("legendDock"));
    m_legendDock->setWidget(scrolledLegend(m_legendDock));
    window->addDockWidget(Qt::RightDockWidgetArea, m_legendDock);
    m_legendDock->hide(); // View > Legend, or the status bar's button
    viewMenu->addAction(m_legendDock->toggleViewAction());

    m_legendButton = new QToolButton(window);
    m_legendButton->setObjectName(QStringLiteral("legendButton"));
    m_legendButton->setText(tr("Legend"));
    m_legendButton->setToolTip(tr("What the map's colours, hatching and marks mean"));
    m_legendButton->setAutoRaise(true);
    window->statusBar()->addPermanentWidget(m_legendButton);
    connect(m_legendButton, &QToolButton::clicked, this, &WindowFreeSpace::showPopup);
}

void WindowFreeSpace::showPopup()
{
    if (!m_popup) {
        m_popup = new QFrame(m_window, Qt::Popup);
        m_popup->setObjectName(QStringLiteral("legendPopup"));
        static_cast<QFrame*>(m_popup)->setFrameShape(QFrame::StyledPanel);
        auto* box = new QVBoxLayout(m_popup);
        box->setContentsMargins(4, 4, 4, 4);
        box->addWidget(scrolledLegend(m_popup));
        m_popup->resize(520, 440);
        m_popup->findChild<Legend*>()->setOverlays(m_overlays);
    }
    // Above the button, inside the window's screen.
    const QPoint corner = m_legendButton->mapToGlobal(QPoint(m_legendButton->width(), 0));
    m_popup->move(std::max(0, corner.x() - m_popup->width()), std::max(0, corner.y() - m_popup->height()));
    m_popup->show();
}

void WindowFreeSpace::showOverlayFlags(bool overlays)
{
    m_overlays = overlays;
    for (QWidget* w : { static_cast<QWidget*>(m_legendDock), m_popup })
        if (Legend* legend = w ? w->findChild<Legend*>() : nullptr)
            legend->setOverlays(overlays);
}

void WindowFreeSpace::show(const Analysis& a)
{
    showOverlayFlags(!a.layout.overlays.empty());
    const FreeSpace f = freeSpaceOf(a);
    m_list->clear();
    for (const AddrRange& g : f.gaps) {
        auto* item = new QTreeWidgetItem(m_list, { toHex(g.base), toHex(g.end()), formatSize(g.size) });
        item->setData(Base, kBaseRole, qulonglong(g.base));
        item->setData(Base, kEndRole, qulonglong(g.end()));
        item->setTextAlignment(Size, Qt::AlignRight | Qt::AlignVCenter);
    }
    if (const auto largest = f.largestGap()) {
        m_largest->setText(tr("largest free block: %1 at %2").arg(formatSize(largest->size), toHex(largest->base)));
        m_largest->setToolTip(m_largest->text() + QLatin1Char('\n')
            + tr("%1 free gap(s) of RAM, %2 in all (View > Free space lists them).")
                  .arg(f.gaps.size())
                  .arg(formatSize(f.total())));
    } else {
        m_largest->setText(f.ram.empty() ? tr("largest free block: unknown (no RAM in the tree)")
                                         : tr("largest free block: none (RAM is all reserved)"));
        m_largest->setToolTip(m_largest->text());
    }
}

} // namespace carveout::ui
