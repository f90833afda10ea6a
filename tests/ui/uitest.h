// SPDX-License-Identifier: GPL-2.0-only
// Small lookups the window tests share.
#pragma once

#include "mainwindow.h"

namespace carveout::test {

/// Index of the first region whose node name starts with \a prefix, or -1.
inline int regionNamed(const ui::MainWindow& w, const QString& prefix)
{
    const auto& regions = w.layout().regions;
    for (size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].name.startsWith(prefix))
            return int(i);
    }
    return -1;
}

/// Whether the window's current findings include \a rule.
inline bool hasFinding(const ui::MainWindow& w, const char* rule)
{
    for (const auto& f : w.findings().findings) {
        if (f.rule == QLatin1String(rule))
            return true;
    }
    return false;
}

} // namespace carveout::test
