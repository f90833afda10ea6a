// SPDX-License-Identifier: GPL-2.0-only
// carveout: the GUI. Without a display (no DISPLAY / WAYLAND_DISPLAY) or with --screenshot,
// it renders the window offscreen to a PNG, prints where it is, and prints the layout report.

// core
#include "edit/safesave.h"
#include "report/layoutreport.h"
#include "source/directcpp.h"

// app
#include "version.h"

// ui
#include "desktop/windowconventions.h"
#include "mainwindow.h"
#include "overlay/windowoverlays.h"
#include "sim/simulationpanel.h"

// Qt
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>
#include <QPixmap>
#include <QTextStream>

// std
#include <cstdio>
#include <functional>
#include <map>
#include <cstdlib>

namespace {
// The one source of `carveout --help` and of the man page carveout(1) (scripts/help-to-man).
const char* kUsage
    = R"(usage: carveout [--screenshot OUT.png] [--palette dark] [--workload W.json] [--capture CAPTURE] [FILE]
       carveout --render OUT.svg|OUT.png [--view map|diagram] [--size WxH] [profile] FILE

The Carveout studio: the /reserved-memory layout of a Linux device tree on an address map, each
value with the file:line that defines it, checked with the kernel's own rules while regions are
moved and resized with the mouse; saving patches only the source lines that define the edited
values. FILE is a board's .dts (with its includes, preprocessed as the kernel build does) or a
.dtb. Without a display (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM) it renders the window
to a PNG, prints where, and prints the layout report. Qt's own options (-platform NAME,
-style NAME, ...) are passed to Qt.

Options:
  --screenshot OUT.png  render the window (1400x860, or --size) to OUT.png (offscreen), print
                        the layout report of FILE and exit
  --workload W.json     open the Simulation dock with this workload (docs/workloads.md)
  --capture CAPTURE     import what a booted board showed (a carveout-capture bundle, a kernel
                        log or /proc/iomem) over the map, as File > Import capture does
  --render OUT.svg|OUT.png
                        draw the board's map or diagram, as File > Export picture does, to an
                        SVG or PNG (offscreen) and exit; carveout-cli render runs this
  --view map|diagram    render: the to-scale map (default) or the memory-map diagram; with
                        --screenshot, the view the window shows
  --size WxH            render: the picture's size in pixels (default 1600x600); --screenshot:
                        the window's (default 1400x860)
  -I DIR, --profile NAME, --kernel VERSION, --arch ARCH, --page-size SIZE
  --cmdline "ARGS", --config NAME=VALUE, --kconfig FILE, --memory BASE+SIZE
  --reserve [NAME@]BASE+SIZE, --boot dt|efi, --efi-map LOG
  --uboot-env FILE, --load NAME=[ADDR][+SIZE]
                        the kernel toolbar's fields, as carveout-cli takes them
  --overlay FILE, --overlay-runtime FILE
                        apply a device-tree overlay (.dtso or .dtbo) over FILE, in order, as
                        carveout-cli does; they fill the Overlays dock
  --palette dark        draw the window with a dark palette, as a dark desktop theme does (for
                        screenshots); system, the default, keeps the desktop's
  -h, --help            this text
  --version             the version, the git revision it was built from, and the Qt version

Exit status:
  0    the window was closed, or the render was written
  2    FILE or the workload could not be opened (in a render), an option was wrong, or the
       picture could not be written

Examples:
  carveout board.dts
      open a board in the window
  carveout --workload camera.json board.dts
      open a board and replay a workload on its pools
  carveout --screenshot board.png board.dts
      render the window to board.png without showing it
  carveout --render map.svg --size 2400x700 --kernel 6.1 board.dts
      draw the map of the board under a 6.1 kernel as an SVG
)";

