// SPDX-License-Identifier: GPL-2.0-only
// The parser of dtc's annotated DTS output: values become the bytes a DTB holds, spans name
// the original files, and malformed input fails cleanly (every truncation of a valid text).

// core
#include "source/annotateddts.h"

// Qt
#include <QTest>

using namespace carveout;

class TestAnnotatedDts : public QObject
{
    Q_OBJECT
private slots:
    void values_data();
    void values();
    void spans();
    void spanFileNamesWithSeparators();
    void labelsAndStructure();
    void memreserve();
    void malformed_data();
    void malformed();
    void everyTruncationFailsCleanly();
};

namespace {
QByteArray doc(const QByteArray& prop)
{
    return "/dts-v1/;\n\n/ { /* b.dts:1:3-9:3 */\n\t" + prop + " /* b.dts:2:2-2:20 */\n}; /* b.dts:1:3-9:3 */\n";
}
QByteArray be32(std::initializer_list<uint32_t> v)
{
    QByteArray out;
    for (uint32_t x : v) {
        for (int s = 24; s >= 0; s -= 8)
            out.append(char((x >> s) & 0xff));
    }
    return out;
}
} // namespace

void TestAnnotatedDts::values_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("empty") << QByteArray("p;") << QByteArray();
    QTest::addRow("string") << QByteArray("p = \"okay\";") << QByteArray("okay\0", 5);
    QTest::addRow("string list") << QByteArray("p = \"a\", \"bc\";") << QByteArray("a\0bc\0", 5);
    QTest::addRow("cells") << QByteArray("p = <0x00 0x92400000 0x00 0x1000000>;")
                           << be32({ 0, 0x92400000, 0, 0x1000000 });
    QTest::addRow("decimal cells") << QByteArray("p = <1 20>;") << be32({ 1, 20 });
    QTest::addRow("two cell groups") << QByteArray("p = <0x01>, <0x02>;") << be32({ 1, 2 });
    QTest::addRow("bytes") << QByteArray("p = [01 ab FF];") << QByteArray("\x01\xab\xff", 3);
    QTest::addRow("bits 8") << QByteArray("p = /bits/ 8 <0x01 0x02>;") << QByteArray("\x01\x02", 2);
    QTest::addRow("bits 16") << QByteArray("p = /bits/ 16 <0x102>;") << QByteArray("\x01\x02", 2);
    QTest::addRow("bits 64") << QByteArray("p = /bits/ 64 <0x100000000>;") << QByteArray("\0\0\0\x01\0\0\0\0", 8);
    QTest::addRow("mixed") << QByteArray("p = \"s\", <0x01>, [00];")
                           << (QByteArray("s\0", 2) + be32({ 1 }) + QByteArray(1, '\0'));
    QTest::addRow("labels inside") << QByteArray("p = start: <0x01 mid: 0x02> end:;") << be32({ 1, 2 });
    QTest::addRow("escapes") << QByteArray("p = \"a\\\"b\\\\c\\n\\x01\\101\";")
                             << QByteArray("a\"b\\c\n\x01"
                                           "A\0",
                                    9);
}

void TestAnnotatedDts::values()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    DeviceTree tree;
    QString error;
    QVERIFY2(parseAnnotatedDts(doc(text), tree, &error), qPrintable(error));
    QCOMPARE(tree.root().properties.size(), size_t(1));
    QCOMPARE(tree.root().properties.front().value, expected);
    QCOMPARE(tree.root().properties.front().name, QByteArray("p"));
}

void TestAnnotatedDts::spans()
{
    const QByteArray text = "/dts-v1/;\n/ { /* /a/soc.dtsi:3:3-90:3, /a/board.dts:10:3-20:3 */\n"
                            "\tnode@1 { /* /a/soc.dtsi:5:9-8:4, /a/board.dts:12:7-14:3 */\n"
                            "\t\treg = <0x01 0x02>; /* /a/board.dts:13:3-13:22 */\n"
                            "\t\tphandle = <0x05>; /* <no-file>:<no-line> */\n"
                            "\t}; /* /a/soc.dtsi:5:9-8:4, /a/board.dts:12:7-14:3 */\n"
                            "}; /* /a/soc.dtsi:3:3-90:3, /a/board.dts:10:3-20:3 */\n";
    DeviceTree tree;
    QString error;
    QVERIFY2(parseAnnotatedDts(text, tree, &error), qPrintable(error));
    const int n = tree.findPath(QStringLiteral("/node@1"));
    QVERIFY(n > 0);
    const DtNode& node = tree.node(n);
    QCOMPARE(node.spans.size(), size_t(2));
    QCOMPARE(tree.fileName(node.spans[0]), QStringLiteral("/a/soc.dtsi"));
    QCOMPARE(node.spans[0].line, 5);
    QCOMPARE(node.spans[0].column, 9);
    QCOMPARE(node.spans[0].endLine, 8);
    QCOMPARE(node.spans[0].endColumn, 4);
    QCOMPARE(tree.fileName(node.spans[1]), QStringLiteral("/a/board.dts"));
    QCOMPARE(node.spans[1].line, 12);
    const DtProperty* reg = node.property("reg");
    QVERIFY(reg);
    QCOMPARE(tree.fileName(reg->span), QStringLiteral("/a/board.dts"));
    QCOMPARE(reg->span.line, 13);
    QCOMPARE(reg->span.column, 3);
    QVERIFY(!node.property("phandle")->span.isValid());
    QCOMPARE(tree.findPhandle(5), n);
    QCOMPARE(tree.files().size(), 2); // file names are interned
}

