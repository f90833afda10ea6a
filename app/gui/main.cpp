// SPDX-License-Identifier: GPL-2.0-only
// carveout: the GUI. Without a display (no DISPLAY / WAYLAND_DISPLAY) or with --screenshot,
// it renders the window offscreen to a PNG, prints where it is, and prints the layout report.

// core
#include "report/layoutreport.h"

// app
#include "version.h"

// ui
#include "desktop/windowconventions.h"
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
// The one source of `carveout --help` and of the man page carveout(1) (scripts/help-to-man).
const char* kUsage
    = R"(usage: carveout [--screenshot OUT.png] [--palette dark] [--workload W.json] [--capture CAPTURE] [FILE]

The Carveout studio: the /reserved-memory layout of a Linux device tree on an address map, each
value with the file:line that defines it, checked with the kernel's own rules while regions are
moved and resized with the mouse; saving patches only the source lines that define the edited
values. FILE is a board's .dts (with its includes, preprocessed as the kernel build does) or a
.dtb. Without a display (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM) it renders the window
to a PNG, prints where, and prints the layout report. Qt's own options (-platform NAME,
-style NAME, ...) are passed to Qt.

Options:
  --screenshot OUT.png  render the window at 1400x860 to OUT.png (offscreen), print the layout
                        report of FILE and exit
  --workload W.json     open the Simulation dock with this workload (docs/workloads.md)
  --capture CAPTURE     import what a booted board showed (a carveout-capture bundle, a kernel
                        log or /proc/iomem) over the map, as File > Import capture does
  --palette dark        draw the window with a dark palette, as a dark desktop theme does (for
                        screenshots); system, the default, keeps the desktop's
  -h, --help            this text
  --version             the version, the git revision it was built from, and the Qt version

Exit status:
  0    the window was closed, or the render was written
  2    FILE or the workload could not be opened (in a render), or the PNG could not be written

Examples:
  carveout board.dts
      open a board in the window
  carveout --workload camera.json board.dts
      open a board and replay a workload on its pools
  carveout --screenshot board.png board.dts
      render the window to board.png without showing it
)";

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
    QString palette;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == QLatin1String("--screenshot") && i + 1 < argc)
            screenshot = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--workload") && i + 1 < argc)
            workload = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--capture") && i + 1 < argc)
            capture = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--palette") && i + 1 < argc) {
            palette = QString::fromLocal8Bit(argv[++i]);
            if (palette != QLatin1String("dark") && palette != QLatin1String("system")) {
                std::fprintf(stderr, "carveout: --palette takes dark or system, not '%s'\n", argv[i]);
                return 2;
            }
        } else if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == QLatin1String("--version")) {
            std::fputs(carveout::versionText(QStringLiteral("carveout")).toLocal8Bit().constData(), stdout);
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
    // The desktop file's name without .desktop, so Wayland shows its icon and name for the window.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.example.carveout"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/carveout/carveout.svg")));

    if (palette == QLatin1String("dark"))
        QApplication::setPalette(carveout::ui::darkPalette());
    carveout::ui::MainWindow window; // sized as it was last closed, or to the screen
    if (!screenshot.isEmpty())
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
