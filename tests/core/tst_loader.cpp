// SPDX-License-Identifier: GPL-2.0-only
// Loading boards: positions in the original files (includes and &label overrides), include
// folders found from the tree layout, clear errors from cpp/dtc/libfdt, and the DTS and DTB
// loaders giving the same tree.

// core
#include "source/directcpp.h"
#include "source/dtbloader.h"
#include "source/loader.h"
#include "source/toolrun.h"

// tests
#include "../testutils.h"

// Qt
#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

// POSIX
#include <cerrno>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace carveout;

class TestLoader : public QObject
{
    Q_OBJECT
private slots:
    void positionsThroughIncludesAndOverrides();
    void memreservePositions();
    void boardReadOnceDigestsOfPatchableFiles();
    void kernelTreeIncludes();
    void rebasingTreeIncludes();
    void extraIncludeDir();
    void errors_data();
    void errors();
    void dtsAndDtbGiveTheSameTree_data();
    void dtsAndDtbGiveTheSameTree();
    void damagedDtbNeverCrashes();
    void labelRelativePathsAreRewritten();
    void toolsMissingOrFailing_data();
    void toolsMissingOrFailing();
    void cppStopsReading();
    void dtcThatRefusesTheQuietChecks();
    void eventsAreServedWhileAToolHangs();
    void driverCommandLinesAreRead();
    void cc1RunDirectlyGivesTheDriversOutput();
};

namespace {

const QByteArray kSoc = "/ {\n"
                        "\t#address-cells = <2>;\n"
                        "\t#size-cells = <2>;\n"
                        "\treserved-memory {\n"
                        "\t\t#address-cells = <2>;\n"
                        "\t\t#size-cells = <2>;\n"
                        "\t\tranges;\n"
                        "\t\tfw: fw@90000000 {\n"
                        "\t\t\treg = <0 0x90000000 0 FW_SIZE>;\n"
                        "\t\t\tno-map;\n"
                        "\t\t};\n"
                        "\t};\n"
                        "};\n";

const QByteArray kBoard = "/dts-v1/;\n"
                          "#define FW_SIZE 0x100000\n"
                          "#include \"soc.dtsi\"\n"
                          "\n"
                          "&fw {\n"
                          "\treg = <0 0x90000000 0 0x200000>;\n"
                          "};\n";

/** Compares two trees node by node, property by property (values as bytes). */
QString treeDifference(const DeviceTree& a, const DeviceTree& b)
{
    if (a.nodeCount() != b.nodeCount())
        return QStringLiteral("node count %1 vs %2").arg(a.nodeCount()).arg(b.nodeCount());
    if (a.memReserve().size() != b.memReserve().size())
        return QStringLiteral("memreserve count differs");
    for (size_t i = 0; i < a.memReserve().size(); ++i) {
        if (a.memReserve()[i].base != b.memReserve()[i].base || a.memReserve()[i].size != b.memReserve()[i].size)
            return QStringLiteral("memreserve %1 differs").arg(i);
    }
    for (int i = 0; i < a.nodeCount(); ++i) {
        const QString path = a.path(i);
        const int j = b.findPath(path);
        if (j < 0)
            return QStringLiteral("%1 missing").arg(path);
        const auto& pa = a.node(i).properties;
        const auto& pb = b.node(j).properties;
        if (pa.size() != pb.size())
            return QStringLiteral("%1: %2 vs %3 properties").arg(path).arg(pa.size()).arg(pb.size());
        for (const auto& p : pa) {
            const DtProperty* q = b.node(j).property(p.name.constData());
            if (!q)
                return QStringLiteral("%1: %2 missing").arg(path, QString::fromUtf8(p.name));
            if (q->value != p.value)
                return QStringLiteral("%1: %2 differs").arg(path, QString::fromUtf8(p.name));
        }
    }
    return {};
}

} // namespace

