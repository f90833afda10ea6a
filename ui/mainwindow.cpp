// SPDX-License-Identifier: GPL-2.0-only
#include "mainwindow.h"

// ui
#include "addressmap.h"
#include "kernelbar.h"
#include "editcommand.h"
#include "dialogs/savedialog.h"
#include "models/findingsmodel.h"
#include "models/regiontablemodel.h"
#include "desktop/windowconventions.h"
#include "navigate/navigator.h"
#include "diagram/windowdiagram.h"
#include "freespace/windowfreespace.h"
#include "overlay/windowoverlays.h"
#include "propertypanel.h"
#include "sim/simulationpanel.h"

// core
#include "edit/safesave.h"
#include "edit/verify.h"
#include "kernel/profileoptions.h"
#include "report/checkreport.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"
#include "source/loader.h"

// Qt
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonObject>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QSettings>
#include <QToolBar>
#include <QFile>
#include <QMessageBox>
#include <QRegularExpression>
#include <QScrollArea>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTextBlock>
#include <QUndoStack>
#include <QVBoxLayout>

// std
#include <algorithm>

namespace carveout::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Carveout"));
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openDialog);
    m_recentMenu = fileMenu->addMenu(tr("Open &recent"));
    fileMenu->addAction(tr("&Save changes..."), QKeySequence::Save, this, &MainWindow::save);
    addSaveAs(fileMenu);
    fileMenu->addAction(tr("Open &workload..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        m_simDock->show();
        m_simPanel->openDialog();
    });
    fileMenu->addAction(
        tr("&Export DTB..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, &MainWindow::exportDialog);
    buildPictureActions(fileMenu);
    QMenu* captureMenu = fileMenu; // Import capture and Clear capture go here, once the docks exist
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    m_undo = new QUndoStack(this);
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { setWindowModified(!clean); });
    auto* editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, this, [this] {
        m_map->scale().zoomAround(m_map->width() / 2.0, 1.5);
        m_map->update();
    });
    viewMenu->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, this, [this] {
        m_map->scale().zoomAround(m_map->width() / 2.0, 1 / 1.5);
        m_map->update();
    });
    viewMenu->addAction(tr("&Fit"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { m_map->fit(); });
    viewMenu->addAction(
        tr("Zoom to &selection"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] { m_map->zoomToSelection(); });
    buildCompareAction(viewMenu);

    auto* central = new QWidget(this);
    auto* box = new QVBoxLayout(central);
    m_summary = new QLabel(tr("Open a board (.dts or .dtb) with File > Open."), central);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    box->addWidget(m_summary);

    auto* split = new QSplitter(Qt::Vertical, central);
    m_map = new AddressMap(split);
    connect(m_map, &AddressMap::dragPreview, this, &MainWindow::previewEdit);
    connect(m_map, &AddressMap::editRequested, this, &MainWindow::commitEdit);
    connect(m_map, &AddressMap::dragCancelled, this, [this] {
        if (m_doc)
            analyse(m_doc->working());
    });
    // Regions: filter box over a sortable table.
    auto* regionsBox = new QWidget(split);
    auto* regionsLayout = new QVBoxLayout(regionsBox);
    regionsLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(regionsBox);
    m_filter->setPlaceholderText(tr("Filter regions (name, kind, flags, outcome, device, file)"));
    m_filter->setClearButtonEnabled(true);
    regionsLayout->addWidget(m_filter);
    m_regionModel = new RegionTableModel(this);
    m_regionProxy = new QSortFilterProxyModel(this);
    m_regionProxy->setSourceModel(m_regionModel);
    m_regionProxy->setSortRole(Qt::UserRole);
    m_regionProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_regionProxy->setFilterKeyColumn(-1);
    connect(m_filter, &QLineEdit::textChanged, m_regionProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_regions = new QTableView(regionsBox);
    m_regions->setObjectName(QStringLiteral("regions"));
    m_regions->setModel(m_regionProxy);
    m_regions->setSortingEnabled(true);
    m_regions->sortByColumn(RegionTableModel::Base, Qt::AscendingOrder);
    m_regions->verticalHeader()->hide();
    m_regions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_regions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_regions->setSelectionMode(QAbstractItemView::SingleSelection);
    m_regions->horizontalHeader()->setStretchLastSection(true);
    regionsLayout->addWidget(m_regions);
    // One selection for map and table.
    connect(
        m_regions->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            if (current.isValid())
                m_map->setSelectedRegion(current.data(RegionTableModel::RegionRole).toInt());
            refreshPanel(); // the panel edits what the window shows selected
        });
    connect(m_map, &AddressMap::regionSelected, this, &MainWindow::selectRegion);

    // Findings over the read-only source view.
    auto* lower = new QSplitter(Qt::Horizontal, split);
    m_findingsModel = new FindingsModel(this);
    m_findingsView = new QTableView(lower);
    m_findingsView->setObjectName(QStringLiteral("findings"));
    m_findingsView->setModel(m_findingsModel);
    m_findingsView->verticalHeader()->hide();
    m_findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findingsView->horizontalHeader()->setSectionResizeMode(FindingsModel::Message, QHeaderView::Stretch);
    m_findingsView->setWordWrap(false);
    connect(m_findingsView, &QTableView::activated, this, [this](const QModelIndex& index) {
        const Finding& f = m_findingsModel->finding(index.row());
        const int region = f.region;
        if (region >= 0) {
            m_map->setSelectedRegion(region);
            selectRegion(region);
            refreshPanel();
        }
        if (f.source.isValid())
            showSource(f.source.file, f.source.line);
    });
    m_messages = new QPlainTextEdit(lower);
    m_messages->setReadOnly(true);
    m_messages->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_messages->setPlaceholderText(tr("Activate a finding to see its source line here."));
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);
    box->addWidget(split, 1);
    setCentralWidget(central);
    auto* dock = new QDockWidget(tr("Region"), this);
    dock->setObjectName(QStringLiteral("regionDock"));
    // Scrolls rather than forcing its height on the window (small screens, the simulation dock).
    auto* panelScroll = new QScrollArea(dock);
    panelScroll->setWidgetResizable(true);
    panelScroll->setFrameShape(QFrame::NoFrame);
    m_panel = new PropertyPanel(panelScroll);
    panelScroll->setWidget(m_panel);
    dock->setWidget(panelScroll);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    connect(m_map, &AddressMap::regionSelected, this, &MainWindow::refreshPanel);
    connect(m_panel, &PropertyPanel::propertyRequested, this,
        [this](const QString& path, const QString& prop, const QJsonValue& v) {
            const QString text
                = v.isUndefined() ? tr("Unset %1 of %2").arg(prop, path) : tr("Set %1 of %2").arg(prop, path);
            applyEdit(text, [&](EditDocument& d) -> QString {
                if (prop == QLatin1String("size") && !v.isUndefined()) {
                    const auto n = parseSize(v);
                    return n ? d.resize(path, *n) : tr("'%1' is not a size").arg(v.toString());
                }
                if (v.isUndefined()) {
                    const int node = d.tree().findPath(path);
                    if (node < 0 || !d.tree().node(node).hasProperty(prop.toUtf8().constData()))
                        return {}; // already absent
                    return d.unsetProperty(path, prop);
                }
                return d.setProperty(path, prop, v);
            });
        });
    connectEditing();
    connect(m_panel, &PropertyPanel::addRequested, this, [this](const NewRegion& nr) {
        if (!m_doc || !m_committed->layout.container.present)
            return;
        const QString stem
            = nr.base ? QStringLiteral("new-region@%1").arg(*nr.base, 0, 16) : QStringLiteral("new-region");
        QString name = stem;
        for (int n = 2;
             m_committed->layout.findRegion(m_committed->layout.container.path + QLatin1Char('/') + name) >= 0; ++n)
            name = nr.base ? QStringLiteral("new-region-%1@%2").arg(n).arg(*nr.base, 0, 16)
                           : QStringLiteral("new-region-%1").arg(n);
        const QJsonObject props = newRegionProperties(nr);
        const QString path = m_committed->layout.container.path + QLatin1Char('/') + name;
        applyEdit(tr("Add %1").arg(name),
            [&](EditDocument& d) { return d.addNode(m_committed->layout.container.path, name, props); });
        const int added = m_committed->layout.findRegion(path);
        m_map->setSelectedRegion(added);
        selectRegion(added);
        refreshPanel();
    });
    connect(m_panel, &PropertyPanel::deleteRequested, this, [this](const QString& path) {
        m_map->setSelectedRegion(-1);
        applyEdit(tr("Delete %1").arg(path), [&](EditDocument& d) { return d.deleteNode(path); });
    });
    // A device picked in the bindings: the map outlines what its bus lets it reach by DMA.
    connect(m_panel, &PropertyPanel::deviceSelected, this, [this](const QString& device) {
        std::vector<AddrRange> reach;
        for (const Consumer& c : m_analysis->layout.consumers) {
            if (c.device == device && c.dmaRestricted() && !c.behindIommu) {
                reach = dmaReach(kernelDmaMap(c.dmaWindows, m_analysis->profile.physAddrBits()));
                break;
            }
        }
        m_map->setDmaReach(device, reach);
    });
    connect(m_panel, &PropertyPanel::bindRequested, this, [this](const QString& device, const QString& region) {
        applyEdit(tr("Bind %1 to %2").arg(device, region), [&](EditDocument& d) { return d.bind(device, region); });
    });
    connect(m_panel, &PropertyPanel::unbindRequested, this, [this](const QString& device, const QString& region) {
        applyEdit(
            tr("Unbind %1 from %2").arg(device, region), [&](EditDocument& d) { return d.unbind(device, region); });
    });
    // The simulation under everything: the heatmap wants width.
    m_simDock = new QDockWidget(tr("Simulation"), this);
    m_simDock->setObjectName(QStringLiteral("simulationDock"));
    m_simPanel = new SimulationPanel(m_simDock);
    m_simDock->setWidget(m_simPanel);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea); // the heatmap gets the full width
    addDockWidget(Qt::BottomDockWidgetArea, m_simDock);
    resizeDocks({ m_simDock }, { 430 }, Qt::Vertical);
    m_simDock->hide(); // until a workload is opened (View > Simulation shows it)
    viewMenu->addAction(m_simDock->toggleViewAction());
    connect(m_simPanel, &SimulationPanel::resizeRequested, this, [this](int region, uint64_t size) {
        if (region < 0 || size_t(region) >= m_committed->layout.regions.size())
            return;
        commitEdit(region, m_committed->place(region).base.value_or(0), size, false);
    });
    buildCaptureDock(captureMenu);
    viewMenu->addAction(m_captureDock->toggleViewAction());
    setAcceptDrops(true);
    buildToolBar();
    updateRecentMenu();
    // The diagram first: it moves the map into the map area's stack, and the conventions' Tab
    // order must see the map where it ends up.
    m_diagram = new WindowDiagram(this, viewMenu);
    m_conventions = new WindowConventions(this, viewMenu);
    m_navigator = new Navigator(this, viewMenu);
    m_freeSpace = new WindowFreeSpace(this, viewMenu);
    m_overlays = new WindowOverlays(this, fileMenu, viewMenu);
}

