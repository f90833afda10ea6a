// SPDX-License-Identifier: GPL-2.0-only
// The simulation workspace on the offscreen platform: the player's state machine, the
// heatmap's geometry (zoom, pan, clicks, tooltips, failure marks), the chart models, the
// workload editor, exports, the live re-run while a pool is dragged with the real mouse, the
// smallest-size search with progress, cancel and an undoable apply, and a screenshot of every
// sample workload that fails on any Qt warning.

// ui
#include "addressmap.h"
#include "mainwindow.h"
#include "sim/heatmapview.h"
#include "sim/metricsmodel.h"
#include "sim/simcharts.h"
#include "sim/simulationpanel.h"
#include "sim/workloadplayer.h"

// core
#include "report/jsonwriter.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QAbstractItemModelTester>
#include <QChart>
#include <QDir>
#include <QDockWidget>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QValueAxis>

using namespace carveout;
using namespace carveout::ui;

namespace {
QStringList g_warnings;
QtMessageHandler g_previous = nullptr;

void recordWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    // The offscreen platform says this of every top-level window it shows: not ours to fix.
    const bool platform = message == QLatin1String("This plugin does not support propagateSizeHints()");
    if ((type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg) && !platform)
        g_warnings << message;
    g_previous(type, context, message);
}

QString sample(const char* rel)
{
    return QStringLiteral(CARVEOUT_SOURCE_DIR "/samples/") + QLatin1String(rel);
}

std::unique_ptr<MainWindow> openSim(const char* workload)
{
    auto w = std::make_unique<MainWindow>();
    w->resize(1400, 1000);
    if (!w->openFile(sample("sim/sim-board.dts")) || !w->openWorkload(sample(workload)))
        return nullptr;
    w->show();
    return w;
}

/** Failures and fallbacks of the pool the panel watches. */
uint32_t watchedFailures(const SimulationPanel* p)
{
    const sim::SimResult* r = p->result();
    if (!r || p->watchedPool() < 0)
        return UINT32_MAX;
    const sim::PoolRun& run = r->runs[size_t(p->watchedPool())];
    return run.failures + run.fallbacks;
}
} // namespace

class TestSimGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void playerStateMachine_data();
    void playerStateMachine();
    void heatmapGeometry();
    void heatmapMouse();
    void chartModels();
    void workloadEditor();
    void exports();
    void liveDragMakesTheFailureVanish();
    void minSizeFromTheGui();
    void minSizeCancel();
    void screenshotsWithoutWarnings();
    void cleanupTestCase();
};

void TestSimGui::initTestCase()
{
    test::isolateSettings();
    g_previous = qInstallMessageHandler(recordWarnings);
}

void TestSimGui::cleanupTestCase()
{
    qInstallMessageHandler(g_previous);
}

void TestSimGui::playerStateMachine_data()
{
    // A script of player actions on a 100-operation workload at 1000 operations per second.
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("state");
    QTest::addColumn<qulonglong>("position");
    QTest::newRow("fresh") << ""
                           << "Stopped" << 0ull;
    QTest::newRow("play") << "play"
                          << "Playing" << 0ull;
    QTest::newRow("play 33 ms") << "play tick:33"
                                << "Playing" << 33ull;
    QTest::newRow("fractions carry") << "play tick:0.4 tick:0.4 tick:0.4"
                                     << "Playing" << 1ull;
    QTest::newRow("pause") << "play tick:20 pause tick:50"
                           << "Paused" << 20ull;
    QTest::newRow("to the end") << "play tick:5000"
                                << "Finished" << 100ull;
    QTest::newRow("play again") << "play tick:5000 play"
                                << "Playing" << 0ull;
    QTest::newRow("step") << "step step"
                          << "Paused" << 2ull;
    QTest::newRow("step while playing") << "play tick:10 step"
                                        << "Paused" << 11ull;
    QTest::newRow("step at the end") << "seek:100 step"
                                     << "Finished" << 100ull;
    QTest::newRow("reset") << "play tick:40 reset"
                           << "Stopped" << 0ull;
    QTest::newRow("next failure") << "next"
                                  << "Paused" << 31ull;
    QTest::newRow("next failure twice") << "next next"
                                        << "Paused" << 71ull;
    QTest::newRow("after the last: the first") << "seek:80 next"
                                               << "Paused" << 31ull;
    QTest::newRow("no failures") << "nofailures next"
                                 << "Stopped" << 0ull;
    QTest::newRow("seek back from the end") << "play tick:5000 seek:10"
                                            << "Paused" << 10ull;
    QTest::newRow("seek past the end") << "seek:500"
                                       << "Paused" << 100ull;
    QTest::newRow("shorter workload") << "seek:90 length:50"
                                      << "Finished" << 50ull;
    QTest::newRow("toggle") << "toggle tick:10 toggle"
                            << "Paused" << 10ull;
    QTest::newRow("faster") << "speed:10000 play tick:5"
                            << "Playing" << 50ull;
}

