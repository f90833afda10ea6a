// SPDX-License-Identifier: GPL-2.0-only
// Run-time allocators (kernel-rules.md 3.7 to 3.9): the worked examples as written there, random
// operation sequences against bit-by-bit transcriptions of the kernel's algorithms (mm/cma.c,
// kernel/dma/coherent.c, lib/bitmap.c, kernel/dma/swiotlb.c) that share no code with core/sim, invariants, the
// workload format, routing on a real board, incremental re-runs and the smallest-pool search.

// core
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "sim/allocators.h"
#include "sim/simulator.h"
#include "sim/timeline.h"
#include "sim/workload.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

// std
#include <map>
#include <random>

using namespace carveout;
using namespace carveout::sim;

class TestSim : public QObject
{
    Q_OBJECT
private slots:
    void cmaWorkedExample();
    void cmaOffsetAndOrderPerBit();
    void cmaBusyWorkedExample();
    void busyRangesInTheSimulation();
    void coherentWorkedExample();
    void restrictedWorkedExample();
    void allocatorsGiveTheirWholeSize();
    void bitmapSearchMatchesPlain_data();
    void bitmapSearchMatchesPlain();
    void cmaRandomAgainstKernelModel();
    void cmaBusyRandomAgainstKernelModel();
    void coherentRandomAgainstKernelModel();
    void restrictedRandomAgainstPlain();
    void workloadParsing();
    void workloadErrors_data();
    void workloadErrors();
    void routingOnSample();
    void restrictedAndGlobalPools();
    void dmaReachRouting();
    void incrementalReruns();
    void minSizeIsTight();
    void minSizeProgressAndCancel();
    void heatmapWindowMatchesIntegration();
    void timelineOnSample();
};

void TestSim::cmaWorkedExample()
{
    // kernel-rules.md 3.7.5: [0x40000000, 0x44000000), 4K pages, order_per_bit 0.
    CmaArea cma(0x40000, 16384);
    QCOMPARE(*cma.alloc(3, 2), uint64_t(0x40000)); // 1.
    QCOMPARE(*cma.alloc(3, 2), uint64_t(0x40004)); // 2. bit 3 stays a hole
    QCOMPARE(*cma.alloc(1, 0), uint64_t(0x40003)); // 3.
    QVERIFY(cma.release(0x40000, 3)); // 4.
    QVERIFY(!cma.bitmap().test(0) && !cma.bitmap().test(2) && cma.bitmap().test(3));
    QVERIFY(!cma.release(0x3ffff, 1)); // not this area's
    QVERIFY(!cma.release(0x43fff, 2)); // runs past the end
}

void TestSim::cmaOffsetAndOrderPerBit()
{
    // 5. base 0x40200000: 1024 pages aligned to order 10 land at pfn 0x40400 (bitmap index 512).
    CmaArea cma(0x40200, 16384);
    QCOMPARE(*cma.alloc(1024, 10), uint64_t(0x40400));
    QVERIFY(cma.bitmap().test(512) && !cma.bitmap().test(511));
    // 6. order_per_bit 2: 3 pages take one bit, align 1 <= opb gives mask 0.
    CmaArea coarse(0x40000, 16384, 2);
    QCOMPARE(*coarse.alloc(3, 1), uint64_t(0x40000));
    QCOMPARE(coarse.bitmap().setCount(), uint64_t(1));
    QCOMPARE(*coarse.alloc(3, 1), uint64_t(0x40004));
    AllocFailure why;
    QVERIFY(!cma.alloc(20000, 0, &why));
    QCOMPARE(why, AllocFailure::LargerThanPool);
    QVERIFY(!cma.alloc(0, 0, &why));
    QCOMPARE(why, AllocFailure::ZeroCount);
}

void TestSim::cmaBusyWorkedExample()
{
    // mm/cma.c: a candidate alloc_contig_range refuses (-EBUSY) has its bits cleared and the
    // search restarts at bitmap_no + mask + 1. Worked by hand, base pfn 0x40000, page 2 pinned:
    // The predicate is alloc_contig_range's -EBUSY: the end of the busy range, 0 when free.
    const auto pinned = [](uint64_t pfn, uint64_t n) { return pfn <= 0x40002 && 0x40002 < pfn + n ? 0x40003 : 0; };
    CmaArea cma(0x40000, 16384);
    AllocFailure why;
    uint64_t retries = 0;
    // 4 pages, align 2 (mask 3): candidate 0 holds page 2 -> start 4 -> candidate 4.
    QCOMPARE(*cma.alloc(4, 2, pinned, &why, &retries), uint64_t(0x40004));
    QCOMPARE(retries, uint64_t(1));
    // 4 pages, align 0 (mask 0): candidate 0 holds page 2 -> start 1: [1, 5) holds the used
    // bit 4, so the search itself restarts at 5 and gives 8. One retry.
    retries = 0;
    QCOMPARE(*cma.alloc(4, 0, pinned, &why, &retries), uint64_t(0x40008));
    QCOMPARE(retries, uint64_t(1));
    // The same on an empty area: candidates 0, 1 and 2 hold page 2 (start 1, 2, 3) -> 3.
    // Three retries, one page at a time.
    CmaArea empty(0x40000, 16384);
    retries = 0;
    QCOMPARE(*empty.alloc(4, 0, pinned, &why, &retries), uint64_t(0x40003));
    QCOMPARE(retries, uint64_t(3));
    // 1 page, align 0: 0 and 1 are free and not pinned; then 2 is pinned -> 3.
    QCOMPARE(*cma.alloc(1, 0, pinned, &why, &retries), uint64_t(0x40000));
    QCOMPARE(*cma.alloc(1, 0, pinned, &why, &retries), uint64_t(0x40001));
    retries = 0;
    QCOMPARE(*cma.alloc(1, 0, pinned, &why, &retries), uint64_t(0x40003));
    QCOMPARE(retries, uint64_t(1));
    QVERIFY(!cma.bitmap().test(2)); // refused candidates leave no bit set
    // An 8-page area with page 4 pinned: the only candidate fails, start 1 finds none: -EBUSY.
    CmaArea small(0x40000, 8);
    retries = 0;
    const auto four = [](uint64_t pfn, uint64_t n) { return pfn <= 0x40004 && 0x40004 < pfn + n ? 0x40005 : 0; };
    QVERIFY(!small.alloc(8, 3, four, &why, &retries));
    QCOMPARE(why, AllocFailure::Busy);
    QCOMPARE(retries, uint64_t(1));
    QCOMPARE(small.bitmap().setCount(), uint64_t(0));
    // Without busy pages nothing changes: the same area gives 0.
    QCOMPARE(*small.alloc(8, 3, &why), uint64_t(0x40000));
}

void TestSim::coherentWorkedExample()
{
    // kernel-rules.md 3.8: 1 MiB pool (256 pages).
    CoherentPool pool(0x100000, 4096);
    QCOMPARE(*pool.alloc(12 * 1024), uint64_t(0)); // order 2: pages 0-3
    QCOMPARE(*pool.alloc(4 * 1024), uint64_t(4)); // order 0
    QCOMPARE(*pool.alloc(8 * 1024), uint64_t(6)); // order 1: 0, 2, 4 busy
    QVERIFY(!pool.bitmap().test(5));
    pool.release(0, 12 * 1024);
    QCOMPARE(*pool.alloc(16 * 1024), uint64_t(0));
    AllocFailure why;
    QVERIFY(!pool.alloc(0x100001, &why));
    QCOMPARE(why, AllocFailure::LargerThanPool);
    QVERIFY(!pool.alloc(0x100000, &why)); // the whole pool, but pages are taken
    QCOMPARE(why, AllocFailure::NotEnoughFree);
}

