// SPDX-License-Identifier: GPL-2.0-only
// The main window on the offscreen platform: a board opens into the table, a bad file shows
// its message, and the window renders without a single Qt warning.

// ui
#include "mainwindow.h"

// tests
#include "../testutils.h"

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
#include "addressmap.h"

#include <QUndoStack>
#include <QTest>

using namespace carveout;

namespace {
QStringList g_qtWarnings;
void failOnWarnings(QtMsgType type, const QMessageLogContext&, const QString& msg)
{
    // The offscreen plugin itself says this on every top-level show; it is not about our code.
    if (msg.startsWith(QLatin1String("This plugin does not support propagateSizeHints")))
        return;
    if (type != QtDebugMsg && type != QtInfoMsg)
        g_qtWarnings << msg;
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        qInstallMessageHandler(failOnWarnings);
    }
    void opensSampleAndCorpusBoards_data();
    void opensSampleAndCorpusBoards();
    void badFileShowsMessage();
    void modelsPassTheTester();
    void findingActivationShowsSource();
    void filterNarrowsTheRegions();
    void toolbarProfileIsAppliedAndRemembered();
    void cleanup()
    {
        const QStringList warnings = std::exchange(g_qtWarnings, {});
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
