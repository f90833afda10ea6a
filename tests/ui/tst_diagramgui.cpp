// SPDX-License-Identifier: GPL-2.0-only
// The memory-map diagram in the window: View > Diagram (Ctrl+D) switches the map area and is
// remembered across windows; clicking a block selects the table row and the Region panel, a
// row selects the block, Up/Down/Home/End walk the blocks; the region context menu of the map,
// the diagram and the table (driven through the real QMenu); the detail level changes the
// blocks' heights; screenshots of the three boards in the diagram.

// core
#include "model/units.h"

// ui
#include "addressmap.h"
#include "diagram/diagramview.h"
#include "diagram/windowdiagram.h"
#include "mapstyle.h"
#include "models/regiontablemodel.h"
#include "propertypanel.h"
#include "uitest.h"

// tests
#include "../testutils.h"

// Qt
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFile>
#include <QLabel>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

namespace {
QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

DiagramView* diagramOf(const MainWindow& w)
{
    return w.diagram()->view();
}

QTableView* tableOf(const MainWindow& w)
{
    return w.findChild<QTableView*>(QStringLiteral("regions"));
}

/** The region of the table's current row, or -1. */
int tableRegion(const MainWindow& w)
{
    const QModelIndex i = tableOf(w)->currentIndex();
    return i.isValid() ? i.data(RegionTableModel::RegionRole).toInt() : -1;
}

QString panelTitle(const MainWindow& w)
{
    return w.propertyPanel()->findChild<QLabel*>()->text();
}

} // namespace

class TestDiagramGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void toggleIsRemembered();
    void clickSelectsEverywhere();
    void keysWalkTheBlocks();
    void detailChangesHeights();
    void fitChoosesTheLevelThatFits();
    void mapContextMenu();
    void diagramContextMenu();
    void tableContextMenuDeletes();
    void darkPaletteAtFullDetail();
    void screenshots_data();
    void screenshots();
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

void TestDiagramGui::toggleIsRemembered()
{
    {
        auto w = test::openWindow(brk1());
        QVERIFY(!w->diagram()->diagramShown()); // the map by default
        w->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QTest::keyClick(w.get(), Qt::Key_D, Qt::ControlModifier);
        QVERIFY(w->diagram()->diagramShown());
        QVERIFY(diagramOf(*w)->isVisible());
        QVERIFY(!w->addressMap()->isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("view/mapView")).toString(), QStringLiteral("diagram"));
    }
    {
        auto w = test::openWindow(brk1());
        QVERIFY(w->diagram()->diagramShown());
        QVERIFY(diagramOf(*w)->isVisible());
        // Both views got the board.
        QCOMPARE(diagramOf(*w)->data().regionCount(), w->addressMap()->data().regionCount());
        QVERIFY(diagramOf(*w)->data().regionCount() > 0);
        w->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        QTest::keyClick(w.get(), Qt::Key_D, Qt::ControlModifier);
        QVERIFY(!w->diagram()->diagramShown());
        QVERIFY(w->addressMap()->isVisible());
    }
    auto w = test::openWindow(brk1());
    QVERIFY(!w->diagram()->diagramShown());
}

