// SPDX-License-Identifier: GPL-2.0-only
// Benchmark: replays drag steps on a board in the real main window (offscreen): each step is a
// mouse move over the address map, which re-runs layout, boot model and rules on a preview of
// the edit and repaints. Prints the median and worst time per step.
//
// usage: bench_drag [--steps N] [--workload W.json] [--capture FILE] BOARD.dts
//        (run with QT_QPA_PLATFORM=offscreen)

// ui
#include "addressmap.h"
#include "mainwindow.h"
#include "sim/heatmapview.h"
#include "sim/simcharts.h"
#include "sim/simulationpanel.h"

// Qt
#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QTextStream>

// std
#include <algorithm>
#include <vector>

namespace {
struct Run
{
    std::vector<double> ms;
    QString target;
    int regions = 0;
};

/** Opens the board (and the workload, or the capture), drags a region's right edge back and
 *  forth `steps` times and times each step: the window re-checks, re-simulates the dragged pool
 *  (with a workload) or re-compares with the capture, and repaints the map, the heatmap and the
 *  charts. */
bool dragRun(const QString& board, const QString& workload, const QString& capture, int steps, Run* run)
{
    carveout::ui::MainWindow w;
    w.resize(1400, 1000);
    w.show();
    if (!w.openFile(board) || (!workload.isEmpty() && !w.openWorkload(workload)))
        return false;
    if (!capture.isEmpty()) {
        if (const QString e = w.importCapture(capture); !e.isEmpty()) {
            QTextStream(stderr) << e << '\n';
            return false;
        }
    }
    auto* map = w.addressMap();
    auto* sim = w.simulationPanel();
    int target = -1;
    const carveout::AnalysisPtr before = w.analysis(); // the window's moves on during the drag
    const auto& regions = before->layout.regions;
    const carveout::sim::SimResult* r = sim->result();
    if (r && sim->watchedPool() >= 0) {
        target = r->pools[size_t(sim->watchedPool())].region; // the pool the workload fails in or uses most
    } else {
        uint64_t best = 0; // the largest static region: the one people drag
        for (size_t i = 0; i < regions.size(); ++i) {
            if (regions[i].placement == carveout::Placement::Static && regions[i].base
                && before->place(int(i)).size > best) {
                best = before->place(int(i)).size;
                target = int(i);
            }
        }
    }
    if (target < 0)
        return false;
    map->setSelectedRegion(target);
    map->zoomToSelection();
    map->scale().zoomAround(map->width() / 2.0, 1 / 2.0);
    const QRectF rect = map->regionRect(target);
    const QPointF start(rect.right(), rect.center().y());
    auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
        QMouseEvent e(type, pos, map->mapToGlobal(pos), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
            buttons, Qt::NoModifier);
        QApplication::sendEvent(map, &e);
    };
    send(QEvent::MouseButtonPress, start, Qt::LeftButton);
    QElapsedTimer t;
    for (int s = 1; s <= steps; ++s) {
        const QPointF pos = start + QPointF((s % 40) * 3 - 30, 0);
        t.start();
        send(QEvent::MouseMove, pos, Qt::LeftButton);
        map->repaint(); // the repaints are part of the step
        sim->heatmap()->repaint();
        sim->charts()->repaint();
        run->ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    send(QEvent::MouseButtonRelease, start, Qt::NoButton);
    std::sort(run->ms.begin(), run->ms.end());
    run->target = regions[size_t(target)].name;
    run->regions = int(regions.size());
    return true;
}
} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM",
        qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ? qgetenv("QT_QPA_PLATFORM") : QByteArray("offscreen"));
    QApplication app(argc, argv);
    int steps = 200;
    QString board, workload, capture;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--steps") && i + 1 < args.size())
            steps = args[++i].toInt();
        else if (args[i] == QLatin1String("--workload") && i + 1 < args.size())
            workload = args[++i];
        else if (args[i] == QLatin1String("--capture") && i + 1 < args.size())
            capture = args[++i];
        else
            board = args[i];
    }
    Run plain, simulated, compared;
    if (board.isEmpty() || !dragRun(board, QString(), QString(), steps, &plain)
        || (!workload.isEmpty() && !dragRun(board, workload, QString(), steps, &simulated))
        || (!capture.isEmpty() && !dragRun(board, QString(), capture, steps, &compared))) {
        QTextStream(stderr) << "usage: bench_drag [--steps N] [--workload W.json] [--capture FILE] BOARD.dts\n";
        return 2;
    }
    QTextStream out(stdout);
    out << QStringLiteral("board: %1 (%2 regions)\n").arg(board).arg(plain.regions);
    auto line = [&](const Run& r, const QString& what) {
        out << QStringLiteral("%1 drag steps on %2: median %3 ms, 95th percentile %6 ms, worst %4 ms (%5)\n")
                   .arg(r.ms.size())
                   .arg(r.target)
                   .arg(r.ms[r.ms.size() / 2], 0, 'f', 2)
                   .arg(r.ms.back(), 0, 'f', 2)
                   .arg(what)
                   .arg(r.ms[r.ms.size() * 95 / 100], 0, 'f', 2);
    };
    line(plain, QStringLiteral("re-check + repaint"));
    if (!workload.isEmpty()) {
        line(
            simulated, QStringLiteral("re-check + re-simulate + repaint of map, heatmap and charts, %1").arg(workload));
        out << QStringLiteral("with the workload / without: %1x (median)\n")
                   .arg(simulated.ms[simulated.ms.size() / 2] / plain.ms[plain.ms.size() / 2], 0, 'f', 1);
    }
    if (!capture.isEmpty()) {
        line(compared, QStringLiteral("re-check + re-compare with %1 + repaint").arg(capture));
        out << QStringLiteral("with the capture / without: %1x (median)\n")
                   .arg(compared.ms[compared.ms.size() / 2] / plain.ms[plain.ms.size() / 2], 0, 'f', 2);
    }
    return 0;
}
