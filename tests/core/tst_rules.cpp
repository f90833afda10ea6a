// SPDX-License-Identifier: GPL-2.0-only
// The rule fixtures of tests/data/rules (kernel-rules.md section 2): one small board per rule
// that breaks exactly that rule, clean controls that must give no warning or error, and
// profile-dependent pairs (the same tree right on one profile and wrong on another). Driven by
// tests/data/rules/fixtures.tsv and run in-process through the core API, the way carveout-cli
// check does it: loadBoard, resolveProfile, analyse.

// core
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "kernel/profileoptions.h"
#include "model/devicetree.h"
#include "model/layout.h"
#include "rules/rules.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

// std
#include <algorithm>
#include <map>
#include <set>
#include <vector>

using namespace carveout;

class TestRules : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void manifestIsConsistent();
    void everyRuleHasAFixture();
    void fixtures_data();
    void fixtures();
    void findingsPointAtTheirLine_data();
    void findingsPointAtTheirLine();
    void findingsShowFilesAlike_data();
    void findingsShowFilesAlike();
    void prerequisitesRunFirst();
    void switchedOffRulesDoNotRun();
    void appliesToDecidesWhatRuns();
    void messagesSayWhatEachEraReturns();
};

namespace {

/** One row of fixtures.tsv:
 *  file, expected rule ("-" for none, "!rule" / "!-" for a known tool bug), extra CLI args,
 *  optional rules that unavoidably fire too (comma-separated), optional note. */
struct Row
{
    QString file;
    QString expected; ///< rule id or "-", without the '!'
    bool knownBad = false;
    QStringList args;
    QStringList also;
    QString note;
    int line = 0; ///< in fixtures.tsv
};

/** Rules that only report what no more specific rule explains (kernel-rules.md section 2,
 *  reporting policy): every init failure the model knows has its own rule, so the fallback
 *  never fires on its own. Their <rule>.dts shows the failure under its specific rule. */
const std::map<QString, QString> kFallbackRules = {
    { QStringLiteral("rm_init_fail_free"),
        QStringLiteral("consequence of cma_align, cma_nomap, dma_arm_nomap, swiotlb_forbidden_props, ...") },
};

/** Rules whose findings may have no source line: the command line is not in the tree. */
const std::set<QString> kNoSourceRules = {
    QStringLiteral("cmdline_cma_fixed"),
    QStringLiteral("cmdline_cma_limit"),
};

QString rulesDir()
{
    return test::sourceDir() + QStringLiteral("/tests/data/rules");
}

std::vector<Row> readManifest(QString* error)
{
    std::vector<Row> rows;
    QFile f(rulesDir() + QStringLiteral("/fixtures.tsv"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read %1").arg(f.fileName());
        return rows;
    }
    int n = 0;
    while (!f.atEnd()) {
        ++n;
        const QString text = QString::fromUtf8(f.readLine()).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
        if (text.trimmed().isEmpty() || text.startsWith(QLatin1Char('#')))
            continue;
        const QStringList cols = text.split(QLatin1Char('\t'), Qt::KeepEmptyParts);
        if (cols.size() < 2 || cols[0].isEmpty() || cols[1].isEmpty()) {
            *error = QStringLiteral("fixtures.tsv:%1: expected file<TAB>rule<TAB>args").arg(n);
            return {};
        }
        Row r;
        r.line = n;
        r.file = cols[0].trimmed();
        r.expected = cols[1].trimmed();
        if (r.expected.startsWith(QLatin1Char('!'))) {
            r.knownBad = true;
            r.expected = r.expected.mid(1);
        }
        r.args = cols.value(2).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString& a : cols.value(3).split(QLatin1Char(','), Qt::SkipEmptyParts))
            r.also << a.trimmed();
        r.note = cols.value(4).trimmed();
        rows.push_back(r);
    }
    return rows;
}

/** The extra args of a row, as carveout-cli takes them ("--opt value" or "--opt=value"). */
/** The fixture's overlays (--overlay FILE, --overlay-runtime FILE, beside the fixture) and the
 *  other arguments. */
QList<OverlayRequest> fixtureOverlays(const QStringList& args, QStringList* rest)
{
    QList<OverlayRequest> out;
    for (int i = 0; i < args.size(); ++i) {
        const bool runtime = args[i] == QLatin1String("--overlay-runtime");
        if ((runtime || args[i] == QLatin1String("--overlay")) && i + 1 < args.size())
            out.append({ args[++i], runtime });
        else if (rest)
            *rest << args[i];
    }
    return out;
}

/** Whether a finding's file is the fixture or one of its overlays. */
bool fixtureFile(const QString& shown, const QString& file, const QStringList& args)
{
    const QString name = QFileInfo(shown).fileName();
    if (name == file)
        return true;
    for (const auto& o : fixtureOverlays(args, nullptr)) {
        if (name == o.file)
            return true;
    }
    return false;
}

QString parseArgs(const QStringList& allArgs, ProfileRequest* rq)
{
    QStringList args;
    fixtureOverlays(allArgs, &args);
    for (int i = 0; i < args.size(); ++i) {
        QString opt = args[i];
        QString value;
        if (const qsizetype eq = opt.indexOf(QLatin1Char('=')); opt.startsWith(QLatin1String("--")) && eq > 0) {
            value = opt.mid(eq + 1);
            opt = opt.left(eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return QStringLiteral("%1 needs a value").arg(opt);
        }
        if (opt == QLatin1String("--profile"))
            rq->profile = value;
        else if (opt == QLatin1String("--kernel"))
            rq->kernel = value;
        else if (opt == QLatin1String("--arch"))
            rq->arch = value;
        else if (opt == QLatin1String("--page-size"))
            rq->pageSize = value;
        else if (opt == QLatin1String("--cmdline"))
            rq->cmdline = value;
        else if (opt == QLatin1String("--config"))
            rq->config << value;
        else if (opt == QLatin1String("--reserve"))
            rq->reserve << value;
        else if (opt == QLatin1String("--memory"))
            rq->memory << value;
        else if (opt == QLatin1String("--boot"))
            rq->boot = value;
        else if (opt == QLatin1String("--load"))
            rq->load << value;
        else
            return QStringLiteral("unknown option '%1'").arg(opt);
    }
    return {};
}

struct Checked
{
    QString error; ///< why the board could not be checked; empty on success
    QString profile;
    CheckResult result;
};

Checked check(const QString& file, const QStringList& args, const SeverityOverrides& overrides = {})
{
    Checked c;
    LoadOptions options;
    for (auto o : fixtureOverlays(args, nullptr)) {
        o.file = rulesDir() + QLatin1Char('/') + o.file;
        options.overlays.append(o);
    }
    const LoadResult loaded = loadBoard(rulesDir() + QLatin1Char('/') + file, options);
    if (!loaded.ok) {
        c.error = QStringLiteral("cannot load %1:").arg(file);
        for (const auto& d : loaded.errors)
            c.error += QLatin1Char('\n') + d.toString();
        return c;
    }
    ProfileRequest rq;
    if (const QString e = parseArgs(args, &rq); !e.isEmpty()) {
        c.error = e;
        return c;
    }
    KernelProfile profile;
    if (const QString e = resolveProfile(rq, &loaded.doc, &profile); !e.isEmpty()) {
        c.error = e;
        return c;
    }
    c.profile = profile.name;
    c.result = analyse(loaded.doc, profile, overrides)->check;
    return c;
}

/** The lines of a fixture that findings must point at: each carries a comment naming the rules
 *  whose finding belongs there, "<- rule_a, rule_b" in a C comment at the end of the line (the
 *  line of the value at fault; a finding on any other line is wrong even when the rule is right). */
std::map<int, QStringList> markedLines(const QString& file)
{
    std::map<int, QStringList> out;
    QFile f(rulesDir() + QLatin1Char('/') + file);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    static const QRegularExpression marker(QStringLiteral("/\\* <- ([a-z0-9_, ]+) \\*/"));
    int n = 0;
    while (!f.atEnd()) {
        ++n;
        const QString line = QString::fromUtf8(f.readLine());
        const QRegularExpressionMatch m = marker.match(line);
        if (!m.hasMatch())
            continue;
        for (const QString& rule : m.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts))
            out[n] << rule.trimmed();
    }
    return out;
}

QString markedText(const std::map<int, QStringList>& marked)
{
    QStringList parts;
    for (const auto& [line, rules] : marked)
        parts << QStringLiteral("%1: %2").arg(line).arg(rules.join(QStringLiteral(", ")));
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral("; "));
}

