// SPDX-License-Identifier: GPL-2.0-only
#include "dmaranges.h"

// core
#include "model/devicetree.h"

// std
#include <algorithm>
#include <optional>

namespace carveout {

namespace {

constexpr int kRootCellsDefault = 1; // OF_ROOT_NODE_ADDR_CELLS_DEFAULT / _SIZE_CELLS_DEFAULT
constexpr int kMaxCells = 1024; // no real tree comes near; keeps sums of hostile counts in range
constexpr int kMaxTranslationDepth = 256;

std::optional<int> cellsProp(const DtNode& n, const char* name)
{
    const auto* p = n.property(name);
    if (!p || p->value.size() < 4)
        return std::nullopt;
    const uint32_t v = cells::at(p->value, 0);
    return v > uint32_t(kMaxCells) ? kMaxCells : int(v);
}

/** of_bus_n_addr_cells / of_bus_n_size_cells (what a node's children are addressed with, inherited
 *  upwards), memoized: the plain upward walk for every level of every translation would make a
 *  hostile tree thousands of levels deep take hours. */
class CellCache
{
public:
    explicit CellCache(const DeviceTree& tree)
        : t(tree)
        , m_addr(size_t(tree.nodeCount()), -1)
        , m_size(size_t(tree.nodeCount()), -1)
    {
    }
    const DeviceTree& t;

