// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>

namespace carveout {

/** The project's version, from project() in the top CMakeLists.txt (the one place it is set). */
const char* version();
/** The git revision the programs were built from ("c78b75b2a0e1", "-dirty" appended when tracked
 *  files differed from it), or "" when built outside a git checkout. */
const char* revision();
/** What --version prints: "PROGRAM 0.1.0 (git c78b75b2a0e1)" and the Qt version it runs on. */
QString versionText(const QString& program);

} // namespace carveout
