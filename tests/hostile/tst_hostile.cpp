// SPDX-License-Identifier: GPL-2.0-only
// Hostile input (issue #8): files people get from vendors and forums. Every case runs the real
// carveout-cli under a time limit and a memory limit (hostiletest.h) and must end cleanly (no
// crash, no sanitizer report) with exit 2 and a sentence that names the file and what to do, or
// with a correct answer. Inputs are made at test time: DTBs corrupted field by field and token by
// token, absurd cell counts, reg of the wrong length, ranges past 2^64, cyclic and missing
// includes, binary junk named .dts, special files, paths that are not UTF-8 or too long, trees
// with 100,000 regions (written with libfdt, or as source), deep nesting, edit scripts that are
// not what they claim, and absurd command-line values.

// core
#include "edit/patcher.h"
#include "source/dtbloader.h"
#include "source/loader.h"

// tests
#include "hostiletest.h"

// libfdt
#include <libfdt.h>

// Qt
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

// POSIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// std
#include <functional>
#include <thread>
#include <vector>

using namespace carveout;

namespace {

/** Time limits: the sanitizer build runs several times slower. */
int budgetMs(int normalMs)
{
    return test::sanitized() ? normalMs * 5 : normalMs;
}

/** Sizes of the largest inputs: a tenth in the sanitizer build, which is there for memory errors
 *  on the same paths (the limits themselves are the normal build's to show). */
qint64 scaled(qint64 n)
{
    return test::sanitized() ? n / 10 : n;
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void putBe32(QByteArray& b, qsizetype at, uint32_t v)
{
    b[at] = char(v >> 24);
    b[at + 1] = char(v >> 16);
    b[at + 2] = char(v >> 8);
    b[at + 3] = char(v);
}

uint32_t be32(const QByteArray& b, qsizetype at)
{
    return (uint32_t(uchar(b[at])) << 24) | (uint32_t(uchar(b[at + 1])) << 16) | (uint32_t(uchar(b[at + 2])) << 8)
        | uint32_t(uchar(b[at + 3]));
}

QByteArray cellsBe(std::initializer_list<uint32_t> cells)
{
    QByteArray out;
    for (uint32_t c : cells) {
        out.append(char(c >> 24)).append(char(c >> 16)).append(char(c >> 8)).append(char(c));
    }
    return out;
}

/** A DTB written with libfdt's sequential-write API; `body` adds nodes below the root. */
QByteArray buildDtb(size_t capacity, const std::function<void(void*)>& body)
{
    QByteArray buf(qsizetype(capacity), '\0');
    void* fdt = buf.data();
    if (fdt_create(fdt, int(capacity)) != 0 || fdt_finish_reservemap(fdt) != 0 || fdt_begin_node(fdt, "") != 0)
        return {};
    const QByteArray two = cellsBe({ 2 });
    fdt_property(fdt, "#address-cells", two.constData(), 4);
    fdt_property(fdt, "#size-cells", two.constData(), 4);
    fdt_begin_node(fdt, "memory@80000000");
    fdt_property_string(fdt, "device_type", "memory");
    const QByteArray mem = cellsBe({ 0, 0x80000000u, 0x10, 0 });
    fdt_property(fdt, "reg", mem.constData(), mem.size());
    fdt_end_node(fdt);
    body(fdt);
    if (fdt_end_node(fdt) != 0 || fdt_finish(fdt) != 0)
        return {};
    buf.truncate(qsizetype(fdt_totalsize(fdt)));
    return buf;
}

/** /reserved-memory with `count` 64 KiB no-map regions, one after the other or (`sameBase`) all
 *  at one address, and a device bound to the first 1,000. */
QByteArray regionsDtb(int count, bool sameBase)
{
    return buildDtb(size_t(count) * 128 + (1 << 20), [&](void* fdt) {
        fdt_begin_node(fdt, "reserved-memory");
        const QByteArray two = cellsBe({ 2 });
        fdt_property(fdt, "#address-cells", two.constData(), 4);
        fdt_property(fdt, "#size-cells", two.constData(), 4);
        fdt_property(fdt, "ranges", nullptr, 0);
        for (int i = 0; i < count; ++i) {
            const uint64_t base = 0x80000000ull + (sameBase ? 0 : uint64_t(i) * 0x10000);
            const QByteArray name = QByteArray("region") + QByteArray::number(i) + '@' + QByteArray::number(base, 16);
            fdt_begin_node(fdt, name.constData());
            const QByteArray reg = cellsBe({ uint32_t(base >> 32), uint32_t(base), 0, 0x10000 });
            fdt_property(fdt, "reg", reg.constData(), reg.size());
            fdt_property(fdt, "no-map", nullptr, 0);
            fdt_property_u32(fdt, "phandle", uint32_t(i + 1));
            fdt_end_node(fdt);
        }
        fdt_end_node(fdt);
        fdt_begin_node(fdt, "dev");
        QByteArray refs;
        for (int i = 0; i < std::min(count, 1000); ++i)
            refs += cellsBe({ uint32_t(i + 1) });
        fdt_property(fdt, "memory-region", refs.constData(), refs.size());
        fdt_end_node(fdt);
    });
}

/** A .dts with the given root cell counts and raw cell lists (no macros). */
QByteArray cellsDts(const QByteArray& ac, const QByteArray& sc, const QByteArray& memReg, const QByteArray& fwReg,
    const QByteArray& extra = {})
{
    return "/dts-v1/;\n/ {\n\t#address-cells = <" + ac + ">;\n\t#size-cells = <" + sc
        + ">;\n\tmemory@80000000 {\n\t\tdevice_type = \"memory\";\n\t\treg = <" + memReg
        + ">;\n\t};\n\treserved-memory {\n\t\t#address-cells = <" + ac + ">;\n\t\t#size-cells = <" + sc
        + ">;\n\t\tranges;\n\t\tfw@80000000 {\n\t\t\treg = <" + fwReg + ">;\n\t\t\tno-map;\n\t\t};\n" + extra
        + "\t};\n};\n";
}

/** Recursive removal that works below PATH_MAX too (GNU rm walks with openat). */
void removeTree(const QString& dir)
{
    QProcess::execute(QStringLiteral("rm"), { QStringLiteral("-rf"), dir });
}

/** The simulation sample board, and a workload for it around `steps` (one device, "isp"). */
QString simBoard()
{
    return test::samplesDir() + QStringLiteral("/sim/sim-board.dts");
}

QByteArray ispWorkload(const QByteArray& steps)
{
    return R"({ "devices": { "isp": "&isp" }, "steps": [ )" + steps + " ] }";
}

/** `depth` repeat blocks of one round inside each other around `inner`. */
QByteArray nestedRepeats(int depth, const QByteArray& inner)
{
    QByteArray out = inner;
    for (int i = 0; i < depth; ++i)
        out = R"({ "repeat": 1, "steps": [ )" + out + " ] }";
    return out;
}

/** simulate on the sample board: the workload file `name` in `dir`, then `args`. */
test::CliRun simulate(const QString& workload, const QStringList& args, const test::CliLimits& limits)
{
    return test::runCli(
        QStringList { QStringLiteral("simulate"), simBoard(), QStringLiteral("--workload"), workload } + args, limits);
}

/** simulate on `json`, written to w.json in `dir`, within 1 GiB and budgetMs(20000). */
test::CliRun simulateJson(const QTemporaryDir& dir, const QByteArray& json, const QStringList& args)
{
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(20000);
    limits.memoryBytes = 1ll << 30;
    return simulate(test::writeFile(dir, QStringLiteral("w.json"), json), args, limits);
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void corruptedDtb_data();
    void corruptedDtb();
    void corruptedDtbInProcess();
    void cellCounts_data();
    void cellCounts();
    void regWrongLength();
    void rangesPastTop();
    void includes_data();
    void includes();
    void junk_data();
    void junk();
    void specialFiles_data();
    void specialFiles();
    void notUtf8Name_data();
    void notUtf8Name();
    void pathOverPathMax();
    void longValidPath();
    void hundredThousandRegionsDtb();
    void hundredThousandRegionsAtOneAddress();
    void hundredThousandRegionsSource();
    void deepNesting();
    void hostileEditScripts_data();
    void hostileEditScripts();
    void editPastTheTop();
    void absurdOptions_data();
    void absurdOptions();
    void largeDiffIsBounded();
    void noCoreApplicationNoEventLoop();
    void hostileWorkloads_data();
    void hostileWorkloads();
    void workloadOfTenMillionOperations();
    void workloadOfFiftyMegabytes();
    void workloadJsonReportIsStreamed();
    void workloadMinSizeIsBounded_data();
    void workloadMinSizeIsBounded();

private:
    QTemporaryDir m_dir;
    QByteArray m_dtb; ///< samples/broken/brk1-board.dts compiled by cpp + dtc
};

void TestHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString dts = test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
    const QString out = test::compileDtb(
        dts, m_dir.filePath(QStringLiteral("brk1.dtb")), detectIncludeDirs(QFileInfo(dts).absoluteFilePath()));
    QVERIFY2(!out.isEmpty(), "compiling the broken sample with cpp + dtc");
    m_dtb = readFile(out);
    QVERIFY(m_dtb.size() > 1000);
    // The blob as compiled is fine.
    const test::CliRun r = test::runCli({ QStringLiteral("check"), out });
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
}

void TestHostile::corruptedDtb_data()
{
    QTest::addColumn<QByteArray>("blob");
    QTest::addColumn<bool>("mayLoad"); // the damage can be harmless: then a correct answer (0 or 1)
    const QByteArray& d = m_dtb;
    // -datatags runs the data functions without initTestCase: no blob, no rows.
    if (d.size() < 40)
        return;
    const uint32_t offStruct = be32(d, 8), offStrings = be32(d, 12), sizeStruct = be32(d, 36);
    auto with = [&](qsizetype at, uint32_t v) {
        QByteArray b = d;
        putBe32(b, at, v);
        return b;
    };
    for (qsizetype len : { qsizetype(3), qsizetype(39), qsizetype(40), qsizetype(100), d.size() / 2, d.size() - 1 })
        QTest::addRow("truncated to %lld bytes", static_cast<long long>(len)) << d.left(len) << false;
    QTest::addRow("wrong magic") << with(0, 0xdeadbeef) << false;
    QTest::addRow("totalsize 0") << with(4, 0) << false;
    QTest::addRow("totalsize 4 GiB") << with(4, 0xffffffff) << false;
    QTest::addRow("totalsize past the end") << with(4, uint32_t(d.size()) + 4096) << false;
    QTest::addRow("totalsize of the header only") << with(4, 40) << false;
    QTest::addRow("off_dt_struct past the end") << with(8, 0xfffffff0) << false;
    QTest::addRow("off_dt_struct at the end") << with(8, uint32_t(d.size())) << false;
    QTest::addRow("off_dt_struct misaligned") << with(8, offStruct + 1) << false;
    QTest::addRow("off_dt_strings past the end") << with(12, 0xfffffff0) << false;
    QTest::addRow("off_dt_strings into the header") << with(12, 1) << false;
    QTest::addRow("off_mem_rsvmap past the end") << with(16, 0xfffffff0) << false;
    QTest::addRow("off_mem_rsvmap misaligned") << with(16, 43) << true; // libfdt (and the kernel) read it
    QTest::addRow("version 1") << with(20, 1) << false;
    QTest::addRow("version 99") << with(20, 99) << true;
    QTest::addRow("last_comp_version 99") << with(24, 99) << false;
    QTest::addRow("size_dt_strings 4 GiB") << with(32, 0xffffffff) << false;
    QTest::addRow("size_dt_strings 0") << with(32, 0) << false;
    QTest::addRow("size_dt_struct 4 GiB") << with(36, 0xffffffff) << false;
    QTest::addRow("size_dt_struct 0") << with(36, 0) << false;
    QTest::addRow("first token FDT_END") << with(offStruct, 9) << false;
    QTest::addRow("first token unknown") << with(offStruct, 0x0a) << false;
    QTest::addRow("first token FDT_END_NODE") << with(offStruct, 2) << false;
    QTest::addRow("last token FDT_NOP") << with(offStruct + sizeStruct - 4, 4) << false;
    // The first property: FDT_PROP, len, nameoff.
    qsizetype prop = offStruct;
    while (prop < offStruct + sizeStruct && be32(d, prop) != 3)
        prop += 4;
    QTest::addRow("property length 2 GiB") << with(prop + 4, 0x7fffffff) << false;
    QTest::addRow("property length past the block") << with(prop + 4, sizeStruct) << false;
    // 2^32 - 12: libfdt 1.6.1's next tag is the property itself, and its walks never end.
    QTest::addRow("property length 2^32 - 12") << with(prop + 4, 0xfffffff4) << false;
    QTest::addRow("property length 2^32 - 16") << with(prop + 4, 0xfffffff0) << false;
    QTest::addRow("property name offset past the strings") << with(prop + 8, 0x7fffffff) << false;
    QTest::addRow("property name offset past the strings by one") << with(prop + 8, be32(d, 32)) << false;
    {
        QByteArray b = d;
        for (qsizetype i = offStrings; i < b.size(); ++i) {
            if (b[i] == '\0')
                b[i] = 'x'; // no terminator left in the strings block
        }
        QTest::addRow("strings without terminators") << b << false;
    }
    {
        // The reserve map's terminating entry made non-zero: it runs into the structure block.
        QByteArray b = d;
        putBe32(b, be32(d, 16) + 12, 0x1000);
        QTest::addRow("memreserve map without its terminator") << b << true; // as libfdt and the kernel read it
    }
    // Random damage, reproducible: 64 blobs with 1 to 8 bytes changed.
    QRandomGenerator rng(8);
    for (int k = 0; k < 64; ++k) {
        QByteArray b = d;
        const int n = 1 + int(rng.bounded(8));
        for (int i = 0; i < n; ++i)
            b[qsizetype(rng.bounded(quint32(b.size())))] = char(rng.bounded(256));
        QTest::addRow("random damage %d", k) << b << true;
    }
}

void TestHostile::corruptedDtb()
{
    QFETCH(QByteArray, blob);
    QFETCH(bool, mayLoad);
    const QString file = m_dir.filePath(QStringLiteral("corrupt.dtb"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(blob);
    f.close();
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(20000);
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file }, limits);
    QVERIFY2(test::cleanRun(r), qPrintable(r.describe()));
    if (r.status == 2) {
        QVERIFY2(r.err.contains(QLatin1String("corrupt.dtb")), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QLatin1String("device tree blob")) || r.err.contains(QLatin1String("empty")),
            qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QLatin1String("recompile it with dtc")) || r.err.contains(QLatin1String("copied")),
            qPrintable(r.describe())); // what to do
    } else {
        QVERIFY2(mayLoad && (r.status == 0 || r.status == 1), qPrintable(r.describe()));
    }
}

