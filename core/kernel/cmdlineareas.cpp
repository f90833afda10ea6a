// SPDX-License-Identifier: GPL-2.0-only
#include "cmdlineareas.h"

// core
#include "kernel/bootmodel.h"
#include "model/units.h"

// Qt

// std
#include <algorithm>
#include <cerrno>

namespace carveout {

namespace {

constexpr uint64_t k4G = 0x100000000ull;
constexpr uint64_t k128M = 128ull << 20;
constexpr uint64_t kCrashAddrHighMax = 1ull << 48; // arm64 PHYS_MASK + 1 (48-bit PA)
constexpr int kReserveMemMaxEntries = 8; // RESERVE_MEM_MAX_ENTRIES
constexpr int kReserveMemNameSize = 16; // RESERVE_MEM_NAME_SIZE

/** memparse() over the whole of `s` from `*pos`; false when no number starts there. */
bool take(const QString& s, qsizetype* pos, uint64_t* out)
{
    return scanSize(s, pos, out);
}

/** `size` or `N:size` (hugetlb_cma=, numa_cma=): node 0 is the only node of a UMA board. */
CmdlineRequests::Sized parseSized(const QString& word, qsizetype prefix)
{
    CmdlineRequests::Sized r;
    r.present = true;
    r.text = word;
    const QString s = word.mid(prefix);
    qsizetype pos = 0;
    uint64_t v = 0;
    if (!take(s, &pos, &v)) {
        r.malformed = true;
        return r;
    }
    if (pos < s.size() && s[pos] == QLatin1Char(':')) {
        r.node = int(std::min<uint64_t>(v, 1 << 16));
        ++pos;
        if (!take(s, &pos, &v)) {
            r.malformed = true;
            return r;
        }
    }
    r.size = v;
    r.malformed = pos < s.size() && s[pos] != QLatin1Char(',');
    return r;
}

/** parse_crashkernel_mem: "start-[end]:size[,...][@offset]", the size of the range that holds
 *  the RAM size rounded up to 128 MiB. */
bool parseCrashRanges(const QString& s, uint64_t systemRam, uint64_t* size, uint64_t* base)
{
    const uint64_t ram = (systemRam + k128M - 1) & ~(k128M - 1);
    qsizetype pos = 0;
    *size = 0;
    for (;;) {
        uint64_t start = 0, end = ~0ull, sz = 0;
        if (!take(s, &pos, &start) || pos >= s.size() || s[pos] != QLatin1Char('-'))
            return false;
        ++pos;
        if (pos < s.size() && s[pos] != QLatin1Char(':') && !take(s, &pos, &end))
            return false;
        if (pos >= s.size() || s[pos] != QLatin1Char(':') || end <= start)
            return false;
        ++pos;
        if (!take(s, &pos, &sz))
            return false;
        if (!*size && ram >= start && ram < end)
            *size = sz;
        if (pos < s.size() && s[pos] == QLatin1Char(',')) {
            ++pos;
            continue;
        }
        break;
    }
    if (pos < s.size() && s[pos] == QLatin1Char('@')) {
        ++pos;
        if (!take(s, &pos, base))
            return false;
    }
    return pos == s.size();
}

bool parseCrashPlain(const QString& s, uint64_t systemRam, uint64_t* size, uint64_t* base)
{
    if (s.contains(QLatin1Char(':')))
        return parseCrashRanges(s, systemRam, size, base);
    qsizetype pos = 0;
    if (!take(s, &pos, size))
        return false;
    if (pos < s.size() && s[pos] == QLatin1Char('@')) {
        ++pos;
        if (!take(s, &pos, base))
            return false;
    }
    return pos == s.size();
}

QString hex08(uint64_t v)
{
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

QString hex016(uint64_t v)
{
    return QStringLiteral("0x%1").arg(v, 16, 16, QLatin1Char('0'));
}

/** Top-down below the end of RAM on arm64, or of lowmem on ARM, is below early allocations no
 *  tree shows. */
bool predictableTopDown(const CmdlineAreaBoot& b, uint64_t end)
{
    const uint64_t top = b.highmemStart ? b.highmemStart : b.memblock.memoryEnd();
    return end < top;
}

/** __cma_declare_contiguous_nid(base 0, size, limit 0, align, nid 0): the slot check, then
 *  bottom-up from 4 GiB when RAM reaches that far, else top-down. */
bool cmaDeclare(CmdlineAreaBoot& b, CmdlineArea& a, uint64_t size, uint64_t align)
{
    const KernelProfile& P = b.profile;
    a.cma = true;
    if (b.cmaAreasUsed >= P.maxCmaAreas()) {
        a.kernelMessages << QStringLiteral("cma: Not enough slots for CMA reserved regions!");
        a.failed = a.noSlot = true;
        a.size = size;
        return false;
    }
    align = std::max(align, P.cmaMinAlignment());
    const uint64_t asked = size;
    size = (size + align - 1) & ~(align - 1);
    a.size = size;
    if (size < asked || size == 0) { // wrapped past 2^64: no RAM holds it
        a.kernelMessages << QStringLiteral("cma: Failed to reserve %1 MiB").arg(asked >> 20);
        a.failed = true;
        return false;
    }
    Memblock& mb = b.memblock;
    const uint64_t end = mb.memoryEnd();
    uint64_t addr = 0;
    if (P.physAddrBits() == 64 && end >= k4G + size) {
        mb.setBottomUp(true);
        addr = mb.allocRange(size, align, k4G, end);
        mb.setBottomUp(false);
    }
    if (!addr) {
        addr = mb.allocRange(size, align, 0, end);
        a.basePredictable = predictableTopDown(b, end);
    }
    if (!addr) {
        a.kernelMessages << QStringLiteral("cma: Failed to reserve %1 MiB").arg(size >> 20);
        a.failed = true;
        return false;
    }
    ++b.cmaAreasUsed;
    a.base = addr;
    // "on node %d" since bf29bfaa5490 (6.6), which passes NUMA_NO_NODE without CONFIG_NUMA.
    a.kernelMessages << QStringLiteral("cma: Reserved %1 MiB at %2%3")
                            .arg(size >> 20)
                            .arg(kernelPa(addr, P.physAddrBits()))
                            .arg(P.version.atLeast(6, 6) ? QStringLiteral(" on node %1").arg(P.config.numa ? 0 : -1)
                                                         : QString());
    return true;
}

void hugetlbCma(CmdlineAreaBoot& b, const CmdlineRequests::Sized& q)
{
    // hugetlb_cma_reserve(order) from arm64_hugetlb_cma_reserve(): order of the gigantic page
    // (PUD with 4K pages, CONT_PMD with 16K and 64K), areas aligned to PAGE_SIZE << HUGETLB_PAGE_ORDER.
    const KernelProfile& P = b.profile;
    if (!q.present || q.malformed || q.size == 0 || !P.config.hugetlb || !P.config.cma || P.hugePageOrder() < 0)
        return;
    const int shift = P.pageShift();
    const int gigShift = P.pageSize == 4096 ? 30 : shift == 14 ? 30 : 34;
    const uint64_t gigantic = 1ull << gigShift;
    CmdlineArea a;
    a.kind = CmdlineArea::Kind::HugetlbCma;
    a.name = QStringLiteral("hugetlb0");
    a.option = q.text;
    a.cma = true;
    if (q.node > 0) {
        a.kernelMessages << QStringLiteral("hugetlb_cma: invalid node %1 specified").arg(q.node);
        a.failed = true;
        b.out.push_back(a);
        return;
    }
    uint64_t size = q.size;
    // The multiple-of check is only in trees after 7.0's arch_hugetlb_cma_order(); 6.19 still
    // has the at-least check (docs/kernel-rules-additions.md 3).
    if (P.version.atLeast(7, 0)) {
        if (size % gigantic) {
            a.kernelMessages
                << QStringLiteral("hugetlb_cma: cma area must be a multiple of %1 MiB").arg(gigantic >> 20);
            a.failed = true;
            b.out.push_back(a);
            return;
        }
    } else if (size < gigantic) {
        a.kernelMessages << QStringLiteral("hugetlb_cma: cma area should be at least %1 MiB").arg(gigantic >> 20);
        a.failed = true;
        b.out.push_back(a);
        return;
    }
    size = std::max(size, (size + gigantic - 1) & ~(gigantic - 1)); // a wrap keeps the size, which then fails
    if (q.node < 0)
        a.kernelMessages
            << QStringLiteral("hugetlb_cma: reserve %1 MiB, up to %2 MiB per node").arg(q.size >> 20).arg(size >> 20);
    // One bit per HUGETLB_PAGE_ORDER block, the smallest piece a demoted page gives back: the
    // "pass correct order_per_bit" fix of 6.10, taken by the 6.1.y and 6.6.y stable lines (0 before).
    a.orderPerBit = P.version.atLeast(6, 1) ? unsigned(P.hugePageOrder()) : 0;
    a.granule = gigantic;
    if (cmaDeclare(b, a, size, P.pageSize << P.hugePageOrder()))
        a.kernelMessages << QStringLiteral("hugetlb_cma: reserved %1 MiB on node 0").arg(size >> 20);
    else
        a.kernelMessages
            << QStringLiteral("hugetlb_cma: reservation failed: err %1, node 0").arg(a.noSlot ? -ENOSPC : -ENOMEM);
    b.out.push_back(a);
}

void numaCma(CmdlineAreaBoot& b, const CmdlineRequests::Sized& q, CmdlineArea::Kind kind)
{
    // dma_pernuma_cma_reserve (≤ 6.5) / dma_numa_cma_reserve (6.6+): one area per online node.
    const KernelProfile& P = b.profile;
    if (!q.present || q.malformed || q.size == 0)
        return;
    const bool pernuma = kind == CmdlineArea::Kind::PernumaCma;
    const QString fn
        = P.version.atLeast(6, 6) ? QStringLiteral("dma_numa_cma_reserve") : QStringLiteral("dma_pernuma_cma_reserve");
    CmdlineArea a;
    a.kind = kind;
    a.name = pernuma ? QStringLiteral("pernuma0") : QStringLiteral("numa0");
    a.option = q.text;
    a.cma = true;
    if (!pernuma && q.node != 0) {
        a.kernelMessages << QStringLiteral("invalid node %1 specified").arg(q.node);
        a.failed = true;
    } else if (!cmaDeclare(b, a, q.size, 0)) {
        a.kernelMessages
            << QStringLiteral("%1: reservation failed: err %2, node 0").arg(fn).arg(a.noSlot ? -ENOSPC : -ENOMEM);
    }
    b.out.push_back(a);
}

/** memblock_phys_alloc_range, top-down; records whether the base can be known. */
uint64_t allocTopDown(CmdlineAreaBoot& b, CmdlineArea& a, uint64_t size, uint64_t align, uint64_t from, uint64_t to)
{
    const uint64_t end = std::min(to, b.memblock.memoryEnd());
    const uint64_t addr = b.memblock.allocRange(size, align, from, end);
    a.basePredictable = predictableTopDown(b, end);
    a.limit = to;
    return addr;
}

/** parse_crashkernel() refuses a size of at least the RAM it is given from 6.12 ("crash: fix crash memory reserve
 *  exceed system memory bug"), saying nothing. */
bool refusedAsTooLarge(const KernelProfile& P, uint64_t size, uint64_t systemRam, CmdlineArea& a)
{
    if (!P.version.atLeast(6, 12) || size < systemRam)
        return false;
    a.failed = true;
    a.note = QStringLiteral("parse_crashkernel() refuses a size of at least the system RAM (%1 MiB) and the kernel "
                            "reserves nothing, silently (6.12+)")
                 .arg(systemRam >> 20);
    return true;
}

void crashArm(CmdlineAreaBoot& b, const CmdlineRequests::Crash& q, CmdlineArea& a)
{
    // arch/arm/kernel/setup.c reserve_crashkernel: 128 MiB aligned, below the end of lowmem.
    const uint64_t start = b.memblock.memory().empty() ? 0 : b.memblock.memory().front().base;
    // setup_arch's second adjust_lowmem_bounds (after the tree's no-map) walks only mapped
    // memory: lowmem (high_memory, the memblock limit, "System RAM") ends with the last mapped
    // block that starts below the first pass's limit (case 46: 0x68000000 under a no-map top).
    const uint64_t firstLimit = b.highmemStart ? b.highmemStart : b.memblock.memoryEnd();
    uint64_t lowmemEnd = start;
    for (const auto& m : b.memblock.memory()) {
        if (!m.nomap && m.base < firstLimit)
            lowmemEnd = std::min(m.end(), firstLimit);
    }
    const uint64_t size = q.size;
    if (refusedAsTooLarge(b.profile, size, lowmemEnd - start, a)) // get_total_mem(): lowmem
        return;
    uint64_t base = 0;
    if (q.base) {
        base = b.memblock.allocRange(size, 1ull << 20, q.base, q.base + size);
        if (base != q.base) {
            if (base)
                b.memblock.free(base, size);
            a.kernelMessages << QStringLiteral("crashkernel reservation failed - memory is in use.");
            a.failed = true;
            return;
        }
    } else {
        // setup_arch runs paging_init (page tables, FLATMEM's mem_map: 32 bytes a page) and
        // unflatten_device_tree before this, each memblock_alloc'd top-down below lowmem's end:
        // the 128 MiB slot holding them is taken (case 44: 0x58000000, not 0x68000000). Their
        // exact size is unknown, so a base is only claimed when their bottom is far from a slot edge.
        const uint64_t span = b.memblock.memoryEnd() - start;
        const uint64_t early = span / 4096 * 32 + (2ull << 20);
        const uint64_t earlyBase = b.memblock.allocRange(early, 4096, start, lowmemEnd);
        base = allocTopDown(b, a, size, k128M, k128M, lowmemEnd);
        const uint64_t intoSlot = earlyBase % k128M;
        a.basePredictable = earlyBase && intoSlot > (8ull << 20) && intoSlot < k128M - (8ull << 20);
        if (earlyBase)
            b.memblock.free(earlyBase, early);
        if (!base) {
            a.kernelMessages << QStringLiteral("crashkernel reservation failed - No suitable area found.");
            a.failed = true;
            return;
        }
    }
    a.base = base;
    a.kernelMessages << QStringLiteral("Reserving %1MB of memory at %2MB for crashkernel (System RAM: %3MB)")
                            .arg(size >> 20)
                            .arg(base >> 20)
                            .arg((lowmemEnd - start) >> 20);
}

void crashArm64(CmdlineAreaBoot& b, const CmdlineRequests::Crash& q, CmdlineArea& a)
{
    // CRASH_ALIGN 2 MiB, CRASH_ADDR_LOW_MAX = arm64_dma_phys_limit, memblock top-down. The eras
    // (docs/kernel-rules-additions.md 3): 5.19 arm64 reserve_crashkernel with ",high" (944a45abfabc);
    // 6.2 fallbacks and a default low part (a9ae89df7377, a149cf00b158); 6.5 ",high" only above
    // 4 GiB first, then below LOW_MAX (6c4dcaddbd36); 6.7 reserve_crashkernel_generic, whose
    // ",high" starts at LOW_MAX (fdc268232dbb). A ",low" counts only with ",high".
    const KernelProfile& P = b.profile;
    const KernelVersion& v = P.version;
    const bool fallback = v.atLeast(6, 2), split = v.atLeast(6, 5);
    const uint64_t lowMax = b.dmaLimit;
    const uint64_t align = 2ull << 20;
    if (refusedAsTooLarge(P, q.size, b.memblock.memorySize(), a))
        return;
    if (q.high && !v.atLeast(5, 19)) {
        a.failed = true;
        a.note = QStringLiteral("arm64 knows crashkernel=X,high from 5.19; before, it reserves nothing");
        return;
    }
    const uint64_t size = std::max(q.size, (q.size + P.pageSize - 1) & ~(P.pageSize - 1));
    uint64_t low = q.high ? q.low.value_or(fallback ? k128M : 0) : 0;
    a.size = size;
    uint64_t base = 0;
    if (q.base) {
        base = allocTopDown(b, a, size, align, q.base, q.base + size);
        a.basePredictable = true;
    } else if (q.high) {
        const uint64_t from = !split ? 0 : v.atLeast(6, 7) ? lowMax : k4G;
        base = allocTopDown(b, a, size, align, from, kCrashAddrHighMax);
        if (!base && split)
            base = allocTopDown(b, a, size, align, 0, lowMax);
    } else {
        base = allocTopDown(b, a, size, align, 0, lowMax);
        if (!base && fallback) {
            low = k128M; // DEFAULT_CRASH_KERNEL_LOW_SIZE
            base = allocTopDown(b, a, size, align, split ? lowMax : 0, kCrashAddrHighMax);
        }
    }
    if (!base) {
        a.kernelMessages << (q.base && split
                ? QStringLiteral("crashkernel reservation failed - memory is in use.")
                : QStringLiteral("cannot allocate crashkernel (size:0x%1)").arg(size, 0, 16));
        a.failed = true;
        return;
    }
    // 6.2-6.4 also made the low part for a kernel reaching into its last `low` bytes below LOW_MAX.
    const bool needLow = low && (fallback && !split ? base + low > lowMax : base >= lowMax);
    if (needLow) {
        CmdlineArea l;
        l.kind = CmdlineArea::Kind::CrashKernelLow;
        l.name = QStringLiteral("crashkernel-low");
        l.option = a.option;
        l.size = low;
        const uint64_t lb = allocTopDown(b, l, low, align, 0, lowMax);
        if (!lb) {
            b.memblock.free(base, size);
            a.kernelMessages << QStringLiteral("cannot allocate crashkernel low memory (size:0x%1).").arg(low, 0, 16);
            a.failed = true;
            return;
        }
        l.base = lb;
        l.kernelMessages << QStringLiteral("crashkernel low memory reserved: %1 - %2 (%3 MB)")
                                .arg(hex08(lb), hex08(lb + low))
                                .arg(low >> 20);
        b.out.push_back(l);
    }
    a.base = base;
    a.kernelMessages << QStringLiteral("crashkernel reserved: %1 - %2 (%3 MB)")
                            .arg(hex016(base), hex016(base + size))
                            .arg(size >> 20);
}

} // namespace

QString cmdlineAreaKindName(CmdlineArea::Kind k)
{
    // In the order of CmdlineArea::Kind.
    static const char* const names[] = { "hugetlb_cma", "cma_pernuma", "numa_cma", "crashkernel", "crashkernel_low",
        "crashkernel_cma", "reserve_mem" };
    return QLatin1String(names[int(k)]);
}

CmdlineRequests parseCmdlineRequests(const QString& cmdline, uint64_t systemRam)
{
    CmdlineRequests q;
    const QStringList words = cmdlineWords(cmdline);
    // parse_crashkernel: the last crashkernel= of each suffix counts.
    QString plain, high, low, cma;
    for (const QString& w : words) {
        if (w.startsWith(QLatin1String("hugetlb_cma=")))
            q.hugetlbCma = parseSized(w, 12);
        else if (w.startsWith(QLatin1String("cma_pernuma=")))
            q.pernuma = parseSized(w, 12);
        else if (w.startsWith(QLatin1String("numa_cma=")))
            q.numaCma = parseSized(w, 9);
        else if (w.startsWith(QLatin1String("reserve_mem="))) {
            CmdlineRequests::ReserveMem m;
            m.text = w;
            const QString s = w.mid(12);
            qsizetype pos = 0;
            m.malformed = !take(s, &pos, &m.size) || m.size == 0 || pos >= s.size() || s[pos] != QLatin1Char(':');
            if (!m.malformed) {
                ++pos;
                m.malformed = !take(s, &pos, &m.align) || pos >= s.size() || s[pos] != QLatin1Char(':');
            }
            if (!m.malformed) {
                m.name = s.mid(pos + 1);
                m.malformed = m.name.trimmed().isEmpty() || m.name.size() >= kReserveMemNameSize;
            }
            q.reserveMem.push_back(m);
        } else if (w.startsWith(QLatin1String("crashkernel="))) {
            const QString v = w.mid(12);
            (v.endsWith(QLatin1String(",high"))         ? high
                    : v.endsWith(QLatin1String(",low")) ? low
                    : v.endsWith(QLatin1String(",cma")) ? cma
                                                        : plain)
                = v;
        }
    }
    auto& c = q.crash;
    auto sizeOf = [](const QString& v, int suffix, uint64_t* out) {
        qsizetype pos = 0;
        const QString s = v.left(v.size() - suffix);
        return take(s, &pos, out) && pos == s.size();
    };
    if (!plain.isEmpty()) {
        c.present = true;
        c.text = QStringLiteral("crashkernel=") + plain;
        c.malformed = !parseCrashPlain(plain, systemRam, &c.size, &c.base);
    } else if (!high.isEmpty()) {
        c.present = true;
        c.high = true;
        c.text = QStringLiteral("crashkernel=") + high;
        c.malformed = !sizeOf(high, 5, &c.size);
    }
    if (c.present && !low.isEmpty()) {
        uint64_t l = 0;
        if (sizeOf(low, 4, &l))
            c.low = l;
        else
            c.malformed = true;
        c.text += QStringLiteral(" crashkernel=") + low;
    }
    if (!cma.isEmpty()) {
        uint64_t z = 0;
        if (sizeOf(cma, 4, &z))
            c.cma = z;
        if (!c.present)
            c.text = QStringLiteral("crashkernel=") + cma;
        else
            c.text += QStringLiteral(" crashkernel=") + cma;
    }
    return q;
}

void reserveCmdlineCmaAreas(CmdlineAreaBoot& b, const CmdlineRequests& q)
{
    const KernelProfile& P = b.profile;
    if (P.arch != Arch::Arm64 || !P.config.cma)
        return;
    if (!P.version.atLeast(7, 0))
        hugetlbCma(b, q.hugetlbCma);
    // cma_pernuma= and numa_cma= need CONFIG_DMA_PERNUMA_CMA / CONFIG_DMA_NUMA_CMA (numa_cma= 6.6+);
    // without it the options are unknown and go to init.
    if (!P.config.dmaNumaCma || !P.config.dmaCma)
        return;
    numaCma(b, q.pernuma, CmdlineArea::Kind::PernumaCma);
    if (P.version.atLeast(6, 6))
        numaCma(b, q.numaCma, CmdlineArea::Kind::NumaCma);
}

void reserveLateHugetlbCma(CmdlineAreaBoot& b, const CmdlineRequests& q)
{
    // 9fac145b6d3f "mm, arch: consolidate hugetlb CMA reservation" (7.0).
    const KernelProfile& P = b.profile;
    if (P.arch == Arch::Arm64 && P.config.cma && P.version.atLeast(7, 0))
        hugetlbCma(b, q.hugetlbCma);
}

void reserveCrashKernel(CmdlineAreaBoot& b, const CmdlineRequests& q)
{
    const KernelProfile& P = b.profile;
    const auto& c = q.crash;
    if (P.arch == Arch::Riscv || b.memblock.memory().empty())
        return;
    if (c.present && !c.malformed && c.size) {
        CmdlineArea a;
        a.kind = CmdlineArea::Kind::CrashKernel;
        a.name = QStringLiteral("crashkernel");
        a.option = c.text;
        a.size = c.size;
        if (P.arch == Arch::Arm)
            crashArm(b, c, a);
        else
            crashArm64(b, c, a);
        b.out.push_back(a);
    }
    // reserve_crashkernel_cma (ab475510e042, 6.17, x86 first): arm64's arch_reserve_crashkernel
    // calls it from 7.3 (c12c63d05dfe); before, parse_crashkernel skips the ",cma" word. Halves
    // the request until it fits, in at most CRASHKERNEL_CMA_RANGES_MAX (4) areas.
    if (c.cma && P.arch == Arch::Arm64 && P.version.atLeast(7, 3) && P.config.cma) {
        uint64_t request = (c.cma + P.pageSize - 1) & ~(P.pageSize - 1), reserved = 0;
        int ranges = 0;
        while (c.cma > reserved && ranges < 4) {
            CmdlineArea a;
            a.kind = CmdlineArea::Kind::CrashKernelCma;
            a.name = QStringLiteral("crashkernel");
            a.option = c.text;
            if (!cmaDeclare(b, a, request, 0)) {
                if (a.noSlot || request <= P.pageSize)
                    break;
                request = ((request / 2) + P.pageSize - 1) & ~(P.pageSize - 1);
                continue;
            }
            reserved += request;
            ++ranges;
            if (c.cma <= reserved)
                a.kernelMessages
                    << QStringLiteral("crashkernel CMA reserved: %1 MB in %2 ranges").arg(reserved >> 20).arg(ranges);
            b.out.push_back(a);
        }
        if (c.cma > reserved) {
            CmdlineArea f;
            f.kind = CmdlineArea::Kind::CrashKernelCma;
            f.name = QStringLiteral("crashkernel");
            f.option = c.text;
            f.cma = true;
            f.failed = true;
            f.size = c.cma - reserved;
            f.kernelMessages << QStringLiteral("crashkernel CMA reservation failed: %1 MB requested, %2 MB reserved "
                                               "in %3 ranges")
                                    .arg(c.cma >> 20)
                                    .arg(reserved >> 20)
                                    .arg(ranges);
            b.out.push_back(f);
        }
    }
}

void reserveMemAreas(CmdlineAreaBoot& b, const CmdlineRequests& q)
{
    const KernelProfile& P = b.profile;
    if (!P.version.atLeast(6, 11) || b.memblock.memory().empty())
        return;
    QStringList names;
    for (const auto& m : q.reserveMem) {
        CmdlineArea a;
        a.kind = CmdlineArea::Kind::ReserveMem;
        a.name = m.name;
        a.option = m.text;
        a.size = m.size;
        a.basePredictable = false; // after setup_arch: below every early allocation
        if (m.malformed || int(names.size()) >= kReserveMemMaxEntries || names.contains(m.name)) {
            a.failed = true;
            // A full table or a name already taken: -EBUSY, silently.
            if (m.malformed)
                a.kernelMessages << QStringLiteral("reserve_mem: empty or malformed parameter");
            b.out.push_back(a);
            continue;
        }
        const uint64_t align = std::max<uint64_t>(m.align, P.smpCacheBytes());
        const uint64_t end = b.highmemStart ? b.highmemStart : b.memblock.memoryEnd();
        const uint64_t base = b.memblock.allocRange(m.size, align, 0, end);
        if (!base) {
            a.failed = true;
        } else {
            a.base = base;
            names << m.name;
        }
        b.out.push_back(a);
    }
}

} // namespace carveout
