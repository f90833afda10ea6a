// SPDX-License-Identifier: GPL-2.0-only
// Issue 16 item 5, View > Compare with...: the same board under another profile chosen live in
// B's kernel bar, another board, one address scale and one view for both maps (a wheel on one
// zooms both), the changed regions outlined, the list of differences against the analyses the
// window shows, a choice in the list selecting on both maps, side A following the main window,
// and bad input for B. Fails on any Qt warning.

// ui
#include "compare/comparewindow.h"
#include "kernelbar.h"
#include "mainwindow.h"
#include "uitest.h"

// tests
#include "../testutils.h"

// Qt
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>
#include <QWheelEvent>

using namespace carveout;
using carveout::ui::CompareMap;
using carveout::ui::CompareWindow;
using carveout::ui::MainWindow;

namespace {

QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

void choose(QComboBox* box, const QString& value)
{
    QVERIFY(box);
    const int i = box->findData(value);
    QVERIFY2(i >= 0, qPrintable(value));
    box->setCurrentIndex(i); // what picking the entry does: the box emits currentIndexChanged
}

/** The window's rows for regions (not the findings groups), by the path of the region. */
QMap<QString, QString> regionRows(const CompareWindow& c)
{
    QMap<QString, QString> rows;
    const QTreeWidget* list = c.differences();
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = list->topLevelItem(i);
        if (item->childCount() == 0)
            rows.insert(item->toolTip(0), item->text(1));
    }
    return rows;
}

struct Opened
{
    std::unique_ptr<MainWindow> main;
    CompareWindow* compare = nullptr;
};

Opened openCompare(const QString& board)
{
    Opened o;
    o.main = test::openWindow(board, QSize(1300, 860));
    o.main->setProfileRequest({}); // the toolbar remembers an earlier test's choices
    QAction* act = o.main->findChild<QAction*>(QStringLiteral("compareWith"));
    if (!act)
        qFatal("no View > Compare with...");
    act->trigger();
    o.compare = o.main->findChild<CompareWindow*>();
    if (!o.compare || !QTest::qWaitForWindowExposed(o.compare))
        qFatal("no Compare window shown");
    return o;
}

} // namespace

class TestCompareGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void sameBoardUnderAnotherPageSize();
    void oneScaleOneView();
    void listSelectsOnBothMaps();
    void regionMenuOnEitherMap();
    void anotherBoard();
    void badInputForB();
    void cleanup()
    {
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestCompareGui::sameBoardUnderAnotherPageSize()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    // B starts as A: nothing differs.
    QVERIFY2(c.statusText().startsWith(QLatin1String("A and B do not differ")), qPrintable(c.statusText()));
    QCOMPARE(c.differences()->topLevelItemCount(), 0);
    QCOMPARE(c.analysisA().get(), o.main->analysis().get());

    // 64K pages in B's kernel bar: linux,cma's size is no longer a multiple of the CMA alignment,
    // and the kernel frees it.
    choose(c.kernelBarB()->findChild<QComboBox*>(QStringLiteral("pageSize")), QStringLiteral("64K"));
    QCOMPARE(c.analysisB()->profile.pageSize, uint64_t(65536));
    QCOMPARE(c.analysisA()->profile.pageSize, uint64_t(4096));
    // Every region whose outcome the two analyses give differently is listed with "outcome",
    // and its outline is on both maps.
    const Layout& L = c.analysisA()->layout;
    const QMap<QString, QString> rows = regionRows(c);
    int outcomes = 0;
    for (int i = 0; i < int(L.regions.size()); ++i) {
        if (c.analysisA()->place(i).outcome == c.analysisB()->place(i).outcome)
            continue;
        ++outcomes;
        const QString path = L.regions[size_t(i)].path;
        QVERIFY2(rows.value(path).contains(QLatin1String("outcome")),
            qPrintable(path + QStringLiteral(": ") + rows.value(path)));
        bool onA = false, onB = false;
        for (const auto& [r, word] : c.mapA()->changed())
            onA |= r == i;
        for (const auto& [r, word] : c.mapB()->changed())
            onB |= r == i;
        QVERIFY(onA && onB);
    }
    QVERIFY2(outcomes >= 1, "brk1's linux,cma pool is freed with 64K pages");
    QCOMPARE(rows.size(), int(c.difference().regions.size()));
    QVERIFY(c.statusText().contains(QLatin1String("region(s) differ")));
    QVERIFY(c.difference().summaryChanged());
    QVERIFY(c.statusText().contains(QStringLiteral("\u2192")));

    test::screenshot(c, "compare-pagesize.png");

    // The outline is drawn: the pixel just left of a changed region's block on B's map.
    const auto [region, word] = c.mapB()->changed().front();
    const QRectF r = c.mapB()->regionRect(region);
    QVERIFY(!r.isEmpty());
    const QImage shot = c.mapB()->grab().toImage();
    const qreal dpr = shot.devicePixelRatio();
    const QColor at = shot.pixelColor(QPoint(int((r.left() - 2) * dpr), int(r.center().y() * dpr)));
    QCOMPARE(at.name(), CompareMap::highlightColor().name());

    // Side A follows the main window: with 64K there too, A and B are the same again.
    choose(o.main->findChild<QComboBox*>(QStringLiteral("pageSize")), QStringLiteral("64K"));
    QCOMPARE(c.analysisA()->profile.pageSize, uint64_t(65536));
    QVERIFY2(c.statusText().startsWith(QLatin1String("A and B do not differ")), qPrintable(c.statusText()));
    QVERIFY(c.mapA()->changed().empty() && c.mapB()->changed().empty());
}

