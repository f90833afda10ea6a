// SPDX-License-Identifier: GPL-2.0-only
#include "bootmodel.h"

// core
#include "model/units.h"

// Qt

// std
#include <algorithm>
#include <cerrno>

namespace carveout {

namespace {

constexpr int kMaxReservedRegions = 64; // MAX_RESERVED_REGIONS since ≈5.7
constexpr uint64_t k4G = 0x100000000ull;

/** memparse(): the kernel's reading of a size on the command line; it wraps at 2^64 unchecked. */
bool memparse(const QString& s, int* pos, uint64_t* out)
{
    qsizetype at = *pos;
    if (!scanSize(s, &at, out))
        return false;
    *pos = int(at);
    return true;
}

bool isOkayStatus(const Region& r)
{
    return r.enabled;
}

struct Entry
{
    int region = -1;
    uint64_t base = 0;
    uint64_t size = 0;
    int node = 0; ///< FDT order, the 6.5+ tie-break
};

class Boot
{
public:
    Boot(const Layout& layout, const KernelProfile& profile)
        : L(layout)
        , P(profile)
    {
        R.profile = profile;
        R.era = profile.era();
        R.regions.resize(layout.regions.size());
        R.memblock = Memblock(profile.pageSize);
        m_mask = profile.physAddrBits() == 32 ? 0xffffffffull : ~0ull;
        m_cmaAlign = profile.cmaMinAlignment();
    }

    BootResult run();

private:
    Memblock& mb() { return R.memblock; }
    uint64_t phys(uint64_t v) const { return v & m_mask; }
    /// memrange_efi_to_native: EFI's 4 KiB pages to whole kernel pages, rounded outwards.
    AddrRange efiToNative(const AddrRange& r) const
    {
        const uint64_t mask = ~(P.pageSize - 1);
        const uint64_t base = r.base & mask;
        return { base, ((saturatedEnd(r.base, r.size) + P.pageSize - 1) & mask) - base };
    }
    void say(int region, const QString& msg) { R.regions[size_t(region)].kernelMessages << msg; }
    QString name(int region) const { return L.regions[size_t(region)].name; }
    QString pa(uint64_t v) const { return kernelPa(v, P.physAddrBits()); }
    bool v(int ma, int mi) const { return P.version.atLeast(ma, mi); }

    void addMemory();
    bool checkContainer();
    void reserveStatic(int i, bool save);
    bool regUsable(const Region& r) const;
    void reserveMemreserve();
    bool allocDynamic(int i);
    bool allocInRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end, bool nomap, uint64_t* base);
    void init(int i);
    int cmaInit(int i);
    int coherentInit(int i);
    int restrictedInit(int i);
    void reportOverlaps(std::vector<Entry> entries);
    void defaultCmaArea();
    void cmdlineAreas(bool beforeDefault);
    std::vector<int> sortEntries(std::vector<Entry>& entries, bool fdtTieBreak);

