// SPDX-License-Identifier: GPL-2.0-only
// The one number grammar and the one size format (docs/numbers.md), and that every reader of
// sizes (edit scripts, options, workloads, the kernel's cma=) goes through it.

// core
#include "edit/editdocument.h"
#include "kernel/bootmodel.h"
#include "kernel/profileoptions.h"
#include "model/units.h"
#include "sim/workload.h"

// Qt
#include <QJsonValue>
#include <QTest>

using namespace carveout;

Q_DECLARE_METATYPE(std::optional<uint64_t>)

class TestUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void parseJson_data();
    void parseJson();
    void scanStopsAfterTheNumber();
    void everyReaderAgrees_data();
    void everyReaderAgrees();
    void format_data();
    void format();
    void hex();
};

namespace {
constexpr uint64_t K = 1024, M = K * K, G = M * K, T = G * K, P = T * K, E = P * K;
const std::optional<uint64_t> bad;
} // namespace

void TestUnits::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<uint64_t>>("value");
    struct Row
    {
        const char* name;
        const char* text;
        std::optional<uint64_t> value;
    };
    const Row rows[] = {
        { "decimal", "4096", 4096 },
        { "zero", "0", 0 },
        { "hex", "0x80000000", 0x80000000ull },
        { "hex capitals", "0XDEADbeef", 0xdeadbeefull },
        { "octal as in C, dtc and memparse", "010", 8 },
        { "octal zeros", "000", 0 },
        { "not octal", "09", bad },
        { "K", "64K", 64 * K },
        { "lower-case m", "16m", 16 * M },
        { "G", "1G", G },
        { "T", "2T", 2 * T },
        { "P", "1P", P },
        { "E", "15E", 15 * E },
        { "hex with a suffix", "0x10M", 16 * M },
        { "octal with a suffix", "010K", 8 * K },
        { "KiB", "2KiB", 2 * K },
        { "MiB any case", "2mib", 2 * M },
        { "iB without a suffix", "2iB", bad },
        { "B alone", "12B", bad },
        { "KB is not KiB", "4KB", bad },
        { "surrounding blanks", "  12M\t", 12 * M },
        { "blank before the suffix", "1 K", K },
        { "blank inside the number", "1 2", bad },
        { "newline inside", "1\n2", bad },
        { "empty", "", bad },
        { "only blanks", "   ", bad },
        { "negative", "-1", bad },
        { "plus sign", "+1", bad },
        { "fraction", "1.5M", bad },
        { "unknown suffix", "12Q", bad },
        { "two suffixes", "1KK", bad },
        { "0x alone", "0x", bad },
        { "trailing junk", "0x10g0", bad },
        { "largest", "18446744073709551615", UINT64_MAX },
        { "largest hex", "0xffffffffffffffff", UINT64_MAX },
        { "one past the largest", "18446744073709551616", bad },
        { "hex past 64 bits", "0x10000000000000000", bad },
        { "suffix past 64 bits", "16E", bad },
        { "huge with a suffix", "99999999999999999999G", bad },
        { "just fits with a suffix", "0x3fffffffffffffK", 0x3fffffffffffffull * K },
        { "shifted out by the suffix", "0x40000000000000K", bad },
    };
    for (const auto& r : rows)
        QTest::addRow("%s", r.name) << QString::fromUtf8(r.text) << r.value;
}

void TestUnits::parse()
{
    QFETCH(QString, text);
    QFETCH(std::optional<uint64_t>, value);
    QCOMPARE(parseSize(QStringView(text)), value);
    // A JSON string reads exactly as the text.
    QCOMPARE(parseSize(QJsonValue(text)), value);
}

void TestUnits::parseJson_data()
{
    QTest::addColumn<QJsonValue>("json");
    QTest::addColumn<std::optional<uint64_t>>("value");
    QTest::addRow("integer") << QJsonValue(4096) << std::optional<uint64_t>(4096);
    QTest::addRow("2^53") << QJsonValue(9007199254740992.0) << std::optional<uint64_t>(uint64_t(1) << 53);
    QTest::addRow("past 2^53") << QJsonValue(1.0e17) << bad;
    QTest::addRow("negative") << QJsonValue(-4096) << bad;
    QTest::addRow("fraction") << QJsonValue(1.5) << bad;
    QTest::addRow("true") << QJsonValue(true) << bad;
    QTest::addRow("null") << QJsonValue(QJsonValue::Null) << bad;
}

void TestUnits::parseJson()
{
    QFETCH(QJsonValue, json);
    QFETCH(std::optional<uint64_t>, value);
    QCOMPARE(parseSize(json), value);
}