void TestCompareGui::oneScaleOneView()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    // B with far less RAM than A: B's map still cuts the addresses as A's does.
    QLineEdit* memory = c.kernelBarB()->findChild<QLineEdit*>(QStringLiteral("memory"));
    QVERIFY(memory);
    memory->setFocus();
    QTest::keyClicks(memory, QStringLiteral("0x80000000+512M"));
    QTest::keyClick(memory, Qt::Key_Return);
    QCOMPARE(c.analysisB()->ram.ram, uint64_t(512) << 20);
    QVERIFY(c.analysisA()->ram.ram != c.analysisB()->ram.ram);
    const auto& sa = c.mapA()->scale().segments();
    const auto& sb = c.mapB()->scale().segments();
    QCOMPARE(sa.size(), sb.size());
    for (size_t i = 0; i < sa.size(); ++i) {
        QCOMPARE(sa[i].base, sb[i].base);
        QCOMPARE(sa[i].end, sb[i].end);
    }
    for (const Region& r : c.analysisA()->layout.regions)
        for (const AddrRange& reg : r.reg)
            QCOMPARE(c.mapA()->scale().toPixel(reg.base), c.mapB()->scale().toPixel(reg.base));

    // A wheel on A's map zooms both.
    QVERIFY(c.mapA()->width() == c.mapB()->width());
    const QPointF at(c.mapA()->width() / 2.0, c.mapA()->height() / 2.0);
    QWheelEvent wheel(at, c.mapA()->mapToGlobal(at), QPoint(), QPoint(0, 360), Qt::NoButton, Qt::ControlModifier,
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(c.mapA(), &wheel);
    QTRY_VERIFY(c.mapA()->scale().zoom() > 1.5);
    QTRY_COMPARE(c.mapB()->scale().zoom(), c.mapA()->scale().zoom());
    QCOMPARE(c.mapB()->scale().offset(), c.mapA()->scale().offset());
}

void TestCompareGui::listSelectsOnBothMaps()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    choose(c.kernelBarB()->findChild<QComboBox*>(QStringLiteral("pageSize")), QStringLiteral("64K"));
    QTreeWidget* list = c.differences();
    QVERIFY(list->topLevelItemCount() > 0);
    QTreeWidgetItem* item = list->topLevelItem(0);
    const QRect rect = list->visualItemRect(item);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    const auto& d = c.difference().regions.front();
    QCOMPARE(c.mapA()->selectedRegion(), d.a);
    QCOMPARE(c.mapB()->selectedRegion(), d.b);
    // The region is brought into view on both maps.
    QVERIFY(c.mapA()->scale().zoom() > 1);
    QTRY_COMPARE(c.mapB()->scale().zoom(), c.mapA()->scale().zoom());
    QVERIFY(c.mapA()->rect().intersects(c.mapA()->regionRect(d.a).toRect()));
}

