// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profile.h"

// Qt
#include <QByteArray>
#include <QStringList>

// std
#include <optional>

namespace carveout {

/** The profile a kernel's own configuration implies: a full `.config` (from `make`, /boot/config-*,
 *  or /proc/config.gz, plain or gzip-compressed) or a `defconfig`. Version (from the header line
 *  "# Linux/ARCH VERSION Kernel Configuration"), arch, page size and every Kconfig fact the
 *  profile uses are taken from it; a fact a defconfig does not mention keeps `base`'s value and is
 *  named in `notFound` (in a full .config an absent bool is off, as Kconfig writes no line for an
 *  option whose dependencies are unmet). A configuration whose facts equal a named profile's
 *  (the oracle's Debian kernels) gives that profile. Nothing, with `error`, when the data holds no
 *  CONFIG_ line at all or does not inflate. */
std::optional<KernelProfile> profileFromKconfig(
    const QByteArray& data, const KernelProfile& base, QStringList* notFound, QString* error);

} // namespace carveout