void TestSim::restrictedWorkedExample()
{
    // kernel-rules.md 3.9: 4 MiB at 0x50000000 (2048 slots).
    RestrictedPool pool(0x50000000, 4 << 20, 4096);
    QCOMPARE(pool.slotCount(), uint64_t(2048));
    QCOMPARE(pool.list(0), 128u);
    QCOMPARE(*pool.alloc(8192), uint64_t(0)); // align 0x1fff, stride 4, 4 slots
    QCOMPARE(pool.cursor(), uint64_t(4));
    QCOMPARE(pool.list(4), 124u);
    QCOMPARE(*pool.alloc(4096), uint64_t(4)); // 0x50002000 is 4K-aligned
    QCOMPARE(pool.cursor(), uint64_t(6));
    pool.release(0);
    QCOMPARE(pool.list(0), 4u); // free again up to the buffer at slot 4
    QCOMPARE(pool.usedSlots(), uint64_t(2));
    AllocFailure why;
    QVERIFY(!pool.alloc(512 * 1024, &why)); // 256 slots: more than one segment
    QCOMPARE(why, AllocFailure::SwiotlbTooLarge);
}

void TestSim::allocatorsGiveTheirWholeSize()
{
    // An empty pool serves one request of exactly its size, and refuses one page more.
    for (const unsigned opb : { 0u, 2u }) {
        CmaArea cma(0x40000, 16384, opb);
        AllocFailure why;
        QVERIFY(!cma.alloc(16385, 0, &why));
        QCOMPARE(why, AllocFailure::LargerThanPool);
        QCOMPARE(cma.alloc(16384, 8, &why).value_or(0), uint64_t(0x40000));
        QCOMPARE(cma.usedPages(), uint64_t(16384));
        QVERIFY(!cma.alloc(1, 0, &why));
        QCOMPARE(why, AllocFailure::NotEnoughFree);
    }
    CoherentPool pool(0x100000, 4096);
    QCOMPARE(pool.alloc(0x100000).value_or(1), uint64_t(0));
    QCOMPARE(pool.usedPages(), uint64_t(256));
    RestrictedPool restricted(0x50000000, 128 * 2048, 4096); // one segment: 256 KiB at most
    QCOMPARE(restricted.alloc(128 * 2048).value_or(1), uint64_t(0));
    QCOMPARE(restricted.usedSlots(), uint64_t(128));
}

void TestSim::bitmapSearchMatchesPlain_data()
{
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("span"); // longest edit; 0: an eighth of the map
    for (int bits : { 1, 63, 64, 65, 200, 1000, 4096, 5000 })
        for (int seed : { 1, 2, 3 })
            QTest::addRow("%d-bits-seed-%d", bits, seed) << bits << seed << 0;
    // Short edits leave hundreds of runs: many chunks, split and dropped, and the chunk search
    // past 16 chunks.
    for (int bits : { 3000, 20000 })
        for (int seed : { 1, 2 })
            QTest::addRow("%d-bits-seed-%d-fragmented", bits, seed) << bits << seed << 4;
}

void TestSim::bitmapSearchMatchesPlain()
{
    QFETCH(int, bits);
    QFETCH(int, seed);
    QFETCH(int, span);
    std::mt19937_64 rng { uint64_t(seed) };
    PoolBitmap fast { uint64_t(bits) };
    PlainBitmap plain { uint64_t(bits) };
    WordBitmap words { uint64_t(bits) }; // the kernel's word-wise code, bench_sim's baseline
    for (int round = 0; round < (span ? 1500 : 400); ++round) {
        const uint64_t a = rng() % uint64_t(bits),
                       n = 1 + rng() % std::max<uint64_t>(1, span ? uint64_t(span) : uint64_t(bits) / 8);
        const uint64_t m = std::min<uint64_t>(n, uint64_t(bits) - a);
        const bool set = rng() % 3;
        set ? fast.set(a, m) : fast.clear(a, m);
        set ? plain.set(a, m) : plain.clear(a, m);
        set ? words.set(a, m) : words.clear(a, m);
        QCOMPARE(fast.setCount(), plain.setCount());
        QCOMPARE(words.setCount(), plain.setCount());
        for (uint64_t b = 0; b < uint64_t(bits); b += 1 + rng() % 7) {
            QCOMPARE(words.test(b), plain.test(b));
            QCOMPARE(fast.test(b), plain.test(b));
        }
        QCOMPARE(fast.largestFreeRun(), plain.largestFreeRun());
        uint64_t bestStart = uint64_t(bits), best = 0;
        for (uint64_t b = 0, run = 0; b < uint64_t(bits); ++b) {
            run = plain.test(b) ? 0 : run + 1;
            if (run > best)
                best = run, bestStart = b + 1 - run;
        }
        QCOMPARE(fast.largestFreeRunStart(), bestStart);
        const uint64_t from = rng() % uint64_t(bits), to = from + rng() % 300;
        uint64_t inUse = 0;
        for (uint64_t b = from; b < std::min<uint64_t>(to, uint64_t(bits)); ++b)
            inUse += plain.test(b);
        QCOMPARE(fast.countSet(from, to), inUse);
        for (int q = 0; q < 4; ++q) {
            const uint64_t nr = 1 + rng() % 70, start = rng() % uint64_t(bits);
            const unsigned order = unsigned(rng() % 8);
            const uint64_t mask = (uint64_t(1) << order) - 1, off = rng() % (mask + 1);
            const uint64_t f = fast.findZeroArea(start, nr, mask, off);
            const uint64_t p = plain.findZeroArea(start, nr, mask, off);
            QCOMPARE(f < uint64_t(bits), p < uint64_t(bits));
            if (p < uint64_t(bits))
                QCOMPARE(f, p);
            QCOMPARE(words.findZeroArea(start, nr, mask, off), p); // the same code: the same value, failures too
            QCOMPARE(words.findNextZero(start), plain.findNextZero(start));
            QCOMPARE(words.findNextSet(start, start + nr),
                plain.findNextSet(start, std::min<uint64_t>(start + nr, uint64_t(bits))));
            QCOMPARE(fast.findNextSet(start, start + nr),
                plain.findNextSet(start, std::min<uint64_t>(start + nr, uint64_t(bits))));
        }
    }
}

