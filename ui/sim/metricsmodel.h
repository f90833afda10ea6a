// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "sim/simulator.h"

// Qt
#include <QAbstractTableModel>

namespace carveout::ui {

/** One pool's samples over time as a table: what the charts plot (the rows played so far) and
 *  what a table view or a script can read. Values are numbers in the display role (chart units:
 *  percent and MiB); the CSV export writes every sample in exact bytes. */
class MetricsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Utilisation, LargestFree, Fragmentation, Failures, ColumnCount };

    explicit MetricsModel(QObject* parent = nullptr);

    void setRun(const sim::PoolRun& run, uint64_t poolSize);
    const std::vector<sim::PoolSample>& samples() const { return m_samples; }
    uint64_t poolSize() const { return m_poolSize; }
    /** Samples whose bucket has been played completely at `position` operations. */
    int rowsPlayed(uint64_t position) const;
    /** Row `row`'s value of `column` as the charts plot it. */
    double value(int row, int column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    /** The CSV header: pool,end_op,used_bytes,peak_bytes,largest_free_bytes,pool_bytes,fragmentation,failures. */
    static QByteArray csvHeader();
    /** One CSV line per sample, for the pool named `pool`. */
    static QByteArray csvRows(const QString& pool, const sim::PoolRun& run, uint64_t poolSize);

private:
    std::vector<sim::PoolSample> m_samples;
    uint64_t m_poolSize = 0;
};

} // namespace carveout::ui
