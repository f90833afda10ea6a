// SPDX-License-Identifier: GPL-2.0-only
#include "sim/heatmapcontroller.h"

// Qt
#include <QKeyEvent>
#include <QMouseEvent>

// std
#include <algorithm>
#include <utility>

namespace carveout::ui {

HeatmapController::HeatmapController(const HeatmapGeometry& geometry, QObject* parent)
    : ViewController(kClickSlop, parent)
    , m_geometry(geometry)
{
}

ViewController::Press HeatmapController::pressed(const QMouseEvent&)
{
    m_swallowRelease = false; // a new press: no double click is pending
    m_beforeClick.reset();
    return Press::Pan;
}

void HeatmapController::clicked(const QMouseEvent& e)
{
    if (std::exchange(m_swallowRelease, false))
        return;
    m_beforeClick = m_geometry.cursor();
    if (const auto to = m_geometry.seekAt(e.position()))
        emit seekRequested(*to);
}

bool HeatmapController::doubleClicked(const QMouseEvent&)
{
    if (const auto before = std::exchange(m_beforeClick, std::nullopt); before && *before != m_geometry.cursor())
        emit seekRequested(*before);
    m_swallowRelease = true;
    emit fitRequested();
    return true;
}

void HeatmapController::hovered(const QMouseEvent& e)
{
    emit toolTipRequested(e.position().toPoint(), e.globalPosition().toPoint());
}

Qt::Orientation HeatmapController::wheelAxis(Qt::KeyboardModifiers mods) const
{
    return (mods & (Qt::ControlModifier | Qt::ShiftModifier)) ? Qt::Vertical : Qt::Horizontal;
}

bool HeatmapController::keyPress(const QKeyEvent& e)
{
    const uint64_t cursor = m_geometry.cursor();
    if (zoomKey(e, QPointF(m_geometry.xAtTime(double(cursor)), 0)))
        return true;
    const double page = m_geometry.plotRect().height() / 8.0;
    switch (e.key()) {
    case Qt::Key_Home:
        emit fitRequested();
        return true;
    case Qt::Key_Left:
        emit seekRequested(cursor > 0 ? cursor - 1 : 0);
        return true;
    case Qt::Key_Right:
        emit seekRequested(std::min(cursor + 1, m_geometry.opCount()));
        return true;
    case Qt::Key_Up:
        emit scrollRequested(QPointF(0, page));
        return true;
    case Qt::Key_Down:
        emit scrollRequested(QPointF(0, -page));
        return true;
    default:
        return false;
    }
}

} // namespace carveout::ui
