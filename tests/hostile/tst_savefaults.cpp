// SPDX-License-Identifier: GPL-2.0-only
// Saving under faults. A two-file save (the phone sample: the board and its SoC .dtsi, with
// --patch-shared) is made to fail at every stage: a full disk while the new texts are written
// (injected short writes and ENOSPC through the SaveIo seam, and a real 256 KiB tmpfs when the
// machine lets us mount one), a refused rename of the second file after the first was replaced,
// an undo that fails too, a crash (kill) between any two renames, links that are not possible,
// read-only files and folders (as nobody when we are root: root ignores permission bits), and
// files changed underneath between load, patch and save. Every time: no file is truncated or
// lost (each holds its old or its new text, whole, and a replaced file has its .bak), and the
// result and the CLI say which files were written and which were not.

// core
#include "edit/editdocument.h"
#include "edit/patcher.h"
#include "edit/safesave.h"
#include "source/loader.h"

// tests
#include "hostiletest.h"

// Qt
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

// std
#include <functional>
#include <tuple>

// POSIX
#include <cerrno>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace carveout;

namespace {

const char* kBoard = "sd9000-mtp.dts";
const char* kSoc = "sd9000.dtsi";
const QByteArray kScript = R"([
  { "op": "resize", "node": "/reserved-memory/video-region@98f00000", "size": "0x400000" },
  { "op": "resize", "node": "/reserved-memory/ramoops@e3000000", "size": "0x200000" } ])";

/** SaveIo with faults: each counter says which call fails (1-based; 0: none). */
class FaultyIo : public SaveIo
{
public:
    qint64 writeBudget = -1; ///< bytes that fit on the "disk"; then short writes and ENOSPC
    int failRename = 0; ///< the Nth rename fails with EIO
    bool failRenamesAfter = false; ///< ... and every later one (the undo fails too)
    bool failLinks = false; ///< link() gives EPERM (a file system without hard links)
    int crashAtRename = 0; ///< the process dies instead of the Nth rename
    int renames = 0;
    qint64 written = 0;
    std::function<void()> onFirstWrite;

    ssize_t write(int fd, const char* data, size_t size) override
    {
        if (onFirstWrite) {
            onFirstWrite();
            onFirstWrite = nullptr;
        }
        if (writeBudget >= 0) {
            const qint64 room = writeBudget - written;
            if (room <= 0) {
                errno = ENOSPC;
                return -1;
            }
            size = std::min<size_t>(size, size_t(room)); // a short write, as a filling disk gives
        }
        const ssize_t n = SaveIo::write(fd, data, size);
        if (n > 0)
            written += n;
        return n;
    }
    int rename(const QByteArray& from, const QByteArray& to) override
    {
        ++renames;
        if (crashAtRename && renames == crashAtRename)
            ::_exit(77);
        if (failRename && (renames == failRename || (failRenamesAfter && renames > failRename))) {
            errno = EIO;
            return -1;
        }
        return SaveIo::rename(from, to);
    }
    int link(const QByteArray& from, const QByteArray& to) override
    {
        if (failLinks) {
            errno = EPERM;
            return -1;
        }
        return SaveIo::link(from, to);
    }
};

/** Installs a SaveIo for one scope. */
struct IoGuard
{
    explicit IoGuard(SaveIo* io)
        : previous(setSaveIo(io))
    {
    }
    ~IoGuard() { setSaveIo(previous); }
    SaveIo* previous;
};

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

/** A copy of the phone sample, its patch (two files) and the texts before and after. */
struct Fixture
{
    QTemporaryDir dir;
    SourcePatch patch;
    QString board, soc;
    QByteArray boardOld, socOld, boardNew, socNew;

    bool make()
    {
        const QString src = test::samplesDir() + QStringLiteral("/phone");
        for (const auto& f : QDir(src).entryList(QDir::Files)) {
            if (!QFile::copy(src + QLatin1Char('/') + f, dir.filePath(f)))
                return false;
        }
        board = dir.filePath(QLatin1String(kBoard));
        soc = dir.filePath(QLatin1String(kSoc));
        const LoadResult loaded = loadBoard(board);
        if (!loaded.ok)
            return false;
        PatchPolicy policy;
        policy.patchShared = true;
        EditDocument doc(loaded.doc, policy);
        std::vector<EditOp> ops;
        QString error;
        if (!parseEditScript(kScript, &ops, &error) || !doc.applyAll(ops).isEmpty())
            return false;
        patch = makePatch(doc);
        boardOld = readFile(board);
        socOld = readFile(soc);
        boardNew = patch.patched.value(QFileInfo(board).canonicalFilePath(), patch.patched.value(board));
        socNew = patch.patched.value(QFileInfo(soc).canonicalFilePath(), patch.patched.value(soc));
        return patch.ok() && patch.patched.size() == 2 && !boardNew.isEmpty() && !socNew.isEmpty();
    }

