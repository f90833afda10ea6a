// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/units.h" // toHex: the reports and the window spell addresses alike

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <vector>

class QIODevice;

namespace carveout {

/** A small streaming JSON writer that keeps keys in the order they are written (QJsonObject
 *  sorts them), pretty-printed with two-space indentation. Misuse is a programmer error. */
class JsonWriter
{
public:
    JsonWriter() = default;
    /** Writes to `sink` as it goes, in blocks of about 1 MiB, so a report of gigabytes never
     *  lies in memory; end with finish(). */
    explicit JsonWriter(QIODevice* sink)
        : m_sink(sink)
    {
    }

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
    void value(const QStringList& strings); ///< an array of strings

    void null();
    /** A complete JSON document another report wrote (layoutToJson, ...), nested here with its
     *  indentation shifted to this depth. */
    void raw(const QByteArray& json);
    /** Addresses and sizes are hex strings so 64-bit values survive every JSON parser. */
    void hex(uint64_t v);

    /** The whole text (without a sink). */
    QByteArray result() const { return m_out + '\n'; }
    /** With a sink: writes the rest and the final newline. False when any write failed (disk
     *  full, a closed pipe): the output is then incomplete. */
    bool finish();

private:
    void prefix();
    void spill(qsizetype atLeast);
    void newline();
    QByteArray m_out;
    QIODevice* m_sink = nullptr;
    bool m_written = true; // every write to the sink succeeded
    std::vector<bool> m_first; // per open container: no element written yet
    bool m_afterKey = false;
};

} // namespace carveout
