// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/capture.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "source/loader.h"

// std
#include <optional>
#include <vector>

namespace carveout::capture {

/** The tree the kernel received (the capture's fdt section), read as a DTB board is. */
struct BootedTree
{
    LoadedTree loaded;
    Layout layout;
};

/** Reads the capture's booted DTB; nothing (and `why` set) when the capture has none or it is
 *  damaged. */
std::optional<BootedTree> readBootedTree(const Capture& capture, QString* why);

/** What the boot chain reserved before /reserved-memory was read, as the capture shows it: the
 *  kernel image ("Kernel code" .. "Kernel data" in /proc/iomem) and the initrd
 *  (/chosen/linux,initrd-start and -end of the booted DTB). */
/** `booted` is the capture's booted tree when the caller has read it already (nullptr: none). */
std::vector<EarlyReservation> bootReservations(const Capture& capture, const BootedTree* booted);

} // namespace carveout::capture
