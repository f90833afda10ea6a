// SPDX-License-Identifier: GPL-2.0-only
// Editing: operations on the document, source patches that change only the defining
// statements, the override policy for shared .dtsi files, macros, safe saving and refusal when
// a file changed underneath. On 200 corpus boards every operation must give sources that
// compile (real cpp + dtc) to exactly the original tree plus the edit, and the compiled DTB, read
// independently (tests/tools/dtbref.h), must show the edit's effect and nothing else.

// core
#include "edit/editdocument.h"
#include "edit/patcher.h"
#include "edit/safesave.h"
#include "edit/verify.h"
#include "edit/treecompare.h"
#include "source/loader.h"

// tests
#include "../testutils.h"
#include "dtbref.h"

// Qt
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

// std
#include <atomic>
#include <map>

using namespace carveout;

class TestEdit : public QObject
{
    Q_OBJECT
private slots:
    void emptyScriptChangesNothing();
    void sampleScripts_data();
    void sampleScripts();
    void macroIsReplacedOnlyWhereItMust();
    void overrideOrPatchShared();
    void scriptIsAllOrNothing();
    void scriptRetargetsAndRemovesEntries();
    void refusesWhenFileChangedUnderneath();
    void saveInPlaceKeepsBackup();
    void corpusBoards();
    void deletingAPropertyKeepsTheRestOfItsLine();
    void treeDifferenceSeesEveryChange_data();
    void treeDifferenceSeesEveryChange();
};

namespace {

/** Patches, compiles the patched sources and compares with the edited tree. The patched sources
 *  are mirrored under `keepIn` when given (else under a temporary folder). */
QString verify(const EditDocument& doc, SourcePatch* patchOut = nullptr, const QString& keepIn = QString())
{
    const SourcePatch patch = makePatch(doc);
    if (!patch.ok())
        return QStringLiteral("patch: ") + patch.error;
    QTemporaryDir scratch;
    const LoadResult again = loadPatched(doc, patch, keepIn.isEmpty() ? scratch.path() : keepIn);
    if (!again.ok)
        return QStringLiteral("compile: ") + again.errors.value(0).toString();
    const QString diff = treeDifference(doc.tree(), again.doc.tree);
    if (!diff.isEmpty())
        return QStringLiteral("tree: ") + diff;
    if (patchOut)
        *patchOut = patch;
    return {};
}

/** Lines removed and added between two texts (a plain LCS-free count on the diff). */
QPair<int, int> changedLines(const QByteArray& before, const QByteArray& after)
{
    const QByteArray d = unifiedDiff(QStringLiteral("x"), before, after);
    int minus = 0, plus = 0;
    for (const auto& l : d.split('\n')) {
        if (l.startsWith("---") || l.startsWith("+++"))
            continue;
        minus += l.startsWith('-');
        plus += l.startsWith('+');
    }
    return { minus, plus };
}

/** The DTB cpp and dtc make of `board` (the kernel's way, the real tools), or empty. With
 *  `scratch`, the board and its include folders are taken from the copy loadPatched mirrored. */
QByteArray compiledDtb(const LoadedTree& t, const QString& scratch = QString())
{
    IncludeDirs dirs = t.includeDirs;
    if (!scratch.isEmpty()) {
        for (auto* list : { &dirs.cpp, &dirs.dtc })
            for (auto& d : *list)
                d = scratch + d;
    }
    QTemporaryDir out;
    const QString dtb
        = test::compileDtb(scratch + QDir::cleanPath(t.absoluteFile), out.filePath(QStringLiteral("board.dtb")), dirs);
    QFile f(dtb);
    return !dtb.isEmpty() && f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/** What the edit must have done, as the independent DTB reading (tests/tools/dtbref.h) sees it. */
struct Effect
{
    QString kind; ///< empty, resize, move, no-map toggle, add, delete
    QString path; ///< the region edited
    uint64_t base = 0; ///< its base before (move, add: the new one)
    uint64_t value = 0; ///< resize: the new size; move: the new base
};

QString hexOf(uint64_t v)
{
    return QStringLiteral("0x") + QString::number(v, 16);
}

std::map<QString, QJsonObject> regionsByPath(const QJsonObject& reading)
{
    std::map<QString, QJsonObject> out;
    for (const auto& v : reading.value(QLatin1String("regions")).toArray())
        out[v.toObject().value(QLatin1String("path")).toString()] = v.toObject();
    return out;
}

/** Consumers without their phandle numbers (dtc renumbers them), regions renamed by `rename`,
 *  the devices of `skipDevices` left out. */
QStringList consumersOf(
    const QJsonObject& reading, const QMap<QString, QString>& rename = {}, const QSet<QString>& skipDevices = {})
{
    QStringList out;
    for (const auto& v : reading.value(QLatin1String("consumers")).toArray()) {
        QJsonObject c = v.toObject();
        if (skipDevices.contains(c.value(QLatin1String("device")).toString()))
            continue;
        c.remove(QLatin1String("phandle"));
        const QString region = c.value(QLatin1String("region")).toString();
        if (rename.contains(region))
            c.insert(QLatin1String("region"), rename.value(region));
        out << QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact));
    }
    return out;
}

