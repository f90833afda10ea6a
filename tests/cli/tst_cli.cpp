// SPDX-License-Identifier: GPL-2.0-only
// carveout-cli as users and CI call it: golden outputs for every sample board (text and
// JSON, from source and from a compiled DTB), exit statuses and the messages on bad input.
// CARVEOUT_UPDATE_GOLDEN=1 rewrites the golden files for review.

// tests
#include "../testutils.h"

// Qt
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

// POSIX
#include <sys/stat.h>

using namespace carveout;

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void golden_data();
    void golden();
    void simulateGolden_data();
    void simulateGolden();
    void catalogGolden_data();
    void catalogGolden();
    void captureCompareGolden_data();
    void captureCompareGolden();
    void variantsGolden_data();
    void variantsGolden();
    void manyBoards();
    void dtbInput();
    void exitStatus_data();
    void exitStatus();
    void editDiffGolden();
    void editInPlace();
    void exportRefusedThenEqualToDtc();
    void overlayOptions();
    void cc1CommandsAreCachedNotTrusted();
};

namespace {

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList& args, const QString& cwd = QString(), const QProcessEnvironment& env = {})
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
    p.start(QStringLiteral(CARVEOUT_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(120000))
        return r;
    r.status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString goldenPath(const QString& name)
{
    return test::sourceDir() + QStringLiteral("/tests/golden/") + name + QStringLiteral(".expected");
}

/** Compares with the golden file; on a mismatch writes NAME.actual to the build folder and
 *  returns `diff -u` of the two. */
QString compareGolden(const QString& name, const QByteArray& actual)
{
    const QString golden = goldenPath(name);
    if (qEnvironmentVariableIntValue("CARVEOUT_UPDATE_GOLDEN") == 1) {
        QFile f(golden);
        if (f.open(QIODevice::WriteOnly))
            f.write(actual);
        return {};
    }
    QFile f(golden);
    const QByteArray expected = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    if (expected == actual)
        return {};
    const QString actualPath
        = QStringLiteral(CARVEOUT_BINARY_DIR) + QStringLiteral("/tests/") + name + QStringLiteral(".actual");
    QFile a(actualPath);
    if (a.open(QIODevice::WriteOnly))
        a.write(actual);
    a.close();
    QProcess diff;
    diff.start(QStringLiteral("diff"), { QStringLiteral("-u"), golden, actualPath });
    diff.waitForFinished();
    return QStringLiteral("output differs from %1 (run with CARVEOUT_UPDATE_GOLDEN=1 to accept):\n%2")
        .arg(golden, QString::fromUtf8(diff.readAllStandardOutput()));
}

QStringList sampleBoards()
{
    QStringList boards;
    QDir samples(test::samplesDir());
    for (const auto& sub : samples.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const auto& f : QDir(samples.filePath(sub)).entryList({ QStringLiteral("*.dts") }))
            boards << sub + QLatin1Char('/') + f;
    }
    return boards;
}

} // namespace

void TestCli::golden_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("board");
    QTest::addColumn<QString>("format");
    if (sampleBoards().isEmpty())
        QTest::addRow("no sample boards") << QString() << QString() << QString();
    for (const auto& b : sampleBoards()) {
        for (const char* fmt : { "text", "json" })
            QTest::addRow("layout %s %s", qPrintable(b), fmt)
                << QStringLiteral("layout") << b << QString::fromLatin1(fmt);
        for (const char* fmt : { "text", "json", "sarif", "codequality" })
            QTest::addRow("check %s %s", qPrintable(b), fmt)
                << QStringLiteral("check") << b << QString::fromLatin1(fmt);
    }
}

