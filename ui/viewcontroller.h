// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QObject>
#include <QPoint>

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace carveout::ui {

/** The mouse and key plumbing the address map and the heatmap share: a left press either
 *  starts a drag the subclass claims (moving a region) or a pan; moves past the drag threshold
 *  pan from where the press was; a release that never passed the threshold is a click; the
 *  wheel and +/- zoom around a point. The controller changes nothing itself: it emits
 *  requests, and the widget applies them to its geometry or passes them on as its own signals
 *  (after okteta's gui/controller/ mouse and wheel controllers). */
class ViewController : public QObject
{
    Q_OBJECT
public:
    /** Each returns whether the event was used. */
    bool mousePress(const QMouseEvent& e);
    bool mouseMove(const QMouseEvent& e);
    bool mouseRelease(const QMouseEvent& e);
    bool mouseDoubleClick(const QMouseEvent& e);
    bool wheel(const QWheelEvent& e);
    virtual bool keyPress(const QKeyEvent& e) = 0;

    /** Pixels (Manhattan) a press must travel before it pans or drags; 0: at once. */
    int dragThreshold() const { return m_threshold; }
    /** Where the current press was (rounded to whole pixels, as the drags measure). */
    QPoint pressPos() const { return m_pressPos; }

    static constexpr double kWheelStep = 1.25; ///< zoom per wheel notch
    static constexpr double kKeyStep = 1.5; ///< zoom per + or - key

signals:
    /** A pan begins: the widget remembers its view, as panRequested measures from it. */
    void panStarted();
    /** Show the view remembered at panStarted moved by `sincePress` pixels (the content
     *  follows the mouse). */
    void panRequested(QPointF sincePress);
    /** Move the view as a drag of `delta` pixels would (keys). */
    void scrollRequested(QPointF delta);
    /** Zoom by `factor` along `axis`, keeping the point under `at` (widget pixels) in place. */
    void zoomRequested(QPointF at, double factor, Qt::Orientation axis);
    /** Show everything. */
    void fitRequested();

protected:
    enum class Press { Pan, Drag, Ignore };

    ViewController(int dragThreshold, QObject* parent);

    /** A left press: Drag when the subclass takes it, Pan to pan, Ignore for neither. */
    virtual Press pressed(const QMouseEvent& e) = 0;
    /** The pointer moved with the button down during a claimed drag. */
    virtual void dragged(const QMouseEvent&) { }
    /** The left button was released during a claimed drag (moved or not). */
    virtual void dragEnded(const QMouseEvent&) { }
    /** A press that would have panned was released without moving past the threshold. */
    virtual void clicked(const QMouseEvent&) { }
    /** A double click: true when used (the press that follows it still counts as a press). */
    virtual bool doubleClicked(const QMouseEvent&) { return false; }
    /** The pointer moved with no drag going on. */
    virtual void hovered(const QMouseEvent&) { }
    /** The axis the wheel zooms with these modifiers. */
    virtual Qt::Orientation wheelAxis(Qt::KeyboardModifiers) const { return Qt::Horizontal; }
    /** +, = and -: a zoom request around `at`; false for any other key. */
    bool zoomKey(const QKeyEvent& e, QPointF at);

private:
    enum class State { Idle, PanPending, Panning, DragPending, Dragging };

    int m_threshold = 0;
    State m_state = State::Idle;
    QPoint m_pressPos;
};

} // namespace carveout::ui
