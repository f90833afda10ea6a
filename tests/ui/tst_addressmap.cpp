// SPDX-License-Identifier: GPL-2.0-only
// The address map: geometry without a widget (segments, zoom around a point, pan, ticks), and
// real mouse drags on the offscreen platform: move and resize from both edges, snapping on and
// off, findings that change while the mouse moves, one undo command per drag, undo restoring.

// ui
#include "addressmap.h"
#include "addressscale.h"
#include "mainwindow.h"

// core
#include "report/jsonwriter.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QTest>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

class TestAddressMap : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { test::isolateSettings(); }
    void scaleSegmentsAndGaps();
    void scaleZoomAroundPointAndPan();
    void scaleTicksArePowersOfTwo();
    void dragMoveFixesMisalignedCma();
    void resizeFromBothEdgesAndSnapping();
    void nudgesMergeIntoOneCommand();

private:
    MainWindow* openBroken();
};

void TestAddressMap::scaleSegmentsAndGaps()
{
    AddressScale s;
    s.setRanges({ { 0x80000000, 0x80000000 }, { 0x880000000, 0x180000000 } }, 1000, 20);
    QCOMPARE(s.segments().size(), size_t(2));
    // Width shared by size (2 GiB vs 6 GiB) after the gap.
    QCOMPARE(s.toPixel(0x80000000), 0.0);
    QVERIFY(qAbs(s.toPixel(0x100000000) - 245) < 1);
    QVERIFY(qAbs(s.toPixel(0x880000000) - 265) < 1);
    QCOMPARE(s.toAddress(s.toPixel(0x900000000)), uint64_t(0x900000000));
    // A point in the gap maps to the next segment's start.
    QCOMPARE(s.toAddress(255), uint64_t(0x880000000));
    QCOMPARE(s.breaks().size(), size_t(1));
    // A tiny segment keeps a minimum width.
    s.setRanges({ { 0, 0x1000 }, { 0x40000000, 0x100000000 } }, 1000, 20, 60);
    QVERIFY(s.segments()[0].x1 - s.segments()[0].x0 >= 59);
}

void TestAddressMap::scaleZoomAroundPointAndPan()
{
    AddressScale s;
    s.setRanges({ { 0x40000000, 0x80000000 } }, 1000);
    const uint64_t under = s.toAddress(300);
    s.zoomAround(300, 8);
    QCOMPARE(s.zoom(), 8.0);
    QVERIFY(qAbs(double(s.toAddress(300)) - double(under)) < s.bytesPerPixel(300) * 2);
    const uint64_t before = s.toAddress(0);
    s.pan(100);
    QVERIFY(s.toAddress(0) > before);
    s.pan(-1e9); // clamped at the start
    QCOMPARE(s.toAddress(0), uint64_t(0x40000000));
    s.zoomTo(0x60000000, 0x60100000);
    QVERIFY(s.toPixel(0x60000000) > 0 && s.toPixel(0x60100000) < 1000);
    s.fit();
    QCOMPARE(s.zoom(), 1.0);
}

void TestAddressMap::scaleTicksArePowersOfTwo()
{
    AddressScale s;
    s.setRanges({ { 0x40000000, 0x80000000 } }, 1000);
    const auto ticks = s.ticks(90);
    QVERIFY(ticks.size() >= 4 && ticks.size() <= 12);
    const uint64_t step = ticks[1].address - ticks[0].address;
    QVERIFY((step & (step - 1)) == 0);
    for (size_t i = 1; i < ticks.size(); ++i)
        QVERIFY(ticks[i].x - ticks[i - 1].x >= 89);
    s.zoomAround(500, 1000);
    const auto fine = s.ticks(90);
    QVERIFY(fine.size() >= 2);
    QVERIFY(fine[1].address - fine[0].address < step);
}

