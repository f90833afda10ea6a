// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QList>
#include <QString>

namespace carveout {

enum class Severity { Info, Warning, Error };

/** Something to tell the user, shaped like dtc's check_msg: what, where, and what to do.
 *  Core code never prints: it returns these and the front ends decide how to show them. */
struct Diagnostic
{
    Severity severity = Severity::Error;
    QString code; ///< rule id or a loader code ("cpp", "dtc", "dtb", "io")
    QString message; ///< a whole sentence, including what to do next
    QString file; ///< as the user should read it; empty when unknown
    int line = 0; ///< 1-based; 0 when unknown
    int column = 0;
    QString nodePath;

    /** "file:line:col: error: message" (parts left out when unknown), as compilers print. */
    QString toString() const;
};

using Diagnostics = QList<Diagnostic>;

QString severityName(Severity s);

} // namespace carveout
