// SPDX-License-Identifier: GPL-2.0-only
#include "regiontablemodel.h"

// ui
#include "navigate/sourcepaths.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// std
#include <map>
#include <set>

namespace carveout::ui {

QVariantList RegionTableModel::rowValues(int row) const
{
    // Everything a view can read of a row, so a change of any of it is announced.
    QVariantList values;
    for (int column = 0; column < ColumnCount; ++column) {
        const QModelIndex i = index(row, column);
        values << data(i, Qt::DisplayRole) << data(i, Qt::UserRole) << data(i, Qt::ToolTipRole);
    }
    return values;
}

void RegionTableModel::setAnalysis(const Analysis& analysis)
{
    const Layout& layout = analysis.layout;
    std::vector<RegionPlace> places(layout.regions.size());
    for (size_t i = 0; i < places.size(); ++i)
        places[i] = analysis.place(int(i));
    // Rows are regions by node: a node keeps its index through edits of the same board.
    std::vector<int> oldNodes, newNodes;
    for (const auto& r : m_layout.regions)
        oldNodes.push_back(r.node);
    for (const auto& r : layout.regions)
        newNodes.push_back(r.node);
    const std::set<int> oldSet(oldNodes.begin(), oldNodes.end()), newSet(newNodes.begin(), newNodes.end());
    std::vector<int> keptOld, keptNew;
    for (int n : oldNodes) {
        if (newSet.count(n))
            keptOld.push_back(n);
    }
    for (int n : newNodes) {
        if (oldSet.count(n))
            keptNew.push_back(n);
    }
    if (layout.file != m_layout.file || keptOld != keptNew || oldSet.size() != oldNodes.size()
        || newSet.size() != newNodes.size()) {
        // Another board, or the regions changed order: nothing to keep.
        beginResetModel();
        m_layout = layout;
        m_places = std::move(places);
        endResetModel();
        return;
    }
    std::map<int, QVariantList> before;
    for (int row = 0; row < rowCount(); ++row)
        before[oldNodes[size_t(row)]] = rowValues(row);
    // Regions that went, as runs of rows from the end so the rows before stay put.
    for (int row = int(oldNodes.size()) - 1; row >= 0;) {
        if (newSet.count(oldNodes[size_t(row)])) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !newSet.count(oldNodes[size_t(first - 1)]))
            --first;
        beginRemoveRows({}, first, row);
        m_layout.regions.erase(m_layout.regions.begin() + first, m_layout.regions.begin() + row + 1);
        m_places.erase(m_places.begin() + first, m_places.begin() + row + 1);
        endRemoveRows();
        row = first - 1;
    }
    // Regions that came, as runs of rows in their new places.
    for (int row = 0; row < int(newNodes.size());) {
        if (oldSet.count(newNodes[size_t(row)])) {
            ++row;
            continue;
        }
        int last = row;
        while (last + 1 < int(newNodes.size()) && !oldSet.count(newNodes[size_t(last + 1)]))
            ++last;
        beginInsertRows({}, row, last);
        m_layout.regions.insert(
            m_layout.regions.begin() + row, layout.regions.begin() + row, layout.regions.begin() + last + 1);
        m_places.insert(m_places.begin() + row, places.begin() + row, places.begin() + last + 1);
        endInsertRows();
        row = last + 1;
    }
    // The rows that stayed: dataChanged for runs of rows that read differently now.
    m_layout = layout;
    m_places = std::move(places);
    for (int row = 0; row < rowCount();) {
        const auto it = before.find(newNodes[size_t(row)]);
        if (it == before.end() || it->second == rowValues(row)) {
            ++row;
            continue;
        }
        int last = row;
        while (last + 1 < rowCount()) {
            const auto next = before.find(newNodes[size_t(last + 1)]);
            if (next == before.end() || next->second == rowValues(last + 1))
                break;
            ++last;
        }
        emit dataChanged(index(row, 0), index(last, ColumnCount - 1));
        row = last + 1;
    }
}

int RegionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_layout.regions.size());
}

int RegionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RegionTableModel::usedBy(int region) const
{
    QStringList users;
    for (const auto& c : m_layout.consumers) {
        if (c.region == region)
            users << c.device + (c.deviceEnabled ? QString() : tr(" (disabled)"));
    }
    return users.join(QStringLiteral(", "));
}

QVariant RegionTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Region& r = m_layout.regions[size_t(index.row())];
    const RegionPlace& p = m_places[size_t(index.row())];
    if (role == RegionRole)
        return index.row();
    if (role == Qt::UserRole) {
        switch (index.column()) {
        case Base:
            return p.base ? QVariant(qulonglong(*p.base)) : QVariant(qulonglong(UINT64_MAX));
        case End:
            return p.base ? QVariant(qulonglong(p.end())) : QVariant(qulonglong(UINT64_MAX));
        case Size:
            return qulonglong(p.size);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Source && r.source.isValid()) {
        // The full paths: the cell shows them relative to the board and elided.
        const QString defined = QStringLiteral("%1:%2").arg(fullPath(r.source.file)).arg(r.source.line);
        if (r.overrides.empty())
            return defined;
        QStringList o;
        for (const auto& s : r.overrides)
            o << QStringLiteral("%1:%2").arg(fullPath(s.file)).arg(s.line);
        return tr("%1\noverridden at %2").arg(defined, o.join(QStringLiteral(", ")));
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Base || index.column() == End || index.column() == Size))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Base:
        return p.base ? toHex(*p.base) : tr("(dynamic)");
    case End:
        return p.base ? toHex(p.end()) : QString();
    case Size:
        return (r.placement == Placement::None) ? QStringLiteral("?") : formatSize(p.size);
    case Name:
        return r.name;
    case Kind:
        return kindName(r.kind);
    case Outcome:
        return outcomeName(p.outcome);
    case Flags: {
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        return flags.join(QLatin1Char(' '));
    }
    case UsedBy:
        return usedBy(index.row());
    case Source:
        return r.source.isValid()
            ? QStringLiteral("%1:%2").arg(shownPath(r.source.file, m_layout.file)).arg(r.source.line)
            : QString();
    default:
        return {};
    }
}

QVariant RegionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[]
        = { "Base", "End (excl.)", "Size", "Name", "Kind", "Outcome", "Flags", "Used by", "Defined at" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace carveout::ui