bool MainWindow::openWorkload(const QString& file)
{
    m_simDock->show();
    const bool ok = m_simPanel->openWorkload(file);
    if (!ok)
        statusBar()->showMessage(tr("The workload %1 could not be used: see the Simulation panel").arg(file), 10000);
    return ok;
}

void MainWindow::openDialog()
{
    if (!maybeSave())
        return;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open board"), QString(), tr("Device trees (*.dts *.dtb);;All files (*)"));
    if (!file.isEmpty())
        openFile(file);
}

bool MainWindow::openFile(const QString& file)
{
    LoadOptions options;
    for (const auto& d : m_includes->text().split(QLatin1Char(':'), Qt::SkipEmptyParts))
        options.includeDirs << d.trimmed();
    options.overlays = m_overlays->requests();
    const LoadResult loaded = loadBoard(file, options);
    m_messages->clear();
    if (!loaded.ok) {
        QStringList lines;
        for (const auto& d : loaded.errors)
            lines << d.toString();
        m_messages->setPlainText(lines.join(QLatin1Char('\n')));
        m_summary->setText(tr("Could not load %1.").arg(file));
        statusBar()->showMessage(tr("Load failed"));
        return false;
    }
    m_navigator->boardOpening(file); // the RAM remembered for a board whose bootloader fills it in
    if (const QString e = resolveWindowProfile(&loaded.doc, &m_profile); !e.isEmpty()) {
        statusBar()->showMessage(e, 10000);
        resolveProfile({}, &loaded.doc, &m_profile);
    }
    // The same board again (after Save, or a new include folder) keeps the user's zoom.
    const bool sameBoard = QFileInfo(file).absoluteFilePath() == QFileInfo(m_file).absoluteFilePath();
    m_file = file;
    rememberFile(file);
    m_loadNotes.clear();
    for (const auto& d : loaded.doc.notes)
        m_loadNotes << d.toString();
    m_doc = std::make_unique<EditDocument>(loaded.doc);
    m_preview = {};
    m_undo->clear();
    analyse(m_doc->working());
    m_messages->setPlainText(m_loadNotes.join(QLatin1Char('\n')));
    setWindowTitle(tr("%1[*] - Carveout").arg(file));
    setWindowModified(false);
    if (!sameBoard) {
        m_map->fit();
        m_conventions->restoreView(file); // the last session's view of this board
    }
    return true;
}

