// SPDX-License-Identifier: GPL-2.0-only
// The rule of device-tree overlays (kernel-rules-additions.md section 8): its check function with
// its registry record (the table in registry.cpp lists the records in catalogue order).
#include "rulecontext.h"

// core
#include "model/sourcelocation.h"

namespace carveout {

// ---- 8 device-tree overlays -------------------------------------------------------------------

static QString overlayName(const RuleContext& c, int overlay)
{
    const AppliedOverlay* ov = c.T.overlayOf(overlay);
    return ov ? displayPath(ov->file) : QString();
}

static void overlayRuntimeRmem(RuleContext& c)
{
    for (int i = 0; i < int(c.L.regions.size()); ++i) {
        const Region& r = c.reg(i);
        if (!r.enabled)
            continue;
        if (r.runtimeOverlay) {
            const int users = c.consumersOf(i);
            c.report(i, nullptr,
                QStringLiteral("%1 is added by the run-time overlay %2, but the kernel reads /reserved-memory once, "
                               "from the boot's device tree: the region is never reserved, its memory stays with "
                               "the page allocator%3")
                    .arg(r.name, overlayName(c, r.overlay),
                        users > 0 ? QStringLiteral(", and its %1 user(s) cannot claim it").arg(users) : QString()),
                QString());
            continue;
        }
        // A base (or boot-time) region a run-time overlay changes: the boot used the earlier value.
        for (const auto& p : c.T.node(r.node).properties) {
            const AppliedOverlay* ov = c.T.overlayOf(p.overlay);
            if (!ov || !ov->runtime)
                continue;
            Finding& f = c.report(i, p.name.constData(),
                QStringLiteral("%1 of %2 is set by the run-time overlay %3, after the boot reserved the region: the "
                               "kernel keeps the reservation it made with the value before it (shown here is the "
                               "value after)")
                    .arg(QString::fromUtf8(p.name), r.name, overlayName(c, p.overlay)),
                QString());
            f.severity = Severity::Warning;
            break;
        }
    }
}

const Rule kOverlayRuntimeRmem { "overlay_runtime_rmem", Severity::Error, "all", "all", nullptr, "",
    "The kernel reads /reserved-memory once, early in boot, from the flattened tree the bootloader handed over "
    "(early_init_fdt_scan_reserved_mem, fdt_init_reserved_mem); an overlay applied later (configfs, "
    "of_overlay_fdt_apply from a driver) changes the live tree only, and nothing reserves what it adds.",
    "Apply the overlay in the bootloader (U-Boot fdt apply, the build's -dtbs composite) or put the region into "
    "the base tree.",
    overlayRuntimeRmem };

} // namespace carveout
