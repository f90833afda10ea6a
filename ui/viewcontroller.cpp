// SPDX-License-Identifier: GPL-2.0-only
#include "viewcontroller.h"

// Qt
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

// std
#include <cmath>

namespace carveout::ui {

ViewController::ViewController(int dragThreshold, QObject* parent)
    : QObject(parent)
    , m_threshold(dragThreshold)
{
}

bool ViewController::mousePress(const QMouseEvent& e)
{
    if (e.button() != Qt::LeftButton)
        return false;
    m_pressPos = e.position().toPoint();
    switch (pressed(e)) {
    case Press::Pan:
        m_state = State::PanPending;
        emit panStarted();
        break;
    case Press::Drag:
        m_state = State::DragPending;
        break;
    case Press::Ignore:
        m_state = State::Idle;
        break;
    }
    return true;
}

bool ViewController::mouseMove(const QMouseEvent& e)
{
    const QPoint pos = e.position().toPoint();
    if (!(e.buttons() & Qt::LeftButton) || m_state == State::Idle) {
        hovered(e);
        return true;
    }
    // A press that has not travelled far enough is still a click.
    if ((m_state == State::PanPending || m_state == State::DragPending)
        && (pos - m_pressPos).manhattanLength() < m_threshold)
        return true;
    if (m_state == State::PanPending)
        m_state = State::Panning;
    else if (m_state == State::DragPending)
        m_state = State::Dragging;
    if (m_state == State::Panning)
        emit panRequested(QPointF(pos - m_pressPos));
    else
        dragged(e);
    return true;
}

bool ViewController::mouseRelease(const QMouseEvent& e)
{
    // Any button ends what the left one started; only the left one completes it.
    const State state = m_state;
    m_state = State::Idle;
    if (e.button() != Qt::LeftButton)
        return false;
    if (state == State::DragPending || state == State::Dragging)
        dragEnded(e);
    else if (state == State::PanPending)
        clicked(e);
    return true;
}

bool ViewController::mouseDoubleClick(const QMouseEvent& e)
{
    if (!doubleClicked(e))
        return false;
    // The second release of a double click is a click where the pointer is, as after a press.
    m_pressPos = e.position().toPoint();
    m_state = State::PanPending;
    emit panStarted();
    return true;
}

bool ViewController::wheel(const QWheelEvent& e)
{
    const double steps = e.angleDelta().y() / 120.0;
    if (steps == 0)
        return false;
    emit zoomRequested(e.position(), std::pow(kWheelStep, steps), wheelAxis(e.modifiers()));
    return true;
}

bool ViewController::zoomKey(const QKeyEvent& e, QPointF at)
{
    switch (e.key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        emit zoomRequested(at, kKeyStep, Qt::Horizontal);
        return true;
    case Qt::Key_Minus:
        emit zoomRequested(at, 1 / kKeyStep, Qt::Horizontal);
        return true;
    default:
        return false;
    }
}

} // namespace carveout::ui
