// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// The oracle's machine and statuses, shared by the tests that compare with its recorded boots.

// core
#include "kernel/profile.h"
#include "model/layout.h"

// Qt
#include <QString>

namespace carveout {

/** The oracle's statuses, named for users (design.md section 5). */
inline Outcome outcomeOf(const QString& status)
{
    if (status == QLatin1String("accepted") || status == QLatin1String("reserved-no-init")
        || status == QLatin1String("silent"))
        return Outcome::Active; // silent: nothing printed, nothing failed
    if (status == QLatin1String("rejected"))
        return Outcome::Freed;
    if (status == QLatin1String("reserve-failed"))
        return Outcome::ReserveFailed;
    if (status == QLatin1String("alloc-failed"))
        return Outcome::AllocFailed;
    if (status == QLatin1String("skipped-disabled"))
        return Outcome::Disabled;
    return Outcome::Ignored; // ignored, not-seen
}

/** The oracle machine: QEMU virt loads the kernel and the DTB at fixed places
 *  (shared/oracle/README.md, "QEMU facts"). */
inline KernelProfile oracleProfile(const QString& kernel, uint64_t dtbSize)
{
    KernelProfile p;
    if (kernel == QLatin1String("arm64-6.1")) {
        p = *findProfile(QStringLiteral("debian-6.1-arm64"));
        p.early.push_back({ QStringLiteral("kernel"), { 0x40210000, 0x2000000 } });
    } else if (kernel == QLatin1String("arm64-6.12")) {
        p = *findProfile(QStringLiteral("debian-6.12-arm64"));
        p.early.push_back({ QStringLiteral("kernel"), { 0x40200000, 0x42d30000 - 0x40200000 } });
    } else {
        p = *findProfile(QStringLiteral("debian-6.1-armhf"));
        p.early.push_back({ QStringLiteral("kernel"), { 0x40300000, 0x41607588 - 0x40300000 } });
        p.early.push_back({ QStringLiteral("page tables"), { 0x40204000, 0x4000 } });
    }
    p.early.push_back({ QStringLiteral("dtb"), { 0x48000000, dtbSize } });
    return p;
}

/** The same kernels booted through AAVMF (tests/oracle/record-efi): the firmware's memory map,
 *  and the kernel image where the stub put it (arm64_memblock_init's memblock_reserve in the
 *  memblock=debug log of case 60; the DTB and the stub's tables sit in Loader Data, high). */
inline KernelProfile oracleEfiProfile(const QString& kernel, std::vector<EfiRange> efiMap)
{
    KernelProfile p = oracleProfile(kernel, 0);
    p.early.clear();
    if (kernel == QLatin1String("arm64-6.1"))
        p.early.push_back({ QStringLiteral("kernel"), { 0xb84d0000, 0xba4d0000 - 0xb84d0000 } });
    else
        p.early.push_back({ QStringLiteral("kernel"), { 0xb1800000, 0xb4340000 - 0xb1800000 } });
    p.boot = BootPath::Efi;
    p.efiMap = std::move(efiMap);
    return p;
}

} // namespace carveout
