// SPDX-License-Identifier: GPL-2.0-only
#include "annotateddts.h"

// core
#include "model/units.h"

// std
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

namespace carveout {

namespace {

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',' || c == '.'
        || c == '_' || c == '+' || c == '-' || c == '#' || c == '?' || c == '@' || c == '*';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    return hexDigitValue(c);
}

class Cursor
{
public:
    Cursor(const QByteArray& text)
        : m_begin(text.constData())
        , m_p(text.constData())
        , m_end(text.constData() + text.size())
    {
    }

    bool atEnd() const { return m_p >= m_end; }
    char peek(ptrdiff_t ahead = 0) const { return m_p + ahead < m_end ? m_p[ahead] : '\0'; }
    void advance(ptrdiff_t n = 1) { m_p = (m_p + n < m_end) ? m_p + n : m_end; }
    const char* pos() const { return m_p; }
    const char* end() const { return m_end; }
    void setPos(const char* p) { m_p = p; }

    bool startsWith(const char* s) const
    {
        const size_t n = std::strlen(s);
        return size_t(m_end - m_p) >= n && std::memcmp(m_p, s, n) == 0;
    }

    /** Skips blanks and plain comments, but stops in front of a comment on the same line
     *  when `stopAtAnnotation` is set (annotations belong to the token before them). */
    void skipSpace()
    {
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++m_p;
            } else if (c == '/' && peek(1) == '*') {
                const char* close = findCommentEnd(m_p + 2);
                m_p = close ? close + 2 : m_end;
            } else if (c == '/' && peek(1) == '/') {
                while (m_p < m_end && *m_p != '\n')
                    ++m_p;
            } else {
                break;
            }
        }
    }

    /** The text of a `/ * ... * /` comment that follows on the same line, if any. */
    bool takeAnnotation(const char** begin, const char** end)
    {
        const char* p = m_p;
        while (p < m_end && (*p == ' ' || *p == '\t'))
            ++p;
        if (p + 1 < m_end && p[0] == '/' && p[1] == '*') {
            const char* close = findCommentEnd(p + 2);
            if (!close)
                return false;
            *begin = p + 2;
            *end = close;
            // dtc writes " /* text */": trim the single spaces around the text.
            while (*begin < *end && **begin == ' ')
                ++*begin;
            while (*end > *begin && (*end)[-1] == ' ')
                --*end;
            m_p = close + 2;
            return true;
        }
        return false;
    }

    std::string_view takeName()
    {
        const char* start = m_p;
        while (m_p < m_end && isNameChar(*m_p))
            ++m_p;
        return std::string_view(start, size_t(m_p - start));
    }

    int lineNumber() const
    {
        int line = 1;
        for (const char* p = m_begin; p < m_p; ++p)
            line += (*p == '\n');
        return line;
    }

private:
    const char* findCommentEnd(const char* from) const
    {
        for (const char* p = from; p + 1 < m_end; ++p) {
            p = static_cast<const char*>(std::memchr(p, '*', size_t(m_end - 1 - p)));
            if (!p)
                return nullptr;
            if (p[1] == '/')
                return p;
        }
        return nullptr;
    }

    const char* m_begin;
    const char* m_p;
    const char* m_end;
};

bool parseInteger(Cursor& c, uint64_t* out)
{
    // dtc prints 0x%02x; accept any C literal so hand-written input works too.
    uint64_t v = 0;
    if (c.peek() == '0' && (c.peek(1) == 'x' || c.peek(1) == 'X')) {
        c.advance(2);
        int digits = 0;
        while (hexValue(c.peek()) >= 0) {
            if (v >> 60)
                return false;
            v = (v << 4) | uint64_t(hexValue(c.peek()));
            c.advance();
            ++digits;
        }
        if (digits == 0)
            return false;
    } else if (isDigit(c.peek())) {
        while (isDigit(c.peek())) {
            const uint64_t d = uint64_t(c.peek() - '0');
            if (v > (UINT64_MAX - d) / 10)
                return false;
            v = v * 10 + d;
            c.advance();
        }
    } else {
        return false;
    }
    // C suffixes (U, L, UL, ULL) may survive in hand-written input.
    while (c.peek() == 'U' || c.peek() == 'u' || c.peek() == 'L' || c.peek() == 'l')
        c.advance();
    *out = v;
    return true;
}

