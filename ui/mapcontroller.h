// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapgeometry.h"
#include "viewcontroller.h"

namespace carveout::ui {

/** The address map's mouse and keys, as requests: a press on a region selects it, a drag of a
 *  fixed region's body or edge previews a move or resize (snapped, Shift: unsnapped) and asks
 *  for the edit on release; a drag of the background pans; the wheel and +/- zoom; 0 fits, Z
 *  zooms to the selection; arrow keys nudge the selection by one snapping step (Shift: resize)
 *  or pan when nothing is selected. Reads the geometry, never changes it. */
class MapController : public ViewController
{
    Q_OBJECT
public:
    MapController(const MapGeometry& geometry, QObject* parent = nullptr);

    bool keyPress(const QKeyEvent& e) override;
    /** The region being dragged and where the drag puts it now (region -1: no drag). */
    int dragRegion() const { return m_region; }
    MapSpan dragSpan() const { return m_now; }

signals:
    void selectRequested(int region);
    /** While dragging: the region would be at [base, base + size). */
    void dragPreview(int region, uint64_t base, uint64_t size);
    /** A drag ended with a change, or a key nudged the region (`nudge`). */
    void editRequested(int region, uint64_t base, uint64_t size, bool nudge);
    void dragCancelled();
    void zoomToSelectionRequested();
    /** The pointer shape that says what a press would do here. */
    void cursorShapeRequested(Qt::CursorShape shape);

protected:
    Press pressed(const QMouseEvent& e) override;
    void dragged(const QMouseEvent& e) override;
    void dragEnded(const QMouseEvent& e) override;
    void hovered(const QMouseEvent& e) override;

private:
    void dragTo(const QMouseEvent& e);

    const MapGeometry& m_geometry;
    int m_region = -1;
    MapHandle m_handle = MapHandle::None;
    MapSpan m_from;
    MapSpan m_now;
};

} // namespace carveout::ui
