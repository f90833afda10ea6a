// SPDX-License-Identifier: GPL-2.0-only
// Editing and toolbar defects found by using the window as a new user would (issue 15, item 11):
// the Region panel's Base field, memory-region entries that can be removed or pointed elsewhere,
// a device list of devices only, File > Save As, and kernel toolbar choices that contradict the
// profile. Real widgets on the offscreen platform, the sample boards and a corpus board.

// ui
#include "addressmap.h"
#include "kernelbar.h"
#include "mainwindow.h"
#include "propertypanel.h"

// core
#include "edit/patcher.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

namespace {
/** The broken sample copied into `dir` (saves write there). */
QString copyBroken(const QTemporaryDir& dir)
{
    const QString from = test::samplesDir() + QStringLiteral("/broken/");
    for (const auto& f : QDir(from).entryList(QDir::Files))
        QFile::copy(from + f, dir.filePath(f));
    return dir.filePath(QStringLiteral("brk1-board.dts"));
}

void select(MainWindow& w, int region)
{
    w.addressMap()->setSelectedRegion(region);
    emit w.addressMap()->regionSelected(region);
}

QPushButton* button(QWidget* parent, const char* name)
{
    return parent->findChild<QPushButton*>(QLatin1String(name));
}

/** The consumer (device, entry) of the window's layout, or null. */
const Consumer* consumer(const MainWindow& w, const QString& device, int index = 0)
{
    for (const auto& c : w.layout().consumers)
        if (c.device == device && c.index == index)
            return &c;
    return nullptr;
}

QByteArray contents(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/** Picks `data` in a combo box as the user's choice would (the signal the popup sends). */
void pick(QComboBox* box, const QString& data)
{
    const int i = box->findData(data);
    QVERIFY2(i >= 0, qPrintable(data));
    box->setCurrentIndex(i);
}

const QString kVideoCodec = QStringLiteral("/soc@0/video-codec@aa00000");
} // namespace

class TestEditDefects : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void baseField();
    void deviceListOffersDevicesOnly();
    void memoryRegionEntryRetargetedAndRemoved();
    void saveAs();
    void saveAsRefuses();
    void kernelChoicesFollowTheProfile();
    void contradictionMarkedAndNamed();
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestEditDefects::baseField()
{
    auto w = test::openWindow(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts"));
    auto* base = w->propertyPanel()->findChild<QLineEdit*>(QStringLiteral("base"));
    QVERIFY(base);
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp@"));
    select(*w, cdsp);
    QVERIFY(base->isEnabled());
    QCOMPARE(base->text(), QStringLiteral("0x95000000"));
    base->selectAll();
    QTest::keyClicks(base, QStringLiteral("0x95800000"));
    QTest::keyClick(base, Qt::Key_Return);
    QCOMPARE(w->undoStack()->count(), 1);
    QCOMPARE(w->undoStack()->text(0), QStringLiteral("Set base of /reserved-memory/cdsp@95000000"));
    // Defined in the shared brk1.dtsi, the node keeps its name (an override cannot rename it).
    const int moved = test::regionNamed(*w, QStringLiteral("cdsp@"));
    QVERIFY(moved >= 0);
    QCOMPARE(w->analysis()->place(moved).base, uint64_t(0x95800000));
    QCOMPARE(base->text(), QStringLiteral("0x95800000"));
    w->undoStack()->undo();
    QCOMPARE(w->analysis()->place(moved).base, uint64_t(0x95000000));
    // Units work too; nonsense is refused with a sentence and no undo step.
    base->selectAll();
    QTest::keyClicks(base, QStringLiteral("2400M"));
    QTest::keyClick(base, Qt::Key_Return);
    QCOMPARE(w->undoStack()->index(), 1);
    QCOMPARE(w->analysis()->place(moved).base, uint64_t(0x96000000)); // 2400M
    base->selectAll();
    QTest::keyClicks(base, QStringLiteral("lots"));
    QTest::keyClick(base, Qt::Key_Return);
    QCOMPARE(w->undoStack()->index(), 1);
    QVERIFY2(w->statusBar()->currentMessage().contains(QLatin1String("not a base address")),
        qPrintable(w->statusBar()->currentMessage()));
    // A dynamic region: no base to type, and the field says why.
    const int dynamic = test::regionNamed(*w, QStringLiteral("linux,cma"));
    select(*w, dynamic);
    QVERIFY(!base->isEnabled());
    QVERIFY(base->text().isEmpty());
    QVERIFY2(base->placeholderText().contains(QLatin1String("kernel places it")), qPrintable(base->placeholderText()));
}

void TestEditDefects::deviceListOffersDevicesOnly()
{
    // A phone-class corpus board: CPUs with reg and compatible, /psci, /chosen, memory nodes.
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    auto w = test::openWindow(test::corpusDir() + QStringLiteral("/src/arm64/qcom/sm8550-qrd.dts"));
    const QStringList& devices = w->analysis()->bindings.devices;
    QVERIFY(devices.size() > 20);
    for (const QString& d : devices) {
        for (const char* not_ : { "/cpus", "/psci", "/chosen", "/aliases", "/memory@", "/reserved-memory" })
            QVERIFY2(!d.startsWith(QLatin1String(not_)), qPrintable(d));
    }
    // Every device that already has a memory-region is offered (to add another entry).
    for (const auto& c : w->layout().consumers)
        QVERIFY2(devices.contains(c.device), qPrintable(c.device));
    // And the panel's list is that list.
    select(*w, 0);
    auto* box = w->propertyPanel()->findChild<QComboBox*>(QStringLiteral("devices"));
    QCOMPARE(box->count(), devices.size());
    QCOMPARE(box->findText(QStringLiteral("/cpus/cpu@0")), -1);
    QCOMPARE(box->findText(QStringLiteral("/psci")), -1);
}

void TestEditDefects::memoryRegionEntryRetargetedAndRemoved()
{
    // brk1's video codec points at a syscon (BUG c): the overview lists the dangling entry, which
    // is pointed at video_mem, saved (the source line is patched), reloaded, then removed.
    QTemporaryDir dir;
    const QString board = copyBroken(dir);
    auto w = test::openWindow(board);
    PropertyPanel* panel = w->propertyPanel();
    QVERIFY(test::hasFinding(*w, "mr_target_unregistered"));
    const int video = test::regionNamed(*w, QStringLiteral("video@"));
    select(*w, video);
    auto* overview = panel->findChild<QListWidget*>(QStringLiteral("overview"));
    QListWidgetItem* dangling = nullptr;
    for (int i = 0; i < overview->count(); ++i)
        if (overview->item(i)->text().contains(kVideoCodec))
            dangling = overview->item(i);
    QVERIFY(dangling);
    overview->setCurrentItem(dangling);
    auto* retargetTo = panel->findChild<QComboBox*>(QStringLiteral("retargetTo"));
    QCOMPARE(retargetTo->currentData().toString(), w->layout().regions[size_t(video)].path);
    QVERIFY(button(panel, "retargetEntry")->isEnabled());
    test::screenshot(*w, "edit-retarget-entry.png");
    QTest::mouseClick(button(panel, "retargetEntry"), Qt::LeftButton);
    QCOMPARE(w->undoStack()->count(), 1);
    QVERIFY(consumer(*w, kVideoCodec));
    QCOMPARE(consumer(*w, kVideoCodec)->region, video);
    QVERIFY(!test::hasFinding(*w, "mr_target_unregistered"));
    // Saved: the memory-region line of brk1.dtsi (or an override in the board) now names video_mem.
    EditDocument doc = *w->document();
    const QString error = w->writePatch(makePatch(doc));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // By default edits of shared files are overrides in the board: &video_codec gains the line,
    // with the label, not a number.
    QVERIFY2(contents(board).contains("memory-region = <&video_mem>;"), contents(board).right(400).constData());
    QCOMPARE(consumer(*w, kVideoCodec)->region, test::regionNamed(*w, QStringLiteral("video@")));
    // Removed from the users list of its region: one entry, one undo step, the device keeps the rest.
    select(*w, test::regionNamed(*w, QStringLiteral("video@")));
    auto* users = panel->findChild<QListWidget*>(QStringLiteral("users"));
    QCOMPARE(users->count(), 1);
    users->setCurrentRow(0);
    QTest::mouseClick(button(panel, "removeEntry"), Qt::LeftButton);
    QCOMPARE(w->undoStack()->count(), 1);
    QVERIFY(!consumer(*w, kVideoCodec));
    QCOMPARE(users->count(), 0);
    w->undoStack()->undo();
    QVERIFY(consumer(*w, kVideoCodec));
    // Pointing an entry at a region the device already uses in another entry is refused.
    const int camera = test::regionNamed(*w, QStringLiteral("camera-cma@"));
    QCOMPARE(w->document()->working().tree.findPath(kVideoCodec) > 0, true);
    EditDocument twice = *w->document();
    QVERIFY(twice.bind(kVideoCodec, w->layout().regions[size_t(camera)].path).isEmpty());
    QVERIFY(
        twice.retarget(kVideoCodec, 0, w->layout().regions[size_t(camera)].path).contains(QLatin1String("already")));
    QVERIFY(twice.removeEntry(kVideoCodec, 7).contains(QLatin1String("no memory-region entry 7")));
}

void TestEditDefects::saveAs()
{
    // File > Save as...: the edited board under a new name beside the original, the original and
    // its includes untouched, the window on the new file.
    QTemporaryDir dir;
    const QString board = copyBroken(dir);
    const QByteArray boardBefore = contents(board), dtsiBefore = contents(dir.filePath(QStringLiteral("brk1.dtsi")));
    auto w = test::openWindow(board);
    const int adsp = test::regionNamed(*w, QStringLiteral("adsp@"));
    select(*w, adsp);
    auto* size = w->propertyPanel()->findChild<QLineEdit*>(QStringLiteral("size"));
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("16M"));
    QTest::keyClick(size, Qt::Key_Return);
    QVERIFY(!test::hasFinding(*w, "rm_overlap"));
    QAction* action = w->findChild<QAction*>(QStringLiteral("saveAs"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::SaveAs));
    const QString target = dir.filePath(QStringLiteral("brk1-fixed.dts"));
    QString offered;
    QTimer::singleShot(0, [&] {
        if (auto* d = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
            offered = d->selectedFiles().value(0);
            d->selectFile(target);
            QMetaObject::invokeMethod(d, "accept");
        }
    });
    action->trigger();
    QCOMPARE(QFileInfo(offered).absolutePath(), QFileInfo(board).absolutePath());
    QVERIFY2(QFile::exists(target), qPrintable(w->statusBar()->currentMessage()));
    QCOMPARE(contents(board), boardBefore);
    QCOMPARE(contents(dir.filePath(QStringLiteral("brk1.dtsi"))), dtsiBefore);
    QVERIFY(contents(target).contains("#include \"brk1.dtsi\""));
    QCOMPARE(w->document()->original().absoluteFile, QFileInfo(target).absoluteFilePath());
    QVERIFY(w->undoStack()->isClean());
    QVERIFY(!w->isWindowModified());
    QCOMPARE(w->analysis()->place(test::regionNamed(*w, QStringLiteral("adsp@"))).size, uint64_t(16 << 20));
    QVERIFY(!test::hasFinding(*w, "rm_overlap"));
    QVERIFY(w->statusBar()->currentMessage().contains(QLatin1String("brk1-fixed.dts")));
    QVERIFY(!QFile::exists(board + QStringLiteral(".bak"))); // nothing of the original was replaced
}

void TestEditDefects::saveAsRefuses()
{
    QTemporaryDir dir, elsewhere;
    const QString board = copyBroken(dir);
    auto w = test::openWindow(board);
    select(*w, test::regionNamed(*w, QStringLiteral("adsp@")));
    auto* size = w->propertyPanel()->findChild<QLineEdit*>(QStringLiteral("size"));
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("16M"));
    QTest::keyClick(size, Qt::Key_Return);
    // Elsewhere, its includes would not be found; an include or the board itself would be clobbered.
    QVERIFY(w->saveBoardAs(elsewhere.filePath(QStringLiteral("x.dts"))).contains(QLatin1String("beside")));
    QVERIFY(w->saveBoardAs(dir.filePath(QStringLiteral("brk1.dtsi"))).contains(QLatin1String("sources")));
    QVERIFY(w->saveBoardAs(board).contains(QLatin1String("Save changes")));
    // The board changed on disk since it was loaded: its edits cannot be carried over.
    {
        QFile f(board);
        QVERIFY(f.open(QIODevice::Append));
        f.write("/* changed by someone else */\n");
    }
    const QString target = dir.filePath(QStringLiteral("new.dts"));
    QVERIFY(w->saveBoardAs(target).contains(QLatin1String("changed on disk")));
    QVERIFY(!QFile::exists(target));
    QVERIFY(!w->undoStack()->isClean()); // the edit is still there to save another way
}

