// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>
#include <QStringView>

// std
#include <cstdint>
#include <optional>

class QJsonValue;

namespace carveout {

/** The one way Carveout writes and reads addresses and sizes (docs/numbers.md). Shared by the
 *  reports, the rules, the edit scripts, the options, the workloads and the window. */

/** "0x80000000": lowercase hex, no padding. */
QString toHex(uint64_t v);

/** The value of one hex digit, or -1 (the DTS parser and the capture readers share it). */
inline int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/** A size for people: exact in the largest binary unit that divides it ("64 MiB", "4 GiB",
 *  "8 KiB"), else one decimal of MiB from 1 MiB up ("4.5 MiB"), else bytes ("1536 bytes"). */
QString formatSize(uint64_t bytes);

/** Scans one number at `*pos` as the kernel's memparse() reads it: a C integer (0x.. hex, 0..
 *  octal, else decimal) and an optional K/M/G/T/P/E suffix (any case, 2^10 steps). Advances
 *  `*pos` past what it read. Returns false when no number starts there. The value wraps at 2^64
 *  as the kernel's does; `*overflow` (if given) says whether it did. */
bool scanSize(QStringView text, qsizetype* pos, uint64_t* out, bool* overflow = nullptr);

/** A whole size or address as users write it in options, edit scripts and workloads
 *  (docs/numbers.md): surrounding white space, then what scanSize() reads, then optionally "iB"
 *  after the suffix ("2MiB"). Nothing when malformed, negative, or past 2^64 - 1. */
std::optional<uint64_t> parseSize(QStringView text);

/** parseSize() for a JSON value: a string as above, or a JSON number that is a non-negative
 *  integer of at most 2^53 (larger doubles are not exact). Nothing otherwise. */
std::optional<uint64_t> parseSize(const QJsonValue& value);

} // namespace carveout
