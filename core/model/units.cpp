// SPDX-License-Identifier: GPL-2.0-only
#include "model/units.h"

// Qt
#include <QJsonValue>

namespace carveout {

QString toHex(uint64_t v)
{
    return QStringLiteral("0x") + QString::number(v, 16);
}

QString formatSize(uint64_t bytes)
{
    // Exact where exact: a pool of 1 GiB + 1 MiB reads "1025 MiB", never a rounded "1 GiB".
    static const char* const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    if (bytes != 0) {
        for (int u = 5; u >= 0; --u) {
            const unsigned shift = 10 * unsigned(u + 1);
            if (bytes % (uint64_t(1) << shift) == 0)
                return QStringLiteral("%1 %2").arg(bytes >> shift).arg(QLatin1String(units[u]));
            if (u == 1 && bytes >= (uint64_t(1) << 20))
                return QStringLiteral("%1 MiB").arg(double(bytes) / double(1 << 20), 0, 'f', 1);
        }
    }
    return QStringLiteral("%1 bytes").arg(bytes);
}

namespace {

/** The C integer at `*pos` (0x.. hex, 0.. octal, else decimal). */
bool scanInteger(QStringView s, qsizetype* pos, uint64_t* out, bool* overflow)
{
    qsizetype i = *pos;
    unsigned base = 10;
    if (i + 1 < s.size() && s[i] == QLatin1Char('0')
        && (s[i + 1] == QLatin1Char('x') || s[i + 1] == QLatin1Char('X'))) {
        base = 16;
        i += 2;
    } else if (i < s.size() && s[i] == QLatin1Char('0')) {
        base = 8; // the leading 0 is itself an octal digit, so "0" alone reads as 0
    }
    const qsizetype start = i;
    uint64_t v = 0;
    while (i < s.size()) {
        const char16_t c = s[i].toLower().unicode();
        const unsigned d = c >= '0' && c <= '9' ? unsigned(c - '0')
            : c >= 'a' && c <= 'f'              ? unsigned(c - 'a' + 10)
                                                : 99;
        if (d >= base)
            break;
        *overflow |= v > (UINT64_MAX - d) / base;
        v = v * base + d;
        ++i;
    }
    if (i == start)
        return false;
    *pos = i;
    *out = v;
    return true;
}

/** A K/M/G/T/P/E suffix at `*pos` (any case): multiplies `*v` by 2^10 per step. */
bool scanSuffix(QStringView s, qsizetype* pos, uint64_t* v, bool* overflow)
{
    if (*pos >= s.size())
        return false;
    const qsizetype k = QStringView(u"KMGTPE").indexOf(s[*pos].toUpper());
    if (k < 0)
        return false;
    const unsigned shift = 10 * unsigned(k + 1);
    *overflow |= (*v >> (64 - shift)) != 0;
    *v <<= shift;
    ++*pos;
    return true;
}

bool isBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

} // namespace

bool scanSize(QStringView s, qsizetype* pos, uint64_t* out, bool* overflow)
{
    bool wrapped = false;
    qsizetype i = *pos;
    uint64_t v = 0;
    if (!scanInteger(s, &i, &v, &wrapped))
        return false;
    scanSuffix(s, &i, &v, &wrapped);
    *pos = i;
    *out = v;
    if (overflow)
        *overflow = wrapped;
    return true;
}

std::optional<uint64_t> parseSize(QStringView text)
{
    const QStringView t = text.trimmed();
    qsizetype pos = 0;
    uint64_t v = 0;
    bool overflow = false;
    if (!scanInteger(t, &pos, &v, &overflow))
        return std::nullopt;
    // Blanks before the suffix ("1 K") and "iB" after it ("2MiB"): what the edit scripts, options
    // and workloads took before they shared this grammar.
    qsizetype at = pos;
    while (at < t.size() && isBlank(t[at]))
        ++at;
    if (scanSuffix(t, &at, &v, &overflow)) {
        pos = at;
        if (t.sliced(pos).compare(QLatin1String("iB"), Qt::CaseInsensitive) == 0)
            pos += 2;
    }
    if (pos != t.size() || overflow)
        return std::nullopt;
    return v;
}

std::optional<uint64_t> parseSize(const QJsonValue& value)
{
    if (value.isString())
        return parseSize(QStringView(value.toString()));
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!(d >= 0) || d > 9007199254740992.0 || d != double(uint64_t(d)))
        return std::nullopt;
    return uint64_t(d);
}

} // namespace carveout
