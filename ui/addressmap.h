// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "model/layout.h"
#include "rules/rules.h"

// ui
#include "addressscale.h"

// Qt
#include <QWidget>

// std
#include <vector>

namespace carveout::ui {

/** What the map shows: a layout after boot, and the findings per region. */
struct MapData
{
    Layout layout;
    std::vector<int> errors; ///< per region
    std::vector<int> warnings; ///< per region
    uint64_t cmaAlignment = 0x200000;
    uint64_t pageSize = 4096;
};

/** The physical address map: banks, /memreserve/ entries and every region, coloured by kind,
 *  dynamic ones hatched where the kernel places them, failed and freed ones crossed out. The
 *  widget only paints and turns mouse and keys into requests; the window applies them (through
 *  the edit operations and the undo stack) and hands back new data. */
class AddressMap : public QWidget
{
    Q_OBJECT
public:
    enum class DragMode { None, Move, ResizeLeft, ResizeRight, Pan };

    explicit AddressMap(QWidget* parent = nullptr);

    /** New data; keeps the view (zoom, pan) unless the memory map changed. */
    void setData(const MapData& data);
    const MapData& data() const { return m_data; }
    AddressScale& scale() { return m_scale; }
    const AddressScale& scale() const { return m_scale; }

    int selectedRegion() const { return m_selected; }
    void setSelectedRegion(int region);
    /** The region drawn under a point, or -1. */
    int regionAt(const QPoint& p) const;
    /** Where a region is drawn (empty when it is not drawn). */
    QRectF regionRect(int region) const;
    /** Snapping step for a region: the CMA minimum alignment for CMA, else the page size. */
    uint64_t snapFor(int region) const;

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
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void keyPressEvent(QKeyEvent*) override;
    bool event(QEvent*) override;

private:
    void relayout();
    QRectF laneRect(int lane) const;
    void dragTo(const QPoint& pos, Qt::KeyboardModifiers mods);

    MapData m_data;
    AddressScale m_scale;
    std::vector<int> m_lane; ///< lane per region (-1: not drawn)
    int m_lanes = 1;
    int m_selected = -1;
    DragMode m_mode = DragMode::None;
    QPoint m_pressPos;
    double m_pressOffset = 0;
    uint64_t m_origBase = 0;
    uint64_t m_origSize = 0;
    uint64_t m_newBase = 0;
    uint64_t m_newSize = 0;
    std::vector<AddrRange> m_rangesKey; ///< the ranges the scale was built for
};

} // namespace carveout::ui