    const Layout& L;
    const KernelProfile& P;
    BootResult R;
    uint64_t m_mask = ~0ull;
    uint64_t m_cmaAlign = 0;
    std::vector<Entry> m_entries; // reserved_mem[]
    int m_initCounter = 0;
    bool m_defaultFromDt = false;
    CmdlineRequests m_requests;
};

void Boot::cmdlineAreas(bool beforeDefault)
{
    // arm64 bootmem_init(): hugetlb_cma (up to 6.19), per-node CMA, the default area, then the
    // crash kernel below arm64_dma_phys_limit; from 7.0 hugetlb_cma after setup_arch(), then
    // reserve_mem= (docs/kernel-rules-additions.md 3).
    uint64_t lowMax = R.dmaLimit;
    if (!lowMax) {
        const uint64_t end = mb().memoryEnd();
        lowMax = !R.memory.empty() && R.memory.front().base >= k4G ? end : std::min(end, k4G);
    }
    CmdlineAreaBoot b { mb(), P, R.cmaAreasUsed, lowMax, R.highmemStart, R.cmdlineAreas };
    if (beforeDefault) {
        reserveCmdlineCmaAreas(b, m_requests);
        return;
    }
    reserveCrashKernel(b, m_requests);
    reserveLateHugetlbCma(b, m_requests);
    reserveMemAreas(b, m_requests);
}

void Boot::addMemory()
{
    // early_init_dt_add_memory_arch: page-round, clip to phys_addr_t (32-bit ARM keeps RAM
    // below 4 GiB and memblock caps the last byte off).
    const uint64_t page = P.pageSize;
    const uint64_t maxAddr = m_mask;
    std::vector<AddrRange> banks = P.memory;
    if (P.efi() && !P.efiMap.empty()) {
        // reserve_regions (efi-init.c): the DT's memory is discarded (memblock_remove) and every
        // cacheable EFI range is added, page-rounded outwards (memrange_efi_to_native),
        // whatever its type.
        banks.clear();
        for (const auto& e : P.efiMap) {
            if (e.memory)
                banks.push_back(efiToNative(e.range));
        }
    }
    if (banks.empty()) {
        for (const auto& b : L.memory)
            banks.push_back(b.range);
    }
    for (const auto& bank : banks) {
        uint64_t base = bank.base, size = bank.size;
        const uint64_t inPage = base & (page - 1);
        if (size < page - inPage)
            continue;
        if (inPage) {
            size -= page - inPage;
            base += page - inPage;
        }
        size &= ~(page - 1);
        if (base > maxAddr || size == 0)
            continue;
        if (base + size - 1 > maxAddr || base + size < base)
            size = maxAddr - base + 1;
        if (m_mask != ~0ull)
            size = std::min(size, maxAddr - base); // memblock_cap_size with PHYS_ADDR_MAX
        mb().addMemory(base, size);
    }
    for (const auto& m : mb().memory())
        R.memory.push_back({ m.base, m.size });
    R.noMemory = R.memory.empty();
    if (P.arch == Arch::Arm && !R.memory.empty()) {
        // Default 3G/1G split: about 768 MiB of lowmem from PHYS_OFFSET.
        const uint64_t lowmemEnd = R.memory.front().base + 0x30000000ull;
        if (mb().memoryEnd() > lowmemEnd)
            R.highmemStart = lowmemEnd;
    }
    if (P.efi()) {
        // Then what is not System RAM after ExitBootServices is NOMAP (runtime services,
        // reserved, ACPI NVS, ...), and ACPI Reclaim is reserved as well.
        for (const auto& e : P.efiMap) {
            const AddrRange r = efiToNative(e.range);
            if (e.memory && !e.usable)
                mb().markNomap(phys(r.base), phys(r.size));
            if (e.reserve)
                mb().reserve(phys(r.base), phys(r.size));
        }
    }
    for (const auto& e : P.earlyReservations())
        mb().reserve(phys(e.range.base), phys(e.range.size));
}

bool Boot::checkContainer()
{
    const auto& c = L.container;
    if (!c.present)
        return false;
    if (c.addressCells != L.rootAddressCells || c.sizeCells != L.rootSizeCells || !c.hasRanges) {
        R.containerIgnored = true;
        R.containerReason = !c.hasRanges ? QStringLiteral("no ranges property")
                                         : QStringLiteral("#address-cells/#size-cells differ from the root node's");
        for (size_t i = 0; i < L.regions.size(); ++i) {
            R.regions[i].outcome = Outcome::Ignored;
            R.regions[i].kernelMessages << QStringLiteral("Reserved memory: unsupported node format, ignoring");
        }
        return false;
    }
    return true;
}

bool Boot::regUsable(const Region& r) const
{
    // ≥ 6.19 treats a malformed reg as absent.
    return r.placement == Placement::Static && !(r.regMalformed && v(6, 19));
}

void Boot::reserveStatic(int i, bool save)
{
    const Region& r = L.regions[size_t(i)];
    RegionBoot& b = R.regions[size_t(i)];
    if (r.regMalformed && !v(6, 19)) {
        say(i, QStringLiteral("Reserved memory: invalid reg property in '%1', skipping node.").arg(r.name));
        b.outcome = Outcome::Ignored;
        return;
    }
    bool first = true;
    for (size_t t = 0; t < r.reg.size(); ++t) {
        const uint64_t base = phys(r.reg[t].base), size = phys(r.reg[t].size);
        bool ok = size != 0;
        if (ok && r.noMap) {
            // early_init_dt_reserve_memory: -EBUSY when the range is RAM already reserved.
            if (mb().overlapsMemory(base, size) && mb().isReserved(base, size))
                ok = false;
            else
                mb().markNomap(base, size);
        } else if (ok) {
            mb().reserve(base, size);
        }
        if (!ok) {
            say(i,
                QStringLiteral("Reserved memory: failed to reserve memory for node '%1': base %2, size %3 MiB")
                    .arg(r.name, pa(base))
                    .arg(size >> 20));
            if (size != 0) {
                b.reserveFailed = true;
                if (b.failedTuple < 0)
                    b.failedTuple = int(t);
            }
        }
        if (first) {
            first = false;
            b.base = base;
            b.size = size;
            if (save) {
                if (int(m_entries.size()) >= kMaxReservedRegions) {
                    say(i, QStringLiteral("not enough space for all defined regions."));
                } else {
                    m_entries.push_back({ i, base, size, r.node });
                    b.registered = true;
                }
            }
        }
    }
    if (r.reg.size() > 1 && v(6, 14) && !v(6, 19))
        say(i,
            QStringLiteral("fdt_scan_reserved_mem_reg_nodes() ignores %1 regions in node '%2'")
                .arg(r.reg.size() - 1)
                .arg(r.name));
}

void Boot::reserveMemreserve()
{
    if (P.efi())
        return; // the EFI stub deleted every /memreserve/ entry (libstub/fdt.c update_fdt)
    for (const auto& m : L.memreserve)
        mb().reserve(phys(m.range.base), phys(m.range.size));
}

bool Boot::allocInRange(uint64_t size, uint64_t align, uint64_t start, uint64_t end, bool nomap, uint64_t* base)
{
    // early_init_dt_alloc_reserved_memory_arch.
    const uint64_t max = end == 0 ? ~0ull : end;
    const uint64_t a = align == 0 ? P.smpCacheBytes() : align;
    const bool prevBottomUp = mb().bottomUp();
    bool bottomUp = false, topDown = false;
    if (v(6, 5) && end != 0) {
        // __reserved_mem_alloc_in_range: hug an existing reservation (ends inclusive).
        for (const auto& e : m_entries) {
            if (e.size == 0)
                continue;
            if (start >= e.base && start <= e.base + e.size)
                bottomUp = true;
            if (end >= e.base && end <= e.base + e.size)
                topDown = true;
        }
        if (bottomUp != topDown)
            mb().setBottomUp(bottomUp);
    }
    uint64_t found = mb().findInRange(size, a, start, std::min(max, m_mask == ~0ull ? max : m_mask));
    if (found && (m_mask == ~0ull || found + size - 1 <= m_mask)) {
        mb().reserve(found, size);
        if (nomap)
            mb().markNomap(found, size);
    } else {
        found = 0;
    }
    mb().setBottomUp(prevBottomUp);
    *base = found;
    return found != 0;
}

bool Boot::allocDynamic(int i)
{
    // __reserved_mem_alloc_size.
    const Region& r = L.regions[size_t(i)];
    RegionBoot& b = R.regions[size_t(i)];
    if (R.noMemory) {
        b.outcome = Outcome::Unknown; // no RAM to place it in: the real board's bootloader decides
        return false;
    }
    if (r.sizeMalformed || !r.size) {
        say(i, QStringLiteral("invalid size property in '%1' node.").arg(r.name));
        b.outcome = Outcome::Ignored;
        return false;
    }
    const uint64_t size = phys(*r.size);
    uint64_t align = 0;
    if (r.alignmentMalformed) {
        say(i, QStringLiteral("invalid alignment property in '%1' node.").arg(r.name));
        b.outcome = Outcome::Ignored;
        return false;
    }
    if (r.alignment)
        align = phys(*r.alignment);
    const bool cmaAlign = v(7, 1) ? P.config.dmaCma : P.config.cma;
    if (cmaAlign && r.compatible.contains(QLatin1String("shared-dma-pool")) && r.reusable && !r.noMap)
        align = std::max(align, m_cmaAlign);
    uint64_t base = 0;
    const bool rangesUsable = !(r.allocRangesMalformed && v(6, 19));
    if (r.allocRangesMalformed && !v(6, 19)) {
        say(i, QStringLiteral("invalid alloc-ranges property in '%1', skipping node.").arg(r.name));
        b.outcome = Outcome::Ignored;
        return false;
    }
    if (!r.allocRanges.empty() && rangesUsable) {
        for (const auto& w : r.allocRanges) {
            const uint64_t start = phys(w.base);
            const uint64_t end = phys(start + w.size);
            if (allocInRange(size, align, start, end, r.noMap, &base))
                break;
        }
    } else {
        allocInRange(size, align, 0, 0, r.noMap, &base);
    }
    b.allocOrder = int(R.allocationOrder.size());
    R.allocationOrder.push_back(i);
    if (base == 0) {
        say(i, QStringLiteral("failed to allocate memory for node '%1': size %2 MiB").arg(r.name).arg(size >> 20));
        b.outcome = Outcome::AllocFailed;
        return false;
    }
    b.base = base;
    b.size = size;
    return true;
}

int Boot::cmaInit(int i)
{
    // rmem_cma_setup (kernel/dma/contiguous.c).
    const Region& r = L.regions[size_t(i)];
    RegionBoot& b = R.regions[size_t(i)];
    const bool d = v(7, 1);
    if (R.cma.present && r.cmaDefault) {
        if (d)
            return -ENODEV; // 7.1: rejected earlier by node_validate; never reached
        say(i, QStringLiteral("Reserved memory: bypass %1 node, using cmdline CMA params instead").arg(r.name));
        b.cmdlineBypassed = true;
        return -EBUSY;
    }
    if (!r.reusable || r.noMap)
        return d ? -ENODEV : -EINVAL;
    const uint64_t base = b.base.value_or(0);
    if (((base | b.size) & (m_cmaAlign - 1)) != 0) {
        say(i, QStringLiteral("Reserved memory: incorrect alignment of CMA region"));
        return -EINVAL;
    }
    // cma_init_reserved_mem.
    int err = 0;
    if (b.size == 0 || !mb().isReserved(base, b.size))
        err = -EINVAL;
    else if (R.cmaAreasUsed >= P.maxCmaAreas()) {
        say(i, QStringLiteral("Not enough slots for CMA reserved regions!"));
        b.cmaNoSlot = true;
        err = -ENOSPC;
    }
    if (err) {
        say(i, QStringLiteral("Reserved memory: unable to setup CMA region"));
        return err;
    }
    ++R.cmaAreasUsed;
    if (r.cmaDefault) {
        R.defaultCma.source = DefaultCma::Source::DtNode;
        R.defaultCma.region = i;
        R.defaultCma.base = base;
        R.defaultCma.size = b.size;
        m_defaultFromDt = true;
    }
    say(i,
        QStringLiteral("Reserved memory: created CMA memory pool at %1, size %2 MiB").arg(pa(base)).arg(b.size >> 20));
    return 0;
}

int Boot::coherentInit(int i)
{
    // rmem_dma_setup (kernel/dma/coherent.c).
    const Region& r = L.regions[size_t(i)];
    const RegionBoot& b = R.regions[size_t(i)];
    const bool d = v(7, 1);
    if (r.reusable)
        return d ? -ENODEV : -EINVAL;
    if (P.coherentNeedsNoMap() && !r.noMap) {
        say(i, QStringLiteral("Reserved memory: regions without no-map are not yet supported"));
        return -EINVAL;
    }
    say(i,
        QStringLiteral("Reserved memory: created DMA memory pool at %1, size %2 MiB")
            .arg(pa(b.base.value_or(0)))
            .arg(b.size >> 20));
    return 0;
}

int Boot::restrictedInit(int i)
{
    // rmem_swiotlb_setup (kernel/dma/swiotlb.c).
    const Region& r = L.regions[size_t(i)];
    const RegionBoot& b = R.regions[size_t(i)];
    if (r.reusable || r.cmaDefault || r.dmaDefault || r.noMap)
        return -EINVAL;
    say(i,
        QStringLiteral("Reserved memory: created restricted DMA pool at %1, size %2 MiB")
            .arg(pa(b.base.value_or(0)))
            .arg(b.size >> 20));
    return 0;
}

void Boot::init(int i)
{
    // __reserved_mem_init_node: the table in link order (contiguous.o before coherent.o).
    const Region& r = L.regions[size_t(i)];
    RegionBoot& b = R.regions[size_t(i)];
    b.initOrder = m_initCounter++;
    R.initOrder.push_back(i);
    b.initRan = true;
    const bool d = v(7, 1);
    const bool shared = r.compatible.contains(QLatin1String("shared-dma-pool"));
    const bool restricted = r.compatible.contains(QLatin1String("restricted-dma-pool"));
    struct Fn
    {
        const char* name;
        int (Boot::*fn)(int);
    };
    std::vector<Fn> table;
    if (shared && P.config.cma && P.config.dmaCma)
        table.push_back({ "cma", &Boot::cmaInit });
    if (shared && P.config.dmaDeclareCoherent)
        table.push_back({ "coherent", &Boot::coherentInit });
    if (restricted && P.config.restrictedPool)
        table.push_back({ "restricted", &Boot::restrictedInit });
    int ret = d ? -ENODEV : -ENOENT;
    for (const auto& f : table) {
        ret = (this->*f.fn)(i);
        if (ret == 0) {
            b.init = QString::fromLatin1(f.name);
            say(i, QStringLiteral("initialized node %1, compatible id %2").arg(r.name, r.compatible.value(0)));
            break;
        }
        if (d && ret != -ENODEV)
            break; // 7.1 stops at the first real error
    }
    b.initResult = ret;
    const bool kept = ret == 0 || ret == (d ? -ENODEV : -ENOENT);
    if (kept) {
        if (b.outcome == Outcome::Unknown)
            b.outcome = Outcome::Active;
        return;
    }
    say(i, QStringLiteral("node %1 compatible matching fail").arg(r.name));
    // RM-INIT-FAIL-FREE: no-map regions get their nomap flag cleared (a dynamic one stays
    // reserved), mapped ones are given back.
    const uint64_t base = b.base.value_or(0);
    if (r.noMap)
        mb().clearNomap(base, b.size);
    else
        mb().free(base, b.size);
    if (d)
        b.registered = false;
    if (b.outcome == Outcome::Unknown)
        b.outcome = Outcome::Freed;
}

std::vector<int> Boot::sortEntries(std::vector<Entry>& entries, bool fdtTieBreak)
{
    std::vector<int> idx(entries.size());
    for (size_t k = 0; k < idx.size(); ++k)
        idx[k] = int(k);
    kernelHeapSort(idx, [&](int x, int y) {
        const Entry& a = entries[size_t(x)];
        const Entry& b = entries[size_t(y)];
        if (a.base != b.base)
            return a.base < b.base ? -1 : 1;
        if (a.size != b.size)
            return a.size < b.size ? -1 : 1;
        if (fdtTieBreak && a.node != b.node)
            return a.node < b.node ? -1 : 1;
        return 0;
    });
    std::vector<Entry> sorted;
    for (int k : idx)
        sorted.push_back(entries[size_t(k)]);
    entries = sorted;
    return idx;
}

void Boot::reportOverlaps(std::vector<Entry> entries)
{
    // __rmem_check_for_overlap: adjacent pairs only, after the sort.
    if (entries.size() < 2)
        return;
    sortEntries(entries, v(6, 5) && !v(7, 1) ? true : v(7, 1));
    for (size_t k = 0; k + 1 < entries.size(); ++k) {
        const Entry& a = entries[k];
        const Entry& b = entries[k + 1];
        if (a.base + a.size > b.base) {
            R.overlaps.push_back({ a.region, b.region });
            const QString text = QStringLiteral("OVERLAP DETECTED!\n%1 (%2--%3) overlaps with %4 (%5--%6)")
                                     .arg(name(a.region), pa(a.base), pa(a.base + a.size), name(b.region), pa(b.base),
                                         pa(b.base + b.size));
            say(a.region, text);
            say(b.region, text);
        }
    }
    // What the kernel misses: overlapping pairs that are not neighbours. The entries are sorted
    // by base, so the pairs of x end at the first entry at or above x's end (saturated at 2^64).
    for (size_t x = 0; x < entries.size(); ++x) {
        const Entry& a = entries[x];
        if (!a.size)
            continue;
        const uint64_t aEnd = AddrRange { a.base, a.size }.end();
        for (size_t y = x + 2; y < entries.size() && entries[y].base < aEnd; ++y) {
            if (!entries[y].size)
                continue;
            if (R.hiddenOverlaps.size() >= kMaxListedOverlaps)
                return;
            R.hiddenOverlaps.push_back({ a.region, entries[y].region });
        }
    }
}

void Boot::defaultCmaArea()
{
    // dma_contiguous_reserve (kernel/dma/contiguous.c) → __cma_declare_contiguous_nid.
    DefaultCma& dc = R.defaultCma;
    // Created only while dma_contiguous_default_area is still NULL: a DT default wins.
    if (!P.config.cma || !P.config.dmaCma || R.noMemory || m_defaultFromDt)
        return;
    uint64_t size = 0, base = 0, limit = 0;
    bool fixed = false;
    // The arch limit for the default area.
    const uint64_t end = mb().memoryEnd();
    const uint64_t archLimit = R.zones.cmaLimit;
    R.dmaLimit = archLimit ? archLimit : end;
    if (R.cma.present) {
        size = R.cma.size;
        base = R.cma.base;
        limit = v(6, 17)
            ? (R.cma.limit ? R.cma.limit : archLimit)
            : (R.cma.limit && archLimit ? std::min(R.cma.limit, archLimit) : (R.cma.limit ? R.cma.limit : archLimit));
        fixed = R.cma.limit != 0 && base + size == R.cma.limit;
        dc.source = DefaultCma::Source::Cmdline;
    } else {
        size = uint64_t(P.config.cmaSizeMbytes) << 20;
        limit = archLimit;
        dc.source = DefaultCma::Source::Kconfig;
    }
    if (size == 0) {
        dc.source = DefaultCma::Source::None;
        return;
    }
    dc.basePredictable = P.arch == Arch::Arm;
    if (R.cmaAreasUsed >= P.maxCmaAreas()) {
        dc.failed = true;
        dc.size = size;
        dc.message = QStringLiteral("Not enough slots for CMA reserved regions! / cma: Failed to reserve %1 MiB")
                         .arg(size >> 20);
        return;
    }
    const uint64_t align = m_cmaAlign;
    if (fixed && (base & (align - 1))) {
        dc.failed = true;
        dc.message = QStringLiteral("cma: Region at %1 must be aligned to %2 bytes").arg(pa(base), pa(align));
        return;
    }
    base = (base + align - 1) & ~(align - 1);
    size = (size + align - 1) & ~(align - 1);
    // A fixed area must not cross the low/high memory boundary (32-bit ARM).
    if (fixed && R.highmemStart && base < R.highmemStart && base + size > R.highmemStart) {
        dc.failed = true;
        dc.size = size;
        dc.message = QStringLiteral("cma: Region at %1 defined on low/high memory boundary (%2)")
                         .arg(pa(base), pa(R.highmemStart));
        return;
    }
    limit &= ~(align - 1);
    dc.size = size;
    if (base == 0)
        fixed = false;
    if (limit == 0 || limit > end)
        limit = end;
    if (base + size > limit) {
        dc.failed = true;
        dc.message
            = QStringLiteral("cma: Size (%1) of region at %2 exceeds limit (%3)").arg(pa(size), pa(base), pa(limit));
        return;
    }
    uint64_t addr = 0;
    if (fixed) {
        if (mb().isReserved(base, size)) {
            dc.failed = true;
            dc.message = QStringLiteral("cma: Failed to reserve %1 MiB").arg(size >> 20);
            return;
        }
        mb().reserve(base, size);
        addr = base;
    } else {
        if (P.physAddrBits() == 64 && end >= k4G + size) {
            mb().setBottomUp(true);
            addr = mb().allocRange(size, align, k4G, limit);
            mb().setBottomUp(false);
        }
        const uint64_t hs = R.highmemStart;
        if (!addr && hs && base < hs && limit > hs) {
            addr = mb().allocRange(size, align, hs, limit);
            limit = hs;
        }
        if (!addr)
            addr = mb().allocRange(size, align, base, limit);
        if (!addr) {
            dc.failed = true;
            dc.message = QStringLiteral("cma: Failed to reserve %1 MiB").arg(size >> 20);
            return;
        }
    }
    ++R.cmaAreasUsed;
    dc.base = addr;
    dc.message = QStringLiteral("cma: Reserved %1 MiB at %2").arg(size >> 20).arg(pa(addr));
}

BootResult Boot::run()
{
    const QString cmdline = P.cmdline.has_value() ? *P.cmdline : L.bootargs;
    R.cma = parseCmaCmdline(cmdline);
    addMemory();
    m_requests = parseCmdlineRequests(cmdline, mb().memorySize()); // R.memory is memblock's memory here
    R.zones = zoneLimits(L, P, R.memory);
    const Era era = R.era;
    if (era == Era::A)
        reserveMemreserve();

    const bool containerOk = checkContainer();
    if (L.container.present && !containerOk && !R.containerIgnored) {
        // present but refused is handled in checkContainer; absent: nothing to do
    }
    std::vector<int> dynamicNodes;
    if (containerOk) {
        for (size_t i = 0; i < L.regions.size(); ++i) {
            const Region& r = L.regions[i];
            RegionBoot& b = R.regions[i];
            if (!isOkayStatus(r)) {
                b.outcome = Outcome::Disabled;
                continue;
            }
            // An overlay applied by the running kernel comes after /reserved-memory was read
            // from the initial FDT (kernel-rules-additions.md section 8): the boot never sees it.
            if (r.runtimeOverlay) {
                b.outcome = Outcome::Ignored;
                continue;
            }
            // 6.19+: a linux,cma-default node is skipped when cma= was given (7.1: node_validate).
            if (v(6, 19) && R.cma.present && r.cmaDefault && r.kind == RegionKind::Cma) {
                b.cmdlineBypassed = true;
                b.outcome = Outcome::Freed;
                say(int(i),
                    v(7, 1) ? QStringLiteral("Skipping dt linux,cma-default node in favor for \"cma=\" kernel param.")
                            : QStringLiteral("Skipping dt linux,cma-default for \"cma=\" kernel param."));
                continue;
            }
            if (regUsable(r)) {
                // ≤ 6.12 quirk: a first tuple of size 0 is saved and later allocated dynamically;
                // reserveStatic registers that placeholder (size 0) and the dynamic pass handles it.
                reserveStatic(int(i), era == Era::A || era == Era::B);
            } else if (r.placement != Placement::None && (r.size.has_value() || r.sizeMalformed)) {
                if (era == Era::A || era == Era::B) {
                    if (int(m_entries.size()) >= kMaxReservedRegions) {
                        say(int(i), QStringLiteral("not enough space for all defined regions."));
                        b.outcome = Outcome::Ignored;
                        continue;
                    }
                    m_entries.push_back({ int(i), 0, 0, r.node });
                    b.registered = true;
                } else {
                    if (int(dynamicNodes.size()) >= kMaxReservedRegions) {
                        say(int(i), QStringLiteral("not enough space for all defined regions."));
                        b.outcome = Outcome::Ignored;
                        continue;
                    }
                    dynamicNodes.push_back(int(i));
                }
            } else {
                b.outcome = Outcome::Ignored; // neither reg nor size: silently ignored
            }
        }
    }

    if (era == Era::A || era == Era::B) {
        if (era == Era::B)
            reserveMemreserve();
        // fdt_init_reserved_mem: sort (and report overlaps of what is known), then allocate and
        // initialise in the sorted order.
        if (m_entries.size() >= 2) {
            reportOverlaps(m_entries);
            sortEntries(m_entries, v(6, 5));
        }
        for (size_t k = 0; k < m_entries.size(); ++k) {
            const int i = m_entries[k].region;
            RegionBoot& b = R.regions[size_t(i)];
            if (m_entries[k].size == 0) {
                if (!allocDynamic(i)) {
                    b.registered = b.outcome == Outcome::AllocFailed ? true : b.registered;
                    continue;
                }
                m_entries[k].base = *b.base;
                m_entries[k].size = b.size;
            }
            if (b.reserveFailed)
                b.outcome = Outcome::ReserveFailed;
            init(i);
        }
    } else {
        // Era C/D: dynamic regions are allocated and initialised during the scan, in DT order.
        for (int i : dynamicNodes) {
            if (!allocDynamic(i))
                continue;
            RegionBoot& b = R.regions[size_t(i)];
            m_entries.push_back({ i, *b.base, b.size, L.regions[size_t(i)].node });
            b.registered = true;
            init(i);
        }
        reserveMemreserve();
        // ARM32 reserves the default CMA area before unflatten_device_tree(), so before the
        // static regions below are registered (CMA-STATIC-LATE-DEFAULT).
        if (P.arch == Arch::Arm)
            defaultCmaArea();
        // fdt_scan_reserved_mem_reg_nodes / _late: static regions, DT order.
        if (containerOk) {
            for (size_t i = 0; i < L.regions.size(); ++i) {
                const Region& r = L.regions[i];
                RegionBoot& b = R.regions[i];
                if (!isOkayStatus(r) || !regUsable(r) || b.outcome == Outcome::Ignored || b.cmdlineBypassed)
                    continue;
                if (v(6, 19) && r.reg.size() != 1)
                    continue; // exactly one tuple is registered from 6.19
                if (b.size == 0)
                    continue;
                m_entries.push_back({ int(i), *b.base, b.size, r.node });
                b.registered = true;
                if (b.reserveFailed)
                    b.outcome = Outcome::ReserveFailed;
                init(int(i));
            }
        }
        reportOverlaps(m_entries);
    }
    // Static regions whose node was kept without init (e.g. reserve failed) keep their outcome;
    // anything registered and untouched is active.
    for (size_t i = 0; i < L.regions.size(); ++i) {
        RegionBoot& b = R.regions[i];
        if (b.outcome == Outcome::Unknown && !(R.noMemory && L.regions[i].placement == Placement::Dynamic))
            b.outcome = b.reserveFailed ? Outcome::ReserveFailed : Outcome::Active;
        if (b.base) {
            bool inside = false;
            for (const auto& m : R.memory)
                inside |= *b.base >= m.base && saturatedEnd(*b.base, b.size) <= m.end();
            b.inRam = inside;
        }
    }
    if (!(era == Era::C || era == Era::D) || P.arch != Arch::Arm) {
        cmdlineAreas(true);
        defaultCmaArea();
    }
    cmdlineAreas(false);
    return R;
}

} // namespace