namespace {
/** lib/bitmap.c written from the kernel's code on a vector of bools, one bit at a time: nothing
 *  of core/sim/bitmap.h or allocators.h is used, so the models below are independent of them. */
struct KernelBitmap
{
    std::vector<bool> bits;
    explicit KernelBitmap(uint64_t n)
        : bits(size_t(n), false)
    {
    }
    /** find_next_zero_bit(addr, size, offset): size when there is none. */
    uint64_t findNextZeroBit(uint64_t size, uint64_t offset) const
    {
        for (uint64_t i = offset; i < size; ++i)
            if (!bits[size_t(i)])
                return i;
        return size;
    }
    /** find_next_bit(addr, size, offset). */
    uint64_t findNextBit(uint64_t size, uint64_t offset) const
    {
        for (uint64_t i = offset; i < size; ++i)
            if (bits[size_t(i)])
                return i;
        return size;
    }
    /** bitmap_find_next_zero_area_off(map, size, start, nr, align_mask, align_offset). */
    uint64_t findNextZeroAreaOff(
        uint64_t size, uint64_t start, uint64_t nr, uint64_t alignMask, uint64_t alignOffset) const
    {
        for (;;) {
            uint64_t index = findNextZeroBit(size, start);
            index = ((index + alignOffset + alignMask) & ~alignMask) - alignOffset; // __ALIGN_MASK
            const uint64_t end = index + nr;
            if (end > size)
                return end;
            const uint64_t i = findNextBit(end, index);
            if (i < end) {
                start = i + 1;
                continue;
            }
            return index;
        }
    }
    void set(uint64_t start, uint64_t n)
    {
        for (uint64_t i = start; i < start + n; ++i)
            bits[size_t(i)] = true;
    }
    void clear(uint64_t start, uint64_t n)
    {
        for (uint64_t i = start; i < start + n; ++i)
            bits[size_t(i)] = false;
    }
    uint64_t zeros() const { return uint64_t(std::count(bits.begin(), bits.end(), false)); }
};

/** The failure reasons are Carveout's words, not the kernel's: a request larger than the area,
 *  one larger than what is free, else one that finds no aligned run (fragmentation). */
AllocFailure reasonFor(uint64_t need, uint64_t capacity, uint64_t free)
{
    if (need > capacity)
        return AllocFailure::LargerThanPool;
    return free < need ? AllocFailure::NotEnoughFree : AllocFailure::NoFit;
}

/** mm/cma.c as kernel-rules.md 3.7.2 and 3.7.3 transcribe it (cma_alloc -> cma_range_alloc, one
 *  range, alloc_contig_range succeeding; cma_release). */
struct KernelCma
{
    uint64_t basePfn;
    uint64_t count;
    unsigned orderPerBit;
    KernelBitmap bitmap;
    KernelCma(uint64_t base, uint64_t pages, unsigned opb)
        : basePfn(base)
        , count(pages)
        , orderPerBit(opb)
        , bitmap(pages >> opb) // cma_bitmap_maxno
    {
    }
    uint64_t pagesToBits(uint64_t pages) const // cma_bitmap_pages_to_bits: ALIGN(pages, 1 << opb) >> opb
    {
        const uint64_t unit = uint64_t(1) << orderPerBit;
        return ((pages + unit - 1) / unit * unit) >> orderPerBit;
    }
    /** `pinned` (by page of the area): alloc_contig_range returns -EBUSY for a range holding one;
     *  `retries` counts the cma_alloc_busy_retry events. */
    std::optional<uint64_t> alloc(uint64_t pages, unsigned align, AllocFailure* why,
        const std::vector<bool>* pinned = nullptr, uint64_t* retries = nullptr)
    {
        if (!count) {
            *why = AllocFailure::NoArea;
            return std::nullopt;
        }
        if (!pages) {
            *why = AllocFailure::ZeroCount;
            return std::nullopt;
        }
        // cma_bitmap_aligned_mask and cma_bitmap_aligned_offset.
        const uint64_t mask = align <= orderPerBit ? 0 : (uint64_t(1) << (align - orderPerBit)) - 1;
        const uint64_t offset = (basePfn & ((uint64_t(1) << align) - 1)) >> orderPerBit;
        const uint64_t maxno = count >> orderPerBit;
        const uint64_t nbits = pagesToBits(pages);
        if (nbits > maxno) {
            *why = AllocFailure::LargerThanPool;
            return std::nullopt;
        }
        uint64_t tries = 0;
        for (uint64_t start = 0;;) {
            const uint64_t no = bitmap.findNextZeroAreaOff(maxno, start, nbits, mask, offset);
            if (retries)
                *retries = tries;
            if (no >= maxno) {
                *why = tries ? AllocFailure::Busy : reasonFor(nbits, maxno, bitmap.zeros());
                return std::nullopt;
            }
            bitmap.set(no, nbits);
            const uint64_t pfn = basePfn + (no << orderPerBit);
            bool ebusy = false; // alloc_contig_range(pfn, pfn + count)
            for (uint64_t p = pfn; pinned && p < pfn + pages; ++p)
                ebusy = ebusy || (*pinned)[size_t(p - basePfn)];
            if (!ebusy) {
                *why = AllocFailure::None;
                return pfn;
            }
            bitmap.clear(no, nbits); // cma_clear_bitmap
            ++tries;
            start = no + mask + 1;
        }
    }
    bool release(uint64_t pfn, uint64_t pages)
    {
        if (pfn < basePfn || pfn >= basePfn + count || pfn + pages > basePfn + count)
            return false;
        bitmap.clear((pfn - basePfn) >> orderPerBit, pagesToBits(pages));
        return true;
    }
};

/** get_order(size) as include/asm-generic/getorder.h computes it: fls64((size - 1) >> PAGE_SHIFT). */
int kernelGetOrder(uint64_t size, unsigned pageShift)
{
    uint64_t x = (size - 1) >> pageShift;
    int fls = 0;
    while (x) {
        ++fls;
        x >>= 1;
    }
    return fls;
}

/** kernel/dma/coherent.c: __dma_alloc_from_coherent with bitmap_find_free_region (lib/bitmap.c),
 *  dma_release_from_dev_coherent with bitmap_release_region. 4K pages. */
struct KernelCoherent
{
    uint64_t pages; // size >> PAGE_SHIFT: a partial page is unusable
    KernelBitmap bitmap;
    explicit KernelCoherent(uint64_t size)
        : pages(size >> 12)
        , bitmap(size >> 12)
    {
    }
    std::optional<uint64_t> alloc(uint64_t size, AllocFailure* why)
    {
        const int order = kernelGetOrder(size, 12);
        if (size > (pages << 12)) {
            *why = AllocFailure::LargerThanPool;
            return std::nullopt;
        }
        const uint64_t block = uint64_t(1) << order;
        for (uint64_t pos = 0; pos + block <= pages; pos += block) { // REG_OP_ISFREE, then REG_OP_ALLOC
            if (bitmap.findNextBit(pos + block, pos) < pos + block)
                continue;
            bitmap.set(pos, block);
            *why = AllocFailure::None;
            return pos;
        }
        *why = reasonFor(block, ~uint64_t(0), bitmap.zeros());
        return std::nullopt;
    }
    void release(uint64_t page, uint64_t size) { bitmap.clear(page, uint64_t(1) << kernelGetOrder(size, 12)); }
};
} // namespace

namespace {
/** Two times in five (when something is live) a random live buffer goes back to both areas:
 *  0 when nothing was released, 1 when both took it back, -1 when one refused. */
template <typename Fast, typename Model>
int releaseSome(std::mt19937_64& rng, std::vector<std::pair<uint64_t, uint64_t>>& live, Fast& fast, Model& model)
{
    if (live.empty() || rng() % 5 >= 2)
        return 0;
    const size_t k = size_t(rng() % live.size());
    const bool ok = fast.release(live[k].first, live[k].second) && model.release(live[k].first, live[k].second);
    live[k] = live.back();
    live.pop_back();
    return ok ? 1 : -1;
}
} // namespace

void TestSim::cmaRandomAgainstKernelModel()
{
    // Same operations on Carveout's area and on the kernel's algorithm transcribed above: same
    // addresses, same failures. Some areas have 2 or 4 pages per bit, and some requests ask for
    // every page of the area or every page still free.
    for (uint64_t seed = 1; seed <= 30; ++seed) {
        std::mt19937_64 rng(seed);
        const uint64_t base = 0x40000 + (rng() % 4) * 0x80, pages = 512 + rng() % 4096;
        const unsigned opb = seed % 3 == 0 ? unsigned(1 + rng() % 2) : 0;
        CmaArea fast(base, pages, opb);
        KernelCma model(base, pages, opb);
        const uint64_t usable = (pages >> opb) << opb;
        std::vector<std::pair<uint64_t, uint64_t>> live;
        for (int i = 0; i < 3000; ++i) {
            if (const int released = releaseSome(rng, live, fast, model)) {
                QVERIFY(released > 0);
                continue;
            }
            uint64_t count = 1 + (rng() % 2 ? rng() % 8 : rng() % 300);
            const unsigned pick = unsigned(rng() % 40);
            if (pick == 0)
                count = usable; // the whole area
            else if (pick == 1)
                count = usable + 1 + rng() % 3; // just too large
            else if (pick == 2)
                count = std::max<uint64_t>(1, (model.bitmap.zeros() << opb)); // every free page
            const unsigned align = unsigned(rng() % 10);
            AllocFailure wf = AllocFailure::None, wm = AllocFailure::None;
            const auto f = fast.alloc(count, align, &wf);
            const auto m = model.alloc(count, align, &wm);
            QCOMPARE(bool(f), bool(m));
            QCOMPARE(int(wf), int(wm));
            if (!f)
                continue;
            QCOMPARE(*f, *m);
            for (const auto& [pfn, n] : live) // invariant: no overlap
                QVERIFY(*f + count <= pfn || pfn + n <= *f);
            if (align >= opb)
                QCOMPARE(*f & ((uint64_t(1) << align) - 1), uint64_t(0)); // physically aligned
            live.push_back({ *f, count });
            QCOMPARE(fast.usedPages(), (uint64_t(model.bitmap.bits.size()) - model.bitmap.zeros()) << opb);
        }
        for (const auto& [pfn, n] : live)
            fast.release(pfn, n);
        QCOMPARE(fast.usedPages(), uint64_t(0)); // frees restore
        QCOMPARE(fast.bitmap().largestFreeRun(), pages >> opb);
        // An empty area gives all of itself at once.
        AllocFailure why;
        QCOMPARE(fast.alloc(usable, 0, &why).value_or(0), base);
    }
}

