// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "rules/rules.h"

// Qt
#include <QAbstractTableModel>

namespace carveout::ui {

/** Findings: severity (with an icon), rule, message, node and file:line. */
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, Rule, Message, Node, Location, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    /** `boardFile`: the board the findings are of; File:line is shown relative to its folder
     *  (see shownPath), the full path in the tooltip. */
    void setFindings(const std::vector<Finding>& findings, const QString& boardFile = {});
    const Finding& finding(int row) const { return m_findings[size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Finding> m_findings;
    QString m_boardFile;
};

} // namespace carveout::ui
