// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QWidget>

namespace carveout::ui {

class ViewController;

/** Shows `tip` for `w` at `globalPos`, or hides the tooltip when `tip` is empty (the custom-
 *  painted views answer QEvent::ToolTip with this). */
void showToolTipText(QWidget* w, const QPoint& globalPos, const QString& tip);

/** A custom-painted view whose mouse and keys go to a ViewController: the event plumbing the
 *  address map and the heatmap share. The subclass paints and applies the controller's
 *  requests; it hands its controller over with setController(). */
class ControlledView : public QWidget
{
    Q_OBJECT
public:
    explicit ControlledView(QWidget* parent = nullptr)
        : QWidget(parent)
    {
    }

protected:
    void setController(ViewController* controller) { m_controller = controller; }
    /** Called before each event reaches the controller (a lazily laid out view lays out here). */
    virtual void beforeInput() { }
    /** A key the controller took (the map repaints its selection). */
    virtual void keyTaken() { }

    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    ViewController* m_controller = nullptr;
};

} // namespace carveout::ui
