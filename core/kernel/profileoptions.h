// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profile.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <optional>

namespace carveout {

struct LoadedTree;

/** What the user asked for on the command line or in the GUI's toolbar (design.md section 5,
 *  common options). Unset fields keep the profile's values. */
struct ProfileRequest
{
    QString profile; ///< --profile NAME
    QString kernel; ///< --kernel VERSION
    QString arch; ///< --arch arm64|arm|riscv
    QString pageSize; ///< --page-size 4K|16K|64K
    std::optional<QString> cmdline; ///< --cmdline "ARGS" ("" = none)
    QStringList config; ///< --config NAME=VALUE
    QStringList reserve; ///< --reserve NAME@BASE+SIZE (early reservations: kernel, initrd)
    QStringList memory; ///< --memory BASE+SIZE (replaces the tree's memory nodes)
    QString kconfig; ///< --kconfig FILE: a kernel .config, config.gz or defconfig
    QString boot; ///< --boot dt|efi
    QString efiMap; ///< --efi-map FILE: a boot log (efi=debug) or capture bundle
    QString ubootEnv; ///< --uboot-env FILE: printenv output, uEnv.txt or an environment image
    QStringList load; ///< --load kernel|fdt|ramdisk=[ADDR][+SIZE]
};

/** Builds the profile for a board: the named profile (default: the newest kernel, arm64 4K),
 *  then --kernel/--arch/--page-size, then --config and --cmdline. When neither --profile nor
 *  --arch is given, the arch follows the kernel tree the board sits in (src/arm/..., arch/arm/...).
 *  Returns an error sentence (and leaves `out` alone) when a value is not understood. */
QString resolveProfile(
    const ProfileRequest& request, const LoadedTree* board, KernelProfile* out, QStringList* notes = nullptr);

/** "4K" / "16K" / "64K" / "4096" → bytes, or 0. */
uint64_t parsePageSize(const QString& s);

} // namespace carveout
