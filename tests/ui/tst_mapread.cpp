// SPDX-License-Identifier: GPL-2.0-only
// Reading the window at a glance (issue 15 items 2-4) on real boards: every region of
// qcom/hamoa-iot-evk (50 regions) labelled at the fitted zoom, inside its block or at the end of
// a leader, no two labels overlapping; the legend lists every entry of the painters' table; the
// Free space dock, the status bar's largest free block and Add region at the first fitting gap.

// ui
#include "addressmap.h"
#include "legend.h"
#include "mainwindow.h"
#include "mapgeometry.h"
#include "mapstyle.h"
#include "propertypanel.h"

// core
#include "analysis/freespace.h"
#include "kernel/profileoptions.h"
#include "model/units.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QComboBox>
#include <QDockWidget>
#include <QFontMetricsF>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

namespace {
QString hamoa()
{
    return test::corpusDir() + QStringLiteral("/src/arm64/qcom/hamoa-iot-evk.dts");
}

/** What is wrong with the labels of a geometry at its current view (empty: nothing): a drawn
 *  region without a label, a label that does not fit its block or misses its leader, two labels
 *  that overlap. */
QString labelProblems(const MapGeometry& g)
{
    QStringList problems;
    const QFontMetricsF fm(g.font());
    for (int i = 0; i < g.data().regionCount(); ++i) {
        const QRectF block = g.regionRect(i);
        if (block.isEmpty() || block.right() < MapGeometry::kMargin || block.left() > g.width() - MapGeometry::kMargin)
            continue;
        const MapLabel* l = g.labelOf(i);
        const QString name = g.data().region(i).name;
        if (!l) {
            problems << QStringLiteral("%1: no label").arg(name);
            continue;
        }
        // Readable: the whole name, at least as wide as the font draws it.
        if (!name.startsWith(l->lines.value(0)) || fm.horizontalAdvance(l->lines.value(0)) > l->rect.width() + 0.5)
            problems << QStringLiteral("%1: label '%2' cut").arg(name, l->lines.value(0));
        if (l->inside && !block.contains(l->rect))
            problems << QStringLiteral("%1: inside label leaves its block").arg(name);
        if (!l->inside) {
            if (l->rect.intersects(block))
                problems << QStringLiteral("%1: outside label over its block").arg(name);
            const bool fromBlock
                = std::abs(l->leaderFrom.y() - block.top()) < 0.5 || std::abs(l->leaderFrom.y() - block.bottom()) < 0.5;
            const bool toLabel = l->rect.adjusted(-0.5, -0.5, 0.5, 0.5).contains(l->leaderTo);
            if (!fromBlock || !toLabel)
                problems << QStringLiteral("%1: leader does not join block and label").arg(name);
        }
    }
    const auto& labels = g.labels();
    for (size_t a = 0; a < labels.size(); ++a) {
        for (size_t b = a + 1; b < labels.size(); ++b) {
            if (labels[a].rect.intersects(labels[b].rect))
                problems << QStringLiteral("labels of %1 and %2 overlap")
                                .arg(g.data().region(labels[a].region).name, g.data().region(labels[b].region).name);
        }
    }
    return problems.join(QLatin1Char('\n'));
}
} // namespace

class TestMapRead : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
    void hamoaLabelsAtFit_data();
    void hamoaLabelsAtFit();
    void hamoaInTheWindow();
    void freeSpaceDockAndStatus();
    void addRegionAtTheFirstFit();
    void legendListsThePaintersTable();
    void legendFromViewMenuAndStatusBar();
};

void TestMapRead::hamoaLabelsAtFit_data()
{
    QTest::addColumn<QString>("board");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("regions");
    const QString qcom = test::corpusDir() + QStringLiteral("/src/arm64/qcom/");
    QTest::addRow("hamoa-iot-evk, 1100 pixels") << hamoa() << 1100 << 50;
    QTest::addRow("hamoa-iot-evk, 800 pixels") << hamoa() << 800 << 50;
    QTest::addRow("hamoa-iot-evk, 1800 pixels") << hamoa() << 1800 << 50;
    QTest::addRow("sm8550-qrd, 1100 pixels") << qcom + QStringLiteral("sm8550-qrd.dts") << 1100 << -1;
}

