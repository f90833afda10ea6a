// SPDX-License-Identifier: GPL-2.0-only
// The main window's side of an imported capture: File > Import capture and Clear capture, the
// Capture dock and its fixes, and the comparison of every analysis the window shows.

// ui
#include "addressmap.h"
#include "capturepanel.h"
#include "kernelbar.h"
#include "mainwindow.h"

// core
#include "source/loader.h"

// Qt
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

// std
#include <algorithm>

namespace carveout::ui {

void MainWindow::buildCaptureDock(QMenu* fileMenu)
{
    fileMenu
        ->addAction(
            tr("&Import capture..."), QKeySequence(Qt::CTRL | Qt::Key_I), this, &MainWindow::importCaptureDialog)
        ->setObjectName(QStringLiteral("importCapture"));
    m_clearCapture = fileMenu->addAction(tr("C&lear capture"), this, &MainWindow::clearCapture);
    m_clearCapture->setObjectName(QStringLiteral("clearCapture"));
    m_clearCapture->setEnabled(false);
    m_captureDock = new QDockWidget(tr("Capture"), this);
    m_captureDock->setObjectName(QStringLiteral("captureDock"));
    m_capturePanel = new CapturePanel(m_captureDock);
    m_captureDock->setWidget(m_capturePanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_captureDock);
    m_captureDock->hide(); // until a capture is imported
    connect(m_capturePanel, &CapturePanel::regionActivated, this, [this](int region) {
        m_map->setSelectedRegion(region);
        selectRegion(region);
        refreshPanel();
    });
    connect(m_capturePanel, &CapturePanel::markActivated, m_map, &AddressMap::highlightMark);
    connect(m_capturePanel, &CapturePanel::sourceRequested, this, &MainWindow::showSource);
    connect(m_map, &AddressMap::regionSelected, m_capturePanel, &CapturePanel::showRegion);
    connect(m_capturePanel, &CapturePanel::useBootedMemoryRequested, this, &MainWindow::useBootedMemory);
    connect(m_capturePanel, &CapturePanel::addReservationRequested, this, &MainWindow::addEarlyReservation);
    m_captureCounts = new QLabel(this);
    m_captureCounts->setObjectName(QStringLiteral("captureCounts"));
    // Wide enough for its text: a long message must not squeeze the counts away.
    m_captureCounts->setMinimumWidth(m_captureCounts->fontMetrics().horizontalAdvance(
        QStringLiteral("capture: 999 agree, 999 differ, 999 unknown")));
    statusBar()->addPermanentWidget(m_captureCounts);
    m_captureCounts->hide();
}

void MainWindow::importCaptureDialog()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import capture"), QString(), tr("Captures (*.txt *.bundle *.log *.iomem);;All files (*)"));
    if (file.isEmpty())
        return;
    if (const QString e = importCapture(file); !e.isEmpty())
        QMessageBox::critical(this, tr("Import capture"), e);
}

QString MainWindow::importCapture(const QString& file)
{
    CaptureSession next;
    if (const QString e = next.load(file); !e.isEmpty())
        return e;
    m_capture = next;
    m_map->highlightMark(0, -1);
    m_clearCapture->setEnabled(true);
    if (!m_captureDock->isVisible()) {
        m_captureDock->show();
        resizeDocks({ m_captureDock }, { std::max(200, height() / 4) }, Qt::Vertical); // the map keeps its room
    }
    // The capture's profile over the toolbar's, shown in the toolbar: what the user changes
    // there from now on is theirs (CaptureSession::userSet).
    const LoadedTree* board = m_doc ? &m_doc->original() : nullptr;
    KernelProfile base;
    if (!resolveProfile(profileRequest(), board, &base).isEmpty())
        resolveProfile({}, board, &base);
    QStringList notes;
    const KernelProfile p = m_capture.profile(base, &notes);
    setProfileRequest(CaptureSession::requestShowing(p, profileRequest())); // re-analyses and compares
    // The first value taken says the most (the profile); the Capture dock's header lists them all.
    QString taken = tr("nothing taken from it");
    if (notes.size() == 1)
        taken = tr("from it: %1").arg(notes.front());
    else if (notes.size() > 1)
        taken = tr("from it: %1, and %2 more (see the Capture dock's header)").arg(notes.front()).arg(notes.size() - 1);
    if (!m_doc) {
        m_capturePanel->clear(tr("Capture %1 read (%2). Open the board it was captured from (File > Open) to "
                                 "compare.")
                                  .arg(displayPath(file), capture::captureKindName(m_capture.capture().kind)));
    }
    statusBar()->showMessage(tr("Capture %1 imported; %2").arg(displayPath(file), taken), 20000);
    return {};
}