void TestHostile::corruptedDtbInProcess()
{
    // The same damage through the core API, in this process (under ASan in the sanitizer build):
    // every prefix of the blob, and every single header byte flipped.
    for (qsizetype len = 0; len < m_dtb.size(); len += (len < 256 ? 1 : 97)) {
        DeviceTree tree;
        QString error;
        if (!readDtb(m_dtb.left(len), tree, &error))
            QVERIFY2(!error.isEmpty(), "a failure has a message");
    }
    for (qsizetype at = 0; at < 40; ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            QByteArray b = m_dtb;
            b[at] = char(b[at] ^ (1 << bit));
            DeviceTree tree;
            QString error;
            if (!readDtb(b, tree, &error))
                QVERIFY2(!error.isEmpty(), "a failure has a message");
        }
    }
}

void TestHostile::cellCounts_data()
{
    QTest::addColumn<QByteArray>("dts");
    QTest::addColumn<QString>("expectBase"); // of fw in layout --format json, or empty: no base
    QTest::addRow("0 and 0 cells") << cellsDts("0", "0", "", "") << QString();
    QTest::addRow("3 and 3 cells (low 64 bits)") << cellsDts("3", "3", "0 0 0x80000000 0 0 0x40000000",
        "0x1 0 0x80000000 0 0 0x100000") << QStringLiteral("0x80000000");
    QTest::addRow("4 and 4 cells (low 64 bits)") << cellsDts("4", "4", "0 0 0 0x80000000 0 0 0 0x40000000",
        "7 7 0 0x80000000 0 0 0 0x100000") << QStringLiteral("0x80000000");
    QTest::addRow("3 and 1 cells") << cellsDts("3", "1", "0 0 0x80000000 0x40000000", "0 0 0x80100000 0x100000")
                                   << QStringLiteral("0x80100000");
    QTest::addRow("0 address cells, 2 size cells")
        << cellsDts("0", "2", "0 0x40000000", "0 0x100000") << QStringLiteral("0x0");
    QTest::addRow("4294967295 address cells") << cellsDts("0xffffffff", "2", "0 0x80000000", "0 0x100000") << QString();
    QTest::addRow("1024 size cells") << cellsDts("2", "1024", "0 0x80000000 0 0x40000000", "0 0x80000000 0 0x100000")
                                     << QString();
}

void TestHostile::cellCounts()
{
    QFETCH(QByteArray, dts);
    QFETCH(QString, expectBase);
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, QStringLiteral("cells.dts"), dts);
    for (const char* command : { "check", "layout" }) {
        QStringList args { QString::fromLatin1(command), file };
        if (QByteArray(command) == "layout")
            args << QStringLiteral("--format") << QStringLiteral("json");
        const test::CliRun r = test::runCli(args);
        QVERIFY2(test::cleanRun(r), qPrintable(r.describe()));
        QVERIFY2(r.status == 0 || r.status == 1, qPrintable(r.describe()));
        if (QByteArray(command) != "layout")
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        QString base;
        for (const auto& v : doc.object().value(QLatin1String("regions")).toArray()) {
            if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("fw@80000000"))
                base = v.toObject().value(QLatin1String("base")).toString();
        }
        QCOMPARE(base, expectBase);
    }
}