QString describe(const Checked& c)
{
    QString s = QStringLiteral("findings on %1:").arg(c.profile);
    if (c.result.findings.empty())
        s += QStringLiteral(" none");
    for (const auto& f : c.result.findings)
        s += QStringLiteral("\n    %1:%2 %3 [%4] %5: %6")
                 .arg(QFileInfo(f.source.file).fileName())
                 .arg(f.source.line)
                 .arg(severityName(f.severity), f.rule, f.node, f.message);
    return s;
}

QString setText(const std::set<QString>& s)
{
    QStringList l(s.begin(), s.end());
    return QLatin1Char('{') + l.join(QStringLiteral(", ")) + QLatin1Char('}');
}

void addRows(const char* what)
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("knownBad");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("also");
    QTest::addColumn<QString>("note");
    QString error;
    const std::vector<Row> rows = readManifest(&error);
    if (!error.isEmpty())
        QFAIL(qPrintable(error));
    for (const Row& r : rows) {
        QTest::addRow("%s:%d %s %s", what, r.line, qPrintable(r.file), qPrintable(r.args.join(QLatin1Char(' '))))
            << r.file << r.expected << r.knownBad << r.args << r.also << r.note;
    }
}

} // namespace

void TestRules::initTestCase()
{
    QVERIFY2(QFile::exists(rulesDir() + QStringLiteral("/fixtures.tsv")), qPrintable(rulesDir()));
}