/** Compares the DTBs before and after one edit: the edited region changed exactly as asked and
 *  nothing else did (memory, /memreserve/, the other regions, the consumers). Empty when so. */
QString effectProblem(const Effect& e, const QByteArray& before, const QByteArray& after)
{
    QJsonObject a, b;
    if (!dtbref::read(before, &a) || !dtbref::read(after, &b))
        return QStringLiteral("the DTB cannot be read");
    for (const char* key : { "memory", "memreserve", "address_cells", "size_cells" }) {
        if (a.value(QLatin1String(key)) != b.value(QLatin1String(key)))
            return QStringLiteral("%1 changed").arg(QLatin1String(key));
    }
    std::map<QString, QJsonObject> ra = regionsByPath(a), rb = regionsByPath(b);
    QMap<QString, QString> rename;
    QSet<QString> skipDevices;
    if (e.kind.isEmpty()) {
        if (a != b)
            return QStringLiteral("an empty edit changed the DTB");
        return {};
    }
    if (e.kind == QLatin1String("add")) {
        const auto it = rb.find(e.path);
        if (it == rb.end())
            return QStringLiteral("%1 is not in the DTB").arg(e.path);
        const QJsonObject& r = it->second;
        if (r.value(QLatin1String("base")) != hexOf(e.base) || r.value(QLatin1String("size")) != hexOf(e.value)
            || !r.value(QLatin1String("no_map")).toBool())
            return QStringLiteral("%1 is in the DTB as %2").arg(e.path, QString::fromUtf8(QJsonDocument(r).toJson()));
        rb.erase(it);
    } else if (e.kind == QLatin1String("delete")) {
        if (rb.count(e.path))
            return QStringLiteral("%1 is still in the DTB").arg(e.path);
        ra.erase(e.path);
        // Its consumers were unbound: their lists change, nobody else's.
        for (const auto& v : a.value(QLatin1String("consumers")).toArray())
            if (v.toObject().value(QLatin1String("region")).toString() == e.path)
                skipDevices << v.toObject().value(QLatin1String("device")).toString();
        for (const auto& v : b.value(QLatin1String("consumers")).toArray())
            if (v.toObject().value(QLatin1String("region")).toString() == e.path)
                return QStringLiteral("a consumer still points at the deleted %1").arg(e.path);
    } else {
        if (!ra.count(e.path))
            return QStringLiteral("%1 is not in the original DTB").arg(e.path);
        QJsonObject want = ra.at(e.path);
        QString newPath = e.path;
        if (e.kind == QLatin1String("move")) {
            // The node may be renamed: it is the one region the DTB did not have before.
            QStringList fresh;
            for (const auto& [p, r] : rb)
                if (!ra.count(p))
                    fresh << p;
            if (fresh.size() > 1)
                return QStringLiteral("a move made %1 new regions").arg(fresh.size());
            if (fresh.size() == 1)
                newPath = fresh.front();
            const QString oldName = e.path.section(QLatin1Char('/'), -1),
                          newName = newPath.section(QLatin1Char('/'), -1);
            if (oldName.section(QLatin1Char('@'), 0, 0) != newName.section(QLatin1Char('@'), 0, 0))
                return QStringLiteral("%1 became %2").arg(e.path, newPath);
            // A unit address that named the base names the new one, when the node is renamed (a
            // name defined in a shared file that is not written stays, with a note).
            if (fresh.size() == 1 && oldName.section(QLatin1Char('@'), 1) == QString::number(e.base, 16)
                && newName.section(QLatin1Char('@'), 1) != QString::number(e.value, 16))
                return QStringLiteral("%1 moved to %2 is called %3").arg(e.path, hexOf(e.value), newPath);
            want.insert(QLatin1String("path"), newPath);
            want.insert(QLatin1String("base"), hexOf(e.value));
            rename.insert(e.path, newPath);
        } else if (e.kind == QLatin1String("resize")) {
            want.insert(QLatin1String("size"), hexOf(e.value));
        } else if (e.kind == QLatin1String("no-map toggle")) {
            want.insert(QLatin1String("no_map"), !want.value(QLatin1String("no_map")).toBool());
            // The rest of the node stays, byte for byte (a delete takes only its statement).
            bool foundA = false, foundB = false;
            auto pa = dtbref::properties(before, e.path, &foundA), pb = dtbref::properties(after, e.path, &foundB);
            pa.erase("no-map");
            pb.erase("no-map");
            pa.erase("phandle");
            pb.erase("phandle");
            if (!foundB || pa != pb)
                return QStringLiteral("toggling no-map changed other properties of %1").arg(e.path);
        }
        if (!rb.count(newPath))
            return QStringLiteral("%1 is not in the DTB").arg(newPath);
        if (rb.at(newPath) != want)
            return QStringLiteral("%1 is %2, expected %3")
                .arg(newPath, QString::fromUtf8(QJsonDocument(rb.at(newPath)).toJson(QJsonDocument::Compact)),
                    QString::fromUtf8(QJsonDocument(want).toJson(QJsonDocument::Compact)));
        ra.erase(e.path);
        rb.erase(newPath);
    }
    if (ra != rb)
        return QStringLiteral("other regions changed");
    if (consumersOf(a, rename, skipDevices) != consumersOf(b, {}, skipDevices))
        return QStringLiteral("the consumers changed");
    return {};
}

