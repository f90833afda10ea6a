// SPDX-License-Identifier: GPL-2.0-only
#include "sim/metricsmodel.h"

// std
#include <algorithm>

namespace carveout::ui {

MetricsModel::MetricsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void MetricsModel::setRun(const sim::PoolRun& run, uint64_t poolSize)
{
    beginResetModel();
    m_samples = run.samples;
    m_poolSize = poolSize;
    endResetModel();
}

int MetricsModel::rowsPlayed(uint64_t position) const
{
    // Sample i holds the state after operation endOp, shown once endOp + 1 operations ran.
    const auto it = std::upper_bound(m_samples.begin(), m_samples.end(), position,
        [](uint64_t pos, const sim::PoolSample& s) { return pos < s.endOp + 1; });
    return int(it - m_samples.begin());
}

int MetricsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_samples.size());
}

int MetricsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || size_t(index.row()) >= m_samples.size())
        return {};
    return value(index.row(), index.column());
}

double MetricsModel::value(int row, int column) const
{
    const sim::PoolSample& s = m_samples[size_t(row)];
    switch (column) {
    case Time:
        return double(s.endOp + 1); // the time cursor's position after the bucket
    case Utilisation:
        return m_poolSize ? 100.0 * double(s.used) / double(m_poolSize) : 0.0;
    case LargestFree:
        return double(s.largestFree) / double(1 << 20);
    case Fragmentation:
        return 100.0 * s.fragmentation;
    case Failures:
        return double(s.failures);
    default:
        return 0.0;
    }
}

QVariant MetricsModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Operations");
    case Utilisation:
        return tr("Utilisation (%)");
    case LargestFree:
        return tr("Largest free block (MiB)");
    case Fragmentation:
        return tr("Fragmentation (%)");
    case Failures:
        return tr("Failures");
    default:
        return {};
    }
}

QByteArray MetricsModel::csvHeader()
{
    return "pool,end_op,used_bytes,peak_bytes,largest_free_bytes,pool_bytes,fragmentation,failures\n";
}

QByteArray MetricsModel::csvRows(const QString& pool, const sim::PoolRun& run, uint64_t poolSize)
{
    // Node paths hold no commas or quotes in practice; quote anyway so any name stays one field.
    QByteArray name = pool.toUtf8();
    name.replace('"', "\"\"");
    name = '"' + name + '"';
    QByteArray out;
    for (const auto& s : run.samples) {
        out += name + ',' + QByteArray::number(qulonglong(s.endOp)) + ',' + QByteArray::number(qulonglong(s.used)) + ','
            + QByteArray::number(qulonglong(s.peak)) + ',' + QByteArray::number(qulonglong(s.largestFree)) + ','
            + QByteArray::number(qulonglong(poolSize)) + ',' + QByteArray::number(s.fragmentation, 'f', 6) + ','
            + QByteArray::number(s.failures) + '\n';
    }
    return out;
}

} // namespace carveout::ui
