// SPDX-License-Identifier: GPL-2.0-only
// The command line's areas per kernel version (docs/kernel-rules-additions.md 3): each row of
// tests/data/cmdline/eras.tsv is a small tree and a command line booted on the version just
// before a change or on the version that has it, through the core API the way carveout-cli check runs it (loadBoard,
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
#include <QFile>
#include <QMap>
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

/** The trees the rows of tests/data/cmdline/eras.tsv name (the file says what each shows). */
QMap<QString, QByteArray> erasTrees()
{
    const QByteArray fw = "fw@50000000 { reg = <0 0x50000000 0 0x100000>; no-map; };\n";
    return {
        { QStringLiteral("lowFull"),
            tree("cma=0 crashkernel=512M", kRam1To5G,
                "big { size = <0 0xb0000000>; alloc-ranges = <0 0x40000000 0 0xc0000000>; no-map; };\n") },
        { QStringLiteral("highFull"),
            tree("cma=0 crashkernel=256M,high", kRam1To5G,
                "top@108000000 { reg = <1 0x08000000 0 0x38000000>; no-map; };\n") },
        { QStringLiteral("high"), tree("cma=0 crashkernel=256M,high", kRam1To5G) },
        { QStringLiteral("fixed"), tree("cma=0 crashkernel=256M@0x50000000", kRam2G, fw) },
        { QStringLiteral("all"), tree("cma=0 crashkernel=2G", kRam2G, fw) },
        { QStringLiteral("odd"), tree("cma=0 hugetlb_cma=1536M", kRam1To5G) },
        { QStringLiteral("both"), tree("cma=0 hugetlb_cma=1G crashkernel=256M", kRam1To5G) },
        { QStringLiteral("one"), tree("cma=0 hugetlb_cma=1G", kRam1To5G) },
        { QStringLiteral("cma"), tree("cma=0 crashkernel=64M,cma", kRam1To5G) },
    };
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
    const QMap<QString, QByteArray> trees = erasTrees();
    QFile f(test::sourceDir() + QStringLiteral("/tests/data/cmdline/eras.tsv"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    int rows = 0;
    for (const QString& line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList c = line.split(QLatin1Char('\t'));
        QVERIFY2(c.size() == 5 && trees.contains(c[1]), qPrintable(line));
        QTest::newRow(qPrintable(c[0])) << trees.value(c[1]) << c[2] << c[3] << c[4];
        ++rows;
    }
    QVERIFY(rows >= 20);
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