void TestSimGui::playerStateMachine()
{
    QFETCH(QString, script);
    QFETCH(QString, state);
    QFETCH(qulonglong, position);
    WorkloadPlayer p;
    p.setLength(100);
    p.setSpeed(1000);
    p.setFailures({ 30, 70 });
    QSignalSpy moved(&p, &WorkloadPlayer::positionChanged);
    for (const QString& a : script.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString arg = a.section(QLatin1Char(':'), 1);
        if (a == QLatin1String("play"))
            p.play();
        else if (a == QLatin1String("pause"))
            p.pause();
        else if (a == QLatin1String("toggle"))
            p.togglePlay();
        else if (a == QLatin1String("step"))
            p.step();
        else if (a == QLatin1String("reset"))
            p.reset();
        else if (a == QLatin1String("next"))
            p.nextFailure();
        else if (a == QLatin1String("nofailures"))
            p.setFailures({});
        else if (a.startsWith(QLatin1String("tick:")))
            p.advance(arg.toDouble());
        else if (a.startsWith(QLatin1String("seek:")))
            p.seek(arg.toULongLong());
        else if (a.startsWith(QLatin1String("length:")))
            p.setLength(arg.toULongLong());
        else if (a.startsWith(QLatin1String("speed:")))
            p.setSpeed(arg.toDouble());
        else
            QFAIL(qPrintable(a));
    }
    QCOMPARE(QString::fromLatin1(QMetaEnum::fromType<WorkloadPlayer::State>().valueToKey(int(p.state()))), state);
    QCOMPARE(qulonglong(p.position()), position);
    if (position > 0)
        QVERIFY(!moved.isEmpty() && moved.last().at(0).toULongLong() == position);
}

namespace {
/** 1000 operations, a 64 MiB pool at 0x80000000: buffer 0 (dev 0) holds [16, 20) MiB for
 *  ops [100, 600), buffer 1 (dev 1) [0, 8) MiB from op 300 on; a failure at op 700. */
sim::PoolTimeline syntheticTimeline()
{
    sim::PoolTimeline t;
    t.base = 0x80000000;
    t.size = 64 << 20;
    t.opCount = 1000;
    t.lifetimes.push_back({ 100, 600, t.base + (16 << 20), 4 << 20, 4 << 20, 0, 0 });
    t.lifetimes.push_back({ 300, sim::Lifetime::kNeverFreed, t.base, 8 << 20, (8 << 20) - 100, 1, 1 });
    t.failures.push_back({ 700, 60 << 20, 0, 2, sim::OpOutcome::Failed, t.base + (8 << 20), 56 << 20 });
    return t;
}

std::shared_ptr<sim::Workload> syntheticWorkload()
{
    // Buffers 0, 1, 2 are frame0, bitstream and huge; 1000 operations, "capture" from op 500.
    QString error;
    auto w = sim::parseWorkload(R"({ "devices": { "isp": "&isp", "vpu": "&vpu" }, "steps": [
        { "alloc": "isp", "size": "4M", "as": "frame0" }, { "alloc": "vpu", "size": "8M", "as": "bitstream" },
        { "alloc": "isp", "size": "60M", "as": "huge" }, { "alloc": "isp", "size": "4K", "as": "x" },
        { "repeat": 248, "steps": [ { "alloc": "isp", "size": "4K", "as": "t" }, { "free": "t" } ] },
        { "phase": "capture", "steps": [
          { "repeat": 250, "steps": [ { "alloc": "isp", "size": "4K", "as": "t" }, { "free": "t" } ] } ] } ] })",
        &error);
    if (!w || w->ops.size() != 1000)
        qFatal("synthetic workload: %s", qPrintable(error));
    return std::make_shared<sim::Workload>(std::move(*w));
}
} // namespace

