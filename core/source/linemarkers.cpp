// SPDX-License-Identifier: GPL-2.0-only
#include "source/linemarkers.h"

// Qt
#include <QSet>

namespace carveout {

QStringList lineMarkerFiles(const QByteArray& pp)
{
    QStringList files;
    QSet<QByteArrayView> seen; // views into pp; a marker names its file again at every return
    scanLineMarkers(pp, [&](QByteArrayView name) {
        if (!name.startsWith('<') && !seen.contains(name)) {
            seen.insert(name);
            files << QString::fromUtf8(name);
        }
    });
    return files;
}

std::vector<SourceSpan> memreservePositions(const QByteArray& pp, DeviceTree& tree)
{
    std::vector<SourceSpan> out;
    if (findBytes(pp, "/memreserve/") < 0)
        return out;
    int file = -1;
    scanPreprocessed(
        pp, [&](QByteArrayView name) { file = tree.internFile(QString::fromUtf8(name)); },
        [&](int line, QByteArrayView l) {
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
            return true;
        });
    return out;
}

bool locateInPreprocessed(
    const QByteArray& pp, const QByteArrayView& needle, const QByteArrayView& also, QString* file, int* line)
{
    QByteArrayView current;
    bool found = false;
    scanPreprocessed(
        pp, [&](QByteArrayView name) { current = name; },
        [&](int n, QByteArrayView l) {
            if (!l.contains(needle) || !l.contains(also))
                return true;
            *file = QString::fromUtf8(current);
            *line = n;
            found = true;
            return false;
        });
    return found;
}

namespace {

/** A name as cpp writes it between the quotes of a marker (backslash and quote escaped). */
QByteArray escapedName(const QString& name)
{
    QByteArray out;
    for (const char c : name.toUtf8()) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

MarkerRewriter::MarkerRewriter(const QString& absBoard, const QString& absDir)
    : m_board(escapedName(absBoard))
    , m_dir(escapedName(absDir + QLatin1Char('/')))
    , m_boardName(absBoard)
    , m_dirName(absDir + QLatin1Char('/'))
{
}

QString MarkerRewriter::fileName(const QString& name) const
{
    if (name == QLatin1String("<stdin>"))
        return m_boardName;
    if (name.isEmpty() || name.startsWith(QLatin1Char('/')) || name.startsWith(QLatin1Char('<')))
        return name;
    return m_dirName + name;
}

void MarkerRewriter::rewriteLine(QByteArrayView l, QByteArray& out) const
{
    // Only markers can start with "# <digit>": cpp consumed every such line of the sources.
    const qsizetype q1 = l.startsWith("# ") && l.size() > 2 && l.at(2) >= '0' && l.at(2) <= '9' ? l.indexOf('"') : -1;
    if (q1 < 0 || q1 + 1 >= l.size()) {
        out += l;
        return;
    }
    const QByteArrayView rest = l.sliced(q1 + 1);
    if (rest.startsWith("<stdin>\"")) {
        out += l.first(q1 + 1);
        out += m_board;
        out += rest.sliced(7);
    } else if (rest.startsWith('/') || rest.startsWith('<')) {
        out += l;
    } else {
        out += l.first(q1 + 1);
        out += m_dir;
        out += rest;
    }
}

void MarkerRewriter::rewriteLines(QByteArrayView text, QByteArray& out) const
{
    // Markers are a few lines in thousands: copy the text between them in one piece.
    qsizetype pos = 0; // always at the start of a line
    while (pos < text.size()) {
        qsizetype marker = pos;
        if (!text.sliced(pos).startsWith("# ") && (marker = findBytes(text, "\n# ", pos)) >= 0)
            ++marker; // past the newline
        if (marker < 0) {
            out.append(text.data() + pos, text.size() - pos);
            return;
        }
        out.append(text.data() + pos, marker - pos);
        const qsizetype eol = text.indexOf('\n', marker);
        rewriteLine(text.sliced(marker, eol - marker), out);
        out += '\n';
        pos = eol + 1;
    }
}

void MarkerRewriter::feed(QByteArrayView chunk, QByteArray& out)
{
    if (!m_pending.isEmpty()) {
        // The line the previous chunk began.
        const qsizetype eol = chunk.indexOf('\n');
        if (eol < 0) {
            m_pending += chunk;
            return;
        }
        m_pending += chunk.first(eol + 1);
        rewriteLines(m_pending, out);
        m_pending.clear();
        chunk = chunk.sliced(eol + 1);
    }
    const qsizetype last = chunk.lastIndexOf('\n');
    rewriteLines(chunk.first(last + 1), out);
    m_pending = chunk.sliced(last + 1).toByteArray();
}

void MarkerRewriter::finish(QByteArray& out)
{
    if (!m_pending.isEmpty())
        rewriteLine(QByteArrayView(m_pending), out);
    m_pending.clear();
}

} // namespace carveout
