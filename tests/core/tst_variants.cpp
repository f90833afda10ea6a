// SPDX-License-Identifier: GPL-2.0-only
// Variants: diffs between two analyses and profile matrices, checked against the oracle's
// recorded boots (6.1 against 6.12 on the same trees) and against trees edited by hand.
#include "../oracle/oracleprofile.h"
#include "../testutils.h"

// core
#include "analysis/analysis.h"
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
};

QTEST_GUILESS_MAIN(TestVariants)
#include "tst_variants.moc"
