// SPDX-License-Identifier: GPL-2.0-only
// The main window on the offscreen platform: a board opens into the table, a bad file shows
// its message, and the window renders without a single Qt warning.

// ui
#include "mainwindow.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTableView>

// ui
#include "models/findingsmodel.h"
#include "models/regiontablemodel.h"

// core
#include "edit/editdocument.h"
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "kernel/profileoptions.h"
#include "model/layout.h"
#include "source/loader.h"
#include "addressmap.h"

#include <QUndoStack>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace carveout;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void opensSampleAndCorpusBoards_data();
    void opensSampleAndCorpusBoards();
    void badFileShowsMessage();
    void modelsPassTheTester();
    void regionModelAnnouncesPreciseChanges();
    void findingActivationShowsSource();
    void filterNarrowsTheRegions();
    void toolbarProfileIsAppliedAndRemembered();
    void cleanup()
    {
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestMainWindow::opensSampleAndCorpusBoards_data()
{
    QTest::addColumn<QString>("board");
    QDir samples(test::samplesDir());
    for (const auto& sub : samples.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const auto& f : QDir(samples.filePath(sub)).entryList({ QStringLiteral("*.dts") }))
            QTest::addRow("samples/%s/%s", qPrintable(sub), qPrintable(f))
                << samples.filePath(sub + QLatin1Char('/') + f);
    }
    for (const char* b : { "src/arm64/qcom/sm8550-qrd.dts", "src/arm64/freescale/imx8mp-evk.dts" })
        QTest::addRow("%s", b) << test::corpusDir() + QLatin1Char('/') + QString::fromLatin1(b);
}

void TestMainWindow::opensSampleAndCorpusBoards()
{
    QFETCH(QString, board);
    if (!QFile::exists(board))
        QSKIP("board not available (shared/corpus missing)");
    ui::MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openFile(board));
    auto* table = w.findChild<QTableView*>(QStringLiteral("regions"));
    QVERIFY(table);
    QCOMPARE(size_t(table->model()->rowCount()), w.layout().regions.size());
    QVERIFY(table->model()->rowCount() > 0);
    const QImage shot = w.grab().toImage();
    QCOMPARE(shot.size(), QSize(1200, 800));
    // Not a blank window: the table and labels put many colours on screen.
    QSet<QRgb> colours;
    for (int y = 0; y < shot.height(); y += 7) {
        for (int x = 0; x < shot.width(); x += 7)
            colours.insert(shot.pixel(x, y));
    }
    QVERIFY(colours.size() > 8);
}

void TestMainWindow::badFileShowsMessage()
{
    QTemporaryDir dir;
    const QString bad = test::writeFile(dir, QStringLiteral("bad.dts"), "/dts-v1/;\n/ {\n\ta = <1>\n\tb;\n};\n");
    ui::MainWindow w;
    w.show();
    QVERIFY(!w.openFile(bad));
    auto* messages = w.findChild<QPlainTextEdit*>();
    QVERIFY(messages);
    QVERIFY2(messages->toPlainText().contains(QLatin1String("bad.dts:4")), qPrintable(messages->toPlainText()));
}

void TestMainWindow::modelsPassTheTester()
{
    ui::MainWindow w;
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    auto* regions = w.findChild<QTableView*>(QStringLiteral("regions"));
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(regions->model());
    QVERIFY(proxy);
    auto* regionModel = qobject_cast<ui::RegionTableModel*>(proxy->sourceModel());
    auto* findings = qobject_cast<ui::FindingsModel*>(w.findChild<QTableView*>(QStringLiteral("findings"))->model());
    QVERIFY(regionModel && findings);
    QAbstractItemModelTester t1(regionModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(findings, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(findings->rowCount(), 3);
    // Edits go through the models while the testers watch: a nudge, undo, another board.
    w.addressMap()->setSelectedRegion(0);
    QTest::keyClick(w.addressMap(), Qt::Key_Right);
    w.undoStack()->undo();
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts")));
    QCOMPARE(findings->rowCount(), 0);
    // Sorting by size sorts numbers, not text.
    proxy->sort(ui::RegionTableModel::Size, Qt::AscendingOrder);
    uint64_t last = 0;
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const uint64_t v = proxy->index(row, ui::RegionTableModel::Size).data(Qt::UserRole).toULongLong();
        QVERIFY(v >= last);
        last = v;
    }
}

void TestMainWindow::regionModelAnnouncesPreciseChanges()
{
    // Real edits of the broken sample through the edit document, each layout after boot.
    const LoadResult loaded = loadBoard(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts"));
    QVERIFY(loaded.ok);
    EditDocument doc(loaded.doc);
    KernelProfile profile;
    QVERIFY(resolveProfile(ProfileRequest(), &doc.working(), &profile).isEmpty());
    auto named = [](const Layout& L, const char* prefix) {
        for (size_t i = 0; i < L.regions.size(); ++i) {
            if (L.regions[i].name.startsWith(QLatin1String(prefix)))
                return int(i);
        }
        return -1;
    };
    auto analysisOf = [&](const EditDocument& d) { return *analyse(d.working(), profile); };
    ui::RegionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setAnalysis(analysisOf(doc));
    QCOMPARE(reset.count(), 1); // a new board
    const Analysis firstAnalysis = analysisOf(doc);
    const Layout& first = firstAnalysis.layout;
    const int rows = model.rowCount();
    const int video = named(first, "video@");
    QVERIFY(video > 0);

    // The same layout again: nothing to announce.
    model.setAnalysis(firstAnalysis);
    QCOMPARE(reset.count() + changed.count() + inserted.count() + removed.count(), 1);

    // A resize: that row only.
    QVERIFY(doc.resize(first.regions[size_t(video)].path, 0x400000).isEmpty());
    model.setAnalysis(analysisOf(doc));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(0).toModelIndex().row(), video);
    QCOMPARE(changed.last().at(1).toModelIndex().row(), video);
    QCOMPARE(model.index(video, ui::RegionTableModel::Size).data().toString(), QStringLiteral("4 MiB"));

    // A new region: one row inserted where the layout has it, the others kept.
    QJsonObject props;
    props.insert(QStringLiteral("reg"),
        QJsonArray { QJsonValue(QStringLiteral("0xa0000000")), QJsonValue(QStringLiteral("0x100000")) });
    props.insert(QStringLiteral("no-map"), true);
    QVERIFY2(doc.addNode(first.container.path, QStringLiteral("carveout-test@a0000000"), props).isEmpty(), "add");
    const Analysis addedAnalysis = analysisOf(doc);
    const Layout& added = addedAnalysis.layout;
    const int at = named(added, "carveout-test@");
    QVERIFY(at >= 0);
    const int changesBefore = changed.count();
    model.setAnalysis(addedAnalysis);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.last().at(1).toInt(), at);
    QCOMPARE(inserted.last().at(2).toInt(), at);
    QCOMPARE(model.rowCount(), rows + 1);
    QCOMPARE(model.index(at, ui::RegionTableModel::Name).data().toString(), added.regions[size_t(at)].name);
    QCOMPARE(model.index(at, ui::RegionTableModel::Base).data().toString(), QStringLiteral("0xa0000000"));
    QCOMPARE(changed.count(), changesBefore); // the other rows read the same

    // Deleting it and moving video in one step: one row removed, video's row changed.
    QVERIFY(doc.deleteNode(added.regions[size_t(at)].path).isEmpty());
    QVERIFY(doc.move(added.regions[size_t(video)].path, 0x9a600000).isEmpty());
    model.setAnalysis(analysisOf(doc));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.last().at(1).toInt(), at);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(changed.count(), changesBefore + 1);
    QCOMPARE(changed.last().at(0).toModelIndex().row(), video);
    QCOMPARE(model.index(video, ui::RegionTableModel::Base).data().toString(), QStringLiteral("0x9a600000"));

    // Another board: a reset.
    const LoadResult other = loadBoard(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts"));
    QVERIFY(other.ok);
    model.setAnalysis(*analyse(other.doc, profile));
    QCOMPARE(reset.count(), 2);
}