void TestRules::manifestIsConsistent()
{
    QString error;
    const std::vector<Row> rows = readManifest(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!rows.empty());

    std::set<QString> listed;
    std::map<QString, std::set<QString>> expectationsByFile;
    int clean = 0;
    for (const Row& r : rows) {
        const QString where = QStringLiteral("fixtures.tsv:%1").arg(r.line);
        QVERIFY2(QFile::exists(rulesDir() + QLatin1Char('/') + r.file),
            qPrintable(where + QStringLiteral(": no ") + r.file));
        QVERIFY2(r.expected == QLatin1String("-") || findRule(r.expected),
            qPrintable(where + QStringLiteral(": unknown rule ") + r.expected));
        for (const QString& a : r.also)
            QVERIFY2(findRule(a), qPrintable(where + QStringLiteral(": unknown rule ") + a));
        ProfileRequest rq;
        const QString e = parseArgs(r.args, &rq);
        QVERIFY2(e.isEmpty(), qPrintable(where + QStringLiteral(": ") + e));
        if (r.file.startsWith(QLatin1String("clean-"))) {
            QVERIFY2(r.expected == QLatin1String("-") && r.also.isEmpty(),
                qPrintable(where + QStringLiteral(": a clean control must expect '-'")));
            ++clean;
        }
        listed.insert(r.file);
        expectationsByFile[r.file].insert(r.expected);
    }
    QVERIFY2(clean >= 3, "at least three clean controls");

    // Every board in the folder is checked.
    const QStringList boards = QDir(rulesDir()).entryList({ QStringLiteral("*.dts") }, QDir::Files);
    for (const QString& b : boards)
        QVERIFY2(listed.count(b), qPrintable(b + QStringLiteral(" is not listed in fixtures.tsv")));

    // Profile-dependent pairs: the same board with different expectations on different profiles.
    int pairs = 0;
    for (const auto& [file, expectations] : expectationsByFile) {
        if (file.startsWith(QLatin1String("pair-")))
            QVERIFY2(expectations.size() >= 2, qPrintable(file + QStringLiteral(" needs two different expectations")));
        pairs += expectations.size() >= 2;
    }
    QVERIFY2(pairs >= 4, "at least four profile-dependent pairs");
}