LoadedTree loadOrDie(const QString& file)
{
    const LoadResult r = loadBoard(file);
    if (!r.ok)
        qFatal("cannot load %s: %s", qPrintable(file), qPrintable(r.errors.value(0).toString()));
    return r.doc;
}

} // namespace

void TestEdit::emptyScriptChangesNothing()
{
    EditDocument doc(loadOrDie(test::samplesDir() + QStringLiteral("/phone/sd9000-mtp.dts")));
    QVERIFY(doc.applyAll({}).isEmpty());
    const SourcePatch p = makePatch(doc);
    QVERIFY(p.ok());
    QVERIFY(p.patched.isEmpty());
}

void TestEdit::sampleScripts_data()
{
    QTest::addColumn<QString>("board");
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("patchShared");
    QTest::addColumn<QStringList>("changedFiles");
    QTest::addRow("imx, every op") << QStringLiteral("imx/imx9x-evk.dts") << QStringLiteral("imx-all-ops.json") << false
                                   << QStringList { QStringLiteral("imx9x-evk.dts") };
    QTest::addRow("imx, every op, patching shared")
        << QStringLiteral("imx/imx9x-evk.dts") << QStringLiteral("imx-all-ops.json") << true
        << QStringList { QStringLiteral("imx9x-evk.dts"), QStringLiteral("imx9x.dtsi") };
    QTest::addRow("broken board fixed") << QStringLiteral("broken/brk1-board.dts") << QStringLiteral("broken-fix.json")
                                        << false << QStringList { QStringLiteral("brk1-board.dts") };
}

void TestEdit::sampleScripts()
{
    QFETCH(QString, board);
    QFETCH(QString, script);
    QFETCH(bool, patchShared);
    QFETCH(QStringList, changedFiles);
    QFile f(test::sourceDir() + QStringLiteral("/tests/data/edit/") + script);
    QVERIFY(f.open(QIODevice::ReadOnly));
    std::vector<EditOp> ops;
    QString error;
    QVERIFY2(parseEditScript(f.readAll(), &ops, &error), qPrintable(error));
    PatchPolicy policy;
    policy.patchShared = patchShared;
    EditDocument doc(loadOrDie(test::samplesDir() + QLatin1Char('/') + board), policy);
    QVERIFY2(doc.applyAll(ops).isEmpty(), qPrintable(doc.applyAll(ops)));
    SourcePatch patch;
    const QString v = verify(doc, &patch);
    QVERIFY2(v.isEmpty(), qPrintable(v));
    QStringList changed;
    for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it)
        changed << QFileInfo(it.key()).fileName();
    changed.sort();
    changedFiles.sort();
    QCOMPARE(changed, changedFiles);
}

