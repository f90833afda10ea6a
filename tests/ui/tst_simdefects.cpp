// SPDX-License-Identifier: GPL-2.0-only
// Simulation defects found by using the window as a new user would (issue 15, item 11), each
// reproduced on the sample board and workloads through the real widgets on the offscreen platform.

// ui
#include "mainwindow.h"
#include "sim/heatmapview.h"
#include "sim/simcharts.h"
#include "sim/simulationpanel.h"
#include "sim/workloadplayer.h"

// core
#include "sim/timeline.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QApplication>
#include <QFileDialog>
#include <QLineSeries>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTableView>
#include <QTest>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>

using namespace carveout;
using namespace carveout::ui;

namespace {
QString sample(const char* rel)
{
    return test::samplesDir() + QLatin1Char('/') + QLatin1String(rel);
}

std::unique_ptr<MainWindow> openSim(const char* workload)
{
    auto w = test::openWindow(sample("sim/sim-board.dts"));
    if (!w->openWorkload(sample(workload)))
        qFatal("cannot open %s", workload);
    return w;
}

/** Failed allocations the chart shows: the sum of its points. */
double chartedFailures(const SimCharts* c)
{
    double n = 0;
    for (const QPointF& p : c->series(SimCharts::Failures)->points())
        n += p.y();
    return n;
}
} // namespace

class TestSimDefects : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void chartKeepsUpWithNextFailure();
    void deviceColoursLeaveFreeSpaceFree();
    void doubleClickKeepsTheCursor();
    void openWorkloadStartsBesideTheBoard();
    void findingTooltipsWrap();
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestSimDefects::chartKeepsUpWithNextFailure()
{
    // After each "Next failure" the heatmap marks the failures before the cursor; the chart of
    // failed allocations must count exactly those, not stop at the last whole time bucket.
    auto w = openSim("sim/camera-streaming.json");
    SimulationPanel* p = w->simulationPanel();
    auto* next = p->findChild<QToolButton*>();
    QVERIFY(next);
    for (auto* b : p->findChildren<QToolButton*>())
        if (b->text() == QLatin1String("Next failure"))
            next = b;
    QCOMPARE(next->text(), QStringLiteral("Next failure"));
    p->player()->reset();
    const auto& failures = p->heatmap()->timeline().failures;
    QVERIFY(failures.size() >= 2);
    for (size_t k = 0; k < failures.size(); ++k) {
        QTest::mouseClick(next, Qt::LeftButton);
        const uint64_t at = p->player()->position();
        QCOMPARE(at, failures[k].op + 1);
        QCOMPARE(p->heatmap()->cursor(), at);
        const auto shown
            = std::count_if(failures.begin(), failures.end(), [&](const sim::FailureMark& f) { return f.op < at; });
        QCOMPARE(chartedFailures(p->charts()), double(shown));
        // The chart's last point is at the cursor, where the heatmap's veil begins.
        const auto points = p->charts()->series(SimCharts::Failures)->points();
        QVERIFY(!points.isEmpty());
        QVERIFY2(points.back().x() <= double(at), qPrintable(QString::number(points.back().x())));
    }
}

void TestSimDefects::deviceColoursLeaveFreeSpaceFree()
{
    // Coloured by device, a cell either shows a device or is free: the sums that give each cell
    // its coverage leave rounding crumbs where buffers were freed, which were drawn as grey blocks.
    for (const char* workload : { "sim/camera-streaming.json", "sim/fragmentation-torture.json" }) {
        auto w = openSim(workload);
        SimulationPanel* p = w->simulationPanel();
        HeatmapView* h = p->heatmap();
        h->setColour(HeatmapView::Colour::Device);
        const sim::Heatmap& cells = h->cells();
        QVERIFY(cells.timeBins > 100 && cells.addressBins > 100);
        int empty = 0;
        for (size_t c = 0; c < cells.occupancy.size(); ++c) {
            const float v = cells.occupancy[c];
            QVERIFY2(v == 0.f || cells.device[c] >= 0,
                qPrintable(
                    QStringLiteral("%1: cell %2 covered %3 by no device").arg(QLatin1String(workload)).arg(c).arg(v)));
            empty += v == 0.f;
        }
        QVERIFY(empty > 0);
        // And the picture: no grey (equal red, green and blue, not the empty colour) in the plot.
        const QImage image = h->toImage();
        const QRect plot = h->plotRect().adjusted(2, 2, -2, -2);
        const double veil = h->xAtTime(double(p->player()->position()));
        int grey = 0;
        for (int y = plot.top(); y <= plot.bottom(); y += 3)
            for (int x = plot.left(); x <= std::min(plot.right(), int(veil) - 2); x += 3) {
                const QColor c = image.pixelColor(x, y);
                grey += c.red() == c.green() && c.green() == c.blue() && c.red() > 100 && c.red() < 200;
            }
        QCOMPARE(grey, 0);
        if (workload[4] == 'f')
            test::screenshot(*p, "sim-by-device.png");
    }
}