MainWindow* TestAddressMap::openBroken()
{
    auto* w = new MainWindow;
    w->resize(1400, 900);
    w->show();
    if (!QTest::qWaitForWindowExposed(w) || !w->openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")))
        qFatal("cannot open the broken sample");
    return w;
}

namespace {
} // namespace

void TestAddressMap::dragMoveFixesMisalignedCma()
{
    std::unique_ptr<MainWindow> w(openBroken());
    AddressMap* map = w->addressMap();
    const int cma = test::regionNamed(*w, QStringLiteral("camera-cma@"));
    QVERIFY(cma >= 0);
    QVERIFY(test::hasFinding(*w, "cma_align"));
    const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR"); // README pictures
    map->zoomToSelection(); // nothing selected yet: no-op
    map->setSelectedRegion(cma);
    map->zoomToSelection();
    const QRectF r = map->regionRect(cma);
    QVERIFY(!r.isEmpty());
    if (!shots.isEmpty())
        w->grab().save(shots + QStringLiteral("/drag-before.png"));
    const QPoint start = r.center().toPoint();
    // 1 MiB to the right at this zoom, snapped to 2 MiB (the CMA minimum alignment).
    const double bpp = map->scale().bytesPerPixel(start.x());
    const int dx = int(0x100000 / bpp) + 1;
    QTest::mousePress(map, Qt::LeftButton, {}, start);
    QTest::mouseMove(map, start + QPoint(dx / 2, 0));
    QTest::mouseMove(map, start + QPoint(dx, 0));
    // While the mouse is still down the rules already ran on the moved pool.
    QVERIFY(!test::hasFinding(*w, "cma_align"));
    QCOMPARE(w->undoStack()->count(), 0);
    QTest::mouseRelease(map, Qt::LeftButton, {}, start + QPoint(dx, 0));
    QCOMPARE(w->undoStack()->count(), 1);
    const uint64_t moved = *w->layout().regions[size_t(cma)].base;
    QVERIFY2(moved % 0x200000 == 0, qPrintable(toHex(moved)));
    QVERIFY(moved > 0x96100000);
    QVERIFY(!test::hasFinding(*w, "cma_align"));
    if (!shots.isEmpty())
        w->grab().save(shots + QStringLiteral("/drag-after.png"));
    w->undoStack()->undo();
    QCOMPARE(*w->layout().regions[size_t(cma)].base, uint64_t(0x96100000));
    QVERIFY(test::hasFinding(*w, "cma_align"));
    w->undoStack()->redo();
    QCOMPARE(*w->layout().regions[size_t(cma)].base, moved);
}

void TestAddressMap::resizeFromBothEdgesAndSnapping()
{
    std::unique_ptr<MainWindow> w(openBroken());
    AddressMap* map = w->addressMap();
    const int adsp = test::regionNamed(*w, QStringLiteral("adsp@"));
    QVERIFY(test::hasFinding(*w, "rm_overlap"));
    map->setSelectedRegion(adsp);
    map->zoomToSelection();
    QRectF r = map->regionRect(adsp);
    const uint64_t end0 = *w->layout().regions[size_t(adsp)].base + w->analysis()->place(adsp).size;
    // Right edge to the left by 8 MiB: the overlap with cdsp goes away.
    double bpp = map->scale().bytesPerPixel(r.right());
    QPoint edge(int(r.right()), int(r.center().y()));
    const int dx = int(0x900000 / bpp); // 9 MiB: clear of cdsp whatever the pixel rounding
    QTest::mousePress(map, Qt::LeftButton, {}, edge);
    QTest::mouseMove(map, edge - QPoint(dx, 0));
    QTest::mouseRelease(map, Qt::LeftButton, {}, edge - QPoint(dx, 0));
    const RegionPlace a = w->analysis()->place(adsp);
    QVERIFY2(a.size % 0x1000 == 0, qPrintable(toHex(a.size))); // snapped to the page size
    QVERIFY(*a.base + a.size < end0);
    QCOMPARE(*a.base, uint64_t(0x94000000)); // the right edge moves, the base stays
    QVERIFY(!test::hasFinding(*w, "rm_overlap"));
    QCOMPARE(w->undoStack()->count(), 1);

    // Left edge, with Shift: no snapping, the end stays put.
    map->zoomToSelection();
    r = map->regionRect(adsp);
    bpp = map->scale().bytesPerPixel(r.left());
    const uint64_t endBefore = *w->layout().regions[size_t(adsp)].base + w->analysis()->place(adsp).size;
    edge = QPoint(int(r.left()), int(r.center().y()));
    QTest::mousePress(map, Qt::LeftButton, Qt::ShiftModifier, edge);
    QTest::mouseMove(map, edge + QPoint(37, 0));
    QTest::mouseRelease(map, Qt::LeftButton, Qt::ShiftModifier, edge + QPoint(37, 0));
    const RegionPlace b = w->analysis()->place(adsp);
    QVERIFY(*b.base > 0x94000000);
    QCOMPARE(*b.base + b.size, endBefore);
    QCOMPARE(w->undoStack()->count(), 2);
    w->undoStack()->undo();
    w->undoStack()->undo();
    QCOMPARE(*w->layout().regions[size_t(adsp)].base + w->analysis()->place(adsp).size, end0);
    QVERIFY(test::hasFinding(*w, "rm_overlap"));
}

void TestAddressMap::nudgesMergeIntoOneCommand()
{
    std::unique_ptr<MainWindow> w(openBroken());
    AddressMap* map = w->addressMap();
    const int video = test::regionNamed(*w, QStringLiteral("video@"));
    map->setSelectedRegion(video);
    const uint64_t base = *w->layout().regions[size_t(video)].base;
    QTest::keyClick(map, Qt::Key_Right);
    QTest::keyClick(map, Qt::Key_Right);
    QTest::keyClick(map, Qt::Key_Right);
    QCOMPARE(*w->layout().regions[size_t(video)].base, base + 3 * 0x1000);
    QCOMPARE(w->undoStack()->count(), 1);
    w->undoStack()->undo();
    QCOMPARE(*w->layout().regions[size_t(video)].base, base);
}

QTEST_MAIN(TestAddressMap)
#include "tst_addressmap.moc"
