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
#include <QTemporaryDir>
#include <QTest>

using namespace carveout;

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void golden_data();
    void golden();
    void dtbInput();
    void exitStatus_data();
    void exitStatus();
};

namespace {

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList& args, const QString& cwd = QString())
{
    QProcess p;
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
    const QString actualPath = QStringLiteral(CARVEOUT_BINARY_DIR) + QStringLiteral("/tests/") + name + QStringLiteral(".actual");
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
    QTest::addColumn<QString>("board");
    QTest::addColumn<QString>("format");
    if (sampleBoards().isEmpty())
        QTest::addRow("no sample boards") << QString() << QString();
    for (const auto& b : sampleBoards()) {
        for (const char* fmt : { "text", "json" })
            QTest::addRow("%s %s", qPrintable(b), fmt) << b << QString::fromLatin1(fmt);
    }
}

void TestCli::golden()
{
    QFETCH(QString, board);
    QFETCH(QString, format);
    if (board.isEmpty())
        QFAIL("samples/ holds no boards");
    // Run from the sample's folder so the file names in the output are short and stable.
    const QFileInfo fi(test::samplesDir() + QLatin1Char('/') + board);
    const Run r = cli({ QStringLiteral("layout"), fi.fileName(), QStringLiteral("--format"), format }, fi.absolutePath());
    QVERIFY2(r.status == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    if (format == QLatin1String("json")) {
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
            QVERIFY(reg.value(QLatin1String("base")).isNull() || reg.value(QLatin1String("base")).toString().startsWith(QLatin1String("0x")));
        }
    }
    QString name = board;
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    const QString diff = compareGolden(QStringLiteral("layout_%1.%2").arg(name, format), r.out);
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
    QCOMPARE(QJsonDocument::fromJson(fromDtb.out).object().value(QLatin1String("input")).toString(), QStringLiteral("dtb"));
}

void TestCli::exitStatus_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("stderrMentions");
    QTest::addColumn<QString>("stdoutMentions");
    const QString data = test::sourceDir() + QStringLiteral("/tests/data/");
    QTest::addRow("help") << QStringList { QStringLiteral("--help") } << 0 << QString() << QStringLiteral("layout FILE");
    QTest::addRow("no command") << QStringList {} << 2 << QStringLiteral("no command") << QString();
    QTest::addRow("unknown command") << QStringList { QStringLiteral("frobnicate"), QStringLiteral("x.dts") } << 2
                                     << QStringLiteral("unknown command 'frobnicate'") << QString();
    QTest::addRow("no file") << QStringList { QStringLiteral("layout") } << 2 << QStringLiteral("needs a FILE") << QString();
    QTest::addRow("bad format") << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-include.dts"),
                                                 QStringLiteral("--format"), QStringLiteral("xml") }
                                << 2 << QStringLiteral("not 'xml'") << QString();
    QTest::addRow("unknown option") << QStringList { QStringLiteral("layout"), QStringLiteral("--frob") } << 2
                                    << QStringLiteral("unknown option '--frob'") << QString();
    QTest::addRow("missing file") << QStringList { QStringLiteral("layout"), data + QStringLiteral("nope.dts") } << 2
                                  << QStringLiteral("does not exist") << QString();
    QTest::addRow("missing include") << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-include.dts") }
                                     << 2 << QStringLiteral("bad-include.dts:4:10: error [cpp]: cannot find the included file 'soc-that-is-not-here.dtsi'")
                                     << QString();
    QTest::addRow("syntax error") << QStringList { QStringLiteral("layout"), data + QStringLiteral("bad-syntax.dts") } << 2
                                  << QStringLiteral("bad-syntax.dts:9:") << QString();
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

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
