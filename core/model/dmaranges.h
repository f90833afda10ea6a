// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// What `dma-ranges` says about DMA addressing, read as drivers/of/address.c reads it
// (docs/kernel-rules-additions.md, sections 1 and 2).

// Qt
#include <QString>

// std
#include <cstdint>
#include <vector>

namespace carveout {

class DeviceTree;

/** One window of a node's dma-ranges as of_pci_range_parser_one() gives it: entries contiguous in
 *  bus and CPU space are merged; the CPU address is the parent-bus address translated up through
 *  the ancestors' `dma-ranges` (of_translate_dma_address: a missing or empty one maps 1:1). */
struct DmaWindow
{
    uint64_t bus = 0; ///< the device-side (DMA) address
    uint64_t cpu = 0; ///< the CPU physical address; meaningless when !translated
    uint64_t size = 0;
    bool translated = true; ///< false: the translation failed (OF_BAD_ADDR)
};

/** The windows of `node`'s own dma-ranges (empty when it has none or an empty one). */
std::vector<DmaWindow> dmaWindows(const DeviceTree& tree, int node);

/** of_dma_get_range() for a device (started from its DMA parent, as of_dma_configure_id does):
 *  the bus node whose dma-ranges gives the device's map, or -1 when the device is unrestricted
 *  (no dma-ranges up the tree, only empty ones, or a missing one above the first level). */
struct DeviceDma
{
    int busNode = -1;
    std::vector<DmaWindow> windows; ///< the translated windows (the kernel skips the others)
    bool restricted() const { return busNode >= 0 && !windows.empty(); }
};
DeviceDma deviceDma(const DeviceTree& tree, int deviceNode);

/** of_iommu_configure() finding an IOMMU for the device: its first `iommus` specifier names an
 *  available node (of_iommu_xlate gives NO_IOMMU for a disabled one, and a dangling phandle
 *  fails). Such a device gets no restricted pool and maps its buffers through the IOMMU. */
bool behindIommu(const DeviceTree& tree, int deviceNode);

/** The map as a kernel with a `physAddrBits`-bit phys_addr_t stores it: bus_dma_region's
 *  cpu_start is a phys_addr_t, so 32-bit ARM without LPAE keeps only the low 32 bits. */
std::vector<DmaWindow> kernelDmaMap(std::vector<DmaWindow> windows, int physAddrBits);

/** dma_coherent_ok() on a device's map (kernel/dma/direct.c), without the driver's coherent mask,
 *  which the tree does not say: the buffer's first byte translates (translate_phys_to_dma) and its
 *  last DMA address is at most bus_dma_limit, the map's highest DMA address. */
bool dmaCoherentOk(const std::vector<DmaWindow>& windows, uint64_t phys, uint64_t size);

/** of_dma_get_max_cpu_address(NULL): the highest CPU address every DMA master reaches, over the
 *  available nodes with a non-empty dma-ranges, and the node that sets it. maxCpu is UINT64_MAX
 *  (PHYS_ADDR_MAX) and node -1 when no node restricts DMA. */
struct DmaMaxCpu
{
    uint64_t maxCpu = UINT64_MAX;
    int node = -1;
};
DmaMaxCpu dmaMaxCpuAddress(const DeviceTree& tree);

} // namespace carveout
