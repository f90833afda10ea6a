// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "addressscale.h"
#include "controlledview.h"
#include "mapgeometry.h"

namespace carveout::ui {

class MapController;

/** The physical address map: banks, /memreserve/ entries and every region, coloured by kind,
 *  dynamic ones hatched where the kernel places them, failed and freed ones crossed out. The
 *  widget paints from its MapGeometry and passes mouse and keys to its MapController, whose
 *  requests it applies (view changes) or emits (selection, edits); the window applies the
 *  edits (through the edit operations and the undo stack) and hands back new data. */
class AddressMap : public ControlledView
{
    Q_OBJECT
public:
    explicit AddressMap(QWidget* parent = nullptr);

    /** New data; keeps the view (zoom, pan) unless the memory map changed. */
    void setData(const MapData& data);
    const MapData& data() const { return m_geometry.data(); }
    const MapGeometry& mapGeometry() const { return m_geometry; }
    AddressScale& scale() { return m_geometry.scale(); }
    const AddressScale& scale() const { return m_geometry.scale(); }
    MapController* controller() const { return m_controller; }

    int selectedRegion() const { return m_geometry.selected(); }
    void setSelectedRegion(int region);
    /** The region drawn under a point, or -1. */
    int regionAt(const QPoint& p) const { return m_geometry.regionAt(p); }
    /** Where a region is drawn (empty when it is not drawn). */
    QRectF regionRect(int region) const { return m_geometry.regionRect(region); }
    /** Snapping step for a region: the CMA minimum alignment for CMA, else the page size. */
    uint64_t snapFor(int region) const { return m_geometry.snapFor(region); }

    /** The tooltip for what lies at `pos` (empty: nothing): a region (with what the capture
     *  shows of it), an actual outline, or a mark of the capture lane with its evidence. */
    QString toolTipAt(const QPoint& pos) const;

    /** Marks a mark of the capture lane (CaptureMark kind and index; index -1: none) and brings
     *  it into view. */
    void highlightMark(int kind, int index);
    /** The highlighted mark's index in MapGeometry::captureMarks(), or -1. */
    int highlightedMark() const;

    /** The sentence shown instead of an axis when there is nothing to draw (no bank, region or
     *  /memreserve/ entry), else empty. */
    QString emptyText() const;
    /** Where the kernel's default CMA area (from cma= or Kconfig, not a region of the tree) is
     *  drawn on the bank band; empty when there is none. */
    QRectF defaultCmaRect() const;
    /// The areas hugetlb_cma=, crashkernel=, reserve_mem= made, on the band, with their index in
    /// BootResult::cmdlineAreas.
    std::vector<std::pair<QRectF, int>> cmdlineAreaRects() const;

    /** Outlines what `device` reaches by DMA (its bus's dma-ranges, as CPU ranges) over the map;
     *  an empty `reach` clears it. The bindings view sets it when a device is selected. */
    void setDmaReach(const QString& device, const std::vector<AddrRange>& reach);
    /** Where the reach is drawn: one band per piece of it inside the drawn RAM. */
    std::vector<QRectF> dmaReachRects() const;

    /** Room for every outside label's row; the minimum keeps two (the rest go to tooltips). */
    QSize sizeHint() const override { return QSize(640, m_geometry.preferredHeight()); }

    void zoomToSelection();
    void fit();

signals:
    void regionSelected(int region);
    /** While dragging: the region would be at [base, base + size). */
    void dragPreview(int region, uint64_t base, uint64_t size);
    /** A drag ended with a change, or a key nudged the region (`nudge`). */
    void editRequested(int region, uint64_t base, uint64_t size, bool nudge);
    void dragCancelled();

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    bool event(QEvent*) override;
    void keyTaken() override { update(); }

private:
    void relayout();
    void paintRuler(QPainter& p) const;
    void paintBanks(QPainter& p) const;
    void paintRegion(QPainter& p, int region) const;
    /** Every label: inside its block, or in a label row with its leader. */
    void paintLabels(QPainter& p) const;
    /** The capture over the map: actual outlines, verdict marks and the capture lane. */
    void paintCapture(QPainter& p) const;
    void paintCaptureLane(QPainter& p) const;
    void paintDmaReach(QPainter& p) const;

    MapGeometry m_geometry;
    MapController* m_controller = nullptr;
    double m_panFrom = 0; ///< the scale's offset when the pan began
    int m_markKind = 0, m_markIndex = -1; ///< the highlighted capture mark
    QString m_reachDevice;
    std::vector<AddrRange> m_reach;
};

} // namespace carveout::ui