void appendBE(std::string& out, uint64_t v, int bytes)
{
    char be[8];
    for (int i = 0; i < bytes; ++i)
        be[i] = char((v >> (8 * (bytes - 1 - i))) & 0xff);
    out.append(be, bytes);
}

/** Skips an in-value label ("lbl:") if one starts here. */
bool skipValueLabel(Cursor& c)
{
    const char* save = c.pos();
    const char first = c.peek();
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_'))
        return false;
    while ((c.peek() >= 'a' && c.peek() <= 'z') || (c.peek() >= 'A' && c.peek() <= 'Z')
        || (c.peek() >= '0' && c.peek() <= '9') || c.peek() == '_')
        c.advance();
    if (c.peek() == ':') {
        c.advance();
        return true;
    }
    c.setPos(save);
    return false;
}

bool parseString(Cursor& c, std::string& out, QString* error)
{
    c.advance(); // opening quote
    while (!c.atEnd()) {
        char ch = c.peek();
        if (ch == '"') {
            c.advance();
            out.push_back('\0');
            return true;
        }
        if (ch == '\\') {
            c.advance();
            const char e = c.peek();
            c.advance();
            switch (e) {
            case 'a':
                out.push_back('\a');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'v':
                out.push_back('\v');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'x': {
                int v = 0, n = 0;
                while (n < 2 && hexValue(c.peek()) >= 0) {
                    v = v * 16 + hexValue(c.peek());
                    c.advance();
                    ++n;
                }
                out.push_back(char(v));
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0', n = 1;
                    while (n < 3 && c.peek() >= '0' && c.peek() <= '7') {
                        v = v * 8 + (c.peek() - '0');
                        c.advance();
                        ++n;
                    }
                    out.push_back(char(v));
                } else {
                    out.push_back(e);
                }
            }
            continue;
        }
        out.push_back(ch);
        c.advance();
    }
    *error = QStringLiteral("unterminated string");
    return false;
}

bool parseCells(Cursor& c, std::string& out, int bits, QString* error)
{
    c.advance(); // '<'
    const int bytes = bits / 8;
    while (true) {
        c.skipSpace();
        if (c.atEnd()) {
            *error = QStringLiteral("unterminated cell list");
            return false;
        }
        if (c.peek() == '>') {
            c.advance();
            return true;
        }
        if (skipValueLabel(c))
            continue;
        uint64_t v = 0;
        if (!parseInteger(c, &v)) {
            *error = QStringLiteral("unexpected text in a cell list");
            return false;
        }
        if (bits < 64 && (v >> bits) != 0) {
            *error = QStringLiteral("cell value does not fit in %1 bits").arg(bits);
            return false;
        }
        appendBE(out, v, bytes);
    }
}

bool parseBytes(Cursor& c, std::string& out, QString* error)
{
    c.advance(); // '['
    while (true) {
        c.skipSpace();
        if (c.atEnd()) {
            *error = QStringLiteral("unterminated byte string");
            return false;
        }
        if (c.peek() == ']') {
            c.advance();
            return true;
        }
        if (skipValueLabel(c))
            continue;
        const int hi = hexValue(c.peek());
        const int lo = hexValue(c.peek(1));
        if (hi < 0 || lo < 0) {
            *error = QStringLiteral("unexpected text in a byte string");
            return false;
        }
        out.push_back(char(hi * 16 + lo));
        c.advance(2);
    }
}

bool parseValue(Cursor& c, std::string& out, QString* error)
{
    while (true) {
        c.skipSpace();
        if (skipValueLabel(c))
            continue;
        const char ch = c.peek();
        bool ok = false;
        if (ch == '"') {
            ok = parseString(c, out, error);
        } else if (ch == '<') {
            ok = parseCells(c, out, 32, error);
        } else if (ch == '[') {
            ok = parseBytes(c, out, error);
        } else if (c.startsWith("/bits/")) {
            c.advance(6);
            c.skipSpace();
            uint64_t bits = 0;
            if (!parseInteger(c, &bits) || (bits != 8 && bits != 16 && bits != 32 && bits != 64)) {
                *error = QStringLiteral("bad /bits/ width");
                return false;
            }
            c.skipSpace();
            if (c.peek() != '<') {
                *error = QStringLiteral("expected '<' after /bits/");
                return false;
            }
            ok = parseCells(c, out, int(bits), error);
        } else if (ch == '&') {
            *error = QStringLiteral("unresolved reference in dtc output");
            return false;
        } else {
            *error = QStringLiteral("unexpected text in a property value");
            return false;
        }
        if (!ok)
            return false;
        c.skipSpace();
        while (skipValueLabel(c))
            c.skipSpace();
        if (c.peek() == ',') {
            c.advance();
            continue;
        }
        if (c.peek() == ';') {
            c.advance();
            return true;
        }
        *error = QStringLiteral("expected ',' or ';' after a value");
        return false;
    }
}

