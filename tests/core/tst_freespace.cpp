// SPDX-License-Identifier: GPL-2.0-only
// Free space: the ranges the boot holds in RAM and the gaps between them, on the samples (held
// and free cover RAM exactly, no gap touches a kept region, the free total is the status bar's)
// and on small trees written here (a gap of exactly the size, alignment pushing past a gap, a
// freed region giving its memory back, overlapping regions, two banks, /memreserve/).

// core
#include "analysis/analysis.h"
#include "analysis/freespace.h"
#include "kernel/profileoptions.h"
#include "model/units.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QTemporaryDir>
#include <QTest>

using namespace carveout;

namespace {
constexpr uint64_t kMiB = 1 << 20;

QString rangesText(const std::vector<AddrRange>& ranges)
{
    QStringList parts;
    for (const auto& r : ranges)
        parts << toHex(r.base) + QLatin1Char('+') + toHex(r.size);
    return parts.join(QLatin1Char(' '));
}

/** One RAM bank of 256 MiB at 0x80000000 unless the body gives its own memory nodes. Without a
 *  linux,cma-default node the kernel makes its own 16 MiB CMA area (CONFIG_CMA_SIZE_MBYTES) at the
 *  top of RAM below 4 GiB: it holds memory too, so the top gap ends 16 MiB early. */
const QByteArray kBank = "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x10000000>; };\n";
const QByteArray kContainer = "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n";
} // namespace

class TestFreeSpace : public QObject
{
    Q_OBJECT
private slots:
    void samples_data();
    void samples();
    void trees_data();
    void trees();
    void firstFitWithin();
    void noRamNoGap();
    void cmdlineAreasHoldMemory();

private:
    AnalysisPtr analyseText(const QByteArray& text, const QStringList& pageSize = {});
    QTemporaryDir m_dir;
    int m_counter = 0;
};

AnalysisPtr TestFreeSpace::analyseText(const QByteArray& text, const QStringList& pageSize)
{
    const QString file = test::writeFile(m_dir, QStringLiteral("t%1.dts").arg(++m_counter), text);
    const LoadResult loaded = loadBoard(file);
    if (!loaded.ok)
        return nullptr;
    ProfileRequest rq;
    rq.pageSize = pageSize.value(0);
    KernelProfile profile;
    if (!resolveProfile(rq, &loaded.doc, &profile).isEmpty())
        return nullptr;
    return analyse(loaded.doc, profile);
}

void TestFreeSpace::samples_data()
{
    QTest::addColumn<QString>("file");
    for (const char* f : { "broken/brk1-board.dts", "imx/imx9x-evk.dts", "phone/sd9000-mtp.dts", "sim/sim-board.dts" })
        QTest::addRow("%s", f) << test::samplesDir() + QLatin1Char('/') + QLatin1String(f);
}

