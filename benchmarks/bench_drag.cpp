// SPDX-License-Identifier: GPL-2.0-only
// Benchmark: replays drag steps on a board in the real main window (offscreen): each step is a
// mouse move over the address map, which re-runs layout, boot model and rules on a preview of
// the edit and repaints. Prints the median and worst time per step.
//
// usage: bench_drag [--steps N] BOARD.dts   (run with QT_QPA_PLATFORM=offscreen)

// ui
#include "addressmap.h"
#include "mainwindow.h"

// Qt
#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QTextStream>

// std
#include <algorithm>
#include <vector>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM",
        qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ? qgetenv("QT_QPA_PLATFORM") : QByteArray("offscreen"));
    QApplication app(argc, argv);
    int steps = 200;
    QString board;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--steps") && i + 1 < args.size())
            steps = args[++i].toInt();
        else
            board = args[i];
    }
    carveout::ui::MainWindow w;
    w.resize(1400, 900);
    w.show();
    if (board.isEmpty() || !w.openFile(board)) {
        QTextStream(stderr) << "usage: bench_drag [--steps N] BOARD.dts\n";
        return 2;
    }
    auto* map = w.addressMap();
    // The largest static region: the one people drag.
    int target = -1;
    uint64_t best = 0;
    const auto& regions = w.layout().regions;
    for (size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].placement == carveout::Placement::Static && regions[i].base && regions[i].effectiveSize > best) {
            best = regions[i].effectiveSize;
            target = int(i);
        }
    }
    map->setSelectedRegion(target);
    map->zoomToSelection();
    const QPointF start = map->regionRect(target).center();
    auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
        QMouseEvent e(type, pos, map->mapToGlobal(pos), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
            buttons, Qt::NoModifier);
        QApplication::sendEvent(map, &e);
    };
    send(QEvent::MouseButtonPress, start, Qt::LeftButton);
    std::vector<double> ms;
    QElapsedTimer t;
    for (int s = 1; s <= steps; ++s) {
        const QPointF pos = start + QPointF((s % 40) * 3 - 60, 0);
        t.start();
        send(QEvent::MouseMove, pos, Qt::LeftButton);
        map->repaint(); // the repaint is part of the step
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    send(QEvent::MouseButtonRelease, start, Qt::NoButton);
    std::sort(ms.begin(), ms.end());
    QTextStream out(stdout);
    out << QStringLiteral("board: %1 (%2 regions), dragging %3\n")
               .arg(board)
               .arg(regions.size())
               .arg(regions[size_t(target)].name);
    out << QStringLiteral("%1 drag steps: median %2 ms, worst %3 ms (re-check + repaint)\n")
               .arg(ms.size())
               .arg(ms[ms.size() / 2], 0, 'f', 2)
               .arg(ms.back(), 0, 'f', 2);
    return 0;
}
