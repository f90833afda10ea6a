// SPDX-License-Identifier: GPL-2.0-only
// Number parsing shared by the /proc and debugfs readers (internal to core/capture).
#pragma once

// core
#include "model/units.h"

// Qt
#include <QByteArrayView>

// std
#include <cstdint>
#include <optional>

namespace carveout::capture::detail {

inline int hexDigit(char c)
{
    return hexDigitValue(c);
}

/** Hex digits at `*pos` (1 to 16 of them, so no overflow), advancing `*pos`. */
inline std::optional<uint64_t> takeHex(QByteArrayView l, qsizetype* pos)
{
    uint64_t v = 0;
    qsizetype i = *pos;
    while (i < l.size() && hexDigit(l[i]) >= 0 && i - *pos < 17) {
        v = (v << 4) | uint64_t(hexDigit(l[i]));
        ++i;
    }
    if (i == *pos || i - *pos > 16)
        return std::nullopt;
    *pos = i;
    return v;
}

/** A decimal number at `*pos` (overflow is no number), advancing `*pos`. */
inline std::optional<uint64_t> takeDecimal(QByteArrayView l, qsizetype* pos)
{
    uint64_t v = 0;
    qsizetype i = *pos;
    while (i < l.size() && l[i] >= '0' && l[i] <= '9') {
        const uint64_t d = uint64_t(l[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return std::nullopt;
        v = v * 10 + d;
        ++i;
    }
    if (i == *pos)
        return std::nullopt;
    *pos = i;
    return v;
}

inline void skipSpaces(QByteArrayView l, qsizetype* pos)
{
    while (*pos < l.size() && (l[*pos] == ' ' || l[*pos] == '\t'))
        ++*pos;
}

} // namespace carveout::capture::detail