void MainWindow::analyse(const LoadedTree& tree, bool live)
{
    const AnalysisPtr a = carveout::analyse(tree, m_profile);
    if (!live)
        m_committed = a;
    showAnalysis(a, tree, live);
}

void MainWindow::showAnalysis(const AnalysisPtr& a, const LoadedTree& tree, bool live)
{
    m_analysis = a;
    MapData mapData = MapData::of(a);
    showComparison(a, tree, live, &mapData);
    m_map->setData(mapData);
    if (m_diagram)
        m_diagram->setData(mapData);
    m_findingsModel->setFindings(a->check.findings, a->layout.file);
    m_simPanel->boardChanged(tree, a, live);
    m_freeSpace->show(*a);
    if (live) {
        m_conventions->showTotals(*a);
        statusBar()->showMessage(tr("%1 error(s), %2 warning(s)").arg(a->check.errors).arg(a->check.warnings));
        return;
    }
    showLayout();
    refreshPanel();
    updateCompare();
}

QString MainWindow::applyGeometry(EditDocument& doc, int region, uint64_t base, uint64_t size) const
{
    if (region < 0 || size_t(region) >= m_committed->layout.regions.size())
        return tr("no such region");
    const Region& r = m_committed->layout.regions[size_t(region)];
    QString path = r.path;
    if (r.base && base != *r.base) {
        if (const QString e = doc.move(path, base); !e.isEmpty())
            return e;
        path = doc.working().tree.path(r.node);
    }
    if (size != m_committed->place(region).size)
        return doc.resize(path, size);
    return {};
}

