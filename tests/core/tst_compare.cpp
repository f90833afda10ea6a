// SPDX-License-Identifier: GPL-2.0-only
// compare on every real capture of tests/data/captures (recorded from the oracle's Debian kernels
// under QEMU, see the README there): an unchanged tree agrees, every planted difference is found.
#include "../testutils.h"

// core
#include "analysis/analysis.h"
#include "capture/compare.h"
#include "kernel/profileoptions.h"
#include "report/comparereport.h"
#include "source/loader.h"

// Qt
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace carveout;
using namespace carveout::capture;
using namespace carveout::test;

namespace {

QString capturesDir()
{
    return sourceDir() + QStringLiteral("/tests/data/captures");
}

/** "05-dynamic-align.arm64-6.12.memblock.dmesg.log" -> base name "05-dynamic-align.arm64-6.12.memblock". */
QString baseName(const QString& file)
{
    QString b = file;
    for (const char* ext : { ".bundle", ".dmesg.log", ".console.log", ".iomem" })
        if (b.endsWith(QLatin1String(ext)))
            return b.chopped(int(qstrlen(ext)));
    return {};
}

/** The sources the capture's board was built from (README of tests/data/captures). */
QString boardFor(const QString& base)
{
    const QString dir = capturesDir() + QLatin1Char('/');
    static const QRegularExpression name(QStringLiteral(R"(^(.*)\.((?:arm64|armhf)-\d+\.\d+)(\.memblock)?$)"));
    const QRegularExpressionMatch m = name.match(base);
    const QString kase = m.captured(1);
    const QString kernel = m.captured(2);
    // The sample captures booted the sample's /reserved-memory on QEMU virt: compared with the sample itself.
    if (kase == QLatin1String("28-sample-imx9x-evk"))
        return samplesDir() + QStringLiteral("/imx/imx9x-evk.dts");
    if (kase == QLatin1String("planted-extra-region"))
        return dir + QStringLiteral("05-dynamic-align.%1.dts").arg(kernel);
    if (QFile::exists(dir + base + QStringLiteral(".dts")))
        return dir + base + QStringLiteral(".dts");
    // A .memblock capture without a .dts booted the oracle's recorded tree.
    return oracleDir() + QStringLiteral("/cases/dts/%1.%2.dts").arg(kase, kernel);
}

struct Run
{
    std::optional<Capture> capture;
    AnalysisPtr analysis;
    CompareResult result;
};

Run compareFiles(const QString& board, const QString& captureFile, const ProfileRequest& request = {},
    const QStringList& overridden = {})
{
    Run run;
    QString error;
    run.capture = readCapture(captureFile, &error);
    if (!run.capture) {
        qWarning("%s", qPrintable(error));
        return run;
    }
    const LoadResult loaded = loadBoard(board, {});
    if (!loaded.ok) {
        qWarning("cannot load %s", qPrintable(board));
        run.capture.reset();
        return run;
    }
    KernelProfile base;
    if (!resolveProfile(request, &loaded.doc, &base).isEmpty()) {
        run.capture.reset();
        return run;
    }
    QStringList notes;
    const KernelProfile profile = profileFromCapture(*run.capture, base, overridden, &notes);
    run.analysis = analyse(loaded.doc, profile);
    run.result = compareCapture(loaded.doc, run.analysis, *run.capture);
    run.result.profileNotes = notes;
    return run;
}

QString describe(const Run& run)
{
    return run.capture ? compareToText(run.result, *run.capture) : QStringLiteral("(no capture)");
}

const RegionComparison* regionNamed(const CompareResult& r, const QString& name)
{
    for (const auto& c : r.regions)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private slots:
    void captures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("board");
        const QStringList files = QDir(capturesDir()).entryList(QDir::Files, QDir::Name);
        int rows = 0;
        for (const QString& f : files) {
            const QString base = baseName(f);
            if (base.isEmpty() || base.startsWith(QLatin1String("debugfs-cma")))
                continue;
            QTest::newRow(qPrintable(f)) << capturesDir() + QLatin1Char('/') + f << boardFor(base);
            ++rows;
        }
        QVERIFY2(rows >= 30, "the committed captures are missing");
    }

