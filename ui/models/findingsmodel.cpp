// SPDX-License-Identifier: GPL-2.0-only
#include "findingsmodel.h"

// ui
#include "navigate/sourcepaths.h"

// Qt
#include <QApplication>
#include <QIcon>
#include <QStyle>

namespace carveout::ui {

void FindingsModel::setFindings(const std::vector<Finding>& findings, const QString& boardFile)
{
    beginResetModel();
    m_findings = findings;
    m_boardFile = boardFile;
    endResetModel();
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding& f = m_findings[size_t(index.row())];
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        const QStyle::StandardPixmap icon = f.severity == Severity::Error ? QStyle::SP_MessageBoxCritical
            : f.severity == Severity::Warning                             ? QStyle::SP_MessageBoxWarning
                                                                          : QStyle::SP_MessageBoxInformation;
        return QApplication::style()->standardIcon(icon);
    }
    if (role == Qt::ToolTipRole && index.column() == Location && f.source.isValid())
        return QStringLiteral("%1:%2").arg(fullPath(f.source.file)).arg(f.source.line);
    if (role == Qt::ToolTipRole) {
        // Rich text: QToolTip wraps it to a readable width (plain text runs off the screen).
        QString tip = QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(f.message.toHtmlEscaped());
        if (!f.kernelMessage.isEmpty())
            tip += tr("<p><b>kernel:</b> <tt>%1</tt></p>").arg(f.kernelMessage.toHtmlEscaped());
        if (!f.fix.isEmpty())
            tip += tr("<p><b>fix:</b> %1</p>").arg(f.fix.toHtmlEscaped());
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SeverityColumn:
        return severityName(f.severity);
    case Rule:
        return f.rule;
    case Message:
        return f.message;
    case Node:
        return f.node;
    case Location:
        return f.source.isValid()
            ? QStringLiteral("%1:%2").arg(shownPath(f.source.file, m_boardFile)).arg(f.source.line)
            : QString();
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = { "Severity", "Rule", "Message", "Node", "File:line" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace carveout::ui
