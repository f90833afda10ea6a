// SPDX-License-Identifier: GPL-2.0-only
// carveout: the GUI. Without a display (no DISPLAY / WAYLAND_DISPLAY) or with --screenshot,
// it renders the window offscreen to a PNG, prints where it is, and prints the layout report.

// core
#include "report/layoutreport.h"

// ui
#include "mainwindow.h"
#include "sim/simulationpanel.h"

// Qt
#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>
#include <QPixmap>
#include <QTextStream>

// std
#include <cstdio>
#include <cstdlib>

namespace {
bool haveDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}
} // namespace

int main(int argc, char** argv)
{
    QString screenshot;
    QString file;
    QString workload;
    QString capture;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == QLatin1String("--screenshot") && i + 1 < argc)
            screenshot = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--workload") && i + 1 < argc)
            workload = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--capture") && i + 1 < argc)
            capture = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            std::printf("usage: carveout [--screenshot OUT.png] [--workload W.json] [--capture FILE] [FILE]\n");
            return 0;
        } else if (!a.startsWith(QLatin1Char('-')))
            file = a;
    }
    const bool headless = !haveDisplay();
    if (headless) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        if (screenshot.isEmpty())
            screenshot = QDir::temp().filePath(QStringLiteral("carveout-window.png"));
    }
    QApplication app(argc, argv);
    QTemporaryDir freshSettings;
    if (!screenshot.isEmpty()) {
        // A render is reproducible: it does not read (or change) the user's remembered profile.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, freshSettings.path());
    }
    QApplication::setApplicationName(QStringLiteral("carveout"));
    QApplication::setOrganizationName(QStringLiteral("carveout"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/carveout/carveout.svg")));

    carveout::ui::MainWindow window;
    window.resize(1400, 860);
    bool ok = true;
    if (!file.isEmpty())
        ok = window.openFile(file);
    if (!workload.isEmpty())
        ok = window.openWorkload(workload) && ok;
    if (!capture.isEmpty()) {
        if (const QString e = window.importCapture(capture); !e.isEmpty()) {
            QTextStream(stderr) << "carveout: " << e << "\n";
            ok = false;
        }
    }

    if (!screenshot.isEmpty()) {
        window.show();
        QApplication::processEvents();
        const QPixmap shot = window.grab();
        QTextStream out(stdout);
        if (!shot.save(screenshot)) {
            QTextStream(stderr) << "carveout: could not write the screenshot to " << screenshot << "\n";
            return 2;
        }
        out << "Window rendered to " << QDir(screenshot).absolutePath() << (headless ? " (no display found)" : "")
            << "\n\n";
        if (ok && !file.isEmpty()) {
            // The report of what the window shows: its profile, with the boot's outcomes.
            const carveout::Analysis& a = *window.analysis();
            out << carveout::layoutToText(a.layout, a.profile, &a.boot);
        }
        if (!workload.isEmpty())
            out << "\nSimulation: " << window.simulationPanel()->statusText() << "\n";
        if (const carveout::capture::CompareResult* c = window.comparison())
            out << "\n" << carveout::ui::captureCounts(*c) << "\n";
        return ok ? 0 : 2;
    }
    window.show();
    return app.exec();
}