void TestDiagramGui::clickSelectsEverywhere()
{
    auto w = test::openWindow(brk1());
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    const int camera = test::regionNamed(*w, QStringLiteral("camera"));
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp"));
    QVERIFY(camera >= 0 && cdsp >= 0);
    view->scrollToRegion(camera);
    const QRect r = view->regionRect(camera);
    QVERIFY(!r.isEmpty());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(view->selectedRegion(), camera);
    QCOMPARE(w->addressMap()->selectedRegion(), camera);
    QCOMPARE(tableRegion(*w), camera);
    QVERIFY2(panelTitle(*w).contains(w->layout().regions[size_t(camera)].name), qPrintable(panelTitle(*w)));
    // A row of the table selects the block.
    QTableView* table = tableOf(*w);
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex i = table->model()->index(row, 0);
        if (i.data(RegionTableModel::RegionRole).toInt() == cdsp)
            table->setCurrentIndex(i);
    }
    QCOMPARE(view->selectedRegion(), cdsp);
    QVERIFY2(panelTitle(*w).contains(w->layout().regions[size_t(cdsp)].name), qPrintable(panelTitle(*w)));
    // Activating a finding selects its region in the diagram too.
    auto* findings = w->findChild<QTableView*>(QStringLiteral("findings"));
    int findingRow = -1, findingRegion = -1;
    for (int row = 0; row < int(w->findings().findings.size()) && findingRow < 0; ++row) {
        const int region = w->findings().findings[size_t(row)].region;
        if (region >= 0 && region != cdsp) {
            findingRow = row;
            findingRegion = region;
        }
    }
    QVERIFY(findingRow >= 0);
    findings->setFocus();
    findings->setCurrentIndex(findings->model()->index(findingRow, 0));
    QTest::keyClick(findings, Qt::Key_Return);
    QCOMPARE(w->addressMap()->selectedRegion(), findingRegion);
    QCOMPARE(view->selectedRegion(), findingRegion);
    // The tooltip is the map's.
    view->scrollToRegion(cdsp);
    const QString tip = view->toolTipAt(view->regionRect(cdsp).center());
    QVERIFY2(tip.contains(w->layout().regions[size_t(cdsp)].name) && tip.contains(QLatin1String("outcome:")),
        qPrintable(tip));
}

void TestDiagramGui::keysWalkTheBlocks()
{
    auto w = test::openWindow(brk1());
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    const std::vector<int> order = view->diagramLayout().regionOrder();
    QVERIFY(order.size() >= 3);
    w->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    // A click on a block gives the diagram the keyboard.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->regionRect(order[1]).center());
    QVERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_Home);
    QCOMPARE(view->selectedRegion(), order.front());
    QCOMPARE(tableRegion(*w), order.front());
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(view->selectedRegion(), order[1]);
    QCOMPARE(w->addressMap()->selectedRegion(), order[1]);
    QTest::keyClick(view, Qt::Key_Up);
    QCOMPARE(view->selectedRegion(), order.front());
    QTest::keyClick(view, Qt::Key_End);
    QCOMPARE(view->selectedRegion(), order.back());
    QCOMPARE(tableRegion(*w), order.back());
    QVERIFY(view->viewport()->rect().intersects(view->regionRect(order.back()))); // scrolled there
}