bool fail(const Cursor& c, QString* error, const QString& what)
{
    if (error)
        *error = QStringLiteral("dtc output line %1: %2").arg(c.lineNumber()).arg(what);
    return false;
}

} // namespace

namespace {

/** The files the last spans named, by the bytes of their names in the text: consecutive spans
 *  almost always name the same few files, and this spares a QString and a search of the file
 *  list for each. Entries point into the text, which outlives the parse. */
class FileCache
{
public:
    int index(const char* name, size_t length, DeviceTree& tree)
    {
        for (const auto& e : m_entries) {
            if (e.length == length && std::memcmp(e.name, name, length) == 0)
                return e.index;
        }
        const QString file = QString::fromUtf8(name, qsizetype(length));
        const int index = file == QLatin1String("<no-file>") ? -1 : tree.internFile(file);
        m_entries[m_next] = { name, length, index };
        m_next = (m_next + 1) % kSize;
        return index;
    }

private:
    struct Entry
    {
        const char* name = nullptr;
        size_t length = size_t(-1);
        int index = -1;
    };
    static constexpr int kSize = 8;
    Entry m_entries[kSize];
    int m_next = 0;
};

/** Calls onSpan(span) for each entry with a file, in order; every file named is interned. */
template <typename OnSpan>
void forEachSpan(const char* begin, const char* end, DeviceTree& tree, FileCache& files, OnSpan onSpan)
{
    // Entries are "file:L:C-L:C" joined by ", ". File names may contain ':' or ", ", so each
    // entry is found by its numeric tail rather than by splitting.
    const char* entryStart = begin;
    const char* p = begin;
    while (p < end) {
        p = static_cast<const char*>(std::memchr(p, ':', size_t(end - p)));
        if (!p)
            return;
        // Try to read ":L:C-L:C" at p.
        const char* q = p + 1;
        int nums[4] = { 0, 0, 0, 0 };
        bool ok = true;
        const char seps[4] = { ':', '-', ':', '\0' };
        for (int i = 0; i < 4 && ok; ++i) {
            const char* digitsStart = q;
            int v = 0;
            while (q < end && isDigit(*q) && v < 100000000) {
                v = v * 10 + (*q - '0');
                ++q;
            }
            ok = q > digitsStart;
            nums[i] = v;
            if (ok && i < 3) {
                ok = q < end && *q == seps[i];
                ++q;
            }
        }
        const bool atEntryEnd = ok && (q == end || (q + 1 < end && q[0] == ',' && q[1] == ' '));
        if (!atEntryEnd) {
            ++p;
            continue;
        }
        SourceSpan s;
        s.file = files.index(entryStart, size_t(p - entryStart), tree);
        s.line = nums[0];
        s.column = nums[1];
        s.endLine = nums[2];
        s.endColumn = nums[3];
        if (s.file >= 0)
            onSpan(s);
        p = (q == end) ? end : q + 2;
        entryStart = p;
    }
}

std::vector<SourceSpan> spanList(const char* begin, const char* end, DeviceTree& tree, FileCache& files)
{
    std::vector<SourceSpan> spans;
    forEachSpan(begin, end, tree, files, [&](const SourceSpan& s) { spans.push_back(s); });
    return spans;
}

/** Property names repeat (reg, compatible, status...): equal names share one QByteArray. */
class NameTable
{
public:
    const QByteArray& name(std::string_view n)
    {
        const auto it = m_names.find(n);
        if (it != m_names.end())
            return it->second;
        QByteArray stored(n.data(), qsizetype(n.size()));
        const std::string_view key(stored.constData(), n.size()); // the heap data stays put
        return m_names.emplace(key, std::move(stored)).first->second;
    }

private:
    std::unordered_map<std::string_view, QByteArray> m_names;
};

} // namespace

std::vector<SourceSpan> parseSpanList(const char* begin, const char* end, DeviceTree& tree)
{
    FileCache files;
    return spanList(begin, end, tree, files);
}

