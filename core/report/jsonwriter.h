// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>

// std
#include <cstdint>
#include <vector>

namespace carveout {

/** A small streaming JSON writer that keeps keys in the order they are written (QJsonObject
 *  sorts them), pretty-printed with two-space indentation. Misuse is a programmer error. */
class JsonWriter
{
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    JsonWriter& key(const char* k);
    void value(const QString& s);
    void value(const char* s) { value(QString::fromUtf8(s)); }
    void value(bool b);
    void value(int64_t v);
    void value(int v) { value(int64_t(v)); }
    void value(uint32_t v) { value(int64_t(v)); }
    void value(double v); ///< four decimals: ratios

    void null();
    /** Addresses and sizes are hex strings so 64-bit values survive every JSON parser. */
    void hex(uint64_t v);

    QByteArray result() const { return m_out + '\n'; }

private:
    void prefix();
    void newline();
    QByteArray m_out;
    std::vector<bool> m_first; // per open container: no element written yet
    bool m_afterKey = false;
};

QString toHex(uint64_t v);

} // namespace carveout