void TestCli::golden()
{
    QFETCH(QString, command);
    QFETCH(QString, board);
    QFETCH(QString, format);
    if (board.isEmpty())
        QFAIL("samples/ holds no boards");
    // Run from the sample's folder so the file names in the output are short and stable.
    const QFileInfo fi(test::samplesDir() + QLatin1Char('/') + board);
    const Run r = cli({ command, fi.fileName(), QStringLiteral("--format"), format }, fi.absolutePath());
    // Only the deliberately broken board has error-level findings.
    const int expectedStatus = command == QLatin1String("check") && board.startsWith(QLatin1String("broken/")) ? 1 : 0;
    QVERIFY2(r.status == expectedStatus, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    if (format != QLatin1String("text")) {
        QJsonParseError e;
        QJsonDocument::fromJson(r.out, &e);
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
    }
    if (command == QLatin1String("check") && format == QLatin1String("json")) {
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o.value(QLatin1String("counts")).isObject());
        for (const auto& v : o.value(QLatin1String("findings")).toArray()) {
            for (const char* key : { "rule", "severity", "message", "kernel_message", "node", "file", "line" })
                QVERIFY2(v.toObject().contains(QLatin1String(key)), key);
        }
    }
    if (command == QLatin1String("check") && format == QLatin1String("sarif")) {
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("version")).toString(), QStringLiteral("2.1.0"));
        const QJsonObject run = o.value(QLatin1String("runs")).toArray().at(0).toObject();
        const QJsonArray rules = run.value(QLatin1String("tool"))
                                     .toObject()
                                     .value(QLatin1String("driver"))
                                     .toObject()
                                     .value(QLatin1String("rules"))
                                     .toArray();
        for (const auto& v : run.value(QLatin1String("results")).toArray()) {
            const QJsonObject res = v.toObject();
            const int index = res.value(QLatin1String("ruleIndex")).toInt();
            QCOMPARE(rules.at(index).toObject().value(QLatin1String("id")).toString(),
                res.value(QLatin1String("ruleId")).toString());
            const QJsonObject loc = res.value(QLatin1String("locations"))
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(QLatin1String("physicalLocation"))
                                        .toObject();
            QVERIFY(loc.value(QLatin1String("region")).toObject().value(QLatin1String("startLine")).toInt() > 0);
            QVERIFY(QFile::exists(fi.absolutePath() + QLatin1Char('/')
                + loc.value(QLatin1String("artifactLocation")).toObject().value(QLatin1String("uri")).toString()));
        }
    }
    if (format == QLatin1String("codequality")) {
        // GitLab's documented fields of a Code Quality issue; fingerprints unique in the report.
        const QJsonArray issues = QJsonDocument::fromJson(r.out).array();
        QSet<QString> fingerprints;
        for (const auto& v : issues) {
            const QJsonObject issue = v.toObject();
            QVERIFY(!issue.value(QLatin1String("description")).toString().isEmpty());
            QVERIFY(!issue.value(QLatin1String("check_name")).toString().isEmpty());
            const QString fingerprint = issue.value(QLatin1String("fingerprint")).toString();
            QVERIFY2(!fingerprint.isEmpty() && !fingerprints.contains(fingerprint), qPrintable(fingerprint));
            fingerprints.insert(fingerprint);
            QVERIFY(QStringList({ QStringLiteral("info"), QStringLiteral("minor"), QStringLiteral("major"),
                                    QStringLiteral("critical"), QStringLiteral("blocker") })
                        .contains(issue.value(QLatin1String("severity")).toString()));
            const QJsonObject location = issue.value(QLatin1String("location")).toObject();
            const QString path = location.value(QLatin1String("path")).toString();
            QVERIFY2(
                !path.startsWith(QLatin1String("./")) && QFile::exists(fi.absolutePath() + QLatin1Char('/') + path),
                qPrintable(path));
            QVERIFY(location.value(QLatin1String("lines")).toObject().value(QLatin1String("begin")).toInt() > 0);
        }
        // As many issues as the JSON report has findings.
        const Run json
            = cli({ command, fi.fileName(), QStringLiteral("--format"), QStringLiteral("json") }, fi.absolutePath());
        QCOMPARE(issues.size(),
            QJsonDocument::fromJson(json.out).object().value(QLatin1String("findings")).toArray().size());
    }
    if (command == QLatin1String("layout") && format == QLatin1String("json")) {
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &e);
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
        // The contract of design.md section 5.
        const QJsonObject o = doc.object();
        for (const char* key : { "file", "profile", "memory", "memreserve", "regions", "consumers" })
            QVERIFY2(o.contains(QLatin1String(key)), key);
        for (const auto& v : o.value(QLatin1String("regions")).toArray()) {
            const QJsonObject reg = v.toObject();
            for (const char* key : { "name", "path", "placement", "base", "size", "compatible", "no_map", "reusable",
                     "cma_default", "status", "kind", "outcome", "source" })
                QVERIFY2(reg.contains(QLatin1String(key)), key);
            QVERIFY(reg.value(QLatin1String("base")).isNull()
                || reg.value(QLatin1String("base")).toString().startsWith(QLatin1String("0x")));
        }
    }
    QString name = board;
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    const QString diff = compareGolden(QStringLiteral("%1_%2.%3").arg(command, name, format), r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestCli::catalogGolden_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("format");
    for (const char* command : { "rules", "profiles" }) {
        for (const char* fmt : { "text", "json" })
            QTest::addRow("%s %s", command, fmt) << QString::fromLatin1(command) << QString::fromLatin1(fmt);
    }
}

