// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profile.h"
#include "sim/simulator.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

enum class OpListing { All, Failures, None };

/** `simulate --format json` (design.md section 7; the fields are a contract, docs/workloads.md). */
QByteArray simulationToJson(
    const sim::Simulator& sim, const KernelProfile& profile, OpListing ops, const sim::MinSizeResult* minSize);
/** The text report: pools, their peaks and failures, the first failures, the smallest size. */
QString simulationToText(
    const sim::Simulator& sim, const KernelProfile& profile, OpListing ops, const sim::MinSizeResult* minSize);

} // namespace carveout
