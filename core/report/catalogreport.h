// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** `carveout-cli rules`: every registry rule in catalogue order with its severity, the kernels
 *  and arches it applies to, the explanation, the kernel's message (when it prints one) and the fix. */
QString rulesToText();
/** `carveout-cli rules --format json`: { "rules": [ { "id", "severity", "kernels", "arches",
 *  "kernel_message", "explanation", "fix" }, ... ] }. */
QByteArray rulesToJson();

/** `carveout-cli profiles`: one line per named profile (kernel, era, arch, page size, CMA minimum
 *  alignment, CMA slots, the Kconfig facts), then its description. */
QString profilesToText();
/** `carveout-cli profiles --format json`: { "profiles": [ ... ] }, each as writeProfileJson writes it. */
QByteArray profilesToJson();

} // namespace carveout
