// SPDX-License-Identifier: GPL-2.0-only
// The window's part of exporting and printing the map (issue 15): File > Export picture... and
// File > Print..., drawn by the views themselves (ui/export/pictureexport.h).
#include "mainwindow.h"

// ui
#include "addressmap.h"
#include "diagram/diagramview.h"
#include "diagram/windowdiagram.h"
#include "export/picturedialog.h"
#include "export/pictureexport.h"

// Qt
#include <QDir>
#include <QFileInfo>
#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QPrintDialog>
#include <QPrinter>
#include <QStatusBar>

namespace carveout::ui {

void MainWindow::buildPictureActions(QMenu* fileMenu)
{
    QAction* exportPicture = fileMenu->addAction(
        tr("Export &picture..."), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E), this, &MainWindow::exportPictureDialog);
    exportPicture->setObjectName(QStringLiteral("exportPicture"));
    QAction* print = fileMenu->addAction(tr("&Print..."), QKeySequence::Print, this, [this] {
        if (!m_doc)
            return;
        QPrinter printer(QPrinter::HighResolution);
        printer.setPageOrientation(QPageLayout::Landscape);
        printer.setDocName(QFileInfo(m_file).fileName());
        QPrintDialog dialog(&printer, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (const QString e = printView(printer, currentPictureView()); !e.isEmpty())
            QMessageBox::critical(this, tr("Print"), e);
    });
    print->setObjectName(QStringLiteral("print"));
}

PictureView MainWindow::currentPictureView() const
{
    return m_diagram && m_diagram->diagramShown() ? PictureView::Diagram : PictureView::Map;
}

void MainWindow::showPictureView(PictureView view)
{
    if (m_diagram)
        m_diagram->toggleAction()->setChecked(view == PictureView::Diagram);
}

QString MainWindow::renderPicture(const QString& file, PictureView view, QSize size, bool asShown) const
{
    PictureRequest r;
    r.view = view;
    r.size = size;
    r.palette = m_map->palette();
    if (m_diagram)
        r.diagramDetail = int(m_diagram->view()->detail());
    if (asShown)
        r.range = std::make_pair(m_map->scale().toAddress(0), m_map->scale().toAddress(m_map->scale().width()));
    return writePicture(m_map->data(), r, file);
}

QString MainWindow::printView(QPrinter& printer, PictureView view) const
{
    PictureRequest r;
    r.view = view;
    r.palette = m_map->palette();
    if (m_diagram)
        r.diagramDetail = int(m_diagram->view()->detail());
    return printPicture(m_map->data(), r, printer);
}

void MainWindow::exportPictureDialog()
{
    if (!m_doc)
        return;
    const QString suggested
        = QFileInfo(m_file).dir().filePath(QFileInfo(m_file).completeBaseName() + QStringLiteral(".svg"));
    PictureDialog dialog(suggested, currentPictureView(), m_map->size().expandedTo(QSize(800, 300)), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QString e = renderPicture(dialog.file(), dialog.view(), dialog.pictureSize(), dialog.asShown());
        !e.isEmpty()) {
        QMessageBox::critical(this, tr("Export picture"), e);
        return;
    }
    statusBar()->showMessage(tr("Wrote %1").arg(dialog.file()), 10000);
}

} // namespace carveout::ui
