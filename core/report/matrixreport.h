// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "variants/matrix.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

QString matrixToText(const std::vector<variants::MatrixColumn>& columns, const std::vector<variants::MatrixRow>& rows);
QByteArray matrixToJson(
    const std::vector<variants::MatrixColumn>& columns, const std::vector<variants::MatrixRow>& rows);
/** One line per board and combination (RFC 4180 quoting). */
QByteArray matrixToCsv(
    const std::vector<variants::MatrixColumn>& columns, const std::vector<variants::MatrixRow>& rows);
/** One self-contained HTML file: the table, a small to-scale map (inline SVG) per cell. */
QByteArray matrixToHtml(
    const std::vector<variants::MatrixColumn>& columns, const std::vector<variants::MatrixRow>& rows);

} // namespace carveout
