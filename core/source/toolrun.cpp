// SPDX-License-Identifier: GPL-2.0-only
#include "source/toolrun.h"

// core
#include "source/directcpp.h"
#include "source/linemarkers.h"

// Qt
#include <QCoreApplication>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QThread>

// POSIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// std
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

extern char** environ;

namespace carveout {

namespace {

using Clock = std::chrono::steady_clock;

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

/** A write to a tool that has exited must fail with EPIPE, not kill the program: SIGPIPE is
 *  ignored from the first write on, as QProcess did (a handler someone installed stays). */
void ignoreSigpipe()
{
    static const bool done = [] {
        struct sigaction old = {};
        if (::sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
            struct sigaction ignore = {};
            ignore.sa_handler = SIG_IGN;
            ::sigaction(SIGPIPE, &ignore, nullptr);
        }
        return true;
    }();
    (void)done;
}

/** `fd`, or a copy of it above 2 when it is 0, 1 or 2 (those may be closed in a program started
 *  without them): setting up the child's standard streams must not overwrite one of ours. */
int above2(int fd)
{
    if (fd < 0 || fd > 2)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    return moved;
}

bool makePipe(int fds[2])
{
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
    fds[0] = above2(fds[0]);
    fds[1] = above2(fds[1]);
    if (fds[0] < 0 || fds[1] < 0) {
        closeFd(fds[0]);
        closeFd(fds[1]);
        return false;
    }
    return true;
}

/** An output the tool writes into a file in memory rather than a pipe: it never waits for us and
 *  we are not woken for every 4 KiB it writes (dtc writes 300 KiB of annotated DTS for a small
 *  board); it is read once the tool has exited. Both ends are the same fd. Falls back to a
 *  pipe where memfd_create is not allowed. */
bool makeOutput(int fds[2], bool* file)
{
    const int fd = above2(::memfd_create("carveout-tool-output", MFD_CLOEXEC));
    *file = fd >= 0;
    if (!*file)
        return makePipe(fds);
    fds[0] = fd;
    fds[1] = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (fds[1] < 0) {
        closeFd(fds[0]);
        return false;
    }
    return true;
}

/** One tool: a process group of its own (stopping it also stops what it started: cpp is a driver
 *  that runs cc1, and killing cpp alone left cc1 blocked on a FIFO forever), our ends of its
 *  standard streams (stdin a pipe; stdout and stderr a memfd, or a pipe when streamed), and where
 *  its results go. */
struct Job
{
    ToolRun* result = nullptr;
    pid_t pid = -1;
    int pidfd = -1; ///< readable once the tool exited; -1 where the kernel has no pidfd_open
    int in = -1, out = -1, err = -1;
    bool streamOut = false; ///< stdout is a pipe read as it comes (else a memfd, read at exit)
    bool outFile = false, errFile = false; ///< that stream is a memfd
    const QByteArray* input = nullptr; ///< stdin: written as it grows, closed once inputComplete
    qsizetype written = 0;
    bool inputComplete = true;
    bool exited = false; ///< the pidfd said so: reaping will not block
    bool done = false; ///< reaped
    std::function<void(const char*, qsizetype)> onOut; ///< default: append to result->out

    Job() = default;
    Job(const Job&) = delete;
    Job& operator=(const Job&) = delete;
    ~Job()
    {
        // Only a tool stuck in the kernel past its timeout can be left; it is not waited for.
        if (pid > 0 && !done) {
            killGroup();
            reap(false);
        }
        for (int* fd : { &in, &out, &err, &pidfd })
            closeFd(*fd);
    }

