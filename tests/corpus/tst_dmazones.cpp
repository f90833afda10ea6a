// SPDX-License-Identifier: GPL-2.0-only
// ZONE_DMA from dma-ranges on the corpus (docs/kernel-rules-additions.md 1): every arm64 board
// of shared/corpus is read, and the boards whose buses' dma-ranges pull ZONE_DMA below ZONE_DMA32's
// end must be exactly the ones listed here, with the limit each gets up to 6.11 (a power of two)
// and from 6.12 (exact, capped at 4 GiB).

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "model/units.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QFile>
#include <QTest>

using namespace carveout;

class TestDmaZones : public QObject
{
    Q_OBJECT
private slots:
    void corpusLimits();
};

namespace {

struct Expected
{
    const char* board;
    uint64_t limit61; ///< arm64_dma_phys_limit on 6.1
    uint64_t limit612; ///< on 6.12
    const char* node; ///< the bus whose dma-ranges sets it
};

// Checked by hand against the boards' dtsi files. Not here: r8a774c0 (its PCIe window reaches
// 4 GiB: fls64 is 32, ZONE_DMA stays at ZONE_DMA32's end), the 512 MiB boards of the bcm2837
// family (3 A+, Zero 2 W: the 1 GiB window holds all their RAM), and the 32-bit ARM boards
// (arm_dma_limit does not come from the tree).
const Expected kExpected[] = {
    // bcm2711.dtsi: /soc maps bus 0xc0000000 to CPU 0 for 1 GiB (so does /emmc2bus); 0x3fffffff
    // is 30 bits, a power of two already.
    { "src/arm64/broadcom/bcm2711-rpi-4-b.dts", 0x40000000, 0x40000000, "/soc" },
    { "src/arm64/broadcom/bcm2711-rpi-400.dts", 0x40000000, 0x40000000, "/soc" },
    { "src/arm64/broadcom/bcm2711-rpi-cm4-io.dts", 0x40000000, 0x40000000, "/soc" },
    // bcm283x.dtsi: /soc maps bus 0xc0000000 to CPU 0 for 0x3f000000 (the peripherals above):
    // rounded up to 1 GiB (all of their RAM) up to 6.11, exact from 6.12.
    { "src/arm64/broadcom/bcm2837-rpi-2-b.dts", 0x40000000, 0x3f000000, "/soc" },
    { "src/arm64/broadcom/bcm2837-rpi-3-b-plus.dts", 0x40000000, 0x3f000000, "/soc" },
    { "src/arm64/broadcom/bcm2837-rpi-3-b.dts", 0x40000000, 0x3f000000, "/soc" },
    { "src/arm64/broadcom/bcm2837-rpi-cm3-io3.dts", 0x40000000, 0x3f000000, "/soc" },
    // hi3798cv200.dtsi: /soc reaches CPU 0..0x3fffffff of the Poplar's 2 GiB.
    { "src/arm64/hisilicon/hi3798cv200-poplar.dts", 0x40000000, 0x40000000, "/soc@f0000000" },
};

} // namespace

void TestDmaZones::corpusLimits()
{
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    QFile manifest(test::corpusDir() + QStringLiteral("/../MANIFEST.tsv"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    const KernelProfile p61 = genericProfile(KernelVersion { 6, 1 }, Arch::Arm64, 4096);
    const KernelProfile p612 = genericProfile(KernelVersion { 6, 12 }, Arch::Arm64, 4096);
    QStringList found, problems;
    int boards = 0;
    for (const QByteArray& line : manifest.readAll().split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() < 2 || !f[0].startsWith("src/arm64/") || f[1] != "1")
            continue;
        const QString board = QString::fromUtf8(f[0]);
        const LoadResult loaded = loadBoard(test::corpusDir() + QLatin1Char('/') + board);
        if (!loaded.ok)
            continue;
        ++boards;
        const Layout L = buildLayout(loaded.doc);
        std::vector<AddrRange> ram;
        for (const MemoryBank& b : L.memory)
            ram.push_back(b.range);
        ram = mergedRanges(ram);
        if (ram.empty()) // no memory node: the bootloader fills it in; assume 4 GiB from 0
            ram.push_back({ 0, 0x100000000ull });
        const ZoneLimits z61 = zoneLimits(L, p61, ram), z612 = zoneLimits(L, p612, ram);
        if (z61.dmaNode.isEmpty() && z612.dmaNode.isEmpty())
            continue;
        found << QStringLiteral("{ \"%1\", %2, %3, \"%4\" },")
                     .arg(board, toHex(z61.cmaLimit), toHex(z612.cmaLimit),
                         z612.dmaNode.isEmpty() ? z61.dmaNode : z612.dmaNode);
        bool listed = false;
        for (const Expected& e : kExpected) {
            if (board != QLatin1String(e.board))
                continue;
            listed = true;
            if (z61.cmaLimit != e.limit61 || z612.cmaLimit != e.limit612
                || (z612.dmaNode.isEmpty() ? z61.dmaNode : z612.dmaNode) != QLatin1String(e.node))
                problems << QStringLiteral("%1: 6.1 %2, 6.12 %3 from %4; expected %5, %6 from %7")
                                .arg(board, toHex(z61.cmaLimit), toHex(z612.cmaLimit), z612.dmaNode, toHex(e.limit61),
                                    toHex(e.limit612), QLatin1String(e.node));
        }
        if (!listed)
            problems << QStringLiteral("%1: not listed, gets %2").arg(board, found.back());
    }
    for (const Expected& e : kExpected) {
        bool seen = false;
        for (const QString& f : found)
            seen |= f.contains(QLatin1String(e.board));
        if (!seen)
            problems << QStringLiteral("%1: listed, but no dma-ranges limit below 4 GiB").arg(QLatin1String(e.board));
    }
    qInfo("%d arm64 boards read, %d with ZONE_DMA below ZONE_DMA32's end", boards, int(found.size()));
    QVERIFY2(problems.isEmpty(),
        qPrintable(problems.join(QLatin1Char('\n')) + QStringLiteral("\nfound:\n") + found.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestDmaZones)
#include "tst_dmazones.moc"