void TestHostile::regWrongLength()
{
    QTemporaryDir dir;
    const QString file = test::writeFile(
        dir, QStringLiteral("short-reg.dts"), cellsDts("2", "2", "0 0x80000000 0 0x40000000", "0x80000000 0x100000"));
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file });
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QLatin1String("short-reg.dts:14: error [rm_reg_format]")), qPrintable(r.describe()));
}

void TestHostile::rangesPastTop()
{
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, QStringLiteral("wrap.dts"),
        cellsDts("2", "2", "0xffffffff 0xfff00000 0 0x200000 0 0x80000000 0 0x40000000",
            "0xffffffff 0xfff80000 0 0x100000",
            "\t\tpool {\n\t\t\tcompatible = \"shared-dma-pool\";\n\t\t\treusable;\n\t\t\tsize = <0xffffffff "
            "0xffffffff>;\n\t\t\talignment = <0x80000000 0>;\n\t\t\talloc-ranges = <0xffffffff 0xffff0000 0 "
            "0x20000>;\n\t\t};\n"));
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file });
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    for (const char* where : { "wrap.dts:7: error [rm_range_wraps]: /memory@80000000: memory bank",
             "wrap.dts:14: error [rm_range_wraps]: /reserved-memory/fw@80000000: reg",
             "error [rm_range_wraps]: /reserved-memory/pool: alloc-ranges window" })
        QVERIFY2(r.out.contains(QLatin1String(where)),
            qPrintable(QLatin1String(where) + QStringLiteral("\n") + r.describe()));
    // Ends are saturated, never wrapped round to a small number.
    const test::CliRun l = test::runCli({ QStringLiteral("layout"), file });
    QVERIFY2(test::cleanRun(l) && l.status == 0, qPrintable(l.describe()));
    QVERIFY2(l.out.contains(QLatin1String("0xfffffffffff80000  0xffffffffffffffff")), qPrintable(l.describe()));
    QVERIFY2(!l.out.contains(QLatin1String(" 0x80000 ")), qPrintable(l.describe()));
}

void TestHostile::includes_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QList<QByteArray>>("texts");
    QTest::addColumn<QStringList>("mustMention");
    QTest::addColumn<int>("timeout"); // --timeout, 0 for the default
    QTest::addRow("#include cycle") << QStringList { QStringLiteral("a.dts"), QStringLiteral("b.dtsi"),
        QStringLiteral("c.dtsi") }
                                    << QList<QByteArray> { "/dts-v1/;\n#include \"b.dtsi\"\n/ { };\n",
                                           "#include \"c.dtsi\"\n", "#include \"b.dtsi\"\n" }
                                    << QStringList { QStringLiteral("cycle"), QStringLiteral("dtsi:1") } << 0;
    QTest::addRow("#include of itself") << QStringList { QStringLiteral("a.dts") }
                                        << QList<QByteArray> { "/dts-v1/;\n#include \"a.dts\"\n/ { };\n" }
                                        << QStringList { QStringLiteral("cycle"), QStringLiteral("a.dts:2") } << 0;
    QTest::addRow("/include/ cycle") << QStringList { QStringLiteral("a.dts"), QStringLiteral("b.dtsi"),
        QStringLiteral("c.dtsi") }
                                     << QList<QByteArray> { "/dts-v1/;\n/include/ \"b.dtsi\"\n/ { };\n",
                                            "/include/ \"c.dtsi\"\n", "/include/ \"b.dtsi\"\n" }
                                     << QStringList { QStringLiteral("cycle"), QStringLiteral("a.dts") } << 0;
    QTest::addRow("missing #include") << QStringList { QStringLiteral("a.dts") }
                                      << QList<QByteArray> { "/dts-v1/;\n#include \"gone.dtsi\"\n/ { };\n" }
                                      << QStringList { QStringLiteral("a.dts:2"), QStringLiteral("gone.dtsi"),
                                             QStringLiteral("-I DIR") }
                                      << 0;
    QTest::addRow("missing /include/") << QStringList { QStringLiteral("a.dts") }
                                       << QList<QByteArray> { "/dts-v1/;\n\n/include/ \"gone.dtsi\"\n/ { };\n" }
                                       << QStringList { QStringLiteral("a.dts:3"), QStringLiteral("gone.dtsi"),
                                              QStringLiteral("-I DIR") }
                                       << 0;
    QTest::addRow("#include of a folder") << QStringList { QStringLiteral("a.dts"), QStringLiteral("sub/x") }
                                          << QList<QByteArray> { "/dts-v1/;\n#include \"sub\"\n/ { };\n", "" }
                                          << QStringList { QStringLiteral("a.dts:2") } << 0;
    QTest::addRow("#include of binary junk")
        << QStringList { QStringLiteral("a.dts"), QStringLiteral("junk.bin") }
        << QList<QByteArray> { "/dts-v1/;\n#include \"junk.bin\"\n/ { };\n",
               QByteArray("\x01\x02\xff\xfe\x80\x81\x82\x83\x84\x85\n", 11) }
        << QStringList { QStringLiteral("junk.bin:1"), QStringLiteral("binary data") } << 0;
    QTest::addRow("#include of a FIFO (stopped by --timeout)")
        << QStringList { QStringLiteral("a.dts"), QStringLiteral("fifo") }
        << QList<QByteArray> { "/dts-v1/;\n#include \"fifo\"\n/ { };\n", "FIFO" }
        << QStringList { QStringLiteral("did not finish within 2 s"), QStringLiteral("pipe") } << 2;
}

void TestHostile::includes()
{
    QFETCH(QStringList, names);
    QFETCH(QList<QByteArray>, texts);
    QFETCH(QStringList, mustMention);
    QFETCH(int, timeout);
    QTemporaryDir dir;
    for (int i = 0; i < names.size(); ++i) {
        if (texts[i] == "FIFO")
            QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(names[i])).constData(), 0644), 0);
        else
            test::writeFile(dir, names[i], texts[i]);
    }
    QStringList args { QStringLiteral("check"), dir.filePath(names.front()) };
    if (timeout)
        args << QStringLiteral("--timeout") << QString::number(timeout);
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(30000);
    const test::CliRun r = test::runCli(args, limits);
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    for (const auto& m : mustMention)
        QVERIFY2(r.err.contains(m), qPrintable(m + QStringLiteral(" is not said:\n") + r.describe()));
    QVERIFY2(r.err.contains(QLatin1String("could not load")), qPrintable(r.describe()));
    // Nothing the CLI started outlives it (a stopped cpp used to leave cc1 blocked on the FIFO).
    QProcess pgrep;
    pgrep.start(QStringLiteral("pgrep"), { QStringLiteral("-f"), dir.path() });
    if (pgrep.waitForFinished(5000))
        QVERIFY2(pgrep.readAllStandardOutput().trimmed().isEmpty(), "a process of this test's folder is still running");
}

void TestHostile::junk_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mustMention");
    QRandomGenerator rng(42);
    QByteArray random(20000, '\0');
    for (auto& c : random)
        c = char(rng.bounded(256));
    QByteArray noNul = random;
    noNul.replace('\0', '\x01');
    QTest::addRow("random bytes") << random << QStringLiteral("not a text file");
    QTest::addRow("random bytes without NUL") << noNul << QStringLiteral("binary data");
    QTest::addRow("an ELF header") << QByteArray("\x7f"
                                                 "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
        16) << QStringLiteral("not a text file");
    QTest::addRow("gzip") << QByteArray("\x1f\x8b\x08\0\0\0\0\0\0\x03\xcb\x48\xcd\xc9\xc9\x07\0", 17)
                          << QStringLiteral("not a text file");
    QTest::addRow("a 1 MiB line") << QByteArray("/dts-v1/;\n") + QByteArray(1 << 20, 'a') + "\n"
                                  << QStringLiteral("syntax error");
    QTest::addRow("UTF-16 text") << QByteArray("\xff\xfe/\0d\0t\0s\0-\0v\0\x31\0/\0;\0", 20)
                                 << QStringLiteral("not a text file");
    QTest::addRow("only a header") << QByteArray("/dts-v1/;\n") << QStringLiteral("syntax error");
    QTest::addRow("FDT magic and text") << QByteArray("\xd0\x0d\xfe\xed this is not a blob at all, only text\n")
                                        << QStringLiteral("device tree blob");
}