void TestSim::cmaBusyRandomAgainstKernelModel()
{
    // Pinned pages: the kernel's loop above tries every candidate one by one; Carveout's area
    // counts the refused ones a free run at a time. Same addresses, failures and retries.
    for (uint64_t seed = 1; seed <= 30; ++seed) {
        std::mt19937_64 rng(seed * 7919);
        const uint64_t base = 0x40000 + (rng() % 4) * 0x80, pages = 256 + rng() % 2048;
        const unsigned opb = seed % 4 == 0 ? 1 : 0;
        CmaArea fast(base, pages, opb);
        KernelCma model(base, pages, opb);
        std::vector<bool> pinned(size_t(pages), false);
        std::vector<std::pair<uint64_t, uint64_t>> ranges; // [first, end) pfns, as the simulator gives them
        for (int r = int(rng() % 6); r >= 0; --r) {
            const uint64_t first = rng() % pages, n = 1 + (rng() % 3 ? rng() % 4 : rng() % 200);
            const uint64_t end = std::min(pages, first + n);
            for (uint64_t p = first; p < end; ++p)
                pinned[size_t(p)] = true;
            ranges.push_back({ base + first, base + end });
        }
        const auto busy = [&](uint64_t pfn, uint64_t n) {
            uint64_t e = 0;
            for (const auto& [first, end] : ranges)
                if (pfn < end && first < pfn + n)
                    e = std::max(e, end);
            return e;
        };
        std::vector<std::pair<uint64_t, uint64_t>> live;
        for (int i = 0; i < 1500; ++i) {
            if (const int released = releaseSome(rng, live, fast, model)) {
                QVERIFY(released > 0);
                continue;
            }
            const uint64_t count = 1 + (rng() % 2 ? rng() % 8 : rng() % 200);
            const unsigned align = unsigned(rng() % 8);
            AllocFailure wf = AllocFailure::None, wm = AllocFailure::None;
            uint64_t rf = 0, rm = 0;
            const auto f = fast.alloc(count, align, busy, &wf, &rf);
            const auto m = model.alloc(count, align, &wm, &pinned, &rm);
            QCOMPARE(bool(f), bool(m));
            QCOMPARE(int(wf), int(wm));
            QCOMPARE(rf, rm);
            if (!f)
                continue;
            QCOMPARE(*f, *m);
            for (uint64_t p = *f; p < *f + count; ++p)
                QVERIFY(!pinned[size_t(p - base)]);
            live.push_back({ *f, count });
        }
    }
}

void TestSim::coherentRandomAgainstKernelModel()
{
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        std::mt19937_64 rng(seed);
        const uint64_t size = (64 + rng() % 2048) * 4096 + (rng() % 2) * 100; // a partial page too
        CoherentPool fast(size, 4096);
        KernelCoherent model(size);
        std::vector<std::pair<uint64_t, uint64_t>> live;
        for (int i = 0; i < 2000; ++i) {
            if (!live.empty() && rng() % 5 < 2) {
                const size_t k = size_t(rng() % live.size());
                fast.release(live[k].first, live[k].second);
                model.release(live[k].first, live[k].second);
                live[k] = live.back();
                live.pop_back();
                continue;
            }
            uint64_t bytes = 1 + rng() % (rng() % 4 ? 40000 : 600000);
            if (rng() % 50 == 0)
                bytes = model.pages * 4096; // the whole pool
            AllocFailure wf = AllocFailure::None, wm = AllocFailure::None;
            const auto f = fast.alloc(bytes, &wf);
            const auto m = model.alloc(bytes, &wm);
            QCOMPARE(bool(f), bool(m));
            QCOMPARE(int(wf), int(wm));
            if (!f)
                continue;
            QCOMPARE(*f, *m);
            live.push_back({ *f, bytes });
        }
        QCOMPARE(fast.usedPages(), uint64_t(model.bitmap.bits.size()) - model.bitmap.zeros());
    }
}

namespace {
/** The restricted pool written plainly: a used flag per slot, the free run to the segment (or
 *  pool) end counted when needed, the same next-fit cursor. */
struct PlainRestricted
{
    uint64_t base;
    std::vector<bool> used;
    std::map<uint64_t, uint64_t> sizes;
    uint64_t index = 0;
    uint64_t run(uint64_t i) const
    {
        uint64_t n = 0;
        while (i + n < used.size() && !used[size_t(i + n)] && (n == 0 || (i + n) % 128 != 0))
            ++n;
        return n;
    }
    std::optional<uint64_t> alloc(uint64_t size)
    {
        const uint64_t n = (size + 2047) / 2048;
        const uint64_t align = ((uint64_t(4096) << getOrder(size, 4096)) - 1) | 2047;
        const uint64_t stride = (align >> 11) + 1;
        const uint64_t free = uint64_t(std::count(used.begin(), used.end(), false));
        if (n > free)
            return std::nullopt;
        uint64_t i = index;
        for (uint64_t checked = 0; checked < used.size();) {
            if ((base + i * 2048) & align) {
                i = i + 1 >= used.size() ? 0 : i + 1;
                checked += 1;
                continue;
            }
            if (run(i) >= n) {
                for (uint64_t k = i; k < i + n; ++k)
                    used[size_t(k)] = true;
                sizes[i] = n;
                index = i + n >= used.size() ? 0 : i + n;
                return i;
            }
            i = i + stride >= used.size() ? 0 : i + stride;
            checked += stride;
        }
        return std::nullopt;
    }
    void release(uint64_t i)
    {
        for (uint64_t k = i; k < i + sizes[i]; ++k)
            used[size_t(k)] = false;
        sizes.erase(i);
    }
};
} // namespace

void TestSim::restrictedRandomAgainstPlain()
{
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        std::mt19937_64 rng(seed);
        const uint64_t base = 0x50000000 + (rng() % 4) * 0x800; // slot-aligned, not always page-aligned
        const uint64_t bytes = (16 + rng() % 200) * 2048;
        RestrictedPool fast(base, bytes, 4096);
        PlainRestricted plain { base, std::vector<bool>(size_t(bytes / 2048), false), {} };
        std::vector<uint64_t> live;
        for (int i = 0; i < 2000; ++i) {
            if (!live.empty() && rng() % 5 < 2) {
                const size_t k = size_t(rng() % live.size());
                fast.release(live[k]);
                plain.release(live[k]);
                live[k] = live.back();
                live.pop_back();
                continue;
            }
            const uint64_t size = (1 + rng() % 40) * 4096;
            const auto f = fast.alloc(size), p = plain.alloc(size);
            QCOMPARE(bool(f), bool(p));
            QCOMPARE(fast.cursor(), plain.index);
            if (f) {
                QCOMPARE(*f, *p);
                live.push_back(*f);
            }
            for (uint64_t s = 0; s < fast.slotCount(); ++s) // the kernel's list equals the plain run
                QCOMPARE(uint64_t(fast.list(s)), plain.run(s));
        }
    }
}

