// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// The boot chain in front of the kernel: an EFI boot's memory map (read from the efi=debug lines
// of a boot log or capture bundle) and the bootloader's placements (U-Boot's environment or
// --load). kernel-rules-additions.md sections 6 and 7.

// core
#include "kernel/profile.h"

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <map>
#include <optional>
#include <vector>

namespace carveout {

struct ProfileRequest;

/** The firmware's memory map from the lines efi=debug prints in reserve_regions()
 *  ("efi:   0x000040000000-0x000043ffffff [Conventional|   |...|WB|  |  |  ]"), anywhere in a
 *  log (dmesg, serial console, journal, a carveout-capture bundle). The last boot's map wins.
 *  Nothing and an error sentence when the text holds no such line or a line is malformed. */
std::optional<std::vector<EfiRange>> parseEfiMemoryMap(const QByteArray& text, const QString& file, QString* error);

/** One variable of a U-Boot environment with the line it was read from. */
struct UbootVariable
{
    QString value;
    int line = 0;
};
using UbootEnv = std::map<QString, UbootVariable>;

/** A U-Boot environment: `printenv` output or a uEnv.txt (NAME=VALUE lines; '#' comments and
 *  other lines are skipped), or a binary environment image (CRC, then NUL-separated
 *  NAME=VALUE). Nothing and an error sentence when the input is none of these. */
std::optional<UbootEnv> parseUbootEnv(const QByteArray& bytes, const QString& file, QString* error);

/** U-Boot reads addresses as hex, with or without 0x. */
std::optional<uint64_t> parseUbootAddress(const QString& value);

/** Applies --boot, --efi-map, --uboot-env and --load of `rq` to `p`. Returns an error
 *  sentence, or empty; `notes` gets what was taken from where and what was left out. */
QString applyBootChain(const ProfileRequest& rq, KernelProfile* p, QStringList* notes);

} // namespace carveout