void TestLoader::positionsThroughIncludesAndOverrides()
{
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("soc.dtsi"), kSoc);
    const QString board = test::writeFile(dir, QStringLiteral("board.dts"), kBoard);
    const LoadResult r = loadBoard(board);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    const DeviceTree& t = r.doc.tree;
    const int fw = t.findPath(QStringLiteral("/reserved-memory/fw@90000000"));
    QVERIFY(fw > 0);
    const DtNode& n = t.node(fw);
    // The node lists its definition in soc.dtsi and the override in board.dts, in that order.
    QCOMPARE(n.spans.size(), size_t(2));
    QCOMPARE(QFileInfo(t.fileName(n.spans[0])).fileName(), QStringLiteral("soc.dtsi"));
    QCOMPARE(n.spans[0].line, 8);
    QCOMPARE(QFileInfo(t.fileName(n.spans[1])).fileName(), QStringLiteral("board.dts"));
    QCOMPARE(n.spans[1].line, 5);
    // reg's winning definition is the override; no-map stays in the .dtsi.
    QCOMPARE(QFileInfo(t.fileName(n.property("reg")->span)).fileName(), QStringLiteral("board.dts"));
    QCOMPARE(n.property("reg")->span.line, 6);
    QCOMPARE(n.property("reg")->span.column, 2);
    QCOMPARE(QFileInfo(t.fileName(n.property("no-map")->span)).fileName(), QStringLiteral("soc.dtsi"));
    QCOMPARE(n.property("no-map")->span.line, 10);
    QCOMPARE(r.doc.includeDirs.treeKind, QStringLiteral("plain"));
    // Files are named by absolute path, exactly as cpp's line markers give them.
    for (const auto& f : t.files())
        QVERIFY2(QDir::isAbsolutePath(f), qPrintable(f));
}

void TestLoader::boardReadOnceDigestsOfPatchableFiles()
{
    // cpp reads the board from stdin: includes beside it (and beside those) still resolve, every
    // file is named by its absolute path, and only files the tree's spans name get a digest.
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub")));
    test::writeFile(dir, QStringLiteral("sub/sizes.h"), "#define FW_SIZE 0x100000\n");
    test::writeFile(dir, QStringLiteral("sub/soc.dtsi"), "#include \"sizes.h\"\n" + kSoc);
    const QString board = test::writeFile(dir, QStringLiteral("board.dts"),
        "/dts-v1/;\n#include \"sub/soc.dtsi\"\n\n&fw {\n\treg = <0 0x90000000 0 0x200000>;\n};\n");
    const LoadResult r = loadBoard(board);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    const QString abs = QFileInfo(board).absoluteFilePath();
    const QString soc = dir.path() + QStringLiteral("/sub/soc.dtsi");
    const QString sizes = dir.path() + QStringLiteral("/sub/sizes.h");
    QCOMPARE(r.doc.sourceFiles, (QStringList { abs, soc, sizes }));
    QCOMPARE(r.doc.tree.files(), (QStringList { soc, abs }));
    QCOMPARE(r.doc.sourceDigests.keys(), (QStringList { abs, soc }));
    QFile f(soc);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(r.doc.sourceDigests.value(soc), sourceDigest(f.readAll()));
    const int fw = r.doc.tree.findPath(QStringLiteral("/reserved-memory/fw@90000000"));
    QVERIFY(fw > 0);
    QCOMPARE(r.doc.tree.node(fw).property("reg")->span.line, 5);
    QCOMPARE(r.doc.tree.fileName(r.doc.tree.node(fw).property("no-map")->span), soc);
    f.close();

    // A file's digest is taken once per process while the file stays the same: rewritten with
    // text of the same size, it is read again.
    const LoadResult again = loadBoard(board);
    QCOMPARE(again.doc.sourceDigests.value(soc), r.doc.sourceDigests.value(soc));
    QByteArray text = "#include \"sizes.h\"\n" + kSoc;
    text.replace("no-map", "no-maq");
    test::writeFile(dir, QStringLiteral("sub/soc.dtsi"), text);
    const LoadResult changed = loadBoard(board);
    QVERIFY(changed.doc.sourceDigests.value(soc) != r.doc.sourceDigests.value(soc));
    QCOMPARE(changed.doc.sourceDigests.value(soc), sourceDigest(text));
}

