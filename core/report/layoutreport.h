// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "model/units.h" // formatSize, for the users of the reports

// Qt
#include <QByteArray>
#include <QString>

namespace carveout {

/** `carveout-cli layout --format json` (design.md section 5; addresses and sizes as hex strings). */
QByteArray layoutToJson(const Layout& layout, const KernelProfile& profile, const BootResult* boot = nullptr);

/** The human-readable layout: regions sorted by address, sizes in KiB/MiB/GiB, flags, the
 *  defining file:line and the consumers of each region. */
QString layoutToText(const Layout& layout, const KernelProfile& profile, const BootResult* boot = nullptr);

/** The profile as JSON fields (used by layout, check and profiles). */
class JsonWriter;
void writeProfileJson(JsonWriter& w, const KernelProfile& p);
/** "cmdline_areas": what hugetlb_cma=, cma_pernuma=, numa_cma=, crashkernel= and reserve_mem=
 *  reserved (kind, name, option, cma, base, size, failed, base_predictable, kernel_messages);
 *  written only when there are any. */
void writeCmdlineAreasJson(JsonWriter& w, const BootResult& boot);
/** Region i as `layout --format json` writes it (one object of its "regions"). */
void writeRegionJson(JsonWriter& w, const Layout& layout, const BootResult* boot, size_t i);

/** "overlays": the stack the board was opened with, in order (file, runtime, order from 1,
 *  regions_added, regions_changed, nodes_added, values_set); written only when there is one. */
void writeOverlaysJson(JsonWriter& w, const Layout& layout);
/** The same facts as header lines ("Overlay 1: FILE (applied before boot): adds ..."), one per
 *  overlay; empty without overlays. */
QString overlaysText(const Layout& layout);

/** The flags of a region as short words ("no-map reusable cma-default"). */
QStringList regionFlags(const Region& r);

} // namespace carveout