void TestUnits::scanStopsAfterTheNumber()
{
    // memparse's way, for cma=SIZE@BASE-LIMIT: read one number, leave the rest.
    const QString s = QStringLiteral("64M@0x40000000-0xffffffffffffffffK");
    qsizetype pos = 0;
    uint64_t v = 0;
    bool overflow = true;
    QVERIFY(scanSize(s, &pos, &v, &overflow));
    QCOMPARE(v, 64 * M);
    QVERIFY(!overflow);
    QCOMPARE(s.at(pos), QLatin1Char('@'));
    ++pos;
    QVERIFY(scanSize(s, &pos, &v, &overflow));
    QCOMPARE(v, uint64_t(0x40000000));
    ++pos;
    // The kernel wraps; scanSize says so.
    QVERIFY(scanSize(s, &pos, &v, &overflow));
    QCOMPARE(v, uint64_t(0xffffffffffffffffull << 10));
    QVERIFY(overflow);
    QCOMPARE(pos, s.size());
    pos = 0;
    QVERIFY(!scanSize(u"M", &pos, &v));
    QCOMPARE(pos, qsizetype(0));
}

void TestUnits::everyReaderAgrees_data()
{
    QTest::addColumn<QString>("text");
    for (const char* t : { "010", "0x10", "1G", "64K", "2MiB", "1 K", "4096", "09", "-1", "99999999999999999999G" })
        QTest::addRow("%s", t) << QString::fromLatin1(t);
}

void TestUnits::everyReaderAgrees()
{
    QFETCH(QString, text);
    const std::optional<uint64_t> expected = parseSize(QStringView(text));

    // An edit script.
    std::vector<EditOp> script;
    QString error;
    const QByteArray edit = R"([{"op": "resize", "node": "/reserved-memory/a", "size": ")" + text.toUtf8() + "\"}]";
    const bool editOk = parseEditScript(edit, &script, &error);
    QCOMPARE(editOk, bool(expected));
    if (editOk)
        QCOMPARE(script.front().size, expected);

    // --memory BASE+SIZE
    ProfileRequest rq;
    rq.memory << QStringLiteral("0x40000000+") + text;
    KernelProfile p;
    const QString optionError = resolveProfile(rq, nullptr, &p);
    const bool usable = expected && *expected != 0;
    QVERIFY2(optionError.isEmpty() == usable, qPrintable(optionError));
    if (usable)
        QCOMPARE(p.memory.back().size, *expected);

    // A workload step.
    const QByteArray workload
        = R"({"devices": {"d": "/soc/d"}, "steps": [{"alloc": "d", "size": ")" + text.toUtf8() + "\"}]}";
    const auto w = sim::parseWorkload(workload, &error);
    QVERIFY2(bool(w) == usable, qPrintable(error));
    if (w)
        QCOMPARE(w->ops.front().size, *expected);

    // The kernel's cma= (memparse) reads the same number wherever it reads one at all.
    const CmaCmdline c = parseCmaCmdline(QStringLiteral("cma=") + text);
    if (expected && !text.contains(QLatin1Char(' ')) && !text.endsWith(QLatin1String("iB")))
        QCOMPARE(c.size, *expected);
}

void TestUnits::format_data()
{
    QTest::addColumn<uint64_t>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addRow("zero") << uint64_t(0) << QStringLiteral("0 bytes");
    QTest::addRow("bytes") << uint64_t(12) << QStringLiteral("12 bytes");
    QTest::addRow("not whole KiB") << uint64_t(1536) << QStringLiteral("1536 bytes");
    QTest::addRow("KiB") << 2 * K << QStringLiteral("2 KiB");
    QTest::addRow("KiB under 1 MiB") << 920 * K << QStringLiteral("920 KiB");
    QTest::addRow("MiB") << 64 * M << QStringLiteral("64 MiB");
    QTest::addRow("MiB past 1 GiB") << G + M << QStringLiteral("1025 MiB");
    QTest::addRow("one decimal of MiB") << 4 * M + 512 * K << QStringLiteral("4.5 MiB");
    QTest::addRow("rounded MiB") << 753 * M + 133 * K << QStringLiteral("753.1 MiB");
    QTest::addRow("just over 1 MiB") << M + 1 << QStringLiteral("1.0 MiB");
    QTest::addRow("GiB") << 4 * G << QStringLiteral("4 GiB");
    QTest::addRow("TiB") << 3 * T << QStringLiteral("3 TiB");
    QTest::addRow("EiB") << 8 * E << QStringLiteral("8 EiB");
    QTest::addRow("largest") << UINT64_MAX << QStringLiteral("17592186044416.0 MiB");
}

void TestUnits::format()
{
    QFETCH(uint64_t, bytes);
    QFETCH(QString, text);
    QCOMPARE(formatSize(bytes), text);
    // What is printed exactly reads back as the same number.
    if (!text.contains(QLatin1Char('.'))) {
        QString spelled = text;
        spelled.remove(QStringLiteral(" bytes")).remove(QLatin1Char(' '));
        QCOMPARE(parseSize(QStringView(spelled)), std::optional<uint64_t>(bytes));
    }
}

void TestUnits::hex()
{
    QCOMPARE(toHex(0), QStringLiteral("0x0"));
    QCOMPARE(toHex(0x96200000ull), QStringLiteral("0x96200000"));
    QCOMPARE(toHex(UINT64_MAX), QStringLiteral("0xffffffffffffffff"));
    QCOMPARE(parseSize(QStringView(toHex(0xabcdef0123ull))), std::optional<uint64_t>(0xabcdef0123ull));
}

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