void TestSimDefects::doubleClickKeepsTheCursor()
{
    // A double click shows the whole run; its clicks must not move the time cursor.
    auto w = openSim("sim/camera-streaming.json");
    SimulationPanel* p = w->simulationPanel();
    HeatmapView* h = p->heatmap();
    p->player()->seek(120);
    h->zoomTime(6, h->xAtTime(120));
    const QPoint at(h->plotRect().left() + h->plotRect().width() * 3 / 4, h->plotRect().center().y());
    QVERIFY(std::abs(h->timeAtX(at.x()) - 120) > 5);
    // What a real double click delivers: press, release, double click, release.
    QTest::mousePress(h, Qt::LeftButton, {}, at);
    QTest::mouseRelease(h, Qt::LeftButton, {}, at);
    QTest::mouseDClick(h, Qt::LeftButton, {}, at);
    QTest::mouseRelease(h, Qt::LeftButton, {}, at);
    QCOMPARE(h->t0(), 0.0);
    QCOMPARE(h->t1(), double(p->player()->length()));
    QCOMPARE(p->player()->position(), 120ull);
    QCOMPARE(h->cursor(), 120ull);
    // A single click still moves it.
    QTest::mouseClick(h, Qt::LeftButton, {}, at);
    QCOMPARE(p->player()->position(), uint64_t(std::ceil(h->timeAtX(at.x()))));
}

void TestSimDefects::openWorkloadStartsBesideTheBoard()
{
    // The workloads sit beside their board: the dialog starts in the board's folder, then in the
    // folder of the workload last opened.
    auto w = test::openWindow(sample("sim/sim-board.dts"));
    SimulationPanel* p = w->simulationPanel();
    QPushButton* open = nullptr;
    for (auto* b : p->findChildren<QPushButton*>())
        if (b->text() == QLatin1String("Open workload..."))
            open = b;
    QVERIFY(open);
    const auto folderOfDialog = [&] {
        QString folder;
        QTimer::singleShot(0, [&] {
            if (auto* d = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
                folder = d->directory().absolutePath();
                d->reject();
            }
        });
        QTest::mouseClick(open, Qt::LeftButton);
        return folder;
    };
    QCOMPARE(folderOfDialog(), QDir(sample("sim")).canonicalPath());
    // So do the exports (a heatmap PNG beside the board, not in the program's folder).
    QPushButton* png = nullptr;
    for (auto* b : p->findChildren<QPushButton*>())
        if (b->text() == QLatin1String("PNG..."))
            png = b;
    QVERIFY(png);
    QString offered;
    QTimer::singleShot(0, [&] {
        if (auto* d = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
            offered = d->directory().absolutePath();
            d->reject();
        }
    });
    QTest::mouseClick(png, Qt::LeftButton);
    QCOMPARE(QDir(offered).canonicalPath(), QDir(sample("sim")).canonicalPath());
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("mine.json"));
    QVERIFY(QFile::copy(sample("sim/video-decode.json"), copy));
    QVERIFY(p->openWorkload(copy));
    QCOMPARE(QDir(folderOfDialog()).canonicalPath(), QDir(dir.path()).canonicalPath());
}

void TestSimDefects::findingTooltipsWrap()
{
    // A finding's tooltip (message, kernel line, fix) wraps to a width that fits the screen.
    auto w = test::openWindow(sample("broken/brk1-board.dts"));
    auto* view = w->findChild<QTableView*>(QStringLiteral("findings"));
    QVERIFY(view && view->model()->rowCount() >= 3);
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    QString longest;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QString tip = view->model()->index(row, 0).data(Qt::ToolTipRole).toString();
        QVERIFY(Qt::mightBeRichText(tip));
        QTextDocument doc;
        doc.setHtml(tip);
        if (doc.toPlainText().size() > longest.size())
            longest = tip;
    }
    QTextDocument doc;
    doc.setHtml(longest);
    QVERIFY2(doc.toPlainText().size() > 200, qPrintable(doc.toPlainText())); // one that would run off
    QToolTip::showText(screen.topLeft() + QPoint(10, 10), longest, view);
    QWidget* label = nullptr;
    for (QWidget* t : QApplication::topLevelWidgets())
        if (t->inherits("QTipLabel") && t->isVisible())
            label = t;
    QVERIFY(label);
    QVERIFY2(label->width() <= screen.width() * 2 / 3, qPrintable(QString::number(label->width())));
    QVERIFY(label->height() > 2 * label->fontMetrics().height()); // wrapped onto lines
    test::screenshot(*label, "finding-tooltip.png");
    QToolTip::hideText();
}

QTEST_MAIN(TestSimDefects)
#include "tst_simdefects.moc"