void TestCompareGui::regionMenuOnEitherMap()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    choose(c.kernelBarB()->findChild<QComboBox*>(QStringLiteral("pageSize")), QStringLiteral("64K"));
    QVERIFY(!c.difference().regions.empty());
    QTreeWidget* list = c.differences();
    list->setCurrentItem(nullptr);
    // A changed region, from B's map: the menu offers its row in the list, and picks it there.
    const auto& d = c.difference().regions.back();
    QVERIFY(d.b >= 0);
    CompareMap* map = c.mapB();
    const QPoint at = map->regionRect(d.b).center().toPoint();
    QCOMPARE(map->regionAt(at), d.b);
    const QStringList names = test::chooseFromMenu(map, at, QStringLiteral("selectInList"));
    QVERIFY2(names.contains(QLatin1String("zoomToRegion")) && names.contains(QLatin1String("copyReg")),
        qPrintable(names.join(QLatin1Char(' '))));
    QVERIFY(!names.contains(QLatin1String("deleteRegion"))); // the compare window edits nothing
    QVERIFY(list->currentItem());
    QCOMPARE(list->currentItem()->data(0, Qt::UserRole + 1).toInt(), d.b);
    QCOMPARE(c.mapA()->selectedRegion(), d.a); // the click selected the pair
    // A region that did not change has no row to go to.
    int unchanged = -1;
    for (int r = 0; r < c.mapA()->data().regionCount() && unchanged < 0; ++r) {
        const bool listed = std::any_of(
            c.difference().regions.begin(), c.difference().regions.end(), [r](const auto& x) { return x.a == r; });
        if (!listed && c.mapA()->regionRect(r).width() > 4)
            unchanged = r;
    }
    QVERIFY(unchanged >= 0);
    const QStringList plain = test::chooseFromMenu(
        c.mapA(), c.mapA()->regionRect(unchanged).center().toPoint(), QStringLiteral("copyName"));
    QVERIFY(plain.contains(QLatin1String("copyName")) && !plain.contains(QLatin1String("selectInList")));
    QCOMPARE(QApplication::clipboard()->text(), c.mapA()->data().region(unchanged).name);
}

void TestCompareGui::anotherBoard()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    const QString other = test::samplesDir() + QStringLiteral("/imx/imx9x-evk.dts");
    QVERIFY(c.setBoardB(other).isEmpty());
    QVERIFY(c.findChild<QLabel*>(QStringLiteral("titleB"))->text().contains(QLatin1String("imx9x-evk.dts")));
    // Two different boards: a region only A has is removed, one only B has is added, each listed.
    const Layout& A = c.analysisA()->layout;
    const Layout& B = c.analysisB()->layout;
    QVERIFY(c.difference().any());
    const QMap<QString, QString> rows = regionRows(c);
    int removed = 0, added = 0;
    for (const auto& d : c.difference().regions) {
        if (d.b < 0) {
            ++removed;
            QVERIFY(d.a >= 0 && d.a < int(A.regions.size()));
        }
        if (d.a < 0) {
            ++added;
            QVERIFY(d.b >= 0 && d.b < int(B.regions.size()));
        }
        QVERIFY2(rows.contains(d.path), qPrintable(d.path));
    }
    QVERIFY(removed + added > 0);
    test::screenshot(c, "compare-boards.png");
    // A's RAM is drawn as RAM though the shared scale puts B's addresses in the same segment.
    using G = ui::MapGeometry;
    const QImage bandA = c.mapA()->grab().toImage();
    for (const MemoryBank& bank : c.analysisA()->layout.memory) {
        const double x = G::kMargin + c.mapA()->scale().toPixel(bank.range.base + bank.range.size / 2);
        const QPoint px(
            int(x * bandA.devicePixelRatio()), int((G::kMargin + G::kRulerHeight + 3) * bandA.devicePixelRatio()));
        QCOMPARE(bandA.pixelColor(px).name(), QStringLiteral("#cfd8dc"));
    }
    // Back to the same board: nothing differs again.
    QTest::mouseClick(c.findChild<QPushButton*>(QStringLiteral("sameBoard")), Qt::LeftButton);
    QVERIFY2(c.statusText().startsWith(QLatin1String("A and B do not differ")), qPrintable(c.statusText()));
}

void TestCompareGui::badInputForB()
{
    Opened o = openCompare(brk1());
    CompareWindow& c = *o.compare;
    const AnalysisPtr before = c.analysisB();
    const QString e = c.setBoardB(QStringLiteral("/nonexistent/board.dts"));
    QVERIFY(!e.isEmpty());
    QVERIFY2(c.statusText().contains(QLatin1String("/nonexistent/board.dts")), qPrintable(c.statusText()));
    QCOMPARE(c.analysisB().get(), before.get());
    // A memory entry that is not BASE+SIZE: B keeps its analysis, and the sentence says why.
    QLineEdit* memory = c.kernelBarB()->findChild<QLineEdit*>(QStringLiteral("memory"));
    memory->setFocus();
    QTest::keyClicks(memory, QStringLiteral("lots"));
    QTest::keyClick(memory, Qt::Key_Return);
    QVERIFY2(c.statusText().startsWith(QLatin1String("B: ")), qPrintable(c.statusText()));
    QCOMPARE(c.analysisB().get(), before.get());
}

QTEST_MAIN(TestCompareGui)
#include "tst_comparegui.moc"
