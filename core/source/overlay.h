// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "source/loader.h"

// Qt
#include <QByteArray>
#include <QList>
#include <QString>

namespace carveout {

/** Loads a base board with options.overlays applied over it, in order, as the kernel's build
 *  (`-dtbs` composites) and U-Boot apply them: the base is compiled with dtc -@ (a .dtb base must
 *  carry __symbols__ when an overlay targets a label), each .dtso with cpp and dtc -@ (a .dtbo is
 *  read as it is), and libfdt's own fdt_overlay_apply merges them, exactly what fdtoverlay does:
 *  LoadedTree::overlaidDtb is fdtoverlay's output byte for byte. The tree is read from that
 *  blob; every node and property keeps the source span of whoever set it last (the base's
 *  .dts/.dtsi or the overlay's .dtso line) and DtProperty::overlay / DtNode::overlay name the
 *  overlay. An overlay that cannot be applied gives libfdt's error as a sentence naming the
 *  overlay file, the fragment and the missing target or label. */
LoadResult loadWithOverlays(const QString& file, const LoadOptions& options);

/** What loadWithOverlays does once everything is compiled, on blobs alone (no source spans):
 *  `base` and each overlay are checked with readDtb first. For the fuzz target and tests. */
bool applyOverlayBlobs(const QByteArray& base, const QList<QByteArray>& overlays, LoadedTree* out, QString* error);

/** Applies one overlay blob to a base blob as fdtoverlay's apply_one does (copies of both,
 *  grown until libfdt has room), then packs the result. Returns libfdt's error code (0 on
 *  success). Both blobs must have passed readDtb's checks (libfdt 1.6.1 loops on some damaged
 *  blobs). */
int applyOverlayBlob(const QByteArray& base, const QByteArray& overlay, QByteArray* result);

/** Our sentence for an error code of fdt_overlay_apply. */
QString overlayErrorSentence(int err);

} // namespace carveout
