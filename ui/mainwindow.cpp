// SPDX-License-Identifier: GPL-2.0-only
#include "mainwindow.h"

// core
#include "kernel/profileoptions.h"
#include "report/checkreport.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"
#include "source/loader.h"

// Qt
#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
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
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    auto* central = new QWidget(this);
    auto* box = new QVBoxLayout(central);
    m_summary = new QLabel(tr("Open a board (.dts or .dtb) with File > Open."), central);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    box->addWidget(m_summary);

    auto* split = new QSplitter(Qt::Vertical, central);
    m_regions = new QTableWidget(0, 9, split);
    m_regions->setHorizontalHeaderLabels({ tr("Base"), tr("End (excl.)"), tr("Size"), tr("Name"), tr("Kind"),
        tr("Outcome"), tr("Flags"), tr("Used by"), tr("Defined at") });
    m_regions->verticalHeader()->hide();
    m_regions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_regions->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_regions->horizontalHeader()->setStretchLastSection(true);
    m_messages = new QPlainTextEdit(split);
    m_messages->setReadOnly(true);
    m_messages->setPlaceholderText(tr("Findings and messages from loading appear here."));
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    box->addWidget(split, 1);
    setCentralWidget(central);
    statusBar()->showMessage(tr("No board loaded"));
}

void MainWindow::openDialog()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open board"), QString(), tr("Device trees (*.dts *.dtb);;All files (*)"));
    if (!file.isEmpty())
        openFile(file);
}

bool MainWindow::openFile(const QString& file)
{
    const LoadResult loaded = loadBoard(file);
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
    m_layout = buildLayout(loaded.doc);
    resolveProfile({}, &loaded.doc, &m_profile);
    m_boot = simulateBoot(m_layout, m_profile);
    applyBoot(m_layout, m_boot);
    m_check = runChecks(m_layout, m_boot, m_profile, loaded.doc.tree);
    QString text = findingsToText(m_check, m_profile, file);
    for (const auto& d : loaded.doc.notes)
        text += d.toString() + QLatin1Char('\n');
    m_messages->setPlainText(text);
    setWindowTitle(tr("%1 - Carveout").arg(file));
    showLayout();
    return true;
}

void MainWindow::showLayout()
{
    const Layout& L = m_layout;
    uint64_t nomap = 0, cma = 0, reserved = 0;
    for (const auto& r : L.regions) {
        reserved += r.effectiveSize;
        if (r.noMap)
            nomap += r.effectiveSize;
        if (r.kind == RegionKind::Cma)
            cma += r.effectiveSize;
    }
    m_summary->setText(tr("<b>%1</b><br>RAM %2 in %3 bank(s) &middot; %4 reserved region(s), %5 &middot; "
                          "/memreserve/ %6 &middot; kernel profile %7 &middot; %8 error(s), %9 warning(s)")
                           .arg(L.file.toHtmlEscaped(), formatSize(L.memoryTotal()))
                           .arg(L.memory.size())
                           .arg(L.regions.size())
                           .arg(formatSize(reserved))
                           .arg(L.memreserve.size())
                           .arg(m_profile.name)
                           .arg(m_check.errors)
                           .arg(m_check.warnings));
    statusBar()->showMessage(
        tr("RAM %1 | reserved %2 | no-map %3 | CMA %4")
            .arg(formatSize(L.memoryTotal()), formatSize(reserved), formatSize(nomap), formatSize(cma)));

    std::vector<size_t> order(L.regions.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const auto& ra = L.regions[a];
        const auto& rb = L.regions[b];
        if (ra.base.has_value() != rb.base.has_value())
            return ra.base.has_value();
        return ra.base.value_or(0) < rb.base.value_or(0);
    });
    m_regions->setRowCount(int(order.size()));
    int row = 0;
    for (size_t i : order) {
        const Region& r = L.regions[i];
        QStringList users;
        for (const auto& c : L.consumers) {
            if (c.region == int(i))
                users << c.device;
        }
        QStringList flags = regionFlags(r);
        flags.prepend(placementName(r.placement));
        const QStringList cells { r.base ? toHex(*r.base) : tr("(dynamic)"),
            r.base ? toHex(*r.base + r.effectiveSize) : QString(), formatSize(r.effectiveSize), r.name,
            kindName(r.kind), outcomeName(r.outcome), flags.join(QLatin1Char(' ')), users.join(QStringLiteral(", ")),
            r.source.isValid() ? QStringLiteral("%1:%2").arg(r.source.file).arg(r.source.line) : QString() };
        for (int c = 0; c < cells.size(); ++c)
            m_regions->setItem(row, c, new QTableWidgetItem(cells.at(c)));
        ++row;
    }
    m_regions->resizeColumnsToContents();
}

} // namespace carveout::ui