void TestLoader::memreservePositions()
{
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("inc.dtsi"), "/memreserve/ 0x1000 0x2000;\n");
    const QString board = test::writeFile(
        dir, QStringLiteral("b.dts"), "/dts-v1/;\n/memreserve/ 0x80000000 0x10000;\n#include \"inc.dtsi\"\n/ {\n};\n");
    const LoadResult r = loadBoard(board);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    const auto& m = r.doc.tree.memReserve();
    QCOMPARE(m.size(), size_t(2));
    QCOMPARE(m[0].base, uint64_t(0x80000000));
    QCOMPARE(m[0].span.line, 2);
    QCOMPARE(QFileInfo(r.doc.tree.fileName(m[0].span)).fileName(), QStringLiteral("b.dts"));
    QCOMPARE(m[1].base, uint64_t(0x1000));
    QCOMPARE(m[1].span.line, 1);
    QCOMPARE(QFileInfo(r.doc.tree.fileName(m[1].span)).fileName(), QStringLiteral("inc.dtsi"));
}

void TestLoader::kernelTreeIncludes()
{
    // A miniature kernel checkout: arch/arm64/boot/dts/acme/board.dts, include/dt-bindings and
    // scripts/dtc/include-prefixes with the kernel's symlinks.
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("linux/include/dt-bindings/acme.h"), "#define ACME_FW_BASE 0x90000000\n");
    test::writeFile(dir, QStringLiteral("linux/arch/arm64/boot/dts/acme/soc.dtsi"),
        QByteArray(kSoc).replace("0x90000000 0 FW_SIZE", "ACME_FW_BASE 0 0x1000"));
    const QString board = test::writeFile(dir, QStringLiteral("linux/arch/arm64/boot/dts/acme/board.dts"),
        "/dts-v1/;\n#include <dt-bindings/acme.h>\n#include \"soc.dtsi\"\n");
    QDir().mkpath(dir.filePath(QStringLiteral("linux/scripts/dtc/include-prefixes")));
    QVERIFY(QFile::link(QStringLiteral("../../../include/dt-bindings"),
        dir.filePath(QStringLiteral("linux/scripts/dtc/include-prefixes/dt-bindings"))));
    QVERIFY(QFile::link(QStringLiteral("../../../arch/arm64/boot/dts"),
        dir.filePath(QStringLiteral("linux/scripts/dtc/include-prefixes/arm64"))));
    const LoadResult r = loadBoard(board);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    QCOMPARE(r.doc.includeDirs.treeKind, QStringLiteral("kernel"));
    QVERIFY(r.doc.includeDirs.cpp.value(0).endsWith(QLatin1String("scripts/dtc/include-prefixes")));
    QVERIFY(r.doc.tree.findPath(QStringLiteral("/reserved-memory/fw@90000000")) > 0);
}

void TestLoader::rebasingTreeIncludes()
{
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    const LoadResult r = loadBoard(test::corpusDir() + QStringLiteral("/src/arm64/freescale/imx8mp-evk.dts"));
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    QCOMPARE(r.doc.includeDirs.treeKind, QStringLiteral("rebasing"));
    QCOMPARE(r.doc.includeDirs.cpp.size(), 2);
    QVERIFY(r.doc.includeDirs.cpp[0].endsWith(QLatin1String("/src")));
    QVERIFY(r.doc.includeDirs.cpp[1].endsWith(QLatin1String("/include")));
    const int dsp = r.doc.tree.findPath(QStringLiteral("/reserved-memory/dsp@92400000"));
    QVERIFY(dsp > 0);
    const auto& spans = r.doc.tree.node(dsp).spans;
    QCOMPARE(spans.size(), size_t(2)); // imx8mp.dtsi definition + the board's &dsp_reserved override
    QVERIFY(r.doc.tree.fileName(spans[0]).endsWith(QLatin1String("imx8mp.dtsi")));
    QVERIFY(r.doc.tree.fileName(spans[1]).endsWith(QLatin1String("imx8mp-evk.dts")));
}

void TestLoader::extraIncludeDir()
{
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("elsewhere/soc.dtsi"), kSoc);
    const QString board = test::writeFile(dir, QStringLiteral("board/board.dts"), kBoard);
    QVERIFY(!loadBoard(board).ok);
    LoadOptions o;
    o.includeDirs << dir.filePath(QStringLiteral("elsewhere"));
    const LoadResult r = loadBoard(board, o);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
}