void TestAnnotatedDts::spanFileNamesWithSeparators()
{
    DeviceTree tree;
    const QByteArray body = "/w/my dir, v2/x:y.dtsi:4:1-6:2, /w/b.dts:7:1-7:9";
    const auto spans = parseSpanList(body.constData(), body.constData() + body.size(), tree);
    QCOMPARE(spans.size(), size_t(2));
    QCOMPARE(tree.fileName(spans[0]), QStringLiteral("/w/my dir, v2/x:y.dtsi"));
    QCOMPARE(spans[0].line, 4);
    QCOMPARE(tree.fileName(spans[1]), QStringLiteral("/w/b.dts"));
    QCOMPARE(spans[1].endColumn, 9);
}

void TestAnnotatedDts::labelsAndStructure()
{
    const QByteArray text = "/dts-v1/;\n/ {\n\tfirst: alias2: a {\n\t\tb {\n\t\t\tc;\n\t\t};\n\t};\n\td {\n\t};\n};\n";
    DeviceTree tree;
    QString error;
    QVERIFY2(parseAnnotatedDts(text, tree, &error), qPrintable(error));
    QCOMPARE(tree.nodeCount(), 4);
    const int a = tree.findPath(QStringLiteral("/a"));
    QCOMPARE(tree.node(a).labels, (QList<QByteArray> { "first", "alias2" }));
    QCOMPARE(tree.findLabel("alias2"), a);
    QCOMPARE(tree.path(tree.findPath(QStringLiteral("/a/b"))), QStringLiteral("/a/b"));
    QVERIFY(tree.node(tree.findPath(QStringLiteral("/a/b"))).hasProperty("c"));
    QVERIFY(tree.findPath(QStringLiteral("/d")) > 0);
    QCOMPARE(tree.findPath(QStringLiteral("/a/x")), -1);
}

void TestAnnotatedDts::memreserve()
{
    const QByteArray text = "/dts-v1/;\n\n/memreserve/\t0x0000000000000000 0x000000000000a800;\n"
                            "/memreserve/\t0x17fff000 0x1000;\n/ {\n};\n";
    DeviceTree tree;
    QString error;
    QVERIFY2(parseAnnotatedDts(text, tree, &error), qPrintable(error));
    QCOMPARE(tree.memReserve().size(), size_t(2));
    QCOMPARE(tree.memReserve()[0].size, uint64_t(0xa800));
    QCOMPARE(tree.memReserve()[1].base, uint64_t(0x17fff000));
}

void TestAnnotatedDts::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("no root") << QByteArray("/dts-v1/;\n");
    QTest::addRow("junk before root") << QByteArray("/dts-v1/;\nhello\n/ { };");
    QTest::addRow("unclosed root") << QByteArray("/dts-v1/;\n/ {\n\ta;\n");
    QTest::addRow("unclosed string") << QByteArray("/ {\n\ta = \"abc;\n};");
    QTest::addRow("bad cell") << QByteArray("/ {\n\ta = <0xzz>;\n};");
    QTest::addRow("cell too wide") << QByteArray("/ {\n\ta = <0x100000000>;\n};");
    QTest::addRow("bad bytes") << QByteArray("/ {\n\ta = [0];\n};");
    QTest::addRow("bad bits") << QByteArray("/ {\n\ta = /bits/ 12 <1>;\n};");
    QTest::addRow("reference") << QByteArray("/ {\n\ta = <&foo>;\n};");
    QTest::addRow("missing semicolon") << QByteArray("/ {\n\ta = <1>\n\tb;\n};");
    QTest::addRow("text after root") << QByteArray("/ {\n};\nx;");
    QTest::addRow("dangling label") << QByteArray("/ {\n\tl:\n};");
    QTest::addRow("overflowing literal") << QByteArray("/ {\n\ta = /bits/ 64 <0x11112222333344445>;\n};");
}

void TestAnnotatedDts::malformed()
{
    QFETCH(QByteArray, text);
    DeviceTree tree;
    QString error;
    QVERIFY(!parseAnnotatedDts(text, tree, &error));
    QVERIFY2(error.startsWith(QLatin1String("dtc output line ")), qPrintable(error));
}

void TestAnnotatedDts::everyTruncationFailsCleanly()
{
    const QByteArray text = "/dts-v1/;\n/memreserve/ 0x10 0x20;\n/ { /* f.dts:1:1-9:1 */\n"
                            "\tl: n@1 { /* f.dts:2:1-4:1 */\n\t\treg = <0x1 0x2>, \"s\", [0a]; /* f.dts:3:1-3:9 */\n"
                            "\t\tb = /bits/ 64 <0x3>; /* f.dts:3:1-3:9 */\n\t\te; /* f.dts:3:1-3:9 */\n"
                            "\t}; /* f.dts:2:1-4:1 */\n}; /* f.dts:1:1-9:1 */\n";
    DeviceTree full;
    QString error;
    QVERIFY2(parseAnnotatedDts(text, full, &error), qPrintable(error));
    // Cutting the text anywhere before the final "};" must fail, never crash or hang.
    const qsizetype lastClose = text.lastIndexOf("};");
    for (qsizetype n = 0; n <= lastClose; ++n) {
        DeviceTree tree;
        QVERIFY2(!parseAnnotatedDts(text.left(n), tree, &error), qPrintable(QString::number(n)));
    }
}

QTEST_GUILESS_MAIN(TestAnnotatedDts)
#include "tst_annotateddts.moc"