void MainWindow::clearCapture()
{
    m_capture.clear();
    m_map->highlightMark(0, -1);
    m_clearCapture->setEnabled(false);
    m_capturePanel->clear(tr("No capture: File > Import capture..."));
    if (m_doc)
        analyse(m_doc->working()); // the toolbar keeps the profile the capture gave it
    else
        m_captureCounts->hide();
    statusBar()->showMessage(tr("Capture cleared; the toolbar keeps the profile taken from it"), 10000);
}

void MainWindow::showComparison(const AnalysisPtr& a, const LoadedTree& tree, bool live, MapData* mapData)
{
    // A comparison reads the capture's log again each time (about 1.5 ms for the 245 lines of
    // 06-alloc-ranges' capture, bench_drag --capture): a drag re-compares at most every 40 ms,
    // and always when it ends. The layout's regions stay the same while the mouse moves.
    const bool fresh = !live || !m_compare || !m_liveCompared.isValid() || m_liveCompared.elapsed() >= 40;
    if (fresh) {
        m_compare = m_capture.active() ? m_capture.compare(tree, a) : nullptr;
        if (live)
            m_liveCompared.start();
        else
            m_liveCompared.invalidate();
    }
    mapData->compare = m_compare;
    mapData->captureFile = m_capture.file();
    m_captureCounts->setVisible(bool(m_compare));
    if (!m_compare)
        return;
    m_captureCounts->setText(captureCounts(*m_compare));
    if (live)
        return; // the list catches up when the drag ends
    const auto& c = m_capture.capture();
    QString header = tr("<b>%1</b> (%2%3) against %4: %5")
                         .arg(displayPath(c.file).toHtmlEscaped(), capture::captureKindName(c.kind),
                             c.kernelRelease.isEmpty() ? QString() : tr(", kernel %1").arg(c.kernelRelease),
                             a->profile.name, captureCounts(*m_compare));
    m_capturePanel->setResult(m_compare, c.file, header);
    QStringList tip = m_captureNotes;
    tip << m_compare->profileNotes;
    tip.removeDuplicates();
    m_capturePanel->header()->setToolTip(tip.join(QLatin1Char('\n')));
}

void MainWindow::useBootedMemory()
{
    if (!m_compare || m_compare->bootedMemory.empty())
        return;
    const QStringList memory = CaptureSession::memoryArguments(m_compare->bootedMemory);
    m_kernelBar->setMemory(memory);
    profileChanged();
    statusBar()->showMessage(tr("RAM is the booted /memory now (%1): clear the toolbar's Memory field to go back")
                                 .arg(memory.join(QStringLiteral(", "))),
        20000);
}

void MainWindow::addEarlyReservation(int index)
{
    if (!m_compare || index < 0 || size_t(index) >= m_compare->unexplained.size())
        return;
    const QString arg = CaptureSession::reserveArgument(m_compare->unexplained[size_t(index)]);
    QStringList entries = profileRequest().reserve;
    if (!entries.contains(arg))
        entries << arg;
    m_kernelBar->setReserve(entries);
    profileChanged();
    statusBar()->showMessage(
        tr("Early reservation %1 added: remove it from the toolbar's Reserve field to go back").arg(arg), 20000);
}

} // namespace carveout::ui