/** --render: the picture of FILE, drawn as File > Export picture draws it. */
int renderPicture(carveout::ui::MainWindow& window, const QString& out, const QString& viewName,
    const QString& sizeText, const QString& file)
{
    QTextStream err(stderr);
    const auto view = carveout::ui::pictureViewFromName(viewName);
    const QSize size = carveout::ui::parsePictureSize(sizeText);
    if (!view || !size.isValid()) {
        err << "carveout: "
            << (view ? QStringLiteral("--size takes WIDTHxHEIGHT, each 16 to 20000 pixels, not '%1'").arg(sizeText)
                     : QStringLiteral("--view takes map or diagram, not '%1'").arg(viewName))
            << "\n";
        return 2;
    }
    {
        carveout::KernelProfile p;
        // A wrong toolbar value falls back to the default in the window; a render says so and stops.
        if (const QString e = carveout::resolveProfile(window.profileRequest(), nullptr, &p); !e.isEmpty()) {
            err << "carveout: " << e << "\n";
            return 2;
        }
    }
    if (file.isEmpty()) {
        err << "carveout: --render needs a FILE (.dts or .dtb) to draw\n";
        return 2;
    }
    if (!window.openFile(file)) {
        err << window.messagesText() << "\ncarveout: could not load " << file << "\n";
        return 2;
    }
    if (const QString e = window.renderPicture(out, *view, size); !e.isEmpty()) {
        err << "carveout: " << e << "\n";
        return 2;
    }
    QTextStream(stdout) << "Picture written to " << QFileInfo(out).absoluteFilePath() << " ("
                        << carveout::ui::pictureViewName(*view) << ", " << size.width() << "x" << size.height() << ", "
                        << window.profile().name << ")\n";
    return 0;
}

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
    QString render;
    QString view = QStringLiteral("map");
    QString size; // --render: 1600x600, --screenshot: 1400x860
    QStringList includes;
    carveout::ProfileRequest profile;
    bool profileGiven = false;
    // The toolbar's fields, as carveout-cli names them.
    const std::map<QString, std::function<void(const QString&)>> profileOptions {
        { QStringLiteral("--profile"), [&](const QString& v) { profile.profile = v; } },
        { QStringLiteral("--kernel"), [&](const QString& v) { profile.kernel = v; } },
        { QStringLiteral("--arch"), [&](const QString& v) { profile.arch = v; } },
        { QStringLiteral("--page-size"), [&](const QString& v) { profile.pageSize = v; } },
        { QStringLiteral("--cmdline"), [&](const QString& v) { profile.cmdline = v; } },
        { QStringLiteral("--config"), [&](const QString& v) { profile.config << v; } },
        { QStringLiteral("--kconfig"), [&](const QString& v) { profile.kconfig = v; } },
        { QStringLiteral("--memory"), [&](const QString& v) { profile.memory << v; } },
        { QStringLiteral("--reserve"), [&](const QString& v) { profile.reserve << v; } },
        { QStringLiteral("--boot"), [&](const QString& v) { profile.boot = v; } },
        { QStringLiteral("--efi-map"), [&](const QString& v) { profile.efiMap = v; } },
        { QStringLiteral("--uboot-env"), [&](const QString& v) { profile.ubootEnv = v; } },
        { QStringLiteral("--load"), [&](const QString& v) { profile.load << v; } },
    };
    QList<carveout::OverlayRequest> overlays;
    QString palette;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (const auto o = profileOptions.find(a); o != profileOptions.end() && i + 1 < argc) {
            o->second(QString::fromLocal8Bit(argv[++i]));
            profileGiven = true;
        } else if (a == QLatin1String("-I") && i + 1 < argc)
            includes << QString::fromLocal8Bit(argv[++i]);
        else if ((a == QLatin1String("--overlay") || a == QLatin1String("--overlay-runtime")) && i + 1 < argc)
            overlays.append({ QString::fromLocal8Bit(argv[++i]), a == QLatin1String("--overlay-runtime") });
        else if (a == QLatin1String("--render") && i + 1 < argc)
            render = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--view") && i + 1 < argc)
            view = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--size") && i + 1 < argc)
            size = QString::fromLocal8Bit(argv[++i]);
        else if (a == QLatin1String("--screenshot") && i + 1 < argc)
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
    if (!render.isEmpty())
        qputenv("QT_QPA_PLATFORM", "offscreen");
    else if (headless) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        if (screenshot.isEmpty())
            screenshot = QDir::temp().filePath(QStringLiteral("carveout-window.png"));
    }
    QApplication app(argc, argv);
    carveout::setDirectCppCacheWriter(&carveout::writeFileAtomically);
    QTemporaryDir freshSettings;
    if (!screenshot.isEmpty() || !render.isEmpty()) {
        // A render is reproducible: it does not read (or change) the user's remembered profile.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, freshSettings.path());
    }
    QApplication::setApplicationName(QStringLiteral("carveout"));
    QApplication::setOrganizationName(QStringLiteral("carveout"));
    // The desktop file's name without .desktop, so Wayland shows its icon and name for the window.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.example.carveout"));
    // The resources live in the static carveout_ui library, whose unreferenced init would be dropped.
    Q_INIT_RESOURCE(carveout);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/carveout/carveout.svg")));

    if (palette == QLatin1String("dark"))
        QApplication::setPalette(carveout::ui::darkPalette());
    carveout::ui::MainWindow window; // sized as it was last closed, or to the screen
    if (!screenshot.isEmpty()) {
        const QSize windowSize = carveout::ui::parsePictureSize(size.isEmpty() ? QStringLiteral("1400x860") : size);
        if (!windowSize.isValid()) {
            std::fprintf(stderr, "carveout: --size takes WIDTHxHEIGHT, each 16 to 20000 pixels, not '%s'\n",
                size.toLocal8Bit().constData());
            return 2;
        }
        window.resize(windowSize);
    }
    if (!includes.isEmpty())
        window.setIncludeFolders(includes);
    if (profileGiven)
        window.setProfileRequest(profile);
    window.overlays()->setStack(overlays);
    if (!render.isEmpty())
        return renderPicture(window, render, view, size.isEmpty() ? QStringLiteral("1600x600") : size, file);
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
        if (const auto v = carveout::ui::pictureViewFromName(view))
            window.showPictureView(*v); // --view diagram: the window's screenshot shows the diagram
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