    /** Temporary files a save left behind. */
    QStringList leftovers() const
    {
        QStringList out;
        for (const auto& f : QDir(dir.path()).entryList(QDir::Files | QDir::Hidden)) {
            if (f.contains(QLatin1String(".carveout-")))
                out << f;
        }
        return out;
    }

    /** Each file whole: its old text or its new one, and a replaced file has its old text in .bak. */
    QString invariant() const
    {
        for (const auto& [path, oldText, newText] :
            { std::tuple(board, boardOld, boardNew), std::tuple(soc, socOld, socNew) }) {
            const QByteArray now = readFile(path);
            if (now == newText) {
                if (readFile(path + QStringLiteral(".bak")) != oldText)
                    return path + QStringLiteral(" holds the new text but its .bak is not the old one");
            } else if (now != oldText) {
                return path + QStringLiteral(" is neither the old nor the new text (%1 bytes)").arg(now.size());
            }
        }
        return {};
    }
    bool untouched() const { return readFile(board) == boardOld && readFile(soc) == socOld; }
};

} // namespace

class TestSaveFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanSave();
    void diskFullWhileStaging_data();
    void diskFullWhileStaging();
    void secondRenameFailsUndoesTheFirst();
    void undoFailsToo();
    void crashBetweenRenames_data();
    void crashBetweenRenames();
    void noHardLinks();
    void changedBetweenLoadAndPatch();
    void changedWhileSaving();
    void readOnlyFileAndFolder_data();
    void readOnlyFileAndFolder();
    void cliBackupBlockedOnSecondFile();
    void cliRealDiskFull();
    void symlinkedBoardKeepsTheLink();
};

void TestSaveFaults::initTestCase()
{
    Fixture f;
    QVERIFY2(f.make(), "the phone sample's two-file patch");
}

void TestSaveFaults::cleanSave()
{
    Fixture f;
    QVERIFY(f.make());
    const SaveResult r = savePatch(f.patch);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.written.size(), 2);
    QCOMPARE(r.backups.size(), 2);
    QCOMPARE(readFile(f.board), f.boardNew);
    QCOMPARE(readFile(f.soc), f.socNew);
    QCOMPARE(readFile(f.board + QStringLiteral(".bak")), f.boardOld);
    QCOMPARE(readFile(f.soc + QStringLiteral(".bak")), f.socOld);
    QVERIFY2(f.leftovers().isEmpty(), qPrintable(f.leftovers().join(QLatin1Char(' '))));
}

void TestSaveFaults::diskFullWhileStaging_data()
{
    QTest::addColumn<int>("budget"); // bytes that fit; -1 for "all of the first file and 100 more"
    QTest::addRow("nothing fits") << 0;
    QTest::addRow("half of the first file") << 1000;
    QTest::addRow("the first file and a bit of the second") << -1;
}

void TestSaveFaults::diskFullWhileStaging()
{
    QFETCH(int, budget);
    Fixture f;
    QVERIFY(f.make());
    FaultyIo io;
    // Files are staged in the patch's (path) order: the board, then the .dtsi.
    io.writeBudget = budget >= 0 ? budget : f.boardNew.size() + 100;
    IoGuard guard(&io);
    const SaveResult r = savePatch(f.patch);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("disk is full")) && r.error.contains(QLatin1String("nothing was written")),
        qPrintable(r.error));
    QVERIFY(r.written.isEmpty());
    QCOMPARE(r.unchanged.size(), 2);
    QVERIFY(f.untouched());
    QVERIFY(!QFile::exists(f.board + QStringLiteral(".bak")));
    QVERIFY2(f.leftovers().isEmpty(), qPrintable(f.leftovers().join(QLatin1Char(' '))));
}