void TestHostile::junk()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mustMention);
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, QStringLiteral("junk.dts"), content);
    const test::CliRun r = test::runCli({ QStringLiteral("layout"), file });
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(mustMention) && r.err.contains(QLatin1String("junk.dts")), qPrintable(r.describe()));
    // Quoted source is cut short and printable: no megabyte lines, no control characters.
    QVERIFY2(r.err.size() < 4000, qPrintable(r.describe()));
    for (const QChar c : r.err)
        QVERIFY2(c >= QLatin1Char(' ') || c == QLatin1Char('\n') || c == QLatin1Char('\t'), qPrintable(r.describe()));
}

void TestHostile::specialFiles_data()
{
    QTest::addColumn<QString>("input"); // "board" (check) or "workload" (simulate)
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mustMention");
    for (const QString& input : { QStringLiteral("board"), QStringLiteral("workload") }) {
        auto row = [&](const char* name, const char* kind, const char* mention) {
            QTest::addRow("%s: %s", qPrintable(input), name)
                << input << QString::fromLatin1(kind) << QString::fromUtf8(mention);
        };
        row("FIFO", "fifo", "not a regular file");
        row("link to /dev/zero", "zero", "not a regular file");
        row("dangling link", "dangling", "symbolic link");
        row("link loop", "loop", "loop");
        row("empty file", "empty", "empty");
        row("folder", "folder", "folder");
        row("70 MiB file", "huge", "more than the 64 MiB");
        row("missing", "missing", "does not exist");
    }
}

void TestHostile::specialFiles()
{
    QFETCH(QString, input);
    QFETCH(QString, kind);
    QFETCH(QString, mustMention);
    QTemporaryDir dir;
    const QString name = input == QLatin1String("board") ? QStringLiteral("board.dts") : QStringLiteral("w.json");
    const QString file = dir.filePath(name);
    const QByteArray f = QFile::encodeName(file);
    if (kind == QLatin1String("fifo"))
        QCOMPARE(::mkfifo(f.constData(), 0644), 0);
    else if (kind == QLatin1String("zero"))
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), file));
    else if (kind == QLatin1String("dangling"))
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("gone")), file));
    else if (kind == QLatin1String("loop")) {
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("other")), file));
        QVERIFY(QFile::link(file, dir.filePath(QStringLiteral("other"))));
    } else if (kind == QLatin1String("empty"))
        test::writeFile(dir, name, {});
    else if (kind == QLatin1String("folder"))
        QVERIFY(QDir().mkpath(file));
    else if (kind == QLatin1String("huge")) {
        QFile h(file);
        QVERIFY(h.open(QIODevice::WriteOnly));
        QVERIFY(h.resize(70ll << 20)); // sparse
    }
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(10000);
    limits.memoryBytes = 1ll << 30;
    const test::CliRun r = input == QLatin1String("board") ? test::runCli({ QStringLiteral("check"), file }, limits)
                                                           : simulate(file, {}, limits);
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(mustMention) && r.err.contains(name), qPrintable(r.describe()));
    if (input == QLatin1String("workload"))
        QVERIFY2(r.err.contains(QLatin1String("cannot read the workload")), qPrintable(r.describe()));
    QVERIFY2(r.ms < budgetMs(5000), qPrintable(r.describe()));
}

void TestHostile::notUtf8Name_data()
{
    // A name in Latin-1 or with bytes that are no encoding at all, as old archives have.
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("command"); // for sh: "$F" is the file
    QTest::addRow("board") << QByteArray("board-\xff\xfe.dts") << QStringLiteral("exec \"$CLI\" check \"$F\"");
    QTest::addRow("workload") << QByteArray("w\xe9.json")
                              << QStringLiteral("exec \"$CLI\" simulate \"$B\" --workload \"$F\"");
}

void TestHostile::notUtf8Name()
{
    QFETCH(QByteArray, name);
    QFETCH(QString, command);
    QTemporaryDir dir;
    const QByteArray path = QFile::encodeName(dir.path()) + '/' + name;
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QVERIFY(fd >= 0);
    const auto unlink = qScopeGuard([&] { ::unlink(path.constData()); }); // QTemporaryDir cannot name it
    const QByteArray text = readFile(test::sourceDir() + QStringLiteral("/tests/data/rules/clean-arm64.dts"));
    QCOMPARE(::write(fd, text.constData(), size_t(text.size())), ssize_t(text.size()));
    ::close(fd);
    // Through a shell, so that the raw bytes reach argv (QProcess would encode a QString): the
    // name goes in as octal escapes for printf.
    QString octal;
    for (const char c : name)
        octal += QStringLiteral("\\%1").arg(uint(uchar(c)), 3, 8, QLatin1Char('0'));
    QProcess p;
    p.setProgram(QStringLiteral("sh"));
    p.setArguments({ QStringLiteral("-c"), QStringLiteral("F=\"$(printf '%s/%1' \"$D\")\"; %2").arg(octal, command) });
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CLI"), test::cliPath());
    env.insert(QStringLiteral("B"), simBoard());
    env.insert(QStringLiteral("D"), dir.path());
    p.setProcessEnvironment(env);
    p.start();
    QVERIFY(p.waitForFinished(budgetMs(20000)));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(err.contains(QLatin1String("not valid UTF-8")) && err.contains(QLatin1String("rename")), qPrintable(err));
}

void TestHostile::pathOverPathMax()
{
    // 24 folders of 200 bytes: a path of ~4,900 bytes, made with mkdirat/openat (no call sees it whole).
    QTemporaryDir base;
    const QByteArray part(200, 'd');
    int fd = ::open(QFile::encodeName(base.path()).constData(), O_DIRECTORY | O_RDONLY);
    QVERIFY(fd >= 0);
    QByteArray rel;
    for (int i = 0; i < 24; ++i) {
        QCOMPARE(::mkdirat(fd, part.constData(), 0755), 0);
        const int next = ::openat(fd, part.constData(), O_DIRECTORY | O_RDONLY);
        ::close(fd);
        fd = next;
        QVERIFY(fd >= 0);
        rel += part + '/';
    }
    const int file = ::openat(fd, "board.dts", O_WRONLY | O_CREAT, 0644);
    QVERIFY(file >= 0);
    ::write(file, "/dts-v1/;\n/ { };\n", 17);
    ::close(file);
    ::close(fd);
    test::CliLimits limits;
    limits.workDir = base.path();
    const test::CliRun r = test::runCli({ QStringLiteral("check"), QString::fromLatin1(rel + "board.dts") }, limits);
    removeTree(base.path());
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QLatin1String("more than the system allows")), qPrintable(r.describe()));
}

void TestHostile::longValidPath()
{
    // 15 folders of 200 bytes: ~3,100 bytes, under PATH_MAX: a correct answer.
    QTemporaryDir base;
    QString dir = base.path();
    for (int i = 0; i < 15; ++i)
        dir += QLatin1Char('/') + QString(200, QLatin1Char('e'));
    QVERIFY(QDir().mkpath(dir));
    const QString file = dir + QStringLiteral("/board.dts");
    QVERIFY(QFile::copy(test::sourceDir() + QStringLiteral("/tests/data/rules/rm_overlap.dts"), file));
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file });
    removeTree(base.path());
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QLatin1String("error [rm_overlap]")), qPrintable(r.describe()));
}