void TestMapRead::hamoaLabelsAtFit()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    QFETCH(QString, board);
    QFETCH(int, width);
    QFETCH(int, regions);
    const LoadResult loaded = loadBoard(board);
    QVERIFY(loaded.ok);
    KernelProfile profile;
    QVERIFY(resolveProfile({}, &loaded.doc, &profile).isEmpty());
    const AnalysisPtr a = analyse(loaded.doc, profile);
    if (regions >= 0)
        QCOMPARE(int(a->layout.regions.size()), regions);
    MapGeometry g;
    g.setFont(QFont());
    g.setData(MapData::of(a), width);
    g.scale().fit();
    g.setHeight(g.preferredHeight()); // the height the map asks for (its minimum keeps two rows)
    // Most regions are too thin at the fitted zoom to hold their name: the rows hold them.
    int drawn = 0;
    for (int i = 0; i < int(a->layout.regions.size()); ++i)
        drawn += !g.regionRect(i).isEmpty();
    QVERIFY(drawn >= 40);
    QCOMPARE(int(g.labels().size()), drawn);
    QVERIFY(g.labelRowsAbove() + g.labelRowsBelow() <= MapGeometry::kMaxLabelRows);
    const QString problems = labelProblems(g);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestMapRead::hamoaInTheWindow()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    auto w = test::openWindow(hamoa());
    AddressMap* map = w->addressMap();
    QCOMPARE(map->scale().zoom(), 1.0); // fitted on open
    // The widget is at least as high as its labels need, and its lanes take the rest.
    QVERIFY(map->height() >= map->mapGeometry().minimumHeight());
    const QString problems = labelProblems(map->mapGeometry());
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QTest::qWait(20);
    test::screenshot(*map, "map-hamoa-iot-evk.png");
    test::screenshot(*w, "window-hamoa-iot-evk.png");
}

namespace {
QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}
} // namespace

void TestMapRead::freeSpaceDockAndStatus()
{
    auto w = test::openWindow(brk1());
    const FreeSpace f = freeSpaceOf(*w->analysis());
    QVERIFY(f.gaps.size() >= 2);
    auto* list = w->findChild<QTreeWidget*>(QStringLiteral("freeSpace"));
    QVERIFY(list);
    QCOMPARE(list->topLevelItemCount(), int(f.gaps.size()));
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = list->topLevelItem(i);
        QCOMPARE(item->text(0), toHex(f.gaps[size_t(i)].base));
        QCOMPARE(item->text(1), toHex(f.gaps[size_t(i)].end()));
        QCOMPARE(item->text(2), formatSize(f.gaps[size_t(i)].size));
    }
    // The status bar names the largest block, and keeps it after a menu's status tips.
    auto* largest = w->statusBar()->findChild<QLabel*>(QStringLiteral("largestFree"));
    QVERIFY(largest);
    const AddrRange big = *f.largestGap();
    QCOMPARE(
        largest->text(), QStringLiteral("largest free block: %1 at %2").arg(formatSize(big.size), toHex(big.base)));
    // Selecting a gap zooms the map to it: both ends in view, far closer than the fit.
    AddressMap* map = w->addressMap();
    const AddrRange small = *std::min_element(
        f.gaps.begin(), f.gaps.end(), [](const AddrRange& a, const AddrRange& b) { return a.size < b.size; });
    const int row = int(std::find_if(f.gaps.begin(), f.gaps.end(), [&](const AddrRange& g) {
        return g.base == small.base;
    }) - f.gaps.begin());
    auto* dock = w->findChild<QDockWidget*>(QStringLiteral("freeSpaceDock"));
    dock->show();
    dock->raise();
    list->setFocus();
    list->setCurrentItem(list->topLevelItem(row));
    QVERIFY(map->scale().zoom() > 1);
    const double x0 = map->scale().toPixel(small.base), x1 = map->scale().toPixel(small.end());
    QVERIFY2(x0 >= 0 && x1 <= map->scale().width() && x1 - x0 > map->scale().width() / 2,
        qPrintable(QStringLiteral("%1..%2").arg(x0).arg(x1)));
    // An edit that takes memory: the list and the line follow (an 8 MiB carve-out at the largest gap).
    auto* size = w->propertyPanel()->findChild<QLineEdit*>(QStringLiteral("newSize"));
    size->setText(QStringLiteral("8M"));
    QPushButton* add = nullptr;
    for (auto* b : w->propertyPanel()->findChildren<QPushButton*>())
        if (b->text() == QLatin1String("Add region"))
            add = b;
    QTest::mouseClick(add, Qt::LeftButton);
    const FreeSpace after = freeSpaceOf(*w->analysis());
    QCOMPARE(after.total(), f.total() - 8 * 1024 * 1024);
    QCOMPARE(list->topLevelItemCount(), int(after.gaps.size()));
    QTest::qWait(20); // the status bar lays its labels out again
    test::screenshot(*w, "freespace-brk1.png");
}