void TestSaveFaults::secondRenameFailsUndoesTheFirst()
{
    Fixture f;
    QVERIFY(f.make());
    FaultyIo io;
    io.failRename = 4; // board: .bak, board; soc: .bak, then soc itself fails
    IoGuard guard(&io);
    const SaveResult r = savePatch(f.patch);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("cannot replace")) && r.error.contains(QLatin1String(kSoc))
            && r.error.contains(QLatin1String("after")) && r.error.contains(QLatin1String(kBoard))
            && r.error.contains(QLatin1String("put back")) && r.error.contains(QLatin1String("nothing was written")),
        qPrintable(r.error));
    QVERIFY(r.written.isEmpty());
    QVERIFY(r.lost.isEmpty());
    QCOMPARE(r.unchanged.size(), 2);
    QVERIFY(f.untouched());
    QVERIFY2(f.invariant().isEmpty(), qPrintable(f.invariant()));
    QVERIFY2(f.leftovers().isEmpty(), qPrintable(f.leftovers().join(QLatin1Char(' '))));
}

void TestSaveFaults::undoFailsToo()
{
    Fixture f;
    QVERIFY(f.make());
    FaultyIo io;
    io.failRename = 4;
    io.failRenamesAfter = true; // the undo's renames fail as well
    io.failLinks = false;
    IoGuard guard(&io);
    const SaveResult r = savePatch(f.patch);
    QVERIFY(!r.ok);
    QCOMPARE(r.lost, QStringList { QFileInfo(f.board).canonicalFilePath() });
    QCOMPARE(r.written, r.lost); // what holds the new text is said
    QCOMPARE(r.unchanged, QStringList { QFileInfo(f.soc).canonicalFilePath() });
    QVERIFY2(r.error.contains(QLatin1String("COULD NOT PUT BACK")) && r.error.contains(QLatin1String(".bak")),
        qPrintable(r.error));
    // Nothing is truncated or lost: the board holds its whole new text, the old one is in its .bak.
    QCOMPARE(readFile(f.board), f.boardNew);
    QCOMPARE(readFile(f.soc), f.socOld);
    QVERIFY2(f.invariant().isEmpty(), qPrintable(f.invariant()));
}

void TestSaveFaults::crashBetweenRenames_data()
{
    QTest::addColumn<int>("renameNumber");
    QTest::addRow("before the board's .bak") << 1;
    QTest::addRow("between the board's .bak and the board") << 2;
    QTest::addRow("between the two files") << 3;
    QTest::addRow("before the last rename") << 4;
}

void TestSaveFaults::crashBetweenRenames()
{
    QFETCH(int, renameNumber);
    Fixture f;
    QVERIFY(f.make());
    // The save runs in a child that dies (as on kill -9) instead of making that rename.
    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        FaultyIo io;
        io.crashAtRename = renameNumber;
        setSaveIo(&io);
        savePatch(f.patch);
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 77);
    QVERIFY2(f.invariant().isEmpty(), qPrintable(f.invariant()));
    const bool boardNew = readFile(f.board) == f.boardNew;
    QCOMPARE(boardNew, renameNumber > 2);
    QCOMPARE(readFile(f.soc), f.socOld);
    // What a crash leaves: hidden temporary files beside their targets (documented), never a
    // partial target.
    for (const auto& t : f.leftovers())
        QVERIFY2(t.startsWith(QLatin1Char('.')), qPrintable(t));
}

void TestSaveFaults::noHardLinks()
{
    Fixture f;
    QVERIFY(f.make());
    FaultyIo io;
    io.failLinks = true; // backups become copies
    IoGuard guard(&io);
    const SaveResult r = savePatch(f.patch);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(readFile(f.board), f.boardNew);
    QCOMPARE(readFile(f.board + QStringLiteral(".bak")), f.boardOld);
    QCOMPARE(readFile(f.soc + QStringLiteral(".bak")), f.socOld);
    QVERIFY(f.leftovers().isEmpty());
}

void TestSaveFaults::changedBetweenLoadAndPatch()
{
    QTemporaryDir dir;
    const QString src = test::samplesDir() + QStringLiteral("/phone");
    for (const auto& name : QDir(src).entryList(QDir::Files))
        QVERIFY(QFile::copy(src + QLatin1Char('/') + name, dir.filePath(name)));
    const LoadResult loaded = loadBoard(dir.filePath(QLatin1String(kBoard)));
    QVERIFY(loaded.ok);
    // Someone adds a line at the top of the .dtsi after the board was loaded: the source map no
    // longer matches it, so no patch may be made from it.
    const QString soc = dir.filePath(QLatin1String(kSoc));
    const QByteArray socOld = readFile(soc);
    {
        QFile w(soc);
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write("/* a comment added elsewhere */\n" + socOld);
    }
    PatchPolicy policy;
    policy.patchShared = true;
    EditDocument doc(loaded.doc, policy);
    std::vector<EditOp> ops;
    QString error;
    QVERIFY(parseEditScript(kScript, &ops, &error));
    QVERIFY(doc.applyAll(ops).isEmpty());
    const SourcePatch patch = makePatch(doc);
    QVERIFY(!patch.ok());
    QVERIFY2(patch.error.contains(QLatin1String(kSoc)) && patch.error.contains(QLatin1String("changed on disk")),
        qPrintable(patch.error));
    QVERIFY(readFile(soc).startsWith("/* a comment added elsewhere */\n"));
}