void TestHostile::hundredThousandRegionsDtb()
{
    const QByteArray blob = regionsDtb(100000, false);
    QVERIFY(!blob.isEmpty());
    const QString file = m_dir.filePath(QStringLiteral("100k.dtb"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(blob);
    f.close();
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(60000);
    limits.memoryBytes = 3ll << 30;
    const test::CliRun c = test::runCli({ QStringLiteral("check"), file }, limits);
    QVERIFY2(test::cleanRun(c) && c.status == 0, qPrintable(c.describe()));
    QVERIFY2(c.out.contains(QLatin1String("100k.dtb: 0 errors")), qPrintable(c.describe()));
    // On 6.1 the kernel's table holds 64 regions: the rest are not registered, each one said.
    const test::CliRun old = test::runCli(
        { QStringLiteral("check"), file, QStringLiteral("--profile"), QStringLiteral("debian-6.1-arm64") }, limits);
    QVERIFY2(test::cleanRun(old) && old.status == 1, qPrintable(old.describe()));
    QVERIFY2(old.out.count(QLatin1String("error [rm_max_regions]")) == 100000 - 64, qPrintable(old.err));
    const test::CliRun l
        = test::runCli({ QStringLiteral("layout"), file, QStringLiteral("--format"), QStringLiteral("json") }, limits);
    QVERIFY2(test::cleanRun(l) && l.status == 0, qPrintable(l.describe()));
    const QJsonDocument doc = QJsonDocument::fromJson(l.out.toUtf8());
    QCOMPARE(doc.object().value(QLatin1String("regions")).toArray().size(), 100000);
    qInfo("100,000 regions: check %lld ms, check on 6.1 %lld ms, layout json %lld ms", c.ms, old.ms, l.ms);
    // Linear work: well under a second here; the all-pairs overlap checks took 26 s.
    QVERIFY2(c.ms < budgetMs(10000) && old.ms < budgetMs(10000) && l.ms < budgetMs(15000), qPrintable(c.describe()));
}

void TestHostile::hundredThousandRegionsAtOneAddress()
{
    const QString file = m_dir.filePath(QStringLiteral("100k-same.dtb"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(regionsDtb(100000, true));
    f.close();
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(60000);
    limits.memoryBytes = 3ll << 30;
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file }, limits);
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    // 5 * 10^9 overlapping pairs: the kernel's (adjacent) ones and a bounded list of the others.
    QVERIFY2(r.out.contains(QLatin1String("only the first 10000 are listed")), qPrintable(r.err));
    QVERIFY(r.out.count(QLatin1String("error [rm_overlap_hidden]")) <= 10001);
    // Linear, not quadratic, in the number of regions: against a tenth of them checked in the same
    // run (a wall-clock budget failed on a loaded machine), 10x the regions must cost well under
    // the 100x of the all-pairs checks; the constant covers start-up, which weighs more at 10,000.
    const QString tenth = m_dir.filePath(QStringLiteral("10k-same.dtb"));
    QFile t(tenth);
    QVERIFY(t.open(QIODevice::WriteOnly));
    t.write(regionsDtb(10000, true));
    t.close();
    const test::CliRun small = test::runCli({ QStringLiteral("check"), tenth }, limits);
    QVERIFY2(test::cleanRun(small) && small.status == 1, qPrintable(small.describe()));
    qInfo("regions at one address: 100,000 in %lld ms, 10,000 in %lld ms", r.ms, small.ms);
    QVERIFY2(r.ms < 30 * std::max<qint64>(small.ms, 50), qPrintable(r.describe()));
}

void TestHostile::hundredThousandRegionsSource()
{
    // As source, in one block: beyond what dtc 1.6.1's parser holds, said at once.
    QByteArray one = "/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\treserved-memory {\n"
                     "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n\t\tranges;\n";
    QByteArray split = "/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\treserved-memory {\n"
                       "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n\t\tranges;\n\t};\n};\n";
    for (int i = 0; i < 100000; ++i) {
        const uint64_t base = 0x80000000ull + uint64_t(i) * 0x10000;
        const QByteArray node = "\t\tregion@" + QByteArray::number(base, 16) + " { reg = <0x0 0x"
            + QByteArray::number(base, 16) + " 0x0 0x10000>; no-map; };\n";
        one += node;
        if (i % 5000 == 0)
            split += "/ { reserved-memory {\n";
        split += node;
        if (i % 5000 == 4999)
            split += "}; };\n";
    }
    one += "\t};\n};\n";
    QTemporaryDir dir;
    const QString oneFile = test::writeFile(dir, QStringLiteral("100k.dts"), one);
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(60000);
    const test::CliRun r = test::runCli({ QStringLiteral("check"), oneFile }, limits);
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QLatin1String("100k.dts:")) && r.err.contains(QLatin1String("memory exhausted"))
            && r.err.contains(QLatin1String("split the block")),
        qPrintable(r.describe()));
    // Split into blocks of 5,000, dtc needs minutes (its merges are quadratic): --timeout stops
    // it, and the message says what to do.
    const QString splitFile = test::writeFile(dir, QStringLiteral("100k-split.dts"), split);
    const test::CliRun s = test::runCli(
        { QStringLiteral("check"), splitFile, QStringLiteral("--timeout"), QStringLiteral("3") }, limits);
    QVERIFY2(test::cleanRun(s) && s.status == 2, qPrintable(s.describe()));
    QVERIFY2(s.err.contains(QLatin1String("did not finish within 3 s")) && s.err.contains(QLatin1String(".dtb")),
        qPrintable(s.describe()));
    QVERIFY2(s.ms < budgetMs(20000), qPrintable(s.describe()));
}

void TestHostile::deepNesting()
{
    // 10,000 nested nodes in a DTB (libfdt walks them without recursion, and so must we).
    const int depth = 10000;
    const QByteArray blob = buildDtb(size_t(depth) * 32 + 4096, [&](void* fdt) {
        for (int i = 0; i < depth; ++i)
            fdt_begin_node(fdt, "n");
        for (int i = 0; i < depth; ++i)
            fdt_end_node(fdt);
    });
    QVERIFY(!blob.isEmpty());
    const QString file = m_dir.filePath(QStringLiteral("deep.dtb"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(blob);
    f.close();
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(30000);
    const test::CliRun r = test::runCli({ QStringLiteral("check"), file }, limits);
    QVERIFY2(test::cleanRun(r) && (r.status == 0 || r.status == 1), qPrintable(r.describe()));
    // As source: dtc's parser gives up; the message says why.
    QByteArray dts = "/dts-v1/;\n/ {\n";
    for (int i = 0; i < 5000; ++i)
        dts += "n {\n";
    for (int i = 0; i < 5000; ++i)
        dts += "};\n";
    dts += "};\n";
    QTemporaryDir dir;
    const test::CliRun s
        = test::runCli({ QStringLiteral("check"), test::writeFile(dir, QStringLiteral("deep.dts"), dts) }, limits);
    QVERIFY2(test::cleanRun(s) && s.status == 2, qPrintable(s.describe()));
    QVERIFY2(s.err.contains(QLatin1String("nested")), qPrintable(s.describe()));
}

void TestHostile::hostileEditScripts_data()
{
    QTest::addColumn<QByteArray>("script"); // "FIFO", "ZERO" or the text
    QTest::addColumn<QString>("mustMention");
    QByteArray deep(100000, '[');
    QTest::addRow("JSON nested 100,000 deep") << deep << QStringLiteral("not valid JSON");
    QTest::addRow("not a list") << QByteArray("{\"op\": \"move\"}") << QStringLiteral("JSON list");
    QTest::addRow("size past 2^64") << QByteArray(
        R"([{"op": "resize", "node": "/reserved-memory/adsp@94000000", "size": "0x10000000000000000"}])")
                                    << QStringLiteral("not a number");
    QTest::addRow("size 16E") << QByteArray(
        R"([{"op": "resize", "node": "/reserved-memory/adsp@94000000", "size": "16384P"}])")
                              << QStringLiteral("not a number");
    QTest::addRow("size -1") << QByteArray(
        R"([{"op": "resize", "node": "/reserved-memory/adsp@94000000", "size": -1}])")
                             << QStringLiteral("not a number");
    QTest::addRow("size 1e300") << QByteArray(
        R"([{"op": "resize", "node": "/reserved-memory/adsp@94000000", "size": 1e300}])")
                                << QStringLiteral("not a number");
    QTest::addRow("a FIFO") << QByteArray("FIFO") << QStringLiteral("not a regular file");
    QTest::addRow("/dev/zero") << QByteArray("ZERO") << QStringLiteral("not a regular file");
    QTest::addRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << QStringLiteral("not valid JSON");
}

void TestHostile::hostileEditScripts()
{
    QFETCH(QByteArray, script);
    QFETCH(QString, mustMention);
    QTemporaryDir dir;
    for (const auto& name : QDir(test::samplesDir() + QStringLiteral("/broken")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/broken/") + name, dir.filePath(name));
    const QString board = dir.filePath(QStringLiteral("brk1-board.dts"));
    const QByteArray before = readFile(board);
    const QString scriptFile = dir.filePath(QStringLiteral("edits.json"));
    if (script == "FIFO")
        QCOMPARE(::mkfifo(QFile::encodeName(scriptFile).constData(), 0644), 0);
    else if (script == "ZERO")
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), scriptFile));
    else
        test::writeFile(dir, QStringLiteral("edits.json"), script);
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(30000);
    limits.memoryBytes = 1ll << 30;
    const test::CliRun r = test::runCli(
        { QStringLiteral("edit"), board, QStringLiteral("--script"), scriptFile, QStringLiteral("--in-place") },
        limits);
    QVERIFY2(test::cleanRun(r) && r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QLatin1String("nothing was written")), qPrintable(r.describe()));
    if (!mustMention.isEmpty())
        QVERIFY2(r.err.contains(mustMention), qPrintable(r.describe()));
    QCOMPARE(readFile(board), before);
}

