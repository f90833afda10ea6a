// SPDX-License-Identifier: GPL-2.0-only
// carveout-cli render: the pictures are drawn by the window's own views, which need Qt Gui; the
// CLI links only Qt Core, so it runs the carveout program offscreen (carveout --render).
#include "options.h"

// Qt
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTextStream>

namespace carveout::cli {

namespace {
/** The carveout program: $CARVEOUT_GUI, else beside this carveout-cli (the build tree and the
 *  package put them in one folder), else on PATH. Empty when there is none. */
QString guiProgram()
{
    if (const QString env = qEnvironmentVariable("CARVEOUT_GUI"); !env.isEmpty())
        return env;
    const QString self = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath();
    const QString beside = QFileInfo(self).dir().filePath(QStringLiteral("carveout"));
    if (!self.isEmpty() && QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("carveout"));
}
} // namespace

QString checkRenderOptions(const Options& o)
{
    if (o.output.isEmpty())
        return QStringLiteral("'render' needs -o OUT.svg or -o OUT.png");
    const QString suffix = QFileInfo(o.output).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("png"))
        return QStringLiteral("render: -o %1: the picture's name must end in .svg or .png").arg(o.output);
    if (o.view != QLatin1String("map") && o.view != QLatin1String("diagram"))
        return QStringLiteral("--view takes map or diagram, not '%1'").arg(o.view);
    static const QRegularExpression size(QStringLiteral("^\\d{2,5}x\\d{2,5}$"));
    if (!size.match(o.size).hasMatch())
        return QStringLiteral("--size takes WIDTHxHEIGHT in pixels (for example 1600x600), not '%1'").arg(o.size);
    return {};
}

int runRender(const Options& o, QTextStream& out, QTextStream& err)
{
    const QString program = guiProgram();
    if (program.isEmpty()) {
        err << "carveout-cli: render needs the carveout program (the window), which is not installed beside "
               "carveout-cli nor on PATH; install the carveout package with its GUI, or set CARVEOUT_GUI\n";
        return 2;
    }
    QStringList args { QStringLiteral("--render"), o.output, QStringLiteral("--view"), o.view, QStringLiteral("--size"),
        o.size };
    const auto pass = [&args](const char* name, const QString& value) {
        if (!value.isEmpty())
            args << QLatin1String(name) << value;
    };
    for (const QString& dir : o.load.includeDirs)
        pass("-I", dir);
    pass("--profile", o.profile.profile);
    pass("--kernel", o.profile.kernel);
    pass("--arch", o.profile.arch);
    pass("--page-size", o.profile.pageSize);
    pass("--kconfig", o.profile.kconfig);
    if (o.profile.cmdline)
        args << QStringLiteral("--cmdline") << *o.profile.cmdline;
    for (const QString& c : o.profile.config)
        pass("--config", c);
    for (const QString& m : o.profile.memory)
        pass("--memory", m);
    for (const QString& r : o.profile.reserve)
        pass("--reserve", r);
    for (const auto& ov : o.load.overlays)
        pass(ov.runtime ? "--overlay-runtime" : "--overlay", ov.file);
    pass("--boot", o.profile.boot);
    pass("--efi-map", o.profile.efiMap);
    pass("--uboot-env", o.profile.ubootEnv);
    for (const QString& l : o.profile.load)
        pass("--load", l);
    args << o.file;

    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    gui.setProcessEnvironment(env);
    gui.setProcessChannelMode(QProcess::SeparateChannels);
    gui.start(program, args);
    if (!gui.waitForFinished(o.load.timeoutMs + 60000) || gui.exitStatus() != QProcess::NormalExit) {
        err << "carveout-cli: " << program << " did not finish the render: " << gui.errorString() << "\n";
        gui.kill();
        return 2;
    }
    out << QString::fromLocal8Bit(gui.readAllStandardOutput());
    err << QString::fromLocal8Bit(gui.readAllStandardError());
    return gui.exitCode();
}

} // namespace carveout::cli