void TestRules::everyRuleHasAFixture()
{
    QString error;
    const std::vector<Row> rows = readManifest(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList missing;
    for (const Rule& rule : rules()) {
        const QString id = QString::fromLatin1(rule.id);
        bool file = false, row = false;
        for (const Row& r : rows) {
            file |= r.file == id + QStringLiteral(".dts");
            row |= r.expected == id;
        }
        if (!file)
            missing << id + QStringLiteral(": no row for ") + id + QStringLiteral(".dts");
        if (!row && !kFallbackRules.count(id))
            missing << id + QStringLiteral(": no row expects it");
        if (row && kFallbackRules.count(id))
            missing << id + QStringLiteral(": listed as a fallback rule but a row expects it; update kFallbackRules");
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

void TestRules::fixtures_data()
{
    addRows("row");
}

void TestRules::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QFETCH(bool, knownBad);
    QFETCH(QStringList, args);
    QFETCH(QStringList, also);
    QFETCH(QString, note);

    const Checked c = check(file, args);
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));

    std::set<QString> loud; // rules with a warning or error finding
    bool present = false, presentLoud = false;
    for (const auto& f : c.result.findings) {
        const bool isLoud = f.severity != Severity::Info;
        if (isLoud)
            loud.insert(f.rule);
        if (f.rule == expected) {
            present = true;
            presentLoud |= isLoud;
        }
    }
    std::set<QString> want(also.begin(), also.end());
    bool ok = true;
    QString why;
    if (expected == QLatin1String("-")) {
        ok = loud == want;
        why = QStringLiteral("expected no warning or error%1, got %2")
                  .arg(want.empty() ? QString() : QStringLiteral(" besides ") + setText(want), setText(loud));
    } else {
        // An info-level rule must be present with nothing loud besides `also`; a warning- or
        // error-level one must be the only loud rule (plus `also`).
        if (presentLoud)
            want.insert(expected);
        ok = present && loud == want;
        why = present ? QStringLiteral("expected warning/error rules %1, got %2").arg(setText(want), setText(loud))
                      : QStringLiteral("%1 did not fire").arg(expected);
    }
    const QString message = QStringLiteral("%1 %2: %3\n%4").arg(file, args.join(QLatin1Char(' ')), why, describe(c));
    if (knownBad) {
        const QByteArray comment = (QStringLiteral("known tool bug, see fixtures.tsv: ")
            + (note.isEmpty() ? QStringLiteral("the tool disagrees with kernel-rules.md") : note))
                                       .toUtf8();
        QEXPECT_FAIL("", comment.constData(), Continue);
    }
    QVERIFY2(ok, qPrintable(message));
}

void TestRules::findingsPointAtTheirLine_data()
{
    addRows("row");
}

void TestRules::findingsPointAtTheirLine()
{
    QFETCH(QString, file);
    QFETCH(QStringList, args);

    const Checked c = check(file, args);
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
    QStringList bad;
    for (const auto& f : c.result.findings) {
        if (kNoSourceRules.count(f.rule))
            continue;
        // A finding about what an overlay set points into the overlay, marked the same way.
        const std::map<int, QStringList> marked = markedLines(
            f.source.isValid() && fixtureFile(f.source.file, file, args) ? QFileInfo(f.source.file).fileName() : file);
        if (!f.source.isValid() || !fixtureFile(f.source.file, file, args))
            bad << QStringLiteral("[%1] %2 points at '%3':%4").arg(f.rule, f.node, f.source.file).arg(f.source.line);
        else if (!marked.count(f.source.line) || !marked.at(f.source.line).contains(f.rule))
            bad << QStringLiteral("[%1] %2 points at line %3, which is not marked '<- %1' (marked: %4)")
                       .arg(f.rule, f.node)
                       .arg(f.source.line)
                       .arg(markedText(marked));
    }
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n')) + QLatin1Char('\n') + describe(c)));
}