    /** Every capture: the unchanged trees agree (differ 0, and something agrees), the planted
     *  ones differ exactly where planted. */
    void captures()
    {
        QFETCH(QString, file);
        QFETCH(QString, board);
        if (!QFile::exists(board))
            QSKIP("the board's sources are in ../shared/oracle, which is absent");
        // An iomem file does not say which kernel booted: name it, as a user must.
        ProfileRequest request;
        QStringList overridden;
        if (file.endsWith(QLatin1String(".iomem"))) {
            static const QRegularExpression kernel(QStringLiteral(R"(\.((arm64|armhf)-(\d+\.\d+))[.])"));
            const auto m = kernel.match(QFileInfo(file).fileName());
            request.profile = QStringLiteral("debian-%1-%2").arg(m.captured(3), m.captured(2));
            overridden << QStringLiteral("profile");
        }
        const Run run = compareFiles(board, file, request, overridden);
        QVERIFY2(run.capture, qPrintable(file));
        const CompareResult& r = run.result;
        const QString name = QFileInfo(file).fileName();
        const QString report = describe(run);
        if (name.startsWith(QLatin1String("planted-"))) {
            QVERIFY2(r.differ > 0, qPrintable(report));
            QVERIFY2(r.anyDifference(), qPrintable(report));
            return; // the planted differences are checked one by one below
        }
        QVERIFY2(r.differ == 0, qPrintable(report));
        // A log without memblock=debug on 6.1 leaves regions without an init function unknown; still,
        // every capture shows something that agrees, or says why nothing can be seen.
        // 32-bit ARM lists no reservations in /proc/iomem, and case 11 has no no-map region.
        const bool seesNothing = name == QLatin1String("11-multi-dynamic-order.armhf-6.1.memblock.iomem");
        QVERIFY2(r.agree > 0 || seesNothing, qPrintable(report));
        for (const auto& c : r.regions) {
            QVERIFY2(c.verdict != Verdict::Unknown || !c.explanation.isEmpty(), qPrintable(report));
            if (c.verdict == Verdict::Agree && c.actual.outcome != Outcome::Disabled)
                QVERIFY2(!c.actual.evidence.empty(),
                    qPrintable(c.path + QStringLiteral(" agrees without evidence\n") + report));
        }
    }

    /** 6.12 prints a summary line for every region: all five placements of case 05 are seen and agree. */
    void dynamicPlacementsSeen()
    {
        const QString dir = capturesDir() + QLatin1Char('/');
        const Run run = compareFiles(dir + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
            dir + QStringLiteral("05-dynamic-align.arm64-6.12.bundle"));
        QVERIFY(run.capture);
        QCOMPARE(run.result.agree, 5);
        const RegionComparison* c = regionNamed(run.result, QStringLiteral("dyn-c"));
        QVERIFY(c);
        QCOMPARE(c->actual.base.value_or(0), uint64_t(0xbeedd000));
        QCOMPARE(c->predicted.base.value_or(0), uint64_t(0xbeedd000));
        // The default CMA area is the kernel's own: listed, its arm64 base not predictable.
        bool defaultCma = false;
        for (const auto& k : run.result.kernelReservations)
            if (k.what == QLatin1String("default CMA area")) {
                defaultCma = true;
                QCOMPARE(k.range.base, uint64_t(0xb7000000));
                QVERIFY(!k.predictable);
            }
        QVERIFY(defaultCma);
    }

    /** A sample board of the project, its /reserved-memory booted on 6.12: every region seen, all agree. */
    void sampleBoard()
    {
        const Run run = compareFiles(samplesDir() + QStringLiteral("/imx/imx9x-evk.dts"),
            capturesDir() + QStringLiteral("/28-sample-imx9x-evk.arm64-6.12.bundle"));
        QVERIFY(run.capture);
        QCOMPARE(run.result.agree, 11);
        QCOMPARE(run.result.differ, 0);
        // The sample's two memory banks are the booted tree's one node: the same RAM.
        for (const auto& t : run.result.treeDifferences)
            QVERIFY2(t.area != QLatin1String("/memory"), qPrintable(describe(run)));
    }

    /** memblock=debug on armhf 6.1: the regions without compatible are placed from the memblock
     *  lines (matched by size), in the 6.1 heapsort order. */
    void memblockLinesPlaceRegions()
    {
        const QString board = boardFor(QStringLiteral("11-multi-dynamic-order.armhf-6.1.memblock"));
        if (!QFile::exists(board))
            QSKIP("needs ../shared/oracle");
        const Run run
            = compareFiles(board, capturesDir() + QStringLiteral("/11-multi-dynamic-order.armhf-6.1.memblock.bundle"));
        QVERIFY(run.capture);
        QCOMPARE(run.result.differ, 0);
        for (const char* n : { "d1", "d2", "d3", "d5", "d6", "d7" }) {
            const RegionComparison* c = regionNamed(run.result, QLatin1String(n));
            QVERIFY2(c && c->verdict == Verdict::Agree && c->actual.base, n);
        }
        QCOMPARE(regionNamed(run.result, QStringLiteral("d4"))->actual.outcome, Outcome::Freed);
    }

