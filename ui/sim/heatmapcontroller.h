// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "sim/heatmapgeometry.h"
#include "viewcontroller.h"

// std
#include <optional>

namespace carveout::ui {

/** The heatmap's mouse and keys, as requests: a click asks to move the time cursor just past
 *  the operation under it, a drag pans (after a few pixels, so a click stays a click), the
 *  wheel zooms time (Ctrl or Shift: addresses) around the mouse, a double click and Home show
 *  everything (and leaves the time cursor where it was before its first click), +/- zoom time around the time cursor,
 * Left/Right move the cursor by one operation and Up/Down pan the addresses. Reads the geometry, never changes it. */
class HeatmapController : public ViewController
{
    Q_OBJECT
public:
    explicit HeatmapController(const HeatmapGeometry& geometry, QObject* parent = nullptr);

    bool keyPress(const QKeyEvent& e) override;

    static constexpr int kClickSlop = 4; ///< pixels a press may travel and still be a click

signals:
    void seekRequested(uint64_t position);
    /** The pointer rests at `pos` (widget) / `globalPos` with no drag going on. */
    void toolTipRequested(QPoint pos, QPoint globalPos);

protected:
    Press pressed(const QMouseEvent& e) override;
    void clicked(const QMouseEvent& e) override;
    bool doubleClicked(const QMouseEvent& e) override;
    void hovered(const QMouseEvent& e) override;
    Qt::Orientation wheelAxis(Qt::KeyboardModifiers mods) const override;

private:
    const HeatmapGeometry& m_geometry;
    // A double click arrives as a click, then the double click and its release: the first
    // click's seek is taken back, and the release (on another time once zoomed out) is no seek.
    std::optional<uint64_t> m_beforeClick; ///< the cursor before the last click's seek
    bool m_swallowRelease = false;
};

} // namespace carveout::ui