    int own(int node, bool size)
    {
        std::vector<int>& memo = size ? m_size : m_addr;
        const char* name = size ? "#size-cells" : "#address-cells";
        std::vector<int> chain;
        int v = kRootCellsDefault;
        for (int n = node; n >= 0; n = t.node(n).parent) {
            if (memo[size_t(n)] >= 0) {
                v = memo[size_t(n)];
                break;
            }
            if (auto p = cellsProp(t.node(n), name)) {
                v = *p;
                memo[size_t(n)] = v;
                break;
            }
            chain.push_back(n);
        }
        for (int n : chain)
            memo[size_t(n)] = v;
        return v;
    }
    /** of_n_addr_cells / of_n_size_cells: what the node's own `reg` is read with (from its parent
     *  up; the root reads its own). */
    int parent(int node, bool size)
    {
        const int p = t.node(node).parent;
        return own(p >= 0 ? p : node, size);
    }

private:
    std::vector<int> m_addr, m_size;
};

/** of_match_bus(node)->flag_cells: PCI, ISA and three-cell buses carry a flags cell first. */
int flagCells(CellCache& c, int node)
{
    const DtNode& n = c.t.node(node);
    QByteArray type;
    if (const auto* p = n.property("device_type"))
        type = p->value.left(p->value.indexOf('\0'));
    const QByteArray base = n.name.left(n.name.indexOf('@') < 0 ? n.name.size() : n.name.indexOf('@'));
    if (type == "pci" || type == "pciex" || type == "vci" || type == "ht" || base == "pcie" || base == "isa")
        return 1;
    return c.own(node, false) == 3 ? 1 : 0;
}

uint64_t readCells(const QByteArray& v, int at, int n)
{
    return n > 0 ? cells::readNumber(v, at, n) : 0;
}

/** of_translate_dma_address(node, value + at): a parent-bus address of node's dma-ranges,
 *  translated up through each ancestor's dma-ranges to a CPU address (__of_translate_address). */
std::optional<uint64_t> translateDma(CellCache& c, int node, const QByteArray& value, int at)
{
    const DeviceTree& t = c.t;
    int dev = node;
    int parent = t.node(dev).parent;
    if (parent < 0)
        return std::nullopt;
    int na = c.parent(dev, false);
    int ns = c.parent(dev, true);
    if (na <= 0 || na > 4 || ns <= 0)
        return std::nullopt; // OF_CHECK_COUNTS
    uint64_t addr = readCells(value, at + flagCells(c, parent), na - flagCells(c, parent));
    // The kernel walks to the root however deep the tree is; a hostile tree thousands of levels
    // deep would make that quadratic here, so translation gives up (as failed) past this depth.
    for (int level = 0; level < kMaxTranslationDepth; ++level) {
        dev = parent;
        parent = t.node(dev).parent;
        if (parent < 0)
            return addr; // reached the root
        const int pna = c.parent(dev, false);
        const int pns = c.parent(dev, true);
        if (pna <= 0 || pna > 4 || pns <= 0)
            return std::nullopt;
        const DtProperty* dr = t.node(dev).property("dma-ranges");
        if (dr && !dr->value.isEmpty()) {
            // of_translate_one: the first entry whose child range holds the address.
            const int fna = flagCells(c, dev), pfna = flagCells(c, parent);
            const int rone = na + pna + ns;
            bool found = false;
            for (int r = 0; r + rone <= cells::count(dr->value); r += rone) {
                const uint64_t cp = readCells(dr->value, r + fna, na - fna);
                const uint64_t s = readCells(dr->value, r + na + pna, ns);
                if (addr < cp || addr >= cp + s)
                    continue;
                addr = readCells(dr->value, r + na + pfna, pna - pfna) + (addr - cp);
                found = true;
                break;
            }
            if (!found)
                return std::nullopt;
        } // missing or empty dma-ranges: 1:1 at this level
        na = pna;
        ns = pns;
    }
    return std::nullopt;
}

bool available(const DtNode& n)
{
    const auto* p = n.property("status");
    if (!p)
        return true;
    const QByteArray s = p->value.left(p->value.indexOf('\0'));
    return s == "okay" || s == "ok";
}

std::vector<DmaWindow> windowsOf(CellCache& c, int node);

void maxCpuOf(CellCache& c, int node, DmaMaxCpu* out)
{
    const DtNode& n = c.t.node(node);
    const DtProperty* dr = n.property("dma-ranges");
    if (!dr || dr->value.isEmpty())
        return;
    // The kernel's arithmetic as written: a failed translation (OF_BAD_ADDR) wraps, and a
    // property too short for one entry leaves cpu_end at 0.
    uint64_t cpuEnd = 0;
    for (const DmaWindow& w : windowsOf(c, node)) {
        if (w.cpu + w.size > cpuEnd)
            cpuEnd = w.cpu + w.size - 1;
    }
    if (out->maxCpu > cpuEnd) {
        out->maxCpu = cpuEnd;
        out->node = node;
    }
}

std::vector<DmaWindow> windowsOf(CellCache& c, int node)
{
    std::vector<DmaWindow> out;
    const DtProperty* dr = c.t.node(node).property("dma-ranges");
    if (!dr || dr->value.isEmpty())
        return out;
    // parser_init: child cells are the node's own, parent cells its parent's.
    const int na = c.own(node, false);
    const int ns = c.own(node, true);
    const int pna = c.parent(node, false);
    const int fna = flagCells(c, node);
    const int np = na + pna + ns;
    if (np <= 0)
        return out;
    const int total = cells::count(dr->value);
    for (int r = 0; r + np <= total; r += np) {
        DmaWindow w;
        w.bus = readCells(dr->value, r + fna, na - fna);
        const auto cpu = translateDma(c, node, dr->value, r + na);
        w.translated = cpu.has_value();
        w.cpu = cpu.value_or(UINT64_MAX);
        w.size = readCells(dr->value, r + pna + na, ns);
        const uint32_t flags = fna ? cells::at(dr->value, r) : 0;
        // of_pci_range_parser_one: merge an entry that continues the previous one in both spaces.
        if (!out.empty()) {
            DmaWindow& prev = out.back();
            const uint32_t prevFlags = fna ? cells::at(dr->value, r - np) : 0;
            if (flags == prevFlags && w.bus == prev.bus + prev.size && w.cpu == prev.cpu + prev.size) {
                prev.size += w.size;
                continue;
            }
        }
        out.push_back(w);
    }
    return out;
}

} // namespace

std::vector<DmaWindow> dmaWindows(const DeviceTree& tree, int node)
{
    CellCache c(tree);
    return windowsOf(c, node);
}

bool behindIommu(const DeviceTree& tree, int deviceNode)
{
    const auto* io = tree.node(deviceNode).property("iommus");
    if (!io || cells::count(io->value) == 0)
        return false;
    const int iommu = tree.findPhandle(cells::at(io->value, 0));
    return iommu >= 0 && available(tree.node(iommu));
}

DeviceDma deviceDma(const DeviceTree& tree, int deviceNode)
{
    DeviceDma d;
    // of_dma_configure_id starts at the device's DMA parent; of_dma_get_range walks up while the
    // nodes carry an empty dma-ranges, forgiving one missing property at the first level.
    int node = tree.node(deviceNode).parent;
    bool foundDmaRanges = false;
    while (node >= 0) {
        const DtProperty* dr = tree.node(node).property("dma-ranges");
        if (dr && !dr->value.isEmpty())
            break;
        if (foundDmaRanges && !dr)
            return d; // -ENODEV
        foundDmaRanges = true;
        node = tree.node(node).parent;
    }
    if (node < 0)
        return d;
    d.busNode = node;
    CellCache c(tree);
    for (const DmaWindow& w : windowsOf(c, node)) {
        if (w.translated)
            d.windows.push_back(w);
    }
    return d;
}

std::vector<DmaWindow> kernelDmaMap(std::vector<DmaWindow> windows, int physAddrBits)
{
    if (physAddrBits < 64) {
        for (DmaWindow& w : windows)
            w.cpu &= (1ull << physAddrBits) - 1;
    }
    return windows;
}

bool dmaCoherentOk(const std::vector<DmaWindow>& windows, uint64_t phys, uint64_t size)
{
    uint64_t busLimit = 0;
    for (const DmaWindow& w : windows)
        busLimit = std::max(busLimit, w.bus + w.size - 1);
    for (const DmaWindow& w : windows) {
        if (phys >= w.cpu && phys - w.cpu < w.size)
            return w.bus + (phys - w.cpu) + size - 1 <= busLimit;
    }
    return false; // DMA_MAPPING_ERROR
}

DmaMaxCpu dmaMaxCpuAddress(const DeviceTree& tree)
{
    DmaMaxCpu out;
    CellCache c(tree);
    // The kernel recurses over available children; an explicit stack keeps a hostile, deeply
    // nested tree from exhausting ours. Preorder, so the first node that sets the minimum wins.
    std::vector<int> stack;
    if (tree.nodeCount() > 0)
        stack.push_back(0);
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        maxCpuOf(c, n, &out);
        const auto& children = tree.node(n).children;
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
            if (!tree.node(*it).deleted && available(tree.node(*it)))
                stack.push_back(*it);
        }
    }
    return out;
}

} // namespace carveout