void TestSimGui::heatmapGeometry()
{
    HeatmapView h;
    h.resize(800, 400);
    h.setTimeline(syntheticTimeline(), syntheticWorkload(), QStringLiteral("pool"));
    h.setCursor(1000);
    const QRect r = h.plotRect();
    QVERIFY(r.width() > 600 && r.height() > 300);
    // The whole run and the whole pool; time to the right, addresses upward.
    QCOMPARE(h.t0(), 0.0);
    QCOMPARE(h.t1(), 1000.0);
    QCOMPARE(h.xAtTime(0), double(r.left()));
    QCOMPARE(h.xAtTime(1000), double(r.left() + r.width()));
    QVERIFY(h.yAtOffset(0) > h.yAtOffset(1 << 20));
    for (double t : { 0.0, 123.5, 999.0 })
        QVERIFY(std::abs(h.timeAtX(h.xAtTime(t)) - t) < 1e-9);
    for (double a : { 0.0, 1e6, 6.7e7 })
        QVERIFY(std::abs(h.offsetAtY(h.yAtOffset(a)) - a) < 1e-3);
    // One cell per pixel of the plot.
    const sim::Heatmap& cells = h.cells();
    QCOMPARE(cells.timeBins, r.width());
    QCOMPARE(cells.addressBins, r.height());
    // Zoom keeps the point under the mouse; clamps at the ends; never below four operations.
    const double x = h.xAtTime(250);
    h.zoomTime(4, x);
    QVERIFY(std::abs(h.timeAtX(x) - 250) < 1e-6);
    QVERIFY(std::abs((h.t1() - h.t0()) - 250) < 1e-6);
    h.zoomTime(1e9, x);
    QCOMPARE(h.t1() - h.t0(), 4.0);
    h.pan(-1e6, 0); // far right: stops at the end
    QCOMPARE(h.t1(), 1000.0);
    h.zoomTime(1e-9, x);
    QCOMPARE(h.t0(), 0.0);
    QCOMPARE(h.t1(), 1000.0);
    const double y = h.yAtOffset(18 << 20);
    h.zoomAddress(8, y);
    QVERIFY(std::abs(h.offsetAtY(y) - (18 << 20)) < 1);
    QVERIFY(std::abs((h.a1() - h.a0()) - (8 << 20)) < 1);
    // Zoomed in, a cell is a fraction of a MiB and the buffer's edges are exact.
    const sim::Heatmap& zoomed = h.cells();
    const int col = int(h.xAtTime(400)) - r.left();
    const int rowIn = r.bottom() - int(h.yAtOffset(17 << 20)); // inside buffer 0 (from the bottom)
    QCOMPARE(zoomed.occupancy[size_t(col) * size_t(zoomed.addressBins) + size_t(rowIn)], 1.0f);
    QCOMPARE(int(zoomed.device[size_t(col) * size_t(zoomed.addressBins) + size_t(rowIn)]), 0);
    const int rowOut = r.bottom() - int(h.yAtOffset(21 << 20));
    QCOMPARE(zoomed.occupancy[size_t(col) * size_t(zoomed.addressBins) + size_t(rowOut)], 0.0f);
    h.resetView();
    QCOMPARE(h.a1(), double(64 << 20));

    // The failure: at op 700, outlining the 56 MiB free block above buffer 1.
    const QRectF f = h.failureRect(0);
    QVERIFY(std::abs(f.center().x() - (h.xAtTime(700) + h.xAtTime(701)) / 2) < 0.01);
    QVERIFY(std::abs(f.bottom() - h.yAtOffset(8 << 20)) < 0.01);
    QVERIFY(std::abs(f.top() - h.yAtOffset(64 << 20)) < 0.01);

    // Tooltips: the buffer, the failure, free space, and the future.
    const QPoint inBuffer(int(h.xAtTime(400)), int(h.yAtOffset(18 << 20)));
    QString tip = h.toolTipAt(inBuffer);
    QVERIFY2(tip.contains(QLatin1String("frame0")) && tip.contains(QLatin1String("isp"))
            && tip.contains(QLatin1String("0x81000000")) && tip.contains(QLatin1String("4 MiB")),
        qPrintable(tip));
    tip = h.toolTipAt(QPoint(int(f.center().x()), int(f.center().y())));
    QVERIFY2(tip.contains(QLatin1String("op 700")) && tip.contains(QLatin1String("huge"))
            && tip.contains(QLatin1String("largest free block 56 MiB")),
        qPrintable(tip));
    tip = h.toolTipAt(QPoint(int(h.xAtTime(50)), int(h.yAtOffset(18 << 20))));
    QVERIFY2(tip.startsWith(QLatin1String("free at 0x81200000")), qPrintable(tip));
    h.setCursor(200);
    tip = h.toolTipAt(QPoint(int(h.xAtTime(400)), int(h.yAtOffset(18 << 20))));
    QVERIFY2(tip.contains(QLatin1String("not played yet")), qPrintable(tip));
    QVERIFY(h.toolTipAt(QPoint(int(f.center().x()), int(f.center().y()))).contains(QLatin1String("not played")));
}