void TestLoader::errors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<QStringList>("mustMention");
    QTest::addRow("missing include") << QStringLiteral("b.dts") << QByteArray("/dts-v1/;\n\n#include \"nope.dtsi\"\n")
                                     << 3 << QStringList { QStringLiteral("nope.dtsi"), QStringLiteral("-I DIR") };
    QTest::addRow("syntax error") << QStringLiteral("b.dts") << QByteArray("/dts-v1/;\n/ {\n\ta = <1>\n\tb;\n};\n") << 4
                                  << QStringList { QStringLiteral("syntax error"), QStringLiteral("missing ';'") };
    QTest::addRow("unknown label") << QStringLiteral("b.dts")
                                   << QByteArray("/dts-v1/;\n/ {\n};\n&nolabel {\n\tx;\n};\n") << 0
                                   << QStringList { QStringLiteral("nolabel"), QStringLiteral("no file") };
    QTest::addRow("dangling reference") << QStringLiteral(
        "b.dts") << QByteArray("/dts-v1/;\n/ {\n\tdev {\n\t\tmemory-region = <&gone>;\n\t};\n};\n")
                                        << 4
                                        << QStringList { QStringLiteral("gone"), QStringLiteral("define the label") };
    QTest::addRow("cpp directive") << QStringLiteral("b.dts") << QByteArray("/dts-v1/;\n#if\n#endif\n") << 2
                                   << QStringList { QStringLiteral("preprocessor") };
    QTest::addRow("binary junk") << QStringLiteral("junk.dts")
                                 << QByteArray("\x7f"
                                               "ELF\x02\x01\x01\0\0\0\0",
                                        11)
                                 << 0 << QStringList { QStringLiteral("not a text file") };
    QTest::addRow("truncated dtb") << QStringLiteral("t.dtb") << QByteArray("\xd0\x0d\xfe\xed\0\0\x10\0", 8) << 0
                                   << QStringList { QStringLiteral("too small") };
    QTest::addRow("dtb wrong magic") << QStringLiteral("w.dtb") << QByteArray(64, '\x11') << 0
                                     << QStringList { QStringLiteral("not a device tree blob") };
}

void TestLoader::errors()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(QStringList, mustMention);
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, name, content);
    const LoadResult r = loadBoard(file);
    QVERIFY(!r.ok);
    QVERIFY(!r.errors.isEmpty());
    const Diagnostic& d = r.errors.front();
    const QString all = d.toString();
    for (const auto& m : mustMention)
        QVERIFY2(all.contains(m), qPrintable(all));
    QVERIFY2(all.contains(name), qPrintable(all)); // the file is named
    if (line > 0)
        QCOMPARE(d.line, line);
}

void TestLoader::dtsAndDtbGiveTheSameTree_data()
{
    QTest::addColumn<QString>("board");
    for (const char* b : { "src/arm64/freescale/imx8mp-evk.dts", "src/arm64/qcom/hamoa-iot-evk.dts",
             "src/arm/realtek/rtd1195-horseradish.dts", "src/riscv/starfive/jh7110-starfive-visionfive-2-v1.3b.dts",
             "src/arm/st/stm32mp157c-dk2.dts" })
        QTest::addRow("%s", b) << test::corpusDir() + QLatin1Char('/') + QString::fromLatin1(b);
    QDir samples(test::samplesDir());
    for (const auto& sub : samples.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const auto& f : QDir(samples.filePath(sub)).entryList({ QStringLiteral("*.dts") }))
            QTest::addRow("samples/%s/%s", qPrintable(sub), qPrintable(f))
                << samples.filePath(sub + QLatin1Char('/') + f);
    }
}

void TestLoader::dtsAndDtbGiveTheSameTree()
{
    QFETCH(QString, board);
    if (!QFile::exists(board))
        QSKIP("board not available (shared/corpus missing)");
    const LoadResult fromDts = loadBoard(board);
    QVERIFY2(fromDts.ok, qPrintable(fromDts.errors.value(0).toString()));
    QTemporaryDir dir;
    const QString dtb = test::compileDtb(board, dir.filePath(QStringLiteral("b.dtb")), fromDts.doc.includeDirs);
    QVERIFY(!dtb.isEmpty());
    const LoadResult fromDtb = loadBoard(dtb);
    QVERIFY2(fromDtb.ok, qPrintable(fromDtb.errors.value(0).toString()));
    QVERIFY(fromDtb.doc.fromDtb);
    const QString diff = treeDifference(fromDts.doc.tree, fromDtb.doc.tree);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(treeDifference(fromDtb.doc.tree, fromDts.doc.tree), QString());
}