void TestDiagramGui::detailChangesHeights()
{
    auto w = test::openWindow(brk1());
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    const int camera = test::regionNamed(*w, QStringLiteral("camera"));
    QCOMPARE(view->detail(), DiagramLayout::Detail::Normal);
    const int normal = view->regionRect(camera).height();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Minus);
    QCOMPARE(view->detail(), DiagramLayout::Detail::Compact);
    const int compact = view->regionRect(camera).height();
    QVERIFY2(compact < normal, qPrintable(QStringLiteral("%1 %2").arg(compact).arg(normal)));
    // Ctrl+wheel up: more detail, twice (the second step reaches Full).
    for (int k = 0; k < 2; ++k) {
        QWheelEvent wheel(QPointF(50, 50), view->viewport()->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, 120),
            Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->viewport(), &wheel);
    }
    QCOMPARE(view->detail(), DiagramLayout::Detail::Full);
    QVERIFY(view->regionRect(camera).height() > normal);
    QTest::keyClick(view, Qt::Key_Plus); // no level beyond Full
    QCOMPARE(view->detail(), DiagramLayout::Detail::Full);
    // View > Zoom out (Ctrl+-) acts on the diagram while it is shown.
    w->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    QTest::keyClick(w.get(), Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(view->detail(), DiagramLayout::Detail::Normal);
    QTest::keyClick(w.get(), Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(view->detail(), DiagramLayout::Detail::Compact);
    // The next window reads at the same level.
    auto next = test::openWindow(brk1());
    QCOMPARE(diagramOf(*next)->detail(), DiagramLayout::Detail::Compact);
}

void TestDiagramGui::fitChoosesTheLevelThatFits()
{
    // The small sample fits a tall diagram at Full detail; a large corpus board does not fit a
    // 700-pixel window at any level: Fit gives Compact, at the top.
    auto w = test::openWindow(brk1(), QSize(1400, 2400));
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    QWidget* upper = view;
    while (upper && !qobject_cast<QSplitter*>(upper->parentWidget()))
        upper = upper->parentWidget();
    QVERIFY(upper);
    auto* split = static_cast<QSplitter*>(upper->parentWidget());
    QList<int> sizes(split->count(), 1);
    sizes[split->indexOf(upper)] = 4000;
    split->setSizes(sizes);
    QVERIFY(QTest::qWaitFor([&] { return view->viewport()->height() > 1500; }));
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
    QTest::keyClick(w.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view->detail(), DiagramLayout::Detail::Full);
    QVERIFY(view->contentSize(view->viewport()->width()).height() <= view->viewport()->height());
    QCOMPARE(view->verticalScrollBar()->value(), 0);

    const QString hamoa = test::corpusDir() + QStringLiteral("/src/arm64/qcom/hamoa-iot-evk.dts");
    if (!QFile::exists(hamoa))
        QSKIP("the corpus (../shared/corpus) is not here");
    QVERIFY(w->openFile(hamoa));
    w->resize(1024, 700);
    QTest::keyClick(view, Qt::Key_Plus);
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
    QTest::keyClick(w.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view->detail(), DiagramLayout::Detail::Compact);
    QVERIFY(view->verticalScrollBar()->maximum() > 0);
    QCOMPARE(view->verticalScrollBar()->value(), 0);
}

void TestDiagramGui::mapContextMenu()
{
    auto w = test::openWindow(brk1());
    AddressMap* map = w->addressMap();
    const int camera = test::regionNamed(*w, QStringLiteral("camera"));
    const QPoint at = map->regionRect(camera).center().toPoint();
    QCOMPARE(map->regionAt(at), camera);
    const QStringList names = test::chooseFromMenu(map, at, QStringLiteral("copyName"));
    QVERIFY2(names.contains(QLatin1String("zoomToRegion")) && names.contains(QLatin1String("selectInTable"))
            && names.contains(QLatin1String("copyReg")) && names.contains(QLatin1String("deleteRegion")),
        qPrintable(names.join(QLatin1Char(' '))));
    QCOMPARE(QApplication::clipboard()->text(), w->layout().regions[size_t(camera)].name);
    QCOMPARE(tableRegion(*w), camera); // the menu's region is the window's selection
    test::chooseFromMenu(map, at, QStringLiteral("copyReg"));
    const Region& r = w->layout().regions[size_t(camera)];
    const uint64_t base = *w->analysis()->place(camera).base, size = w->analysis()->place(camera).size;
    QCOMPARE(QApplication::clipboard()->text(),
        QStringLiteral("reg = <0x0 %1 0x0 %2>;").arg(toHex(base), toHex(size))); // brk1: 2 address and size cells
    QVERIFY(r.base.has_value());
    test::chooseFromMenu(map, at, QStringLiteral("copyBase"));
    QCOMPARE(QApplication::clipboard()->text(), toHex(base));
    test::chooseFromMenu(map, at, QStringLiteral("copySize"));
    QCOMPARE(QApplication::clipboard()->text(), toHex(size));
    // Zoom to region: the block fills most of the map's width.
    map->fit();
    const double before = map->regionRect(camera).width();
    test::chooseFromMenu(map, at, QStringLiteral("zoomToRegion"));
    QVERIFY2(map->regionRect(camera).width() > before * 2,
        qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(map->regionRect(camera).width())));
    // Nothing under the point: no menu.
    QVERIFY(test::chooseFromMenu(map, QPoint(2, 2), QString()).isEmpty());
}