void TestSimGui::heatmapMouse()
{
    HeatmapView h;
    h.resize(800, 400);
    h.setTimeline(syntheticTimeline(), syntheticWorkload(), QStringLiteral("pool"));
    h.setCursor(1000);
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    QSignalSpy cursor(&h, &HeatmapView::cursorRequested);
    QSignalSpy window(&h, &HeatmapView::timeWindowChanged);
    // A click on operation 250's column asks for the state just after it.
    const QPoint at(int(h.xAtTime(250.5)), h.plotRect().center().y());
    QTest::mouseClick(&h, Qt::LeftButton, {}, at);
    QCOMPARE(cursor.count(), 1);
    QCOMPARE(cursor.last().at(0).toULongLong(), 251ull);
    // The wheel zooms time around the mouse; with Ctrl, addresses.
    const double under = h.timeAtX(at.x());
    QWheelEvent wheel(at, h.mapToGlobal(at), {}, QPoint(0, 240), Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&h, &wheel);
    QVERIFY(h.t1() - h.t0() < 1000);
    QVERIFY(std::abs(h.timeAtX(at.x()) - under) < 1e-6);
    QVERIFY(!window.isEmpty());
    QWheelEvent ctrl(
        at, h.mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&h, &ctrl);
    QVERIFY(h.a1() - h.a0() < double(64 << 20));
    // A drag pans (no cursor request); a double click shows everything again.
    const double t0 = h.t0();
    QTest::mousePress(&h, Qt::LeftButton, {}, at);
    QTest::mouseMove(&h, at - QPoint(100, 0));
    QTest::mouseRelease(&h, Qt::LeftButton, {}, at - QPoint(100, 0));
    QVERIFY(h.t0() > t0);
    QCOMPARE(cursor.count(), 1);
    QTest::mouseDClick(&h, Qt::LeftButton, {}, at);
    QCOMPARE(h.t0(), 0.0);
    QCOMPARE(h.t1(), 1000.0);
    // Arrow keys move the cursor by one operation.
    h.setCursor(500);
    QTest::keyClick(&h, Qt::Key_Left);
    QCOMPARE(cursor.last().at(0).toULongLong(), 499ull);
}

