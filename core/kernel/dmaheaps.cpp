// SPDX-License-Identifier: GPL-2.0-only
#include "kernel/dmaheaps.h"

namespace carveout {

QStringList defaultCmaHeapNames(const Layout& layout, const BootResult& boot)
{
    const DefaultCma& d = boot.defaultCma;
    if (d.source == DefaultCma::Source::None || d.failed || !d.size)
        return {};
    QString legacy = QStringLiteral("reserved"); // dma_contiguous_reserve names its area so
    if (d.source == DefaultCma::Source::DtNode) {
        if (d.region < 0 || size_t(d.region) >= layout.regions.size())
            return {};
        legacy = layout.regions[size_t(d.region)].name; // rmem->name: the node name, unit address included
    }
    if (!boot.profile.version.atLeast(6, 17))
        return { legacy };
    if (legacy == QLatin1String("default_cma_region"))
        return { legacy }; // "legacy name and default name are the same, skipping legacy heap"
    return { QStringLiteral("default_cma_region"), legacy };
}

} // namespace carveout
