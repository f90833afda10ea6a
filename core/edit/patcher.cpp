// SPDX-License-Identifier: GPL-2.0-only
#include "patcher.h"

// core
#include "model/devicetree.h"
#include "model/sourcelocation.h"
#include "model/units.h"
#include "source/loader.h"

// Qt
#include <QDir>
#include <QFile>
#include <QRegularExpression>

// std
#include <algorithm>
#include <map>
#include <set>

namespace carveout {

namespace {

/** One original source file with line offsets (dtc counts columns in bytes, from 1). */
struct Source
{
    QByteArray text;
    std::vector<qsizetype> lineStarts;

    explicit Source(const QByteArray& t = {})
        : text(t)
    {
        lineStarts.push_back(0);
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text[i] == '\n')
                lineStarts.push_back(i + 1);
        }
    }
    qsizetype offset(int line, int column) const
    {
        if (line < 1 || size_t(line) > lineStarts.size())
            return -1;
        const qsizetype o = lineStarts[size_t(line - 1)] + std::max(0, column - 1);
        return o <= text.size() ? o : -1;
    }
    qsizetype lineStart(qsizetype off) const
    {
        while (off > 0 && text[off - 1] != '\n')
            --off;
        return off;
    }
    qsizetype lineEnd(qsizetype off) const // after the '\n'
    {
        while (off < text.size() && text[off] != '\n')
            ++off;
        return off < text.size() ? off + 1 : off;
    }
    QByteArray indentOf(qsizetype off) const
    {
        const qsizetype s = lineStart(off);
        qsizetype e = s;
        while (e < text.size() && (text[e] == ' ' || text[e] == '\t'))
            ++e;
        return text.mid(s, e - s);
    }
};

/** Skips a comment or string at `i`; returns the index after it, or `i` when there is none. */
qsizetype skipOpaque(const QByteArray& t, qsizetype i)
{
    if (t.mid(i, 2) == "/*") {
        const qsizetype e = t.indexOf("*/", i + 2);
        return e < 0 ? t.size() : e + 2;
    }
    if (t.mid(i, 2) == "//") {
        const qsizetype e = t.indexOf('\n', i);
        return e < 0 ? t.size() : e;
    }
    if (t[i] == '"' || t[i] == '\'') {
        const char q = t[i];
        qsizetype j = i + 1;
        while (j < t.size() && t[j] != q) {
            if (t[j] == '\\')
                ++j;
            ++j;
        }
        return std::min(t.size(), j + 1);
    }
    return i;
}

/** The end (after ';') of the statement starting at `start`, or -1. */
qsizetype statementEnd(const QByteArray& t, qsizetype start)
{
    int paren = 0, cells = 0, bracket = 0, brace = 0;
    for (qsizetype i = start; i < t.size();) {
        const qsizetype k = skipOpaque(t, i);
        if (k != i) {
            i = k;
            continue;
        }
        const char c = t[i];
        if (c == '(')
            ++paren;
        else if (c == ')')
            --paren;
        else if (c == '<' && paren == 0 && cells == 0)
            ++cells;
        else if (c == '>' && paren == 0 && cells > 0)
            --cells;
        else if (c == '[')
            ++bracket;
        else if (c == ']')
            --bracket;
        else if (c == '{')
            ++brace;
        else if (c == '}')
            --brace;
        else if (c == ';' && paren == 0 && cells == 0 && bracket == 0 && brace == 0)
            return i + 1;
        ++i;
    }
    return -1;
}

/** The matching '}' of the '{' at `open`, or -1. */
qsizetype matchBrace(const QByteArray& t, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < t.size();) {
        const qsizetype k = skipOpaque(t, i);
        if (k != i) {
            i = k;
            continue;
        }
        if (t[i] == '{')
            ++depth;
        else if (t[i] == '}' && --depth == 0)
            return i;
        ++i;
    }
    return -1;
}

struct Token
{
    qsizetype start = 0;
    qsizetype end = 0;
};

/** Cell tokens inside every <...> of a statement's value (labels skipped); false when the
 *  value holds anything but cell lists. */