void TestRules::findingsShowFilesAlike_data()
{
    addRows("row");
}

void TestRules::findingsShowFilesAlike()
{
    // Every finding's file goes through one conversion (sourceRef: displayPath, line, column),
    // so run from the fixtures' folder every file is shown relative to it, with its column, as
    // region findings always were (rm_node_path, rm_root_cells_missing, rm_child_depth and
    // mem_devtype used to give the absolute path and no column).
    QFETCH(QString, file);
    QFETCH(QStringList, args);
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(rulesDir()));
    const Checked c = check(file, args);
    QDir::setCurrent(before);
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
    QStringList bad;
    for (const auto& f : c.result.findings) {
        if (f.source.file.isEmpty())
            continue;
        if (!fixtureFile(f.source.file, file, args) || QFileInfo(f.source.file).fileName() != f.source.file
            || f.source.column <= 0)
            bad << QStringLiteral("[%1] %2 shows '%3':%4:%5")
                       .arg(f.rule, f.node, f.source.file)
                       .arg(f.source.line)
                       .arg(f.source.column);
    }
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n'))));
}

void TestRules::prerequisitesRunFirst()
{
    // Every prerequisite names a rule, and runs before the rule that reads its findings.
    int declared = 0;
    for (const Rule& r : rules()) {
        for (const char* id : r.prerequisites) {
            ++declared;
            QVERIFY2(findRule(QLatin1String(id)),
                qPrintable(QStringLiteral("%1 needs unknown %2").arg(QLatin1String(r.id), QLatin1String(id))));
        }
    }
    QVERIFY(declared > 0);
    const Checked c = check(QStringLiteral("cma_align.dts"), {});
    QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
    const auto at = [&](const char* id) {
        const auto it = std::find_if(
            c.result.ran.begin(), c.result.ran.end(), [&](const char* r) { return qstrcmp(r, id) == 0; });
        return it == c.result.ran.end() ? -1 : int(it - c.result.ran.begin());
    };
    for (const Rule& r : rules()) {
        for (const char* id : r.prerequisites) {
            if (at(r.id) >= 0 && at(id) >= 0)
                QVERIFY2(at(id) < at(r.id),
                    qPrintable(QStringLiteral("%1 ran after %2").arg(QLatin1String(id), QLatin1String(r.id))));
        }
    }
    // rm_init_fail_free, the fallback for freed regions, comes after every other rule.
    QCOMPARE(QLatin1String(c.result.ran.back()), QLatin1String("rm_init_fail_free"));
}

void TestRules::switchedOffRulesDoNotRun()
{
    const auto has = [](const std::vector<const char*>& v, const char* id) {
        return std::find_if(v.begin(), v.end(), [&](const char* r) { return qstrcmp(r, id) == 0; }) != v.end();
    };
    const auto reported = [](const Checked& c, const char* id) {
        for (const auto& f : c.result.findings) {
            if (f.rule == QLatin1String(id))
                return true;
        }
        return false;
    };
    const auto off = [](std::initializer_list<const char*> ids) {
        SeverityOverrides o;
        for (const char* id : ids)
            o.apply(QStringLiteral("W"), QStringLiteral("no-") + QLatin1String(id));
        return o;
    };
    const QString board = QStringLiteral("cma_align.dts");
    const Checked all = check(board, {});
    QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
    QVERIFY(has(all.result.ran, "cma_align") && reported(all, "cma_align") && !reported(all, "rm_init_fail_free"));
    const KernelProfile profile = *findProfile(all.profile);
    const size_t applying = size_t(std::count_if(
        rules().begin(), rules().end(), [&](const Rule& r) { return !r.appliesTo || r.appliesTo(profile); }));
    QCOMPARE(all.result.ran.size(), applying);

    // A rule nothing needs is not run at all.
    const Checked noOverlap = check(board, {}, off({ "rm_overlap", "mr_shared" }));
    QVERIFY(!has(noOverlap.result.ran, "rm_overlap") && !has(noOverlap.result.ran, "mr_shared"));
    QCOMPARE(noOverlap.result.ran.size(), applying - 2);

    // A switched-off prerequisite still runs for the rule that reads it, silently: the freed
    // pool stays explained, so rm_init_fail_free does not speak up in its place.
    const Checked noAlign = check(board, {}, off({ "cma_align" }));
    QVERIFY(has(noAlign.result.ran, "cma_align"));
    QVERIFY(!reported(noAlign, "cma_align") && !reported(noAlign, "rm_init_fail_free"));

    // With its reader off too, it does not run.
    const Checked neither = check(board, {}, off({ "cma_align", "rm_init_fail_free" }));
    QVERIFY(!has(neither.result.ran, "cma_align") && !has(neither.result.ran, "rm_init_fail_free"));
    QVERIFY(neither.result.findings.size() + 1 == all.result.findings.size());
}