QString MainWindow::stageGeometry(int region, uint64_t base, uint64_t size)
{
    // One copy of the document per window, then one of the working tree per step: a mouse move
    // never copies the whole document (its original tree and source texts).
    if (!m_preview.doc)
        m_preview.doc = std::make_unique<EditDocument>(*m_doc);
    else
        m_preview.doc->setWorking(m_doc->working());
    m_preview.valid = false;
    return applyGeometry(*m_preview.doc, region, base, size);
}

void MainWindow::previewEdit(int region, uint64_t base, uint64_t size)
{
    if (!m_doc)
        return;
    // The boot model and the rules re-run on the staged edit while the mouse moves; the
    // document and the undo stack change only when the drag ends.
    const int keep = m_map->selectedRegion();
    if (stageGeometry(region, base, size).isEmpty()) {
        m_preview.analysis = carveout::analyse(m_preview.doc->working(), m_profile);
        m_preview.region = region;
        m_preview.base = base;
        m_preview.size = size;
        m_preview.valid = true;
        showAnalysis(m_preview.analysis, m_preview.doc->working(), true);
    }
    m_map->setSelectedRegion(keep);
}

void MainWindow::commitEdit(int region, uint64_t base, uint64_t size, bool nudge)
{
    if (!m_doc)
        return;
    // A drag that ends where its last preview was keeps that preview's edit and analysis.
    const bool previewed
        = m_preview.valid && m_preview.region == region && m_preview.base == base && m_preview.size == size;
    if (!previewed) {
        if (const QString e = stageGeometry(region, base, size); !e.isEmpty()) {
            statusBar()->showMessage(e, 8000);
            showAnalysis(m_committed, m_doc->working(), false);
            return;
        }
    }
    const Region& r = m_committed->layout.regions[size_t(region)];
    const std::optional<uint64_t> was = m_committed->place(region).base;
    const QString text = (was && base != *was) ? tr("Move %1 to %2").arg(r.name, toHex(base))
                                               : tr("Resize %1 to %2").arg(r.name, formatSize(size));
    AnalysisPtr kept = previewed ? m_preview.analysis : AnalysisPtr();
    m_preview.valid = false;
    m_undo->push(new TreeEditCommand(
        text, m_doc->working(), m_preview.doc->working(),
        [this, kept](const LoadedTree& t) mutable {
            m_doc->setWorking(t);
            if (!kept) {
                analyse(t);
                return;
            }
            // The first redo (the push itself) shows what the preview computed.
            m_committed = std::move(kept);
            kept.reset();
            showAnalysis(m_committed, t, false);
        },
        nudge ? region : -1));
}