void TestEdit::macroIsReplacedOnlyWhereItMust()
{
    // m7: reg = <0 0x80000000 0 SZ_16M>; in the board file.
    EditDocument doc(loadOrDie(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts")));
    QVERIFY(doc.move(QStringLiteral("/reserved-memory/m7@80000000"), 0x80400000).isEmpty());
    SourcePatch patch;
    QString v = verify(doc, &patch);
    QVERIFY2(v.isEmpty(), qPrintable(v));
    const QByteArray text = patch.patched.first();
    QVERIFY(text.contains("reg = <0 0x80400000 0 SZ_16M>;")); // the macro it did not touch stays
    QVERIFY(text.contains("m7_reserved: m7@80400000 {"));
    QCOMPARE(changedLines(patch.original.first(), text), (QPair<int, int>(2, 2)));
    QVERIFY(patch.notes.isEmpty());

    QVERIFY(doc.resize(QStringLiteral("/reserved-memory/m7@80400000"), 0x2000000).isEmpty());
    v = verify(doc, &patch);
    QVERIFY2(v.isEmpty(), qPrintable(v));
    QVERIFY(patch.patched.first().contains("reg = <0 0x80400000 0 0x2000000>;"));
    QVERIFY2(patch.notes.join(QLatin1Char('\n')).contains(QLatin1String("'SZ_16M'")),
        qPrintable(patch.notes.join(QLatin1Char('\n'))));
}

void TestEdit::overrideOrPatchShared()
{
    // linux,cma's size lives in imx9x.dtsi, which other boards could share.
    const LoadedTree board = loadOrDie(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts"));
    for (const bool shared : { false, true }) {
        PatchPolicy policy;
        policy.patchShared = shared;
        EditDocument doc(board, policy);
        QVERIFY(doc.resize(QStringLiteral("/reserved-memory/linux,cma"), 0x30000000).isEmpty());
        SourcePatch patch;
        const QString v = verify(doc, &patch);
        QVERIFY2(v.isEmpty(), qPrintable(v));
        QCOMPARE(patch.patched.size(), 1);
        const QString file = QFileInfo(patch.patched.firstKey()).fileName();
        const auto [minus, plus] = changedLines(patch.original.value(patch.patched.firstKey()), patch.patched.first());
        if (shared) {
            QCOMPARE(file, QStringLiteral("imx9x.dtsi"));
            QCOMPARE(minus, 1); // exactly the defining line
            QCOMPARE(plus, 1);
        } else {
            QCOMPARE(file, QStringLiteral("imx9x-evk.dts"));
            QCOMPARE(minus, 0); // only an override added
            QVERIFY(patch.patched.first().contains("size = <0x0 0x30000000>;"));
        }
    }
}

void TestEdit::scriptIsAllOrNothing()
{
    EditDocument doc(loadOrDie(test::samplesDir() + QStringLiteral("/phone/sd9000-mtp.dts")));
    std::vector<EditOp> ops;
    QString error;
    QVERIFY(parseEditScript(R"([ { "op": "resize", "node": "/reserved-memory/linux,cma", "size": "64M" },
                                 { "op": "delete", "node": "/reserved-memory/nope@0" } ])",
        &ops, &error));
    const QString e = doc.applyAll(ops);
    QVERIFY2(
        e.contains(QLatin1String("entry 2")) && e.contains(QLatin1String("/reserved-memory/nope@0")), qPrintable(e));
    QVERIFY(makePatch(doc).patched.isEmpty()); // the first entry was rolled back too
    QVERIFY(!parseEditScript("[ { \"op\": \"move\", \"node\": \"/x\", \"base\": \"banana\" } ]", &ops, &error));
    QVERIFY2(error.contains(QLatin1String("entry 1")), qPrintable(error));
}

void TestEdit::scriptRetargetsAndRemovesEntries()
{
    // brk1's video codec points at a syscon: retargeted to video_mem by position, then removed.
    const QString codec = QStringLiteral("/soc@0/video-codec@aa00000");
    EditDocument doc(loadOrDie(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    std::vector<EditOp> ops;
    QString error;
    QVERIFY(parseEditScript(R"([ { "op": "retarget", "device": "/soc@0/video-codec@aa00000", "entry": 0,
                                   "region": "/reserved-memory/video@9a400000" } ])",
        &ops, &error));
    const QString applied = doc.applyAll(ops);
    QVERIFY2(applied.isEmpty(), qPrintable(applied));
    const Layout after = buildLayout(doc.working());
    const int video = after.findRegion(QStringLiteral("/reserved-memory/video@9a400000"));
    bool found = false;
    for (const auto& c : after.consumers)
        found |= c.device == codec && c.region == video;
    QVERIFY(found);
    QVERIFY(makePatch(doc).patched.first().contains("memory-region = <&video_mem>;"));
    ops.clear();
    QVERIFY(
        parseEditScript(R"([ { "op": "unbind", "device": "/soc@0/video-codec@aa00000", "entry": 0 } ])", &ops, &error));
    QVERIFY(doc.applyAll(ops).isEmpty());
    QVERIFY(!doc.tree().node(doc.tree().findPath(codec)).hasProperty("memory-region"));
    // A retarget needs its entry; an entry is a position.
    QVERIFY(!parseEditScript(R"([ { "op": "retarget", "device": "/a", "region": "/b" } ])", &ops, &error));
    QVERIFY2(error.contains(QLatin1String("needs \"entry\"")), qPrintable(error));
    QVERIFY(!parseEditScript(R"([ { "op": "unbind", "device": "/a", "entry": -1 } ])", &ops, &error));
    QVERIFY(doc.removeEntry(codec, 0).contains(QLatin1String("no memory-region entry 0")));
}