void TestFreeSpace::samples()
{
    QFETCH(QString, file);
    const LoadResult loaded = loadBoard(file);
    QVERIFY(loaded.ok);
    KernelProfile profile;
    QVERIFY(resolveProfile({}, &loaded.doc, &profile).isEmpty());
    const AnalysisPtr a = analyse(loaded.doc, profile);
    const FreeSpace f = freeSpaceOf(*a);
    QVERIFY(!f.ram.empty());
    QVERIFY(!f.gaps.empty());
    // Held and free tile RAM: sorted, disjoint, and together exactly the banks.
    std::vector<AddrRange> all = f.held;
    all.insert(all.end(), f.gaps.begin(), f.gaps.end());
    const std::vector<AddrRange> tiled = mergedRanges(all);
    QCOMPARE(rangesText(tiled), rangesText(f.ram));
    uint64_t sum = 0;
    for (const auto& r : all)
        sum += r.size;
    uint64_t ram = 0;
    for (const auto& r : f.ram)
        ram += r.size;
    QCOMPARE(sum, ram); // no overlap between held and free
    // The status bar's free total is the same sum.
    QCOMPARE(f.total(), a->ram.free);
    // No gap touches memory a kept region or /memreserve/ entry holds; every freed one is free.
    for (size_t i = 0; i < a->layout.regions.size(); ++i) {
        const RegionPlace p = a->place(int(i));
        if (!p.base || !p.size)
            continue;
        for (const auto& g : f.gaps) {
            const bool overlaps = *p.base < g.end() && g.base < p.end();
            if (p.outcome == Outcome::Active)
                QVERIFY2(!overlaps, qPrintable(a->layout.regions[i].name));
        }
    }
    for (const auto& m : a->layout.memreserve) {
        for (const auto& g : f.gaps)
            QVERIFY(!(m.range.base < g.end() && g.base < m.range.end()));
    }
    // The largest gap is one of them and none is larger; the first fit of its size is a gap's.
    const auto largest = f.largestGap();
    QVERIFY(largest);
    for (const auto& g : f.gaps)
        QVERIFY(g.size <= largest->size);
    const auto fit = f.firstFit(largest->size, 1);
    QVERIFY(fit);
    QVERIFY(f.gapAt(*fit, largest->size));
    QVERIFY(!f.firstFit(largest->size + 1, 1));
}

void TestFreeSpace::trees_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("pageSize");
    QTest::addColumn<QString>("gaps");
    QTest::addColumn<qulonglong>("size");
    QTest::addColumn<qulonglong>("align");
    QTest::addColumn<qulonglong>("fit"); // 0: nothing fits

    // a: [0, 16) MiB, b from 17 MiB: a gap of exactly 1 MiB, then 256 - 20 MiB at the top.
    const QByteArray exact = kBank + kContainer
        + "a@80000000 { reg = <0 0x80000000 0 0x1000000>; no-map; };\n"
          "b@81100000 { reg = <0 0x81100000 0 0x300000>; no-map; };\n};\n";
    const QString exactGaps = QStringLiteral("0x81000000+0x100000 0x81400000+0xdc00000");
    QTest::addRow("a gap of exactly the size")
        << exact << QString() << exactGaps << qulonglong(kMiB) << 0x1000ull << 0x81000000ull;
    QTest::addRow("a page more: the next gap")
        << exact << QString() << exactGaps << qulonglong(kMiB + 0x1000) << 0x1000ull << 0x81400000ull;
    QTest::addRow("too large for any gap") << exact << QString() << exactGaps << qulonglong(0xec00001) << 1ull << 0ull;

    // A 3 MiB gap at 17 MiB: 2 MiB fit at 1 MiB alignment, but a 4 MiB alignment pushes past it.
    const QByteArray pushed = kBank + kContainer
        + "a@80000000 { reg = <0 0x80000000 0 0x1100000>; no-map; };\n"
          "b@81400000 { reg = <0 0x81400000 0 0x200000>; no-map; };\n};\n";
    const QString pushedGaps = QStringLiteral("0x81100000+0x300000 0x81600000+0xda00000");
    QTest::addRow("fits unaligned") << pushed << QString() << pushedGaps << qulonglong(2 * kMiB) << qulonglong(kMiB)
                                    << 0x81100000ull;
    QTest::addRow("alignment pushes past the gap")
        << pushed << QString() << pushedGaps << qulonglong(2 * kMiB) << qulonglong(4 * kMiB) << 0x81800000ull;

    // A CMA pool the kernel frees (64K pages: not aligned to the 512 MiB CMA minimum): its
    // memory is free again, the whole bank but the carve-out.
    const QByteArray freed = kBank + kContainer
        + "fw@80000000 { reg = <0 0x80000000 0 0x100000>; no-map; };\n"
          "pool@84000000 { compatible = \"shared-dma-pool\"; reusable; reg = <0 0x84000000 0 0x2000000>; };\n};\n";
    QTest::addRow("a freed region gives its memory back")
        << freed << QStringLiteral("64K") << QStringLiteral("0x80100000+0xff00000") << qulonglong(0x3000000) << 1ull
        << 0x80100000ull;
    QTest::addRow("a kept pool holds its memory")
        << freed << QString() << QStringLiteral("0x80100000+0x3f00000 0x86000000+0x9000000") << qulonglong(0x3000000)
        << 1ull << 0x80100000ull;

    // Overlapping regions (plain reserved: memblock_reserve merges) hold their union once.
    const QByteArray overlap = kBank + kContainer
        + "x@80200000 { reg = <0 0x80200000 0 0x400000>; };\n"
          "y@80400000 { reg = <0 0x80400000 0 0x400000>; };\n};\n";
    QTest::addRow("overlapping regions") << overlap << QString()
                                         << QStringLiteral("0x80000000+0x200000 0x80800000+0xe800000")
                                         << qulonglong(2 * kMiB) << qulonglong(2 * kMiB) << 0x80000000ull;

    // Two banks with a hole between: no gap crosses it; the first bank's last 16 MiB are the
    // default CMA area, so a size that fits nowhere below the hole goes to the second bank.
    const QByteArray banks
        = "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x8000000>, <1 0x0 0 0x8000000>; };\n"
        + kContainer
        + "lo@80000000 { reg = <0 0x80000000 0 0x7000000>; no-map; };\n"
          "hi@100000000 { reg = <1 0x0 0 0x1000000>; no-map; };\n};\n";
    QTest::addRow("two banks") << banks << QString() << QStringLiteral("0x101000000+0x7000000")
                               << qulonglong(2 * 16 * kMiB) << 0x1000ull << 0x101000000ull;

    // /memreserve/ holds memory as a region does.
    const QByteArray memreserve = kBank + kContainer + "};\n";
    QTest::addRow("/memreserve/") << memreserve << QStringLiteral("memreserve")
                                  << QStringLiteral("0x80000000+0x1000000 0x81100000+0xdf00000")
                                  << qulonglong(16 * kMiB + 1) << 1ull << 0x81100000ull;
}

