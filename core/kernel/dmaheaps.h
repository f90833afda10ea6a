// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "model/layout.h"

// Qt
#include <QStringList>

namespace carveout {

/** The /dev/dma_heap names of the default CMA area with CONFIG_DMABUF_HEAPS_CMA
 *  (drivers/dma-buf/heaps/cma_heap.c add_default_cma_heap): before 6.17 the area's name, which is
 *  the tree node's name or "reserved" for an area from cma= or CONFIG_CMA_SIZE_MBYTES; from 6.17
 *  "default_cma_region", then that legacy name with CONFIG_DMABUF_HEAPS_CMA_LEGACY (default y).
 *  Empty when the boot leaves no default area. */
QStringList defaultCmaHeapNames(const Layout& layout, const BootResult& boot);

} // namespace carveout