void TestSimGui::chartModels()
{
    auto w = openSim("sim/camera-streaming.json");
    QVERIFY(w);
    SimulationPanel* p = w->simulationPanel();
    const sim::SimResult* r = p->result();
    QVERIFY(r && p->watchedPool() >= 0);
    const sim::PoolRun& run = r->runs[size_t(p->watchedPool())];
    const uint64_t poolSize = r->pools[size_t(p->watchedPool())].size;
    MetricsModel* m = p->charts()->model();
    QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SimCharts* c = p->charts();
    QCOMPARE(m->samples().size(), run.samples.size());
    QCOMPARE(m->rowCount(), 512);
    QCOMPARE(c->series(SimCharts::Utilisation)->count(), 512); // all played: the player stands at the end
    for (int i = 0; i < m->rowCount(); i += 37) {
        const sim::PoolSample& s = run.samples[size_t(i)];
        QCOMPARE(m->index(i, MetricsModel::Time).data().toDouble(), double(s.endOp + 1));
        QCOMPARE(m->index(i, MetricsModel::Utilisation).data().toDouble(), 100.0 * double(s.used) / double(poolSize));
        QCOMPARE(m->index(i, MetricsModel::LargestFree).data().toDouble(), double(s.largestFree) / (1 << 20));
        QCOMPARE(m->index(i, MetricsModel::Fragmentation).data().toDouble(), 100.0 * s.fragmentation);
        QCOMPARE(m->index(i, MetricsModel::Failures).data().toDouble(), double(s.failures));
    }
    // The failures chart's points sum to the pool's failures once everything is played.
    double failures = 0;
    for (const QPointF& pt : c->series(SimCharts::Failures)->points())
        failures += pt.y();
    QCOMPARE(failures, double(run.failures + run.fallbacks));
    // The charts follow the player: only played samples, a cursor line at the position.
    p->player()->seek(100);
    QCOMPARE(c->series(SimCharts::Utilisation)->count(), m->rowsPlayed(100));
    QVERIFY(m->rowsPlayed(100) > 0 && m->rowsPlayed(100) < 512);
    for (const QPointF& pt : c->series(SimCharts::Utilisation)->points())
        QVERIFY(pt.x() <= 100);
    QCOMPARE(c->cursorLine(SimCharts::LargestFree)->at(0).x(), 100.0);
    QCOMPARE(c->cursorLine(SimCharts::LargestFree)->at(1).y(), c->valueAxis(SimCharts::LargestFree)->max());
    p->player()->reset();
    QCOMPARE(c->series(SimCharts::Fragmentation)->count(), 0);
    // The time axis follows the heatmap's zoom.
    p->heatmap()->zoomTime(5, p->heatmap()->xAtTime(300));
    QCOMPARE(c->timeAxis(SimCharts::Failures)->min(), p->heatmap()->t0());
    QCOMPARE(c->timeAxis(SimCharts::Utilisation)->max(), p->heatmap()->t1());
    // The heatmap's first failure mark is the run's first failure.
    QCOMPARE(int64_t(p->heatmap()->timeline().failures.front().op), run.firstFailureOp);
    QVERIFY(p->statusText().contains(QStringLiteral("first at op %1").arg(run.firstFailureOp)));
    // Every pool's run, and an empty one, while the tester watches.
    for (size_t pool = 0; pool < r->runs.size(); ++pool) {
        m->setRun(r->runs[pool], r->pools[pool].size);
        QCOMPARE(size_t(m->rowCount()), r->runs[pool].samples.size());
    }
    m->setRun(sim::PoolRun(), 0);
    QCOMPARE(m->rowCount(), 0);
    QCOMPARE(m->rowsPlayed(1000), 0);
}

