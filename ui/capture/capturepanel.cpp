// SPDX-License-Identifier: GPL-2.0-only
#include "capturepanel.h"

// ui
#include "capturemodel.h"
#include "mapgeometry.h"

// Qt
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace carveout::ui {

CapturePanel::CapturePanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new CaptureModel(this))
{
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("captureHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_header, 1);
    m_useMemory = new QPushButton(tr("Use the booted /memory"), this);
    m_useMemory->setObjectName(QStringLiteral("useBootedMemory"));
    m_useMemory->setToolTip(tr("Take the RAM the bootloader handed the kernel as the profile's memory "
                               "(as --memory does); clear the toolbar's Memory field to go back"));
    m_addReserve = new QPushButton(tr("Add as early reservation"), this);
    m_addReserve->setObjectName(QStringLiteral("addEarlyReservation"));
    m_addReserve->setToolTip(tr("Add the selected unexplained reservation to the profile (as --reserve "
                                "does); remove it from the toolbar's Reserve field to go back"));
    top->addWidget(m_useMemory);
    top->addWidget(m_addReserve);
    box->addLayout(top);

    auto* split = new QSplitter(Qt::Horizontal, this);
    m_view = new QTableView(split);
    m_view->setObjectName(QStringLiteral("captureList"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_evidence = new QPlainTextEdit(split);
    m_evidence->setObjectName(QStringLiteral("captureEvidence"));
    m_evidence->setReadOnly(true);
    m_evidence->setLineWrapMode(QPlainTextEdit::WidgetWidth); // kernel lines are long
    m_evidence->setPlaceholderText(tr("Activate a row to see the capture's lines about it here."));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    box->addWidget(split, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { currentChanged(current.isValid() ? current.row() : -1); });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) { activateRow(index.row()); });
    connect(m_useMemory, &QPushButton::clicked, this, &CapturePanel::useBootedMemoryRequested);
    connect(m_addReserve, &QPushButton::clicked, this, [this] {
        const int row = m_view->currentIndex().row();
        if (row >= 0 && m_model->row(row).kind == CaptureModel::Row::Unexplained)
            emit addReservationRequested(m_model->row(row).index);
    });
    clear(tr("No capture: File > Import capture... reads a carveout-capture bundle, a kernel log or "
             "/proc/iomem of the board."));
}

void CapturePanel::setResult(
    std::shared_ptr<const capture::CompareResult> result, const QString& captureFile, const QString& header)
{
    const int was = m_view->currentIndex().row();
    const CaptureModel::Row keep = was >= 0 ? m_model->row(was) : CaptureModel::Row {};
    const bool hadCurrent = was >= 0;
    m_model->setResult(std::move(result), captureFile);
    m_header->setText(header);
    m_view->resizeColumnsToContents();
    for (int c = CaptureModel::VerdictColumn; c < CaptureModel::Explanation; ++c)
        m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), 260));
    const int row = hadCurrent ? m_model->find(keep) : -1;
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
    currentChanged(row);
    m_useMemory->setEnabled(m_model->result() && !m_model->result()->bootedMemory.empty());
}

void CapturePanel::clear(const QString& message)
{
    m_model->setResult(nullptr, QString());
    m_header->setText(message);
    m_evidence->clear();
    m_useMemory->setEnabled(false);
    m_addReserve->setEnabled(false);
}

void CapturePanel::currentChanged(int row)
{
    const bool unexplained = row >= 0 && m_model->row(row).kind == CaptureModel::Row::Unexplained;
    m_addReserve->setEnabled(unexplained);
    if (row >= 0)
        m_evidence->setPlainText(m_model->details(row));
    else
        m_evidence->clear();
}

void CapturePanel::activateRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    if (m_view->currentIndex().row() != row)
        m_view->setCurrentIndex(m_model->index(row, 0));
    currentChanged(row);
    const CaptureModel::Row& r = m_model->row(row);
    const capture::CompareResult& c = *m_model->result();
    switch (r.kind) {
    case CaptureModel::Row::Region:
        emit regionActivated(c.regions[size_t(r.index)].region);
        break;
    case CaptureModel::Row::Unexplained:
        emit markActivated(CaptureMark::Unexplained, r.index);
        break;
    case CaptureModel::Row::Kernel:
        emit markActivated(CaptureMark::Kernel, r.index);
        break;
    case CaptureModel::Row::Tree:
        if (const SourceRef& where = c.treeDifferences[size_t(r.index)].where; where.isValid())
            emit sourceRequested(where.file, where.line);
        break;
    case CaptureModel::Row::Note:
        break;
    }
}

void CapturePanel::showRegion(int region)
{
    const int row = m_model->findRegion(region);
    if (row >= 0 && m_view->currentIndex().row() != row)
        m_view->setCurrentIndex(m_model->index(row, 0));
}

} // namespace carveout::ui