void TestLoader::damagedDtbNeverCrashes()
{
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    const QString board = test::corpusDir() + QStringLiteral("/src/arm64/freescale/imx8mp-evk.dts");
    QTemporaryDir dir;
    const QString dtbPath = test::compileDtb(board, dir.filePath(QStringLiteral("b.dtb")), detectIncludeDirs(board));
    QVERIFY(!dtbPath.isEmpty());
    QFile f(dtbPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    QRandomGenerator rng(1234);
    int rejected = 0;
    for (int i = 0; i < 400; ++i) {
        QByteArray bad = good;
        if (i % 4 == 0) {
            bad.truncate(qsizetype(rng.bounded(int(good.size()))));
        } else {
            // Header fields are where damage hurts most: hit them often.
            const int span = (i % 4 == 1) ? 40 : int(good.size());
            for (int k = 0; k < 1 + i % 3; ++k)
                bad[rng.bounded(span)] = char(rng.bounded(256));
        }
        DeviceTree tree;
        QString error;
        if (!readDtb(bad, tree, &error)) {
            ++rejected;
            QVERIFY(!error.isEmpty());
        }
    }
    QVERIFY(rejected > 100);
}

void TestLoader::labelRelativePathsAreRewritten()
{
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    // imx8mp-nominal.dtsi: /delete-node/ &{noc_opp_table/opp-1000000000};
    const LoadResult skov = loadBoard(test::corpusDir() + QStringLiteral("/src/arm64/freescale/imx8mp-skov-basic.dts"));
    QVERIFY2(skov.ok, qPrintable(skov.errors.value(0).toString()));
    const int table = skov.doc.tree.findLabel("noc_opp_table");
    QVERIFY(table > 0);
    QVERIFY(skov.doc.tree.child(table, "opp-800000000") > 0);
    QCOMPARE(skov.doc.tree.child(table, "opp-1000000000"), -1);
    bool noted = false;
    for (const auto& n : skov.doc.notes)
        noted |= n.code == QLatin1String("dtc-compat");
    QVERIFY(noted);

    // stm32mp133c-prihmb.dts: &{i2c1_pins_a/pins} { pinmux = ...; } at line 214.
    const LoadResult st = loadBoard(test::corpusDir() + QStringLiteral("/src/arm/st/stm32mp133c-prihmb.dts"));
    QVERIFY2(st.ok, qPrintable(st.errors.value(0).toString()));
    const int pins = st.doc.tree.child(st.doc.tree.findLabel("i2c1_pins_a"), "pins");
    QVERIFY(pins > 0);
    const DtProperty* pinmux = st.doc.tree.node(pins).property("pinmux");
    QVERIFY(pinmux);
    QVERIFY(st.doc.tree.fileName(pinmux->span).endsWith(QLatin1String("stm32mp133c-prihmb.dts")));
    QCOMPARE(pinmux->span.line, 215);
}

void TestLoader::cppStopsReading()
{
    // A cpp that exits without reading a large board: the write to its input fails with EPIPE. The
    // SIGPIPE that write raises must not reach QtTest's crash handler (installed here, as a
    // program's own handler would be): before the fix the corpus sweep died of it now and then.
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("soc.dtsi"), kSoc);
    QByteArray big = kBoard;
    big += "/*" + QByteArray(4 << 20, 'x') + "*/\n";
    const QString file = test::writeFile(dir, QStringLiteral("board.dts"), big);
    for (int i = 0; i < 5; ++i) {
        LoadOptions options;
        options.cpp = QStringLiteral("true");
        const LoadResult r = loadBoard(file, options);
        QVERIFY(!r.ok);
        QVERIFY(!r.errors.isEmpty());
    }
}