void TestSaveFaults::changedWhileSaving()
{
    Fixture f;
    QVERIFY(f.make());
    FaultyIo io;
    // While the new texts are being written, another program rewrites the .dtsi in place.
    io.onFirstWrite = [&] {
        QFile w(f.soc);
        if (w.open(QIODevice::Append))
            w.write("/* edited meanwhile */\n");
    };
    IoGuard guard(&io);
    const SaveResult r = savePatch(f.patch);
    QVERIFY(!r.ok);
    QVERIFY2(
        r.error.contains(QLatin1String("changed on disk")) && r.error.contains(QLatin1String("nothing was written")),
        qPrintable(r.error));
    QCOMPARE(readFile(f.board), f.boardOld);
    QVERIFY(readFile(f.soc).endsWith("/* edited meanwhile */\n"));
    QVERIFY(f.leftovers().isEmpty());
}

void TestSaveFaults::readOnlyFileAndFolder_data()
{
    QTest::addColumn<bool>("folder");
    QTest::addRow("read-only .dtsi") << false;
    QTest::addRow("read-only folder") << true;
}

void TestSaveFaults::readOnlyFileAndFolder()
{
    QFETCH(bool, folder);
    Fixture f;
    QVERIFY(f.make());
    const QString script = f.dir.filePath(QStringLiteral("edits.json"));
    QFile s(script);
    QVERIFY(s.open(QIODevice::WriteOnly));
    s.write(kScript);
    s.close();
    // As nobody when we are root (root ignores permission bits): everything readable to others.
    // Everything else writable by anyone, so that only the one protection is in the way.
    ::chmod(QFile::encodeName(f.dir.path()).constData(), folder ? 0555 : 0777);
    for (const auto& name : QDir(f.dir.path()).entryList(QDir::Files))
        ::chmod(QFile::encodeName(f.dir.filePath(name)).constData(), 0666);
    if (!folder)
        ::chmod(QFile::encodeName(f.soc).constData(), 0444);
    test::CliLimits limits;
    limits.asNobody = true;
    const test::CliRun r = test::runCli({ QStringLiteral("edit"), f.board, QStringLiteral("--script"), script,
                                            QStringLiteral("--in-place"), QStringLiteral("--patch-shared") },
        limits);
    ::chmod(QFile::encodeName(f.dir.path()).constData(), 0755);
    QVERIFY2(test::cleanRun(r), qPrintable(r.describe()));
    QVERIFY2(r.status == 2, qPrintable(r.describe()));
    const QString what = folder ? QStringLiteral("cannot create files in the folder")
                                : QStringLiteral("%1 is read-only").arg(QLatin1String(kSoc));
    QVERIFY2(r.err.contains(what) && r.err.contains(QLatin1String("nothing was written"))
            && r.err.contains(QLatin1String("--out-dir")),
        qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QStringLiteral("not written (as it was): ")) && r.err.contains(QLatin1String(kBoard))
            && r.err.contains(QLatin1String(kSoc)),
        qPrintable(r.describe()));
    QVERIFY(f.untouched());
    QVERIFY(!QFile::exists(f.board + QStringLiteral(".bak")));
}

