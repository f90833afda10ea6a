// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "model/layout.h"

// Qt
#include <QAbstractTableModel>

namespace carveout::ui {

/** The regions of a layout, one row each (in layout order; sort and filter through a proxy).
 *  Numbers sort as numbers: Qt::UserRole holds the sortable value of every column, and
 *  RegionRole the region's index in the layout. */
class RegionTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Base, End, Size, Name, Kind, Outcome, Flags, UsedBy, Source, ColumnCount };
    static constexpr int RegionRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;
    /** New data. Within one board, rows are regions by node: regions that went or came are
     *  announced as removed or inserted rows, and only rows that read differently afterwards
     *  as changed (dataChanged), so selections and scroll positions survive. Another board, or
     *  regions in a new order, reset the model. */
    /** Shows the regions of an analysis, announcing only what changed within one board. */
    void setAnalysis(const Analysis& analysis);
    const Layout& layout() const { return m_layout; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString usedBy(int region) const;
    /** What a view can read of a row (display, sort and tooltip roles of every column). */
    QVariantList rowValues(int row) const;
    Layout m_layout;
    std::vector<RegionPlace> m_places; ///< by row, in step with m_layout.regions
};

} // namespace carveout::ui