void TestLoader::toolsMissingOrFailing_data()
{
    // Real programs in place of cpp or dtc: none at all, a folder, one that fails without a
    // word, one that succeeds without output. Empty mustMention: the load succeeds.
    QTest::addColumn<QString>("cpp");
    QTest::addColumn<QString>("dtc");
    QTest::addColumn<QStringList>("mustMention");
    const QString none = QStringLiteral("/nonexistent/tool");
    QTest::addRow("the real tools") << QString() << QString() << QStringList();
    QTest::addRow("no cpp") << none << QString()
                            << QStringList { QStringLiteral("could not run the C preprocessor"), none,
                                   QStringLiteral("CARVEOUT_CPP") };
    QTest::addRow("cpp is a folder") << QDir::tempPath() << QString()
                                     << QStringList { QStringLiteral("could not run the C preprocessor") };
    QTest::addRow("cpp fails silently") << QStringLiteral("false") << QString()
                                        << QStringList { QStringLiteral("the C preprocessor 'false' failed (exit 1)") };
    QTest::addRow("no dtc") << QString() << none
                            << QStringList { QStringLiteral("could not run the device tree compiler"), none,
                                   QStringLiteral("CARVEOUT_DTC") };
    QTest::addRow("dtc fails silently") << QString() << QStringLiteral("false")
                                        << QStringList { QStringLiteral("dtc failed (exit 1)") };
    QTest::addRow("dtc writes nothing") << QString() << QStringLiteral("true")
                                        << QStringList { QStringLiteral("could not read dtc's output") };
}

void TestLoader::toolsMissingOrFailing()
{
    QFETCH(QString, cpp);
    QFETCH(QString, dtc);
    QFETCH(QStringList, mustMention);
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("soc.dtsi"), kSoc);
    const QString file = test::writeFile(dir, QStringLiteral("board.dts"), kBoard);
    LoadOptions options;
    options.cpp = cpp;
    options.dtc = dtc;
    const LoadResult r = loadBoard(file, options);
    if (mustMention.isEmpty()) {
        QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    } else {
        QVERIFY(!r.ok);
        const QString all = r.errors.value(0).toString();
        for (const auto& m : mustMention)
            QVERIFY2(all.contains(m), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("board.dts")), qPrintable(all));
    }
    // Every tool started was waited for: no child is left, running or as a zombie.
    errno = 0;
    QCOMPARE(::waitpid(-1, nullptr, WNOHANG), -1);
    QCOMPARE(errno, ECHILD);
}