    void plantedExtraRegion_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("6.12 bundle") << QStringLiteral("planted-extra-region.arm64-6.12.bundle");
        QTest::newRow("6.12 dmesg") << QStringLiteral("planted-extra-region.arm64-6.12.dmesg.log");
        QTest::newRow("6.12 iomem") << QStringLiteral("planted-extra-region.arm64-6.12.iomem");
        QTest::newRow("6.1 memblock bundle") << QStringLiteral("planted-extra-region.arm64-6.1.memblock.bundle");
    }

    /** The bootloader added a no-map region: an unexplained reservation at 0x50000000 (and, with
     *  the booted DTB, a /reserved-memory difference); the sources' regions still agree. */
    void plantedExtraRegion()
    {
        QFETCH(QString, file);
        const Run run = compareFiles(boardFor(baseName(file)), capturesDir() + QLatin1Char('/') + file);
        QVERIFY(run.capture);
        const QString report = describe(run);
        QCOMPARE(run.result.unexplained.size(), size_t(1));
        const Unexplained& u = run.result.unexplained.front();
        QVERIFY2(u.range.base == 0x50000000 && u.range.size == 0x200000 && u.noMap, qPrintable(report));
        QVERIFY(!u.evidence.empty());
        if (!run.capture->fdt.isEmpty()) {
            bool added = false;
            for (const auto& t : run.result.treeDifferences)
                added = added
                    || (t.change == QLatin1String("added")
                        && t.path == QLatin1String("/reserved-memory/bootloader-fw@50000000"));
            QVERIFY2(added, qPrintable(report));
        }
        // On 6.12 the extra static region changes no dynamic placement; on 6.1 it changes the
        // heapsort order of the allocations, and the report says why they moved.
        for (const auto& c : run.result.regions)
            QVERIFY2(c.verdict != Verdict::Differ
                    || (run.capture->kernelRelease.startsWith(QLatin1String("6.1.0"))
                        && c.explanation.contains(QLatin1String("booted tree's regions differ"))),
                qPrintable(report));
    }

    /** The advice taken: with the bootloader's region as an early reservation it is explained
     *  (listed with the kernel's own reservations); only the tree difference remains. */
    void plantedExtraRegionReserved()
    {
        const QString dir = capturesDir() + QLatin1Char('/');
        ProfileRequest rq;
        rq.reserve << QStringLiteral("bootloader-fw@0x50000000+0x200000");
        const Run before = compareFiles(dir + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
            dir + QStringLiteral("planted-extra-region.arm64-6.12.bundle"));
        const Run run = compareFiles(dir + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
            dir + QStringLiteral("planted-extra-region.arm64-6.12.bundle"), rq, { QStringLiteral("reserve") });
        QVERIFY(run.capture && before.capture);
        const QString report = describe(run);
        QVERIFY2(run.result.unexplained.empty(), qPrintable(report));
        QCOMPARE(run.result.differ, before.result.differ - 1);
        bool listed = false;
        for (const auto& k : run.result.kernelReservations)
            listed = listed || (k.what.startsWith(QLatin1String("bootloader-fw")) && !k.evidence.empty());
        QVERIFY2(listed, qPrintable(report));
    }

    /** The bootloader gave 1.5 GiB where the sources say 2: with RAM from the booted DTB (the
     *  default) only the /memory difference remains; predicted with the sources' RAM, every
     *  dynamic region is 512 MiB off and says so. */
    void plantedRamDiffers()
    {
        const QString dir = capturesDir() + QLatin1Char('/');
        const QString board = dir + QStringLiteral("planted-ram-differs.arm64-6.12.dts");
        const QString bundle = dir + QStringLiteral("planted-ram-differs.arm64-6.12.bundle");
        const Run run = compareFiles(board, bundle);
        QVERIFY(run.capture);
        QString report = describe(run);
        QCOMPARE(run.result.differ, 1);
        QCOMPARE(run.result.treeDifferences.front().area, QStringLiteral("/memory"));
        QVERIFY2(run.result.treeDifferences.front().advice.contains(QLatin1String("--memory 0x40000000+0x60000000")),
            qPrintable(report));
        QCOMPARE(run.result.bootedMemory.size(), size_t(1));
        QCOMPARE(run.result.bootedMemory.front().size, uint64_t(0x60000000));
        QCOMPARE(run.result.agree, 5);

        ProfileRequest sourcesRam;
        sourcesRam.memory << QStringLiteral("0x40000000+2G");
        const Run wrong = compareFiles(board, bundle, sourcesRam, { QStringLiteral("memory") });
        report = describe(wrong);
        const RegionComparison* a = regionNamed(wrong.result, QStringLiteral("dyn-a"));
        QVERIFY(a);
        QCOMPARE(a->verdict, Verdict::Differ);
        QCOMPARE(a->predicted.base.value_or(0), uint64_t(0xbf000000));
        QCOMPARE(a->actual.base.value_or(0), uint64_t(0x9f000000));
        QVERIFY2(wrong.result.differ >= 6, qPrintable(report));

        // The plain log has no DTB: the kernel's "Memory:" total shows the RAM difference.
        const Run log = compareFiles(board, dir + QStringLiteral("planted-ram-differs.arm64-6.12.dmesg.log"));
        report = describe(log);
        bool memory = false;
        for (const auto& t : log.result.treeDifferences)
            memory = memory || t.area == QLatin1String("/memory");
        QVERIFY2(memory, qPrintable(report));
    }

    /** A source region the capture contradicts: the same capture against a tree whose CMA pool moved. */
    void contradictedRegion()
    {
        QTemporaryDir tmp;
        QFile f(capturesDir() + QStringLiteral("/01-static-cma-default.arm64-6.1.dts"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray dts = f.readAll();
        QVERIFY(dts.contains("linux,cma@60000000"));
        dts.replace("0x0 0x60000000 0x0 0x4000000", "0x0 0x60100000 0x0 0x4000000");
        const QString board = writeFile(tmp, QStringLiteral("moved.dts"), dts);
        const Run run = compareFiles(board, capturesDir() + QStringLiteral("/01-static-cma-default.arm64-6.1.bundle"));
        QVERIFY(run.capture);
        const QString report = describe(run);
        QVERIFY2(run.result.differ > 0, qPrintable(report));
    }

    /** The JSON contract of design.md / issue 14. */
    void jsonContract()
    {
        const QString dir = capturesDir() + QLatin1Char('/');
        const Run run = compareFiles(dir + QStringLiteral("17-alloc-fail.arm64-6.1.dts"),
            dir + QStringLiteral("17-alloc-fail.arm64-6.1.bundle"));
        QVERIFY(run.capture);
        const QJsonObject o = QJsonDocument::fromJson(compareToJson(run.result, *run.capture)).object();
        QCOMPARE(o.value(QStringLiteral("capture")).toObject().value(QStringLiteral("kind")).toString(),
            QStringLiteral("bundle"));
        QCOMPARE(o.value(QStringLiteral("capture")).toObject().value(QStringLiteral("kernel")).toString(),
            QStringLiteral("6.1.0-57-arm64"));
        QVERIFY(o.value(QStringLiteral("profile")).isObject());
        bool tooBig = false;
        for (const auto& v : o.value(QStringLiteral("regions")).toArray()) {
            const QJsonObject r = v.toObject();
            for (const char* k : { "path", "name", "predicted", "actual", "agree" })
                QVERIFY2(r.contains(QLatin1String(k)), k);
            if (r.value(QStringLiteral("name")).toString() == QLatin1String("too-big")) {
                tooBig = true;
                const QJsonObject a = r.value(QStringLiteral("actual")).toObject();
                QCOMPARE(a.value(QStringLiteral("outcome")).toString(), QStringLiteral("alloc-failed"));
                QVERIFY(a.value(QStringLiteral("base")).isNull());
                QVERIFY(a.value(QStringLiteral("evidence"))
                            .toArray()
                            .first()
                            .toString()
                            .contains(QLatin1String("too-big")));
                QVERIFY(r.value(QStringLiteral("agree")).toBool());
            }
        }
        QVERIFY(tooBig);
        const QJsonObject counts = o.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("differ")).toInt(), 0);
        QVERIFY(o.value(QStringLiteral("unexplained")).isArray());
        QVERIFY(o.value(QStringLiteral("tree_differences")).isArray());
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
