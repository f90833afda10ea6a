// SPDX-License-Identifier: GPL-2.0-only
// The command line's areas per kernel version (docs/kernel-rules-additions.md 3): each row is a
// small tree and a command line booted on the version just before a change and on the version
// that has it, through the core API the way carveout-cli check runs it (loadBoard,
// resolveProfile with --kernel/--arch, analyse). What is compared: the areas in the order the
// kernel makes them, their bases and sizes, and what the kernel prints (or, where it says
// nothing, that it says nothing).

// core
#include "analysis/analysis.h"
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

/** 4 GiB of RAM from 1 GiB (below and above 4 GiB); `cma=0` keeps the default area out of the way. */
const QByteArray kHead = "/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>;\n";
const QByteArray kRam1To5G = "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 1 0>; };\n";
const QByteArray kRam2G = "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x80000000>; };\n";
const QByteArray kContainer = "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n";

QByteArray tree(const QByteArray& bootargs, const QByteArray& ram, const QByteArray& regions = {})
{
    return kHead + "chosen { bootargs = \"" + bootargs + "\"; };\n" + ram + kContainer + regions + "};\n};\n";
}

/** "kind base+size" per area (base "-" when it failed), then " | " and every kernel message. */
QString describe(const BootResult& boot)
{
    QStringList areas, messages;
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        areas << QStringLiteral("%1 %2+%3")
                     .arg(cmdlineAreaKindName(a.kind), a.failed || !a.base ? QStringLiteral("-") : toHex(*a.base),
                         toHex(a.size));
        messages << a.kernelMessages;
    }
    return areas.join(QStringLiteral(", ")) + QStringLiteral(" | ") + messages.join(QStringLiteral(" / "));
}

} // namespace

class TestCmdlineAreas : public QObject
{
    Q_OBJECT
private slots:
    void eras_data();
    void eras();
    void refusedSizeSaysWhy();

private:
    QString run(const QByteArray& text, const QString& kernel, const QString& arch, BootResult* out = nullptr);
    QTemporaryDir m_dir;
    int m_counter = 0;
};

QString TestCmdlineAreas::run(const QByteArray& text, const QString& kernel, const QString& arch, BootResult* out)
{
    const QString file = test::writeFile(m_dir, QStringLiteral("t%1.dts").arg(++m_counter), text);
    const LoadResult loaded = loadBoard(file);
    if (!loaded.ok)
        return QStringLiteral("load failed");
    ProfileRequest rq;
    rq.kernel = kernel;
    rq.arch = arch;
    KernelProfile profile;
    const QString error = resolveProfile(rq, &loaded.doc, &profile);
    if (!error.isEmpty())
        return error;
    const AnalysisPtr a = analyse(loaded.doc, profile);
    if (out)
        *out = a->boot;
    return describe(a->boot);
}

