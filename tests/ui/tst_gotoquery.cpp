// SPDX-License-Identifier: GPL-2.0-only
// The pure parts of finding one's way (issue 15, items 5, 7 and 8): what a Go to text names on a
// real board, source paths as the window shows them, the editor's command line, the RAM values.

// ui
#include "navigate/gotoquery.h"
#include "navigate/rambanner.h"
#include "navigate/sourcepaths.h"

// core
#include "analysis/analysis.h"
#include "kernel/profileoptions.h"

// tests
#include "../testutils.h"

// Qt
#include <QTest>

using namespace carveout;
using namespace carveout::ui;

class TestGotoQuery : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void targets_data();
    void targets();
    void badInput_data();
    void badInput();
    void rangeShowsTheRange();
    void shownPaths_data();
    void shownPaths();
    void editor_data();
    void editor();
    void words_data();
    void words();
    void ramValues_data();
    void ramValues();

private:
    AnalysisPtr m_brk1;
};

void TestGotoQuery::initTestCase()
{
    const LoadResult loaded = loadBoard(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts"), {});
    QVERIFY(loaded.ok);
    KernelProfile profile;
    QVERIFY(resolveProfile({}, &loaded.doc, &profile).isEmpty());
    m_brk1 = analyse(loaded.doc, profile);
}

void TestGotoQuery::targets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("regions"); // node names, in the order the bar steps; "-" for none
    QTest::addColumn<QString>("why"); // of the first target (contained)
    const QStringList bl31 { QStringLiteral("bl31@80000000") };
    const QStringList dsps { QStringLiteral("adsp@94000000"), QStringLiteral("cdsp@95000000") };
    QTest::newRow("hex") << "0x80000000" << bl31 << "bl31";
    QTest::newRow("digit groups") << "0x8000_0000" << bl31 << "bl31";
    QTest::newRow("units") << "2G" << bl31 << "bl31";
    QTest::newRow("units iB") << " 2GiB " << bl31 << "bl31";
    QTest::newRow("inside a region") << "0x801fffff" << bl31 << "bl31";
    QTest::newRow("overlap: both") << "0x95400000" << dsps << "adsp";
    QTest::newRow("range") << "0x94000000-0x96000000" << dsps << "adsp";
    QTest::newRow("range, spaces") << "0x9400_0000 - 0x9600_0000" << dsps << "adsp";
    QTest::newRow("base+size") << "0x94000000+32M" << dsps << "adsp";
    QTest::newRow("range end is exclusive") << "0x94000000-0x95000000" << QStringList { dsps[0] } << "adsp";
    QTest::newRow("no region at") << "0x96000000" << QStringList { QStringLiteral("-") } << "no region at 0x96000000";
    QTest::newRow("no region in") << "0x96000000+1M" << QStringList { QStringLiteral("-") }
                                  << "no region in 0x96000000-0x96100000";
    QTest::newRow("name without unit") << "cdsp" << QStringList { dsps[1] } << "cdsp@95000000";
    QTest::newRow("name any case") << "CDSP@95000000" << QStringList { dsps[1] } << "cdsp@95000000";
    QTest::newRow("label") << "cdsp_mem" << QStringList { dsps[1] } << "label cdsp_mem";
    QTest::newRow("path") << "/reserved-memory/video@9a400000" << QStringList { QStringLiteral("video@9a400000") }
                          << "video";
    QTest::newRow("device node") << "remoteproc@3100000" << QStringList { dsps[1] }
                                 << "used by /soc@0/remoteproc@3100000";
    QTest::newRow("device path") << "/soc@0/isp@ac00000" << QStringList { QStringLiteral("camera-cma@96100000") }
                                 << "used by";
    // The device's name exactly, then the display pool whose name holds it.
    QTest::newRow("device name") << "isp"
                                 << QStringList { QStringLiteral("camera-cma@96100000"),
                                        QStringLiteral("display-pool@9c000000") }
                                 << "used by /soc@0/isp@ac00000";
    // Exact first, then prefixes, then the rest; "dsp" is in both dsps' names and labels.
    QTest::newRow("contains, address order") << "dsp" << dsps << "adsp";
    // "c": cdsp and camera-cma start with it; adsp (remoteproc), display-pool (display-controller)
    // and linux,cma only contain it.
    QTest::newRow("prefix before contains")
        << "c"
        << QStringList { QStringLiteral("cdsp@95000000"), QStringLiteral("camera-cma@96100000"),
               QStringLiteral("adsp@94000000"), QStringLiteral("display-pool@9c000000"), QStringLiteral("linux,cma") }
        << "cdsp";
    QTest::newRow("five labels") << "mem"
                                 << QStringList { QStringLiteral("bl31@80000000"), QStringLiteral("optee@80200000"),
                                        QStringLiteral("adsp@94000000"), QStringLiteral("cdsp@95000000"),
                                        QStringLiteral("video@9a400000") }
                                 << "label bl31_mem";
}