void TestSimGui::workloadEditor()
{
    auto w = openSim("sim/display-gpu.json");
    QVERIFY(w);
    SimulationPanel* p = w->simulationPanel();
    QPlainTextEdit* e = p->editor();
    QVERIFY(e->toPlainText().contains(QLatin1String("\"steps\"")));
    // A syntax error names line:column and puts the cursor there; the last good run stays.
    const uint64_t ops = p->player()->length();
    e->setPlainText(QStringLiteral(
        "{\n  \"devices\": { \"d\": \"&isp\" },\n  \"steps\": [ { \"alloc\": \"d\" \"size\": 4096 } ]\n}\n"));
    const QString error = p->applyText();
    QVERIFY2(error.startsWith(QLatin1String("3:")), qPrintable(error));
    QCOMPARE(e->textCursor().blockNumber(), 2);
    QCOMPARE(p->player()->length(), ops);
    // A semantic error names the step.
    e->setPlainText(QStringLiteral(R"({ "devices": { "d": "&isp" }, "steps": [ { "alloc": "d", "size": "lots" } ] })"));
    QVERIFY2(p->applyText().contains(QLatin1String("steps[0]")), "the step path");
    // A good edit runs at once.
    e->setPlainText(QStringLiteral(R"({ "devices": { "d": "&isp" }, "steps": [ { "alloc": "d", "size": "200M" } ] })"));
    QCOMPARE(p->applyText(), QString());
    QCOMPARE(p->player()->length(), 1ull);
    QCOMPARE(watchedFailures(p), 1u); // 200 MiB in a 128 MiB area

    // Saving: atomic, and refused when the file changed on disk since it was read.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("w.json"));
    QCOMPARE(p->saveWorkload(file), QString());
    QVERIFY(p->openWorkload(file));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"changed\": \"by someone else\" }");
    }
    e->setPlainText(e->toPlainText() + QStringLiteral("\n"));
    const QString refused = p->saveWorkload(file);
    QVERIFY2(refused.contains(QLatin1String("changed on disk")), qPrintable(refused));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("{ \"changed\": \"by someone else\" }"));
    // A file that cannot be opened as a workload says so.
    QVERIFY(!p->openWorkload(dir.filePath(QStringLiteral("missing.json"))));
}

void TestSimGui::exports()
{
    auto w = openSim("sim/video-decode.json");
    QVERIFY(w);
    SimulationPanel* p = w->simulationPanel();
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("heatmap.png"));
    QCOMPARE(p->exportPng(png), QString());
    QImage image(png);
    QCOMPARE(image.size(), p->heatmap()->size());
    const QString csv = dir.filePath(QStringLiteral("metrics.csv"));
    QCOMPARE(p->exportCsv(csv), QString());
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.front(), MetricsModel::csvHeader().trimmed());
    const sim::SimResult* r = p->result();
    size_t rows = 0;
    for (const auto& run : r->runs)
        rows += run.samples.size();
    QCOMPARE(size_t(lines.size()), rows + 1);
    // Every pool's rows are there with exact bytes; the last one of the watched pool matches.
    const sim::SimPool& pool = r->pools[size_t(p->watchedPool())];
    const sim::PoolSample& last = r->runs[size_t(p->watchedPool())].samples.back();
    const QByteArray expected = '"' + pool.path.toUtf8() + "\"," + QByteArray::number(qulonglong(last.endOp)) + ','
        + QByteArray::number(qulonglong(last.used)) + ',';
    QVERIFY(std::any_of(lines.begin(), lines.end(), [&](const QByteArray& l) { return l.startsWith(expected); }));
    QVERIFY(p->exportCsv(dir.filePath(QStringLiteral("no/such/folder/m.csv"))).contains(QLatin1String("cannot write")));
}

