// SPDX-License-Identifier: GPL-2.0-only
#include "source/tooldiagnostics.h"

// core
#include "model/sourcelocation.h"
#include "source/linemarkers.h"
#include "source/toolrun.h"

// Qt
#include <QFile>
#include <QRegularExpression>

namespace carveout {

namespace {

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

} // namespace

Diagnostic toolError(const QString& file, const QString& message)
{
    Diagnostic d;
    d.code = QStringLiteral("io");
    d.file = file;
    d.message = message;
    return d;
}

Diagnostics cppDiagnostics(const QByteArray& err, const QString& board, const MarkerRewriter* names)
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
        d.file = displayPath(names ? names->fileName(m.captured(1)) : m.captured(1));
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
                           .arg(cachedDtcVersion(dtc));
            } else if (text == QLatin1String("syntax error")) {
                if (labelPath.match(src).hasMatch()) {
                    text = QStringLiteral("syntax error: '%1' uses a label-relative path reference (&{label/path}), "
                                          "which dtc %2 cannot parse; it needs the newer dtc that the kernel bundles "
                                          "(1.7 series). Write the reference as &{/full/path} or install a newer dtc")
                               .arg(src, cachedDtcVersion(dtc));
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

} // namespace carveout