void TestSim::workloadParsing()
{
    const QByteArray json = R"({ "name": "t", "seed": 7,
      "devices": { "isp": "/soc/isp@ac00000", "gpu": { "node": "&gpu", "memory_region": 1, "iommu": false } },
      "steps": [
        { "alloc": "isp", "size": "12M", "as": "frame0" },
        { "alloc": "isp", "size": "64K", "as": "stats", "api": "cma_alloc", "align_order": 4 },
        { "free": "frame0" },
        { "repeat": 3, "steps": [ { "alloc": "gpu", "size": "0x200000", "as": "tmp" }, { "free": "tmp" } ] },
        { "phase": "churn", "steps": [ { "churn": { "device": "gpu", "count": 100,
            "size": { "min": "4K", "max": "8M", "dist": "log-uniform" }, "lifetime": { "min": 1, "max": 5 } } } ] } ] })";
    QString error;
    const auto w = parseWorkload(json, &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->devices.size(), size_t(2));
    QCOMPARE(w->devices[0].name, QStringLiteral("gpu")); // JSON objects are read in key order
    QCOMPARE(w->devices[0].memoryRegion, 1);
    QCOMPARE(w->ops.size(), size_t(3 + 6 + 200));
    QCOMPARE(w->ops[0].size, uint64_t(12) << 20);
    QCOMPARE(w->ops[1].alignOrder, int8_t(4));
    QCOMPARE(w->ops[2].kind, Op::Free);
    QCOMPARE(w->ops[2].buffer, w->ops[0].buffer);
    QCOMPARE(w->ops[3].buffer == w->ops[5].buffer, false); // a new buffer per round, same name
    QCOMPARE(w->bufferName(w->ops[3]), QStringLiteral("tmp"));
    QCOMPARE(w->phases.size(), 2);
    uint64_t allocs = 0, frees = 0;
    for (size_t i = 9; i < w->ops.size(); ++i) {
        QCOMPARE(w->ops[i].phase, 1u);
        (w->ops[i].kind == Op::Alloc ? allocs : frees)++;
        QVERIFY(w->ops[i].size >= 4096 && w->ops[i].size <= (8u << 20));
    }
    QCOMPARE(allocs, uint64_t(100));
    QCOMPARE(frees, uint64_t(100));
    // The same seed gives the same run; another seed another.
    const auto again = parseWorkload(json, &error);
    QByteArray other = json;
    other.replace("\"seed\": 7", "\"seed\": 8");
    const auto w8 = parseWorkload(other, &error);
    bool same = true, differs = false;
    for (size_t i = 0; i < w->ops.size(); ++i) {
        same &= w->ops[i].size == again->ops[i].size;
        differs |= w->ops[i].size != w8->ops[i].size;
    }
    QVERIFY(same);
    QVERIFY(differs);
}

void TestSim::workloadErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QByteArray dev = R"("devices": { "isp": "/soc/isp" }, )";
    QTest::newRow("syntax") << QByteArray("{\n  \"devices\": {,\n}") << QStringLiteral("2:16:");
    QTest::newRow("no devices") << QByteArray(R"({ "steps": [] })") << QStringLiteral("devices: name at least one");
    QTest::newRow("bad size") << ("{" + dev + R"("steps": [ { "alloc": "isp", "size": "12Q" } ] })")
                              << QStringLiteral("steps[0].size: '12Q' is not a size");
    QTest::newRow("zero size") << ("{" + dev + R"("steps": [ { "alloc": "isp", "size": 0 } ] })")
                               << QStringLiteral("a size of 0");
    QTest::newRow("huge size") << ("{" + dev + R"("steps": [ { "alloc": "isp", "size": "0xffffffffffffffff" } ] })")
                               << QStringLiteral("beyond any physical memory");
    QTest::newRow("unknown device") << ("{" + dev + R"("steps": [ { "alloc": "vpu", "size": 1 } ] })")
                                    << QStringLiteral("unknown device 'vpu' (the \"devices\" object names: isp)");
    QTest::newRow("free unknown") << ("{" + dev + R"("steps": [ { "free": "x" } ] })")
                                  << QStringLiteral("steps[0]: free of 'x'");
    QTest::newRow("double alloc") << ("{" + dev
        + R"("steps": [ { "alloc": "isp", "size": 1, "as": "a" }, { "alloc": "isp", "size": 1, "as": "a" } ] })")
                                  << QStringLiteral("steps[1].as: 'a' is still allocated");
    QTest::newRow("nested path") << ("{" + dev
        + R"("steps": [ { "repeat": 2, "steps": [ { "alloc": "isp", "size": "x" } ] } ] })")
                                 << QStringLiteral("steps[0].steps[0].size");
    QTest::newRow("too many") << ("{" + dev
        + R"("steps": [ { "repeat": 10000000, "steps": [ { "alloc": "isp", "size": 1, "as": "t" }, { "free": "t" }, { "alloc": "isp", "size": 1, "as": "u" }, { "free": "u" } ] } ] })")
                              << QStringLiteral("more than 10000000 operations");
    QTest::newRow("bad api") << ("{" + dev + R"("steps": [ { "alloc": "isp", "size": 1, "api": "kmalloc" } ] })")
                             << QStringLiteral("'kmalloc' is not an API");
    QTest::newRow("bad dist") << ("{" + dev
        + R"("steps": [ { "churn": { "device": "isp", "count": 3, "size": { "dist": "zipf" } } } ] })")
                              << QStringLiteral("'zipf' is not a distribution");
    QTest::newRow("unknown step") << ("{" + dev + R"("steps": [ { "sleep": 1 } ] })") << QStringLiteral("unknown step");
    const QByteArray steps = R"("steps": [ { "alloc": "isp", "size": 1 } ], )";
    QTest::newRow("busy not array") << ("{" + dev + steps + R"("busy": { "base": 0 } })")
                                    << QStringLiteral("busy: expected an array");
    QTest::newRow("busy base") << ("{" + dev + steps + R"("busy": [ { "base": "x", "size": "4K" } ] })")
                               << QStringLiteral("busy[0].base: 'x' is not a physical address");
    QTest::newRow("busy size 0") << ("{" + dev + steps + R"("busy": [ { "base": 0, "size": 0 } ] })")
                                 << QStringLiteral("busy[0].size: ");
    QTest::newRow("busy past 256T") << ("{" + dev + steps
        + R"("busy": [ { "base": "0xffffffff0000", "size": "1M" } ] })")
                                    << QStringLiteral("busy[0].size");
    QTest::newRow("busy to before from") << ("{" + dev + steps
        + R"("busy": [ { "base": 0, "size": 1, "from": 5, "to": 5 } ] })")
                                         << QStringLiteral("busy[0].to: 5 is not after from (5)");
    QTest::newRow("busy from fraction") << ("{" + dev + steps
        + R"("busy": [ { "base": 0, "size": 1, "from": 1.5 } ] })")
                                        << QStringLiteral("busy[0].from: 1.5 is not an operation index");
}