void TestLoader::dtcThatRefusesTheQuietChecks()
{
    // The load switches off dtc warnings it does not show (-W no-...). A dtc that knows none of
    // those names (as an older one may not) refuses them; the load then runs it without and gets
    // the same tree.
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("soc.dtsi"), kSoc);
    const QString file = test::writeFile(dir, QStringLiteral("board.dts"), kBoard);
    const QString older = test::writeFile(dir, QStringLiteral("older-dtc"),
        "#!/bin/sh\n"
        "for a in \"$@\"; do case \"$a\" in no-*) echo \"FATAL ERROR: Unrecognized check name \\\"${a#no-}\\\"\" >&2; "
        "exit 1;; esac; done\n"
        "exec " CARVEOUT_DTC_PATH " \"$@\"\n");
    QVERIFY(QFile::setPermissions(older, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const LoadResult usual = loadBoard(file);
    QVERIFY2(usual.ok, qPrintable(usual.errors.value(0).toString()));
    LoadOptions options;
    options.dtc = older;
    const LoadResult r = loadBoard(file, options);
    QVERIFY2(r.ok, qPrintable(r.errors.value(0).toString()));
    const QString diff = treeDifference(usual.doc.tree, r.doc.tree);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const int fw = r.doc.tree.findLabel("fw");
    QVERIFY(fw > 0);
    QCOMPARE(r.doc.tree.node(fw).property("reg")->span.line, 6); // the override in board.dts
}

void TestLoader::eventsAreServedWhileAToolHangs()
{
    // The window loads on its own thread: while cpp hangs on an #include of a FIFO until the
    // timeout, that thread's events (repaints, timers) are still served, as they were when the
    // tools ran through a nested event loop.
    QTemporaryDir dir;
    QVERIFY(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo"))).constData(), 0644) == 0);
    const QString file = test::writeFile(dir, QStringLiteral("board.dts"), "/dts-v1/;\n#include \"fifo\"\n/ { };\n");
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, [&] { ++ticks; });
    timer.start(50);
    LoadOptions options;
    options.timeoutMs = 1000;
    const LoadResult r = loadBoard(file, options);
    QVERIFY(!r.ok);
    QVERIFY2(r.errors.value(0).toString().contains(QLatin1String("did not finish within")),
        qPrintable(r.errors.value(0).toString()));
    QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
}

void TestLoader::driverCommandLinesAreRead()
{
    // As GCC 12's cpp -### prints them (an -I folder named st q"d $x\y).
    const QByteArray hashes = "Using built-in specs.\nCOLLECT_GCC=cpp\n"
                              " /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -E -lang-asm -quiet -nostdinc -I \"st q\\\"d "
                              "\\$x\\\\y\" -D __DTS__ - \"-mtune=generic\" -dumpbase -\n"
                              "COLLECT_GCC_OPTIONS='-E' '-nostdinc'\n";
    const QList<QStringList> commands = parseDriverCommands(hashes);
    QCOMPARE(commands.size(), 1);
    QCOMPARE(commands.front(),
        (QStringList { QStringLiteral("/usr/lib/gcc/x86_64-linux-gnu/12/cc1"), QStringLiteral("-E"),
            QStringLiteral("-lang-asm"), QStringLiteral("-quiet"), QStringLiteral("-nostdinc"), QStringLiteral("-I"),
            QStringLiteral("st q\"d $x\\y"), QStringLiteral("-D"), QStringLiteral("__DTS__"), QStringLiteral("-"),
            QStringLiteral("-mtune=generic"), QStringLiteral("-dumpbase"), QStringLiteral("-") }));
    // A quote that never closes is not the driver's format.
    QVERIFY(parseDriverCommands(" /usr/bin/cc1 -E \"-I a\n").isEmpty());
    // Only a GCC cpp driver is asked; anything else named as cpp runs as it is.
    QVERIFY(directCpp(QStringLiteral("true"), { QStringLiteral("-") }, 5000).program.isEmpty());
    QVERIFY(directCpp(QStringLiteral("/nonexistent/cpp"), { QStringLiteral("-") }, 5000).program.isEmpty());
}

void TestLoader::cc1RunDirectlyGivesTheDriversOutput()
{
    // The loader runs cc1 as the driver would (core/source/directcpp.h): on corpus boards, fed on
    // stdin in the board's folder as loadBoard does, its output and messages are the driver's.
    if (!test::haveCorpus())
        QSKIP("no corpus (../shared/corpus)");
    const QString cpp = QStringLiteral(CARVEOUT_CPP_PATH);
    QFile manifest(test::corpusDir() + QStringLiteral("/../MANIFEST.tsv"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QStringList boards;
    for (const QByteArray& line : manifest.readAll().split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() > 8 && f[1] == "1" && f[8].toInt() > 0)
            boards << test::corpusDir() + QLatin1Char('/') + QString::fromUtf8(f[0]);
    }
    QVERIFY(boards.size() > 1000);
    int compared = 0;
    for (qsizetype i = 0; i < boards.size(); i += 25) {
        const QString& board = boards.at(i);
        const QStringList args = kernelCppArgs(detectIncludeDirs(board), QStringLiteral("-"));
        const DirectCpp direct = directCpp(cpp, args, 60000);
        QVERIFY2(QFileInfo(direct.program).fileName() == QLatin1String("cc1"), qPrintable(board));
        QFile in(board);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray content = in.readAll();
        const QString dir = QFileInfo(board).absolutePath();
        const ToolRun viaDriver = runTool(cpp, args, content, 60000, dir);
        const ToolRun viaCc1 = runTool(direct.program, direct.args, content, 60000, dir);
        QCOMPARE(viaDriver.exitCode, 0);
        QCOMPARE(viaCc1.exitCode, 0);
        QVERIFY2(viaCc1.out == viaDriver.out, qPrintable(board));
        QVERIFY2(viaCc1.err == viaDriver.err, qPrintable(board));
        ++compared;
    }
    QVERIFY(compared > 40);
    // A preprocessing error: cc1 says what the driver says (and the loader runs the driver then).
    QTemporaryDir tmp;
    const QString bad = test::writeFile(tmp, QStringLiteral("b.dts"), "/dts-v1/;\n#include \"nope.dtsi\"\n");
    const QStringList args = kernelCppArgs(detectIncludeDirs(bad), bad);
    const DirectCpp direct = directCpp(cpp, args, 60000);
    const ToolRun viaDriver = runTool(cpp, args, {}, 60000);
    const ToolRun viaCc1 = runTool(direct.program, direct.args, {}, 60000);
    QVERIFY(viaDriver.exitCode != 0 && viaCc1.exitCode != 0);
    QCOMPARE(viaCc1.err, viaDriver.err);
}

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