void TestHostile::editPastTheTop()
{
    // An edit script may ask for a region that runs past 2^64: it is applied as asked (the user
    // wrote it), and check then says what is wrong with the result.
    QTemporaryDir dir;
    for (const auto& name : QDir(test::samplesDir() + QStringLiteral("/broken")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/broken/") + name, dir.filePath(name));
    const QString board = dir.filePath(QStringLiteral("brk1-board.dts"));
    const QString script = test::writeFile(dir, QStringLiteral("edits.json"),
        R"([{"op": "move", "node": "/reserved-memory/adsp@94000000", "base": "0xffffffffffff0000"}])");
    const test::CliRun r = test::runCli(
        { QStringLiteral("edit"), board, QStringLiteral("--script"), script, QStringLiteral("--in-place") });
    QVERIFY2(test::cleanRun(r) && r.status == 0, qPrintable(r.describe()));
    const test::CliRun c = test::runCli({ QStringLiteral("check"), board });
    QVERIFY2(test::cleanRun(c) && c.status == 1, qPrintable(c.describe()));
    QVERIFY2(c.out.contains(QLatin1String("error [rm_range_wraps]: /reserved-memory/adsp@94000000: reg")),
        qPrintable(c.describe()));
}

void TestHostile::absurdOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mustMention");
    QTest::addRow("--memory past 2^64") << QStringList { QStringLiteral("--memory"),
        QStringLiteral("0xffffffffffff0000+0x100000") }
                                        << QStringLiteral("top of the 64-bit");
    QTest::addRow("--reserve past 2^64") << QStringList { QStringLiteral("--reserve"),
        QStringLiteral("k@0xffffffffffff0000+0x100000") }
                                         << QStringLiteral("top of the 64-bit");
    QTest::addRow("--config CMA_AREAS huge")
        << QStringList { QStringLiteral("--config"), QStringLiteral("CMA_AREAS=99999999999") }
        << QStringLiteral("1 to 1024");
    QTest::addRow("--kernel 2^32") << QStringList { QStringLiteral("--kernel"), QStringLiteral("4294967296.1") }
                                   << QStringLiteral("--kernel");
    QTest::addRow("--page-size 3K") << QStringList { QStringLiteral("--page-size"), QStringLiteral("3K") }
                                    << QStringLiteral("4K, 16K or 64K");
    QTest::addRow("--timeout 0") << QStringList { QStringLiteral("--timeout"), QStringLiteral("0") }
                                 << QStringLiteral("--timeout");
    QTest::addRow("--timeout nan") << QStringList { QStringLiteral("--timeout"), QStringLiteral("nan") }
                                   << QStringLiteral("--timeout");
    QTest::addRow("cma= past 2^64") << QStringList { QStringLiteral("--cmdline"),
        QStringLiteral("cma=0xffffffffffffffff@0xffffffffffffffff") }
                                    << QString();
    QTest::addRow("cma=16E") << QStringList { QStringLiteral("--cmdline"), QStringLiteral("cma=16E") } << QString();
    QTest::addRow("-I to a missing folder")
        << QStringList { QStringLiteral("-I"), QStringLiteral("/nonexistent") } << QString();
}

void TestHostile::absurdOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mustMention);
    const QString board = test::sourceDir() + QStringLiteral("/tests/data/rules/clean-arm64.dts");
    const test::CliRun r = test::runCli(QStringList { QStringLiteral("check"), board } + args);
    QVERIFY2(test::cleanRun(r), qPrintable(r.describe()));
    if (mustMention.isEmpty()) {
        QVERIFY2(r.status == 0 || r.status == 1, qPrintable(r.describe())); // an answer
    } else {
        QVERIFY2(r.status == 2 && r.err.contains(mustMention), qPrintable(r.describe()));
    }
}

void TestHostile::largeDiffIsBounded()
{
    // A 30,000-line file edited at both ends: the old LCS table would need 3.6 GB.
    QByteArray before, after;
    for (int i = 0; i < 30000; ++i) {
        const QByteArray line = "\tline" + QByteArray::number(i) + " = <" + QByteArray::number(i) + ">;\n";
        before += line;
        after += (i == 3 || i == 29990) ? "\tchanged" + QByteArray::number(i) + ";\n" : line;
    }
    after += "/* added */\n";
    QElapsedTimer t;
    t.start();
    const QByteArray diff = unifiedDiff(QStringLiteral("big.dtsi"), before, after);
    QVERIFY2(t.elapsed() < budgetMs(5000), qPrintable(QString::number(t.elapsed())));
    QCOMPARE(diff.count("\n-"), 2);
    QCOMPARE(diff.count("\n+") - 1, 3); // "+++ " counts once
    // Apply it with patch(1): the result must be the new text.
    QTemporaryDir dir;
    test::writeFile(dir, QStringLiteral("big.dtsi"), before);
    test::writeFile(dir, QStringLiteral("d.patch"), diff);
    QProcess patch;
    patch.setWorkingDirectory(dir.path());
    patch.start(QStringLiteral("patch"),
        { QStringLiteral("-p1"), QStringLiteral("-s"), QStringLiteral("-i"), QStringLiteral("d.patch") });
    if (!patch.waitForStarted(5000))
        QSKIP("patch(1) is not installed");
    QVERIFY(patch.waitForFinished(30000));
    QCOMPARE(patch.exitCode(), 0);
    QCOMPARE(readFile(dir.filePath(QStringLiteral("big.dtsi"))), after);
    // Everything different: bounded too (shown replaced as a whole).
    QByteArray other;
    for (int i = 0; i < 30000; ++i)
        other += "x" + QByteArray::number(i) + "\n";
    t.restart();
    const QByteArray all = unifiedDiff(QStringLiteral("big.dtsi"), before, other);
    QVERIFY2(t.elapsed() < budgetMs(5000), qPrintable(QString::number(t.elapsed())));
    QCOMPARE(all.count("\n-"), 30000);
}