void TestEditDefects::kernelChoicesFollowTheProfile()
{
    // debian-6.1-arm64 with kernel 5.10 and 64K pages was silently analysed as
    // "debian-6.1-arm64+linux-5.10-arm64-64k": the profile follows the choice now, and says so.
    auto w = test::openWindow(test::samplesDir() + QStringLiteral("/sim/sim-board.dts"));
    auto* profile = w->findChild<QComboBox*>(QStringLiteral("profile"));
    auto* kernel = w->findChild<QComboBox*>(QStringLiteral("kernel"));
    auto* page = w->findChild<QComboBox*>(QStringLiteral("pageSize"));
    QVERIFY(profile && kernel && page);
    pick(profile, QStringLiteral("debian-6.1-arm64"));
    QCOMPARE(w->profile().name, QStringLiteral("debian-6.1-arm64"));
    pick(kernel, QStringLiteral("5.10"));
    QCOMPARE(profile->currentData().toString(), QStringLiteral("linux-5.10-arm64-4k"));
    QVERIFY(w->statusBar()->currentMessage().contains(QLatin1String("debian-6.1-arm64")));
    pick(page, QStringLiteral("64K"));
    QCOMPARE(profile->currentData().toString(), QStringLiteral("linux-5.10-arm64-64k"));
    QCOMPARE(w->profile().name, QStringLiteral("linux-5.10-arm64-64k"));
    QCOMPARE(w->profile().pageSize, uint64_t(65536));
    QCOMPARE(kernel->currentIndex(), 0); // "profile's": the profile carries the choice
    QCOMPARE(page->currentIndex(), 0);
    // The same family first: debian 6.1 asked for 6.12 is debian 6.12.
    pick(profile, QStringLiteral("debian-6.1-arm64"));
    pick(kernel, QStringLiteral("6.12"));
    QCOMPARE(w->profile().name, QStringLiteral("debian-6.12-arm64"));
    // Picking a profile makes the fields that said otherwise follow it.
    pick(profile, QStringLiteral("linux-6.6-arm64-4k"));
    pick(page, QStringLiteral("16K"));
    QCOMPARE(w->profile().name, QStringLiteral("linux-6.6-arm64-16k"));
    QVERIFY(!w->profile().name.contains(QLatin1Char('+')));
    profile->setCurrentIndex(0); // newest, arch from the tree: the fields are free
    pick(kernel, QStringLiteral("5.15"));
    QCOMPARE(w->profile().name, QStringLiteral("linux-5.15-arm64-4k"));
    pick(profile, QStringLiteral("debian-6.12-arm64"));
    QCOMPARE(kernel->currentIndex(), 0);
    QCOMPARE(w->profile().name, QStringLiteral("debian-6.12-arm64"));
    QVERIFY2(w->statusBar()->currentMessage().contains(QLatin1String("(Kernel) follow it now")),
        qPrintable(w->statusBar()->currentMessage()));
}