void TestEdit::refusesWhenFileChangedUnderneath()
{
    QTemporaryDir dir;
    for (const auto& f : QDir(test::samplesDir() + QStringLiteral("/imx")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/imx/") + f, dir.filePath(f));
    EditDocument doc(loadOrDie(dir.filePath(QStringLiteral("imx9x-evk.dts"))));
    QVERIFY(doc.move(QStringLiteral("/reserved-memory/m7@80000000"), 0x80400000).isEmpty());
    const SourcePatch patch = makePatch(doc);
    QVERIFY(patch.ok());
    // Someone edits the board meanwhile.
    QFile f(dir.filePath(QStringLiteral("imx9x-evk.dts")));
    QVERIFY(f.open(QIODevice::Append));
    f.write("/* edited elsewhere */\n");
    f.close();
    const SaveResult r = savePatch(patch);
    QVERIFY(!r.ok);
    QVERIFY2(
        r.error.contains(QLatin1String("changed on disk")) && r.error.contains(QLatin1String("nothing was written")),
        qPrintable(r.error));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().endsWith("/* edited elsewhere */\n"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("imx9x-evk.dts.bak"))));
}

void TestEdit::saveInPlaceKeepsBackup()
{
    QTemporaryDir dir;
    for (const auto& f : QDir(test::samplesDir() + QStringLiteral("/imx")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/imx/") + f, dir.filePath(f));
    const QString boardFile = dir.filePath(QStringLiteral("imx9x-evk.dts"));
    QFile orig(boardFile);
    QVERIFY(orig.open(QIODevice::ReadOnly));
    const QByteArray before = orig.readAll();
    orig.close();
    EditDocument doc(loadOrDie(boardFile));
    QVERIFY(doc.move(QStringLiteral("/reserved-memory/m7@80000000"), 0x80400000).isEmpty());
    const SaveResult r = savePatch(makePatch(doc));
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.written.size(), 1);
    QFile bak(boardFile + QStringLiteral(".bak"));
    QVERIFY(bak.open(QIODevice::ReadOnly));
    QCOMPARE(bak.readAll(), before);
    const LoadResult again = loadBoard(boardFile);
    QVERIFY(again.ok);
    QVERIFY(again.doc.tree.findPath(QStringLiteral("/reserved-memory/m7@80400000")) > 0);
}

void TestEdit::corpusBoards()
{
    // ctest runs this function on its own as tst_edit_corpus (label corpus: the sanitizer run of CI
    // leaves the corpus out); the rest of tst_edit skips it.
    if (qEnvironmentVariableIsSet("CARVEOUT_SKIP_CORPUS"))
        QSKIP("run as tst_edit_corpus");
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    QFile manifest(QStringLiteral(CARVEOUT_SHARED_DIR) + QStringLiteral("/corpus/MANIFEST.tsv"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    manifest.readLine();
    QStringList candidates;
    while (!manifest.atEnd()) {
        const QList<QByteArray> f = manifest.readLine().split('\t');
        if (f.size() > 10 && f[1] == "1" && f[9].toInt() > 0) // ok, with static regions
            candidates << QString::fromUtf8(f[0]);
    }
    const int wanted = qEnvironmentVariableIsSet("CARVEOUT_EDIT_BOARDS")
        ? qEnvironmentVariableIntValue("CARVEOUT_EDIT_BOARDS")
        : 200;
    QStringList boards;
    const double step = double(candidates.size()) / wanted;
    for (int k = 0; k < wanted && int(k * step) < candidates.size(); ++k)
        boards << candidates[int(k * step)];

    QMutex mutex;
    QStringList failures;
    std::atomic<int> next { 0 }, checks { 0 }, refusals { 0 }, effects { 0 };
    auto worker = [&] {
        while (true) {
            const int k = next.fetch_add(1);
            if (k >= boards.size())
                return;
            const QString board = boards[k];
            const LoadResult loaded = loadBoard(test::corpusDir() + QLatin1Char('/') + board);
            QStringList problems;
            if (!loaded.ok) {
                problems << QStringLiteral("load failed");
            } else {
                const Layout L = buildLayout(loaded.doc);
                int first = -1, last = -1;
                for (size_t i = 0; i < L.regions.size(); ++i) {
                    if (L.regions[i].placement == Placement::Static && !L.regions[i].reg.empty()
                        && !L.regions[i].regMalformed) {
                        if (first < 0)
                            first = int(i);
                        last = int(i);
                    }
                }
                if (first < 0) {
                    problems << QStringLiteral("no static region");
                } else if (const QByteArray originalDtb = compiledDtb(loaded.doc); originalDtb.isEmpty()) {
                    problems << QStringLiteral("the original does not compile to a DTB");
                } else {
                    const Region& r = L.regions[size_t(first)];
                    const uint64_t base = r.reg.front().base, size = r.reg.front().size;
                    struct Case
                    {
                        const char* name;
                        std::function<QString(EditDocument&)> op;
                    };
                    const std::vector<Case> cases {
                        { "empty", [](EditDocument&) { return QString(); } },
                        { "resize", [&](EditDocument& d) { return d.resize(r.path, size + 0x1000); } },
                        { "move", [&](EditDocument& d) { return d.move(r.path, base + 0x100000); } },
                        { "no-map toggle",
                            [&](EditDocument& d) {
                                return r.noMap ? d.unsetProperty(r.path, QStringLiteral("no-map"))
                                               : d.setProperty(r.path, QStringLiteral("no-map"), QJsonValue(true));
                            } },
                        { "add",
                            [&](EditDocument& d) {
                                QJsonObject props;
                                props.insert(QStringLiteral("reg"),
                                    QJsonArray { QJsonValue(QStringLiteral("0x7f000000")),
                                        QJsonValue(QStringLiteral("0x100000")) });
                                props.insert(QStringLiteral("no-map"), true);
                                return d.addNode(L.container.path, QStringLiteral("carveout-test@7f000000"), props);
                            } },
                        { "delete", [&](EditDocument& d) { return d.deleteNode(L.regions[size_t(last)].path); } },
                    };
                    for (const auto& c : cases) {
                        EditDocument doc(loaded.doc);
                        const QString e = c.op(doc);
                        if (e.contains(QLatin1String("a sibling is already called"))) {
                            ++refusals; // moving onto a neighbour's unit address: refused, clearly
                            continue;
                        }
                        if (!e.isEmpty()) {
                            problems << QStringLiteral("%1: %2").arg(QLatin1String(c.name), e);
                            continue;
                        }
                        SourcePatch patch;
                        QTemporaryDir scratch;
                        const QString v = verify(doc, &patch, scratch.path());
                        // Deleting a region that another property still references (shmem =
                        // <&label>) is refused by dtc, with the reference named: a clear refusal.
                        if (QLatin1String(c.name) == QLatin1String("delete") && v.startsWith(QLatin1String("compile:"))
                            && v.contains(QLatin1String("Reference to non-existent node or label"))) {
                            ++refusals;
                            continue;
                        }
                        if (!v.isEmpty()) {
                            problems << QStringLiteral("%1: %2").arg(QLatin1String(c.name), v);
                            continue;
                        }
                        ++checks;
                        // What the edit asked, read from the compiled DTB independently of the
                        // edit code's own tree.
                        Effect effect { QLatin1String(c.name), r.path, base, 0 };
                        if (effect.kind == QLatin1String("empty"))
                            effect.kind.clear();
                        else if (effect.kind == QLatin1String("resize"))
                            effect.value = size + 0x1000;
                        else if (effect.kind == QLatin1String("move"))
                            effect.value = base + 0x100000;
                        else if (effect.kind == QLatin1String("add"))
                            effect = { effect.kind, L.container.path + QStringLiteral("/carveout-test@7f000000"),
                                0x7f000000, 0x100000 };
                        else if (effect.kind == QLatin1String("delete"))
                            effect.path = L.regions[size_t(last)].path;
                        const QByteArray editedDtb = compiledDtb(loaded.doc, scratch.path());
                        if (editedDtb.isEmpty())
                            problems << QStringLiteral("%1: the patched sources do not compile to a DTB")
                                            .arg(QLatin1String(c.name));
                        else if (const QString p = effectProblem(effect, originalDtb, editedDtb); !p.isEmpty())
                            problems << QStringLiteral("%1: %2").arg(QLatin1String(c.name), p);
                        ++effects;
                        if (QLatin1String(c.name) == QLatin1String("empty") && !patch.patched.isEmpty())
                            problems << QStringLiteral("empty script changed %1 file(s)").arg(patch.patched.size());
                        // Minimal: value edits touch at most the defining statement's lines (or
                        // only add an override); other files are never touched.
                        if (QLatin1String(c.name) == QLatin1String("resize")
                            || QLatin1String(c.name) == QLatin1String("no-map toggle")) {
                            for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it) {
                                const auto [minus, plus] = changedLines(patch.original.value(it.key()), it.value());
                                if (minus > 2)
                                    problems << QStringLiteral("%1 removed %2 lines of %3")
                                                    .arg(QLatin1String(c.name))
                                                    .arg(minus)
                                                    .arg(it.key());
                            }
                        }
                        if (patch.patched.size() > 2)
                            problems << QStringLiteral("%1 touched %2 files")
                                            .arg(QLatin1String(c.name))
                                            .arg(patch.patched.size());
                    }
                }
            }
            if (!problems.isEmpty()) {
                QMutexLocker lock(&mutex);
                failures << board + QStringLiteral(": ") + problems.join(QStringLiteral("; "));
            }
        }
    };
    std::vector<QThread*> pool;
    for (int t = 0; t < 2; ++t) {
        pool.push_back(QThread::create(worker));
        pool.back()->start();
    }
    for (auto* t : pool) {
        t->wait();
        delete t;
    }
    qInfo("edit on %d corpus boards: %d patches compiled and compared, %d effects checked in the DTB, %d edits "
          "refused with a reason (a remaining reference, a name taken)",
        int(boards.size()), checks.load(), effects.load(), refusals.load());
    failures.sort();
    for (const auto& f : failures.mid(0, 40))
        qWarning("%s", qPrintable(f));
    QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("%1 boards failed").arg(failures.size())));
}

