// SPDX-License-Identifier: GPL-2.0-only
// Saving from the window: the dialog shows the unified diff of every file and switches between
// an override in the board file and patching the shared .dtsi; the save is checked by compiling
// the patched sources, keeps backups and reloads the board; export refuses on errors unless
// forced and gives what dtc compiles.

// ui
#include "addressmap.h"
#include "dialogs/savedialog.h"
#include "mainwindow.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QCheckBox>
#include <QTest>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

class TestSaveGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { test::isolateSettings(); }
    void dialogShowsDiffAndPolicy();
    void saveWritesBacksUpAndReloads();
    void exportRefusedUnlessForced();

private:
    QString copyBroken(QTemporaryDir& dir);
};

QString TestSaveGui::copyBroken(QTemporaryDir& dir)
{
    for (const auto& f : QDir(test::samplesDir() + QStringLiteral("/broken")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/broken/") + f, dir.filePath(f));
    return dir.filePath(QStringLiteral("brk1-board.dts"));
}

namespace {
} // namespace

void TestSaveGui::dialogShowsDiffAndPolicy()
{
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openFile(copyBroken(dir)));
    const int cma = test::regionNamed(w, QStringLiteral("camera-cma@"));
    w.addressMap()->setSelectedRegion(cma);
    QTest::keyClick(w.addressMap(), Qt::Key_Right); // one CMA step: 2 MiB up
    QVERIFY(w.isWindowModified());
    EditDocument doc = *w.document();
    SaveDialog dialog(doc);
    QVERIFY2(dialog.diffText().contains(QLatin1String("+&camera_cma {")), qPrintable(dialog.diffText()));
    if (const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR"); !shots.isEmpty()) {
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.grab().save(shots + QStringLiteral("/save-dialog.png"));
    }
    QVERIFY(dialog.diffText().contains(QLatin1String("reg = <0x0 0x96300000 0x0 0x4000000>;")));
    QVERIFY(!dialog.diffText().contains(QLatin1String("brk1.dtsi")));
    dialog.findChild<QCheckBox*>()->setChecked(true);
    QVERIFY2(
        dialog.diffText().contains(QLatin1String("+++ /")) && dialog.diffText().contains(QLatin1String("brk1.dtsi")),
        qPrintable(dialog.diffText()));
    QVERIFY(dialog.diffText().contains(QLatin1String("-\t\t\treg = <0 0x96100000 0 SZ_64M>;"))
        || dialog.diffText().contains(QLatin1String("0x96300000")));
}

void TestSaveGui::saveWritesBacksUpAndReloads()
{
    QTemporaryDir dir;
    const QString board = copyBroken(dir);
    MainWindow w;
    QVERIFY(w.openFile(board));
    const int adsp = test::regionNamed(w, QStringLiteral("adsp@"));
    w.addressMap()->setSelectedRegion(adsp);
    for (int i = 0; i < 0x800; ++i) // shrink by 8 MiB, one page at a time (merged into one step)
        QTest::keyClick(w.addressMap(), Qt::Key_Left, Qt::ShiftModifier);
    QCOMPARE(w.undoStack()->count(), 1);
    EditDocument doc = *w.document();
    const QString error = w.writePatch(makePatch(doc));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(QFile::exists(board + QStringLiteral(".bak")));
    QVERIFY(w.undoStack()->isClean());
    QVERIFY(!w.isWindowModified());
    const int again = test::regionNamed(w, QStringLiteral("adsp@"));
    QCOMPARE(w.analysis()->place(again).size, uint64_t(0x1000000));
    // The overlap is gone from the saved sources.
    bool overlap = false;
    for (const auto& f : w.findings().findings)
        overlap |= f.rule == QLatin1String("rm_overlap");
    QVERIFY(!overlap);
}

void TestSaveGui::exportRefusedUnlessForced()
{
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openFile(copyBroken(dir)));
    const QString out = dir.filePath(QStringLiteral("out.dtb"));
    QVERIFY(w.exportDtb(out, false).contains(QLatin1String("error-level")));
    QVERIFY(!QFile::exists(out));
    QVERIFY2(w.exportDtb(out, true).isEmpty(), qPrintable(w.exportDtb(out, true)));
    const LoadResult dtb = loadBoard(out);
    QVERIFY(dtb.ok);
    QVERIFY(dtb.doc.tree.findPath(QStringLiteral("/reserved-memory/camera-cma@96100000")) > 0);
}

QTEST_MAIN(TestSaveGui)
#include "tst_savegui.moc"
