// SPDX-License-Identifier: GPL-2.0-only
// Defects found by using the window as a new user would (issue 15, item 11), each driven through
// real mouse and key events on the offscreen platform.

// ui
#include "addressmap.h"
#include "mainwindow.h"
#include "propertypanel.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

class TestWindowDefects : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void panelFollowsTheTable();
    void totalsSurviveAMenu();
    void tabLeavesTheTable();
    void closedDockStaysInTheViewMenu();
    void totalsFollowTheVerdicts();
    void banksThatTouchAreRam();
    void emptyBoardSaysSo();
    void cleanup()
    {
        QSettings().clear(); // a toolbar choice of one test is not the next one's
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

namespace {
QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

/// Clicks the table row that shows `region`.
void clickRow(MainWindow& w, int region)
{
    auto* table = w.findChild<QTableView*>(QStringLiteral("regions"));
    // The region's row: the one whose Name column starts with the region's node name.
    const QString name = w.layout().regions[size_t(region)].name;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex idx = table->model()->index(row, 3);
        if (idx.data().toString() == name) {
            table->scrollTo(idx);
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(idx).center());
            return;
        }
    }
    QFAIL("no row shows the region");
}

/// The status bar's text: its message and every label in it.
QString statusText(MainWindow& w)
{
    QString text = w.statusBar()->currentMessage();
    for (auto* l : w.statusBar()->findChildren<QLabel*>()) {
        if (l->isVisible())
            text += QLatin1Char(' ') + l->text();
    }
    return text;
}
} // namespace

void TestWindowDefects::panelFollowsTheTable()
{
    const auto window = test::openWindow(brk1());
    MainWindow& w = *window;
    const int cma = test::regionNamed(w, QStringLiteral("camera-cma@"));
    const int cdsp = test::regionNamed(w, QStringLiteral("cdsp"));
    QVERIFY(cma >= 0 && cdsp >= 0);
    // A fresh start: a click on a row selects that region in the panel.
    clickRow(w, cdsp);
    auto* title = w.propertyPanel()->findChildren<QLabel*>().at(0);
    QVERIFY2(title->text().contains(w.layout().regions[size_t(cdsp)].name), qPrintable(title->text()));
    // The map's click, then the table's: the panel edits the table's region.
    QTest::mouseClick(w.addressMap(), Qt::LeftButton, {}, w.addressMap()->regionRect(cma).center().toPoint());
    QCOMPARE(w.addressMap()->selectedRegion(), cma);
    QCOMPARE(w.undoStack()->count(), 0); // a click on a misaligned pool selects it, never snaps it
    QVERIFY(title->text().contains(w.layout().regions[size_t(cma)].name));
    clickRow(w, cdsp);
    QCOMPARE(w.addressMap()->selectedRegion(), cdsp);
    auto* size = w.propertyPanel()->findChild<QLineEdit*>(QStringLiteral("size"));
    QTest::mouseClick(size, Qt::LeftButton);
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("20M"));
    QTest::keyClick(size, Qt::Key_Return);
    QCOMPARE(w.undoStack()->count(), 1);
    QVERIFY2(w.undoStack()->text(0).contains(QLatin1String("cdsp")), qPrintable(w.undoStack()->text(0)));
    QCOMPARE(w.analysis()->place(cdsp).size, uint64_t(20) << 20);
    // The keyboard in the table moves the panel too.
    auto* table = w.findChild<QTableView*>(QStringLiteral("regions"));
    table->setFocus();
    const int before = w.addressMap()->selectedRegion();
    QTest::keyClick(table, Qt::Key_Down);
    const int after = w.addressMap()->selectedRegion();
    QVERIFY(after != before && after >= 0);
    QVERIFY(title->text().contains(w.layout().regions[size_t(after)].name));
}

void TestWindowDefects::totalsSurviveAMenu()
{
    const auto window = test::openWindow(brk1());
    MainWindow& w = *window;
    QVERIFY2(statusText(w).contains(QLatin1String("CMA")), qPrintable(statusText(w)));
    // Alt+V opens the View menu, Down hovers an item (its empty status tip), Esc closes it.
    QMenu* view = nullptr;
    for (QAction* a : w.menuBar()->actions()) {
        if (a->text() == QLatin1String("&View"))
            view = a->menu();
    }
    QVERIFY(view);
    w.menuBar()->setActiveAction(view->menuAction());
    QTRY_VERIFY(view->isVisible());
    QTest::keyClick(view, Qt::Key_Down);
    QTest::keyClick(view, Qt::Key_Escape);
    QTest::keyClick(w.menuBar(), Qt::Key_Escape);
    QTRY_VERIFY(!view->isVisible());
    QVERIFY2(statusText(w).contains(QLatin1String("CMA")), qPrintable(statusText(w)));
}