    bool start(const QString& program, const QStringList& args, const QString& workingDirectory);
    void writeInput();
    void closeInputIfComplete()
    {
        if (in >= 0 && inputComplete && written >= input->size())
            closeFd(in);
    }
    /** Reads what `fd` has now; closes it at its end. */
    void readFrom(int& fd);
    /** Reads what the tool wrote into a memfd, then closes it. */
    void readFile(int& fd);
    void killGroup() const
    {
        if (pid > 0 && !done) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        }
    }
    bool reap(bool block);
};

bool Job::start(const QString& program, const QStringList& args, const QString& workingDirectory)
{
    int inPipe[2] = { -1, -1 }, outPipe[2] = { -1, -1 }, errPipe[2] = { -1, -1 };
    const bool pipes = makePipe(inPipe) && (streamOut ? makePipe(outPipe) : makeOutput(outPipe, &outFile));
    if (!pipes || !makeOutput(errPipe, &errFile)) {
        for (int* p : { inPipe, outPipe, errPipe }) {
            closeFd(p[0]);
            closeFd(p[1]);
        }
        return false;
    }
    const QByteArray prog = QFile::encodeName(program);
    std::vector<QByteArray> argBytes { prog };
    for (const auto& a : args)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (auto& a : argBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray dir = QFile::encodeName(workingDirectory);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    if (!dir.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, dir.constData());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    // glibc reports a failed exec (no such program, not executable, no such folder) as the result.
    const int rc = ::posix_spawnp(&pid, prog.constData(), &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    closeFd(inPipe[0]);
    closeFd(outPipe[1]);
    closeFd(errPipe[1]);
    in = inPipe[1];
    out = outPipe[0];
    err = errPipe[0];
    if (rc != 0) {
        pid = -1;
        closeFd(in);
        closeFd(out);
        closeFd(err);
        return false;
    }
    ::fcntl(in, F_SETFL, ::fcntl(in, F_GETFL) | O_NONBLOCK);
    if (!outFile)
        ::fcntl(out, F_SETFL, ::fcntl(out, F_GETFL) | O_NONBLOCK);
    if (!errFile)
        ::fcntl(err, F_SETFL, ::fcntl(err, F_GETFL) | O_NONBLOCK);
#ifdef SYS_pidfd_open
    pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
#endif
    result->started = true;
    return true;
}

void Job::writeInput()
{
    if (in < 0)
        return;
    ignoreSigpipe();
    // Blocked around the write, and a SIGPIPE it raised taken back: a program whose own SIGPIPE
    // handler stays (QtTest's crash handler is one) must not hear of a tool that stopped reading.
    sigset_t pipeSignal, before;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &before);
    struct Restore
    {
        const sigset_t& mask;
        ~Restore() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
    } restore { before };
    while (written < input->size()) {
        const ssize_t n = ::write(in, input->constData() + written, size_t(input->size() - written));
        if (n < 0 && errno == EPIPE) {
            const timespec now = {};
            while (sigtimedwait(&pipeSignal, nullptr, &now) == SIGPIPE) { }
            errno = EPIPE; // sigtimedwait set its own
        }
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (n < 0 && errno != EAGAIN)
                closeFd(in); // the tool closed its input or exited: the rest is not wanted
            return;
        }
    }
}

void Job::readFrom(int& fd)
{
    char buffer[65536];
    while (fd >= 0) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            if (&fd == &err)
                result->err.append(buffer, n);
            else if (onOut)
                onOut(buffer, n);
            else
                result->out.append(buffer, n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            closeFd(fd);
        }
    }
}

void Job::readFile(int& fd)
{
    QByteArray& into = (&fd == &err) ? result->err : result->out;
    struct stat st = {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        const qsizetype at = into.size();
        into.resize(at + qsizetype(st.st_size));
        qsizetype got = 0;
        while (got < qsizetype(st.st_size)) {
            const ssize_t n = ::pread(fd, into.data() + at + got, size_t(st.st_size - got), off_t(got));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += n;
        }
        into.resize(at + got);
    }
    closeFd(fd);
}

bool Job::reap(bool block)
{
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0)
        return false;
    if (r == pid)
        result->exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    done = true;
    closeFd(pidfd);
    return true;
}