void MainWindow::showLayout()
{
    const Layout& L = m_analysis->layout;
    const RamSummary& ram = m_analysis->ram;
    m_summary->setText(tr("<b>%1</b><br>RAM %2 in %3 bank(s) &middot; %4 reserved region(s), %5 &middot; "
                          "/memreserve/ %6 &middot; kernel profile %7 &middot; %8 error(s), %9 warning(s)")
                           .arg(QDir::cleanPath(L.file).toHtmlEscaped(), formatSize(ram.ram))
                           .arg(L.memory.size())
                           .arg(L.regions.size())
                           .arg(formatSize(ram.reserved))
                           .arg(L.memreserve.size())
                           .arg(m_analysis->profile.name)
                           .arg(m_analysis->check.errors)
                           .arg(m_analysis->check.warnings));
    m_conventions->showTotals(*m_analysis);

    const int keep = m_map->selectedRegion();
    m_regionModel->setAnalysis(*m_analysis);
    if (keep >= 0)
        selectRegion(keep);
    m_regions->resizeColumnsToContents();
    m_findingsView->resizeColumnToContents(FindingsModel::SeverityColumn);
    m_findingsView->resizeColumnToContents(FindingsModel::Rule);
    m_navigator->analysisShown();
}

void MainWindow::selectRegion(int region)
{
    for (int row = 0; row < m_regionProxy->rowCount(); ++row) {
        const QModelIndex idx = m_regionProxy->index(row, 0);
        if (idx.data(RegionTableModel::RegionRole).toInt() == region) {
            if (m_regions->currentIndex().row() != row)
                m_regions->setCurrentIndex(idx);
            m_regions->scrollTo(idx);
            return;
        }
    }
}

void MainWindow::showSource(const QString& file, int line)
{
    m_navigator->sourceShown(file, line); // the pane's header, also when the file cannot be read
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        m_messages->setPlainText(tr("%1 cannot be read").arg(file));
        return;
    }
    const QList<QByteArray> lines = f.readAll().split('\n');
    QString text;
    const int from = std::max(1, line - 8), to = std::min(int(lines.size()), line + 8);
    for (int n = from; n <= to; ++n)
        text += QStringLiteral("%1%2 | %3\n")
                    .arg(n == line ? QStringLiteral("> ") : QStringLiteral("  "))
                    .arg(n, 5)
                    .arg(QString::fromUtf8(lines[n - 1]));
    m_messages->setPlainText(QStringLiteral("%1:%2\n").arg(file).arg(line) + text);
    // Put the cursor on the line at fault.
    QTextCursor c(m_messages->document()->findBlockByNumber(line - from + 1));
    m_messages->setTextCursor(c);
    m_messages->centerCursor();
}

