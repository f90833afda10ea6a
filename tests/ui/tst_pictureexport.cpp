// SPDX-License-Identifier: GPL-2.0-only
// Issue 15 item 6: pictures of the map (SVG and PNG at any size, the whole board or what the map
// shows), printing (to a PDF printer), the Export picture dialog, and `carveout-cli render`,
// which runs the real carveout program offscreen. Fails on any Qt warning.

// ui
#include "addressmap.h"
#include "export/picturedialog.h"
#include "export/pictureexport.h"
#include "mainwindow.h"
#include "uitest.h"

// tests
#include "../testutils.h"

// Qt
#include <QAction>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPrinter>
#include <QProcess>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

using namespace carveout;
using carveout::ui::MainWindow;
using carveout::ui::PictureView;

class TestPictureExport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::catchQtWarnings();
        test::isolateSettings();
    }
    void cleanup()
    {
        // QtSvg's renderer (SVG Tiny) knows no <pattern>, which QSvgGenerator writes for the
        // hatching of dynamic regions and browsers draw: its complaint is not about the picture.
        QStringList warnings = test::takeQtWarnings();
        warnings.removeIf(
            [](const QString& w) { return w.contains(QLatin1String("Could not resolve property: #fillpattern")); });
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
    void svgAtAnySize_data();
    void svgAtAnySize();
    void pngHasTheRequestedSizeAndShowsTheRegions();
    void diagramPictureNamesEveryRegion();
    void asShownKeepsTheMapsAddresses();
    void badRequestsSayWhatIsWrongAndKeepTheOldFile();
    void printsToPdf();
    void dialogChecksItsFields();
    void menuHasExportAndPrint();
    void parsePictureSize();
    void cliRender_data();
    void cliRender();

private:
    QTemporaryDir m_dir;
};

namespace {

QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

void TestPictureExport::svgAtAnySize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addRow("small") << QSize(400, 200);
    QTest::addRow("wide") << QSize(3200, 500);
    QTest::addRow("tall") << QSize(900, 1400);
}

void TestPictureExport::svgAtAnySize()
{
    QFETCH(QSize, size);
    const auto w = test::openWindow(brk1());
    const QString svg = m_dir.filePath(QStringLiteral("map-%1.svg").arg(size.width()));
    QCOMPARE(w->renderPicture(svg, PictureView::Map, size), QString());
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.defaultSize(), size);
    // The region names are text of the picture, not pixels: the map's labels are in it.
    const QByteArray text = readAll(svg);
    QVERIFY2(text.contains("camera-cma") || size.width() < 1000, "the widest CMA pool's label is in the SVG");
    QVERIFY(text.contains("<title>brk1-board.dts</title>"));
}

void TestPictureExport::pngHasTheRequestedSizeAndShowsTheRegions()
{
    const auto w = test::openWindow(brk1());
    const QString png = m_dir.filePath(QStringLiteral("map.png"));
    QCOMPARE(w->renderPicture(png, PictureView::Map, QSize(1800, 420)), QString());
    QImage image(png);
    QCOMPARE(image.size(), QSize(1800, 420));
    // The kind colour of a CMA pool is painted somewhere (the picture is the map, not a blank page).
    const QRectF r = w->addressMap()->regionRect(test::regionNamed(*w, QStringLiteral("camera-cma")));
    QVERIFY(!r.isEmpty());
    int cmaPixels = 0;
    const QRgb cma = QColor(0x4c, 0xaf, 0x50).rgb();
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            cmaPixels += image.pixel(x, y) == cma;
    QVERIFY2(cmaPixels > 50, qPrintable(QString::number(cmaPixels)));
}

void TestPictureExport::diagramPictureNamesEveryRegion()
{
    const auto w = test::openWindow(brk1());
    QCOMPARE(w->currentPictureView(), PictureView::Map);
    w->showPictureView(PictureView::Diagram);
    QCOMPARE(w->currentPictureView(), PictureView::Diagram); // what Export picture and Print take
    const QString svg = m_dir.filePath(QStringLiteral("diagram.svg"));
    QCOMPARE(w->renderPicture(svg, PictureView::Diagram, QSize(900, 1400)), QString());
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.defaultSize(), QSize(900, 1400));
    // Every region's name and base are text of the picture (the diagram labels each block).
    const QByteArray text = readAll(svg);
    for (const Region& r : w->layout().regions) {
        const QByteArray name = r.name.section(QLatin1Char('@'), 0, 0).toUtf8();
        QVERIFY2(text.contains(name), name.constData());
    }
    QVERIFY(text.contains("0x94000000"));
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    printer.setOutputFileName(m_dir.filePath(QStringLiteral("diagram.pdf")));
    QCOMPARE(w->printView(printer, PictureView::Diagram), QString());
    QVERIFY(readAll(m_dir.filePath(QStringLiteral("diagram.pdf"))).startsWith("%PDF"));
    w->showPictureView(PictureView::Map);
}