bool parseAnnotatedDts(const QByteArray& text, DeviceTree& tree, QString* error)
{
    Cursor c(text);
    // Header: /dts-v1/; /plugin/; /memreserve/ lines, then "/ {".
    while (true) {
        c.skipSpace();
        if (c.startsWith("/dts-v1/;")) {
            c.advance(9);
        } else if (c.startsWith("/plugin/;")) {
            c.advance(9);
        } else if (c.startsWith("/memreserve/")) {
            c.advance(12);
            c.skipSpace();
            MemReserveEntry e;
            if (!parseInteger(c, &e.base))
                return fail(c, error, QStringLiteral("bad /memreserve/ address"));
            c.skipSpace();
            if (!parseInteger(c, &e.size))
                return fail(c, error, QStringLiteral("bad /memreserve/ size"));
            c.skipSpace();
            if (c.peek() != ';')
                return fail(c, error, QStringLiteral("expected ';' after /memreserve/"));
            c.advance();
            tree.addMemReserve(e);
        } else if (c.startsWith("/ {") || c.startsWith("/{")) {
            break;
        } else if (c.atEnd()) {
            return fail(c, error, QStringLiteral("no root node"));
        } else {
            return fail(c, error, QStringLiteral("unexpected text before the root node"));
        }
    }
    c.advance(1);
    c.skipSpace();
    c.advance(1); // '{'
    FileCache files;
    {
        const char *b = nullptr, *e = nullptr;
        if (c.takeAnnotation(&b, &e))
            tree.mutableNode(0).spans = spanList(b, e, tree, files);
    }

    int current = 0;
    QList<QByteArray> labels;
    NameTable propertyNames;
    std::string value; // each value is built here (keeping its capacity), then copied at its size
    while (true) {
        c.skipSpace();
        if (c.atEnd())
            return fail(c, error, QStringLiteral("unexpected end of output inside a node"));
        if (c.peek() == '}') {
            c.advance();
            c.skipSpace();
            if (c.peek() != ';')
                return fail(c, error, QStringLiteral("expected ';' after '}'"));
            c.advance();
            const char *b = nullptr, *e = nullptr;
            c.takeAnnotation(&b, &e);
            if (!labels.isEmpty())
                return fail(c, error, QStringLiteral("label without a node or property"));
            if (current == 0) {
                c.skipSpace();
                if (!c.atEnd())
                    return fail(c, error, QStringLiteral("unexpected text after the root node"));
                tree.finalize();
                return true;
            }
            current = tree.node(current).parent;
            continue;
        }
        const std::string_view name = c.takeName();
        if (name.empty())
            return fail(c, error, QStringLiteral("expected a node or property name"));
        c.skipSpace();
        const char next = c.peek();
        if (next == ':') {
            c.advance();
            labels.append(QByteArray(name.data(), qsizetype(name.size())));
            continue;
        }
        if (next == '{') {
            c.advance();
            const int index = tree.addNode(current, QByteArray(name.data(), qsizetype(name.size())));
            DtNode& n = tree.mutableNode(index);
            n.labels = std::move(labels);
            labels = {};
            const char *b = nullptr, *e = nullptr;
            if (c.takeAnnotation(&b, &e))
                n.spans = spanList(b, e, tree, files);
            current = index;
            continue;
        }
        DtProperty prop;
        prop.name = propertyNames.name(name);
        labels.clear(); // property labels carry no meaning for the layout
        if (next == '=') {
            c.advance();
            QString valueError;
            value.clear();
            if (!parseValue(c, value, &valueError)) {
                return fail(
                    c, error, valueError + QStringLiteral(" in property '%1'").arg(QString::fromUtf8(prop.name)));
            }
            if (!value.empty())
                prop.value = QByteArray(value.data(), qsizetype(value.size()));
        } else if (next == ';') {
            c.advance();
        } else {
            return fail(
                c, error, QStringLiteral("expected '=', ';', ':' or '{' after '%1'").arg(QString::fromUtf8(prop.name)));
        }
        const char *b = nullptr, *e = nullptr;
        if (c.takeAnnotation(&b, &e)) {
            // Only the first span is kept, but every file named is interned, as a node's are.
            bool first = true;
            forEachSpan(b, e, tree, files, [&](const SourceSpan& s) {
                if (first)
                    prop.span = s;
                first = false;
            });
        }
        tree.mutableNode(current).properties.push_back(std::move(prop));
    }
}

} // namespace carveout