/** Runs the started jobs until each has exited, or kills what still runs at the deadline.
 *  `onExit(job)` runs once a job has exited and what it wrote has been read. One poll() over
 *  every pipe and pidfd; needs no event loop. */
void runJobs(const std::vector<Job*>& jobs, Clock::time_point deadline, const std::function<void(Job&)>& onExit)
{
    // A thread with an event loop (the window's) keeps serving its events while the tools run,
    // every 20 ms, as it did when QProcess streamed through a nested event loop: a tool that
    // hangs until its timeout must not freeze the window. Elsewhere (carveout-cli's load takes
    // less than the first 20 ms; a thread Qt did not start) nothing is served.
    const bool serveEvents = QThread::currentThread()->eventDispatcher() != nullptr;
    constexpr auto kServeEvery = std::chrono::milliseconds(20);
    auto nextServe = Clock::now() + kServeEvery;
    std::vector<pollfd> fds;
    std::vector<std::pair<Job*, int*>> owner;
    while (true) {
        fds.clear();
        owner.clear();
        bool withoutPidfd = false;
        for (Job* j : jobs) {
            if (j->done)
                continue;
            if (j->in >= 0 && j->written < j->input->size()) {
                fds.push_back({ j->in, POLLOUT, 0 });
                owner.emplace_back(j, &j->in);
            }
            for (int* fd : { &j->out, &j->err, &j->pidfd }) {
                if (*fd >= 0 && !(fd == &j->out && j->outFile) && !(fd == &j->err && j->errFile)) {
                    fds.push_back({ *fd, POLLIN, 0 });
                    owner.emplace_back(j, fd);
                }
            }
            withoutPidfd = withoutPidfd || j->pidfd < 0;
        }
        if (fds.empty() && !withoutPidfd)
            return;
        const long long left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            for (Job* j : jobs) {
                if (!j->done) {
                    j->result->timedOut = true;
                    j->killGroup();
                }
            }
            for (Job* j : jobs) {
                // SIGKILL ends it at once unless it is stuck in the kernel: that gets 2 s.
                for (int i = 0; i < 200 && !j->done && !j->reap(false); ++i)
                    ::usleep(10000);
            }
            return;
        }
        // Without pidfd, the exit of a tool is looked for every few milliseconds.
        long long timeout = std::min<long long>(left, withoutPidfd ? 5 : 60000);
        if (serveEvents) {
            const auto now = Clock::now();
            if (now >= nextServe) {
                QCoreApplication::processEvents();
                nextServe = Clock::now() + kServeEvery;
            }
            timeout = std::min<long long>(
                timeout, std::chrono::duration_cast<std::chrono::milliseconds>(nextServe - now).count() + 1);
        }
        if (::poll(fds.data(), nfds_t(fds.size()), int(timeout)) < 0) {
            if (errno != EINTR)
                deadline = Clock::now(); // cannot wait any more: stop everything
            continue;
        }
        for (size_t i = 0; i < fds.size(); ++i) {
            if (!fds[i].revents)
                continue;
            Job* j = owner[i].first;
            int* fd = owner[i].second;
            if (fd == &j->in) {
                if (fds[i].revents & (POLLERR | POLLHUP))
                    closeFd(j->in);
                j->writeInput();
                j->closeInputIfComplete();
            } else if (fd == &j->pidfd) {
                j->exited = true;
            } else {
                j->readFrom(*fd);
            }
        }
        for (Job* j : jobs) {
            if (j->done || !(j->exited ? j->reap(true) : (j->pidfd < 0 && j->reap(false))))
                continue;
            // What it wrote before exiting is in its pipes and memfds; a process it left running
            // (holding a pipe open) is not waited for.
            if (j->outFile)
                j->readFile(j->out);
            else
                j->readFrom(j->out);
            if (j->errFile)
                j->readFile(j->err);
            else
                j->readFrom(j->err);
            closeFd(j->out);
            closeFd(j->err);
            closeFd(j->in);
            if (onExit)
                onExit(*j);
        }
    }
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
    Job job;
    job.result = &r;
    job.input = &input;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    if (!job.start(program, args, workingDirectory))
        return r;
    job.writeInput();
    job.closeInputIfComplete();
    runJobs({ &job }, deadline, {});
    return r;
}

