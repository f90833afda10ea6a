// SPDX-License-Identifier: GPL-2.0-only
#include "regiontablemodel.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

namespace carveout::ui {

void RegionTableModel::setLayout(const Layout& layout)
{
    bool sameNodes = layout.regions.size() == m_layout.regions.size();
    for (size_t i = 0; sameNodes && i < layout.regions.size(); ++i)
        sameNodes = layout.regions[i].node == m_layout.regions[i].node;
    if (!sameNodes) {
        beginResetModel();
        m_layout = layout;
        endResetModel();
        return;
    }
    m_layout = layout;
    if (!m_layout.regions.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
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
    if (role == RegionRole)
        return index.row();
    if (role == Qt::UserRole) {
        switch (index.column()) {
        case Base:
            return r.base ? QVariant(qulonglong(*r.base)) : QVariant(qulonglong(UINT64_MAX));
        case End:
            return r.base ? QVariant(qulonglong(*r.base + r.effectiveSize)) : QVariant(qulonglong(UINT64_MAX));
        case Size:
            return qulonglong(r.effectiveSize);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Source && !r.overrides.empty()) {
        QStringList o;
        for (const auto& s : r.overrides)
            o << QStringLiteral("%1:%2").arg(s.file).arg(s.line);
        return tr("overridden at %1").arg(o.join(QStringLiteral(", ")));
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Base || index.column() == End || index.column() == Size))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Base:
        return r.base ? toHex(*r.base) : tr("(dynamic)");
    case End:
        return r.base ? toHex(*r.base + r.effectiveSize) : QString();
    case Size:
        return (r.placement == Placement::None) ? QStringLiteral("?") : formatSize(r.effectiveSize);
    case Name:
        return r.name;
    case Kind:
        return kindName(r.kind);
    case Outcome:
        return outcomeName(r.outcome);
    case Flags: {
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        return flags.join(QLatin1Char(' '));
    }
    case UsedBy:
        return usedBy(index.row());
    case Source:
        return r.source.isValid() ? QStringLiteral("%1:%2").arg(r.source.file).arg(r.source.line) : QString();
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