bool cellTokens(const QByteArray& stmt, std::vector<Token>* tokens, bool* onlyCells)
{
    const qsizetype eq = stmt.indexOf('=');
    *onlyCells = true;
    if (eq < 0)
        return false;
    qsizetype i = eq + 1;
    bool inCells = false;
    int paren = 0;
    qsizetype tokStart = -1;
    auto flush = [&](qsizetype at) {
        if (tokStart >= 0) {
            const QByteArray tok = stmt.mid(tokStart, at - tokStart);
            if (!tok.endsWith(':')) // an in-value label
                tokens->push_back({ tokStart, at });
            tokStart = -1;
        }
    };
    for (; i < stmt.size(); ++i) {
        const qsizetype k = skipOpaque(stmt, i);
        if (k != i) {
            if (!inCells && (stmt[i] == '"' || stmt[i] == '\''))
                *onlyCells = false;
            i = k - 1;
            continue;
        }
        const char c = stmt[i];
        if (!inCells) {
            if (c == '<')
                inCells = true;
            else if (c == '[' || c == '"' || c == '&')
                *onlyCells = false;
            continue;
        }
        if (c == '(') {
            if (tokStart < 0)
                tokStart = i;
            ++paren;
        } else if (c == ')') {
            --paren;
        } else if (paren == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '>')) {
            flush(i);
            if (c == '>')
                inCells = false;
        } else if (tokStart < 0) {
            tokStart = i;
        }
    }
    return true;
}

bool isPlainLiteral(const QByteArray& tok)
{
    static const QRegularExpression re(QStringLiteral("^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$"));
    return re.match(QString::fromLatin1(tok)).hasMatch();
}

/** `v` written like `like` (hex or decimal, case and zero padding kept). */
QByteArray literalLike(const QByteArray& like, uint32_t v)
{
    if (like.startsWith("0x") || like.startsWith("0X")) {
        QByteArray digits = QByteArray::number(v, 16);
        qsizetype width = 0;
        while (2 + width < like.size() && std::isxdigit(uchar(like[2 + width])))
            ++width;
        if (width > digits.size() && like[2] == '0')
            digits = QByteArray(width - digits.size(), '0') + digits;
        bool upper = false;
        for (qsizetype k = 2; k < 2 + width; ++k)
            upper |= like[k] >= 'A' && like[k] <= 'F';
        return like.left(2) + (upper ? digits.toUpper() : digits);
    }
    if (isPlainLiteral(like))
        return QByteArray::number(v);
    return "0x" + QByteArray::number(v, 16);
}

QByteArray hexCell(uint32_t v)
{
    return "0x" + QByteArray::number(v, 16);
}

} // namespace

namespace {

class Patcher
{
public:
    explicit Patcher(const EditDocument& doc)
        : D(doc)
        , O(doc.original().tree)
        , W(doc.tree())
    {
        m_board = QDir::cleanPath(doc.original().absoluteFile);
    }

    SourcePatch run();

private:
    Source& source(const QString& file);
    bool writable(const QString& file) const;
    QString refOf(const DeviceTree& t, int node) const;
    QByteArray render(int node, const DtProperty& p) const;
    QByteArray renderValue(int node, const DtProperty& p) const;
    QByteArray renderNode(int node, const QByteArray& indent, const QByteArray& unit) const;
    QByteArray indentUnit(const QString& file) const;
    /** Inserts `text` (complete lines) at the end of the properties of the block whose '{' the
     *  span points at; false when the block cannot be found. */
    bool insertIntoBlock(const QString& file, const SourceSpan& span, const QByteArray& statements, bool afterChildren);
    void addOverride(int node, const QByteArray& statementLines);
    bool patchProperty(int node, const DtProperty& before, const DtProperty& after);
    void edit(const QString& file, qsizetype start, qsizetype end, const QByteArray& text);
    int boardBlockOf(int node) const; ///< index in spans of a block in the board file, or -1
    void fail(const QString& e)
    {
        if (m_out.error.isEmpty())
            m_out.error = e;
    }

