// SPDX-License-Identifier: GPL-2.0-only
// Running the real carveout-cli on hostile input: bounded in time (QProcess timeout, then the
// whole process group is killed) and in memory (RLIMIT_AS, or ASan's hard_rss_limit_mb in the
// sanitizer build, whose shadow memory does not fit under RLIMIT_AS).
#pragma once

// tests
#include "../testutils.h"

// Qt
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// POSIX
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace carveout::test {

struct CliRun
{
    bool finished = false; ///< false: killed at the time limit
    bool crashed = false; ///< killed by a signal (a crash, or the memory limit)
    int status = -1;
    QString out;
    QString err;
    qint64 ms = 0;

    /** What a failed check prints: the status and the streams, cut to a readable size. */
    QString describe() const
    {
        return QStringLiteral("finished=%1 crashed=%2 status=%3 time=%4 ms\nstderr: %5\nstdout: %6")
            .arg(finished)
            .arg(crashed)
            .arg(status)
            .arg(ms)
            .arg(err.left(2000), out.left(1000));
    }
};

struct CliLimits
{
    int timeoutMs = 60000;
    qint64 memoryBytes = 2ll << 30;
    QString workDir;
    bool asNobody = false; ///< run as uid/gid 65534 (when we are root: permissions then apply)
    QString stdoutFile; ///< stdout to this file (/dev/null for gigabytes) instead of CliRun::out
};

inline QString cliPath()
{
    return QStringLiteral(CARVEOUT_CLI_PATH);
}

inline bool sanitized()
{
#ifdef CARVEOUT_SANITIZE
    return true;
#else
    return false;
#endif
}

/** Runs carveout-cli with `args` under the limits. */
inline CliRun runCli(const QStringList& args, const CliLimits& limits = {})
{
    CliRun r;
    QProcess p;
    QStringList argv = args;
    QString program = cliPath();
    if (limits.asNobody && ::geteuid() == 0) {
        argv = QStringList { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
            QStringLiteral("--clear-groups"), QStringLiteral("--"), program }
            + args;
        program = QStringLiteral("setpriv");
    }
    p.setProgram(program);
    p.setArguments(argv);
    if (!limits.workDir.isEmpty())
        p.setWorkingDirectory(limits.workDir);
    if (!limits.stdoutFile.isEmpty())
        p.setStandardOutputFile(limits.stdoutFile);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const qint64 memory = limits.memoryBytes;
    if (sanitized()) {
        env.insert(QStringLiteral("ASAN_OPTIONS"),
            env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":hard_rss_limit_mb=%1").arg(memory >> 20));
    }
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([memory] {
        ::setpgid(0, 0); // one group: a timeout kills cpp and dtc too
#ifndef CARVEOUT_SANITIZE
        const struct rlimit lim = { rlim_t(memory), rlim_t(memory) };
        ::setrlimit(RLIMIT_AS, &lim);
#else
        (void)memory;
#endif
    });
    QElapsedTimer t;
    t.start();
    p.start();
    if (!p.waitForStarted(10000))
        return r;
    r.finished = p.waitForFinished(limits.timeoutMs);
    if (!r.finished) {
        ::kill(-pid_t(p.processId()), SIGKILL);
        p.waitForFinished(5000);
    }
    r.ms = t.elapsed();
    r.crashed = r.finished && p.exitStatus() != QProcess::NormalExit;
    r.status = r.finished && !r.crashed ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/** No sanitizer report and no Qt assertion in what the CLI printed. */
inline bool cleanRun(const CliRun& r)
{
    for (const char* bad : { "AddressSanitizer", "LeakSanitizer", "runtime error:", "ASSERT", "Segmentation" }) {
        if (r.err.contains(QLatin1String(bad)))
            return false;
    }
    return r.finished && !r.crashed;
}

} // namespace carveout::test