void TestHostile::noCoreApplicationNoEventLoop()
{
    // loadBoard from a thread Qt did not start and without an event loop: it used to spin in
    // QEventLoop::exec() forever when no dispatcher ran (found by fuzz_editscript's init).
    // fuzz_editscript_replay runs it without a QCoreApplication; here a plain std::thread.
    LoadResult result;
    std::thread worker([&] { result = loadBoard(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts")); });
    worker.join();
    QVERIFY(result.ok);
}

void TestHostile::hostileWorkloads_data()
{
    // Each workload must end with exit 2 and a sentence naming the file and the place (line:column
    // or the step path), or with the correct answer (status 0 and the summary it must print).
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mustMention");
    auto refused = [](const char* name, const QByteArray& json, const char* mention) {
        QTest::addRow("%s", name) << json << 2 << QString::fromUtf8(mention);
    };
    auto alloc = [](const QByteArray& size) { return ispWorkload(R"({ "alloc": "isp", "size": )" + size + " }"); };
    refused("size 0", alloc("0"), "steps[0].size: a size of 0 allocates nothing");
    refused("size -5", alloc("-5"), "steps[0].size: -5 is not a size");
    refused("size '-5'", alloc(R"("-5")"), "steps[0].size: '-5' is not a size");
    refused("size 2^64", alloc(R"("18446744073709551616")"), "steps[0].size: '18446744073709551616' is not a size");
    refused("size 0x1 followed by 16 zeros", alloc(R"("0x10000000000000000")"), "is not a size");
    refused("size 99999999999999999999G", alloc(R"("99999999999999999999G")"), "is not a size");
    refused("size 2^64 as a JSON number", alloc("18446744073709551616"),
        "steps[0].size: 18446744073709552000 is not a size");
    refused("size 1e400", alloc("1e400"), "w.json:1:75: illegal number");
    refused("size 4096.5", alloc("4096.5"), "steps[0].size: 4096.5 is not a size");
    refused("size NaN", alloc("NaN"), "w.json:1:70: illegal number");
    refused("size 'NaN'", alloc(R"("NaN")"), "steps[0].size: 'NaN' is not a size");
    refused("size '1e3'", alloc(R"("1e3")"), "steps[0].size: '1e3' is not a size");
    refused("size 'twelve M'", alloc(R"("twelve M")"), "steps[0].size: 'twelve M' is not a size");
    refused("size true", alloc("true"), "steps[0].size: true is not a size");
    refused("size null", alloc("null"), "steps[0].size: null is not a size");
    refused("size {}", alloc("{}"), "steps[0].size: an object is not a size");
    refused("size past 256 TiB", alloc(R"("0x1000000000001")"), "beyond any physical memory");
    refused("size missing", ispWorkload(R"({ "alloc": "isp" })"), "steps[0].size: missing");
    refused("repeat 1e30", ispWorkload(R"({ "repeat": 1e30, "steps": [ { "alloc": "isp", "size": 1 } ] })"),
        "steps[0].repeat: 1e+30 is not a whole number from 1 to 10000000");
    refused("repeat -1", ispWorkload(R"({ "repeat": -1, "steps": [] })"), "steps[0].repeat: -1 is not a whole number");
    refused("repeat '5'", ispWorkload(R"({ "repeat": "5", "steps": [] })"), "steps[0].repeat: '5' is not a whole");
    refused("repeat 10^7 of repeat 10^7",
        ispWorkload(R"({ "repeat": 10000000, "steps": [ { "repeat": 10000000, "steps": [
            { "alloc": "isp", "size": 4096 } ] } ] })"),
        "steps[0]: the workload expands to more than 10000000 operations by this step");
    refused("10,000,001 operations", ispWorkload(R"({ "alloc": "isp", "size": 1 }, { "repeat": 5000000, "steps": [
            { "alloc": "isp", "size": 1, "as": "a" }, { "free": "a" } ] })"),
        "steps[1]: the workload expands to more than 10000000 operations by this step");
    refused("churn of 10^7 (2 * 10^7 operations)",
        ispWorkload(R"({ "churn": { "device": "isp", "count": 10000000, "size": { "min": "4K", "max": "8K" } } })"),
        "steps[0]: the workload expands to more than 10000000 operations");
    refused("churn count 0",
        ispWorkload(R"({ "churn": { "device": "isp", "count": 0, "size": { "min": "4K", "max": "8K" } } })"),
        "steps[0].churn.count: 0 is not a whole number from 1");
    refused("churn max below min",
        ispWorkload(R"({ "churn": { "device": "isp", "count": 5, "size": { "min": "8M", "max": "4K" } } })"),
        "steps[0].churn.size: max is smaller than min");
    refused("churn lifetime max below min",
        ispWorkload(R"({ "churn": { "device": "isp", "count": 5, "size": { "min": "4K", "max": "8K" },
            "lifetime": { "min": 9, "max": 3 } } })"),
        "steps[0].churn.lifetime: max is smaller than min");
    refused("churn choice of nothing",
        ispWorkload(R"({ "churn": { "device": "isp", "count": 5, "size": { "dist": "choice", "values": [] } } })"),
        "steps[0].churn.size.values: give at least one size");
    refused("churn dist 7", ispWorkload(R"({ "churn": { "device": "isp", "count": 5, "size": { "dist": 7 } } })"),
        "steps[0].churn.size.dist: 7 is not a distribution");
    refused("65 nested repeats", ispWorkload(nestedRepeats(65, R"({ "alloc": "isp", "size": 1 })")),
        "nest more than 64 deep here; flatten them");
    refused("JSON nested 100,000 deep", QByteArray(100000, '['), "1:1026: too deeply nested document");
    refused("binary junk", QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "w.json:1:2: illegal value");
    refused("not UTF-8 in a name", ispWorkload("{ \"alloc\": \"isp\", \"size\": 1, \"as\": \"\xff\xfe\" }"),
        "invalid UTF8 string");
    refused("a list, not an object", "[ { \"alloc\": \"isp\" } ]", "must be a JSON object");
    refused("no devices", R"({ "steps": [] })", "devices: name at least one device");
    refused("device given as a number", R"({ "devices": { "isp": 7 }, "steps": [] })",
        "devices.isp: give the device's node path");
    refused("unknown device in a step", ispWorkload(R"({ "alloc": "gpu", "size": 1 })"),
        R"(steps[0].alloc: unknown device 'gpu' (the "devices" object names: isp))");
    refused("device not on the board", R"({ "devices": { "x": "&nosuch" }, "steps": [] })",
        "workload device 'x': &nosuch is not a node of");
    refused("memory_region index past the node's entries",
        R"({ "devices": { "isp": { "node": "&isp", "memory_region": 5 } }, "steps": [] })",
        "workload device 'isp': memory_region 5, but /soc/isp@ac00000 has only these memory-region entries: 0");
    refused("memory_region name the node does not have",
        R"({ "devices": { "isp": { "node": "&isp", "memory_region": "frames" } }, "steps": [] })",
        "memory_region 'frames', but /soc/isp@ac00000 has no memory-region-names");
    refused("memory_region on a node without memory-region",
        R"({ "devices": { "gpu": { "node": "&gpu", "memory_region": 1 } }, "steps": [] })",
        "/soc/gpu@3d00000 has no memory-region entries");
    refused("memory_region -1", R"({ "devices": { "isp": { "node": "&isp", "memory_region": -1 } }, "steps": [] })",
        "devices.isp.memory_region: -1 is neither an index");
    refused("memory_region 1.5", R"({ "devices": { "isp": { "node": "&isp", "memory_region": 1.5 } }, "steps": [] })",
        "devices.isp.memory_region: 1.5 is neither an index");
    refused("iommu 'yes'", R"({ "devices": { "isp": { "node": "&isp", "iommu": "yes" } }, "steps": [] })",
        "devices.isp.iommu: 'yes' is not true or false");
    refused("cma_area 7", R"({ "devices": { "isp": { "node": "&isp", "cma_area": 7 } }, "steps": [] })",
        "devices.isp.cma_area: 7 is not the name of a CMA area");
    refused("cma_area the boot did not make",
        R"({ "devices": { "h": { "node": "/", "cma_area": "hugetlb0" } }, "steps": [] })",
        "workload device 'h': cma_area 'hugetlb0' is not a CMA area this boot made (the command line makes none");
    refused("atomic 1", ispWorkload(R"({ "alloc": "isp", "size": 1, "atomic": 1 })"),
        "steps[0].atomic: 1 is not true or false");
    refused("align_order 31", ispWorkload(R"({ "alloc": "isp", "size": 1, "api": "cma_alloc", "align_order": 31 })"),
        "steps[0].align_order: an alignment order above 30");
    refused("api kmalloc", ispWorkload(R"({ "alloc": "isp", "size": 1, "api": "kmalloc" })"),
        "steps[0].api: 'kmalloc' is not an API");
    refused("seed 'abc'", R"({ "seed": "abc", "devices": { "isp": "&isp" }, "steps": [] })", "seed: 'abc' is not");
    refused("seed 1e300", R"({ "seed": 1e300, "devices": { "isp": "&isp" }, "steps": [] })", "seed: 1e+300 is not");
    refused("free of nothing", ispWorkload(R"({ "free": "frame" })"), "steps[0]: free of 'frame', which is not");
    refused("name in use in the second round",
        ispWorkload(R"({ "repeat": 3, "steps": [ { "alloc": "isp", "size": 1, "as": "a" } ] })"),
        "steps[0].steps[0].as: 'a' is still allocated");
    refused("unknown step", ispWorkload(R"({ "sleep": 5 })"), "steps[0]: unknown step");
    refused("steps not a list", R"({ "devices": { "isp": "&isp" }, "steps": 5 })", "steps: expected an array");

    // Busy ranges (pinned pages, docs/workloads.md).
    auto busy = [](const QByteArray& ranges) -> QByteArray {
        return R"({ "devices": { "isp": "&isp" }, "busy": )" + ranges
            + R"(, "steps": [ { "alloc": "isp", "size": "32K" } ] })";
    };
    refused("busy not a list", busy(R"("0x90000000")"), "busy: expected an array");
    refused("busy range a number", busy("[ 5 ]"), "busy[0]: a range is an object");
    refused("busy base -1", busy(R"([ { "base": -1, "size": "4K" } ])"), "busy[0].base: -1 is not a physical address");
    refused("busy base 2^64", busy(R"([ { "base": "0x10000000000000000", "size": "4K" } ])"),
        "busy[0].base: '0x10000000000000000' is not a physical address");
    refused("busy base missing", busy(R"([ { "size": "4K" } ])"), "busy[0].base: nothing is not a physical");
    refused("busy size 0", busy(R"([ { "base": "0x90000000", "size": 0 } ])"), "busy[0].size: 0 is not a size");
    refused("busy size 'NaN'", busy(R"([ { "base": "0x90000000", "size": "NaN" } ])"), "busy[0].size: 'NaN'");
    refused("busy past 256 TiB", busy(R"([ { "base": "0xfffffffff000", "size": "8K" } ])"),
        "busy[0].size: '8K' is not a size of at least one byte that ends below 256 TiB");
    refused("busy from 1e30", busy(R"([ { "base": "0x90000000", "size": "4K", "from": 1e30 } ])"),
        "busy[0].from: 1e+30 is not an operation index");
    refused("busy to -1", busy(R"([ { "base": "0x90000000", "size": "4K", "to": -1 } ])"),
        "busy[0].to: -1 is not an operation index");
    refused("busy to before from", busy(R"([ { "base": "0x90000000", "size": "4K", "from": 9, "to": 3 } ])"),
        "busy[0].to: 3 is not after from (9)");
    {
        QByteArray many = "[";
        for (int i = 0; i <= 10000; ++i)
            many += (i ? ", " : "") + QByteArray(R"({ "base": 0, "size": 1 })");
        refused("10,001 busy ranges", busy(many + "]"), "busy: 10001 ranges; at most 10000");
    }
    QTest::addRow("busy over the whole area") << busy(R"([ { "base": "0x90000000", "size": "128M" } ])") << 1
                                              << QStringLiteral("holds busy pages (pinned or unmovable");
    {
        // Every fourth page of camera-cma pinned (the last 1,808 ranges lie past its end): each
        // 32 KiB candidate (8 pages, order 3) holds two, so each of 200 allocations is refused
        // at all 4,096 candidates, as the kernel would refuse them: a bounded answer.
        QByteArray pins = "[";
        for (int i = 0; i < 10000; ++i)
            pins += (i ? ", " : "")
                + QStringLiteral(R"({ "base": "0x%1", "size": "4K" })")
                      .arg(0x90000000ULL + uint64_t(i) * 4 * 4096, 0, 16)
                      .toLatin1();
        pins += "]";
        QTest::addRow("10,000 pinned pages refuse 200 x 4,096 candidates")
            << QByteArray(R"({ "devices": { "isp": "&isp" }, "busy": )" + pins
                   + R"(, "steps": [ { "repeat": 200, "steps": [ { "alloc": "isp", "size": "32K" } ] } ] })")
            << 1 << QStringLiteral("200 allocations, 0 frees: 0 failed, 200 fell back");
    }

    // Correct answers, quickly: nothing to do is nothing to do, however often.
    QTest::addRow("repeat 10^7 of repeat 10^7 of nothing")
        << ispWorkload(R"({ "repeat": 10000000, "steps": [ { "repeat": 10000000, "steps": [] } ] })") << 0
        << QStringLiteral("0 allocations, 0 frees: 0 failed");
    QTest::addRow("repeat 10^7 of an empty phase")
        << ispWorkload(R"({ "repeat": 10000000, "steps": [ { "phase": "idle", "steps": [] } ] })") << 0
        << QStringLiteral("0 allocations, 0 frees: 0 failed");
    QTest::addRow("64 nested repeats") << ispWorkload(
        nestedRepeats(64, R"({ "alloc": "isp", "size": "1M", "as": "a" }, { "free": "a" })"))
                                       << 0 << QStringLiteral("1 allocations, 1 frees: 0 failed");
    QTest::addRow("size 256 TiB") << ispWorkload(R"({ "alloc": "isp", "size": "0x1000000000000" })") << 1
                                  << QStringLiteral("is larger than all of /reserved-memory/camera-cma@90000000");
}

