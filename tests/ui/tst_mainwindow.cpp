// SPDX-License-Identifier: GPL-2.0-only
// The main window on the offscreen platform: a board opens into the table, a bad file shows
// its message, and the window renders without a single Qt warning.

// ui
#include "mainwindow.h"

// tests
#include "../testutils.h"

// Qt
#include <QApplication>
#include <QPlainTextEdit>
#include <QTableWidget>
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
    void initTestCase() { qInstallMessageHandler(failOnWarnings); }
    void opensSampleAndCorpusBoards_data();
    void opensSampleAndCorpusBoards();
    void badFileShowsMessage();
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
    auto* table = w.findChild<QTableWidget*>();
    QVERIFY(table);
    QCOMPARE(size_t(table->rowCount()), w.layout().regions.size());
    QVERIFY(table->rowCount() > 0);
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
