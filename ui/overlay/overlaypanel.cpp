// SPDX-License-Identifier: GPL-2.0-only
#include "overlaypanel.h"

// Qt
#include <QCheckBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace carveout::ui {

namespace {
constexpr int kFileRole = Qt::UserRole;
constexpr int kRuntimeRole = Qt::UserRole + 1;
} // namespace

OverlayPanel::OverlayPanel(QWidget* parent)
    : QWidget(parent)
{
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("overlayList"));
    m_list->setToolTip(tr("Overlays applied over the board, top first, as the bootloader applies them; "
                          "untick one to leave it out"));
    m_add = new QPushButton(tr("&Add..."), this);
    m_add->setObjectName(QStringLiteral("addOverlay"));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeOverlay"));
    m_up = new QPushButton(tr("&Up"), this);
    m_up->setObjectName(QStringLiteral("overlayUp"));
    m_down = new QPushButton(tr("&Down"), this);
    m_down->setObjectName(QStringLiteral("overlayDown"));
    m_runtime = new QCheckBox(tr("Applied at &run time"), this);
    m_runtime->setObjectName(QStringLiteral("overlayRuntime"));
    m_runtime->setToolTip(tr("The running kernel applies this overlay (configfs, a driver), not the bootloader: "
                             "what it adds under /reserved-memory is never reserved"));
    auto* buttons = new QHBoxLayout;
    for (auto* b : { m_add, m_remove, m_up, m_down })
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_runtime);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &OverlayPanel::addRequested);
    connect(m_remove, &QPushButton::clicked, this, &OverlayPanel::removeSelected);
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { updateButtons(); });
    connect(m_list, &QListWidget::itemChanged, this, [this] {
        if (!m_quiet)
            emit stackChanged(); // a check box
    });
    connect(m_runtime, &QCheckBox::toggled, this, [this](bool on) {
        QListWidgetItem* item = m_list->currentItem();
        if (m_quiet || !item || item->data(kRuntimeRole).toBool() == on)
            return;
        m_quiet = true;
        item->setData(kRuntimeRole, on);
        describe(item);
        m_quiet = false;
        emit stackChanged();
    });
    updateButtons();
}

void OverlayPanel::describe(QListWidgetItem* item)
{
    const QString file = item->data(kFileRole).toString();
    const bool runtime = item->data(kRuntimeRole).toBool();
    item->setText(runtime ? tr("%1 (run time)").arg(QFileInfo(file).fileName()) : QFileInfo(file).fileName());
    item->setToolTip(file);
}

QList<OverlayRequest> OverlayPanel::requests() const
{
    QList<OverlayRequest> out;
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem* item = m_list->item(i);
        if (item->checkState() == Qt::Checked)
            out.append({ item->data(kFileRole).toString(), item->data(kRuntimeRole).toBool() });
    }
    return out;
}

bool OverlayPanel::addOverlay(const QString& file, bool runtime)
{
    const QString abs = QFileInfo(file).absoluteFilePath();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kFileRole).toString() == abs)
            return false;
    }
    m_quiet = true;
    auto* item = new QListWidgetItem(m_list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    item->setData(kFileRole, abs);
    item->setData(kRuntimeRole, runtime);
    describe(item);
    m_quiet = false;
    selectRow(m_list->count() - 1);
    emit stackChanged();
    return true;
}

int OverlayPanel::count() const
{
    return m_list->count();
}

void OverlayPanel::selectRow(int row)
{
    m_list->setCurrentRow(row);
    updateButtons();
}

void OverlayPanel::moveSelected(int by)
{
    const int row = m_list->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_list->count())
        return;
    m_quiet = true;
    QListWidgetItem* item = m_list->takeItem(row);
    m_list->insertItem(to, item);
    m_quiet = false;
    selectRow(to);
    emit stackChanged();
}

void OverlayPanel::removeSelected()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    delete m_list->takeItem(row);
    updateButtons();
    emit stackChanged();
}

void OverlayPanel::updateButtons()
{
    const int row = m_list->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_list->count());
    m_runtime->setEnabled(row >= 0);
    m_quiet = true;
    m_runtime->setChecked(row >= 0 && m_list->item(row)->data(kRuntimeRole).toBool());
    m_quiet = false;
}

} // namespace carveout::ui