void TestSim::workloadErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseWorkload(json, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

namespace {
struct Board
{
    LoadedTree tree;
    Analysis a; ///< a copy the tests may change (a pool's size) to re-run the simulator
};
Board loadSample(const QString& rel, const QString& profileName = QStringLiteral("linux-7.1-arm64-4k"))
{
    Board b;
    LoadResult r = loadBoard(test::samplesDir() + QLatin1Char('/') + rel);
    if (!r.ok)
        qFatal("cannot load %s", qPrintable(rel));
    b.tree = r.doc;
    const auto profile = findProfile(profileName);
    b.a = *analyse(b.tree, profile ? *profile : KernelProfile {});
    return b;
}

/** A sample workload of samples/sim, parsed (nothing when it does not parse). */
std::optional<Workload> loadWorkload(const char* name)
{
    QFile f(QStringLiteral(CARVEOUT_SOURCE_DIR "/samples/sim/") + QLatin1String(name));
    QString error;
    return f.open(QIODevice::ReadOnly) ? parseWorkload(f.readAll(), &error) : std::nullopt;
}

/** The first pool whose path contains `part`, or -1. */
int poolNamed(const SimResult& r, const char* part)
{
    for (size_t i = 0; i < r.pools.size(); ++i)
        if (r.pools[i].path.contains(QLatin1String(part)))
            return int(i);
    return -1;
}
} // namespace

void TestSim::routingOnSample()
{
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    QString error;
    const auto w = parseWorkload(R"({ "devices": { "isp": "&isp", "disp": "/soc/display@ae00000", "vpu": "&vpu",
        "wifi": "&wifi", "gpu": "&gpu", "nobody": "/soc/uart@a00000" },
      "steps": [ { "alloc": "isp", "size": "12M", "as": "f" }, { "alloc": "disp", "size": "3M" },
                 { "alloc": "vpu", "size": "8K" }, { "alloc": "wifi", "size": "64K" }, { "alloc": "gpu", "size": "1M" },
                 { "alloc": "nobody", "size": "4K" }, { "alloc": "nobody", "size": "2M" },
                 { "alloc": "isp", "size": "4K", "atomic": true }, { "free": "f" } ] })",
        &error);
    QVERIFY2(w, qPrintable(error));
    Simulator sim(*w);
    const SimResult& r = sim.update(b.tree, b.a);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    auto poolName
        = [&](int op) { return r.ops[size_t(op)].pool < 0 ? QString() : r.pools[size_t(r.ops[size_t(op)].pool)].path; };
    QVERIFY2(poolName(0).contains(QLatin1String("camera-cma")), qPrintable(poolName(0))); // its CMA area, any size
    QCOMPARE(r.ops[0].outcome, OpOutcome::Served);
    QVERIFY(poolName(1).contains(QLatin1String("display-pool"))); // coherent pool, exclusive
    QVERIFY(poolName(2).contains(QLatin1String("vpu-pool")));
    QVERIFY(poolName(3).contains(QLatin1String("wifi-swiotlb"))); // restricted
    QCOMPARE(r.ops[4].outcome, OpOutcome::PageAllocator); // behind an IOMMU
    QCOMPARE(r.ops[5].outcome, OpOutcome::PageAllocator); // one page, no area of its own
    QVERIFY(poolName(6).contains(QLatin1String("linux,cma"))); // the default area
    QCOMPARE(r.ops[7].outcome, OpOutcome::PageAllocator); // atomic: never CMA
    QCOMPARE(r.ops[8].outcome, OpOutcome::Served);
    QCOMPARE(r.ops[8].addr, r.ops[0].addr);
    QCOMPARE(r.failures, uint64_t(0));

    const auto bad = parseWorkload(R"({ "devices": { "x": "&nosuchlabel" }, "steps": [] })", &error);
    Simulator badSim(*bad);
    QVERIFY(badSim.update(b.tree, b.a).error.contains(QLatin1String("&nosuchlabel is not a node")));
}

void TestSim::restrictedAndGlobalPools()
{
    // of_dma_configure_id attaches a restricted pool only to a device not behind an IOMMU: the
    // sample's Wi-Fi, put behind one, gets pages instead of its wifi-swiotlb.
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    QString error;
    const auto w = parseWorkload(R"({ "devices": { "wifi": { "node": "&wifi", "iommu": true } },
      "steps": [ { "alloc": "wifi", "size": "64K" } ] })",
        &error);
    QVERIFY2(w, qPrintable(error));
    Simulator sim(*w);
    const SimResult& r = sim.update(b.tree, b.a);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.routes[0].restricted, -1);
    QCOMPARE(r.ops[0].outcome, OpOutcome::PageAllocator);
    QVERIFY2(r.routes[0].notes.join(QLatin1Char(' ')).contains(QLatin1String("attaches no restricted pool")),
        qPrintable(r.routes[0].notes.join(QLatin1Char(' '))));

    // Without "iommu" in the workload the simulator asks the tree as the layout does: an `iommus`
    // naming a disabled IOMMU is no IOMMU (of_iommu_xlate), so the pool attaches and serves; the
    // same device behind the enabled IOMMU of swiotlb_iommu.dts gets pages.
    const auto dw = parseWorkload(
        R"({ "devices": { "wifi": "/wifi@a000000" }, "steps": [ { "alloc": "wifi", "size": "64K" } ] })", &error);
    QVERIFY2(dw, qPrintable(error));
    for (const auto& [file, attached] :
        { std::pair { "clean-swiotlb-iommu-off.dts", true }, std::pair { "swiotlb_iommu.dts", false } }) {
        const Board t = loadSample(QStringLiteral("../tests/data/rules/") + QLatin1String(file));
        Simulator ts(*dw);
        const SimResult& tr = ts.update(t.tree, t.a);
        QVERIFY2(tr.error.isEmpty(), qPrintable(tr.error));
        QCOMPARE(tr.routes[0].iommu, !attached);
        QCOMPARE(tr.ops[0].outcome, attached ? OpOutcome::Served : OpOutcome::PageAllocator);
        QCOMPARE(tr.routes[0].restricted >= 0, attached);
        QCOMPARE(t.a.layout.consumers.front().restrictedAttached(), attached); // one fact for both
    }

    // CONFIG_DMA_GLOBAL_POOL (the no-MMU profile): a device without a pool of its own gets its
    // coherent buffers from the linux,dma-default pool; the generic ARM profile has no global pool.
    const auto gw = parseWorkload(
        R"({ "devices": { "dev": "/memory@40000000" }, "steps": [ { "alloc": "dev", "size": "64K" } ] })", &error);
    QVERIFY2(gw, qPrintable(error));
    const Board g
        = loadSample(QStringLiteral("../tests/data/rules/dma_default.dts"), QStringLiteral("linux-7.1-arm-nommu"));
    Simulator gs(*gw);
    const SimResult& gr = gs.update(g.tree, g.a);
    QVERIFY2(gr.error.isEmpty(), qPrintable(gr.error));
    QCOMPARE(gr.ops[0].outcome, OpOutcome::Served);
    QVERIFY(gr.ops[0].pool >= 0 && gr.pools[size_t(gr.ops[0].pool)].path.contains(QLatin1String("dma-pool@50000000")));
    const Board plain
        = loadSample(QStringLiteral("../tests/data/rules/dma_default.dts"), QStringLiteral("linux-7.1-arm-4k"));
    Simulator ps(*gw);
    const SimResult& pr = ps.update(plain.tree, plain.a);
    QVERIFY(pr.ops[0].pool < 0 || !pr.pools[size_t(pr.ops[0].pool)].path.contains(QLatin1String("dma-pool@50000000")));
}

