// SPDX-License-Identifier: GPL-2.0-only
// /proc/config.gz (CONFIG_IKCONFIG_PROC): the gzip-compressed .config of the running kernel.
#include "captureparts.h"

// zlib
#include <zlib.h>

namespace carveout::capture::detail {

/** A kernel's .config is ~250 KiB; more than this is no config (or a gzip bomb). */
constexpr qsizetype kMaxConfig = 32 * 1024 * 1024;

bool inflateGzip(const QByteArray& gz, QByteArray* out, QString* error)
{
    z_stream s {};
    // 16 + MAX_WBITS: a gzip header and trailer, not a zlib one.
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
        *error = QStringLiteral("zlib could not start");
        return false;
    }
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.constData()));
    s.avail_in = uInt(gz.size());
    char chunk[16384];
    int rc = Z_OK;
    while (true) {
        s.next_out = reinterpret_cast<Bytef*>(chunk);
        s.avail_out = sizeof chunk;
        rc = inflate(&s, Z_NO_FLUSH);
        out->append(chunk, qsizetype(sizeof chunk - s.avail_out));
        if (out->size() > kMaxConfig) {
            *error = QStringLiteral("it inflates to more than %1 MiB, which no kernel configuration is")
                         .arg(kMaxConfig >> 20);
            break;
        }
        if (rc == Z_STREAM_END && s.avail_in > 0) {
            inflateReset(&s); // concatenated gzip members
            continue;
        }
        if (rc == Z_STREAM_END) {
            inflateEnd(&s);
            return true;
        }
        if (rc != Z_OK) {
            *error = rc == Z_BUF_ERROR ? QStringLiteral("the gzip data is cut short")
                                       : QStringLiteral("the gzip data is damaged (%1)")
                                             .arg(QString::fromLatin1(s.msg ? s.msg : "zlib error"));
            break;
        }
    }
    inflateEnd(&s);
    return false;
}

bool kconfigFromGzip(const QByteArray& gz, std::map<QString, QString>& out, QString* error)
{
    QByteArray text;
    if (!inflateGzip(gz, &text, error))
        return false;
    kconfigFromText(text, out);
    return true;
}

void kconfigFromText(const QByteArray& text, std::map<QString, QString>& out)
{
    forEachLine(text, 1, [&](QByteArrayView line, int) {
        // "CONFIG_X=value" (strings keep their quotes, as in .config); "# CONFIG_X is not set" is "n".
        if (line.startsWith("CONFIG_")) {
            const qsizetype eq = line.indexOf('=');
            if (eq > 7)
                out[QString::fromLatin1(line.first(eq))] = lineText(line.sliced(eq + 1));
        } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
            out[QString::fromLatin1(line.sliced(2, line.size() - 2 - 11))] = QStringLiteral("n");
        }
    });
}

} // namespace carveout::capture::detail
