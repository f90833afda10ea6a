// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "variants/diff.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** One side of a diff as the reports name it. */
struct DiffSide
{
    QString file;
    const Analysis* analysis = nullptr;
};

/** `carveout-cli diff --format json` (the contract of issue 16). */
QByteArray diffToJson(const variants::LayoutDiff& d, const DiffSide& a, const DiffSide& b);
/** `carveout-cli diff`: one block per changed region with file:line on both sides, the findings
 *  gained and lost, the RAM summary of both. */
QString diffToText(const variants::LayoutDiff& d, const DiffSide& a, const DiffSide& b);

} // namespace carveout
