// SPDX-License-Identifier: GPL-2.0-only
#include "capturemodel.h"

// ui
#include "capturetext.h"
#include "mapstyle.h"

// core
#include "model/units.h"

// Qt
#include <QGuiApplication>
#include <QPalette>

namespace carveout::ui {

using capture::Verdict;

void CaptureModel::setResult(std::shared_ptr<const capture::CompareResult> result, const QString& captureFile)
{
    beginResetModel();
    m_result = std::move(result);
    m_file = captureFile;
    m_rows.clear();
    if (m_result) {
        const auto& c = *m_result;
        auto regions = [&](Verdict v) {
            for (size_t i = 0; i < c.regions.size(); ++i) {
                if (c.regions[i].verdict == v)
                    m_rows.push_back({ Row::Region, int(i) });
            }
        };
        auto all = [&](Row::Kind kind, size_t n) {
            for (size_t i = 0; i < n; ++i)
                m_rows.push_back({ kind, int(i) });
        };
        auto tree = [&](bool counted) {
            for (size_t i = 0; i < c.treeDifferences.size(); ++i) {
                if (c.treeDifferences[i].counted == counted)
                    m_rows.push_back({ Row::Tree, int(i) });
            }
        };
        regions(Verdict::Differ);
        all(Row::Unexplained, c.unexplained.size());
        tree(true);
        regions(Verdict::Unknown);
        regions(Verdict::Agree);
        tree(false); // what bootloaders routinely write: listed, not a difference
        all(Row::Kernel, c.kernelReservations.size());
        all(Row::Note, size_t(c.notes.size()));
    }
    endResetModel();
}

int CaptureModel::find(const Row& row) const
{
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (m_rows[r] == row)
            return int(r);
    }
    return -1;
}

int CaptureModel::findRegion(int region) const
{
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (m_rows[r].kind == Row::Region && m_result->regions[size_t(m_rows[r].index)].region == region)
            return int(r);
    }
    return -1;
}

int CaptureModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CaptureModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CaptureModel::predictedFor(const capture::Unexplained& u) const
{
    // What the prediction holds there: nothing, unless the profile reserves it early (--reserve).
    for (const auto& e : m_result->profile.early) {
        if (e.range.base < u.range.end() && u.range.base < e.range.end())
            return tr("early reservation %1 (profile)").arg(e.name);
    }
    return tr("nothing");
}

QString CaptureModel::text(const Row& row, int column) const
{
    const auto& c = *m_result;
    const size_t i = size_t(row.index);
    switch (row.kind) {
    case Row::Region: {
        const auto& r = c.regions[i];
        const QString cells[]
            = { capture::verdictName(r.verdict), r.name, predictedText(r), actualText(r), r.explanation };
        return cells[column];
    }
    case Row::Unexplained: {
        const auto& u = c.unexplained[i];
        const QString cells[] = { tr("unexplained"), u.name.isEmpty() ? tr("reservation") : u.name, predictedFor(u),
            rangeText(u.range) + (u.noMap ? tr(", no-map") : QString()), u.explanation };
        return cells[column];
    }
    case Row::Tree: {
        const auto& t = c.treeDifferences[i];
        const QString cells[] = { t.counted ? tr("tree %1").arg(t.change) : tr("tree %1, routine").arg(t.change),
            t.path.isEmpty() ? t.area : t.path, t.source.isEmpty() ? tr("absent") : t.source,
            t.booted.isEmpty() ? tr("absent") : t.booted, t.explanation };
        return cells[column];
    }
    case Row::Kernel: {
        const auto& k = c.kernelReservations[i];
        const QString predicted = !k.predictable ? tr("not predictable (not counted)")
            : k.predictedBase                    ? tr("at %1").arg(toHex(*k.predictedBase))
                                                 : QString();
        const QString cells[] = { tr("kernel"), k.what, predicted, rangeText(k.range),
            tr("the kernel's own reservation: not a difference") };
        return cells[column];
    }
    case Row::Note:
        return column == VerdictColumn ? tr("note") : column == What ? c.notes[int(i)] : QString();
    }
    return {};
}

