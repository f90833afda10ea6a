// SPDX-License-Identifier: GPL-2.0-only
#include "loader.h"

// core
#include "source/annotateddts.h"
#include "source/dtbloader.h"

// Qt
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

// POSIX
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

// std
#include <climits>

namespace carveout {

namespace {

constexpr uint32_t kFdtMagic = 0xd00dfeed;

QString toolPath(const QString& configured, const char* envName, const char* fallback)
{
    if (!configured.isEmpty())
        return configured;
    const QByteArray env = qgetenv(envName);
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QString::fromLatin1(fallback);
}

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

struct ToolRun
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ToolRun runTool(const QString& program, const QStringList& args, const QByteArray& input, int timeoutMs)
{
    ToolRun r;
    QProcess p;
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

/** cpp streamed into dtc while both run (the two cores overlap), keeping a copy of cpp's
 *  output for the line-marker scan. dtc's exit is only meaningful when cpp succeeded. */
struct PipelineRun
{
    ToolRun cpp;
    ToolRun dtc;
};

PipelineRun runPipeline(const QString& cppProgram, const QStringList& cppArgs, const QString& dtcProgram,
    const QStringList& dtcArgs, int timeoutMs)
{
    PipelineRun r;
    // Streaming needs this thread's event loop. Without an event dispatcher (no
    // QCoreApplication yet, or a thread Qt did not start), QEventLoop::exec() spins forever and
    // the timeout timer never starts: run the tools one after the other with waitFor*() instead,
    // which needs no event loop.
    if (!QThread::currentThread()->eventDispatcher()) {
        r.cpp = runTool(cppProgram, cppArgs, {}, timeoutMs);
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
        const QByteArray chunk = cpp.readAllStandardOutput();
        r.cpp.out += chunk;
        if (dtc.state() != QProcess::NotRunning)
            dtc.write(chunk);
    });
    QObject::connect(&cpp, &QProcess::readyReadStandardError, &loop, [&] { r.cpp.err += cpp.readAllStandardError(); });
    QObject::connect(
        &dtc, &QProcess::readyReadStandardOutput, &loop, [&] { r.dtc.out += dtc.readAllStandardOutput(); });
    QObject::connect(&dtc, &QProcess::readyReadStandardError, &loop, [&] { r.dtc.err += dtc.readAllStandardError(); });
    QObject::connect(&cpp, &QProcess::finished, &loop, [&](int code, QProcess::ExitStatus status) {
        const QByteArray rest = cpp.readAllStandardOutput();
        r.cpp.out += rest;
        r.cpp.err += cpp.readAllStandardError();
        r.cpp.exitCode = status == QProcess::NormalExit ? code : -1;
        cppDone = true;
        if (dtc.state() != QProcess::NotRunning) {
            if (r.cpp.exitCode == 0) {
                dtc.write(rest);
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
    cpp.start(cppProgram, cppArgs, QIODevice::ReadOnly);
    r.cpp.started = cpp.waitForStarted(timeoutMs);
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

Diagnostic toolError(const QString& file, const QString& message)
{
    Diagnostic d;
    d.code = QStringLiteral("io");
    d.file = file;
    d.message = message;
    return d;
}

QString readSourceLine(const QString& file, int line)
{
    QFile f(file);
    if (line <= 0 || !f.open(QIODevice::ReadOnly))
        return {};
    int n = 0;
    while (!f.atEnd()) {
        const QByteArray l = f.readLine(1 << 16);
        if (++n == line)
            return QString::fromUtf8(l).trimmed();
    }
    return {};
}

/** Whether a source line is binary data rather than text (control characters, bytes that are not UTF-8). */
bool looksBinary(const QString& line)
{
    int odd = 0;
    for (const QChar c : line)
        odd += (c.unicode() < 0x20 && c != QLatin1Char('\t')) || c == QChar::ReplacementCharacter;
    return odd > 2;
}

/** A source line as it can be quoted in a message: control characters shown as '?', at most 100
 *  characters (a generated file can have a line of megabytes). */
QString excerpt(const QString& line)
{
    QString out = line.left(100);
    for (QChar& c : out) {
        if ((c.unicode() < 0x20 && c != QLatin1Char('\t')) || c == QChar::ReplacementCharacter)
            c = QLatin1Char('?');
    }
    if (line.size() > 100)
        out += QStringLiteral("...");
    return out;
}

QString shellQuote(const QStringList& cmd)
{
    QStringList q;
    for (const auto& a : cmd)
        q.append(a.contains(QLatin1Char(' ')) ? QLatin1Char('\'') + a + QLatin1Char('\'') : a);
    return q.join(QLatin1Char(' '));
}

/** Turns cpp's stderr into diagnostics with a sentence on what to do. */
Diagnostics cppDiagnostics(const QByteArray& err, const QString& board)
{
    Diagnostics out;
    static const QRegularExpression re(QStringLiteral("^(.+?):(\\d+):(?:(\\d+):)? (fatal error|error|warning): (.*)$"));
    const auto lines = QString::fromLocal8Bit(err).split(QLatin1Char('\n'));
    for (const auto& line : lines) {
        const auto m = re.match(line);
        if (!m.hasMatch())
            continue;
        Diagnostic d;
        d.code = QStringLiteral("cpp");
        d.severity = m.captured(4) == QLatin1String("warning") ? Severity::Warning : Severity::Error;
        d.file = displayPath(m.captured(1));
        d.line = m.captured(2).toInt();
        d.column = m.captured(3).toInt();
        QString text = m.captured(5);
        static const QRegularExpression missing(QStringLiteral("^(.+): No such file or directory$"));
        const auto mm = missing.match(text);
        if (mm.hasMatch()) {
            text = QStringLiteral("cannot find the included file '%1'; add the folder that holds it with -I DIR, "
                                  "or open the board from inside its kernel tree (arch/<arch>/boot/dts or src/<arch>) "
                                  "so the include folders are found")
                       .arg(mm.captured(1));
        } else if (text.startsWith(QLatin1String("#include nested depth"))) {
            static const QRegularExpression depth(QStringLiteral("maximum of (\\d+)"));
            text = QStringLiteral("#include nests more than %1 levels deep: the files include each other in a "
                                  "cycle; remove the cycle, or guard the included file with #ifndef/#define/#endif")
                       .arg(depth.match(text).captured(1));
        } else if (d.severity == Severity::Error) {
            text += QStringLiteral(" (reported by the C preprocessor; fix the directive at this line)");
        }
        d.message = text;
        out.append(d);
    }
    if (out.isEmpty() && !err.trimmed().isEmpty()) {
        Diagnostic d;
        d.code = QStringLiteral("cpp");
        d.file = displayPath(board);
        d.message = QStringLiteral("the C preprocessor failed: %1").arg(QString::fromLocal8Bit(err).trimmed());
        out.append(d);
    }
    return out;
}

/** dtc's "file:12.3-20" positions. */
const QRegularExpression& dtcPosRe()
{
    static const QRegularExpression re(QStringLiteral("^(.+?):(\\d+)\\.(\\d+)(?:-(\\d+)(?:\\.(\\d+))?)?$"));
    return re;
}

/** Sets file/line/column from a dtc position; returns the last line of its range. */
int setPos(Diagnostic& d, const QString& pos)
{
    const auto m = dtcPosRe().match(pos);
    if (!m.hasMatch())
        return 0;
    d.file = m.captured(1);
    d.line = m.captured(2).toInt();
    d.column = m.captured(3).toInt();
    return m.captured(5).isEmpty() ? d.line : m.captured(4).toInt();
}

/** dtc names the NODE that holds a bad reference; point at the line that spells it. */
void pointAtReference(Diagnostic& d, int lastLine, const QString& ref)
{
    QFile f(d.file);
    if (d.line <= 0 || lastLine < d.line || !f.open(QIODevice::ReadOnly))
        return;
    int n = 0;
    while (!f.atEnd() && n < lastLine) {
        const QString l = QString::fromUtf8(f.readLine(1 << 16));
        if (++n < d.line)
            continue;
        const qsizetype at = l.indexOf(QLatin1Char('&') + ref);
        if (at >= 0) {
            d.line = n;
            d.column = int(at) + 1;
            return;
        }
    }
}

QString labelNotFoundSentence(const QString& message)
{
    static const QRegularExpression notFound(QStringLiteral("^Label or path (\\S+) not found$"));
    const auto nf = notFound.match(message);
    if (!nf.hasMatch())
        return message;
    return QStringLiteral("the override '&%1 { ... }' names a label or path that no file of this board "
                          "defines; fix the name or include the file that defines it")
        .arg(nf.captured(1));
}

QString dtcVersionCached(const QString& dtc)
{
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

/** Turns dtc's stderr into diagnostics (errors) and notes (warnings). */
void dtcDiagnostics(const QByteArray& err, const QString& dtc, Diagnostics* errors, Diagnostics* notes)
{
    // "Error: file:12.3-4 syntax error"
    static const QRegularExpression parseErr(
        QStringLiteral("^(Error|Warning): (\\S.*?:\\d+\\.\\d+(?:-\\d+(?:\\.\\d+)?)?) (.*)$"));
    // "file:12.3-20: Warning (reg_format): /node:reg: text"
    static const QRegularExpression checkMsg(
        QStringLiteral("^(\\S.*?:\\d+\\.\\d+(?:-\\d+(?:\\.\\d+)?)?|<stdout>|-): (ERROR|Warning) \\((\\w+)\\): (.*)$"));
    static const QRegularExpression labelPath(QStringLiteral("&\\{[A-Za-z_][A-Za-z0-9_]*(/|\\})"));
    const auto lines = QString::fromLocal8Bit(err).split(QLatin1Char('\n'));
    for (const auto& line : lines) {
        if (line.isEmpty())
            continue;
        Diagnostic d;
        d.code = QStringLiteral("dtc");
        if (const auto m = parseErr.match(line); m.hasMatch()) {
            d.severity = m.captured(1) == QLatin1String("Error") ? Severity::Error : Severity::Warning;
            setPos(d, m.captured(2));
            QString text = labelNotFoundSentence(m.captured(3));
            const QString fullLine = readSourceLine(d.file, d.line);
            const QString src = excerpt(fullLine);
            if (text == QLatin1String("syntax error") && looksBinary(fullLine)) {
                text = QStringLiteral("syntax error: this line is binary data, not device tree source; check that "
                                      "this is the right file (a .dtb is opened as such when it starts with the "
                                      "FDT magic number)");
            } else if (text == QLatin1String("memory exhausted")) {
                // bison's YYMAXDEPTH: dtc's grammar nests one level per sibling.
                text = QStringLiteral("dtc's parser ran out of room here (memory exhausted): the parser of dtc %1 "
                                      "holds about 10,000 entries, and a block with more nodes or properties than "
                                      "that, or nodes nested thousands deep, exhaust it; split the block (a node "
                                      "can be opened again further down, or extended with &label { ... }), or open "
                                      "a .dtb of the tree")
                           .arg(dtcVersionCached(dtc));
            } else if (text == QLatin1String("syntax error")) {
                if (labelPath.match(src).hasMatch()) {
                    text = QStringLiteral("syntax error: '%1' uses a label-relative path reference (&{label/path}), "
                                          "which dtc %2 cannot parse; it needs the newer dtc that the kernel bundles "
                                          "(1.7 series). Write the reference as &{/full/path} or install a newer dtc")
                               .arg(src, dtcVersionCached(dtc));
                } else {
                    text = QStringLiteral("syntax error at '%1'; look for a missing ';', '}' or '>' on this line or "
                                          "the line before it")
                               .arg(src);
                }
            }
            d.message = text;
        } else if (const auto c = checkMsg.match(line); c.hasMatch()) {
            d.severity = c.captured(2) == QLatin1String("ERROR") ? Severity::Error : Severity::Warning;
            const int lastLine = setPos(d, c.captured(1));
            d.code = QStringLiteral("dtc:") + c.captured(3);
            d.message = c.captured(4);
            if (c.captured(3) == QLatin1String("phandle_references")
                || c.captured(3) == QLatin1String("path_references")) {
                static const QRegularExpression quoted(QStringLiteral("\"([^\"]+)\""));
                if (const auto q = quoted.match(d.message); q.hasMatch())
                    pointAtReference(d, lastLine, q.captured(1));
                d.message
                    += QStringLiteral("; define the label, include the file that defines it, or remove the reference");
            }
        } else if (line.startsWith(QLatin1String("FATAL ERROR: ")) || line.startsWith(QLatin1String("ERROR: "))) {
            // Summary lines ("Unable to parse input tree", "Input tree has errors"): the details came before.
            if (errors->isEmpty()) {
                d.message = line.mid(line.indexOf(QLatin1String(": ")) + 2);
                errors->append(d);
            }
            continue;
        } else {
            // Free-form errors, e.g. "Label or path foo not found" for an override of a missing label.
            d.severity = Severity::Error;
            d.message = labelNotFoundSentence(line.trimmed());
        }
        if (!d.file.isEmpty())
            d.file = displayPath(d.file);
        (d.severity == Severity::Error ? errors : notes)->append(d);
    }
}

/** The file and line of the first line of cpp's output that contains `needle` and `also`,
 *  through cpp's line markers. False when there is none. */
bool locateInPreprocessed(
    const QByteArray& pp, const QByteArray& needle, const QByteArray& also, QString* file, int* line)
{
    QString current;
    int n = 0;
    qsizetype pos = 0;
    while (pos < pp.size()) {
        qsizetype eol = pp.indexOf('\n', pos);
        if (eol < 0)
            eol = pp.size();
        const QByteArrayView l(pp.constData() + pos, eol - pos);
        if (l.startsWith("# ")) {
            const qsizetype q1 = l.indexOf('"');
            const qsizetype q2 = q1 >= 0 ? l.lastIndexOf('"') : -1;
            if (q1 > 2 && q2 > q1) {
                n = l.sliced(2, q1 - 3).trimmed().toInt() - 1;
                current = QString::fromUtf8(l.sliced(q1 + 1, q2 - q1 - 1));
            }
        } else {
            ++n;
            if (l.contains(needle) && l.contains(also)) {
                *file = current;
                *line = n;
                return true;
            }
        }
        pos = eol + 1;
    }
    return false;
}

/** dtc names no file for some errors (a missing or cyclic /include/): find where, say what to do. */
void explainFilelessDtcErrors(Diagnostics* errors, const QByteArray& pp, const QString& board)
{
    static const QRegularExpression cantOpen(QStringLiteral("^Couldn't open \"(.+)\": (.*)$"));
    for (auto& d : *errors) {
        if (!d.file.isEmpty() || d.code != QLatin1String("dtc"))
            continue;
        d.file = displayPath(board);
        if (const auto m = cantOpen.match(d.message); m.hasMatch()) {
            const QByteArray quoted = '"' + m.captured(1).toUtf8() + '"';
            QString where;
            int line = 0;
            const bool incbin = !locateInPreprocessed(pp, quoted, "/include/", &where, &line)
                && locateInPreprocessed(pp, quoted, "/incbin/", &where, &line);
            if (line > 0) {
                d.file = displayPath(where);
                d.line = line;
            }
            d.message = QStringLiteral("cannot open the file '%1' that %2 names (%3); dtc looks beside the file "
                                       "that names it and in the include folders: add the folder that holds it "
                                       "with -I DIR")
                            .arg(m.captured(1), incbin ? QStringLiteral("/incbin/") : QStringLiteral("/include/"),
                                m.captured(2));
        } else if (d.message == QLatin1String("Includes nested too deeply")) {
            d.message = QStringLiteral("the /include/ directives nest deeper than dtc allows: the files /include/ "
                                       "each other in a cycle; remove the cycle");
        }
    }
}

/** Every file cpp read, from its line markers (`# 12 "file" flags`), in first-seen order. */
QStringList lineMarkerFiles(const QByteArray& pp)
{
    QStringList files;
    qsizetype pos = 0;
    while (pos < pp.size()) {
        qsizetype eol = pp.indexOf('\n', pos);
        if (eol < 0)
            eol = pp.size();
        if (pp.at(pos) == '#' && pos + 1 < eol && pp.at(pos + 1) == ' ') {
            const qsizetype q1 = pp.indexOf('"', pos);
            const qsizetype q2 = q1 >= 0 && q1 < eol ? pp.lastIndexOf('"', eol - 1) : -1;
            if (q2 > q1) {
                const QString f = QString::fromUtf8(pp.mid(q1 + 1, q2 - q1 - 1));
                if (!f.startsWith(QLatin1Char('<')) && !files.contains(f))
                    files << f;
            }
        }
        pos = eol + 1;
    }
    return files;
}

/** Where each /memreserve/ sits in the original sources, from cpp's line markers. */
std::vector<SourceSpan> memreservePositions(const QByteArray& pp, DeviceTree& tree)
{
    std::vector<SourceSpan> out;
    if (!pp.contains("/memreserve/"))
        return out;
    int file = -1;
    int line = 0;
    qsizetype pos = 0;
    while (pos < pp.size()) {
        qsizetype eol = pp.indexOf('\n', pos);
        if (eol < 0)
            eol = pp.size();
        const QByteArrayView l(pp.constData() + pos, eol - pos);
        if (l.startsWith("# ")) {
            // # 12 "file" flags
            const qsizetype q1 = l.indexOf('"');
            const qsizetype q2 = q1 >= 0 ? l.lastIndexOf('"') : -1;
            if (q1 > 2 && q2 > q1) {
                line = l.sliced(2, q1 - 3).trimmed().toInt() - 1;
                file = tree.internFile(QString::fromUtf8(l.sliced(q1 + 1, q2 - q1 - 1)));
            }
        } else {
            ++line;
            qsizetype from = 0;
            while ((from = l.indexOf("/memreserve/", from)) >= 0) {
                SourceSpan s;
                s.file = file;
                s.line = line;
                s.column = int(from) + 1;
                s.endLine = line;
                s.endColumn = int(from) + 13;
                out.push_back(s);
                from += 12;
            }
        }
        pos = eol + 1;
    }
    return out;
}

struct LabelPathRef
{
    qsizetype start = 0; ///< offset of '&'
    qsizetype length = 0;
    QByteArray label;
    QByteArray rest; ///< "/pins" or empty
    qsizetype deleteStart = -1; ///< offset of a "/delete-node/" in front of it
    qsizetype deleteEnd = -1; ///< offset after the ';' that ends that statement
};

std::vector<LabelPathRef> findLabelPathRefs(const QByteArray& pp)
{
    std::vector<LabelPathRef> refs;
    static const QRegularExpression re(QStringLiteral("&\\{([A-Za-z_][A-Za-z0-9_]*)((?:/[^}\\s]*)?)\\}"));
    if (!pp.contains("&{"))
        return refs;
    // Work on Latin-1 so regex offsets are byte offsets.
    const QString text = QString::fromLatin1(pp);
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        LabelPathRef r;
        r.start = m.capturedStart();
        r.length = m.capturedLength();
        r.label = m.captured(1).toLatin1();
        r.rest = m.captured(2).toLatin1();
        // "/delete-node/ &{...};"
        qsizetype b = r.start - 1;
        while (b >= 0 && (pp.at(b) == ' ' || pp.at(b) == '\t'))
            --b;
        if (b >= 12 && pp.mid(b - 12, 13) == "/delete-node/") {
            const qsizetype semi = pp.indexOf(';', r.start + r.length);
            if (semi > 0) {
                r.deleteStart = b - 12;
                r.deleteEnd = semi + 1;
            }
        }
        refs.push_back(r);
    }
    return refs;
}

/** Why a path cannot even be looked at (it does not exist, a dangling or looping link, a name the
 *  system or the locale cannot take), or empty. */
QString unusablePath(const QString& file, const QFileInfo& fi)
{
    if (fi.exists())
        return {};
    // Qt decodes file names with the locale (UTF-8): bytes that are not UTF-8 come back as U+FFFD
    // and name another file, which does not exist.
    if (file.contains(QChar::ReplacementCharacter)) {
        return QStringLiteral("the file name is not valid UTF-8 (the system's encoding), so it cannot be opened "
                              "by that name; rename the file or the folder it is in");
    }
    const QByteArray encoded = QFile::encodeName(fi.absoluteFilePath());
    if (encoded.size() >= PATH_MAX) {
        return QStringLiteral("the path is %1 bytes long, more than the system allows (%2); move the file to a "
                              "shorter path")
            .arg(encoded.size())
            .arg(PATH_MAX);
    }
    for (const auto& part : encoded.split('/')) {
        if (part.size() > NAME_MAX) {
            return QStringLiteral("a folder or file name in the path is %1 bytes long, more than the system allows "
                                  "(%2); rename it")
                .arg(part.size())
                .arg(NAME_MAX);
        }
    }
    if (fi.isSymLink()) {
        return QStringLiteral("this is a symbolic link to '%1', which does not exist (or the links form a loop); "
                              "fix the link or give the file itself")
            .arg(fi.symLinkTarget());
    }
    return QStringLiteral("the file does not exist; check the path");
}

} // namespace

bool readUserFile(const QString& file, qint64 maxBytes, QByteArray* content, QString* error)
{
    const QFileInfo fi(file);
    if (const QString e = unusablePath(file, fi); !e.isEmpty()) {
        *error = e;
        return false;
    }
    if (fi.isDir()) {
        *error = QStringLiteral("this is a folder; give a file");
        return false;
    }
    // Opening a FIFO blocks until someone writes to it, and a device such as /dev/zero never
    // ends: only regular files (symbolic links to them are fine).
    if (!fi.isFile()) {
        *error = QStringLiteral("this is not a regular file (a device, a pipe or a socket); give a file");
        return false;
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the file (%1); check its permissions").arg(f.errorString());
        return false;
    }
    if (f.size() > maxBytes) {
        *error = QStringLiteral("the file is %1 MiB, more than the %2 MiB such a file can sensibly be; check that "
                                "this is the right file")
                     .arg(double(f.size()) / (1 << 20), 0, 'f', 1)
                     .arg(maxBytes >> 20);
        return false;
    }
    if (f.size() == 0) {
        *error = QStringLiteral("the file is empty; check that the whole file was copied");
        return false;
    }
    // Never more than the limit, even if the file grows while it is read.
    *content = f.read(maxBytes);
    if (content->isEmpty()) {
        *error = QStringLiteral("cannot read the file (%1)").arg(f.errorString());
        return false;
    }
    return true;
}

QString displayPath(const QString& absolutePath)
{
    if (absolutePath.isEmpty() || !QDir::isAbsolutePath(absolutePath))
        return absolutePath;
    const QString rel = QDir::current().relativeFilePath(absolutePath);
    return rel.startsWith(QLatin1String("../")) ? absolutePath : rel;
}

bool compileToDtb(const QString& file, const LoadOptions& options, QByteArray* dtb, Diagnostics* errors)
{
    const QString abs = QFileInfo(file).absoluteFilePath();
    const IncludeDirs dirs = detectIncludeDirs(abs, options.includeDirs);
    const QStringList cppArgs = kernelCppArgs(dirs, abs);
    const QStringList dtcArgs = kernelDtcArgs(dirs, QStringLiteral("dtb"), { QStringLiteral("-q") });
    const QString cpp = toolPath(options.cpp, "CARVEOUT_CPP", "cpp");
    const QString dtc = toolPath(options.dtc, "CARVEOUT_DTC", "dtc");
    const PipelineRun run = runPipeline(cpp, cppArgs, dtc, dtcArgs, options.timeoutMs);
    if (!run.cpp.started || run.cpp.exitCode != 0) {
        *errors += cppDiagnostics(run.cpp.err, abs);
        if (errors->isEmpty())
            errors->append(toolError(file, QStringLiteral("the C preprocessor failed")));
        return false;
    }
    if (!run.dtc.started || run.dtc.exitCode != 0 || run.dtc.out.isEmpty()) {
        Diagnostics notes;
        dtcDiagnostics(run.dtc.err, dtc, errors, &notes);
        explainFilelessDtcErrors(errors, run.cpp.out, abs);
        if (errors->isEmpty())
            errors->append(
                toolError(file, QStringLiteral("dtc failed: %1").arg(QString::fromLocal8Bit(run.dtc.err).trimmed())));
        return false;
    }
    *dtb = run.dtc.out;
    return true;
}

QString dtcVersion(const LoadOptions& options)
{
    return dtcVersionCached(toolPath(options.dtc, "CARVEOUT_DTC", "dtc"));
}

namespace {

bool loadDts(const QString& file, const QByteArray& content, const LoadOptions& options, LoadResult& result)
{
    const QString abs = result.doc.absoluteFile;
    result.doc.includeDirs = detectIncludeDirs(abs, options.includeDirs);
    const IncludeDirs& dirs = result.doc.includeDirs;

    // Exactly the kernel's preprocessing (scripts/Makefile.dtbs: dtc_cpp_flags).
    const QStringList cppArgs = kernelCppArgs(dirs, abs);
    const QString cpp = toolPath(options.cpp, "CARVEOUT_CPP", "cpp");
    const QString dtc = toolPath(options.dtc, "CARVEOUT_DTC", "dtc");
    // dtc's own warnings (unit addresses, interrupt providers...) say nothing about reserved
    // memory and cost time to print and read; errors still come through.
    QStringList extra { QStringLiteral("-T"), QStringLiteral("-T") };
    if (!options.dtcWarnings)
        extra << QStringLiteral("-q");
    const QStringList dtcArgs = kernelDtcArgs(dirs, QStringLiteral("dts"), extra);

    const PipelineRun piped = runPipeline(cpp, cppArgs, dtc, dtcArgs, options.timeoutMs);
    const ToolRun& pre = piped.cpp;
    if (!pre.started) {
        result.errors.append(toolError(file,
            QStringLiteral("could not run the C preprocessor '%1'; install it (Debian package cpp, "
                           "or run scripts/install-deps.sh) or set CARVEOUT_CPP")
                .arg(cpp)));
        return false;
    }
    if (pre.timedOut) {
        result.errors.append(toolError(file,
            QStringLiteral("the C preprocessor did not finish within %1 s and was stopped (does an #include name "
                           "a pipe or a device?); command: %2")
                .arg(options.timeoutMs / 1000.0)
                .arg(shellQuote(QStringList { cpp } + cppArgs))));
        return false;
    }
    if (pre.exitCode != 0) {
        result.errors += cppDiagnostics(pre.err, abs);
        return false;
    }
    (void)content;

    QByteArray input = pre.out;
    const auto refs = findLabelPathRefs(input);
    if (!refs.empty()) {
        // dtc 1.6.1 predates &{label/path}. Resolve the labels with a first pass in which those
        // statements are blanked out (same length, so lines and columns stay put), then give dtc
        // the full paths. The tree is the same one a newer dtc would build.
        QByteArray blanked = input;
        for (const auto& r : refs) {
            if (r.deleteStart >= 0) {
                for (qsizetype i = r.deleteStart; i < r.deleteEnd; ++i) {
                    if (blanked[i] != '\n')
                        blanked[i] = ' ';
                }
            } else {
                QByteArray repl = "&{/}";
                repl.append(QByteArray(r.length - repl.size(), ' '));
                blanked.replace(r.start, r.length, repl);
            }
        }
        const ToolRun first = runTool(dtc, dtcArgs, blanked, options.timeoutMs);
        DeviceTree probe;
        QString parseError;
        if (!first.started || first.timedOut || first.exitCode != 0
            || !parseAnnotatedDts(first.out, probe, &parseError)) {
            // Fall through: the real run below reports dtc's own error with our explanation.
        } else {
            QByteArray rewritten;
            qsizetype last = 0;
            for (const auto& r : refs) {
                const int labelNode = probe.findLabel(r.label);
                if (labelNode < 0)
                    continue; // leave it: dtc's error will name it
                rewritten.append(input.mid(last, r.start - last));
                QByteArray p = probe.path(labelNode).toUtf8();
                if (p == "/")
                    p.clear();
                rewritten.append("&{" + (p.isEmpty() && r.rest.isEmpty() ? QByteArray("/") : p) + r.rest + "}");
                last = r.start + r.length;
            }
            rewritten.append(input.mid(last));
            input = rewritten;
            Diagnostic note;
            note.severity = Severity::Info;
            note.code = QStringLiteral("dtc-compat");
            note.file = displayPath(abs);
            note.message = QStringLiteral("%1 label-relative path reference(s) (&{label/path}, newer dtc syntax) "
                                          "were rewritten as full paths for dtc %2; columns on those lines may be "
                                          "off by the length difference")
                               .arg(refs.size())
                               .arg(dtcVersionCached(dtc));
            result.doc.notes.append(note);
        }
    }

    // The streamed run already compiled cpp's output as it was; only a rewrite needs another.
    const ToolRun run = input == pre.out ? piped.dtc : runTool(dtc, dtcArgs, input, options.timeoutMs);
    if (!run.started) {
        result.errors.append(toolError(file,
            QStringLiteral("could not run the device tree compiler '%1'; install it (Debian package "
                           "device-tree-compiler, or run scripts/install-deps.sh) or set CARVEOUT_DTC")
                .arg(dtc)));
        return false;
    }
    if (run.timedOut) {
        result.errors.append(toolError(file,
            QStringLiteral("dtc did not finish within %1 s (on %2 lines of input) and was stopped; dtc slows down "
                           "sharply on generated trees with tens of thousands of nodes: open a .dtb of the tree, "
                           "or allow more time (carveout-cli --timeout SECONDS)")
                .arg(options.timeoutMs / 1000.0)
                .arg(input.count('\n'))));
        return false;
    }
    dtcDiagnostics(run.err, dtc, &result.errors, &result.doc.notes);
    explainFilelessDtcErrors(&result.errors, input, abs);
    if (run.exitCode != 0) {
        if (result.errors.isEmpty())
            result.errors.append(toolError(file,
                QStringLiteral("dtc failed (exit %1): %2")
                    .arg(run.exitCode)
                    .arg(QString::fromLocal8Bit(run.err).trimmed())));
        return false;
    }
    result.errors.clear(); // dtc succeeded: anything it called an error was recoverable
    QString parseError;
    if (!parseAnnotatedDts(run.out, result.doc.tree, &parseError)) {
        result.errors.append(toolError(file,
            QStringLiteral("could not read dtc's output (%1); this is a Carveout bug, please report it with the board")
                .arg(parseError)));
        return false;
    }
    result.doc.sourceFiles = lineMarkerFiles(input);
    for (const auto& f : result.doc.sourceFiles) {
        QFile in(f);
        if (in.open(QIODevice::ReadOnly))
            result.doc.sourceDigests.insert(f, QCryptographicHash::hash(in.readAll(), QCryptographicHash::Sha256));
    }
    // dtc keeps /memreserve/ in source order; attach the positions cpp's markers give.
    const auto spans = memreservePositions(input, result.doc.tree);
    auto& entries = result.doc.tree.mutableMemReserve();
    for (size_t i = 0; i < entries.size() && i < spans.size(); ++i)
        entries[i].span = spans[i];
    return true;
}

} // namespace

LoadResult loadBoard(const QString& file, const LoadOptions& options)
{
    LoadResult result;
    result.doc.file = file;
    const QFileInfo fi(file);
    result.doc.absoluteFile = fi.absoluteFilePath();
    // Device trees are small (the largest board of Linux compiles to ~200 KiB; a generated tree
    // with 100,000 regions to 8 MiB); anything huge is not one and would only waste memory.
    QByteArray content;
    QString readError;
    if (!readUserFile(file, 64ll << 20, &content, &readError)) {
        result.errors.append(toolError(file, readError));
        return result;
    }
    const bool magic = content.size() >= 4
        && uint32_t(
               (uchar(content[0]) << 24) | (uchar(content[1]) << 16) | (uchar(content[2]) << 8) | uchar(content[3]))
            == kFdtMagic;
    const QString suffix = fi.suffix().toLower();
    if (magic || suffix == QLatin1String("dtb") || suffix == QLatin1String("dtbo")) {
        result.doc.fromDtb = true;
        // No includes to find, but the tree it sits in still says which arch it is for.
        result.doc.includeDirs = detectIncludeDirs(result.doc.absoluteFile);
        QString error;
        if (!readDtb(content, result.doc.tree, &error)) {
            result.errors.append(toolError(file, QStringLiteral("cannot read the device tree blob: %1").arg(error)));
            return result;
        }
        result.ok = true;
        return result;
    }
    if (content.left(1 << 16).contains('\0')) {
        result.errors.append(toolError(file,
            QStringLiteral("this is not a text file (it contains NUL bytes) and not a device tree blob either; "
                           "give a .dts source or a .dtb")));
        return result;
    }
    result.ok = loadDts(file, content, options, result);
    return result;
}

} // namespace carveout