void TestSim::busyRangesInTheSimulation()
{
    // camera-cma: [0x90000000, 0x98000000). dma_alloc_coherent aligns CMA to min(get_order, 8).
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    QString error;
    const auto w = parseWorkload(R"({ "devices": { "isp": "&isp" },
      "busy": [ { "base": "0x90001000", "size": "4K" },
                { "base": "0x90100000", "size": "1M", "from": 3, "to": 4 },
                { "base": "0x40000000", "size": "1M" } ],
      "steps": [ { "alloc": "isp", "size": "16K", "as": "a" }, { "alloc": "isp", "size": "4K", "as": "b" },
                 { "alloc": "isp", "size": "4K", "as": "c" }, { "alloc": "isp", "size": "1M", "as": "d" },
                 { "free": "d" }, { "alloc": "isp", "size": "1M", "as": "e" } ] })",
        &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->busy.size(), size_t(3));
    QCOMPARE(w->busy[0].to, UINT64_MAX);
    Simulator sim(*w, SimOptions { 6, 128 });
    const SimResult& r = sim.update(b.tree, b.a);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const int cam = poolNamed(r, "camera-cma");
    QVERIFY(cam >= 0);
    QCOMPARE(r.pools[size_t(cam)].busy.size(), size_t(2)); // the third lies in no CMA area
    // 16K (mask 3): candidate 0 holds the pinned page 1 -> start 4.
    QCOMPARE(r.ops[0].addr, uint64_t(0x90004000));
    QCOMPARE(r.ops[0].busyRetries, 1u);
    QCOMPARE(r.ops[1].addr, uint64_t(0x90000000));
    QCOMPARE(r.ops[2].addr, uint64_t(0x90002000)); // first zero bit 1 is pinned -> 2
    QCOMPARE(r.ops[2].busyRetries, 1u);
    // 1M (mask 255): 256 is busy during operation 3 only -> 512; operation 5 gets 256.
    QCOMPARE(r.ops[3].addr, uint64_t(0x90200000));
    QCOMPARE(r.ops[5].addr, uint64_t(0x90100000));
    QCOMPARE(r.ops[5].busyRetries, 0u);
    QCOMPARE(r.runs[size_t(cam)].busyRetries, uint64_t(3));
    QCOMPARE(r.busyRetries, uint64_t(3));
    // The heatmap marks the busy cells: 128 cells of 1 MiB; the pinned page in cell 0 all the
    // time, cell 1 in the time bucket of operation 3 only.
    const Heatmap& h = r.runs[size_t(cam)].heatmap;
    QCOMPARE(h.busy.size(), size_t(6 * 128));
    QVERIFY(h.busy[0] && h.busy[5 * 128]);
    QVERIFY(h.busy[3 * 128 + 1] && !h.busy[2 * 128 + 1] && !h.busy[4 * 128 + 1] && !h.busy[3 * 128 + 2]);
}

// A CMA page outside the device's bus window (dma-ranges) fails dma_coherent_ok: dma-direct gives
// it back and the page allocator serves the buffer (docs/kernel-rules-additions.md 2). The same
// allocation through an IOMMU, or by cma_alloc (no mask check), keeps the CMA page.
void TestSim::dmaReachRouting()
{
    const Board b = loadSample(QStringLiteral("../tests/data/rules/mr_dma_reach.dts"));
    QString error;
    const auto w = parseWorkload(R"({ "devices": { "vpu": "/soc/vpu@1000000",
        "mmu": { "node": "/soc/vpu@1000000", "iommu": true }, "dsp": "/soc/dsp@2000000" },
      "steps": [ { "alloc": "vpu", "size": "1M", "as": "a" }, { "alloc": "vpu", "size": "64K", "api": "cma_alloc" },
                 { "alloc": "mmu", "size": "1M" }, { "alloc": "dsp", "size": "64K" }, { "free": "a" } ] })",
        &error);
    QVERIFY2(w, qPrintable(error));
    Simulator sim(*w);
    const SimResult& r = sim.update(b.tree, b.a);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.routes[size_t(w->ops[0].device)].dma.size(), size_t(1));
    QCOMPARE(r.ops[0].outcome, OpOutcome::PageAllocator);
    QVERIFY(r.ops[0].outOfReach);
    QCOMPARE(r.ops[0].addr, uint64_t(0x90000000)); // the page given back
    QCOMPARE(r.ops[1].outcome, OpOutcome::Served); // cma_alloc checks no mask
    QCOMPARE(r.ops[2].outcome, OpOutcome::PageAllocator); // iommu-dma: single pages by design
    QVERIFY(!r.ops[2].outOfReach);
    QCOMPARE(r.ops[3].outcome, OpOutcome::Served); // the coherent pool hands it out anyway...
    bool noted = false;
    for (const QString& n : r.routes[size_t(w->ops[3].device)].notes)
        noted |= n.contains(QLatin1String("outside the device's DMA reach"));
    QVERIFY(noted); // ...and the route says the device cannot address it
    QCOMPARE(r.ops[4].outcome, OpOutcome::FreeSkipped);
    QCOMPARE(r.outOfReach, uint64_t(1));
    QCOMPARE(r.runs[size_t(r.ops[1].pool)].outOfReach, uint32_t(1));
}

void TestSim::incrementalReruns()
{
    Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    QString error;
    const auto w = parseWorkload(R"({ "seed": 3, "devices": { "isp": "&isp", "disp": "/soc/display@ae00000" },
      "steps": [ { "churn": { "device": "isp", "count": 2000, "size": { "min": "64K", "max": "16M" }, "lifetime": { "min": 1, "max": 8 } } },
                 { "churn": { "device": "disp", "count": 500, "size": { "min": "4K", "max": "2M" }, "lifetime": { "min": 1, "max": 4 } } } ] })",
        &error);
    QVERIFY2(w, qPrintable(error));
    Simulator sim(*w);
    sim.update(b.tree, b.a);
    QVERIFY(sim.lastRerunCount() >= 2);
    const SimResult first = sim.result();
    sim.update(b.tree, b.a);
    QCOMPARE(sim.lastRerunCount(), 0); // nothing changed: nothing re-run
    // Shrink the camera pool: only it re-runs, and the answers equal a fresh simulator's.
    int cma = -1;
    for (size_t i = 0; i < b.a.layout.regions.size(); ++i)
        if (b.a.layout.regions[i].name.startsWith(QLatin1String("camera-cma")))
            cma = int(i);
    QVERIFY(cma >= 0);
    b.a.boot.regions[size_t(cma)].size = 24u << 20;
    const SimResult& r = sim.update(b.tree, b.a);
    QCOMPARE(sim.lastRerunCount(), 1);
    Simulator fresh(*w);
    const SimResult& f = fresh.update(b.tree, b.a);
    QCOMPARE(r.ops.size(), f.ops.size());
    for (size_t i = 0; i < r.ops.size(); ++i) {
        QCOMPARE(r.ops[i].addr, f.ops[i].addr);
        QCOMPARE(int(r.ops[i].outcome), int(f.ops[i].outcome));
    }
    QVERIFY(r.fallbacks + r.failures > first.fallbacks + first.failures);
}

void TestSim::minSizeIsTight()
{
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    QString error;
    for (const char* device : { "&isp", "/soc/display@ae00000", "&wifi" }) {
        const auto w = parseWorkload(
            QStringLiteral(R"({ "seed": 11, "devices": { "d": "%1" },
          "steps": [ { "churn": { "device": "d", "count": 3000, "size": { "min": "4K", "max": "%2" }, "lifetime": { "min": 1, "max": 30 } } } ] })")
                .arg(QLatin1String(device), QLatin1String(device[0] == '&' && device[1] == 'w' ? "64K" : "4M"))
                .toUtf8(),
            &error);
        QVERIFY2(w, qPrintable(error));
        Simulator sim(*w);
        const SimResult& r = sim.update(b.tree, b.a);
        int pool = -1;
        for (size_t i = 0; i < r.ops.size() && pool < 0; ++i)
            pool = r.ops[i].pool;
        QVERIFY(pool >= 0);
        const MinSizeResult m = sim.minSize(pool);
        QVERIFY2(m.error.isEmpty(), qPrintable(m.error));
        QVERIFY(m.minimum > 0 && m.minimum % m.step == 0);
        QVERIFY(m.smaller > 0);
        QVERIFY(m.smallerFailures > 0); // one step less fails...
        QVERIFY(m.smallerFirstFailure >= 0);
        // ...and the answer itself runs clean when applied to the board.
        Board resized = b;
        resized.a.boot.regions[size_t(r.pools[size_t(pool)].region)].size = m.minimum;
        Simulator check(*w);
        const SimResult& c = check.update(resized.tree, resized.a);
        QCOMPARE(c.failures + c.fallbacks, uint64_t(0));
    }
}