void TestSimGui::liveDragMakesTheFailureVanish()
{
    // The README's story: the camera area fails at 128 MiB; dragging its right edge out re-runs
    // the simulation while the mouse moves, and the failure is gone before the button is let go.
    auto w = openSim("sim/camera-streaming.json");
    QVERIFY(w);
    SimulationPanel* p = w->simulationPanel();
    QVERIFY(p->result()->pools[size_t(p->watchedPool())].path.contains(QLatin1String("camera-cma")));
    const uint32_t before = watchedFailures(p);
    QVERIFY(before > 0);
    // Jump to the first failure: the heatmap marks it, the charts stop there.
    p->player()->reset();
    QVERIFY(p->player()->nextFailure());
    const uint64_t at = p->player()->position();
    QCOMPARE(int64_t(at), p->result()->runs[size_t(p->watchedPool())].firstFailureOp + 1);
    // Zoomed in on the last tenth of the run, around the failure; the zoom survives the drag.
    HeatmapView* h = p->heatmap();
    h->zoomTime(8, h->xAtTime(double(at)));
    const double t0 = h->t0(), t1 = h->t1();
    QVERIFY(t0 < double(at) && double(at) < t1);
    QVERIFY(!h->failureRect(0).isEmpty());
    const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR");
    if (auto* dock = w->findChild<QDockWidget*>(QStringLiteral("simulationDock"))) {
        dock->setMinimumHeight(540); // the README pictures are about the simulation
        QCoreApplication::processEvents();
    }
    if (!shots.isEmpty())
        QVERIFY(w->grab().save(shots + QStringLiteral("/sim-failing.png")));

    AddressMap* map = w->addressMap();
    const int cma = test::regionNamed(*w, QStringLiteral("camera-cma@"));
    map->setSelectedRegion(cma);
    map->zoomToSelection();
    map->scale().zoomAround(map->width() / 2.0, 1 / 3.0);
    map->update();
    const QRectF r = map->regionRect(cma);
    const QPoint edge(int(r.right()), int(r.center().y()));
    const double bpp = map->scale().bytesPerPixel(edge.x());
    const int dx = int(double(26 << 20) / bpp) + 1; // 128 -> about 154 MiB
    QTest::mousePress(map, Qt::LeftButton, {}, edge);
    QTest::mouseMove(map, edge + QPoint(dx / 3, 0));
    QVERIFY(watchedFailures(p) > 0); // 8 MiB more is not enough
    QCOMPARE(p->lastRerunCount(), 1); // only the dragged pool ran again
    QTest::mouseMove(map, edge + QPoint(dx, 0));
    QCOMPARE(watchedFailures(p), 0u); // gone while the button is still down
    QCOMPARE(w->undoStack()->count(), 0);
    QCOMPARE(p->player()->position(), at); // the cursor stays where the failure was
    QTest::mouseRelease(map, Qt::LeftButton, {}, edge + QPoint(dx, 0));
    QCOMPARE(w->undoStack()->count(), 1);
    QCOMPARE(watchedFailures(p), 0u);
    QVERIFY(p->heatmap()->timeline().failures.empty());
    QVERIFY(p->statusText().contains(QLatin1String("fits")));
    QVERIFY(!test::hasFinding(*w, "rm_overlap"));
    QCOMPARE(h->t0(), t0);
    QCOMPARE(h->t1(), t1);
    if (!shots.isEmpty())
        QVERIFY(w->grab().save(shots + QStringLiteral("/sim-fitting.png")));
    w->undoStack()->undo();
    QCOMPARE(watchedFailures(p), before);
}