void TestWindowDefects::tabLeavesTheTable()
{
    const auto window = test::openWindow(brk1());
    MainWindow& w = *window;
    auto* table = w.findChild<QTableView*>(QStringLiteral("regions"));
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_Tab);
    QVERIFY2(!table->hasFocus(), "Tab stays in the regions table");
}

void TestWindowDefects::closedDockStaysInTheViewMenu()
{
    MainWindow w;
    w.resize(1400, 860);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* dock = w.findChild<QDockWidget*>(QStringLiteral("regionDock"));
    QVERIFY(dock && dock->isVisible());
    dock->close();
    QMenu* view = nullptr;
    for (QAction* a : w.menuBar()->actions()) {
        if (a->text() == QLatin1String("&View"))
            view = a->menu();
    }
    QVERIFY(view);
    QAction* toggle = nullptr;
    for (QAction* a : view->actions()) {
        if (a->text() == dock->windowTitle())
            toggle = a;
    }
    QVERIFY2(toggle, "View has no Region item");
    toggle->trigger();
    QVERIFY(dock->isVisible());
}

void TestWindowDefects::totalsFollowTheVerdicts()
{
    MainWindow w;
    QVERIFY(w.openFile(brk1()));
    auto* totals = w.findChild<QLabel*>(QStringLiteral("totals"));
    QVERIFY(totals);
    // 64K pages: both CMA pools of the tree are freed; what CMA holds is the kernel's own area.
    auto* pages = w.findChild<QComboBox*>(QStringLiteral("pageSize"));
    pages->setCurrentIndex(pages->findData(QStringLiteral("64K")));
    QVERIFY(totals->text().contains(QLatin1String("CMA 512 MiB (default area 512 MiB, from CONFIG_CMA_SIZE_MBYTES)")));
    QVERIFY2(totals->toolTip().contains(QLatin1String("camera-cma@96100000 (64 MiB): freed")),
        qPrintable(totals->toolTip()));
    QVERIFY(totals->toolTip().contains(QLatin1String("linux,cma (128 MiB): freed")));
    // cma=256M on the command line: that area is counted and named.
    pages->setCurrentIndex(0);
    auto* cmdline = w.findChild<QLineEdit*>(QStringLiteral("cmdline"));
    cmdline->setText(QStringLiteral("cma=256M"));
    emit cmdline->editingFinished();
    QVERIFY2(totals->text().contains(QLatin1String("CMA 256 MiB (default area 256 MiB, from cma=)")),
        qPrintable(totals->text()));
    QVERIFY(totals->text().contains(QLatin1String("reserved 368 MiB")));
    // ... and drawn: on the bank band, where the kernel puts it, with its tooltip.
    const QRectF cma = w.addressMap()->defaultCmaRect();
    QVERIFY(!cma.isEmpty());
    const QString tip = w.addressMap()->toolTipAt(cma.center().toPoint());
    QVERIFY2(
        tip.contains(QLatin1String("default CMA area")) && tip.contains(QLatin1String("from cma=")), qPrintable(tip));
    QVERIFY(tip.contains(QLatin1String("256 MiB")));
    cmdline->setText(QString());
    emit cmdline->editingFinished();
    // Without cma= the tree's linux,cma is the default area: a region, not drawn on the band.
    QVERIFY(w.addressMap()->defaultCmaRect().isEmpty());
}

void TestWindowDefects::banksThatTouchAreRam()
{
    if (!test::haveCorpus())
        QSKIP("no corpus in ../shared");
    MainWindow w;
    QVERIFY(w.openFile(test::corpusDir() + QStringLiteral("/src/arm64/freescale/imx8mp-evk.dts")));
    QCOMPARE(w.layout().memory.size(), size_t(2));
    // Every segment of the axis lies in the RAM the painter checks it against.
    const auto ram = w.addressMap()->data().ram();
    for (const auto& s : w.addressMap()->scale().segments()) {
        bool inRam = false;
        for (const auto& b : ram)
            inRam |= s.base >= b.base && s.end <= b.end();
        QVERIFY2(inRam, qPrintable(QStringLiteral("segment %1..%2 outside RAM").arg(s.base, 0, 16).arg(s.end, 0, 16)));
    }
}

void TestWindowDefects::emptyBoardSaysSo()
{
    if (!test::haveCorpus())
        QSKIP("no corpus in ../shared");
    MainWindow w;
    w.resize(1400, 860);
    QVERIFY(w.openFile(test::corpusDir() + QStringLiteral("/src/arm64/nvidia/tegra234-p3768-0000+p3767-0005.dts")));
    QVERIFY(w.layout().regions.empty());
    QVERIFY2(w.addressMap()->emptyText().contains(QLatin1String("nothing to draw")),
        qPrintable(w.addressMap()->emptyText()));
    QVERIFY(w.openFile(brk1()));
    QVERIFY(w.addressMap()->emptyText().isEmpty());
}

QTEST_MAIN(TestWindowDefects)
#include "tst_windowdefects.moc"