QVariant CaptureModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    if (role == RegionRole)
        return row.kind == Row::Region ? m_result->regions[size_t(row.index)].region : -1;
    if (role == Qt::DisplayRole)
        return text(row, index.column());
    if (role == Qt::ToolTipRole)
        return details(index.row());
    if (role == Qt::ForegroundRole && index.column() == VerdictColumn) {
        // Text on the table's Base: legible on a dark palette too.
        const QColor base = QGuiApplication::palette().color(QPalette::Base);
        return style::legibleOn(verdictForeground(row), base);
    }
    return {};
}

QColor CaptureModel::verdictForeground(const Row& row) const
{
    switch (row.kind) {
    case Row::Region:
        return verdictColor(m_result->regions[size_t(row.index)].verdict);
    case Row::Tree:
        if (!m_result->treeDifferences[size_t(row.index)].counted)
            return verdictColor(Verdict::Unknown);
        [[fallthrough]];
    case Row::Unexplained:
        return unexplainedColor();
    case Row::Kernel:
    case Row::Note:
        break;
    }
    return verdictColor(Verdict::Unknown);
}

QVariant CaptureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = { "Verdict", "What", "Predicted", "Capture shows", "Why" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QString CaptureModel::details(int r) const
{
    if (r < 0 || size_t(r) >= m_rows.size())
        return {};
    const Row& row = m_rows[size_t(r)];
    const auto& c = *m_result;
    const size_t i = size_t(row.index);
    QStringList lines;
    QString advice;
    const std::vector<capture::Evidence>* evidence = nullptr;
    switch (row.kind) {
    case Row::Region: {
        const auto& rc = c.regions[i];
        lines << tr("%1 (%2): %3").arg(rc.name, rc.path, capture::verdictName(rc.verdict))
              << tr("predicted:     %1").arg(predictedText(rc)) << tr("capture shows: %1").arg(actualText(rc));
        if (!rc.explanation.isEmpty())
            lines << tr("why: %1").arg(rc.explanation);
        advice = rc.advice;
        evidence = &rc.actual.evidence;
        break;
    }
    case Row::Unexplained: {
        const auto& u = c.unexplained[i];
        lines << tr("%1: a reservation from the device tree that no region of the sources explains")
                     .arg(u.name.isEmpty() ? tr("reservation") : u.name)
              << tr("capture shows: %1%2").arg(rangeText(u.range), u.noMap ? tr(", no-map") : QString());
        if (!u.explanation.isEmpty())
            lines << tr("why: %1").arg(u.explanation);
        advice = u.advice;
        evidence = &u.evidence;
        break;
    }
    case Row::Tree: {
        const auto& t = c.treeDifferences[i];
        lines << tr("%1 %2 (%3) by the bootloader").arg(t.path, t.change, t.area)
              << tr("sources: %1%2")
                     .arg(t.source.isEmpty() ? tr("absent") : t.source,
                         t.where.isValid() ? QStringLiteral(" (%1:%2)").arg(t.where.file).arg(t.where.line) : QString())
              << tr("booted:  %1").arg(t.booted.isEmpty() ? tr("absent") : t.booted);
        if (!t.explanation.isEmpty())
            lines << tr("why: %1").arg(t.explanation);
        advice = t.advice;
        break;
    }
    case Row::Kernel: {
        const auto& k = c.kernelReservations[i];
        lines << tr("%1: the kernel's own reservation (listed apart, not a difference)").arg(k.what)
              << tr("capture shows: %1").arg(rangeText(k.range));
        if (k.predictedBase)
            lines << tr("predicted at:  %1").arg(toHex(*k.predictedBase));
        if (!k.predictable)
            lines << tr("The model cannot predict where it goes: shown, not counted.");
        evidence = &k.evidence;
        break;
    }
    case Row::Note:
        lines << c.notes[int(i)];
        break;
    }
    if (!advice.isEmpty())
        lines << tr("what to do: %1").arg(advice);
    if (evidence) {
        lines << QString();
        if (evidence->empty())
            lines << tr("The capture holds no line about it.");
        else
            lines << tr("evidence (capture file:line):") << evidenceLines(*evidence, m_file);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace carveout::ui
