// SPDX-License-Identifier: GPL-2.0-only
#include "mapcontroller.h"

// Qt
#include <QKeyEvent>
#include <QMouseEvent>

namespace carveout::ui {

MapController::MapController(const MapGeometry& geometry, QObject* parent)
    : ViewController(0, parent) // a region follows the mouse from the first pixel
    , m_geometry(geometry)
{
}

ViewController::Press MapController::pressed(const QMouseEvent& e)
{
    m_region = -1;
    const int i = m_geometry.regionAt(pressPos());
    if (i < 0) {
        // A label outside its block selects the region (a drag there pans, never moves it).
        if (const int labelled = m_geometry.labelAt(pressPos()); labelled >= 0) {
            if (labelled != m_geometry.selected())
                emit selectRequested(labelled);
            return Press::Ignore;
        }
        return Press::Pan;
    }
    if (i != m_geometry.selected())
        emit selectRequested(i);
    // Only fixed regions move: a dynamic one is placed by the kernel.
    if (!m_geometry.movable(i))
        return Press::Ignore;
    m_region = i;
    m_handle = m_geometry.handleAt(i, e.position().x());
    m_from = *m_geometry.span(i);
    m_now = m_from;
    return Press::Drag;
}

void MapController::dragTo(const QMouseEvent& e)
{
    // Back where it was pressed: where it was (snapping a misaligned region on a mere click
    // would move it, and the click would become an edit).
    const int dx = e.position().toPoint().x() - pressPos().x();
    const MapSpan to = dx == 0
        ? m_from
        : m_geometry.dragged(m_region, m_handle, m_from, pressPos().x(), dx, !(e.modifiers() & Qt::ShiftModifier));
    if (to == m_now)
        return;
    m_now = to;
    emit dragPreview(m_region, m_now.base, m_now.size);
}

void MapController::dragged(const QMouseEvent& e)
{
    dragTo(e);
}

void MapController::dragEnded(const QMouseEvent& e)
{
    dragTo(e);
    const int region = m_region;
    m_region = -1;
    if (m_now != m_from)
        emit editRequested(region, m_now.base, m_now.size, false);
    else
        emit dragCancelled();
}

void MapController::hovered(const QMouseEvent& e)
{
    const MapHit hit = m_geometry.hitTest(e.position().toPoint());
    Qt::CursorShape shape = Qt::ArrowCursor;
    if (hit.handle == MapHandle::LeftEdge || hit.handle == MapHandle::RightEdge)
        shape = Qt::SizeHorCursor;
    else if (hit.movable)
        shape = Qt::OpenHandCursor;
    emit cursorShapeRequested(shape);
}

bool MapController::keyPress(const QKeyEvent& e)
{
    if (zoomKey(e, QPointF(m_geometry.width() / 2.0, 0)))
        return true;
    switch (e.key()) {
    case Qt::Key_0:
        emit fitRequested();
        return true;
    case Qt::Key_Z:
        emit zoomToSelectionRequested();
        return true;
    case Qt::Key_Left:
    case Qt::Key_Right: {
        const bool right = e.key() == Qt::Key_Right;
        const int selected = m_geometry.selected();
        if (selected < 0) {
            emit scrollRequested(QPointF(right ? -40 : 40, 0));
            return true;
        }
        if (const auto to = m_geometry.nudged(selected, right, e.modifiers() & Qt::ShiftModifier))
            emit editRequested(selected, to->base, to->size, true);
        return true;
    }
    default:
        return false;
    }
}

} // namespace carveout::ui
