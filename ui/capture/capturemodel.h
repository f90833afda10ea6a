// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

// Qt
#include <QAbstractTableModel>

// std
#include <memory>
#include <vector>

namespace carveout::ui {

/** What a capture shows against the prediction, one row each: regions that differ, reservations
 *  no region explains, what the bootloader changed in the tree, then regions the capture says
 *  nothing about, regions that agree, the kernel's own reservations (apart: never differences)
 *  and the notes. */
class CaptureModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { VerdictColumn, What, Predicted, Actual, Explanation, ColumnCount };
    enum Role {
        RegionRole = Qt::UserRole + 1, ///< the Layout::regions index, or -1
    };
    struct Row
    {
        enum Kind { Region, Unexplained, Tree, Kernel, Note } kind = Note;
        int index = -1; ///< into the CompareResult's list of that kind
        bool operator==(const Row& o) const { return kind == o.kind && index == o.index; }
    };

    using QAbstractTableModel::QAbstractTableModel;
    void setResult(std::shared_ptr<const capture::CompareResult> result, const QString& captureFile);
    const capture::CompareResult* result() const { return m_result.get(); }
    const Row& row(int r) const { return m_rows[size_t(r)]; }
    /** The row showing `row`, or -1. */
    int find(const Row& row) const;
    /** The first row about region `region`, or -1. */
    int findRegion(int region) const;
    /** What the evidence pane shows for a row: the comparison, why, what to do and the
     *  evidence lines with the capture's file:line. */
    QString details(int r) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString text(const Row& row, int column) const;
    QColor verdictForeground(const Row& row) const;
    QString predictedFor(const capture::Unexplained& u) const;

    std::shared_ptr<const capture::CompareResult> m_result;
    QString m_file;
    std::vector<Row> m_rows;
};

} // namespace carveout::ui
