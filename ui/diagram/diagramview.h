// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "diagramlayout.h"

// Qt
#include <QAbstractScrollArea>

class QPainter;

namespace carveout::ui {

/** The memory-map diagram: the DiagramLayout's blocks painted with the map's colours, hatching,
 *  crosses, disabled look and finding badges (ui/mapstyle.h), in a scroll area. A click selects
 *  a region (regionSelected), Up/Down/Home/End walk the regions in the diagram's order,
 *  Ctrl+wheel and +/- change the detail level. The window keeps its selection in step with
 *  the map and the table (setSelectedRegion). */
class DiagramView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit DiagramView(QWidget* parent = nullptr);

    /** New data (the map's); keeps the detail level and, where it can, the scroll position. */
    void setData(const MapData& data);
    const MapData& data() const { return m_layout.data(); }
    const DiagramLayout& diagramLayout() const { return m_layout; }

    DiagramLayout::Detail detail() const { return m_layout.detail(); }
    void setDetail(DiagramLayout::Detail detail);
    /** One detail level more (`more`) or fewer; false at the end of the range. */
    bool zoomDetail(bool more);
    /** View > Fit: the most detailed level whose diagram fits the view's height (Compact when
     *  none does), scrolled to the top. */
    void fit();

    int selectedRegion() const { return m_selected; }
    /** Selects a region (-1: none) and scrolls its block into view; emits nothing. */
    void setSelectedRegion(int region);
    /** Scrolls a region's block into view. */
    void scrollToRegion(int region);
    /** The region under a point of the viewport, or -1. */
    int regionAt(const QPoint& viewportPos) const;
    /** Where a region's block is, in viewport coordinates (empty when it has none). */
    QRect regionRect(int region) const;
    /** The tooltip for a point of the viewport (empty: nothing there). */
    QString toolTipAt(const QPoint& viewportPos) const;

    /** Paints the whole diagram of the current data and detail into `target` (for export and
     *  print): laid out at the target's width, scaled down to fit its height when taller. */
    void paintTo(QPainter& p, const QRect& target) const;
    /** The size the whole diagram needs at `width` pixels (for export). */
    QSize contentSize(int width) const;

signals:
    void regionSelected(int region);
    /** A context menu was asked for on a region (already selected and signalled). */
    void regionMenuRequested(int region, const QPoint& globalPos);
    void detailChanged();

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;
    bool viewportEvent(QEvent* e) override;

private:
    void relayout();
    void select(int region);
    static void paintLayout(QPainter& p, const DiagramLayout& layout, int selected, const QPalette& pal);

    DiagramLayout m_layout;
    int m_selected = -1;
};

} // namespace carveout::ui