bool MainWindow::maybeSave()
{
    if (!m_doc || m_undo->isClean())
        return true;
    const auto answer
        = QMessageBox::question(this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(m_file),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || save();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (maybeSave()) {
        m_conventions->saveWindowState();
        event->accept();
    } else
        event->ignore();
}

bool MainWindow::save()
{
    if (!m_doc)
        return true;
    SaveDialog dialog(*m_doc, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const QString error = writePatch(dialog.patch());
    if (!error.isEmpty()) {
        QMessageBox::critical(this, tr("Not saved"), error);
        return false;
    }
    return true;
}

QString MainWindow::writePatch(const SourcePatch& patch)
{
    if (!patch.ok())
        return patch.error;
    if (patch.patched.isEmpty())
        return {};
    Diagnostics errors;
    if (const QString e = checkPatch(*m_doc, patch, &errors); !e.isEmpty())
        return errors.isEmpty() ? tr("%1; nothing was written.").arg(e)
                                : tr("%1; nothing was written: %2").arg(e, errors.first().toString());
    const SaveResult saved = savePatch(patch);
    if (!saved.ok)
        return saved.error;
    QStringList names;
    for (const auto& w : saved.written)
        names << displayPath(w);
    const int selected = m_map->selectedRegion();
    openFile(m_file); // a fresh source map for the next edits
    m_map->setSelectedRegion(selected);
    statusBar()->showMessage(tr("Saved %1 (backups: .bak)").arg(names.join(QStringLiteral(", "))), 10000);
    return {};
}

QString MainWindow::exportDtb(const QString& path, bool force)
{
    if (!m_doc)
        return tr("no board is open");
    const DtbExport x = carveout::exportDtb(*m_doc, m_committed->check.errors, force);
    if (!x.ok())
        return x.error;
    if (const QString e = writeFileAtomically(path, x.dtb); !e.isEmpty())
        return e;
    statusBar()->showMessage(tr("Exported %1 (%2 bytes)").arg(path).arg(x.dtb.size()), 10000);
    return {};
}

void MainWindow::exportDialog()
{
    if (!m_doc)
        return;
    bool force = false;
    if (m_committed->check.errors > 0) {
        if (QMessageBox::warning(this, tr("Export DTB"),
                tr("%1 error-level finding(s) remain on %2. Export anyway?")
                    .arg(m_committed->check.errors)
                    .arg(m_profile.name),
                QMessageBox::Yes | QMessageBox::No)
            != QMessageBox::Yes)
            return;
        force = true;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export DTB"),
        QFileInfo(m_file).completeBaseName() + QStringLiteral(".dtb"), tr("Device tree blobs (*.dtb)"));
    if (path.isEmpty())
        return;
    if (const QString e = exportDtb(path, force); !e.isEmpty())
        QMessageBox::critical(this, tr("Export DTB"), e);
}

QString MainWindow::messagesText() const
{
    return m_messages->toPlainText();
}

void MainWindow::setIncludeFolders(const QStringList& dirs)
{
    m_includes->setText(dirs.join(QLatin1Char(':')));
}

void MainWindow::buildToolBar()
{
    // Two rows, the kernel and then what the bootloader hands it: in one, eleven fields were
    // squeezed at 1400 px. What does not fit a narrow window goes to the row's » menu.
    QToolBar* bar = addToolBar(tr("Kernel"));
    bar->setObjectName(QStringLiteral("kernelToolBar"));
    addToolBarBreak();
    QToolBar* boot = addToolBar(tr("Boot chain"));
    boot->setObjectName(QStringLiteral("bootToolBar"));
    m_kernelBar = new KernelBar(
        bar, [bar](QWidget* w) { bar->addWidget(w); }, [boot](QWidget* w) { boot->addWidget(w); });
    bar->addWidget(new QLabel(tr(" -I "), bar));
    m_includes = new QLineEdit(bar);
    m_includes->setObjectName(QStringLiteral("includes"));
    m_includes->setPlaceholderText(tr("extra include folders (a:b)"));
    bar->addWidget(m_includes);

    // Remembered between sessions.
    QSettings settings;
    setProfileRequest([&] {
        ProfileRequest r;
        r.profile = settings.value(QStringLiteral("profile/name")).toString();
        r.kernel = settings.value(QStringLiteral("profile/kernel")).toString();
        r.arch = settings.value(QStringLiteral("profile/arch")).toString();
        r.pageSize = settings.value(QStringLiteral("profile/pageSize")).toString();
        if (settings.contains(QStringLiteral("profile/cmdline")))
            r.cmdline = settings.value(QStringLiteral("profile/cmdline")).toString();
        return r;
    }());
    m_includes->setText(settings.value(QStringLiteral("load/includes")).toString());
    connect(m_kernelBar, &KernelBar::changed, this, &MainWindow::profileChanged);
    connect(m_kernelBar, &KernelBar::explained, this, [this](const QString& s) { statusBar()->showMessage(s, 15000); });
    connect(m_includes, &QLineEdit::editingFinished, this, [this] {
        QSettings().setValue(QStringLiteral("load/includes"), m_includes->text());
        if (!m_file.isEmpty() && maybeSave())
            openFile(m_file);
    });
}

ProfileRequest MainWindow::profileRequest() const
{
    return m_kernelBar->request();
}

void MainWindow::setProfileRequest(const ProfileRequest& r)
{
    m_kernelBar->setRequest(r);
    m_lastRequest = profileRequest(); // what follows is not the user's change
    profileChanged();
}

void MainWindow::profileChanged()
{
    const ProfileRequest r = profileRequest();
    QSettings settings;
    settings.setValue(QStringLiteral("profile/name"), r.profile);
    settings.setValue(QStringLiteral("profile/kernel"), r.kernel);
    settings.setValue(QStringLiteral("profile/arch"), r.arch);
    settings.setValue(QStringLiteral("profile/pageSize"), r.pageSize);
    if (r.cmdline)
        settings.setValue(QStringLiteral("profile/cmdline"), *r.cmdline);
    else
        settings.remove(QStringLiteral("profile/cmdline"));
    if (m_capture.active())
        m_capture.userSet(CaptureSession::changedFields(m_lastRequest, r));
    m_lastRequest = r;
    if (!m_doc)
        return;
    KernelProfile p;
    if (const QString e = resolveWindowProfile(&m_doc->original(), &p); !e.isEmpty()) {
        statusBar()->showMessage(e, 10000);
        return;
    }
    m_profile = p;
    analyse(m_doc->working());
}

QString MainWindow::resolveWindowProfile(const LoadedTree* board, KernelProfile* out)
{
    KernelProfile p;
    if (const QString e = resolveProfile(profileRequest(), board, &p); !e.isEmpty())
        return e;
    m_captureNotes.clear();
    *out = m_capture.active() ? m_capture.profile(p, &m_captureNotes) : p;
    return {};
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::rememberFile(const QString& file)
{
    QStringList files = recentFiles();
    const QString abs = QFileInfo(file).absoluteFilePath();
    files.removeAll(abs);
    files.prepend(abs);
    while (files.size() > 8)
        files.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    for (const auto& f : recentFiles()) {
        m_recentMenu->addAction(f, this, [this, f] {
            if (maybeSave())
                openFile(f);
        });
    }
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    // Any local file: boards are told by their suffix, captures by their content (on drop).
    for (const auto& url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    const QString file = urls.front().toLocalFile();
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (m_overlays->acceptDrop(file)) {
        event->acceptProposedAction();
        return;
    }
    if (suffix == QLatin1String("dts") || suffix == QLatin1String("dtb")) {
        if (maybeSave())
            openFile(file);
        return;
    }
    event->acceptProposedAction();
    if (const QString e = importCapture(file); !e.isEmpty())
        QMessageBox::warning(this, tr("Not a board or a capture"),
            tr("%1\n\nDrop a board (.dts, .dtb) or a capture (a carveout-capture bundle, a kernel log or "
               "/proc/iomem).")
                .arg(e));
}

void MainWindow::refreshPanel()
{
    m_panel->setRegion(*m_analysis, m_map->selectedRegion());
}

void MainWindow::applyEdit(const QString& text, const std::function<QString(EditDocument&)>& op)
{
    if (!m_doc)
        return;
    EditDocument after = *m_doc;
    if (const QString e = op(after); !e.isEmpty()) {
        statusBar()->showMessage(e, 10000);
        analyse(m_doc->working()); // puts the panel back to the document's values
        return;
    }
    m_undo->push(new TreeEditCommand(text, m_doc->working(), after.working(), [this](const LoadedTree& t) {
        m_doc->setWorking(t);
        analyse(t);
    }));
}

} // namespace carveout::ui