void TestPictureExport::asShownKeepsTheMapsAddresses()
{
    const auto w = test::openWindow(brk1());
    const int camera = test::regionNamed(*w, QStringLiteral("camera-cma"));
    QVERIFY(camera >= 0);
    w->addressMap()->setSelectedRegion(camera);
    w->addressMap()->zoomToSelection();
    const QString whole = m_dir.filePath(QStringLiteral("whole.svg")),
                  shown = m_dir.filePath(QStringLiteral("shown.svg"));
    QCOMPARE(w->renderPicture(whole, PictureView::Map, QSize(1600, 400), false), QString());
    QCOMPARE(w->renderPicture(shown, PictureView::Map, QSize(1600, 400), true), QString());
    // Zoomed to one pool, the other regions' labels fall outside: fewer labels than the whole board.
    const QByteArray a = readAll(whole), b = readAll(shown);
    QVERIFY(b.contains("camera-cma"));
    QVERIFY2(a.count("<text") > b.count("<text"), "the picture of the zoomed map shows less");
}

void TestPictureExport::badRequestsSayWhatIsWrongAndKeepTheOldFile()
{
    const auto w = test::openWindow(brk1());
    const QString jpg = m_dir.filePath(QStringLiteral("map.jpg"));
    QVERIFY(
        w->renderPicture(jpg, PictureView::Map, QSize(800, 300)).contains(QLatin1String("must end in .svg or .png")));
    QVERIFY(!QFile::exists(jpg));
    QVERIFY(w->renderPicture(m_dir.filePath(QStringLiteral("x.png")), PictureView::Map, QSize(4, 4))
                .contains(QLatin1String("at least 16x16")));
    const QString missingDir = m_dir.filePath(QStringLiteral("no/such/dir/map.svg"));
    QVERIFY(w->renderPicture(missingDir, PictureView::Map, QSize(800, 300))
                .contains(QLatin1String("could not be written")));
    // A picture that cannot be made leaves the file that was there.
    const QString kept = test::writeFile(m_dir, QStringLiteral("kept.png"), "not a picture");
    QVERIFY(!w->renderPicture(kept, PictureView::Map, QSize(2, 2)).isEmpty());
    QCOMPARE(readAll(kept), QByteArray("not a picture"));
}

void TestPictureExport::printsToPdf()
{
    const auto w = test::openWindow(brk1());
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    const QString pdf = m_dir.filePath(QStringLiteral("map.pdf"));
    printer.setOutputFileName(pdf);
    printer.setPageOrientation(QPageLayout::Landscape);
    QCOMPARE(w->printView(printer, PictureView::Map), QString());
    const QByteArray bytes = readAll(pdf);
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY2(bytes.size() > 3000, "the page holds the map");
}

void TestPictureExport::dialogChecksItsFields()
{
    ui::PictureDialog d(m_dir.filePath(QStringLiteral("a.svg")), PictureView::Map, QSize(1200, 400));
    auto* size = d.findChild<QLineEdit*>(QStringLiteral("pictureSize"));
    auto* file = d.findChild<QLineEdit*>(QStringLiteral("pictureFile"));
    auto* error = d.findChild<QLabel*>(QStringLiteral("pictureError"));
    QVERIFY(size && file && error);
    QCOMPARE(d.pictureSize(), QSize(1200, 400));
    d.show();
    size->setText(QStringLiteral("wide"));
    d.accept();
    QVERIFY(d.isVisible());
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QLatin1String("1600x600")));
    size->setText(QStringLiteral("2000x500"));
    file->setText(m_dir.filePath(QStringLiteral("a.gif")));
    d.accept();
    QVERIFY(d.isVisible());
    QVERIFY(error->text().contains(QLatin1String(".svg or .png")));
    file->setText(m_dir.filePath(QStringLiteral("a.png")));
    d.accept();
    QCOMPARE(d.result(), int(QDialog::Accepted));
    QCOMPARE(d.pictureSize(), QSize(2000, 500));
    QCOMPARE(d.view(), PictureView::Map);
}