void TestEdit::deletingAPropertyKeepsTheRestOfItsLine()
{
    QTemporaryDir dir;
    const QString board = test::writeFile(dir, QStringLiteral("board.dts"), R"(/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; };
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		fw@50000000 {
			reg = <0 0x50000000 0 0x100000>; no-map; /* firmware */
		};
		pool@51000000 {
			no-map;
			reg = <0 0x51000000 0 0x100000>;
		};
	};
};
)");
    const LoadedTree loaded = loadOrDie(board);
    EditDocument doc(loaded);
    QVERIFY(doc.unsetProperty(QStringLiteral("/reserved-memory/fw@50000000"), QStringLiteral("no-map")).isEmpty());
    QVERIFY(doc.unsetProperty(QStringLiteral("/reserved-memory/pool@51000000"), QStringLiteral("no-map")).isEmpty());
    SourcePatch patch;
    QTemporaryDir scratch;
    const QString v = verify(doc, &patch, scratch.path());
    QVERIFY2(v.isEmpty(), qPrintable(v));
    const QByteArray text = patch.patched.value(QFileInfo(board).canonicalFilePath());
    // Shared line: only the statement goes. Alone on its line: the line goes.
    const qsizetype fw = text.indexOf("\t\t\treg = <0 0x50000000 0 0x100000>;");
    QVERIFY2(fw > 0 && text.indexOf("/* firmware */\n", fw) == text.indexOf('\n', fw) - 14, text.constData());
    QVERIFY2(text.contains("pool@51000000 {\n\t\t\treg = <0 0x51000000 0 0x100000>;\n"), text.constData());
    QCOMPARE(text.count("no-map"), 0);
    // And in the compiled DTB: no no-map, the rest of both nodes as it was.
    const QByteArray before = compiledDtb(loaded), after = compiledDtb(loaded, scratch.path());
    QVERIFY(!before.isEmpty() && !after.isEmpty());
    for (const char* node : { "/reserved-memory/fw@50000000", "/reserved-memory/pool@51000000" }) {
        bool was = false, is = false;
        auto a = dtbref::properties(before, QLatin1String(node), &was),
             b = dtbref::properties(after, QLatin1String(node), &is);
        QVERIFY(was && is && a.count("no-map") && !b.count("no-map"));
        a.erase("no-map");
        QVERIFY2(a == b, node);
        QVERIFY(b.count("reg"));
    }
}