void TestCli::catalogGolden()
{
    // The rule registry and the named profiles as the reports print them (core/report/catalogreport.h).
    QFETCH(QString, command);
    QFETCH(QString, format);
    const Run r = cli({ command, QStringLiteral("--format"), format });
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QString diff = compareGolden(QStringLiteral("%1.%2").arg(command, format), r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestCli::captureCompareGolden_data()
{
    // Real captures (tests/data/captures/README.md): one that agrees, one where the bootloader
    // changed /memory, one where it added a region.
    QTest::addColumn<QString>("board");
    QTest::addColumn<QString>("capture");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("status");
    const struct
    {
        const char* board;
        const char* capture;
        int status;
    } rows[] = {
        { "05-dynamic-align.arm64-6.12.dts", "05-dynamic-align.arm64-6.12.bundle", 0 },
        { "05-dynamic-align.arm64-6.12.dts", "05-dynamic-align.arm64-6.12.dmesg.log", 0 },
        { "17-alloc-fail.arm64-6.1.dts", "17-alloc-fail.arm64-6.1.bundle", 0 },
        { "planted-ram-differs.arm64-6.12.dts", "planted-ram-differs.arm64-6.12.bundle", 1 },
        { "05-dynamic-align.arm64-6.12.dts", "planted-extra-region.arm64-6.12.bundle", 1 },
    };
    for (const auto& r : rows)
        for (const char* fmt : { "text", "json" })
            QTest::addRow("%s %s", r.capture, fmt) << QString::fromLatin1(r.board) << QString::fromLatin1(r.capture)
                                                   << QString::fromLatin1(fmt) << r.status;
}

void TestCli::captureCompareGolden()
{
    QFETCH(QString, board);
    QFETCH(QString, capture);
    QFETCH(QString, format);
    QFETCH(int, status);
    const QString dir = test::sourceDir() + QStringLiteral("/tests/data/captures");
    const Run r = cli(
        { QStringLiteral("compare"), board, QStringLiteral("--capture"), capture, QStringLiteral("--format"), format },
        dir);
    QVERIFY2(r.status == status, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    if (format == QLatin1String("json")) {
        QJsonParseError e;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &e).object();
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
        for (const char* key :
            { "board", "capture", "profile", "regions", "unexplained", "tree_differences", "counts" })
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(QLatin1String("counts")).toObject().value(QLatin1String("differ")).toInt() > 0, status == 1);
    }
    const QString diff = compareGolden(QStringLiteral("compare_%1.%2").arg(capture, format), r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestCli::variantsGolden_data()
{
    // diff and matrix as users call them (issue 16): SKU pairs of the corpus, one board under two
    // kernels, a matrix of kernels and page sizes.
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("golden");
    const QString corpus = test::corpusDir() + QStringLiteral("/src/arm64/");
    const QString samples = test::samplesDir();
    for (const char* fmt : { "text", "json" }) {
        const QString f = QString::fromLatin1(fmt);
        QTest::addRow("diff sm8550 qrd hdk %s", fmt)
            << corpus + QStringLiteral("qcom")
            << QStringList { QStringLiteral("diff"), QStringLiteral("sm8550-qrd.dts"), QStringLiteral("sm8550-hdk.dts"),
                   QStringLiteral("--format"), f }
            << 0 << QStringLiteral("diff_sm8550-qrd_sm8550-hdk.") + f;
        QTest::addRow("diff imx8mp evk debix %s", fmt)
            << corpus + QStringLiteral("freescale")
            << QStringList { QStringLiteral("diff"), QStringLiteral("imx8mp-evk.dts"),
                   QStringLiteral("imx8mp-debix-model-a.dts"), QStringLiteral("--format"), f }
            << 1 << QStringLiteral("diff_imx8mp-evk_imx8mp-debix-model-a.") + f;
        QTest::addRow("diff page sizes %s", fmt)
            << samples + QStringLiteral("/broken")
            << QStringList { QStringLiteral("diff"), QStringLiteral("brk1-board.dts"), QStringLiteral("--page-size"),
                   QStringLiteral("4K"), QStringLiteral("--page-size-b"), QStringLiteral("64K"),
                   QStringLiteral("--format"), f }
            << 1 << QStringLiteral("diff_brk1-board_4K_64K.") + f;
    }
    // The overlay stack in the report (issue 18): which overlay added or changed which region.
    const QStringList stack { QStringLiteral("--overlay"), QStringLiteral("ovl-camera.dtso"),
        QStringLiteral("--overlay"), QStringLiteral("ovl-dsp-grow.dtso"), QStringLiteral("--overlay-runtime"),
        QStringLiteral("ovl-runtime-rmem.dtso") };
    for (const char* command : { "layout", "check" })
        for (const char* fmt : { "text", "json" })
            QTest::addRow("%s overlay stack %s", command, fmt)
                << samples + QStringLiteral("/overlays")
                << QStringList { QString::fromLatin1(command), QStringLiteral("ovl-base.dts") } + stack
                    + QStringList { QStringLiteral("--format"), QString::fromLatin1(fmt) }
                << (command == QByteArrayView("check") ? 1 : 0)
                << QStringLiteral("%1_overlays_stack.%2").arg(QLatin1String(command), QLatin1String(fmt));
    for (const char* fmt : { "text", "json", "csv", "html" })
        QTest::addRow("matrix %s", fmt) << samples
                                        << QStringList { QStringLiteral("matrix"),
                                               QStringLiteral("broken/brk1-board.dts"),
                                               QStringLiteral("imx/imx9x-evk.dts"), QStringLiteral("--kernel"),
                                               QStringLiteral("6.1,6.12"), QStringLiteral("--page-size"),
                                               QStringLiteral("4K,64K"), QStringLiteral("--format"),
                                               QString::fromLatin1(fmt) }
                                        << 1 << QStringLiteral("matrix_brk1_imx9x.") + QString::fromLatin1(fmt);
}

void TestCli::variantsGolden()
{
    QFETCH(QString, cwd);
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, golden);
    if (!QFileInfo::exists(cwd))
        QSKIP("the corpus (../shared/corpus) is absent");
    const Run r = cli(args, cwd);
    QVERIFY2(r.status == status, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    if (args.contains(QLatin1String("json"))) {
        QJsonParseError e;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &e).object();
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
        if (args.front() == QLatin1String("diff"))
            for (const char* k : { "a", "b", "regions", "findings", "summary" })
                QVERIFY2(o.contains(QLatin1String(k)), k);
    }
    const QString diff = compareGolden(golden, r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestCli::manyBoards()
{
    // One document for all boards, the worst exit status; a board that cannot be loaded does
    // not hide the others.
    const QStringList boards { QStringLiteral("imx/imx9x-evk.dts"), QStringLiteral("broken/brk1-board.dts"),
        QStringLiteral("sim/sim-board.dts") };
    Run r = cli(QStringList { QStringLiteral("check") } + boards
            + QStringList { QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("-j"),
                QStringLiteral("2") },
        test::samplesDir());
    QCOMPARE(r.status, 1);
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    const QJsonArray list = o.value(QLatin1String("boards")).toArray();
    QCOMPARE(list.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(list.at(i).toObject().value(QLatin1String("file")).toString(), boards.at(i));
        // Each board's object is what `check FILE --format json` gives alone.
        const Run one
            = cli({ QStringLiteral("check"), boards.at(i), QStringLiteral("--format"), QStringLiteral("json") },
                test::samplesDir());
        QCOMPARE(list.at(i).toObject(), QJsonDocument::fromJson(one.out).object());
    }
    QCOMPARE(o.value(QLatin1String("counts")).toObject().value(QLatin1String("boards")).toInt(), 3);

    r = cli(QStringList { QStringLiteral("check") } + boards
            + QStringList { QStringLiteral("--format"), QStringLiteral("sarif") },
        test::samplesDir());
    QCOMPARE(r.status, 1);
    const QJsonArray runs = QJsonDocument::fromJson(r.out).object().value(QLatin1String("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    int results = 0;
    for (const auto& b : boards) {
        const Run one = cli(
            { QStringLiteral("check"), b, QStringLiteral("--format"), QStringLiteral("sarif") }, test::samplesDir());
        results += QJsonDocument::fromJson(one.out)
                       .object()
                       .value(QLatin1String("runs"))
                       .toArray()
                       .at(0)
                       .toObject()
                       .value(QLatin1String("results"))
                       .toArray()
                       .size();
    }
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("results")).toArray().size(), results);

    r = cli({ QStringLiteral("layout"), QStringLiteral("imx/imx9x-evk.dts"), QStringLiteral("nope.dts"),
                QStringLiteral("sim/sim-board.dts") },
        test::samplesDir());
    QCOMPARE(r.status, 2);
    QVERIFY(r.err.contains("nope.dts"));
    QVERIFY(r.out.contains("imx9x-evk.dts") && r.out.contains("sim-board.dts"));
}

void TestCli::simulateGolden_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("minSize");
    const QStringList workloads
        = QDir(test::samplesDir() + QStringLiteral("/sim")).entryList({ QStringLiteral("*.json") });
    if (workloads.isEmpty())
        QTest::addRow("no sample workloads") << QString() << QString() << QString();
    for (const QString& w : workloads) {
        const QString pool = w.startsWith(QLatin1String("camera")) ? QStringLiteral("&camera_cma")
            : w.startsWith(QLatin1String("video"))                 ? QStringLiteral("vpu-pool@a2000000")
            : w.startsWith(QLatin1String("fragmentation"))         ? QStringLiteral("default")
                                                                   : QString();
        for (const char* fmt : { "text", "json" })
            QTest::addRow("%s %s", qPrintable(w), fmt) << w << QString::fromLatin1(fmt) << pool;
    }
}

void TestCli::simulateGolden()
{
    QFETCH(QString, workload);
    QFETCH(QString, format);
    QFETCH(QString, minSize);
    if (workload.isEmpty())
        QFAIL("samples/sim holds no workloads");
    QStringList args { QStringLiteral("simulate"), QStringLiteral("sim-board.dts"), QStringLiteral("--workload"),
        workload, QStringLiteral("--format"), format };
    if (format == QLatin1String("json")) // the failures and a coarse heatmap keep the golden readable
        args << QStringLiteral("--ops") << QStringLiteral("failures") << QStringLiteral("--bins")
             << QStringLiteral("8x8");
    if (!minSize.isEmpty())
        args << QStringLiteral("--min-size") << minSize;
    const Run r = cli(args, test::samplesDir() + QStringLiteral("/sim"));
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    if (format == QLatin1String("json")) {
        QJsonParseError e;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &e).object();
        QVERIFY2(e.error == QJsonParseError::NoError, qPrintable(e.errorString()));
        // The contract of design.md section 7.
        for (const auto& v : o.value(QLatin1String("pools")).toArray())
            for (const char* key : { "path", "kind", "base", "size" })
                QVERIFY2(v.toObject().contains(QLatin1String(key)), key);
        for (const auto& v : o.value(QLatin1String("ops")).toArray())
            for (const char* key : { "step", "op", "buffer", "device", "pool", "size", "addr", "error" })
                QVERIFY2(v.toObject().contains(QLatin1String(key)), key);
        const QJsonObject sum = o.value(QLatin1String("summary")).toObject();
        for (const char* key : { "allocs", "frees", "failures", "peak_used" })
            QVERIFY2(sum.contains(QLatin1String(key)), key);
        // Exit 1 exactly when an allocation failed or left its pool.
        const bool bad
            = sum.value(QLatin1String("failures")).toInt() + sum.value(QLatin1String("fallbacks")).toInt() > 0;
        QCOMPARE(r.status, bad ? 1 : 0);
    } else {
        QVERIFY(r.status == 0 || r.status == 1);
    }
    QString name = workload;
    name.chop(5);
    const QString diff = compareGolden(QStringLiteral("simulate_%1.%2").arg(name, format), r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestCli::dtbInput()
{
    // The DTB of a sample gives the same regions, without source positions.
    const QString dts = test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts");
    if (!QFile::exists(dts))
        QSKIP("sample missing");
    QTemporaryDir dir;
    const QString dtb = test::compileDtb(dts, dir.filePath(QStringLiteral("imx9x-evk.dtb")), detectIncludeDirs(dts));
    QVERIFY(!dtb.isEmpty());
    const Run fromDts = cli({ QStringLiteral("layout"), dts, QStringLiteral("--format"), QStringLiteral("json") });
    const Run fromDtb = cli({ QStringLiteral("layout"), dtb, QStringLiteral("--format"), QStringLiteral("json") });
    QCOMPARE(fromDtb.status, 0);
    const QJsonArray a = QJsonDocument::fromJson(fromDts.out).object().value(QLatin1String("regions")).toArray();
    const QJsonArray b = QJsonDocument::fromJson(fromDtb.out).object().value(QLatin1String("regions")).toArray();
    QCOMPARE(a.size(), b.size());
    QVERIFY(a.size() > 0);
    for (qsizetype i = 0; i < a.size(); ++i) {
        QJsonObject x = a[i].toObject(), y = b[i].toObject();
        QVERIFY(y.value(QLatin1String("source")).isNull());
        for (auto* o : { &x, &y }) {
            o->remove(QLatin1String("source"));
            o->remove(QLatin1String("overrides"));
            o->remove(QLatin1String("property_sources"));
            o->remove(QLatin1String("labels")); // dtc 1.6.1 does not keep labels in a DTB
        }
        QCOMPARE(x, y);
    }
    QCOMPARE(
        QJsonDocument::fromJson(fromDtb.out).object().value(QLatin1String("input")).toString(), QStringLiteral("dtb"));
}

void TestCli::exitStatus_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("stderrMentions");
    QTest::addColumn<QString>("stdoutMentions");
    const QString data = test::sourceDir() + QStringLiteral("/tests/data/");
    QTest::addRow("help") << QStringList { QStringLiteral("--help") } << 0 << QString()
                          << QStringLiteral("layout FILE");
    QTest::addRow("version") << QStringList { QStringLiteral("--version") } << 0 << QString()
                             << QStringLiteral("carveout-cli " CARVEOUT_PROJECT_VERSION);
    QTest::addRow("codequality is for check")
        << QStringList { QStringLiteral("layout"), QStringLiteral("samples/imx/imx9x-evk.dts"),
               QStringLiteral("--format"), QStringLiteral("codequality") }
        << 2 << QStringLiteral("'layout' knows --format text, json, not 'codequality'") << QString();
    QTest::addRow("no command") << QStringList {} << 2 << QStringLiteral("no command") << QString();
    QTest::addRow("unknown command") << QStringList { QStringLiteral("frobnicate"), QStringLiteral("x.dts") } << 2
                                     << QStringLiteral("unknown command 'frobnicate'") << QString();
    QTest::addRow("no file") << QStringList { QStringLiteral("layout") } << 2 << QStringLiteral("needs a FILE")
                             << QString();
    QTest::addRow("bad format") << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-include.dts"),
        QStringLiteral("--format"), QStringLiteral("xml") }
                                << 2 << QStringLiteral("not 'xml'") << QString();
    QTest::addRow("unknown option") << QStringList { QStringLiteral("layout"), QStringLiteral("--frob") } << 2
                                    << QStringLiteral("unknown option '--frob'") << QString();
    QTest::addRow("missing file") << QStringList { QStringLiteral("layout"), data + QStringLiteral("nope.dts") } << 2
                                  << QStringLiteral("does not exist") << QString();
    QTest::addRow("missing include")
        << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-include.dts") } << 2
        << QStringLiteral(
               "bad-include.dts:4:10: error [cpp]: cannot find the included file 'soc-that-is-not-here.dtsi'")
        << QString();
    QTest::addRow("check broken board") << QStringList { QStringLiteral("check"),
        QStringLiteral("samples/broken/brk1-board.dts") }
                                        << 1 << QString() << QStringLiteral("brk1-board.dts:44: error [rm_overlap]");
    QTest::addRow("check with a rule off") << QStringList { QStringLiteral("check"),
        QStringLiteral("samples/broken/brk1-board.dts"), QStringLiteral("-W"), QStringLiteral("no-cma_align") }
                                           << 1 << QString() << QStringLiteral("2 errors, 0 warnings");
    QTest::addRow("errors demoted") << QStringList { QStringLiteral("check"),
        QStringLiteral("samples/broken/brk1-board.dts"), QStringLiteral("-W"), QStringLiteral("rm_overlap"),
        QStringLiteral("-Wcma_align"), QStringLiteral("-W"), QStringLiteral("mr_target_unregistered") }
                                    << 0 << QString() << QStringLiteral("0 errors, 3 warnings");
    QTest::addRow("unknown rule") << QStringList { QStringLiteral("check"),
        QStringLiteral("samples/broken/brk1-board.dts"), QStringLiteral("-E"), QStringLiteral("no_such_rule") }
                                  << 2 << QStringLiteral("unknown rule 'no_such_rule'") << QString();
    const QString captures = data + QStringLiteral("captures/");
    QTest::addRow("compare without --capture")
        << QStringList { QStringLiteral("compare"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.dts") } << 2
        << QStringLiteral("'compare' needs --capture FILE") << QString();
    QTest::addRow("compare with a missing capture")
        << QStringList { QStringLiteral("compare"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
               QStringLiteral("--capture"), captures + QStringLiteral("nope.bundle") }
        << 2 << QStringLiteral("nope.bundle") << QString();
    QTest::addRow("compare with a board as the capture")
        << QStringList { QStringLiteral("compare"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
               QStringLiteral("--capture"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.dts") }
        << 2 << QStringLiteral("not a capture") << QString();
    QTest::addRow("compare, profile given")
        << QStringList { QStringLiteral("compare"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.dts"),
               QStringLiteral("--capture"), captures + QStringLiteral("05-dynamic-align.arm64-6.12.bundle"),
               QStringLiteral("--profile"), QStringLiteral("debian-6.1-arm64") }
        << 1 << QString() << QStringLiteral("it sits at 0xbf000000, predicted 0xbd000000");
    QTest::addRow("unknown profile") << QStringList { QStringLiteral("layout"),
        QStringLiteral("samples/imx/imx9x-evk.dts"), QStringLiteral("--profile"), QStringLiteral("linux-2.6") }
                                     << 2 << QStringLiteral("unknown profile 'linux-2.6'") << QString();
    QTest::addRow("bad config") << QStringList { QStringLiteral("layout"), QStringLiteral("samples/imx/imx9x-evk.dts"),
        QStringLiteral("--config"), QStringLiteral("CMA_AREAS=lots") }
                                << 2 << QStringLiteral("CMA_AREAS takes a number") << QString();
    const QString board = QStringLiteral("samples/sim/sim-board.dts");
    QTest::addRow("simulate without workload")
        << QStringList { QStringLiteral("simulate"), board } << 2 << QStringLiteral("needs --workload") << QString();
    QTest::addRow("simulate bad workload")
        << QStringList { QStringLiteral("simulate"), board, QStringLiteral("--workload"),
               data + QStringLiteral("bad-workload.json") }
        << 2 << QStringLiteral("bad-workload.json: steps[1].size: '3 apples' is not a size") << QString();
    QTest::addRow("simulate missing workload")
        << QStringList { QStringLiteral("simulate"), board, QStringLiteral("--workload"), QStringLiteral("nope.json") }
        << 2 << QStringLiteral("cannot read the workload nope.json") << QString();
    QTest::addRow("simulate unknown pool") << QStringList { QStringLiteral("simulate"), board,
        QStringLiteral("--workload"), QStringLiteral("samples/sim/camera-streaming.json"), QStringLiteral("--min-size"),
        QStringLiteral("&nope") } << 2 << QStringLiteral("no pool '&nope' on this board")
                                           << QString();
    QTest::addRow("simulate failing") << QStringList { QStringLiteral("simulate"), board, QStringLiteral("--workload"),
        QStringLiteral("samples/sim/camera-streaming.json"), QStringLiteral("--ops"), QStringLiteral("none") }
                                      << 1 << QString() << QStringLiteral("2 failed");
    QTest::addRow("profiles") << QStringList { QStringLiteral("profiles") } << 0 << QString()
                              << QStringLiteral("debian-6.1-armhf");
    QTest::addRow("rules") << QStringList { QStringLiteral("rules") } << 0 << QString() << QStringLiteral("cma_align");
    QTest::addRow("syntax error") << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-syntax.dts") }
                                  << 2 << QStringLiteral("bad-syntax.dts:9:") << QString();
}

void TestCli::exitStatus()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, stderrMentions);
    QFETCH(QString, stdoutMentions);
    const Run r = cli(args, test::sourceDir());
    QCOMPARE(r.status, status);
    QVERIFY2(QString::fromUtf8(r.err).contains(stderrMentions), r.err.constData());
    QVERIFY2(QString::fromUtf8(r.out).contains(stdoutMentions), r.out.constData());
    if (status == 2)
        QVERIFY(r.out.isEmpty());
}

void TestCli::editDiffGolden()
{
    // The README's example: fix the broken board with a script, see the diff.
    QTemporaryDir out;
    const Run r = cli({ QStringLiteral("edit"), QStringLiteral("broken/brk1-board.dts"), QStringLiteral("--script"),
                          test::sourceDir() + QStringLiteral("/tests/data/edit/broken-fix.json"),
                          QStringLiteral("--out-dir"), out.path(), QStringLiteral("--diff") },
        test::samplesDir());
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.err.contains("note: /reserved-memory/camera-cma@96100000 keeps its name"), r.err.constData());
    const QString diff = compareGolden(QStringLiteral("edit_broken-fix.diff"), r.out);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(QFile::exists(out.filePath(QStringLiteral("brk1-board.dts"))));
    // The sources as written check clean of the two defects the script fixes.
    const Run check = cli({ QStringLiteral("check"), out.filePath(QStringLiteral("brk1-board.dts")),
        QStringLiteral("-I"), test::samplesDir() + QStringLiteral("/broken") });
    QVERIFY2(!check.out.contains("rm_overlap") && !check.out.contains("cma_align"), check.out.constData());
}

void TestCli::editInPlace()
{
    QTemporaryDir dir;
    for (const auto& f : QDir(test::samplesDir() + QStringLiteral("/imx")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/imx/") + f, dir.filePath(f));
    const QString script = test::writeFile(dir, QStringLiteral("s.json"),
        R"([ { "op": "resize", "node": "/reserved-memory/vpu-pool@a8000000", "size": "128M" } ])");
    const Run r = cli({ QStringLiteral("edit"), dir.filePath(QStringLiteral("imx9x-evk.dts")),
        QStringLiteral("--script"), script, QStringLiteral("--in-place"), QStringLiteral("--patch-shared") });
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("imx9x.dtsi.bak"))));
    const Run layout = cli({ QStringLiteral("layout"), dir.filePath(QStringLiteral("imx9x-evk.dts")) });
    QVERIFY2(layout.out.contains("128 MiB  vpu-pool@a8000000"), layout.out.constData());
    // A script with a bad entry writes nothing.
    const QString bad = test::writeFile(dir, QStringLiteral("bad.json"),
        R"([ { "op": "resize", "node": "/reserved-memory/vpu-pool@a8000000", "size": "64M" }, { "op": "explode" } ])");
    QFile dtsi(dir.filePath(QStringLiteral("imx9x.dtsi")));
    QVERIFY(dtsi.open(QIODevice::ReadOnly));
    const QByteArray before = dtsi.readAll();
    dtsi.close();
    const Run r2 = cli({ QStringLiteral("edit"), dir.filePath(QStringLiteral("imx9x-evk.dts")),
        QStringLiteral("--script"), bad, QStringLiteral("--in-place"), QStringLiteral("--patch-shared") });
    QCOMPARE(r2.status, 2);
    QVERIFY2(
        r2.err.contains("entry 2: unknown op 'explode'") && r2.err.contains("nothing was written"), r2.err.constData());
    QVERIFY(dtsi.open(QIODevice::ReadOnly));
    QCOMPARE(dtsi.readAll(), before);
}

void TestCli::exportRefusedThenEqualToDtc()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("b.dtb"));
    const Run refused
        = cli({ QStringLiteral("export"), QStringLiteral("samples/broken/brk1-board.dts"), QStringLiteral("-o"), out },
            test::sourceDir());
    QCOMPARE(refused.status, 1);
    QVERIFY(refused.err.contains("no DTB written"));
    QVERIFY(!QFile::exists(out));
    const Run forced = cli({ QStringLiteral("export"), QStringLiteral("samples/broken/brk1-board.dts"),
                               QStringLiteral("-o"), out, QStringLiteral("--force") },
        test::sourceDir());
    QCOMPARE(forced.status, 0);
    const QString good = dir.filePath(QStringLiteral("imx.dtb"));
    const Run ok
        = cli({ QStringLiteral("export"), QStringLiteral("samples/imx/imx9x-evk.dts"), QStringLiteral("-o"), good },
            test::sourceDir());
    QVERIFY2(ok.status == 0, ok.err.constData());
    const QString dts = test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts");
    const QString ref = test::compileDtb(dts, dir.filePath(QStringLiteral("ref.dtb")), detectIncludeDirs(dts));
    QFile a(good), b(ref);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(a.readAll(), b.readAll()); // byte for byte what dtc compiles
}

void TestCli::overlayOptions()
{
    // Every command that opens a board takes the stack: check sees the run-time rule (exit 1),
    // layout names the overlay's line, export writes fdtoverlay's blob, a bad one exits 2.
    const QString dir = test::samplesDir() + QStringLiteral("/overlays");
    const Run check
        = cli({ QStringLiteral("check"), QStringLiteral("ovl-base.dts"), QStringLiteral("--overlay"),
                  QStringLiteral("ovl-camera.dtso"), QStringLiteral("--overlay-runtime=ovl-runtime-rmem.dtso") },
            dir);
    QCOMPARE(check.status, 1);
    QVERIFY2(check.out.contains("ovl-runtime-rmem.dtso:9: error [overlay_runtime_rmem]"), check.out.constData());
    const Run layout
        = cli({ QStringLiteral("layout"), QStringLiteral("ovl-base.dts"), QStringLiteral("--overlay"),
                  QStringLiteral("ovl-camera.dtso"), QStringLiteral("--overlay"), QStringLiteral("ovl-dsp-grow.dtso") },
            dir);
    QCOMPARE(layout.status, 0);
    QVERIFY2(layout.out.contains("ovl-camera.dtso:8"), layout.out.constData());
    QTemporaryDir tmp;
    const Run exported
        = cli({ QStringLiteral("export"), QStringLiteral("ovl-base.dts"), QStringLiteral("--overlay"),
                  QStringLiteral("ovl-camera.dtso"), QStringLiteral("-o"), tmp.filePath(QStringLiteral("a.dtb")) },
            dir);
    QCOMPARE(exported.status, 0);
    const Run bad = cli({ QStringLiteral("check"), QStringLiteral("ovl-base.dts"), QStringLiteral("--overlay"),
                            test::sourceDir() + QStringLiteral("/tests/data/overlay/bad-target.dtso") },
        dir);
    QCOMPARE(bad.status, 2);
    QVERIFY2(bad.err.contains("bad-target.dtso") && bad.err.contains("FDT_ERR_NOTFOUND"), bad.err.constData());
    QCOMPARE(
        cli({ QStringLiteral("check"), QStringLiteral("ovl-base.dts"), QStringLiteral("--overlay") }, dir).status, 2);
}

void TestCli::cc1CommandsAreCachedNotTrusted()
{
    // carveout-cli runs cpp's cc1 as the driver would, the command line kept in
    // $XDG_CACHE_HOME/carveout/cc1-commands for the next run (core/source/directcpp.h).
    const QStringList args { QStringLiteral("check"), QStringLiteral("imx/imx9x-evk.dts"), QStringLiteral("--format"),
        QStringLiteral("json") };
    QTemporaryDir cache;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CACHE_HOME"), cache.path());
    const Run first = cli(args, test::samplesDir(), env);
    QCOMPARE(first.status, 0);
    QVERIFY(!first.out.isEmpty());
    QFile file(cache.filePath(QStringLiteral("carveout/cc1-commands")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray kept = file.readAll();
    file.close();
    QVERIFY2(
        kept.startsWith("carveout cc1-commands 1\n") && kept.contains("cc1") && kept.contains("-E"), kept.constData());
    auto rewrite = [&](const QByteArray& identity, const QByteArray& program) {
        QByteArray text;
        for (const QByteArray& line : kept.split('\n')) {
            QList<QByteArray> f = line.split(' ');
            if (f.size() > 3 && !line.startsWith("carveout ")) {
                f[1] = identity.toPercentEncoding();
                f[2] = program.toPercentEncoding();
            }
            text += f.join(' ') + '\n';
        }
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text.chopped(1));
        file.close();
    };
    // An entry that names a program which fails (with that program's own identity, so it is
    // used): the driver runs instead and the result is the same.
    struct stat st = {};
    QCOMPARE(::stat("/bin/false", &st), 0);
    const QByteArray falseIdentity = "/bin/false " + QByteArray::number(qint64(st.st_size)) + ' '
        + QByteArray::number(qint64(st.st_mtim.tv_sec)) + '.' + QByteArray::number(qint64(st.st_mtim.tv_nsec));
    rewrite(falseIdentity, "/bin/false");
    const Run poisoned = cli(args, test::samplesDir(), env);
    QCOMPARE(poisoned.status, first.status);
    QCOMPARE(poisoned.out, first.out);
    // ... and the entry is dropped.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("false"));
    file.close();
    // An entry whose cc1 is not the one on disk any more is asked again, and replaced.
    rewrite("stale", "/nonexistent/cc1");
    const Run stale = cli(args, test::samplesDir(), env);
    QCOMPARE(stale.out, first.out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray renewed = file.readAll();
    QVERIFY2(!renewed.contains("stale") && renewed.contains("cc1"), renewed.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
