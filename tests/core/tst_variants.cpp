// SPDX-License-Identifier: GPL-2.0-only
// Variants: diffs between two analyses and profile matrices, checked against the oracle's
// recorded boots (6.1 against 6.12 on the same trees) and against trees edited by hand.
#include "../oracle/oracleprofile.h"
#include "../testutils.h"

// core
#include "analysis/analysis.h"
#include "kernel/kconfig.h"
#include "report/diffreport.h"
#include "report/matrixreport.h"
#include "source/loader.h"
#include "variants/diff.h"
#include "variants/matrix.h"

// Qt
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

// std
#include <set>

using namespace carveout;
using namespace carveout::test;
using namespace carveout::variants;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/** The regions whose recorded verdicts differ between the two kernels: the outcome, or where
 *  the kernel placed a dynamic region. */
std::set<QString> recordedDifferences(const QJsonObject& a, const QJsonObject& b)
{
    std::map<QString, QJsonObject> byName;
    for (const auto& v : b.value(QLatin1String("regions")).toArray())
        byName[v.toObject().value(QLatin1String("name")).toString()] = v.toObject();
    std::set<QString> out;
    for (const auto& v : a.value(QLatin1String("regions")).toArray()) {
        const QJsonObject x = v.toObject();
        const QString name = x.value(QLatin1String("name")).toString();
        const QJsonObject y = byName[name];
        const bool outcome = outcomeOf(x.value(QLatin1String("status")).toString())
            != outcomeOf(y.value(QLatin1String("status")).toString());
        const bool placed = x.value(QLatin1String("dynamic")).toBool() && x.value(QLatin1String("base")).isString()
            && y.value(QLatin1String("base")).isString()
            && x.value(QLatin1String("base")).toString() != y.value(QLatin1String("base")).toString();
        if (outcome || placed)
            out.insert(name);
    }
    return out;
}

AnalysisPtr analyseFile(const QString& dts, const KernelProfile& p)
{
    const LoadResult loaded = loadBoard(dts);
    return loaded.ok ? analyse(loaded.doc, p) : nullptr;
}

} // namespace

class TestVariants : public QObject
{
    Q_OBJECT

private slots:
    void oracleKernels_data()
    {
        QTest::addColumn<QString>("kase");
        const QString expected = oracleDir() + QStringLiteral("/cases/expected");
        const QStringList files = QDir(expected).entryList({ QStringLiteral("*.arm64-6.1.json") });
        if (files.isEmpty())
            QTest::newRow("no oracle") << QString();
        for (const QString& f : files)
            QTest::newRow(qPrintable(f.section(QLatin1Char('.'), 0, 0))) << f.section(QLatin1Char('.'), 0, 0);
    }

    /** diff under debian-6.1-arm64 and debian-6.12-arm64 names exactly the regions whose
     *  recorded verdicts differ between those kernels. */
    void oracleKernels()
    {
        QFETCH(QString, kase);
        if (kase.isEmpty())
            QSKIP("../shared/oracle is absent");
        const QString dir = oracleDir() + QStringLiteral("/cases");
        const QJsonObject a = readJson(dir + QStringLiteral("/expected/%1.arm64-6.1.json").arg(kase));
        const QJsonObject b = readJson(dir + QStringLiteral("/expected/%1.arm64-6.12.json").arg(kase));
        if (b.isEmpty())
            QSKIP("no 6.12 boot recorded");
        const QString dts = dir + QStringLiteral("/dts/%1.arm64-6.12.dts").arg(kase);
        const LoadResult loaded = loadBoard(dts);
        QVERIFY(loaded.ok);
        QTemporaryDir tmp;
        const QString dtb = compileDtb(dts, tmp.filePath(QStringLiteral("case.dtb")), loaded.doc.includeDirs);
        const uint64_t dtbSize = uint64_t(QFileInfo(dtb).size());
        const AnalysisPtr A = analyse(loaded.doc, oracleProfile(QStringLiteral("arm64-6.1"), dtbSize));
        const AnalysisPtr B = analyse(loaded.doc, oracleProfile(QStringLiteral("arm64-6.12"), dtbSize));
        const LayoutDiff d = diffAnalyses(*A, *B);
        std::set<QString> found;
        for (const auto& c : d.regions) {
            QVERIFY2(c.a >= 0 && c.b >= 0 && c.matchedBy == MatchedBy::Path, qPrintable(c.path));
            if (c.changes.contains(QLatin1String("outcome")) || c.changes.contains(QLatin1String("placement")))
                found.insert(A->layout.regions[size_t(c.a)].name);
            else
                QFAIL(qPrintable(
                    QStringLiteral("%1 changes %2 under one tree").arg(c.path, c.changes.join(QLatin1Char(',')))));
        }
        const std::set<QString> expected = recordedDifferences(a, b);
        const auto list
            = [](const std::set<QString>& s) { return QStringList(s.begin(), s.end()).join(QLatin1Char(' ')); };
        QVERIFY2(found == expected,
            qPrintable(QStringLiteral("diff lists {%1}, the kernels differ in {%2}").arg(list(found), list(expected))));
    }