    const EditDocument& D;
    const DeviceTree& O;
    const DeviceTree& W;
    QString m_board;
    std::map<QString, Source> m_sources;
    struct Edit
    {
        qsizetype start, end;
        QByteArray text;
        int seq;
    };
    std::map<QString, std::vector<Edit>> m_edits;
    std::map<int, QByteArray> m_overrides; // node -> statements for a new block at the end of the board file
    std::vector<int> m_overrideOrder;
    QByteArray m_tail; // /delete-node/ lines at the end of the board file
    int m_seq = 0;
    SourcePatch m_out;
};

Source& Patcher::source(const QString& file)
{
    auto it = m_sources.find(file);
    if (it == m_sources.end()) {
        QFile f(file);
        QByteArray text;
        if (f.open(QIODevice::ReadOnly))
            text = f.readAll();
        // The source map (lines and columns) is the one of the text loaded: patching a file that
        // changed since would rewrite the wrong statements.
        const auto digest = D.original().sourceDigests.constFind(file);
        if (digest != D.original().sourceDigests.constEnd() && sourceDigest(text) != *digest)
            fail(QStringLiteral("%1 changed on disk since the board was loaded; nothing can be written. Reload the "
                                "board and apply the edits again")
                     .arg(displayPath(file)));
        it = m_sources.emplace(file, Source(text)).first;
        m_out.original[file] = text;
    }
    return it->second;
}

bool Patcher::writable(const QString& file) const
{
    return D.writable(file);
}

QString Patcher::refOf(const DeviceTree& t, int node) const
{
    const DtNode& n = t.node(node);
    if (!n.labels.isEmpty())
        return QStringLiteral("&") + QString::fromUtf8(n.labels.front());
    return QStringLiteral("&{") + t.path(node) + QLatin1Char('}');
}

QByteArray Patcher::indentUnit(const QString& file) const
{
    auto it = m_sources.find(file);
    if (it != m_sources.end() && it->second.text.contains("\n    ") && !it->second.text.contains("\n\t"))
        return "    ";
    return "\t";
}

QByteArray Patcher::renderValue(int node, const DtProperty& p) const
{
    (void)node;
    if (p.value.isEmpty())
        return {};
    if (p.name == "memory-region") {
        QByteArrayList parts;
        for (int k = 0; k < cells::count(p.value); ++k) {
            const int target = W.findPhandle(cells::at(p.value, k));
            parts << "<" + (target >= 0 ? refOf(W, target).toUtf8() : hexCell(cells::at(p.value, k))) + ">";
        }
        return parts.join(", ");
    }
    const bool cellsKind = p.name == "reg" || p.name == "size" || p.name == "alignment" || p.name == "alloc-ranges"
        || p.name.startsWith('#') || p.value.size() % 4 == 0;
    // Strings: printable text ending in NUL.
    bool text = p.value.endsWith('\0');
    for (char c : p.value.chopped(text ? 1 : 0))
        text &= c == '\0' || (uchar(c) >= 0x20 && uchar(c) < 0x7f);
    if (text && !(p.name == "reg" || p.name == "size" || p.name == "alignment" || p.name == "alloc-ranges")) {
        QByteArrayList parts;
        for (const auto& s : cells::strings(p.value))
            parts << "\"" + s.toUtf8() + "\"";
        return parts.join(", ");
    }
    if (cellsKind) {
        // reg and alloc-ranges: one <...> per tuple, as people write them.
        int ac = 1, sc = 1;
        if (const auto* a = W.root().property("#address-cells"); a && a->value.size() == 4)
            ac = int(cells::at(a->value, 0));
        if (const auto* s = W.root().property("#size-cells"); s && s->value.size() == 4)
            sc = int(cells::at(s->value, 0));
        const int per = (p.name == "reg" || p.name == "alloc-ranges") ? ac + sc : cells::count(p.value);
        QByteArrayList groups;
        for (int k = 0; k < cells::count(p.value); k += std::max(1, per)) {
            QByteArrayList cs;
            for (int j = k; j < std::min(cells::count(p.value), k + std::max(1, per)); ++j)
                cs << hexCell(cells::at(p.value, j));
            groups << "<" + cs.join(' ') + ">";
        }
        return groups.join(", ");
    }
    QByteArrayList bytes;
    for (char c : p.value)
        bytes << QByteArray::number(uchar(c), 16).rightJustified(2, '0');
    return "[" + bytes.join(' ') + "]";
}

QByteArray Patcher::render(int node, const DtProperty& p) const
{
    const QByteArray v = renderValue(node, p);
    if (v.isEmpty() && p.value.isEmpty())
        return p.name + ";";
    return p.name + " = " + v + ";";
}

QByteArray Patcher::renderNode(int node, const QByteArray& indent, const QByteArray& unit) const
{
    const DtNode& n = W.node(node);
    QByteArray out = indent + n.name + " {\n";
    for (const auto& p : n.properties) {
        if (p.name == "phandle")
            continue; // dtc adds it when something references the node
        out += indent + unit + render(node, p) + "\n";
    }
    for (int c : n.children) {
        if (!W.node(c).deleted)
            out += renderNode(c, indent + unit, unit);
    }
    out += indent + "};\n";
    return out;
}

void Patcher::edit(const QString& file, qsizetype start, qsizetype end, const QByteArray& text)
{
    m_edits[file].push_back({ start, end, text, m_seq++ });
}

int Patcher::boardBlockOf(int node) const
{
    const auto& spans = O.node(node).spans;
    for (int k = int(spans.size()) - 1; k >= 0; --k) {
        if (QDir::cleanPath(O.fileName(spans[size_t(k)])) == m_board)
            return k;
    }
    return -1;
}

bool Patcher::insertIntoBlock(
    const QString& file, const SourceSpan& span, const QByteArray& statements, bool afterChildren)
{
    Source& s = source(file);
    qsizetype open = s.offset(span.line, span.column);
    if (open < 0)
        return false;
    if (open >= s.text.size() || s.text.at(open) != '{') {
        const qsizetype e = s.lineEnd(open);
        open = s.text.indexOf('{', open);
        if (open < 0 || open >= e)
            return false;
    }
    const qsizetype close = matchBrace(s.text, open);
    if (close < 0)
        return false;
    // Properties must come before child nodes: insert after the last property statement.
    qsizetype at = s.lineEnd(open);
    if (afterChildren) {
        at = s.lineStart(close);
    } else {
        qsizetype i = open + 1;
        while (i < close) {
            const qsizetype k = skipOpaque(s.text, i);
            if (k != i) {
                i = k;
                continue;
            }
            if (QByteArray(" \t\n\r").contains(s.text[i])) {
                ++i;
                continue;
            }
            const qsizetype end = statementEnd(s.text, i);
            if (end < 0 || end > close + 1)
                break;
            const qsizetype brace = s.text.indexOf('{', i);
            if (brace >= 0 && brace < end)
                break; // a child node: properties end here
            at = s.lineEnd(end - 1);
            i = end;
        }
    }
    edit(file, at, at, statements);
    return true;
}

void Patcher::addOverride(int node, const QByteArray& statementLines)
{
    if (!m_overrides.count(node))
        m_overrideOrder.push_back(node);
    m_overrides[node] += statementLines;
}

bool Patcher::patchProperty(int node, const DtProperty& before, const DtProperty& after)
{
    const QString file = O.fileName(before.span);
    Source& s = source(file);
    qsizetype start = s.offset(before.span.line, before.span.column);
    if (start < 0 || !s.text.mid(start).startsWith(before.name)) {
        // Columns after a macro on the same line are those of the expanded text: look again.
        const qsizetype ls = s.offset(before.span.line, 1);
        const qsizetype le = ls >= 0 ? s.lineEnd(ls) : -1;
        start = ls >= 0 ? s.text.indexOf(before.name, ls) : -1;
        if (start < 0 || start >= le) {
            fail(QStringLiteral("could not find '%1' at %2:%3")
                     .arg(QString::fromUtf8(before.name), displayPath(file))
                     .arg(before.span.line));
            return false;
        }
    }
    const qsizetype end = statementEnd(s.text, start);
    if (end < 0) {
        fail(QStringLiteral("could not find the end of '%1' at %2:%3")
                 .arg(QString::fromUtf8(before.name), displayPath(file))
                 .arg(before.span.line));
        return false;
    }
    const QByteArray stmt = s.text.mid(start, end - start);
    // Keep the statement's own spelling where we can: replace only the cells that changed.
    std::vector<Token> tokens;
    bool onlyCells = false;
    const bool cellsOk = cellTokens(stmt, &tokens, &onlyCells) && onlyCells && after.name != "memory-region"
        && before.value.size() % 4 == 0 && after.value.size() == before.value.size()
        && int(tokens.size()) == cells::count(before.value);
    if (cellsOk) {
        QByteArray out = stmt;
        for (int k = int(tokens.size()) - 1; k >= 0; --k) {
            const uint32_t was = cells::at(before.value, k), now = cells::at(after.value, k);
            if (was == now)
                continue;
            const QByteArray tok = stmt.mid(tokens[size_t(k)].start, tokens[size_t(k)].end - tokens[size_t(k)].start);
            if (!isPlainLiteral(tok))
                m_out.notes << QStringLiteral("%1:%2: '%3' in %4 replaced by %5 (it is a macro or expression)")
                                   .arg(displayPath(file))
                                   .arg(before.span.line)
                                   .arg(QString::fromUtf8(tok), QString::fromUtf8(before.name), toHex(now));
            out.replace(
                tokens[size_t(k)].start, tokens[size_t(k)].end - tokens[size_t(k)].start, literalLike(tok, now));
        }
        edit(file, start, end, out);
        return true;
    }
    // Rewrite the value; say so when macros in it are lost.
    const QByteArray value = stmt.mid(stmt.indexOf('=') + 1);
    for (const auto& t : tokens) {
        const QByteArray tok = stmt.mid(t.start, t.end - t.start);
        if (!isPlainLiteral(tok) && !tok.startsWith('&')) {
            m_out.notes << QStringLiteral("%1:%2: %3 is written out in full; its macros are replaced by values")
                               .arg(displayPath(file))
                               .arg(before.span.line)
                               .arg(QString::fromUtf8(before.name));
            break;
        }
    }
    (void)value;
    edit(file, start, end, render(node, after));
    return true;
}

SourcePatch Patcher::run()
{
    source(m_board);
    const QByteArray unit = indentUnit(m_board);
    const int originalCount = O.nodeCount();

    // Deleted nodes (the top-most of each deleted subtree).
    for (int i = 1; i < originalCount; ++i) {
        const DtNode& n = W.node(i);
        if (!n.deleted || W.node(n.parent).deleted)
            continue;
        const auto& spans = O.node(i).spans;
        if (spans.empty()) {
            fail(QStringLiteral("%1 has no source position to delete").arg(O.path(i)));
            continue;
        }
        const QString defFile = O.fileName(spans.front());
        if (writable(defFile)) {
            for (size_t k = 0; k < spans.size(); ++k) {
                const QString f = O.fileName(spans[k]);
                if (!writable(f)) {
                    fail(QStringLiteral(
                        "%1 is also changed in %2, which is not written; delete it there or patch shared files")
                             .arg(O.path(i), displayPath(f)));
                    break;
                }
                Source& s = source(f);
                qsizetype open = s.offset(spans[k].line, spans[k].column);
                if (open >= 0 && open < s.text.size() && s.text.at(open) != '{')
                    open = s.text.indexOf('{', open);
                const qsizetype close = open >= 0 ? matchBrace(s.text, open) : -1;
                if (close < 0) {
                    fail(QStringLiteral("could not find the block of %1 at %2:%3")
                             .arg(O.path(i), displayPath(f))
                             .arg(spans[k].line));
                    break;
                }
                const qsizetype semi = s.text.indexOf(';', close);
                const qsizetype from = s.lineStart(open);
                const qsizetype to = semi >= 0 ? s.lineEnd(semi) : s.lineEnd(close);
                // The comment lines right above the node describe it: they go too, and so does a
                // blank line before, so no double blank line remains.
                qsizetype f0 = from;
                while (f0 > 0) {
                    const qsizetype prev = s.lineStart(f0 - 1);
                    const QByteArray l = s.text.mid(prev, f0 - prev).trimmed();
                    if (!(l.startsWith("/*") || l.startsWith("*") || l.startsWith("//")) || l.isEmpty())
                        break;
                    f0 = prev;
                }
                if (f0 >= 2 && s.text[f0 - 1] == '\n' && s.text[f0 - 2] == '\n' && to < s.text.size()
                    && s.text[to] == '\n')
                    --f0;
                edit(f, f0, to, {});
            }
        } else {
            m_tail += "/delete-node/ " + refOf(O, i).toUtf8() + ";\n";
            m_out.notes << QStringLiteral("%1 is defined in %2, which is shared: deleted with /delete-node/ in %3")
                               .arg(O.path(i), displayPath(defFile), displayPath(m_board));
        }
    }

    for (int i = 0; i < originalCount; ++i) {
        const DtNode& on = O.node(i);
        const DtNode& wn = W.node(i);
        if (wn.deleted)
            continue;
        // dtc -@ writes /__symbols__ from the labels (a base under overlays): never a source.
        if (on.parent == 0 && on.name == "__symbols__")
            continue;
        // Renamed node: the name is written where the node is defined.
        if (on.name != wn.name && !on.spans.empty()) {
            const QString f = O.fileName(on.spans.front());
            Source& s = source(f);
            const qsizetype open = s.offset(on.spans.front().line, on.spans.front().column);
            const qsizetype ls = open >= 0 ? s.lineStart(open) : -1;
            const qsizetype at = ls >= 0 ? s.text.indexOf(on.name, ls) : -1;
            if (writable(f) && at >= 0 && at < open) {
                edit(f, at, at + on.name.size(), wn.name);
            } else {
                m_out.notes << QStringLiteral(
                    "%1 keeps its name: it is defined in %2, which is not written (use the option "
                    "to patch shared files to rename it)")
                                   .arg(O.path(i), displayPath(f));
            }
        }
        // Properties.
        for (const auto& wp : wn.properties) {
            if (wp.name == "phandle" || wp.name == "linux,phandle")
                continue;
            const DtProperty* op = on.property(wp.name.constData());
            if (op && op->value == wp.value)
                continue;
            if (op && op->span.isValid() && writable(O.fileName(op->span))) {
                patchProperty(i, *op, wp);
                continue;
            }
            const QByteArray line = render(i, wp);
            // Added, or defined where we may not write: into the node's block in the board file,
            // or a new override block there.
            const int blk = boardBlockOf(i);
            if (blk >= 0) {
                const SourceSpan& sp = on.spans[size_t(blk)];
                Source& s = source(m_board);
                const qsizetype open = s.offset(sp.line, sp.column);
                const QByteArray indent = (open >= 0 ? s.indentOf(open) : QByteArray()) + unit;
                if (!insertIntoBlock(m_board, sp, indent + line + "\n", false))
                    addOverride(i, unit + line + "\n");
            } else if (!on.spans.empty() && writable(O.fileName(on.spans.front()))) {
                const SourceSpan& sp = on.spans.front();
                Source& s = source(O.fileName(sp));
                const qsizetype open = s.offset(sp.line, sp.column);
                const QByteArray indent = (open >= 0 ? s.indentOf(open) : QByteArray()) + indentUnit(O.fileName(sp));
                if (!insertIntoBlock(O.fileName(sp), sp, indent + line + "\n", false))
                    addOverride(i, unit + line + "\n");
            } else {
                addOverride(i, unit + line + "\n");
            }
            if (op)
                m_out.notes << QStringLiteral(
                    "%1: %2 is defined in %3, which is shared: the new value is written as an override in %4")
                                   .arg(O.path(i), QString::fromUtf8(wp.name), displayFile(O, op->span),
                                       displayPath(m_board));
        }
        for (const auto& op : on.properties) {
            if (op.name == "phandle" || op.name == "linux,phandle" || wn.property(op.name.constData()))
                continue;
            const QString f = O.fileName(op.span);
            if (op.span.isValid() && writable(f)) {
                Source& s = source(f);
                qsizetype start = s.offset(op.span.line, op.span.column);
                const qsizetype end = start >= 0 ? statementEnd(s.text, start) : -1;
                if (end < 0) {
                    fail(QStringLiteral("could not find '%1' at %2:%3")
                             .arg(QString::fromUtf8(op.name), displayPath(f))
                             .arg(op.span.line));
                    continue;
                }
                // Remove the whole line when the statement is alone on it.
                const qsizetype ls = s.lineStart(start), le = s.lineEnd(end - 1);
                const QByteArray before = s.text.mid(ls, start - ls).trimmed();
                const QByteArray after = s.text.mid(end, le - end).trimmed();
                if (before.isEmpty() && (after.isEmpty() || after.startsWith("/*") || after.startsWith("//")))
                    edit(f, ls, le, {});
                else
                    edit(f, start, end, {});
            } else {
                addOverride(i, unit + "/delete-property/ " + op.name + ";\n");
            }
        }
    }

    // Added nodes: into the parent's block in the board file, else an override block.
    for (int i = originalCount; i < W.nodeCount(); ++i) {
        const DtNode& n = W.node(i);
        if (n.deleted || (n.parent >= originalCount))
            continue; // children of new nodes are written with them
        const int parent = n.parent;
        const int blk = boardBlockOf(parent);
        bool done = false;
        auto tryBlock = [&](const QString& file, const SourceSpan& sp) {
            Source& s = source(file);
            const qsizetype open = s.offset(sp.line, sp.column);
            const QByteArray indent = (open >= 0 ? s.indentOf(open) : QByteArray()) + indentUnit(file);
            return insertIntoBlock(file, sp, "\n" + renderNode(i, indent, indentUnit(file)), true);
        };
        if (blk >= 0)
            done = tryBlock(m_board, O.node(parent).spans[size_t(blk)]);
        if (!done && !O.node(parent).spans.empty() && writable(O.fileName(O.node(parent).spans.front())))
            done = tryBlock(O.fileName(O.node(parent).spans.front()), O.node(parent).spans.front());
        if (!done) {
            addOverride(parent, "\n" + renderNode(i, unit, unit));
            m_out.notes << QStringLiteral("%1 is added in an override of %2 in %3")
                               .arg(W.path(i), O.path(parent), displayPath(m_board));
        }
    }

    // New override blocks and /delete-node/ lines at the end of the board file.
    QByteArray tail;
    for (int node : m_overrideOrder) {
        QByteArray body = m_overrides[node];
        if (body.startsWith('\n'))
            body.remove(0, 1);
        tail += "\n" + refOf(O, node).toUtf8() + " {\n" + body + "};\n";
    }
    if (!m_tail.isEmpty())
        tail += "\n" + m_tail;
    if (!tail.isEmpty()) {
        Source& s = source(m_board);
        const QByteArray prefix = (!s.text.isEmpty() && !s.text.endsWith('\n')) ? "\n" : "";
        edit(m_board, s.text.size(), s.text.size(), prefix + tail);
    }

    if (!m_out.ok())
        return m_out;
    for (auto& [file, edits] : m_edits) {
        std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.start != b.start ? a.start < b.start : a.seq < b.seq; });
        for (size_t k = 1; k < edits.size(); ++k) {
            if (edits[k].start < edits[k - 1].end) {
                fail(QStringLiteral("two edits touch the same text in %1; apply them one at a time")
                         .arg(displayPath(file)));
                return m_out;
            }
        }
        QByteArray text = source(file).text;
        for (auto it = edits.rbegin(); it != edits.rend(); ++it)
            text.replace(it->start, it->end - it->start, it->text);
        if (text != source(file).text)
            m_out.patched[file] = text;
    }
    return m_out;
}

} // namespace

SourcePatch makePatch(const EditDocument& doc)
{
    Patcher p(doc);
    return p.run();
}

} // namespace carveout
