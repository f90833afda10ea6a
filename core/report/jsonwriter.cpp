// SPDX-License-Identifier: GPL-2.0-only
#include "jsonwriter.h"

// Qt
#include <QIODevice>

namespace carveout {

void JsonWriter::newline()
{
    m_out += '\n';
    m_out += QByteArray(qsizetype(m_first.size() * 2), ' ');
}

void JsonWriter::spill(qsizetype atLeast)
{
    if (!m_sink || m_out.size() < atLeast)
        return;
    m_written = m_written && m_sink->write(m_out) == m_out.size();
    m_out.clear(); // keeps its capacity: the next block reuses it
}

bool JsonWriter::finish()
{
    m_out += '\n';
    spill(0);
    return m_written;
}

void JsonWriter::raw(const QByteArray& json)
{
    prefix();
    QByteArray indented = json.trimmed();
    const QByteArray shifted = QByteArray("\n").append(QByteArray(qsizetype(2 * m_first.size()), ' '));
    indented.replace('\n', shifted);
    m_out += indented;
}

void JsonWriter::prefix()
{
    spill(qsizetype(1) << 20);
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out += ',';
        m_first.back() = false;
        newline();
    }
}

void JsonWriter::beginObject()
{
    prefix();
    m_out += '{';
    m_first.push_back(true);
}

void JsonWriter::endObject()
{
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty)
        newline();
    m_out += '}';
}

void JsonWriter::beginArray()
{
    prefix();
    m_out += '[';
    m_first.push_back(true);
}

void JsonWriter::endArray()
{
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty)
        newline();
    m_out += ']';
}

JsonWriter& JsonWriter::key(const char* k)
{
    prefix();
    m_out += '"';
    m_out += k;
    m_out += "\": ";
    m_afterKey = true;
    return *this;
}

void JsonWriter::value(const QString& s)
{
    prefix();
    m_out += '"';
    const QByteArray u = s.toUtf8();
    for (char c : u) {
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\t':
            m_out += "\\t";
            break;
        case '\r':
            m_out += "\\r";
            break;
        default:
            if (uchar(c) < 0x20) {
                m_out += "\\u00";
                m_out += QByteArray::number(uchar(c) >> 4, 16);
                m_out += QByteArray::number(uchar(c) & 15, 16);
            } else {
                m_out += c;
            }
        }
    }
    m_out += '"';
}

void JsonWriter::value(const QStringList& strings)
{
    beginArray();
    for (const QString& s : strings)
        value(s);
    endArray();
}

void JsonWriter::value(bool b)
{
    prefix();
    m_out += b ? "true" : "false";
}

void JsonWriter::value(int64_t v)
{
    prefix();
    m_out += QByteArray::number(qlonglong(v));
}

void JsonWriter::value(double v)
{
    prefix();
    m_out += QByteArray::number(v, 'f', 4);
}

void JsonWriter::null()
{
    prefix();
    m_out += "null";
}

void JsonWriter::hex(uint64_t v)
{
    value(toHex(v));
}

} // namespace carveout