void TestCmdlineAreas::eras_data()
{
    QTest::addColumn<QByteArray>("tree");
    QTest::addColumn<QString>("arch");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<QString>("expected");

    // crashkernel=X that does not fit below the DMA limit (4 GiB): 6.1 gives up, 6.2 falls back
    // above it with the default 128 MiB low part (a9ae89df7377).
    const QByteArray lowFull = tree("cma=0 crashkernel=512M", kRam1To5G,
        "big { size = <0 0xb0000000>; alloc-ranges = <0 0x40000000 0 0xc0000000>; no-map; };\n");
    QTest::newRow("X falls back: 6.1") << lowFull << "arm64"
                                       << "6.1"
                                       << "crashkernel -+0x20000000 | cannot allocate crashkernel (size:0x20000000)";
    QTest::newRow("X falls back: 6.2")
        << lowFull << "arm64"
        << "6.2"
        << "crashkernel_low 0x48000000+0x8000000, crashkernel 0x120000000+0x20000000 | crashkernel low memory "
           "reserved: 0x48000000 - 0x50000000 (128 MB) / crashkernel reserved: 0x0000000120000000 - "
           "0x0000000140000000 (512 MB)";

    // crashkernel=X,high with only 128 MiB free above 4 GiB: 6.4 searches [0, HIGH_MAX) and
    // straddles 4 GiB; 6.5 (6c4dcaddbd36) tries [4 GiB, HIGH_MAX), then falls back below LOW_MAX.
    const QByteArray highFull = tree(
        "cma=0 crashkernel=256M,high", kRam1To5G, "top@108000000 { reg = <1 0x08000000 0 0x38000000>; no-map; };\n");
    QTest::newRow(",high: 6.4") << highFull << "arm64"
                                << "6.4"
                                << "crashkernel 0xf8000000+0x10000000 | crashkernel reserved: 0x00000000f8000000 - "
                                   "0x0000000108000000 (256 MB)";
    QTest::newRow(",high: 6.5") << highFull << "arm64"
                                << "6.5"
                                << "crashkernel 0xf0000000+0x10000000 | crashkernel reserved: 0x00000000f0000000 - "
                                   "0x0000000100000000 (256 MB)";
    // ,high without ,low: no low part before 6.2 (a149cf00b158), 128 MiB from it.
    const QByteArray high = tree("cma=0 crashkernel=256M,high", kRam1To5G);
    QTest::newRow(",high no ,low: 6.1") << high << "arm64"
                                        << "6.1"
                                        << "crashkernel 0x130000000+0x10000000 | crashkernel reserved: "
                                           "0x0000000130000000 - 0x0000000140000000 (256 MB)";
    QTest::newRow(",high no ,low: 6.2")
        << high << "arm64"
        << "6.2"
        << "crashkernel_low 0xf8000000+0x8000000, crashkernel 0x130000000+0x10000000 | crashkernel low memory "
           "reserved: 0xf8000000 - 0x100000000 (128 MB) / crashkernel reserved: 0x0000000130000000 - "
           "0x0000000140000000 (256 MB)";

    // A fixed base that is taken: "memory is in use" from 6.5, before it the generic message.
    const QByteArray fixed = tree(
        "cma=0 crashkernel=256M@0x50000000", kRam2G, "fw@50000000 { reg = <0 0x50000000 0 0x100000>; no-map; };\n");
    QTest::newRow("@B taken: 6.4") << fixed << "arm64"
                                   << "6.4"
                                   << "crashkernel -+0x10000000 | cannot allocate crashkernel (size:0x10000000)";
    QTest::newRow("@B taken: 6.5") << fixed << "arm64"
                                   << "6.5"
                                   << "crashkernel -+0x10000000 | crashkernel reservation failed - memory is in use.";

    // A size of at least the RAM: the allocation fails up to 6.11 (here on the firmware region); from 6.12
    // parse_crashkernel() refuses it and nothing is printed.
    const QByteArray all
        = tree("cma=0 crashkernel=2G", kRam2G, "fw@50000000 { reg = <0 0x50000000 0 0x100000>; no-map; };\n");
    QTest::newRow("size >= RAM: 6.11") << all << "arm64"
                                       << "6.11"
                                       << "crashkernel -+0x80000000 | cannot allocate crashkernel (size:0x80000000)";
    QTest::newRow("size >= RAM: 6.12") << all << "arm64"
                                       << "6.12"
                                       << "crashkernel -+0x80000000 | ";
    QTest::newRow("ARM size >= lowmem: 6.11")
        << all << "arm"
        << "6.11"
        << "crashkernel -+0x80000000 | crashkernel reservation failed - No suitable area found.";
    QTest::newRow("ARM size >= lowmem: 6.12") << all << "arm"
                                              << "6.12"
                                              << "crashkernel -+0x80000000 | ";

    // hugetlb_cma=1536M: up to 6.19 at least one gigantic page, rounded up to 2 GiB; the
    // multiple-of check only in trees after 7.0's arch_hugetlb_cma_order(). (RAM ends below
    // 4 GiB + 2 GiB, so the area is placed top-down.)
    const QByteArray odd = tree("cma=0 hugetlb_cma=1536M", kRam1To5G);
    QTest::newRow("hugetlb_cma not a multiple: 6.19")
        << odd << "arm64"
        << "6.19"
        << "hugetlb_cma 0xc0000000+0x80000000 | hugetlb_cma: reserve 1536 MiB, up to 2048 MiB per node / cma: "
           "Reserved 2048 MiB at 0x00000000c0000000 on node -1 / hugetlb_cma: reserved 2048 MiB on node 0";
    QTest::newRow("hugetlb_cma not a multiple: 7.0")
        << odd << "arm64"
        << "7.0"
        << "hugetlb_cma -+0x0 | hugetlb_cma: cma area must be a multiple of 1024 MiB";

    // 7.0 (9fac145b6d3f) reserves hugetlb_cma from mm_core_init_early(): after the crash kernel.
    const QByteArray both = tree("cma=0 hugetlb_cma=1G crashkernel=256M", kRam1To5G);
    QTest::newRow("hugetlb_cma order: 6.19")
        << both << "arm64"
        << "6.19"
        << "hugetlb_cma 0x100000000+0x40000000, crashkernel 0xf0000000+0x10000000 | hugetlb_cma: reserve 1024 MiB, up "
           "to 1024 MiB per node / cma: Reserved 1024 MiB at 0x0000000100000000 on node -1 / hugetlb_cma: reserved "
           "1024 MiB on node 0 / crashkernel reserved: 0x00000000f0000000 - 0x0000000100000000 (256 MB)";
    QTest::newRow("hugetlb_cma order: 7.0")
        << both << "arm64"
        << "7.0"
        << "crashkernel 0xf0000000+0x10000000, hugetlb_cma 0x100000000+0x40000000 | crashkernel reserved: "
           "0x00000000f0000000 - 0x0000000100000000 (256 MB) / hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per "
           "node / cma: Reserved 1024 MiB at 0x0000000100000000 on node -1 / hugetlb_cma: reserved 1024 MiB on node 0";

    // "cma: Reserved ... on node %d" from 6.6 (bf29bfaa5490), NUMA_NO_NODE without CONFIG_NUMA.
    const QByteArray one = tree("cma=0 hugetlb_cma=1G", kRam1To5G);
    QTest::newRow("on node: 6.5")
        << one << "arm64"
        << "6.5"
        << "hugetlb_cma 0x100000000+0x40000000 | hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per node / cma: "
           "Reserved 1024 MiB at 0x0000000100000000 / hugetlb_cma: reserved 1024 MiB on node 0";
    QTest::newRow("on node: 6.6")
        << one << "arm64"
        << "6.6"
        << "hugetlb_cma 0x100000000+0x40000000 | hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per node / cma: "
           "Reserved 1024 MiB at 0x0000000100000000 on node -1 / hugetlb_cma: reserved 1024 MiB on node 0";

    // crashkernel=Z,cma: arm64 calls reserve_crashkernel_cma() from 7.3 (c12c63d05dfe); before,
    // parse_crashkernel() skips the word and nothing is made.
    const QByteArray cma = tree("cma=0 crashkernel=64M,cma", kRam1To5G);
    QTest::newRow(",cma: 7.2") << cma << "arm64"
                               << "7.2"
                               << " | ";
    QTest::newRow(",cma: 7.3") << cma << "arm64"
                               << "7.3"
                               << "crashkernel_cma 0x100000000+0x4000000 | cma: Reserved 64 MiB at 0x0000000100000000 "
                                  "on node -1 / crashkernel CMA reserved: 64 MB in 1 ranges";
}

void TestCmdlineAreas::eras()
{
    QFETCH(QByteArray, tree);
    QFETCH(QString, arch);
    QFETCH(QString, kernel);
    QFETCH(QString, expected);
    QCOMPARE(run(tree, kernel, arch), expected);
}

void TestCmdlineAreas::refusedSizeSaysWhy()
{
    // The kernel is silent about a size it refuses, so the area says why itself.
    BootResult boot;
    run(tree("crashkernel=2G", kRam2G), QStringLiteral("6.12"), QStringLiteral("arm64"), &boot);
    QCOMPARE(boot.cmdlineAreas.size(), size_t(1));
    QVERIFY(boot.cmdlineAreas[0].failed);
    QVERIFY2(boot.cmdlineAreas[0].note.contains(QLatin1String("system RAM (2048 MiB)")),
        qPrintable(boot.cmdlineAreas[0].note));
}

QTEST_GUILESS_MAIN(TestCmdlineAreas)
#include "tst_cmdlineareas.moc"
