// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profile.h"
#include "sim/simulator.h"

// Qt
#include <QByteArray>
#include <QString>

class QIODevice;

namespace carveout {

enum class OpListing { All, Failures, None };

/** `simulate --format json` (design.md section 7; the fields are a contract, docs/workloads.md). */
QByteArray simulationToJson(
    const sim::Simulator& sim, const KernelProfile& profile, OpListing ops, const sim::MinSizeResult* minSize);
/** The same, written to `out` as it is made: ten million operations make gigabytes of JSON, and
 *  none of it is held in memory. False when a write failed (the output is then incomplete). */
bool simulationToJson(QIODevice* out, const sim::Simulator& sim, const KernelProfile& profile, OpListing ops,
    const sim::MinSizeResult* minSize);
/** The text report: pools, their peaks and failures, the first failures, the smallest size. */
QString simulationToText(
    const sim::Simulator& sim, const KernelProfile& profile, OpListing ops, const sim::MinSizeResult* minSize);

} // namespace carveout