    /** Two versions of one board, edited by hand: each kind of change, paired by path, label or unit address. */
    void handEdits()
    {
        QTemporaryDir tmp;
        const QByteArray head = "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
                                "  memory@80000000 { device_type = \"memory\"; reg = <0x80000000 0x40000000>; };\n"
                                "  reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;\n";
        const QByteArray a = head
            + "    fw: fw@90000000 { reg = <0x90000000 0x100000>; no-map; };\n"
              "    gone@91000000 { reg = <0x91000000 0x100000>; };\n"
              "    big@92000000 { reg = <0x92000000 0x100000>; };\n"
              "    cma: linux,cma { compatible = \"shared-dma-pool\"; reusable; size = <0x4000000>; linux,cma-default; "
              "};\n"
              "    dsp@94000000 { reg = <0x94000000 0x100000>; };\n  };\n};\n";
        const QByteArray b = head
            + "    fw: firmware@90100000 { reg = <0x90100000 0x100000>; no-map; };\n"
              "    big@92000000 { reg = <0x92000000 0x200000>; };\n"
              "    cma: linux,cma { compatible = \"shared-dma-pool\"; reusable; size = <0x4000000>; linux,cma-default; "
              "alignment = <0x1000000>; };\n"
              "    adsp@94000000 { reg = <0x94000000 0x100000>; no-map; };\n"
              "    new@95000000 { reg = <0x95000000 0x100000>; };\n  };\n};\n";
        const KernelProfile p = *findProfile(QStringLiteral("linux-6.12-arm64-4k"));
        const AnalysisPtr A = analyseFile(writeFile(tmp, QStringLiteral("a.dts"), a), p);
        const AnalysisPtr B = analyseFile(writeFile(tmp, QStringLiteral("b.dts"), b), p);
        QVERIFY(A && B);
        const LayoutDiff d = diffAnalyses(*A, *B);
        std::map<QString, RegionChange> by;
        for (const auto& c : d.regions)
            by[c.path] = c;
        QCOMPARE(by[QStringLiteral("/reserved-memory/fw@90000000")].matchedBy, MatchedBy::Label);
        QCOMPARE(by[QStringLiteral("/reserved-memory/fw@90000000")].change(), QStringLiteral("moved"));
        QCOMPARE(by[QStringLiteral("/reserved-memory/gone@91000000")].change(), QStringLiteral("removed"));
        QCOMPARE(by[QStringLiteral("/reserved-memory/big@92000000")].change(), QStringLiteral("resized"));
        QCOMPARE(by[QStringLiteral("/reserved-memory/dsp@94000000")].matchedBy, MatchedBy::UnitAddress);
        QCOMPARE(by[QStringLiteral("/reserved-memory/dsp@94000000")].change(), QStringLiteral("flags"));
        QCOMPARE(by[QStringLiteral("/reserved-memory/new@95000000")].change(), QStringLiteral("added"));
        // The CMA pool's new alignment moves it: a flags change and a placement change.
        const RegionChange& cma = by[QStringLiteral("/reserved-memory/linux,cma")];
        QVERIFY2(cma.changes.contains(QLatin1String("flags")), qPrintable(cma.changes.join(QLatin1Char(','))));
        QVERIFY(d.summaryChanged());
        QCOMPARE(d.regions.size(), size_t(6));
        // The same tree on both sides: nothing.
        QVERIFY(!diffAnalyses(*A, *A).any());

        const QJsonObject o = QJsonDocument::fromJson(
            diffToJson(d, { QStringLiteral("a.dts"), A.get() }, { QStringLiteral("b.dts"), B.get() }))
                                  .object();
        for (const char* k : { "a", "b", "regions", "findings", "summary" })
            QVERIFY2(o.contains(QLatin1String(k)), k);
        for (const auto& v : o.value(QLatin1String("regions")).toArray()) {
            const QJsonObject r = v.toObject();
            QVERIFY(r.value(QLatin1String("path")).isString());
            static const QStringList changes { QStringLiteral("added"), QStringLiteral("removed"),
                QStringLiteral("moved"), QStringLiteral("resized"), QStringLiteral("flags"), QStringLiteral("outcome"),
                QStringLiteral("placement") };
            QVERIFY(changes.contains(r.value(QLatin1String("change")).toString()));
            if (r.value(QLatin1String("change")).toString() != QLatin1String("added"))
                QVERIFY(r.value(QLatin1String("a")).toObject().contains(QLatin1String("outcome")));
        }
    }