namespace {

PipelineRun runPipelineOnce(const QString& cppProgram, const QStringList& cppArgs, const QString& dtcProgram,
    const QStringList& dtcArgs, int timeoutMs, const CppInput& input, const PipelineHooks& hooks)
{
    PipelineRun r;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    // Every byte of cpp's output goes through the rewriter when cpp reads its input from stdin.
    std::optional<MarkerRewriter> rewriter;
    if (input.content)
        rewriter.emplace(input.absFile, input.workingDirectory);
    const QByteArray noInput;
    Job cpp, dtc;
    cpp.result = &r.cpp;
    cpp.streamOut = true; // dtc reads it as it comes
    cpp.input = input.content ? input.content : &noInput;
    cpp.onOut = [&](const char* data, qsizetype n) {
        if (rewriter)
            rewriter->feed(QByteArrayView(data, n), r.cpp.out);
        else
            r.cpp.out.append(data, n);
        dtc.writeInput();
    };
    // dtc reads cpp's output as it comes, straight from the copy kept for the marker scan.
    dtc.result = &r.dtc;
    dtc.input = &r.cpp.out;
    dtc.inputComplete = false;
    // cpp first: it is the longer of the two, and dtc has nothing to read before it writes.
    if (!cpp.start(cppProgram, cppArgs, input.workingDirectory))
        return r;
    cpp.writeInput();
    cpp.closeInputIfComplete();
    std::vector<Job*> jobs { &cpp };
    if (dtc.start(dtcProgram, dtcArgs, {})) {
        jobs.push_back(&dtc);
        // Room for all of cpp's output of a board, so that dtc never waits for this thread
        // while a hook runs (best effort: the system may allow less).
        ::fcntl(dtc.in, F_SETPIPE_SZ, 1 << 20);
    }
    if (hooks.started)
        hooks.started();
    runJobs(jobs, deadline, [&](Job& j) {
        if (&j != &cpp)
            return;
        if (rewriter)
            rewriter->finish(r.cpp.out);
        if (r.cpp.exitCode == 0) {
            dtc.inputComplete = true;
            dtc.writeInput();
            dtc.closeInputIfComplete();
            if (hooks.cppDone && !dtc.done)
                hooks.cppDone(r.cpp.out);
        } else {
            dtc.killGroup(); // its exit means nothing without cpp's whole output
        }
    });
    return r;
}

} // namespace

PipelineRun runPipeline(const QString& cppProgram, const QStringList& cppArgs, const QString& dtcProgram,
    const QStringList& dtcArgs, int timeoutMs, const CppInput& input, const PipelineHooks& hooks)
{
    // cc1 itself when the driver has said how it runs it; on any failure but a timeout the driver
    // runs, so that every message and exit status is the driver's own.
    const DirectCpp direct = directCpp(cppProgram, cppArgs, timeoutMs);
    if (!direct.program.isEmpty()) {
        PipelineRun r = runPipelineOnce(direct.program, direct.args, dtcProgram, dtcArgs, timeoutMs, input, hooks);
        if (r.cpp.timedOut || (r.cpp.started && r.cpp.exitCode == 0))
            return r;
    }
    PipelineRun r = runPipelineOnce(cppProgram, cppArgs, dtcProgram, dtcArgs, timeoutMs, input, hooks);
    if (!direct.program.isEmpty() && r.cpp.exitCode == 0)
        forgetDirectCpp(cppProgram, cppArgs); // cc1 failed where the driver did not: not cc1's line
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
