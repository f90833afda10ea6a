// SPDX-License-Identifier: GPL-2.0-only
// Helpers shared by the window tests.
#pragma once

// ui
#include "mainwindow.h"

// Qt
#include <QLatin1String>
#include <QString>

namespace carveout::test {

/** Index of the first region whose name starts with `prefix`, or -1. */
inline int regionNamed(const ui::MainWindow& w, const QString& prefix)
{
    const auto& regions = w.layout().regions;
    for (size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].name.startsWith(prefix))
            return int(i);
    }
    return -1;
}

/** Whether the window currently shows a finding of `rule`. */
inline bool hasFinding(const ui::MainWindow& w, const char* rule)
{
    for (const auto& f : w.findings().findings) {
        if (f.rule == QLatin1String(rule))
            return true;
    }
    return false;
}

} // namespace carveout::test