    /** Matrix: columns are the product of the lists; cells differing from the first are marked. */
    void matrix()
    {
        ProfileRequest common;
        const auto cols = matrixColumns(common, {}, { QStringLiteral("6.1"), QStringLiteral("6.12") },
            { QStringLiteral("4K"), QStringLiteral("64K") }, {}, {});
        QCOMPARE(cols.size(), size_t(4));
        QCOMPARE(cols[3].label, QStringLiteral("6.12 64K"));
        const LoadResult loaded = loadBoard(samplesDir() + QStringLiteral("/broken/brk1-board.dts"));
        QVERIFY(loaded.ok);
        const MatrixRow row = matrixRow(loaded.doc, cols);
        QCOMPARE(row.cells.size(), size_t(4));
        for (const auto& c : row.cells)
            QVERIFY2(c.analysis && c.error.isEmpty(), qPrintable(c.error));
        QVERIFY(row.cells[0].differs.isEmpty());
        // A 64K-page kernel needs 512 MiB CMA alignment: more CMA rules fire there.
        QVERIFY2(row.cells[1].differs.contains(QLatin1String("rules"))
                || row.cells[1].differs.contains(QLatin1String("findings")),
            qPrintable(row.cells[1].differs.join(QLatin1Char(','))));
        // Every cell equals a plain analysis of the board under that profile.
        for (size_t k = 0; k < cols.size(); ++k) {
            KernelProfile p;
            QVERIFY(resolveProfile(cols[k].request, &loaded.doc, &p).isEmpty());
            QCOMPARE(row.cells[k].errors, analyse(loaded.doc, p)->check.errors);
        }
        const QByteArray html = matrixToHtml(cols, { row });
        QVERIFY(html.contains("<svg") && html.contains("6.12 64K") && html.contains("class=\"differs\""));
        const QByteArray csv = matrixToCsv(cols, { row });
        QCOMPARE(csv.count("\r\n"), 5);
        // A bare size gives one bank at the board's first bank; a board without memory says so.
        const auto sized = matrixColumns(common, {}, {}, {}, { QStringLiteral("1G"), QStringLiteral("4G") }, {});
        const MatrixRow r2 = matrixRow(loaded.doc, sized);
        QVERIFY(r2.cells[0].analysis && r2.cells[1].analysis);
        QCOMPARE(r2.cells[1].analysis->ram.ram - r2.cells[0].analysis->ram.ram, uint64_t(3) << 30);
    }

