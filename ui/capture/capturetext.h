// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

// Qt
#include <QColor>
#include <QString>

// std
#include <optional>
#include <vector>

namespace carveout::ui {

/** The colours the capture overlay and its list share. */
QColor verdictColor(capture::Verdict v);
inline QColor unexplainedColor()
{
    return QColor(0xc2, 0x18, 0x5b);
}

/** "0x50000000..0x50200000 (2 MiB)". */
QString rangeText(const AddrRange& r);
/** "active at 0xbf000000 (16 MiB)", "alloc-failed", "unknown": an outcome and where. */
QString placeText(Outcome outcome, const std::optional<uint64_t>& base, const std::optional<uint64_t>& size);
QString predictedText(const capture::RegionComparison& c);
QString actualText(const capture::RegionComparison& c);
/** One evidence line per entry: "FILE:LINE [section] text" (file:line of the capture; no line
 *  for what was decoded from a section, such as the fdt). */
QStringList evidenceLines(const std::vector<capture::Evidence>& evidence, const QString& file);
/** The same as tooltip HTML, at most `max` lines. */
QString evidenceHtml(const std::vector<capture::Evidence>& evidence, const QString& file, int max = 6);

} // namespace carveout::ui
