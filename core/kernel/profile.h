// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>

// std
#include <cstdint>

namespace carveout {

/** The kernel a layout is judged against (design.md section 4). The boot model (#3) grows
 *  this into named profiles with config facts and a command line; until then the default
 *  is the newest kernel on arm64 with 4K pages, as design.md asks. */
struct KernelProfile
{
    QString name = QStringLiteral("linux-7.1-arm64-4k");
    QString kernel = QStringLiteral("7.1");
    QString arch = QStringLiteral("arm64");
    uint64_t pageSize = 4096;
    /// CMA_MIN_ALIGNMENT_BYTES: pageblock size; 2 MiB on arm64/4K with hugetlb (kernel-rules.md 4.3).
    uint64_t cmaMinAlignment = 2ull << 20;
};

} // namespace carveout