void TestFreeSpace::trees()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, pageSize);
    QFETCH(QString, gaps);
    QFETCH(qulonglong, size);
    QFETCH(qulonglong, align);
    QFETCH(qulonglong, fit);
    const QByteArray header = pageSize == QLatin1String("memreserve")
        ? QByteArray("/dts-v1/;\n/memreserve/ 0x81000000 0x100000;\n")
        : QByteArray("/dts-v1/;\n");
    const AnalysisPtr a = analyseText(header + "/ {\n#address-cells = <2>; #size-cells = <2>;\n" + body + "};\n",
        pageSize == QLatin1String("memreserve") ? QStringList() : QStringList { pageSize });
    QVERIFY(a);
    if (pageSize == QLatin1String("64K")) {
        const int pool = a->layout.findRegion(QStringLiteral("/reserved-memory/pool@84000000"));
        QCOMPARE(a->place(pool).outcome, Outcome::Freed);
    }
    const FreeSpace f = freeSpaceOf(*a);
    QCOMPARE(rangesText(f.gaps), gaps);
    const auto got = f.firstFit(size, align);
    QCOMPARE(got ? qulonglong(*got) : 0ull, fit);
    QCOMPARE(f.total(), a->ram.free);
}

void TestFreeSpace::firstFitWithin()
{
    // Gaps [0x1000, 0x5000) and [0x8000, 0x20000) of a RAM [0, 0x20000).
    const FreeSpace f = freeSpaceOf({ { 0, 0x20000 } }, { { 0, 0x1000 }, { 0x5000, 0x3000 } });
    QCOMPARE(rangesText(f.gaps), QStringLiteral("0x1000+0x4000 0x8000+0x18000"));
    QCOMPARE(f.largestGap()->base, uint64_t(0x8000));
    QCOMPARE(*f.firstFit(0x1000, 0x1000), uint64_t(0x1000));
    // Only from 0x9000 on (alloc-ranges): the first fit moves into the second gap, aligned.
    QCOMPARE(*f.firstFit(0x1000, 0x4000, AddrRange { 0x9000, 0x10000 }), uint64_t(0xc000));
    QVERIFY(!f.firstFit(0x1000, 0x1000, AddrRange { 0x5000, 0x3000 })); // all held there
    QVERIFY(!f.firstFit(0, 1));
    // At the top of the address space the alignment's rounding must not wrap to 0.
    const FreeSpace top = freeSpaceOf({ { UINT64_MAX - 0xfff, 0x1000 } }, {});
    QVERIFY(!top.firstFit(0x10, 0x10000));
    QCOMPARE(*top.firstFit(0x10, 0x10), uint64_t(UINT64_MAX - 0xfff));
    QCOMPARE(f.gapAt(0x9000, 0x100)->base, uint64_t(0x8000));
    QVERIFY(!f.gapAt(0x4800, 0x1000));
}

