// SPDX-License-Identifier: GPL-2.0-only
// Issue 14, the window's "predicted vs actual", on the real captures of tests/data/captures
// (Debian kernels booted under QEMU): imported through File > Import capture (the real file
// dialog) and by dropping the file on the window, the overlay's geometry on the map, the
// Capture dock's list and evidence (file:line of the capture), the fixes (the booted /memory,
// an early reservation) and their way back, the status bar's counts, a drag that re-compares
// while the mouse moves, and bad files. Fails on any Qt warning.

// ui
#include "addressmap.h"
#include "capture/capturemodel.h"
#include "capture/capturepanel.h"
#include "mainwindow.h"
#include "models/regiontablemodel.h"
#include "uitest.h"

// tests
#include "../testutils.h"

// Qt
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

// std
#include <algorithm>
#include <functional>
#include <memory>

using namespace carveout;
using carveout::capture::Verdict;
using carveout::ui::CaptureModel;
using carveout::ui::MainWindow;

namespace {
/** Relative to the checkout (the tests run there): the window and the pictures show short names. */
QString captures()
{
    return QStringLiteral("tests/data/captures/");
}

/** Runs `act` on the modal dialog of type T that shows while the returned timer lives, every
 *  20 ms until it closes (polled: a dialog shows inside the event loop of the action that opens
 *  it, and a file dialog may ignore an accept while it is still reading its folder). */
template <typename T> std::unique_ptr<QTimer> onDialog(std::function<void(T*)> act)
{
    auto timer = std::make_unique<QTimer>();
    timer->setInterval(20);
    QObject::connect(timer.get(), &QTimer::timeout, [act] {
        if (auto* d = qobject_cast<T*>(QApplication::activeModalWidget()))
            act(d);
    });
    timer->start();
    return timer;
}

/** Closes a message box nobody expected, and says so (a test must never hang on one). */
std::unique_ptr<QTimer> failOnMessageBox()
{
    return onDialog<QMessageBox>([](QMessageBox* box) {
        test::qtWarnings() << QStringLiteral("unexpected message box: ") + box->text();
        box->done(QMessageBox::Ok);
    });
}

QAction* action(const MainWindow& w, const char* name)
{
    return w.findChild<QAction*>(QLatin1String(name));
}

/** File > Import capture..., the file chosen in the real file dialog. */
void importThroughMenu(MainWindow& w, const QString& file, QString* message = nullptr)
{
    const auto chooser = onDialog<QFileDialog>([file](QFileDialog* d) {
        // Typed into its file name field, as a user does (selectFile() leaves a focused field alone).
        auto* name = d->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        QVERIFY(name);
        name->setText(QFileInfo(file).absoluteFilePath());
        QMetaObject::invokeMethod(d, "accept"); // the Open button's slot
    });
    const auto box = message ? onDialog<QMessageBox>([message](QMessageBox* b) {
        *message = b->text();
        b->done(QMessageBox::Ok);
    })
                             : failOnMessageBox();
    action(w, "importCapture")->trigger(); // returns when the dialogs are done
}

/** A file dropped on the window, as a file manager drops it. */
void drop(MainWindow& w, const QString& file, QString* message = nullptr)
{
    const auto box = message ? onDialog<QMessageBox>([message](QMessageBox* b) {
        *message = b->text();
        b->done(QMessageBox::Ok);
    })
                             : failOnMessageBox();
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(file) });
    const QPoint at(w.width() / 2, w.height() / 2);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &dropped);
}

std::unique_ptr<MainWindow> openBoard(const QString& dts)
{
    return test::openWindow(captures() + dts, QSize(1400, 900));
}

int regionComparison(const capture::CompareResult& c, const QString& prefix)
{
    for (size_t i = 0; i < c.regions.size(); ++i) {
        if (c.regions[i].name.startsWith(prefix))
            return int(i);
    }
    return -1;
}

QString countsText(const MainWindow& w)
{
    auto* l = w.findChild<QLabel*>(QStringLiteral("captureCounts"));
    return l && l->isVisible() ? l->text() : QString();
}

