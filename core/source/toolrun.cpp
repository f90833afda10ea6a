// SPDX-License-Identifier: GPL-2.0-only
#include "source/toolrun.h"

// core
#include "source/linemarkers.h"

// Qt
#include <QMutex>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

// POSIX
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

// std
#include <optional>

namespace carveout {

namespace {

/** Each tool runs in a process group of its own, so that stopping it also stops what it started
 *  (cpp is a driver that runs cc1: killing cpp alone left cc1 blocked on a FIFO forever). */
void ownProcessGroup(QProcess& p)
{
    p.setChildProcessModifier([] { ::setpgid(0, 0); });
}

void killGroup(QProcess& p)
{
    const qint64 pid = p.processId();
    if (pid > 0)
        ::kill(-pid_t(pid), SIGKILL);
    p.kill();
}

} // namespace

QString toolPath(const QString& configured, const char* envName, const char* fallback)
{
    if (!configured.isEmpty())
        return configured;
    const QByteArray env = qgetenv(envName);
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QString::fromLatin1(fallback);
}

ToolRun runTool(const QString& program, const QStringList& args, const QByteArray& input, int timeoutMs,
    const QString& workingDirectory)
{
    ToolRun r;
    QProcess p;
    p.setWorkingDirectory(workingDirectory);
    p.setProgram(program);
    p.setArguments(args);
    ownProcessGroup(p);
    p.start(QIODevice::ReadWrite);
    if (!p.waitForStarted(timeoutMs))
        return r;
    r.started = true;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        r.timedOut = true;
        killGroup(p);
        p.waitForFinished(2000);
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

PipelineRun runPipeline(const QString& cppProgram, const QStringList& cppArgs, const QString& dtcProgram,
    const QStringList& dtcArgs, int timeoutMs, const CppInput& input)
{
    // Every byte of cpp's output goes through the rewriter when cpp reads its input from stdin.
    std::optional<MarkerRewriter> rewriter;
    if (input.content)
        rewriter.emplace(input.absFile, input.workingDirectory);
    const auto rewritten = [&](const QByteArray& chunk) { return rewriter ? rewriter->feed(chunk) : chunk; };
    const auto rest = [&] { return rewriter ? rewriter->finish() : QByteArray(); };
    const QByteArray stdinContent = input.content ? *input.content : QByteArray();
    PipelineRun r;
    // Streaming needs this thread's event loop. Without an event dispatcher (no
    // QCoreApplication yet, or a thread Qt did not start), QEventLoop::exec() spins forever and
    // the timeout timer never starts: run the tools one after the other with waitFor*() instead,
    // which needs no event loop.
    if (!QThread::currentThread()->eventDispatcher()) {
        r.cpp = runTool(cppProgram, cppArgs, stdinContent, timeoutMs, input.workingDirectory);
        r.cpp.out = rewritten(r.cpp.out) + rest();
        if (r.cpp.started && !r.cpp.timedOut && r.cpp.exitCode == 0)
            r.dtc = runTool(dtcProgram, dtcArgs, r.cpp.out, timeoutMs);
        return r;
    }
    QProcess cpp, dtc;
    QEventLoop loop;
    bool cppDone = false, dtcDone = false;
    auto maybeQuit = [&] {
        if (cppDone && dtcDone)
            loop.quit();
    };
    QObject::connect(&cpp, &QProcess::readyReadStandardOutput, &loop, [&] {
        const QByteArray chunk = rewritten(cpp.readAllStandardOutput());
        r.cpp.out += chunk;
        if (dtc.state() != QProcess::NotRunning)
            dtc.write(chunk);
    });
    QObject::connect(&cpp, &QProcess::readyReadStandardError, &loop, [&] { r.cpp.err += cpp.readAllStandardError(); });
    QObject::connect(
        &dtc, &QProcess::readyReadStandardOutput, &loop, [&] { r.dtc.out += dtc.readAllStandardOutput(); });
    QObject::connect(&dtc, &QProcess::readyReadStandardError, &loop, [&] { r.dtc.err += dtc.readAllStandardError(); });
    QObject::connect(&cpp, &QProcess::finished, &loop, [&](int code, QProcess::ExitStatus status) {
        const QByteArray last = rewritten(cpp.readAllStandardOutput()) + rest();
        r.cpp.out += last;
        r.cpp.err += cpp.readAllStandardError();
        r.cpp.exitCode = status == QProcess::NormalExit ? code : -1;
        cppDone = true;
        if (dtc.state() != QProcess::NotRunning) {
            if (r.cpp.exitCode == 0) {
                dtc.write(last);
                dtc.closeWriteChannel();
            } else {
                killGroup(dtc);
            }
        }
        maybeQuit();
    });
    QObject::connect(&dtc, &QProcess::finished, &loop, [&](int code, QProcess::ExitStatus status) {
        r.dtc.out += dtc.readAllStandardOutput();
        r.dtc.err += dtc.readAllStandardError();
        r.dtc.exitCode = status == QProcess::NormalExit ? code : -1;
        dtcDone = true;
        maybeQuit();
    });
    QObject::connect(&cpp, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            cppDone = dtcDone = true;
            killGroup(dtc);
            loop.quit();
        }
    });
    QObject::connect(&dtc, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            dtcDone = true;
            r.dtc.started = false;
            maybeQuit();
        }
    });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        r.cpp.timedOut = !cppDone;
        r.dtc.timedOut = !dtcDone;
        loop.quit();
    });

    ownProcessGroup(cpp);
    ownProcessGroup(dtc);
    dtc.start(dtcProgram, dtcArgs);
    r.dtc.started = dtc.waitForStarted(timeoutMs);
    cpp.setWorkingDirectory(input.workingDirectory);
    cpp.start(cppProgram, cppArgs, input.content ? QIODevice::ReadWrite : QIODevice::ReadOnly);
    r.cpp.started = cpp.waitForStarted(timeoutMs);
    if (r.cpp.started && input.content) {
        cpp.write(stdinContent);
        cpp.closeWriteChannel();
    }
    if (!r.cpp.started) {
        killGroup(dtc);
        dtc.waitForFinished(2000);
        return r;
    }
    if (!r.dtc.started)
        dtcDone = true;
    timer.start(timeoutMs);
    if (!(cppDone && dtcDone))
        loop.exec();
    if (r.cpp.timedOut || r.dtc.timedOut) {
        killGroup(cpp);
        killGroup(dtc);
        cpp.waitForFinished(2000);
        dtc.waitForFinished(2000);
    }
    return r;
}

QString shellQuote(const QStringList& cmd)
{
    QStringList q;
    for (const auto& a : cmd)
        q.append(a.contains(QLatin1Char(' ')) ? QLatin1Char('\'') + a + QLatin1Char('\'') : a);
    return q.join(QLatin1Char(' '));
}

QString cachedDtcVersion(const QString& dtc)
{
    // Boards load on several threads at once (check -j N).
    static QMutex lock;
    const QMutexLocker locked(&lock);
    static QString cachedFor, cached;
    if (cachedFor != dtc) {
        cachedFor = dtc;
        const ToolRun r = runTool(dtc, { QStringLiteral("--version") }, {}, 10000);
        static const QRegularExpression re(QStringLiteral("DTC ([0-9][0-9.]*)"));
        const auto m = re.match(QString::fromLatin1(r.out + r.err));
        cached = m.hasMatch() ? m.captured(1) : QString();
    }
    return cached;
}

} // namespace carveout