void TestMainWindow::findingActivationShowsSource()
{
    ui::MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    auto* view = w.findChild<QTableView*>(QStringLiteral("findings"));
    int row = -1;
    for (int r = 0; r < view->model()->rowCount(); ++r) {
        if (view->model()->index(r, ui::FindingsModel::Rule).data().toString() == QLatin1String("cma_align"))
            row = r;
    }
    QVERIFY(row >= 0);
    const QModelIndex idx = view->model()->index(row, ui::FindingsModel::Message);
    emit view->activated(idx);
    const int region = w.addressMap()->selectedRegion();
    QVERIFY(region >= 0);
    QVERIFY(w.layout().regions[size_t(region)].name.startsWith(QLatin1String("camera-cma@")));
    auto* source = w.findChild<QPlainTextEdit*>();
    QVERIFY2(source->toPlainText().contains(QLatin1String(">   113 |")), qPrintable(source->toPlainText()));
    QVERIFY(source->textCursor().block().text().startsWith(QLatin1String(">   113")));
    auto* regions = w.findChild<QTableView*>(QStringLiteral("regions"));
    QCOMPARE(regions->currentIndex().data(ui::RegionTableModel::RegionRole).toInt(), region);
}

void TestMainWindow::filterNarrowsTheRegions()
{
    ui::MainWindow w;
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/phone/sd9000-mtp.dts")));
    auto* filter = w.findChild<QLineEdit*>();
    QVERIFY(filter);
    auto* regions = w.findChild<QTableView*>(QStringLiteral("regions"));
    const int all = regions->model()->rowCount();
    QTest::keyClicks(filter, QStringLiteral("coherent"));
    QCOMPARE(regions->model()->rowCount(), 3);
    filter->clear();
    QCOMPARE(regions->model()->rowCount(), all);
}

void TestMainWindow::toolbarProfileIsAppliedAndRemembered()
{
    const QString board = test::sourceDir() + QStringLiteral("/tests/data/rules/pair-coherent-mapped.dts");
    const auto rules = [](const ui::MainWindow& w) {
        QStringList r;
        for (const auto& f : w.findings().findings)
            r << f.rule;
        return r;
    };
    {
        ui::MainWindow w;
        QVERIFY(w.openFile(board));
        QVERIFY(!rules(w).contains(QStringLiteral("dma_arm_nomap")));
        QCOMPARE(w.profile().arch, Arch::Arm64);
        auto* arch = w.findChild<QComboBox*>(QStringLiteral("arch"));
        arch->setCurrentIndex(arch->findData(QStringLiteral("arm")));
        QCOMPARE(w.profile().arch, Arch::Arm);
        QVERIFY(rules(w).contains(QStringLiteral("dma_arm_nomap")));
        QCOMPARE(w.recentFiles().value(0), QFileInfo(board).absoluteFilePath());
    }
    // The next window starts with the same choice.
    ui::MainWindow again;
    QVERIFY(again.openFile(board));
    QCOMPARE(again.profile().arch, Arch::Arm);
    ProfileRequest reset;
    again.setProfileRequest(reset);
    QCOMPARE(again.profile().arch, Arch::Arm64);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