void TestGotoQuery::targets()
{
    QFETCH(QString, text);
    QFETCH(QStringList, regions);
    QFETCH(QString, why);
    const GotoResult r = findTargets(text, *m_brk1);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QStringList got;
    for (const auto& t : r.targets)
        got << (t.region < 0 ? QStringLiteral("-") : m_brk1->layout.regions[size_t(t.region)].name);
    QCOMPARE(got, regions);
    QVERIFY2(r.targets.front().why.contains(why), qPrintable(r.targets.front().why));
    // Every target with a region shows that region (or the range asked for) on the map.
    for (const auto& t : r.targets) {
        if (t.region < 0)
            continue;
        const RegionPlace p = m_brk1->place(t.region);
        QVERIFY(p.base);
        QVERIFY(t.base < p.end() && *p.base < t.end);
    }
}

void TestGotoQuery::badInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message"); // a part of the sentence
    QTest::newRow("empty") << "   "
                           << "Type an address";
    QTest::newRow("no match") << "nosuchregion"
                              << "No region, label or device matches 'nosuchregion'";
    QTest::newRow("half a range") << "0x80000000-"
                                  << "is not a range: write BASE-END or BASE+SIZE";
    QTest::newRow("size missing") << "0x80000000+"
                                  << "is not a range";
    QTest::newRow("junk after") << "0x80000000 zz"
                                << "'0x80000000 zz' is not an address";
    QTest::newRow("bad hex") << "0xZZ"
                             << "is not an address";
    QTest::newRow("backwards") << "0x90000000-0x80000000"
                               << "ends (0x80000000) where or before it starts (0x90000000)";
    QTest::newRow("empty range") << "0x80000000-0x80000000"
                                 << "where or before it starts";
    QTest::newRow("zero size") << "0x80000000+0"
                               << "empty range";
    QTest::newRow("past 2^64") << "0xffffffffffffffff+2"
                               << "runs past the 64-bit address space";
    QTest::newRow("too big") << "0x1ffffffffffffffff"
                             << "past the 64-bit address space";
    QTest::newRow("path substring") << "reserved-memory/v"
                                    << "No region";
}

void TestGotoQuery::badInput()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const GotoResult r = findTargets(text, *m_brk1);
    QVERIFY(!r.ok());
    QVERIFY(r.targets.empty());
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
}

void TestGotoQuery::rangeShowsTheRange()
{
    // An address shows its region; a range shows the range itself, whatever regions it holds.
    const GotoResult at = findTargets(u"0x80100000", *m_brk1);
    QCOMPARE(at.targets.size(), size_t(1));
    QCOMPARE(at.targets[0].base, uint64_t(0x80000000));
    QCOMPARE(at.targets[0].end, uint64_t(0x80200000));
    const GotoResult none = findTargets(u"0x96000000", *m_brk1);
    QCOMPARE(none.targets.size(), size_t(1));
    QCOMPARE(none.targets[0].region, -1);
    QCOMPARE(none.targets[0].base, uint64_t(0x96000000 - 0x80000));
    QCOMPARE(none.targets[0].end, uint64_t(0x96000000 + 0x80000));
    const GotoResult top = findTargets(u"0xffffffffffffffff", *m_brk1);
    QCOMPARE(top.targets.size(), size_t(1));
    QCOMPARE(top.targets[0].end, UINT64_MAX);
    QVERIFY(top.targets[0].base < top.targets[0].end);
    const GotoResult range = findTargets(u"0x80100000+256M", *m_brk1);
    QCOMPARE(range.targets.size(), size_t(2)); // bl31 and optee
    for (const auto& t : range.targets) {
        QCOMPARE(t.base, uint64_t(0x80100000));
        QCOMPARE(t.end, uint64_t(0x90100000));
    }
}

void TestGotoQuery::shownPaths_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("board");
    QTest::addColumn<QString>("shown");
    QTest::newRow("beside the board") << "/k/src/arm64/qcom/sm8550.dtsi"
                                      << "/k/src/arm64/qcom/sm8550-qrd.dts"
                                      << "sm8550.dtsi";
    QTest::newRow("below the board") << "/k/src/arm64/qcom/pm/pmk8550.dtsi"
                                     << "/k/src/arm64/qcom/sm8550-qrd.dts"
                                     << "pm/pmk8550.dtsi";
    QTest::newRow("other arch: the arch folder") << "/k/src/arm/qcom/pm8150.dtsi"
                                                 << "/k/src/arm64/qcom/b.dts"
                                                 << "arm/qcom/pm8150.dtsi";
    QTest::newRow("headers: the tree's root") << "/k/include/dt-bindings/clock/qcom,gcc.h"
                                              << "/k/src/arm64/qcom/b.dts"
                                              << "include/dt-bindings/clock/qcom,gcc.h";
    QTest::newRow("a name's prefix is no folder") << "/a/bc/x.dtsi"
                                                  << "/a/b/board.dts"
                                                  << "bc/x.dtsi";
    QTest::newRow("nothing in common") << "/usr/include/x.h"
                                       << "/home/me/board.dts"
                                       << "/usr/include/x.h";
    QTest::newRow("dots cleaned") << "/k/src/arm64/qcom/../qcom/x.dtsi"
                                  << "/k/src/arm64/qcom/b.dts"
                                  << "x.dtsi";
    QTest::newRow("no file") << ""
                             << "/k/b.dts"
                             << "";
    QTest::newRow("no board") << "/k/x.dtsi"
                              << ""
                              << "/k/x.dtsi";
    QTest::newRow("relative: from the current folder") << "samples/broken/brk1.dtsi"
                                                       << "samples/broken/brk1-board.dts"
                                                       << "brk1.dtsi";
}