void TestSaveFaults::cliBackupBlockedOnSecondFile()
{
    // A real failure in the middle of a two-file save: the .dtsi's backup name is taken by a
    // folder, so its backup cannot be put in place after the board file was already replaced.
    Fixture f;
    QVERIFY(f.make());
    QVERIFY(QDir().mkpath(f.soc + QStringLiteral(".bak/keep")));
    const QString script = f.dir.filePath(QStringLiteral("edits.json"));
    QFile s(script);
    QVERIFY(s.open(QIODevice::WriteOnly));
    s.write(kScript);
    s.close();
    const test::CliRun r = test::runCli({ QStringLiteral("edit"), f.board, QStringLiteral("--script"), script,
        QStringLiteral("--in-place"), QStringLiteral("--patch-shared") });
    QVERIFY2(test::cleanRun(r), qPrintable(r.describe()));
    QVERIFY2(r.status == 2, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QStringLiteral("cannot put the backup")) && r.err.contains(QLatin1String(kSoc))
            && r.err.contains(QLatin1String("had been replaced")) && r.err.contains(QLatin1String(kBoard))
            && r.err.contains(QLatin1String("every file was put back")),
        qPrintable(r.describe()));
    QVERIFY2(r.err.contains(QStringLiteral("not written (as it was): ")), qPrintable(r.describe()));
    QVERIFY(!r.err.contains(QLatin1String("wrote ")));
    QVERIFY(f.untouched());
    QVERIFY(f.leftovers().isEmpty());
}

void TestSaveFaults::cliRealDiskFull()
{
    // A real full disk: a 256 KiB tmpfs in a mount namespace of its own (unshare -rm: no root
    // needed where user namespaces are allowed, nothing left mounted whatever happens), filled
    // up to the last page, then the CLI saves into it. The results are copied out to be checked.
    Fixture f;
    QVERIFY(f.make());
    QTemporaryDir out;
    const QString script = f.dir.filePath(QStringLiteral("edits.json"));
    QFile s(script);
    QVERIFY(s.open(QIODevice::WriteOnly));
    s.write(kScript);
    s.close();
    const QString sh = QStringLiteral(R"(set -u
mnt=$(mktemp -d) || exit 90
mount -t tmpfs -o size=256k,nr_inodes=64 carveout-full "$mnt" 2>/dev/null || exit 90
cp "$SRC"/*.dts "$SRC"/*.dtsi "$SRC"/*.h "$mnt"/ || exit 91
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
"$CLI" edit "$mnt/sd9000-mtp.dts" --script "$SCRIPT" --in-place --patch-shared
echo "exit=$?" >&2
cp -a "$mnt"/. "$OUT"/ 2>/dev/null
ls -a "$mnt" >&2
exit 0
)");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SRC"), f.dir.path());
    env.insert(QStringLiteral("CLI"), test::cliPath());
    env.insert(QStringLiteral("SCRIPT"), script);
    env.insert(QStringLiteral("OUT"), out.path());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("unshare"), { QStringLiteral("-rm"), QStringLiteral("sh"), QStringLiteral("-c"), sh });
    if (!p.waitForStarted(5000))
        QSKIP("unshare is not installed");
    QVERIFY(p.waitForFinished(120000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (p.exitCode() == 90 || err.contains(QLatin1String("unshare failed")) || err.contains(QLatin1String("unshare:")))
        QSKIP(qPrintable(QStringLiteral("cannot mount a small tmpfs here (%1)").arg(err.trimmed().left(200))));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(err.contains(QLatin1String("exit=2")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("disk is full")) && err.contains(QLatin1String("nothing was written")),
        qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("not written (as it was): ")), qPrintable(err));
    QVERIFY2(!err.contains(QLatin1String(".carveout-")), qPrintable(err)); // no temporary file left
    QCOMPARE(readFile(out.filePath(QLatin1String(kBoard))), f.boardOld);
    QCOMPARE(readFile(out.filePath(QLatin1String(kSoc))), f.socOld);
    QVERIFY(!QFile::exists(out.filePath(QLatin1String(kBoard)) + QStringLiteral(".bak")));
}

void TestSaveFaults::symlinkedBoardKeepsTheLink()
{
    Fixture f;
    QVERIFY(f.make());
    // The board is opened through a link; the save replaces the file, not the link.
    const QString link = f.dir.filePath(QStringLiteral("board-link.dts"));
    QVERIFY(QFile::link(f.board, link));
    const LoadResult loaded = loadBoard(link);
    QVERIFY(loaded.ok);
    EditDocument doc(loaded.doc);
    QVERIFY(doc.resize(QStringLiteral("/reserved-memory/ramoops@e3000000"), 0x200000).isEmpty());
    const SourcePatch patch = makePatch(doc);
    QVERIFY2(patch.ok(), qPrintable(patch.error));
    const SaveResult r = savePatch(patch);
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(QFileInfo(link).isSymLink());
    QVERIFY(readFile(f.board) != f.boardOld);
    QCOMPARE(readFile(f.board + QStringLiteral(".bak")), f.boardOld);
}

QTEST_GUILESS_MAIN(TestSaveFaults)
#include "tst_savefaults.moc"