void TestEditDefects::contradictionMarkedAndNamed()
{
    // A kernel no named profile has (a capture's, or remembered settings): the field is marked,
    // the tooltip says what is used, and the profile's name says it too.
    auto w = test::openWindow(test::samplesDir() + QStringLiteral("/sim/sim-board.dts"));
    ProfileRequest r;
    r.profile = QStringLiteral("debian-6.1-arm64");
    r.kernel = QStringLiteral("6.3");
    w->setProfileRequest(r);
    auto* kernel = w->findChild<QComboBox*>(QStringLiteral("kernel"));
    QCOMPARE(kernel->currentData().toString(), QStringLiteral("6.3"));
    QVERIFY(kernel->property("contradicts").toBool());
    QVERIFY2(kernel->toolTip().contains(QLatin1String("debian-6.1-arm64")), qPrintable(kernel->toolTip()));
    test::screenshot(*w, "kernelbar-contradiction.png");
    QVERIFY(!w->findChild<QComboBox*>(QStringLiteral("pageSize"))->property("contradicts").toBool());
    QCOMPARE(w->profile().name, QStringLiteral("linux-6.3-arm64-4k with debian-6.1-arm64's config"));
    // Going back to the profile's kernel clears the mark.
    kernel->setCurrentIndex(0);
    QVERIFY(!kernel->property("contradicts").toBool());
    QCOMPARE(w->profile().name, QStringLiteral("debian-6.1-arm64"));
}

QTEST_MAIN(TestEditDefects)
#include "tst_editdefects.moc"