void TestGotoQuery::shownPaths()
{
    QFETCH(QString, file);
    QFETCH(QString, board);
    QFETCH(QString, shown);
    QCOMPARE(shownPath(file, board), shown);
}

void TestGotoQuery::editor_data()
{
    QTest::addColumn<QString>("visual");
    QTest::addColumn<QString>("editor");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("arguments");
    const QString f = QStringLiteral("/k/a b.dtsi");
    QTest::newRow("EDITOR") << ""
                            << "vim" << 12 << "vim" << QStringList { QStringLiteral("+12"), f };
    QTest::newRow("VISUAL first") << "code --wait"
                                  << "vim" << 3 << "code"
                                  << QStringList { QStringLiteral("--wait"), QStringLiteral("+3"), f };
    QTest::newRow("blank VISUAL") << "  "
                                  << "nano" << 3 << "nano" << QStringList { QStringLiteral("+3"), f };
    QTest::newRow("quoted words") << ""
                                  << "\"/opt/my editor/ed\" -n 'a b'" << 7 << "/opt/my editor/ed"
                                  << QStringList { QStringLiteral("-n"), QStringLiteral("a b"), QStringLiteral("+7"),
                                         f };
    QTest::newRow("no line") << ""
                             << "vim" << 0 << "vim" << QStringList { f };
    QTest::newRow("neither: the desktop's") << ""
                                            << "" << 5 << "" << QStringList {};
}

void TestGotoQuery::editor()
{
    QFETCH(QString, visual);
    QFETCH(QString, editor);
    QFETCH(int, line);
    QFETCH(QString, program);
    QFETCH(QStringList, arguments);
    const EditorCommand c = editorCommand(visual, editor, QStringLiteral("/k/a b.dtsi"), line);
    QCOMPARE(c.program, program);
    QCOMPARE(c.arguments, arguments);
}

void TestGotoQuery::words_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("words");
    QTest::newRow("plain") << "emacsclient  -n" << QStringList { QStringLiteral("emacsclient"), QStringLiteral("-n") };
    QTest::newRow("single quotes") << "'my ed' 'a\\b'"
                                   << QStringList { QStringLiteral("my ed"), QStringLiteral("a\\b") };
    QTest::newRow("double quotes") << "\"a \\\"b\\\\\" c"
                                   << QStringList { QStringLiteral("a \"b\\"), QStringLiteral("c") };
    QTest::newRow("backslash") << "my\\ ed -x" << QStringList { QStringLiteral("my ed"), QStringLiteral("-x") };
    QTest::newRow("joined") << "a'b c'\"d\"" << QStringList { QStringLiteral("ab cd") };
    QTest::newRow("empty word") << "ed ''" << QStringList { QStringLiteral("ed"), QString() };
    QTest::newRow("blank") << "   " << QStringList {};
}

void TestGotoQuery::words()
{
    QFETCH(QString, command);
    QFETCH(QStringList, words);
    QCOMPARE(shellWords(command), words);
}

void TestGotoQuery::ramValues_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qulonglong>("value");
    QTest::newRow("hex") << "0x80000000" << true << 0x80000000ull;
    QTest::newRow("groups") << "0x8000_0000" << true << 0x80000000ull;
    QTest::newRow("G") << "2G" << true << 0x80000000ull;
    QTest::newRow("MiB") << "512MiB" << true << 0x20000000ull;
    QTest::newRow("word") << "lots" << false << 0ull;
    QTest::newRow("negative") << "-1" << false << 0ull;
    QTest::newRow("empty") << "" << false << 0ull;
}

void TestGotoQuery::ramValues()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qulonglong, value);
    const auto v = parseRamValue(text);
    QCOMPARE(bool(v), ok);
    if (ok)
        QCOMPARE(qulonglong(*v), value);
}

QTEST_GUILESS_MAIN(TestGotoQuery)
#include "tst_gotoquery.moc"