/** The capture file's own line `n` (1-based). */
QString lineOf(const QString& file, int n)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = f.readAll().split('\n');
    return n >= 1 && n <= lines.size() ? QString::fromUtf8(lines[n - 1]) : QString();
}
} // namespace

class TestCaptureGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
        QVERIFY(QDir::setCurrent(test::sourceDir()));
    }
    void agreeingBoardThroughTheMenu();
    void bootloaderChangedMemory();
    void bootloaderAddedRegion();
    void dragRecomparesLive();
    void userChoicesOutliveTheCapture();
    void badFiles();
    void cleanup()
    {
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestCaptureGui::agreeingBoardThroughTheMenu()
{
    auto w = openBoard(QStringLiteral("05-dynamic-align.arm64-6.12.dts"));
    const QString bundle = captures() + QStringLiteral("05-dynamic-align.arm64-6.12.bundle");
    QVERIFY(!action(*w, "clearCapture")->isEnabled());
    importThroughMenu(*w, bundle);
    const capture::CompareResult* c = w->comparison();
    QVERIFY(c);
    // The profile is the capture's (Debian's 6.12 on arm64), and the toolbar says so.
    QCOMPARE(w->profile().kernel().left(4), QStringLiteral("6.12"));
    QCOMPARE(w->profile().arch, Arch::Arm64);
    QVERIFY2(w->findChild<QComboBox*>(QStringLiteral("profile"))->currentText().contains(QLatin1String("6.12"))
            || w->findChild<QComboBox*>(QStringLiteral("kernel"))->currentText().startsWith(QLatin1String("6.12")),
        qPrintable(w->profile().name));
    QCOMPARE(c->agree, 5);
    QCOMPARE(c->differ, 0);
    QCOMPARE(c->unknown, 0);
    QCOMPARE(countsText(*w), QStringLiteral("capture: 5 agree, 0 differ, 0 unknown"));
    QVERIFY(action(*w, "clearCapture")->isEnabled());

    // Every region's actual placement is outlined right under its predicted block.
    const ui::AddressMap* map = w->addressMap();
    const ui::MapGeometry& g = map->mapGeometry();
    for (const auto& rc : c->regions) {
        QCOMPARE(rc.verdict, Verdict::Agree);
        QVERIFY(rc.actual.base);
        const QRectF predicted = g.regionRect(rc.region), actual = g.actualRect(rc.region);
        QVERIFY(!predicted.isEmpty());
        QCOMPARE(actual.left(), predicted.left());
        QCOMPARE(actual.width(), predicted.width());
        QCOMPARE(actual.top(), predicted.bottom() + 2);
    }
    // The kernel's own reservations (the default CMA area among them) sit in the capture lane.
    QVERIFY(g.captureLane() > g.laneCount());
    QVERIFY(!c->kernelReservations.empty());
    QVERIFY(!g.captureMarks().empty());
    for (int k = 0; k < int(g.captureMarks().size()); ++k)
        QCOMPARE(g.captureRect(k).top(), g.laneRect(g.captureLane()).top());

    // The list: five agreeing regions, then the kernel's reservations and the notes.
    ui::CapturePanel* panel = w->capturePanel();
    QVERIFY(panel->isVisible());
    const CaptureModel* model = panel->model();
    QCOMPARE(model->rowCount(),
        int(c->regions.size() + c->unexplained.size() + c->treeDifferences.size() + c->kernelReservations.size()
            + c->notes.size()));
    QVERIFY(c->unexplained.empty());
    for (const auto& t : c->treeDifferences)
        QVERIFY2(!t.counted, qPrintable(t.path)); // only what bootloaders routinely write (the initrd)
    for (int r = 0; r < 5; ++r)
        QCOMPARE(model->row(r).kind, CaptureModel::Row::Region);
    QVERIFY(!panel->memoryButton()->isEnabled()); // the booted /memory is the sources'
    QVERIFY(panel->header()->text().contains(QLatin1String("05-dynamic-align.arm64-6.12.bundle")));

    // Activating dyn-a selects it on map and table and shows its evidence with file:line.
    const int k = regionComparison(*c, QStringLiteral("dyn-a"));
    QVERIFY(k >= 0);
    const int region = c->regions[size_t(k)].region;
    const int row = model->find({ CaptureModel::Row::Region, k });
    QVERIFY(row >= 0);
    QTableView* list = panel->view();
    list->setCurrentIndex(model->index(row, CaptureModel::What));
    QTest::keyClick(list, Qt::Key_Return); // activated, as Enter or a double click does
    QCOMPARE(map->selectedRegion(), region);
    auto* regions = w->findChild<QTableView*>(QStringLiteral("regions"));
    QCOMPARE(regions->currentIndex().data(ui::RegionTableModel::RegionRole).toInt(), region);
    const QString evidence = panel->evidence()->toPlainText();
    QVERIFY2(evidence.contains(QLatin1String("0xbf000000")), qPrintable(evidence));
    static const QRegularExpression where(
        QStringLiteral("05-dynamic-align\\.arm64-6\\.12\\.bundle:(\\d+) \\[(\\S+)\\] (.*)"));
    const auto m = where.match(evidence);
    QVERIFY2(m.hasMatch(), qPrintable(evidence));
    // The line named is the capture's own line with that text.
    QVERIFY2(lineOf(bundle, m.captured(1).toInt()).contains(m.captured(3).trimmed()),
        qPrintable(m.captured(0) + QStringLiteral(" / ") + lineOf(bundle, m.captured(1).toInt())));
    // The tooltip over the block says the same (zoomed to it: at 2 GiB a pixel, dyn-c's sliver
    // would be the narrowest under the point).
    w->addressMap()->zoomToSelection();
    const QString tip = map->toolTipAt(g.regionRect(region).center().toPoint());
    QVERIFY2(
        tip.contains(QLatin1String("capture: <b>agree</b>")) && tip.contains(m.captured(3).trimmed().toHtmlEscaped()),
        qPrintable(tip));
    w->addressMap()->scale().zoomTo(0xb6800000, 0xc0000000); // the regions and the kernel's CMA area
    test::screenshot(*w, "capture-agree.png");

    // Clear capture: the overlay, the counts and the list go; the profile stays.
    const QString kernel = w->profile().kernel();
    action(*w, "clearCapture")->trigger();
    QCOMPARE(w->comparison(), nullptr);
    QCOMPARE(g.captureLane(), -1);
    QVERIFY(g.actualRect(region).isEmpty());
    QCOMPARE(countsText(*w), QString());
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(w->profile().kernel(), kernel);
}

void TestCaptureGui::bootloaderChangedMemory()
{
    // 05's tree (2 GiB of RAM) booted with 1.5 GiB: QEMU fixed /memory up, as a bootloader does.
    auto w = openBoard(QStringLiteral("planted-ram-differs.arm64-6.12.dts"));
    // The list's model is checked while it fills, changes with the fix and goes back.
    QAbstractItemModelTester tester(
        w->capturePanel()->view()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    drop(*w, captures() + QStringLiteral("planted-ram-differs.arm64-6.12.bundle"));
    const capture::CompareResult* c = w->comparison();
    QVERIFY(c);
    // Predicted with the sources' RAM, every dynamic region lands 512 MiB higher than it did.
    QCOMPARE(c->differ, 6); // five regions and the /memory tree difference
    QVERIFY(!c->bootedMemory.empty());
    QCOMPARE(c->bootedMemory.front().base, uint64_t(0x40000000));
    QCOMPARE(c->bootedMemory.front().size, uint64_t(0x60000000));
    const ui::AddressMap* map = w->addressMap();
    const ui::MapGeometry& g = map->mapGeometry();
    const int k = regionComparison(*c, QStringLiteral("dyn-a"));
    QVERIFY(k >= 0);
    // A copy: the fix below makes a new comparison, and the old one goes.
    const auto dynA = c->regions[size_t(k)];
    QCOMPARE(dynA.verdict, Verdict::Differ);
    QCOMPARE(*dynA.predicted.base, uint64_t(0xbf000000));
    QCOMPARE(*dynA.actual.base, uint64_t(0x9f000000));
    // Its outline is where the kernel put it, in its row's capture strip, left of the prediction.
    const QRectF predicted = g.regionRect(dynA.region), actual = g.actualRect(dynA.region);
    QCOMPARE(actual.left(), ui::MapGeometry::kMargin + g.scale().toPixel(0x9f000000));
    QCOMPARE(actual.top(), predicted.bottom() + 2);
    QVERIFY(actual.right() < predicted.left());
    QCOMPARE(g.regionAt(actual.center()), -1); // no other region lies there
    // The list starts with what differs, then the tree difference with its advice.
    const CaptureModel* model = w->capturePanel()->model();
    QCOMPARE(model->row(0).kind, CaptureModel::Row::Region);
    QCOMPARE(model->index(0, CaptureModel::VerdictColumn).data().toString(), QStringLiteral("differ"));
    QCOMPARE(model->row(5).kind, CaptureModel::Row::Tree); // after the five regions
    const int tree = 5;
    const capture::TreeDifference& memoryDiff = c->treeDifferences[size_t(model->row(tree).index)];
    QCOMPARE(memoryDiff.area, QStringLiteral("/memory"));
    QVERIFY(memoryDiff.counted);
    QVERIFY(model->index(tree, CaptureModel::What).data().toString().startsWith(QLatin1String("/memory")));
    w->capturePanel()->activateRow(tree);
    QVERIFY2(w->capturePanel()->evidence()->toPlainText().contains(QLatin1String("--memory")),
        qPrintable(w->capturePanel()->evidence()->toPlainText()));
    QCOMPARE(countsText(*w), QStringLiteral("capture: 0 agree, 6 differ, 0 unknown"));
    w->capturePanel()->activateRow(0); // dyn-a: the arrow from the prediction to where it went
    QCOMPARE(map->selectedRegion(), dynA.region);
    w->addressMap()->scale().zoomTo(0x96000000, 0xc0000000);
    test::screenshot(*w, "capture-ram-differs.png");

    // The fix: the booted /memory becomes the profile's memory; only the tree difference stays.
    QPushButton* useMemory = w->capturePanel()->memoryButton();
    QVERIFY(useMemory->isEnabled());
    QTest::mouseClick(useMemory, Qt::LeftButton);
    auto* memory = w->findChild<QLineEdit*>(QStringLiteral("memory"));
    QCOMPARE(memory->text(), QStringLiteral("0x40000000+0x60000000"));
    QCOMPARE(w->profile().memory.size(), size_t(1));
    c = w->comparison();
    QCOMPARE(c->agree, 5);
    QCOMPARE(c->differ, 1);
    int counted = 0;
    for (const auto& t : c->treeDifferences) {
        if (t.counted) {
            ++counted;
            QCOMPARE(t.area, QStringLiteral("/memory"));
        }
    }
    QCOMPARE(counted, 1);
    QCOMPARE(g.actualRect(dynA.region).left(), g.regionRect(dynA.region).left());
    QCOMPARE(countsText(*w), QStringLiteral("capture: 5 agree, 1 differ, 0 unknown"));
    test::screenshot(*w, "capture-ram-fixed.png");

    // The way back: the toolbar's Memory field, cleared.
    memory->clear();
    emit memory->editingFinished();
    QVERIFY(w->profile().memory.empty());
    QCOMPARE(w->comparison()->differ, 6);
}

void TestCaptureGui::bootloaderAddedRegion()
{
    // 05's tree; the bootloader added bootloader-fw@50000000 (no-map, 2 MiB) before the boot.
    auto w = openBoard(QStringLiteral("05-dynamic-align.arm64-6.12.dts"));
    importThroughMenu(*w, captures() + QStringLiteral("planted-extra-region.arm64-6.12.bundle"));
    const capture::CompareResult* c = w->comparison();
    QVERIFY(c);
    QCOMPARE(c->agree, 5);
    QCOMPARE(int(c->unexplained.size()), 1);
    const capture::Unexplained& u = c->unexplained.front();
    QCOMPARE(u.range.base, uint64_t(0x50000000));
    QCOMPARE(u.range.size, uint64_t(0x200000));
    QVERIFY(u.noMap);
    bool added = false;
    for (const auto& t : c->treeDifferences)
        added |= t.area == QLatin1String("/reserved-memory") && t.change == QLatin1String("added");
    QVERIFY(added);
    // The capture lane shows it where it is.
    const ui::MapGeometry& g = w->addressMap()->mapGeometry();
    int mark = -1;
    for (int k = 0; k < int(g.captureMarks().size()); ++k) {
        if (g.captureMarks()[size_t(k)].kind == ui::CaptureMark::Unexplained)
            mark = k;
    }
    QVERIFY(mark >= 0);
    const QRectF r = g.captureRect(mark);
    QCOMPARE(r.left(), ui::MapGeometry::kMargin + g.scale().toPixel(0x50000000));
    QCOMPARE(g.captureMarkAt(r.center()), mark);
    const QString tip = w->addressMap()->toolTipAt(r.center().toPoint());
    QVERIFY2(tip.contains(QLatin1String("bootloader-fw")) && tip.contains(QLatin1String("planted-extra-region")),
        qPrintable(tip));
    // In the list, with its evidence; the fix is offered for that row only.
    ui::CapturePanel* panel = w->capturePanel();
    const int row = panel->model()->find({ CaptureModel::Row::Unexplained, 0 });
    QVERIFY(row >= 0);
    QVERIFY(!panel->reserveButton()->isEnabled());
    panel->activateRow(row);
    QCOMPARE(w->addressMap()->highlightedMark(), mark); // marked on the map
    QVERIFY(panel->reserveButton()->isEnabled());
    QVERIFY2(panel->evidence()->toPlainText().contains(QLatin1String("bootloader-fw@50000000")),
        qPrintable(panel->evidence()->toPlainText()));
    w->addressMap()->scale().zoomTo(0x4fc00000, 0x50600000);
    test::screenshot(*w, "capture-extra-region.png");
    const int differBefore = c->differ;

    // The fix: an early reservation in the profile, as --reserve gives it.
    QTest::mouseClick(panel->reserveButton(), Qt::LeftButton);
    auto* reserve = w->findChild<QLineEdit*>(QStringLiteral("reserve"));
    QCOMPARE(reserve->text(), QStringLiteral("bootloader-fw@0x50000000+0x200000"));
    auto hasEarly = [](const KernelProfile& p) {
        return std::any_of(p.early.begin(), p.early.end(), [](const EarlyReservation& e) {
            return e.name == QLatin1String("bootloader-fw") && e.range.base == 0x50000000 && e.range.size == 0x200000;
        });
    };
    QVERIFY(hasEarly(w->profile())); // beside the kernel and initrd the capture itself gives
    QVERIFY(hasEarly(w->comparison()->profile)); // analysed and compared again with it
    // Explained now: no longer unexplained, listed with the kernel's own reservations, one
    // difference fewer (the booted tree still has the node the sources lack).
    QCOMPARE(panel->model()->find({ CaptureModel::Row::Unexplained, 0 }), -1);
    QCOMPARE(w->comparison()->differ, differBefore - 1);
    bool listed = false;
    for (const auto& k : w->comparison()->kernelReservations)
        listed = listed || k.what == QLatin1String("bootloader-fw (early reservation)");
    QVERIFY(listed);
    // The way back: the Reserve field, cleared.
    reserve->clear();
    emit reserve->editingFinished();
    QVERIFY(!hasEarly(w->profile()));
    QCOMPARE(w->comparison()->differ, differBefore);
    QVERIFY(panel->model()->find({ CaptureModel::Row::Unexplained, 0 }) >= 0);
}

void TestCaptureGui::dragRecomparesLive()
{
    // fw@50000000 is static in 06: dragging it away from where the board had it differs at once.
    auto w = openBoard(QStringLiteral("06-alloc-ranges.arm64-6.12.dts"));
    drop(*w, captures() + QStringLiteral("06-alloc-ranges.arm64-6.12.bundle"));
    QVERIFY(w->comparison());
    QCOMPARE(w->comparison()->differ, 0);
    const int fw = test::regionNamed(*w, QStringLiteral("fw@"));
    QVERIFY(fw >= 0);
    ui::AddressMap* map = w->addressMap();
    map->setSelectedRegion(fw);
    map->zoomToSelection();
    map->scale().zoomAround(map->width() / 2.0, 1 / 4.0);
    const QPoint start = map->regionRect(fw).center().toPoint();
    QTest::mousePress(map, Qt::LeftButton, {}, start);
    QTest::mouseMove(map, start + QPoint(40, 0));
    // While the mouse is down: re-compared, counted, the outline stays where the board had it.
    QVERIFY(w->comparison()->differ > 0);
    QVERIFY(countsText(*w).contains(QRegularExpression(QStringLiteral("[1-9]\\d* differ"))));
    QVERIFY(map->mapGeometry().actualRect(fw).right() < map->regionRect(fw).right());
    QTest::mouseRelease(map, Qt::LeftButton, {}, start + QPoint(40, 0));
    QVERIFY(w->comparison()->differ > 0);
    w->undoStack()->undo();
    QCOMPARE(w->comparison()->differ, 0);
    // Away and back in one drag: the release compares again, whatever the last move showed.
    const QPoint again = map->regionRect(fw).center().toPoint();
    QTest::mousePress(map, Qt::LeftButton, {}, again);
    QTest::mouseMove(map, again + QPoint(40, 0));
    QVERIFY(w->comparison()->differ > 0);
    QTest::mouseMove(map, again);
    QTest::mouseRelease(map, Qt::LeftButton, {}, again);
    QCOMPARE(w->comparison()->differ, 0);
    QCOMPARE(countsText(*w), QStringLiteral("capture: 4 agree, 0 differ, 0 unknown"));
}

void TestCaptureGui::userChoicesOutliveTheCapture()
{
    // What the user sets after the import is theirs: the capture no longer overrides it.
    auto w = openBoard(QStringLiteral("05-dynamic-align.arm64-6.12.dts"));
    QVERIFY(w->importCapture(captures() + QStringLiteral("05-dynamic-align.arm64-6.12.bundle")).isEmpty());
    QCOMPARE(w->profile().kernel().left(4), QStringLiteral("6.12"));
    auto* kernel = w->findChild<QComboBox*>(QStringLiteral("kernel"));
    auto* profile = w->findChild<QComboBox*>(QStringLiteral("profile"));
    profile->setCurrentIndex(0); // newest, arch from the tree
    kernel->setCurrentIndex(kernel->findData(QStringLiteral("6.1")));
    QCOMPARE(w->profile().kernel(), QStringLiteral("6.1"));
    QVERIFY(w->comparison()); // still compared, under the user's kernel
    // A capture with no board open waits for the board.
    MainWindow empty;
    empty.show();
    QVERIFY(empty.importCapture(captures() + QStringLiteral("05-dynamic-align.arm64-6.12.bundle")).isEmpty());
    QCOMPARE(empty.comparison(), nullptr);
    QVERIFY(empty.capturePanel()->header()->text().contains(QLatin1String("Open the board")));
    QVERIFY(empty.openFile(captures() + QStringLiteral("05-dynamic-align.arm64-6.12.dts")));
    QVERIFY(empty.comparison());
    QCOMPARE(empty.comparison()->agree, 5);
}

void TestCaptureGui::badFiles()
{
    auto w = openBoard(QStringLiteral("05-dynamic-align.arm64-6.12.dts"));
    // Not a capture, dropped: the reader's sentence names the file; nothing changes.
    QString text;
    drop(*w, captures() + QStringLiteral("planted-extra-region.case.json"), &text);
    QVERIFY2(text.contains(QLatin1String("planted-extra-region.case.json")), qPrintable(text));
    QCOMPARE(w->comparison(), nullptr);
    // A bundle of a newer format, through the menu: the reader's sentence again.
    QTemporaryDir dir;
    const QString newer
        = test::writeFile(dir, QStringLiteral("newer.txt"), "carveout-capture-bundle 99\n@@@ section meta\n");
    text.clear();
    importThroughMenu(*w, newer, &text);
    QVERIFY2(text.contains(QLatin1String("newer.txt")), qPrintable(text));
    QCOMPARE(w->comparison(), nullptr);
    // A board is still a board when dropped.
    drop(*w, captures() + QStringLiteral("06-alloc-ranges.arm64-6.12.dts"));
    QVERIFY(test::regionNamed(*w, QStringLiteral("after-fw")) >= 0);
}

QTEST_MAIN(TestCaptureGui)
#include "tst_capturegui.moc"