void TestSim::minSizeProgressAndCancel()
{
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    const auto w = loadWorkload("camera-streaming.json");
    QVERIFY(w);
    Simulator sim(*w);
    const SimResult& r = sim.update(b.tree, b.a);
    const int pool = poolNamed(r, "camera-cma");
    QVERIFY(pool >= 0 && r.runs[size_t(pool)].failures > 0);
    // Progress: calls before every run, counts never going back, the last one says done.
    std::vector<std::pair<int, int>> calls;
    const MinSizeResult m = sim.minSize(pool, [&](int done, int expected, uint64_t) {
        calls.push_back({ done, expected });
        return true;
    });
    QVERIFY(!m.cancelled && m.minimum > m.current);
    QCOMPARE(int(calls.size()), m.runs + 1);
    for (size_t i = 1; i < calls.size(); ++i) {
        QVERIFY(calls[i].first == calls[i - 1].first + 1 || i + 1 == calls.size());
        QVERIFY(calls[i].second >= calls[i].first);
    }
    QCOMPARE(calls.back().first, calls.back().second);
    QCOMPARE(m.minimum, sim.minSize(pool).minimum); // same answer with and without a callback
    // Cancelled at the second run: no answer, and no run after the refusal.
    int seen = 0;
    const MinSizeResult c = sim.minSize(pool, [&](int, int, uint64_t) { return ++seen < 2; });
    QVERIFY(c.cancelled);
    QCOMPARE(c.minimum, uint64_t(0));
    QCOMPARE(seen, 2);
}

void TestSim::heatmapWindowMatchesIntegration()
{
    // Random rectangles against the literal integral of covered area per cell, for windows
    // that cut buffers in every way (partial cells on both axes, buffers past the window).
    std::mt19937_64 rng(17);
    for (int round = 0; round < 40; ++round) {
        PoolTimeline t;
        t.base = 0x80000000;
        t.size = 64 << 20;
        t.opCount = 200;
        uint64_t time = 0;
        for (int i = 0; i < 30; ++i) {
            time += rng() % 12;
            Lifetime l;
            l.allocOp = time;
            l.freeOp = rng() % 5 == 0 ? Lifetime::kNeverFreed : time + 1 + rng() % 60;
            l.addr = t.base + (rng() % 16) * (4 << 20);
            l.bytes = (1 + rng() % 4) << 20; // rectangles of one time may overlap: fine for the sum
            l.device = int(rng() % 4);
            t.lifetimes.push_back(l);
        }
        HeatWindow w;
        w.t0 = double(rng() % 50) + 0.25;
        w.t1 = w.t0 + 10 + double(rng() % 150) + 0.5;
        w.a0 = double(rng() % (8 << 20)) + 1000.5;
        w.a1 = w.a0 + double(8 << 20) + double(rng() % (48 << 20));
        w.timeBins = 1 + int(rng() % 40);
        w.addressBins = 1 + int(rng() % 30);
        const int maxDevices = round % 2 ? 4 : 2; // devices 2 and 3 uncoloured every other round
        const Heatmap h = renderHeatmap(t, w, 4, maxDevices);
        const double dt = (w.t1 - w.t0) / w.timeBins, da = (w.a1 - w.a0) / w.addressBins;
        for (int ti = 0; ti < w.timeBins; ++ti) {
            for (int ai = 0; ai < w.addressBins; ++ai) {
                const double c0 = w.t0 + ti * dt, c1 = c0 + dt, d0 = w.a0 + ai * da, d1 = d0 + da;
                double sum = 0, best = 0;
                std::vector<double> per(4, 0.0);
                for (const Lifetime& l : t.lifetimes) {
                    const double e = l.freeOp == Lifetime::kNeverFreed ? double(t.opCount) : double(l.freeOp);
                    const double ov = std::max(0.0, std::min(e, c1) - std::max(double(l.allocOp), c0)) / dt;
                    const double off = double(l.addr - t.base);
                    const double ao = std::max(0.0, std::min(off + double(l.bytes), d1) - std::max(off, d0)) / da;
                    sum += ov * ao;
                    per[size_t(l.device)] += ov * ao;
                }
                int dev = -1;
                for (int d = 0; d < maxDevices; ++d)
                    if (per[size_t(d)] > best + 1e-6)
                        best = per[size_t(d)], dev = d;
                const size_t cell = size_t(ti) * size_t(w.addressBins) + size_t(ai);
                QVERIFY2(std::abs(double(h.occupancy[cell]) - std::min(sum, 1.0)) < 1e-4,
                    qPrintable(QStringLiteral("round %1 cell %2,%3: %4 vs %5")
                                   .arg(round)
                                   .arg(ti)
                                   .arg(ai)
                                   .arg(h.occupancy[cell])
                                   .arg(sum)));
                if (best > 1e-6)
                    QCOMPARE(int(h.device[cell]) == dev || per[size_t(h.device[cell])] > best - 1e-6, true);
                else
                    QCOMPARE(int(h.device[cell]), -1);
            }
        }
    }
}

void TestSim::timelineOnSample()
{
    // The camera workload: the timeline holds every served buffer and every failure, a failure
    // marks a block that really was free then and too small, and at one operation per column the
    // window heatmap equals the simulator's own end-of-bucket heatmap.
    const Board b = loadSample(QStringLiteral("sim/sim-board.dts"));
    const auto w = loadWorkload("camera-streaming.json");
    QVERIFY(w);
    const int n = int(w->ops.size());
    Simulator sim(*w, SimOptions { n, 64 });
    const SimResult& r = sim.update(b.tree, b.a);
    const int pool = poolNamed(r, "camera-cma");
    QVERIFY(pool >= 0);
    const PoolTimeline t = buildTimeline(*w, r, pool);
    const PoolRun& run = r.runs[size_t(pool)];
    QCOMPARE(t.lifetimes.size(), size_t(run.allocs - run.failures - run.fallbacks));
    QCOMPARE(t.failures.size(), size_t(run.failures + run.fallbacks));
    QCOMPARE(int64_t(t.failures.front().op), run.firstFailureOp);
    for (const FailureMark& m : t.failures) {
        QVERIFY(m.freeBytes < m.asked);
        for (const Lifetime& l : t.lifetimes) {
            const bool live = l.allocOp <= m.op && m.op < l.freeOp;
            QVERIFY(!live || l.addr + l.bytes <= m.freeAddr || m.freeAddr + m.freeBytes <= l.addr);
        }
    }
    for (size_t i = 0; i < t.lifetimes.size(); i += 7) {
        const Lifetime& l = t.lifetimes[i];
        QCOMPARE(lifetimeAt(t, l.allocOp, l.addr + l.bytes / 2), int(i));
        if (l.freeOp != Lifetime::kNeverFreed)
            QVERIFY(lifetimeAt(t, l.freeOp, l.addr) != int(i));
    }
    HeatWindow all { 0, double(n), 0, double(t.size), n, 64 };
    const Heatmap h = renderHeatmap(t, all, int(w->devices.size()));
    QCOMPARE(h.occupancy.size(), run.heatmap.occupancy.size());
    for (size_t c = 0; c < h.occupancy.size(); ++c)
        QVERIFY2(std::abs(h.occupancy[c] - run.heatmap.occupancy[c]) < 1e-5, qPrintable(QString::number(c)));
}

QTEST_GUILESS_MAIN(TestSim)
#include "tst_sim.moc"
