// SPDX-License-Identifier: GPL-2.0-only
// Golden truth from real kernels: every recorded oracle case (shared/oracle/cases) on every
// recorded kernel. Each region's outcome, the base and size of every region the kernel placed,
// and the base and size of the entry it made of every static region, must equal the kernel's verdict; so must the
// default CMA area where the tree decides it, and on arm64 the zone ends and the default CMA area's
// limit. The trees are the exact ones the kernels booted (cases/dts).

// core
#include "analysis/analysis.h"
#include "kernel/bootchain.h"
#include "kernel/bootmodel.h"
#include "model/layout.h"
#include "report/jsonwriter.h"
#include "source/loader.h"

// tests
#include "../testutils.h"
#include "oracleprofile.h"

// Qt
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace carveout;

class TestOracle : public QObject
{
    Q_OBJECT
private slots:
    void heapsortOrderOf61();
    void cases_data();
    void cases();
    void cleanup() { m_failures += QTest::currentTestFailed(); }
    void cleanupTestCase()
    {
        qInfo("oracle: %d region verdicts (%d static bases and sizes), %d command-line areas, %d kernel lines and "
              "%d arm64 zone layouts compared",
            m_compared, m_staticCompared, m_cmdlineCompared, m_lines, m_zonesCompared);
    }

private:
    int m_compared = 0;
    int m_lines = 0;
    int m_failures = 0;
    int m_staticCompared = 0;
    int m_cmdlineCompared = 0;
    int m_zonesCompared = 0;
};