void TestSimGui::minSizeFromTheGui()
{
    auto w = openSim("sim/camera-streaming.json");
    QVERIFY(w);
    SimulationPanel* p = w->simulationPanel();
    QSignalSpy done(p, &SimulationPanel::searchFinished);
    p->findMinimumSize();
    QVERIFY(p->searching());
    QVERIFY(done.wait(20000));
    QVERIFY(!p->searching());
    const sim::MinSizeResult& m = p->minSizeResult();
    QVERIFY2(m.error.isEmpty(), qPrintable(m.error));
    QCOMPARE(m.minimum, uint64_t(146) << 20); // the CLI's answer (README)
    QVERIFY(p->applyButton()->isVisible());
    QCOMPARE(w->undoStack()->count(), 0);
    QTest::mouseClick(p->applyButton(), Qt::LeftButton);
    QCOMPARE(w->undoStack()->count(), 1);
    const int cma = test::regionNamed(*w, QStringLiteral("camera-cma@"));
    QCOMPARE(w->analysis()->place(cma).size, uint64_t(146) << 20);
    QCOMPARE(watchedFailures(p), 0u);
    QVERIFY(!p->applyButton()->isVisible());
    w->undoStack()->undo();
    QCOMPARE(w->analysis()->place(cma).size, uint64_t(128) << 20);
    QVERIFY(watchedFailures(p) > 0);
}

void TestSimGui::minSizeCancel()
{
    // A workload big enough that the search takes several long runs: cancel from the dialog
    // after the first one.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("big.json"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({ "seed": 5, "devices": { "isp": "&isp" },
          "steps": [ { "churn": { "device": "isp", "count": 1500000, "size": { "min": "64K", "max": "16M" },
                                  "lifetime": { "min": 1, "max": 40 } } } ] })");
    }
    auto w = std::make_unique<MainWindow>();
    QVERIFY(w->openFile(sample("sim/sim-board.dts")));
    QVERIFY(w->openWorkload(file));
    w->show();
    SimulationPanel* p = w->simulationPanel();
    QVERIFY(watchedFailures(p) > 0);
    QSignalSpy done(p, &SimulationPanel::searchFinished);
    p->findMinimumSize();
    QVERIFY(p->progressDialog());
    QTRY_VERIFY_WITH_TIMEOUT(p->progressDialog() && p->progressDialog()->value() >= 1, 20000);
    QVERIFY(p->progressDialog()->labelText().contains(QLatin1String("trying")));
    auto* cancel = p->progressDialog()->findChild<QPushButton*>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(done.wait(20000));
    QVERIFY(p->minSizeResult().cancelled);
    QVERIFY(!p->applyButton()->isVisible());
    QCOMPARE(w->undoStack()->count(), 0);
}

void TestSimGui::screenshotsWithoutWarnings()
{
    // Every sample workload, both colourings, played part way, rendered: no Qt warning at all.
    g_warnings.clear();
    const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR");
    const QStringList workloads = QDir(sample("sim")).entryList({ QStringLiteral("*.json") }, QDir::Files);
    QVERIFY(workloads.size() >= 4);
    for (const QString& name : workloads) {
        auto w = openSim(qPrintable(QStringLiteral("sim/") + name));
        QVERIFY2(w, qPrintable(name));
        SimulationPanel* p = w->simulationPanel();
        QVERIFY2(p->result() && p->result()->error.isEmpty(), qPrintable(name));
        const int first = p->watchedPool(); // the one that fails, else the busiest
        for (int pool = 0; pool < int(p->result()->pools.size()); ++pool) {
            p->setWatchedPool(pool);
            p->player()->reset();
            w->activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(w.get()));
            p->heatmap()->setFocus();
            QTest::keyClick(p->heatmap(), Qt::Key_Space); // plays
            QCOMPARE(p->player()->state(), WorkloadPlayer::State::Playing);
            p->player()->advance(4000); // 40 % of a workload's ten seconds
            QVERIFY(p->player()->position() > 0 && p->player()->position() < p->player()->length());
            if (!shots.isEmpty() && name == QLatin1String("camera-streaming.json") && pool == first)
                p->grab().save(shots + QStringLiteral("/sim-playing.png"));
            p->heatmap()->setColour(pool % 2 ? HeatmapView::Colour::Device : HeatmapView::Colour::Occupancy);
            const QImage shot = w->grab().toImage();
            QVERIFY(!shot.isNull());
            QCOMPARE(shot.size(), w->size());
            p->player()->pause();
        }
    }
    QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestSimGui)
#include "tst_simgui.moc"