void TestDiagramGui::diagramContextMenu()
{
    auto w = test::openWindow(brk1());
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp"));
    view->scrollToRegion(cdsp);
    const QPoint at = view->regionRect(cdsp).center();
    test::chooseFromMenu(view->viewport(), at, QStringLiteral("copyName"));
    QCOMPARE(QApplication::clipboard()->text(), w->layout().regions[size_t(cdsp)].name);
    QCOMPARE(tableRegion(*w), cdsp);
    QCOMPARE(w->addressMap()->selectedRegion(), cdsp);
    // Show source: the source pane names the region's file and line.
    const QStringList names = test::chooseFromMenu(view->viewport(), at, QStringLiteral("showSource"));
    QVERIFY(names.contains(QLatin1String("showSource")));
    auto* source = w->findChild<QPlainTextEdit*>();
    const SourceRef& ref = w->layout().regions[size_t(cdsp)].source;
    QVERIFY2(source->toPlainText().startsWith(QStringLiteral("%1:%2").arg(ref.file).arg(ref.line)),
        qPrintable(source->toPlainText().left(200)));
    // Select in table: the table has the focus on the row.
    test::chooseFromMenu(view->viewport(), at, QStringLiteral("selectInTable"));
    QCOMPARE(tableRegion(*w), cdsp);
}

void TestDiagramGui::tableContextMenuDeletes()
{
    auto w = test::openWindow(brk1());
    QTableView* table = tableOf(*w);
    const int before = int(w->layout().regions.size());
    const int camera = test::regionNamed(*w, QStringLiteral("camera"));
    const QString name = w->layout().regions[size_t(camera)].name;
    int row = -1;
    for (int k = 0; k < table->model()->rowCount(); ++k) {
        if (table->model()->index(k, 0).data(RegionTableModel::RegionRole).toInt() == camera)
            row = k;
    }
    QVERIFY(row >= 0);
    table->scrollTo(table->model()->index(row, 0));
    const QPoint at = table->visualRect(table->model()->index(row, 0)).center();
    test::chooseFromMenu(table->viewport(), at, QStringLiteral("deleteRegion"));
    QCOMPARE(int(w->layout().regions.size()), before - 1);
    QCOMPARE(test::regionNamed(*w, name), -1);
    QVERIFY2(w->undoStack()->undoText().startsWith(QLatin1String("Delete")), qPrintable(w->undoStack()->undoText()));
    w->undoStack()->undo();
    QCOMPARE(int(w->layout().regions.size()), before);
}

void TestDiagramGui::darkPaletteAtFullDetail()
{
    auto w = test::openWindow(brk1());
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Window, QColor(0x2d, 0x2d, 0x2d));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    view->setPalette(dark);
    view->setDetail(DiagramLayout::Detail::Full);
    const QSize size = view->contentSize(700);
    QImage image(size, QImage::Format_ARGB32);
    {
        QPainter p(&image);
        view->paintTo(p, QRect(QPoint(0, 0), size));
    }
    // The bank's title and the free blocks' text are light on their dark fills.
    DiagramLayout at700;
    at700.setData(view->data(), view->font(), 700, DiagramLayout::Detail::Full);
    int lightText = 0, darkFills = 0;
    for (const DiagramBlock& b : at700.blocks()) {
        if (b.type != DiagramBlock::Type::Header && b.type != DiagramBlock::Type::Free)
            continue;
        darkFills += image.pixelColor(b.rect.right() - 4, b.rect.bottom() - 4).lightness() < 100;
        const QRect text = b.textRect.toAlignedRect().intersected(image.rect());
        bool light = false;
        for (int y = text.top(); y <= text.bottom() && !light; ++y) {
            for (int x = text.left(); x <= text.left() + 60 && !light; ++x)
                light = image.pixelColor(x, y).lightness() > 180;
        }
        lightText += light;
    }
    QVERIFY(darkFills >= 3);
    QCOMPARE(lightText, darkFills);
    // Full detail names the devices a region serves.
    const int camera = test::regionNamed(*w, QStringLiteral("camera"));
    const QStringList lines = at700.blocks()[size_t(at700.blockOfRegion(camera))].lines;
    QVERIFY2(lines.join(QLatin1Char('|')).contains(QLatin1String("used by")), qPrintable(lines.join(QLatin1Char('|'))));
    if (const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR"); !shots.isEmpty())
        image.save(shots + QStringLiteral("/diagram-brk1-board-dark-full.png"));
}

