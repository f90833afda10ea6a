// SPDX-License-Identifier: GPL-2.0-only
#include "picturedialog.h"

// Qt
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace carveout::ui {

PictureDialog::PictureDialog(const QString& file, PictureView view, QSize size, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export picture"));
    auto* form = new QFormLayout(this);
    m_file = new QLineEdit(file, this);
    m_file->setObjectName(QStringLiteral("pictureFile"));
    auto* browse = new QPushButton(tr("Browse..."), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(
            this, tr("Export picture"), m_file->text(), tr("SVG pictures (*.svg);;PNG images (*.png)"));
        if (!f.isEmpty())
            m_file->setText(f);
    });
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    form->addRow(tr("&File (.svg or .png):"), fileRow);

    m_view = new QComboBox(this);
    m_view->setObjectName(QStringLiteral("pictureView"));
    m_view->addItem(tr("To-scale map"), int(PictureView::Map));
    m_view->addItem(tr("Memory-map diagram"), int(PictureView::Diagram));
    m_view->setCurrentIndex(std::max(0, m_view->findData(int(view))));
    form->addRow(tr("&View:"), m_view);

    m_size = new QLineEdit(QStringLiteral("%1x%2").arg(size.width()).arg(size.height()), this);
    m_size->setObjectName(QStringLiteral("pictureSize"));
    m_size->setToolTip(tr("Width x height in pixels (SVG: its user units), 16 to 20000 each"));
    form->addRow(tr("&Size:"), m_size);

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("pictureRange"));
    m_range->addItem(tr("The whole board"));
    m_range->addItem(tr("The addresses the map shows now"));
    form->addRow(tr("&Addresses:"), m_range);
    connect(m_view, &QComboBox::currentIndexChanged, this,
        [this] { m_range->setEnabled(this->view() == PictureView::Map); });

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("pictureError"));
    m_error->setWordWrap(true);
    m_error->hide();
    form->addRow(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PictureDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PictureDialog::reject);
    form->addRow(buttons);
}

QString PictureDialog::file() const
{
    return m_file->text().trimmed();
}

PictureView PictureDialog::view() const
{
    return PictureView(m_view->currentData().toInt());
}

QSize PictureDialog::pictureSize() const
{
    return parsePictureSize(m_size->text());
}

bool PictureDialog::asShown() const
{
    return view() == PictureView::Map && m_range->currentIndex() == 1;
}

void PictureDialog::accept()
{
    QString problem;
    const QString suffix = QFileInfo(file()).suffix().toLower();
    if (file().isEmpty())
        problem = tr("Give the file to write.");
    else if (suffix != QLatin1String("svg") && suffix != QLatin1String("png"))
        problem = tr("The file's name must end in .svg or .png: the format follows it.");
    else if (!pictureSize().isValid())
        problem = tr("The size is width x height in pixels, for example 1600x600, each from 16 to 20000.");
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace carveout::ui
