// SPDX-License-Identifier: GPL-2.0-only
// The rules of the boot chain (kernel-rules-additions.md sections 6 and 7): what an EFI boot does
// to /memreserve/, and the bootloader's placements against the layout. Each check function with
// its registry record.
#include "rulecontext.h"

namespace carveout {

namespace {
bool overlaps(const AddrRange& a, const AddrRange& b)
{
    return a.size && b.size && a.base < b.end() && b.base < a.end();
}

/** Whether the EFI memory map keeps the whole range from the page allocator (NOMAP or reserved). */
bool efiKeeps(const KernelProfile& p, const AddrRange& r)
{
    uint64_t covered = 0;
    for (const auto& e : p.efiMap) {
        if ((e.memory && e.usable && !e.reserve) || !overlaps(e.range, r))
            continue;
        covered += std::min(e.range.end(), r.end()) - std::max(e.range.base, r.base);
    }
    return covered >= r.size;
}

bool efiBoot(const KernelProfile& p)
{
    return p.efi();
}
bool dtBootWithLoads(const KernelProfile& p)
{
    return !p.efi() && !p.loads.empty();
}

QString loadText(const BootLoad& l)
{
    return QStringLiteral("the %1 (%2 = %3, %4 bytes, from %5)")
        .arg(l.name, l.variable, toHex(l.range.base), toHex(l.range.size), l.origin);
}
} // namespace

static void efiMemreserveDropped(RuleContext& c)
{
    for (const auto& m : c.L.memreserve) {
        if (!m.range.size || (!c.P.efiMap.empty() && efiKeeps(c.P, m.range)))
            continue;
        c.report(QStringLiteral("/memreserve/"), m.source,
            QStringLiteral("/memreserve/ %1..%2 is deleted by the EFI stub on this EFI boot, so the kernel does not "
                           "reserve it%3: whatever it protects can be handed out as RAM or overwritten")
                .arg(toHex(m.range.base), toHex(m.range.end()),
                    c.P.efiMap.empty()
                        ? QString()
                        : QStringLiteral(", and the EFI memory map (%1) has it as usable RAM").arg(c.P.efiMapFile)),
            QString());
    }
}

const Rule kEfiMemreserveDropped { "efi_memreserve_dropped", Severity::Warning, "all", "all", efiBoot, "",
    "The EFI stub deletes every /memreserve/ entry: on an EFI boot they reserve nothing.",
    "Describe the range as a /reserved-memory node (no-map if the kernel must not map it), or have the firmware "
    "mark it reserved in its EFI memory map.",
    efiMemreserveDropped };

static void bootLoadOverlap(RuleContext& c)
{
    for (const auto& l : c.P.loads) {
        c.each([&](int i) {
            const Region& r = c.reg(i);
            if (r.placement != Placement::Static)
                return;
            for (const auto& t : r.reg) {
                if (overlaps(t, l.range)) {
                    c.report(i, "reg",
                        QStringLiteral("%1..%2 overlaps %3: the bootloader writes the file over this region (or, "
                                       "where it checks the tree's reservations, refuses to load it), and the "
                                       "kernel then reserves both%4")
                            .arg(toHex(t.base), toHex(t.end()), loadText(l),
                                r.noMap ? QStringLiteral(" (this no-map region fails with -EBUSY)") : QString()));
                    return;
                }
            }
        });
        for (const auto& m : c.L.memreserve) {
            if (overlaps(m.range, l.range))
                c.report(QStringLiteral("/memreserve/"), m.source,
                    QStringLiteral("/memreserve/ %1..%2 overlaps %3: the bootloader writes the file over memory the "
                                   "tree says is reserved")
                        .arg(toHex(m.range.base), toHex(m.range.end()), loadText(l)),
                    QString());
        }
    }
}

const Rule kBootLoadOverlap { "boot_load_overlap", Severity::Error, "all", "all", dtBootWithLoads, "",
    "The bootloader loads the kernel, DTB or initrd over a reserved region or /memreserve/ entry.",
    "Move kernel_addr_r / fdt_addr_r / ramdisk_addr_r (or the region) so that they do not overlap.", bootLoadOverlap };

static void bootLoadInWindow(RuleContext& c)
{
    c.each([&](int i) {
        const Region& r = c.reg(i);
        if (r.placement != Placement::Dynamic)
            return;
        for (const auto& l : c.P.loads) {
            for (const auto& w : r.allocRanges) {
                if (!overlaps(w, l.range))
                    continue;
                const bool failed = c.outcome(i) == Outcome::AllocFailed;
                c.report(i, "alloc-ranges",
                    QStringLiteral("%1 lies in this region's alloc-ranges window %2..%3: the kernel reserves it "
                                   "before /reserved-memory is read, so %4")
                        .arg(loadText(l), toHex(w.base), toHex(w.end()),
                            failed ? QStringLiteral("the region no longer fits (see its allocation failure)")
                                   : QStringLiteral("the region is placed around it and the window is split")));
                return;
            }
        }
    });
}

const Rule kBootLoadInWindow { "boot_load_in_window", Severity::Warning, "all", "all", dtBootWithLoads, "",
    "A bootloader placement inside a dynamic region's alloc-ranges window is reserved first and splits it.",
    "Load the file outside the window (fdt_addr_r, ramdisk_addr_r, kernel_addr_r), or widen the window.",
    bootLoadInWindow };

} // namespace carveout