void TestDiagramGui::screenshots_data()
{
    QTest::addColumn<QString>("board");
    const QString arm64 = test::corpusDir() + QStringLiteral("/src/arm64/");
    QTest::addRow("hamoa-iot-evk") << arm64 + QStringLiteral("qcom/hamoa-iot-evk.dts");
    QTest::addRow("imx8mp-evk") << arm64 + QStringLiteral("freescale/imx8mp-evk.dts");
    QTest::addRow("k3-am69-aquila-dev") << arm64 + QStringLiteral("ti/k3-am69-aquila-dev.dts");
    // /memreserve/ entries among regions:
    QTest::addRow("rtd1195-mele-x1000") << test::corpusDir()
            + QStringLiteral("/src/arm/realtek/rtd1195-mele-x1000.dts");
    // Overlaps, a failed pool, findings' badges:
    QTest::addRow("brk1-board") << brk1();
}

void TestDiagramGui::screenshots()
{
    QFETCH(QString, board);
    if (!QFile::exists(board))
        QSKIP("no corpus in ../shared");
    auto w = test::openWindow(board);
    w->diagram()->toggleAction()->setChecked(true);
    DiagramView* view = diagramOf(*w);
    QVERIFY(view->isVisible());
    QVERIFY(!view->diagramLayout().blocks().empty());
    // The diagram gets most of the window's height, as a user reading it would drag it.
    if (auto* split = qobject_cast<QSplitter*>(view->parentWidget()->parentWidget()))
        split->setSizes({ 560, 150, 80 });
    QVERIFY(view->height() > 400);
    const QString name = QStringLiteral("diagram-%1.png").arg(QLatin1String(QTest::currentDataTag()));
    test::screenshot(*w, qPrintable(name));
    // paintTo (export, print): the whole diagram at a width of 700 pixels, each block in its colour.
    const QSize size = view->contentSize(700);
    QVERIFY(size.width() >= 700 && size.height() > 200);
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    {
        QPainter p(&image);
        view->paintTo(p, QRect(QPoint(0, 0), size));
    }
    DiagramLayout at700;
    at700.setData(view->data(), view->font(), 700, view->detail());
    int checked = 0;
    for (const DiagramBlock& b : at700.blocks()) {
        if (b.type != DiagramBlock::Type::Region || !b.placed || b.lanes > 1)
            continue;
        const Region& r = view->data().region(b.index);
        if (!r.enabled || r.placement == Placement::Dynamic || style::failedOutcome(view->data().outcome(b.index)))
            continue;
        // Right of the text, above the bottom edge: the kind's fill.
        const QPoint inside(int(b.rect.right()) - 30, int(b.rect.bottom()) - 4);
        QCOMPARE(image.pixelColor(inside).rgb(), style::kindColor(r).rgb());
        ++checked;
    }
    QVERIFY(checked > 0);
    if (const QString shots = qEnvironmentVariable("CARVEOUT_SCREENSHOT_DIR"); !shots.isEmpty())
        image.save(shots + QStringLiteral("/diagram-%1-whole.png").arg(QLatin1String(QTest::currentDataTag())));
}

QTEST_MAIN(TestDiagramGui)
#include "tst_diagramgui.moc"