namespace {
/** The node index of a path in a tree the test knows holds it. */
int nodeAt(const DeviceTree& t, const char* path)
{
    const int i = t.findPath(QLatin1String(path));
    if (i < 0)
        qFatal("%s is not in the sample", path);
    return i;
}
DtProperty& propertyAt(DeviceTree& t, const char* path, const char* name)
{
    for (auto& p : t.mutableNode(nodeAt(t, path)).properties) {
        if (p.name == name)
            return p;
    }
    qFatal("%s has no %s", path, name);
}
} // namespace

void TestEdit::treeDifferenceSeesEveryChange_data()
{
    // Each row changes a copy of a sample's tree in one way; what the comparison must say.
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected"); ///< part of the message; empty: the trees are equal
    for (const char* row : { "nothing", "renumbered phandles", "changed cell", "longer value", "missing property",
             "extra property", "extra node", "missing node", "renamed node", "other reference", "memreserve base",
             "memreserve size", "memreserve count" })
        QTest::newRow(row) << QString::fromLatin1(row);
}

void TestEdit::treeDifferenceSeesEveryChange()
{
    QFETCH(QString, change);
    static const LoadedTree loaded = loadOrDie(test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts"));
    const DeviceTree& a = loaded.tree;
    QVERIFY(!a.memReserve().empty());
    DeviceTree b = a;
    const char* m7 = "/reserved-memory/m7@80000000";
    QString expected;
    if (change == QLatin1String("nothing")) {
    } else if (change == QLatin1String("renumbered phandles")) {
        // dtc may number phandles differently: the same references through other numbers are equal.
        std::map<uint32_t, uint32_t> renumber;
        for (int i = 0; i < b.nodeCount(); ++i) {
            for (auto& p : b.mutableNode(i).properties) {
                if (p.name == "phandle") {
                    const uint32_t old = cells::at(p.value, 0), now = old + 1000;
                    renumber[old] = now;
                    p.value = QByteArray(4, 0);
                    for (int k = 0; k < 4; ++k)
                        p.value[k] = char(now >> (24 - 8 * k));
                }
            }
        }
        QVERIFY(!renumber.empty());
        for (int i = 0; i < b.nodeCount(); ++i) {
            for (auto& p : b.mutableNode(i).properties) {
                if (p.name != "memory-region")
                    continue;
                for (int c = 0; c < cells::count(p.value); ++c) {
                    const uint32_t now = renumber.at(cells::at(p.value, c));
                    for (int k = 0; k < 4; ++k)
                        p.value[c * 4 + k] = char(now >> (24 - 8 * k));
                }
            }
        }
    } else if (change == QLatin1String("changed cell")) {
        QByteArray& v = propertyAt(b, m7, "reg").value;
        v[v.size() - 1] = char(v.at(v.size() - 1) ^ 1);
        expected = QStringLiteral("/reserved-memory/m7@80000000: reg differs");
    } else if (change == QLatin1String("longer value")) {
        propertyAt(b, m7, "reg").value.append(QByteArray(8, 0));
        expected = QStringLiteral("/reserved-memory/m7@80000000: reg differs");
    } else if (change == QLatin1String("missing property")) {
        auto& props = b.mutableNode(nodeAt(b, m7)).properties;
        props.erase(std::find_if(props.begin(), props.end(), [](const DtProperty& p) { return p.name == "no-map"; }));
        expected = QStringLiteral("/reserved-memory/m7@80000000: ");
    } else if (change == QLatin1String("extra property")) {
        DtProperty p;
        p.name = "reusable";
        b.mutableNode(nodeAt(b, m7)).properties.push_back(p);
        expected = QStringLiteral("/reserved-memory/m7@80000000: ");
    } else if (change == QLatin1String("extra node")) {
        b.addNode(nodeAt(b, "/reserved-memory"), "extra@90000000");
        expected = QStringLiteral("nodes expected");
    } else if (change == QLatin1String("missing node")) {
        b.deleteNode(nodeAt(b, m7));
        expected = QStringLiteral("nodes expected");
    } else if (change == QLatin1String("renamed node")) {
        b.mutableNode(nodeAt(b, m7)).name = "m7@80400000";
        expected = QStringLiteral("/reserved-memory/m7@80000000 is missing");
    } else if (change == QLatin1String("other reference")) {
        // A consumer pointing at another region: same length, a valid phandle, a wrong target.
        int consumer = -1;
        for (int i = 0; i < b.nodeCount() && consumer < 0; ++i)
            consumer = b.node(i).property("memory-region") ? i : -1;
        QVERIFY(consumer >= 0);
        auto& props = b.mutableNode(consumer).properties;
        DtProperty& mr
            = *std::find_if(props.begin(), props.end(), [](const DtProperty& p) { return p.name == "memory-region"; });
        const uint32_t was = cells::at(mr.value, 0);
        uint32_t other = 0;
        for (int i = 0; i < b.nodeCount() && !other; ++i) {
            const DtProperty* ph = b.node(i).property("phandle");
            if (ph && cells::at(ph->value, 0) != was)
                other = cells::at(ph->value, 0);
        }
        QVERIFY(other);
        for (int k = 0; k < 4; ++k)
            mr.value[k] = char(other >> (24 - 8 * k));
        expected = b.path(consumer) + QStringLiteral(": memory-region differs");
    } else if (change == QLatin1String("memreserve base")) {
        b.mutableMemReserve().front().base += 0x1000;
        expected = QStringLiteral("/memreserve/");
    } else if (change == QLatin1String("memreserve size")) {
        b.mutableMemReserve().front().size += 0x1000;
        expected = QStringLiteral("/memreserve/");
    } else if (change == QLatin1String("memreserve count")) {
        b.addMemReserve({ 0x7f000000, 0x1000, {} });
        expected = QStringLiteral("/memreserve/");
    }
    const QString forward = treeDifference(a, b), backward = treeDifference(b, a);
    if (expected.isEmpty()) {
        QVERIFY2(forward.isEmpty(), qPrintable(forward));
        QVERIFY2(backward.isEmpty(), qPrintable(backward));
    } else {
        // Both ways: a difference is one whichever tree is taken as the expected one.
        QVERIFY2(forward.contains(expected), qPrintable(forward));
        QVERIFY2(!backward.isEmpty(), "the difference is seen one way only");
    }
}

QTEST_GUILESS_MAIN(TestEdit)
#include "tst_edit.moc"