void TestFreeSpace::noRamNoGap()
{
    // RAM from the bootloader: no bank, so nothing is known to be free.
    const AnalysisPtr a = analyseText("/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>;\n" + kContainer
        + "a@80000000 { reg = <0 0x80000000 0 0x1000000>; no-map; };\n};\n};\n");
    QVERIFY(a);
    const FreeSpace f = freeSpaceOf(*a);
    QVERIFY(f.gaps.empty());
    QVERIFY(!f.largestGap());
    QVERIFY(!f.firstFit(0x1000, 1));
}

void TestFreeSpace::cmdlineAreasHoldMemory()
{
    // 8 GiB from 0x40000000: the 16 MiB default area top-down below 4 GiB, crashkernel=256M
    // below it, then (7.0+: after setup_arch) hugetlb_cma=1G bottom-up at 4 GiB (oracle case 40);
    // all three hold RAM.
    const QByteArray tree = "/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>;\n"
                            "chosen { bootargs = \"hugetlb_cma=1G crashkernel=256M\"; };\n"
                            "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 2 0>; };\n"
        + kContainer + "a@80000000 { reg = <0 0x80000000 0 0x1000000>; no-map; };\n};\n};\n";
    const AnalysisPtr a = analyseText(tree);
    QVERIFY(a);
    const auto& areas = a->boot.cmdlineAreas;
    QCOMPARE(areas.size(), size_t(2));
    QCOMPARE(areas[1].kind, CmdlineArea::Kind::HugetlbCma);
    QCOMPARE(*areas[1].base, uint64_t(0x100000000));
    QCOMPARE(areas[1].size, uint64_t(1) << 30);
    QCOMPARE(areas[0].kind, CmdlineArea::Kind::CrashKernel);
    QCOMPARE(*areas[0].base, uint64_t(0xff000000 - 0x10000000));
    QCOMPARE(a->boot.cmaAreasUsed, 2); // hugetlb0 and the default area
    const uint64_t expectReserved = 0x1000000 + (uint64_t(1) << 30) + 0x1000000 + 0x10000000;
    QCOMPARE(a->ram.reserved, expectReserved);
    QCOMPARE(a->ram.cma, (uint64_t(1) << 30) + 0x1000000);
    QCOMPARE(a->ram.free, a->ram.ram - expectReserved);
    const FreeSpace f = freeSpaceOf(*a);
    QCOMPARE(f.total(), a->ram.free);
    QVERIFY(!f.gapAt(0x100000000, 0x1000));
    QVERIFY(!f.gapAt(0xef000000, 0x1000));
    // Without the options nothing but the default area and the region is held.
    const AnalysisPtr plain = analyseText(QByteArray(tree).replace("hugetlb_cma=1G crashkernel=256M", "quiet"));
    QVERIFY(plain && plain->boot.cmdlineAreas.empty());
    QCOMPARE(plain->ram.reserved, uint64_t(0x2000000));
}

QTEST_GUILESS_MAIN(TestFreeSpace)
#include "tst_freespace.moc"
