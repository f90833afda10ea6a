// SPDX-License-Identifier: GPL-2.0-only
#include "controlledview.h"

// ui
#include "viewcontroller.h"

// Qt
#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

namespace carveout::ui {

void ControlledView::mousePressEvent(QMouseEvent* e)
{
    beforeInput();
    if (focusPolicy() & Qt::ClickFocus)
        setFocus(Qt::MouseFocusReason);
    m_controller->mousePress(*e);
}

void ControlledView::mouseMoveEvent(QMouseEvent* e)
{
    beforeInput();
    m_controller->mouseMove(*e);
}

void ControlledView::mouseReleaseEvent(QMouseEvent* e)
{
    beforeInput();
    m_controller->mouseRelease(*e);
}

void ControlledView::mouseDoubleClickEvent(QMouseEvent* e)
{
    beforeInput();
    if (!m_controller->mouseDoubleClick(*e))
        QWidget::mouseDoubleClickEvent(e);
}

void ControlledView::wheelEvent(QWheelEvent* e)
{
    beforeInput();
    if (m_controller->wheel(*e))
        e->accept();
}

void ControlledView::keyPressEvent(QKeyEvent* e)
{
    beforeInput();
    if (m_controller->keyPress(*e))
        keyTaken();
    else
        QWidget::keyPressEvent(e);
}

void showToolTipText(QWidget* w, const QPoint& globalPos, const QString& tip)
{
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(globalPos, tip, w);
}

} // namespace carveout::ui