QString kernelPa(uint64_t v, int physAddrBits)
{
    const int digits = physAddrBits == 32 ? 8 : 16;
    return QStringLiteral("0x%1").arg(v, digits, 16, QLatin1Char('0'));
}

QStringList cmdlineWords(const QString& cmdline)
{
    QStringList words;
    const auto space = [](QChar c) { return c == u' ' || (c >= u'\t' && c <= u'\r'); };
    for (qsizetype i = 0; i < cmdline.size();) {
        while (i < cmdline.size() && space(cmdline.at(i)))
            ++i;
        const qsizetype start = i;
        while (i < cmdline.size() && !space(cmdline.at(i)))
            ++i;
        if (i > start)
            words << cmdline.mid(start, i - start);
    }
    return words;
}

CmaCmdline parseCmaCmdline(const QString& cmdline)
{
    CmaCmdline c;
    const QStringList words = cmdlineWords(cmdline);
    for (const auto& w : words) {
        if (!w.startsWith(QLatin1String("cma=")))
            continue;
        CmaCmdline n;
        n.present = true;
        n.text = w;
        const QString s = w.mid(4);
        int pos = 0;
        if (!memparse(s, &pos, &n.size)) {
            n.malformed = true;
        } else if (pos < s.size() && s[pos] == QLatin1Char('@')) {
            ++pos;
            if (!memparse(s, &pos, &n.base)) {
                n.malformed = true;
            } else if (pos < s.size() && s[pos] == QLatin1Char('-')) {
                ++pos;
                if (!memparse(s, &pos, &n.limit))
                    n.malformed = true;
            } else {
                n.limit = n.base + n.size;
            }
        }
        c = n; // early_param: the last one wins
    }
    return c;
}

BootResult simulateBoot(const Layout& layout, const KernelProfile& profile)
{
    Boot b(layout, profile);
    return b.run();
}

RegionPlace placeOf(const Layout& layout, const BootResult* boot, int i)
{
    const Region& r = layout.regions[size_t(i)];
    RegionPlace p { Outcome::Unknown, r.base, r.treeSize };
    if (boot && size_t(i) < boot->regions.size()) {
        const RegionBoot& b = boot->regions[size_t(i)];
        p.outcome = b.outcome;
        if (b.base) {
            p.base = b.base;
            p.size = b.size;
        }
    }
    return p;
}

} // namespace carveout