void TestMapRead::addRegionAtTheFirstFit()
{
    auto w = test::openWindow(brk1());
    PropertyPanel* panel = w->propertyPanel();
    auto* size = panel->findChild<QLineEdit*>(QStringLiteral("newSize"));
    auto* kind = panel->findChild<QComboBox*>(QStringLiteral("newKind"));
    auto* fit = panel->findChild<QLabel*>(QStringLiteral("newFit"));
    QPushButton* add = nullptr;
    for (auto* b : panel->findChildren<QPushButton*>())
        if (b->text() == QLatin1String("Add region"))
            add = b;
    QVERIFY(size && kind && fit && add);
    const FreeSpace f = freeSpaceOf(*w->analysis());
    const size_t regions = w->layout().regions.size();

    // A 16 MiB no-map carve-out: the first gap that holds it at the page size.
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("16M"));
    const uint64_t expected = *f.firstFit(16 << 20, w->profile().pageSize);
    QVERIFY2(fit->text().startsWith(QStringLiteral("Goes at %1,").arg(toHex(expected))), qPrintable(fit->text()));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(w->layout().regions.size(), regions + 1);
    const int carve = test::regionNamed(*w, QStringLiteral("new-region@"));
    QVERIFY(carve >= 0);
    QCOMPARE(*w->analysis()->place(carve).base, expected);
    QCOMPARE(w->analysis()->place(carve).outcome, Outcome::Active);
    QVERIFY(w->layout().regions[size_t(carve)].noMap);
    QCOMPARE(w->addressMap()->selectedRegion(), carve);

    // A CMA pool of 6 MiB: at the profile's CMA minimum alignment (2 MiB with 4K pages), kept.
    const uint64_t cmaAlign = w->profile().cmaMinAlignment();
    QCOMPARE(cmaAlign, uint64_t(0x200000));
    kind->setCurrentIndex(kind->findText(QStringLiteral("CMA pool")));
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("6M"));
    const uint64_t cmaAt = *freeSpaceOf(*w->analysis()).firstFit(6 << 20, cmaAlign);
    QVERIFY(fit->text().contains(QStringLiteral("aligned to 2 MiB")));
    QTest::mouseClick(add, Qt::LeftButton);
    const int pool = int(w->layout().regions.size()) - 1;
    QCOMPARE(w->layout().regions[size_t(pool)].kind, RegionKind::Cma);
    QCOMPARE(*w->analysis()->place(pool).base, cmaAt);
    QCOMPARE(cmaAt % cmaAlign, uint64_t(0));
    QCOMPARE(w->analysis()->place(pool).outcome, Outcome::Active);
    for (const auto& finding : w->findings().findings)
        QVERIFY2(finding.region != pool && finding.region != carve, qPrintable(finding.message));
    QCOMPARE(w->undoStack()->count(), 2);

    // Larger than any gap: said so, and added with a size only for the kernel to place.
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("3G"));
    QVERIFY2(fit->text().startsWith(QStringLiteral("No free gap of RAM holds 3 GiB")), qPrintable(fit->text()));
    QTest::mouseClick(add, Qt::LeftButton);
    const int sized = int(w->layout().regions.size()) - 1;
    QCOMPARE(w->layout().regions[size_t(sized)].placement, Placement::Dynamic);
    // Not a size: said so, nothing added.
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("lots"));
    QVERIFY(fit->text().contains(QStringLiteral("is not a size")));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(w->undoStack()->count(), 3);
}

void TestMapRead::legendListsThePaintersTable()
{
    Legend legend;
    legend.resize(560, 600);
    legend.show();
    QVERIFY(QTest::qWaitForWindowExposed(&legend));
    const auto entries = style::legend(legend.palette());
    QCOMPARE(int(legend.entries().size()), int(entries.size()));
    // Every entry's name is shown, beside its swatch.
    QStringList shown;
    for (auto* l : legend.findChildren<QLabel*>())
        shown << l->text();
    for (const auto& e : entries)
        QVERIFY2(
            shown.contains(QStringLiteral("<b>%1</b>").arg(e.name)) && shown.contains(e.meaning), qPrintable(e.name));
    // Every kind's colour is painted in the legend (the swatches are the painters' table).
    const QImage picture = legend.grab().toImage();
    auto painted = [&](const QColor& c) {
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x)
                if (picture.pixelColor(x, y).rgb() == c.rgb())
                    return true;
        return false;
    };
    for (RegionKind k : { RegionKind::Cma, RegionKind::Coherent, RegionKind::Restricted, RegionKind::Reserved })
        for (bool noMap : { false, true })
            if (k == RegionKind::Reserved || !noMap)
                QVERIFY2(painted(style::kindColor(k, noMap)), qPrintable(kindName(k)));
    QVERIFY(painted(style::memreserveColor()));
    QVERIFY(painted(style::failedColor()));
    test::screenshot(legend, "legend.png");
}

void TestMapRead::legendFromViewMenuAndStatusBar()
{
    auto w = test::openWindow(brk1());
    auto* dock = w->findChild<QDockWidget*>(QStringLiteral("legendDock"));
    QVERIFY(dock && !dock->isVisible());
    dock->toggleViewAction()->trigger(); // View > Legend
    QVERIFY(dock->isVisible());
    QVERIFY(dock->findChild<Legend*>());
    auto* button = w->statusBar()->findChild<QToolButton*>(QStringLiteral("legendButton"));
    QVERIFY(button && button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    auto* popup = w->findChild<QWidget*>(QStringLiteral("legendPopup"));
    QVERIFY(popup && popup->isVisible());
    QVERIFY(popup->findChild<Legend*>());
    QCOMPARE(int(popup->findChild<Legend*>()->entries().size()), int(style::legend(w->palette()).size()));
    popup->close();
}

QTEST_MAIN(TestMapRead)
#include "tst_mapread.moc"