namespace {

uint64_t hex(const QJsonValue& v)
{
    return v.toString().toULongLong(nullptr, 16);
}

/** A static region's verdict: the base and size of the entry the kernel made of it (its first
 *  reg tuple, as the kernel reserved it, initialised it, rejected it or failed to reserve it)
 *  against the model's. Empty when equal, or when the kernel made no entry the log shows
 *  (ignored, disabled, not seen, or silent): the oracle then records the tree's request. */
QString staticVerdictDiffers(const QJsonObject& r, const RegionBoot& b, int* compared)
{
    static const QStringList entered { QStringLiteral("accepted"), QStringLiteral("reserved-no-init"),
        QStringLiteral("rejected"), QStringLiteral("reserve-failed") };
    if (r.value(QLatin1String("dynamic")).toBool() || !r.value(QLatin1String("base")).isString()
        || !entered.contains(r.value(QLatin1String("status")).toString()))
        return {};
    const QString name = r.value(QLatin1String("name")).toString();
    const uint64_t base = hex(r.value(QLatin1String("base")));
    const uint64_t size = hex(r.value(QLatin1String("size")));
    ++*compared;
    if (b.base && *b.base == base && b.size == size)
        return {};
    return QStringLiteral("%1 (static): at %2 +%3 in the model, the kernel's entry at %4 +%5")
        .arg(name, b.base ? toHex(*b.base) : QStringLiteral("nowhere"), toHex(b.size), toHex(base), toHex(size));
}

/** The command line's areas (hugetlb_cma=, cma_pernuma=, crashkernel=, reserve_mem=) against
 *  the kernel's own lines for them (cases/lines/CASE.KERNEL.txt, cut from the boot log, which
 *  the verdict does not parse): the "cma:" lines in order (the command line's CMA areas and the
 *  default one), the crash kernel and its low part, reserve_mem's allocation; sizes always,
 *  bases where the model claims to know them. `*compared` counts the areas compared. */
QStringList cmdlineAreasDiffer(const QString& linesFile, const BootResult& boot, int* compared)
{
    QFile f(linesFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList problems;
    struct Seen
    {
        bool failed = false;
        uint64_t base = 0, size = 0;
    };
    static const QRegularExpression cmaRe(QStringLiteral("^cma: Reserved (\\d+) MiB at (0x[0-9a-f]+)"));
    static const QRegularExpression crashRe(
        QStringLiteral("^crashkernel (low memory )?reserved: (0x[0-9a-f]+) - (0x[0-9a-f]+)"));
    static const QRegularExpression armRe(QStringLiteral("^Reserving (\\d+)MB of memory at (\\d+)MB for crashkernel"));
    static const QRegularExpression memRe(QStringLiteral("^memblock_phys_alloc_range: (\\d+) bytes .* reserve_mem\\+"));
    std::vector<Seen> cma;
    std::optional<Seen> crash, crashLow;
    std::vector<uint64_t> reserveMem;
    QString unknown, armLine;
    for (const QString& l : lines) {
        if (const auto m = cmaRe.match(l); m.hasMatch())
            cma.push_back({ false, m.captured(2).toULongLong(nullptr, 16), m.captured(1).toULongLong() << 20 });
        else if (l.startsWith(QLatin1String("cma: Not enough slots")) || l.startsWith(QLatin1String("cma: Failed")))
            cma.push_back({ true, 0, 0 });
        else if (const auto c = crashRe.match(l); c.hasMatch()) {
            const uint64_t b = c.captured(2).toULongLong(nullptr, 16);
            (c.capturedLength(1) ? crashLow : crash) = Seen { false, b, c.captured(3).toULongLong(nullptr, 16) - b };
        } else if (const auto a = armRe.match(l); a.hasMatch()) {
            crash = Seen { false, a.captured(2).toULongLong() << 20, a.captured(1).toULongLong() << 20 };
            armLine = l.trimmed(); // ARM's one line also says how much lowmem the kernel counted
        } else if (l.startsWith(QLatin1String("cannot allocate crashkernel"))
            || l.contains(QLatin1String("crashkernel reservation failed")))
            crash = Seen { true, 0, 0 };
        else if (const auto r = memRe.match(l); r.hasMatch())
            reserveMem.push_back(r.captured(1).toULongLong());
        else if (l.startsWith(QLatin1String("Unknown kernel command line")))
            unknown = l;
    }
    // Ours in the kernel's order: the command line's CMA areas, then the default area.
    std::vector<const CmdlineArea*> oursCma;
    const CmdlineArea *oursCrash = nullptr, *oursLow = nullptr;
    std::vector<const CmdlineArea*> oursMem;
    for (const CmdlineArea& a : boot.cmdlineAreas) {
        if (a.cma && a.kind != CmdlineArea::Kind::CrashKernelCma)
            oursCma.push_back(&a);
        else if (a.kind == CmdlineArea::Kind::CrashKernel)
            oursCrash = &a;
        else if (a.kind == CmdlineArea::Kind::CrashKernelLow)
            oursLow = &a;
        else if (a.kind == CmdlineArea::Kind::ReserveMem)
            oursMem.push_back(&a);
    }
    const auto check = [&](const QString& what, const CmdlineArea* a, const std::optional<Seen>& k) {
        if (!a && !k)
            return;
        ++*compared;
        if (!a || !k) {
            problems << QStringLiteral("%1: %2 in the model, %3 in the kernel's log")
                            .arg(what, a ? QStringLiteral("made") : QStringLiteral("not made"),
                                k ? QStringLiteral("made") : QStringLiteral("not"));
            return;
        }
        if (a->failed != k->failed)
            problems << QStringLiteral("%1: the model %2, the kernel %3")
                            .arg(what, a->failed ? QStringLiteral("fails") : QStringLiteral("reserves it"),
                                k->failed ? QStringLiteral("fails") : QStringLiteral("reserves it"));
        else if (!k->failed && (a->size != k->size || (a->basePredictable && a->base.value_or(0) != k->base)))
            problems << QStringLiteral("%1: at %2 +%3 in the model, the kernel at %4 +%5")
                            .arg(what, toHex(a->base.value_or(0)), toHex(a->size), toHex(k->base), toHex(k->size));
    };
    const DefaultCma& d = boot.defaultCma;
    const bool defaultArea = d.source == DefaultCma::Source::Kconfig || d.source == DefaultCma::Source::Cmdline;
    if (oursCma.size() + (defaultArea ? 1 : 0) != cma.size())
        problems << QStringLiteral("cma: the model makes %1 areas after the tree, the kernel %2")
                        .arg(oursCma.size() + (defaultArea ? 1 : 0))
                        .arg(cma.size());
    for (size_t k = 0; k < oursCma.size() && k < cma.size(); ++k)
        check(oursCma[k]->name, oursCma[k], cma[k]);
    if (defaultArea && cma.size() == oursCma.size() + 1) {
        const Seen& k = cma.back();
        ++*compared;
        if (d.failed != k.failed
            || (!k.failed && (d.size != k.size || (d.basePredictable && d.base.value_or(0) != k.base))))
            problems << QStringLiteral("default CMA: %1 in the model, the kernel %2")
                            .arg(d.failed ? d.message : toHex(d.base.value_or(0)) + QLatin1Char('+') + toHex(d.size),
                                k.failed ? QStringLiteral("failed") : toHex(k.base) + QLatin1Char('+') + toHex(k.size));
    }
    check(QStringLiteral("crashkernel"), oursCrash, crash);
    if (!armLine.isEmpty() && oursCrash && !oursCrash->kernelMessages.contains(armLine))
        problems << QStringLiteral("crashkernel: the kernel says \"%1\", the model \"%2\"")
                        .arg(armLine, oursCrash->kernelMessages.join(QStringLiteral("; ")));
    check(QStringLiteral("crashkernel low"), oursLow, crashLow);
    if (oursMem.size() != reserveMem.size())
        problems << QStringLiteral("reserve_mem: %1 areas in the model, %2 in the kernel's log (%3)")
                        .arg(oursMem.size())
                        .arg(reserveMem.size())
                        .arg(unknown);
    for (size_t k = 0; k < oursMem.size() && k < reserveMem.size(); ++k) {
        ++*compared;
        if (oursMem[k]->size != reserveMem[k])
            problems << QStringLiteral("reserve_mem %1: size %2, the kernel %3")
                            .arg(oursMem[k]->name, toHex(oursMem[k]->size), toHex(reserveMem[k]));
    }
    return problems;
}

/** Where the shared oracle is: ../shared/oracle, or CARVEOUT_ORACLE_DIR (to see the test notice
 *  its absence). */
QString sharedOracleDir()
{
    return qEnvironmentVariableIsSet("CARVEOUT_ORACLE_DIR") ? qEnvironmentVariable("CARVEOUT_ORACLE_DIR")
                                                            : test::oracleDir();
}

} // namespace

void TestOracle::heapsortOrderOf61()
{
    // Case 11: d1 static-a d2 d3 d4 static-b d5 d6 d7, dynamic entries keyed (0, 0). 6.1 left
    // the dynamic ones in the order d7 d1 d3 d4 d2 d5 d6.
    const QStringList names = QStringLiteral("d1 static-a d2 d3 d4 static-b d5 d6 d7").split(QLatin1Char(' '));
    const std::vector<uint64_t> base { 0, 0x60000000, 0, 0, 0, 0x70000000, 0, 0, 0 };
    std::vector<int> v { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
    kernelHeapSort(v, [&](int a, int b) {
        return base[size_t(a)] < base[size_t(b)] ? -1 : base[size_t(a)] > base[size_t(b)] ? 1 : 0;
    });
    QStringList order;
    for (int i : v)
        order << names[i];
    QCOMPARE(order.join(QLatin1Char(' ')), QStringLiteral("d7 d1 d3 d4 d2 d5 d6 static-a static-b"));
    // Two dynamic regions alone come out reversed (cases 14 and 21).
    std::vector<int> two { 0, 1 };
    kernelHeapSort(two, [](int, int) { return 0; });
    QCOMPARE(two, (std::vector<int> { 1, 0 }));
}

void TestOracle::cases_data()
{
    QTest::addColumn<QString>("expectedFile");
    QTest::addColumn<QString>("dts");
    QTest::addColumn<QString>("kernel");
    // The shared oracle's cases, then the ones recorded for this project (tests/oracle/cases).
    const QStringList roots { sharedOracleDir() + QStringLiteral("/cases"),
        test::sourceDir() + QStringLiteral("/tests/oracle/cases") };
    int rows = 0;
    for (const auto& root : roots) {
        const QDir expected(root + QStringLiteral("/expected"));
        for (const auto& f : expected.entryList({ QStringLiteral("*.arm*.json") })) {
            const QString stem = f.chopped(5); // NN-name.kernel
            const QString kernel = stem.mid(stem.lastIndexOf(QLatin1Char('.'), stem.lastIndexOf(QLatin1Char('-'))) + 1);
            QTest::addRow("%s", qPrintable(stem))
                << expected.filePath(f) << root + QStringLiteral("/dts/") + stem + QStringLiteral(".dts") << kernel;
            ++rows;
        }
    }
    // Without the shared cases only the project's own ones ran: say so (ctest shows the test as
    // skipped, see tests/CMakeLists.txt) rather than pass as if every verdict had been compared.
    if (!QFileInfo::exists(sharedOracleDir() + QStringLiteral("/cases/expected")))
        QTest::addRow("no shared oracle") << QString() << QString() << QString();
    else if (rows == 0)
        QTest::addRow("no oracle") << QString() << QString() << QString();
}

void TestOracle::cases()
{
    QFETCH(QString, expectedFile);
    QFETCH(QString, dts);
    QFETCH(QString, kernel);
    if (expectedFile.isEmpty()) {
        if (m_failures) // a skip must not hide that the project's own cases failed
            QFAIL("shared/oracle is not beside the project, and the project's own cases failed");
        QSKIP(qPrintable(QStringLiteral("shared/oracle is not beside the project (looked in %1): only the "
                                        "project's own cases (tests/oracle/cases) were compared")
                             .arg(sharedOracleDir())));
    }
    QFile f(expectedFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject verdict = QJsonDocument::fromJson(f.readAll()).object();

    const LoadResult loaded = loadBoard(dts);
    QVERIFY2(loaded.ok, qPrintable(loaded.errors.value(0).toString()));
    QTemporaryDir dir;
    const QString dtb = test::compileDtb(dts, dir.filePath(QStringLiteral("case.dtb")), loaded.doc.includeDirs);
    QVERIFY(!dtb.isEmpty());
    // An EFI boot (tests/oracle/record-efi) keeps the firmware's memory map beside the case.
    const QString efiLog
        = QFileInfo(dts).dir().filePath(QStringLiteral("../efi/%1.efi.log").arg(QFileInfo(dts).completeBaseName()));
    KernelProfile profile = oracleProfile(kernel, uint64_t(QFileInfo(dtb).size()));
    if (QFileInfo::exists(efiLog)) {
        QFile log(efiLog);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QString error;
        const auto map = parseEfiMemoryMap(log.readAll(), efiLog, &error);
        QVERIFY2(map, qPrintable(error));
        profile = oracleEfiProfile(kernel, *map);
    }
    const AnalysisPtr analysis = analyse(loaded.doc, profile);
    const Layout& layout = analysis->layout;
    const BootResult& boot = analysis->boot;

    QStringList problems;
    for (const auto& v : verdict.value(QLatin1String("regions")).toArray()) {
        const QJsonObject r = v.toObject();
        const QString name = r.value(QLatin1String("name")).toString();
        int idx = -1;
        for (size_t i = 0; i < layout.regions.size(); ++i) {
            if (layout.regions[i].name == name)
                idx = int(i);
        }
        if (idx < 0) {
            problems << QStringLiteral("%1: not in our layout").arg(name);
            continue;
        }
        const RegionBoot& b = boot.regions[size_t(idx)];
        const QString status = r.value(QLatin1String("status")).toString();
        const Outcome want = outcomeOf(status);
        if (b.outcome != want)
            problems << QStringLiteral("%1: outcome %2, kernel said %3 (%4)")
                            .arg(name, outcomeName(b.outcome), outcomeName(want), status);
        if (const QString error = staticVerdictDiffers(r, b, &m_staticCompared); !error.isEmpty())
            problems << error;
        if (r.value(QLatin1String("dynamic")).toBool() && !r.value(QLatin1String("base")).isNull()
            && !r.value(QLatin1String("base")).toString().isEmpty()) {
            const uint64_t base = hex(r.value(QLatin1String("base")));
            const uint64_t size = hex(r.value(QLatin1String("size")));
            if (!b.base || *b.base != base || b.size != size)
                problems << QStringLiteral("%1: placed at %2 +%3, kernel at %4 +%5")
                                .arg(name, b.base ? toHex(*b.base) : QStringLiteral("nowhere"), toHex(b.size),
                                    toHex(base), toHex(size));
        }
    }
    // The kernel's own lines for overlaps, failed reservations and allocations and init
    // failures must be exactly the ones the model prints (both ways).
    {
        const auto category = [](const QString& l) {
            return l.contains(QLatin1String(" overlaps with "))
                || l.contains(QLatin1String("failed to reserve memory for node"))
                || l.contains(QLatin1String("failed to allocate memory for node"))
                || l.contains(QLatin1String("compatible matching fail")) || l.contains(QLatin1String("memory pool at"))
                || l.contains(QLatin1String("using cmdline CMA params")) || l.contains(QLatin1String("without no-map"));
        };
        QStringList theirs, ours;
        for (const auto& v : verdict.value(QLatin1String("raw_lines")).toArray()) {
            QString l = v.toString();
            for (const char* prefix : { "OF: fdt: ", "OF: reserved mem: " }) {
                if (l.startsWith(QLatin1String(prefix)))
                    l = l.mid(int(qstrlen(prefix)));
            }
            if (category(l) && !theirs.contains(l))
                theirs << l;
        }
        for (const auto& r : boot.regions) {
            for (const auto& m : r.kernelMessages) {
                for (const auto& l : m.split(QLatin1Char('\n'))) {
                    if (category(l) && !ours.contains(l))
                        ours << l;
                }
            }
        }
        theirs.sort();
        ours.sort();
        // 6.12 can print an overlap with memory it already gave back (README: cma= bypass);
        // the model does not keep freed regions in the overlap check.
        if (theirs != ours
            && !(
                kernel == QLatin1String("arm64-6.12") && dts.contains(QLatin1String("22-dynamic-cma-default-cmdline"))))
            problems << QStringLiteral("kernel lines differ:\n      kernel: %1\n      model:  %2")
                            .arg(theirs.join(QStringLiteral("\n              ")),
                                ours.join(QStringLiteral("\n              ")));
        m_lines += int(theirs.size());
    }

    // The verdict takes the first "cma: Reserved" line for the default area; with the command
    // line's CMA areas before it the lines file decides (cmdlineAreasDiffer).
    const QString linesFile = QFileInfo(dts).dir().filePath(QStringLiteral("../lines/"))
        + QFileInfo(dts).completeBaseName() + QStringLiteral(".txt");
    const bool byLines = QFileInfo::exists(linesFile);
    problems << cmdlineAreasDiffer(linesFile, boot, &m_cmdlineCompared);
    const QJsonValue dc = verdict.value(QLatin1String("default_cma"));
    const DefaultCma& ours = boot.defaultCma;
    if (byLines) {
        // compared above, with the command line's areas
    } else if (dc.isNull()) {
        if (ours.source == DefaultCma::Source::Kconfig || ours.source == DefaultCma::Source::Cmdline) {
            if (!ours.failed)
                problems << QStringLiteral("default CMA: we reserve one, the kernel did not");
        }
    } else {
        const QJsonObject o = dc.toObject();
        if (o.value(QLatin1String("status")).toString() == QLatin1String("failed")) {
            if (!ours.failed)
                problems << QStringLiteral("default CMA: the kernel failed, we did not");
        } else if (ours.failed || ours.source == DefaultCma::Source::None
            || ours.source == DefaultCma::Source::DtNode) {
            problems << QStringLiteral("default CMA: the kernel reserved %1, we %2")
                            .arg(o.value(QLatin1String("base")).toString(),
                                ours.failed ? ours.message : QStringLiteral("did not"));
        } else {
            if (ours.size != hex(o.value(QLatin1String("size"))))
                problems << QStringLiteral("default CMA size %1, kernel %2")
                                .arg(toHex(ours.size), o.value(QLatin1String("size")).toString());
            // arm64 allocates it after paging_init, below early allocations no tree shows:
            // its base is compared only where the model claims to know it.
            if (ours.basePredictable && ours.base.value_or(0) != hex(o.value(QLatin1String("base"))))
                problems << QStringLiteral("default CMA at %1, kernel at %2")
                                .arg(toHex(ours.base.value_or(0)), o.value(QLatin1String("base")).toString());
        }
    }
    // arm64 zones (docs/kernel-rules-additions.md 1): ZONE_DMA's and ZONE_DMA32's ends as the
    // kernel's "Zone ranges:" print them (an empty zone prints "empty"), and the default CMA area
    // below the DMA limit, at most 64 MiB (the early allocations no tree shows) below ours.
    if (profile.arch == Arch::Arm64 && !boot.memory.empty()) {
        const QJsonObject zones = verdict.value(QLatin1String("zones")).toObject();
        const uint64_t ramStart = boot.memory.front().base;
        const ZoneLimits& z = boot.zones;
        const auto zoneEnd = [&](const char* zone) {
            const QJsonArray a = zones.value(QLatin1String(zone)).toArray();
            return a.size() == 2 ? hex(a.at(1)) : 0;
        };
        const uint64_t dmaEnd = z.dmaEnd > ramStart ? z.dmaEnd : 0;
        const uint64_t dma32End = z.dma32End > std::max(z.dmaEnd, ramStart) ? z.dma32End : 0;
        if (zoneEnd("DMA") != dmaEnd || zoneEnd("DMA32") != dma32End)
            problems << QStringLiteral("zones: DMA ends at %1, DMA32 at %2; the kernel's at %3, %4 (0: empty)")
                            .arg(toHex(dmaEnd), toHex(dma32End), toHex(zoneEnd("DMA")), toHex(zoneEnd("DMA32")));
        const QJsonObject o = dc.toObject();
        // With command-line CMA areas the verdict's "default" is the first "cma: Reserved" line, which
        // may be one of them (case 43: hugetlb_cma's); cases/lines compares those areas in order.
        if (!dc.isNull() && o.value(QLatin1String("status")).toString() != QLatin1String("failed")
            && ours.source != DefaultCma::Source::DtNode && boot.cmdlineAreas.empty()) {
            const uint64_t end = hex(o.value(QLatin1String("end")));
            const uint64_t ourEnd = ours.base ? saturatedEnd(*ours.base, ours.size) : 0;
            if (end > boot.dmaLimit || ourEnd < end || ourEnd - end > (64ull << 20))
                problems << QStringLiteral("default CMA ends at %1; ours at %2, below our limit %3")
                                .arg(toHex(end), toHex(ourEnd), toHex(boot.dmaLimit));
        }
        ++m_zonesCompared;
    }
    if (qEnvironmentVariableIsSet("CARVEOUT_ORACLE_VERBOSE")) {
        for (size_t i = 0; i < layout.regions.size(); ++i)
            qInfo("%s %s %s +%s", qPrintable(layout.regions[i].name), qPrintable(outcomeName(boot.regions[i].outcome)),
                qPrintable(boot.regions[i].base ? toHex(*boot.regions[i].base) : QStringLiteral("-")),
                qPrintable(toHex(boot.regions[i].size)));
        qInfo("default CMA %s +%s %s", qPrintable(toHex(ours.base.value_or(0))), qPrintable(toHex(ours.size)),
            qPrintable(ours.message));
    }
    m_compared += verdict.value(QLatin1String("regions")).toArray().size();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n    "))));
}

QTEST_GUILESS_MAIN(TestOracle)
#include "tst_oracle.moc"