void TestRules::appliesToDecidesWhatRuns()
{
    // The record's predicate, evaluated on the profile, is what decides (not the display strings).
    int restricted = 0;
    for (const KernelProfile& p : namedProfiles()) {
        Layout layout;
        const BootResult boot = simulateBoot(layout, p);
        const DeviceTree tree;
        const CheckResult r = runChecks(layout, boot, p, tree);
        std::set<QString> ran;
        for (const char* id : r.ran)
            ran.insert(QLatin1String(id));
        for (const Rule& rule : rules()) {
            const bool applies = !rule.appliesTo || rule.appliesTo(p);
            restricted += !applies;
            QVERIFY2(ran.count(QLatin1String(rule.id)) == (applies ? 1u : 0u),
                qPrintable(QStringLiteral("%1 on %2").arg(QLatin1String(rule.id), p.name)));
        }
    }
    QVERIFY(restricted > 0);
    // Spot checks against kernel-rules.md: restricted-dma-pool arrived in 5.15, dma_arm_nomap is 32-bit ARM.
    QVERIFY(!findRule(QStringLiteral("swiotlb_size"))->appliesTo(*findProfile(QStringLiteral("linux-5.10-arm64-4k"))));
    QVERIFY(findRule(QStringLiteral("swiotlb_size"))->appliesTo(*findProfile(QStringLiteral("linux-5.15-arm64-4k"))));
    QVERIFY(findRule(QStringLiteral("dma_arm_nomap"))->appliesTo(*findProfile(QStringLiteral("debian-6.1-armhf"))));
    QVERIFY(!findRule(QStringLiteral("dma_arm_nomap"))->appliesTo(*findProfile(QStringLiteral("debian-6.1-arm64"))));
}

void TestRules::messagesSayWhatEachEraReturns()
{
    // mr_target_disabled: of_reserved_mem_device_init returns 0 in every era; the 6.16 resource
    // helpers return -ENODEV for a disabled target (drivers/of/of_reserved_mem.c).
    auto message = [](const QString& kernel) {
        const Checked c = check(QStringLiteral("mr_target_disabled.dts"), { QStringLiteral("--kernel"), kernel });
        for (const auto& f : c.result.findings)
            if (f.rule == QLatin1String("mr_target_disabled"))
                return f.message;
        return QString();
    };
    const QString before = message(QStringLiteral("6.12")), after = message(QStringLiteral("6.18"));
    QVERIFY2(before.contains(QLatin1String("returns 0")) && before.contains(QLatin1String("never reserved"))
            && !before.contains(QLatin1String("-ENODEV")),
        qPrintable(before));
    QVERIFY2(after.contains(QLatin1String("returns 0")) && after.contains(QLatin1String("-ENODEV"))
            && after.contains(QLatin1String("of_reserved_mem_region_count")),
        qPrintable(after));
}

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
