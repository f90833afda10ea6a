// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profile.h"
#include "model/layout.h"
#include "rules/rules.h"

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** Compiler-style lines: `file:line: error [cma_align]: /node: message`, then the kernel's
 *  words and the fix, then a summary line. With `layout`, its overlays (overlaysText) come first. */
QString findingsToText(
    const CheckResult& result, const KernelProfile& profile, const QString& file, const Layout* layout = nullptr);
/** design.md section 5: { "findings": [...], "counts": {...} } plus the profile. */
class JsonWriter;
/** One finding as `check --format json` writes it. */
void writeFindingJson(JsonWriter& w, const Finding& f);
/** With `layout`, its "overlays" too (writeOverlaysJson). */
QByteArray findingsToJson(
    const CheckResult& result, const KernelProfile& profile, const QString& file, const Layout* layout = nullptr);
/** SARIF 2.1.0 with one rule entry per registry rule and physical locations, so code scanning
 *  shows findings on the source line. */
QByteArray findingsToSarif(const CheckResult& result, const KernelProfile& profile, const QString& toolVersion);
/** A GitLab Code Quality report (a JSON array of issues with description, check_name,
 *  fingerprint, severity and location.path / location.lines.begin), for `artifacts: reports:
 *  codequality`. Fingerprints are unique within the report and name the board, so the reports of
 *  several boards can be joined into one. */
QByteArray findingsToCodeQuality(const CheckResult& result, const KernelProfile& profile, const QString& file);

} // namespace carveout
