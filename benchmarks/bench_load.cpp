// SPDX-License-Identifier: GPL-2.0-only
// Benchmark: `carveout-cli COMMAND BOARD` against the kernel's own cpp + dtc (to a DTB) on the
// same board, interleaved run by run so machine noise hits both alike. Prints the medians and
// the median of the per-run ratios. Not a test: budgets are read by people (README), since
// these machines are noisy.
//
// usage: bench_load [--runs N] [--command layout|check] [--cli PATH] BOARD.dts

// core
#include "source/includedirs.h"

// Qt
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>

// std
#include <algorithm>
#include <vector>

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

bool run(const QString& program, const QStringList& args, const QByteArray& input, QByteArray* out)
{
    QProcess p;
    p.setStandardErrorFile(QProcess::nullDevice());
    if (!out)
        p.setStandardOutputFile(QProcess::nullDevice());
    p.start(program, args);
    if (!p.waitForStarted())
        return false;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        return false;
    if (out)
        *out = p.readAllStandardOutput();
    return p.exitStatus() == QProcess::NormalExit;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    int runs = 21;
    QString command = QStringLiteral("layout");
    QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/../app/carveout-cli");
    QString board;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs") && i + 1 < args.size())
            runs = args[++i].toInt();
        else if (args[i] == QLatin1String("--command") && i + 1 < args.size())
            command = args[++i];
        else if (args[i] == QLatin1String("--cli") && i + 1 < args.size())
            cli = args[++i];
        else
            board = args[i];
    }
    if (board.isEmpty() || !QFileInfo::exists(board)) {
        QTextStream(stderr) << "usage: bench_load [--runs N] [--command layout|check] [--cli PATH] BOARD.dts\n";
        return 2;
    }
    const QString abs = QFileInfo(board).absoluteFilePath();
    const carveout::IncludeDirs dirs = carveout::detectIncludeDirs(abs);
    const QStringList cppArgs = carveout::kernelCppArgs(dirs, abs);
    // The kernel's build writes the DTB; warnings stay on, as in a kernel build.
    const QStringList dtcArgs
        = carveout::kernelDtcArgs(dirs, QStringLiteral("dtb"), { QStringLiteral("-o"), QStringLiteral("/dev/null") });
    const QStringList cliArgs { command, abs, QStringLiteral("--format"), QStringLiteral("json") };

    std::vector<double> base, ours, ratio;
    QElapsedTimer t;
    for (int i = 0; i < runs + 1; ++i) {
        t.start();
        QByteArray pp;
        if (!run(QStringLiteral("cpp"), cppArgs, {}, &pp) || !run(QStringLiteral("dtc"), dtcArgs, pp, nullptr)) {
            QTextStream(stderr) << "bench_load: cpp + dtc failed on " << board << "\n";
            return 2;
        }
        const double b = double(t.nsecsElapsed()) / 1e6;
        t.start();
        if (!run(cli, cliArgs, {}, nullptr)) {
            QTextStream(stderr) << "bench_load: " << cli << " failed\n";
            return 2;
        }
        const double o = double(t.nsecsElapsed()) / 1e6;
        if (i == 0)
            continue; // warm-up: page cache, dynamic loader
        base.push_back(b);
        ours.push_back(o);
        ratio.push_back(o / b);
    }
    out << QStringLiteral("board: %1\n").arg(board);
    out << QStringLiteral("runs: %1 (interleaved, after one warm-up)\n").arg(runs);
    out << QStringLiteral("cpp + dtc -O dtb:        median %1 ms\n").arg(median(base), 0, 'f', 1);
    out << QStringLiteral("carveout-cli %1 --format json: median %2 ms\n").arg(command).arg(median(ours), 0, 'f', 1);
    out << QStringLiteral("ratio (median of per-run ratios): %1\n").arg(median(ratio), 0, 'f', 2);
    return 0;
}