void TestPictureExport::menuHasExportAndPrint()
{
    const auto w = test::openWindow(brk1());
    auto* exportAction = w->findChild<QAction*>(QStringLiteral("exportPicture"));
    auto* print = w->findChild<QAction*>(QStringLiteral("print"));
    QVERIFY(exportAction && print);
    QCOMPARE(print->shortcut(), QKeySequence(QKeySequence::Print));
    QVERIFY(!exportAction->shortcut().isEmpty());
}

void TestPictureExport::parsePictureSize()
{
    QCOMPARE(ui::parsePictureSize(QStringLiteral("1600x600")), QSize(1600, 600));
    QCOMPARE(ui::parsePictureSize(QStringLiteral(" 20 X 30 ")), QSize(20, 30));
    QVERIFY(!ui::parsePictureSize(QStringLiteral("15x600")).isValid());
    QVERIFY(!ui::parsePictureSize(QStringLiteral("30000x600")).isValid());
    QVERIFY(!ui::parsePictureSize(QStringLiteral("1600")).isValid());
    QVERIFY(!ui::parsePictureSize(QStringLiteral("-5x10")).isValid());
}

void TestPictureExport::cliRender_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions"); // in stdout for 0, stderr else
    QTest::addColumn<QString>("picture"); // a file the run writes, checked
    const QString svg = m_dir.filePath(QStringLiteral("cli.svg")), png = m_dir.filePath(QStringLiteral("cli.png"));
    QTest::addRow("svg") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), svg } << 0
                         << QStringLiteral("Picture written to %1 (map, 1600x600").arg(svg) << svg;
    QTest::addRow("png, size, profile") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), png,
        QStringLiteral("--size"), QStringLiteral("900x300"), QStringLiteral("--profile"),
        QStringLiteral("debian-6.1-arm64") }
                                        << 0 << QStringLiteral("(map, 900x300, debian-6.1-arm64)") << png;
    const QString dsvg = m_dir.filePath(QStringLiteral("cli-diagram.svg"));
    QTest::addRow("diagram") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), dsvg,
        QStringLiteral("--view"), QStringLiteral("diagram"), QStringLiteral("--size"), QStringLiteral("800x1200") }
                             << 0 << QStringLiteral("(diagram, 800x1200") << dsvg;
    QTest::addRow("no -o") << QStringList { QStringLiteral("render"), brk1() } << 2 << QStringLiteral("needs -o")
                           << QString();
    QTest::addRow("bad suffix") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"),
        QStringLiteral("m.bmp") }
                                << 2 << QStringLiteral("must end in .svg or .png") << QString();
    QTest::addRow("bad view") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), svg,
        QStringLiteral("--view"), QStringLiteral("pie") }
                              << 2 << QStringLiteral("--view takes map or diagram") << QString();
    QTest::addRow("bad size") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), svg,
        QStringLiteral("--size"), QStringLiteral("big") }
                              << 2 << QStringLiteral("--size takes WIDTHxHEIGHT") << QString();
    QTest::addRow("bad kernel") << QStringList { QStringLiteral("render"), brk1(), QStringLiteral("-o"), svg,
        QStringLiteral("--kernel"), QStringLiteral("banana") }
                                << 2 << QStringLiteral("banana") << QString();
    QTest::addRow("missing board") << QStringList { QStringLiteral("render"), m_dir.filePath(QStringLiteral("no.dts")),
        QStringLiteral("-o"), svg } << 2
                                   << QStringLiteral("could not load") << QString();
}

void TestPictureExport::cliRender()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    QFETCH(QString, picture);
    QProcess p;
    p.start(QStringLiteral(CARVEOUT_CLI_PATH), args);
    QVERIFY(p.waitForFinished(120000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput()), err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(p.exitCode() == status, qPrintable(out + err));
    QVERIFY2((status == 0 ? out : err).contains(mentions), qPrintable(out + err));
    if (picture.endsWith(QLatin1String(".svg")))
        QVERIFY(QSvgRenderer(picture).isValid());
    else if (!picture.isEmpty())
        QCOMPARE(QImage(picture).size(), QSize(900, 300));
}

QTEST_MAIN(TestPictureExport)
#include "tst_pictureexport.moc"