    /** The oracle kernels' real configurations give exactly the three debian-* profiles, plain
     *  and gzip-compressed (as /proc/config.gz is). */
    void kconfigOfTheOracleKernels_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("profile");
        const QString cache = QDir::homePath() + QStringLiteral("/.cache/kernel-oracle/kernels/");
        QTest::newRow("arm64-6.1") << cache + QStringLiteral("arm64-6.1/config") << QStringLiteral("debian-6.1-arm64");
        QTest::newRow("arm64-6.12") << cache + QStringLiteral("arm64-6.12/config")
                                    << QStringLiteral("debian-6.12-arm64");
        QTest::newRow("armhf-6.1") << cache + QStringLiteral("armhf-6.1/config") << QStringLiteral("debian-6.1-armhf");
    }
    void kconfigOfTheOracleKernels()
    {
        QFETCH(QString, config);
        QFETCH(QString, profile);
        QFile f(config);
        if (!f.open(QIODevice::ReadOnly))
            QSKIP("the oracle's kernels are not installed (../shared/oracle/setup-kernel)");
        const QByteArray text = f.readAll();
        QProcess gz;
        gz.start(QStringLiteral("gzip"), { QStringLiteral("-c") });
        gz.write(text);
        gz.closeWriteChannel();
        QVERIFY(gz.waitForFinished(30000));
        const QByteArray compressed = gz.readAllStandardOutput();
        const KernelProfile expected = *findProfile(profile);
        for (const QByteArray& data : { text, compressed }) {
            QStringList missing;
            QString error;
            const auto p = profileFromKconfig(data, genericProfile({ 7, 1 }, Arch::Arm64, 16384), &missing, &error);
            QVERIFY2(p, qPrintable(error));
            QCOMPARE(p->name, expected.name);
            QCOMPARE(p->version.key(), expected.version.key());
            QCOMPARE(p->arch, expected.arch);
            QCOMPARE(p->pageSize, expected.pageSize);
            QCOMPARE(p->config.cmaAreas, expected.config.cmaAreas);
            QCOMPARE(p->config.forceMaxOrder, expected.config.forceMaxOrder);
            QCOMPARE(p->config.cmaSizeMbytes, expected.config.cmaSizeMbytes);
            QCOMPARE(p->config.numa, expected.config.numa);
            QCOMPARE(p->config.restrictedPool, expected.config.restrictedPool);
            QCOMPARE(p->era(), expected.era());
            QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("; "))));
        }
    }

    /** A defconfig changes only what it names and says what it does not; junk is refused. */
    void kconfigDefconfigAndJunk()
    {
        const KernelProfile base = *findProfile(QStringLiteral("linux-6.6-arm64-4k"));
        QStringList missing;
        QString error;
        const auto p = profileFromKconfig("CONFIG_ARM64=y\nCONFIG_ARM64_64K_PAGES=y\nCONFIG_CMA_SIZE_MBYTES=128\n"
                                          "# CONFIG_DMA_DECLARE_COHERENT is not set\n",
            base, &missing, &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->pageSize, uint64_t(65536));
        QCOMPARE(p->version.key(), base.version.key());
        QCOMPARE(p->config.cmaSizeMbytes, 128);
        QVERIFY(!p->config.dmaDeclareCoherent);
        QCOMPARE(p->config.cmaAreas, base.config.cmaAreas);
        QVERIFY(missing.join(QLatin1Char(' ')).contains(QLatin1String("CONFIG_CMA_AREAS")));
        QVERIFY(missing.join(QLatin1Char(' ')).contains(QLatin1String("kernel version")));
        QVERIFY(!profileFromKconfig("hello\nworld\n", base, nullptr, &error));
        QVERIFY(error.contains(QLatin1String("not a kernel configuration")));
        QVERIFY(!profileFromKconfig(QByteArray("\x1f\x8b\x08\x00junk", 8), base, nullptr, &error));
        QVERIFY(error.contains(QLatin1String("compressed")));
    }

    /** Without DMA_DECLARE_COHERENT a non-reusable shared-dma-pool gets no coherent init: the CMA
     *  init refuses it (-EINVAL, not reusable), so the kernel frees it ("compatible matching fail");
     *  with CMA off too no init function matches and it stays reserved, with no pool. */
    void noDeclareCoherent()
    {
        QTemporaryDir tmp;
        const QString dts = writeFile(tmp, QStringLiteral("pool.dts"),
            "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
            "  memory@80000000 { device_type = \"memory\"; reg = <0x80000000 0x40000000>; };\n"
            "  reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;\n"
            "    pool@90000000 { compatible = \"shared-dma-pool\"; reg = <0x90000000 0x400000>; no-map; };\n"
            "  };\n};\n");
        KernelProfile p = *findProfile(QStringLiteral("linux-6.12-arm64-4k"));
        const AnalysisPtr with = analyseFile(dts, p);
        QVERIFY(applyConfig(p, QStringLiteral("DMA_DECLARE_COHERENT=n")).isEmpty());
        const AnalysisPtr without = analyseFile(dts, p);
        QVERIFY(with && without);
        QCOMPARE(with->regionBoot(0).init, QStringLiteral("coherent"));
        QVERIFY(without->regionBoot(0).init.isEmpty());
        QCOMPARE(without->place(0).outcome, Outcome::Freed);
        QVERIFY(without->regionBoot(0)
                    .kernelMessages.join(QLatin1Char('\n'))
                    .contains(QLatin1String("compatible matching fail")));
        QVERIFY(applyConfig(p, QStringLiteral("CMA=n")).isEmpty());
        const AnalysisPtr neither = analyseFile(dts, p);
        QCOMPARE(neither->place(0).outcome, Outcome::Active);
        QVERIFY(neither->regionBoot(0).init.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVariants)
#include "tst_variants.moc"