void TestHostile::hostileWorkloads()
{
    QFETCH(QByteArray, json);
    QFETCH(int, status);
    QFETCH(QString, mustMention);
    QTemporaryDir dir;
    const test::CliRun r = simulateJson(dir, json, { QStringLiteral("--ops"), QStringLiteral("failures") });
    const QString workload = dir.filePath(QStringLiteral("w.json"));
    QVERIFY2(test::cleanRun(r) && r.status == status, qPrintable(r.describe()));
    if (status == 2) {
        QVERIFY2(r.err.startsWith(workload), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(mustMention), qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    } else {
        QVERIFY2(r.out.contains(mustMention), qPrintable(r.describe()));
    }
}

void TestHostile::workloadOfTenMillionOperations()
{
    // The most a workload may expand to: an answer, in bounded time and memory.
    const qint64 pairs = scaled(5000000);
    QTemporaryDir dir;
    const QString workload = test::writeFile(dir, QStringLiteral("w.json"),
        ispWorkload(R"({ "repeat": )" + QByteArray::number(pairs)
            + R"(, "steps": [ { "alloc": "isp", "size": "1M", "as": "a" }, { "free": "a" } ] })"));
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(40000);
    const test::CliRun r = simulate(workload, {}, limits);
    QVERIFY2(test::cleanRun(r) && r.status == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QStringLiteral("(%1 operations, 1 devices)").arg(2 * pairs))
            && r.out.contains(QStringLiteral("%1 allocations, %1 frees: 0 failed").arg(pairs)),
        qPrintable(r.describe()));
}

void TestHostile::workloadOfFiftyMegabytes()
{
    // A trace written out step by step, near the 64 MiB a workload file may have: 1,000,000
    // allocations of 4 KiB to 400 KiB, each named, half of them freed.
    const qint64 allocs = scaled(1000000);
    QByteArray json = R"({ "devices": { "isp": "&isp" }, "steps": [)";
    json.reserve(qsizetype(allocs * 60));
    for (qint64 i = 0; i < allocs; ++i) {
        json += "\n  { \"alloc\": \"isp\", \"size\": " + QByteArray::number(4096 * (i % 100 + 1)) + ", \"as\": \"b"
            + QByteArray::number(i) + "\" },";
        if (i % 2)
            json += " { \"free\": \"b" + QByteArray::number(i) + "\" },";
    }
    json.chop(1);
    json += "\n] }\n";
    QVERIFY(json.size() > scaled(50 << 20) && json.size() < 64 << 20);
    QTemporaryDir dir;
    const QString workload = test::writeFile(dir, QStringLiteral("w.json"), json);
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(40000);
    const test::CliRun r = simulate(workload, { QStringLiteral("--ops"), QStringLiteral("none") }, limits);
    // Half the buffers stay: the ISP's 128 MiB CMA area fills up and later allocations fall back
    // to the page allocator, which is the answer (exit 1).
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(QStringLiteral("(%1 operations, 1 devices)").arg(allocs + allocs / 2))
            && r.out.contains(QStringLiteral("%1 allocations, ").arg(allocs))
            && r.out.contains(QLatin1String("fell back")),
        qPrintable(r.describe()));
}

void TestHostile::workloadJsonReportIsStreamed()
{
    // 2,000,000 failed allocations listed in JSON: about 600 MB of output. Built in memory, the
    // report took six times that; written as it is made, the run stays under 1 GiB.
    const qint64 allocs = scaled(2000000);
    QTemporaryDir dir;
    const QString workload = test::writeFile(dir, QStringLiteral("w.json"),
        ispWorkload(
            R"({ "repeat": )" + QByteArray::number(allocs) + R"(, "steps": [ { "alloc": "isp", "size": "1G" } ] })"));
    const QString report = dir.filePath(QStringLiteral("report.json"));
    test::CliLimits limits;
    limits.timeoutMs = budgetMs(60000);
    limits.memoryBytes = 1ll << 30;
    limits.stdoutFile = report;
    const test::CliRun r = simulate(workload,
        { QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--ops"), QStringLiteral("failures") },
        limits);
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY2(f.size() > scaled(500ll << 20), qPrintable(QString::number(f.size())));
    // Whole: the last operation listed, then the summary and the final brace.
    QVERIFY(f.seek(f.size() - 4096));
    const QByteArray tail = f.read(4096);
    QVERIFY2(tail.endsWith("}\n") && tail.contains(QByteArray("\"step\": " + QByteArray::number(allocs - 1) + ","))
            && tail.contains(QByteArray("\"failures\": " + QByteArray::number(allocs))),
        tail.constData());
    QVERIFY(f.seek(f.size() / 2));
    QVERIFY(f.read(4096).contains("larger than all of /reserved-memory/camera-cma@90000000"));
}

void TestHostile::workloadMinSizeIsBounded_data()
{
    // --min-size grows a pool until the workload fits: a workload no size serves must end with a
    // sentence, not with a pool of a terabyte in memory (a restricted pool of 1 TiB took 4 GB).
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pool");
    QTest::addColumn<QString>("mustMention");
    QTest::addRow("restricted pool asked for 300 KiB at once")
        << QByteArray(R"({ "devices": { "w": "&wifi" }, "steps": [ { "alloc": "w", "size": "300K" } ] })")
        << QStringLiteral("&wifi_swiotlb")
        << QStringLiteral("step 0 asks /reserved-memory/wifi-swiotlb@a6000000 for 300 KiB at once, more than a "
                          "restricted pool hands out");
    QTest::addRow("restricted pool asked for 20 GiB in 256 KiB pieces")
        << QByteArray(R"({ "devices": { "w": "&wifi" }, "steps": [ { "repeat": 81920, "steps": [
                         { "alloc": "w", "size": "256K" } ] } ] })")
        << QStringLiteral("&wifi_swiotlb") << QStringLiteral("the workload fails even with 16 GiB");
    QTest::addRow("CMA aligned to 4 TiB")
        << QByteArray(R"({ "devices": { "isp": "&isp" }, "steps": [
               { "alloc": "isp", "size": "4K", "api": "cma_alloc", "align_order": 30 },
               { "alloc": "isp", "size": "4K", "api": "cma_alloc", "align_order": 30 } ] })")
        << QStringLiteral("&camera_cma") << QStringLiteral("the workload fails even with 1 TiB");
    QTest::addRow("coherent pool asked for 256 TiB")
        << QByteArray(R"({ "devices": { "v": "&vpu" }, "steps": [ { "alloc": "v", "size": "0x1000000000000" } ] })")
        << QStringLiteral("&vpu_pool") << QStringLiteral("the workload fails even with 1 TiB");
}

void TestHostile::workloadMinSizeIsBounded()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pool);
    QFETCH(QString, mustMention);
    QTemporaryDir dir;
    const test::CliRun r = simulateJson(
        dir, json, { QStringLiteral("--min-size"), pool, QStringLiteral("--ops"), QStringLiteral("none") });
    // The allocations fail on the board as it is (exit 1); the smallest-size search says why no
    // size helps.
    QVERIFY2(test::cleanRun(r) && r.status == 1, qPrintable(r.describe()));
    QVERIFY2(
        r.out.contains(QLatin1String("Smallest size of")) && r.out.contains(mustMention), qPrintable(r.describe()));
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
