// SPDX-License-Identifier: GPL-2.0-only
// Finding one's way in the window (issue 15, items 5, 7 and 8), driven through real keys and
// clicks on the offscreen platform: Go to / Find, the RAM banner of boards whose bootloader
// fills RAM in, and source paths with the editor they open in.

// ui
#include "addressmap.h"
#include "mainwindow.h"
#include "models/regiontablemodel.h"
#include "navigate/gotobar.h"
#include "navigate/rambanner.h"

// core
#include "model/units.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace carveout;
using namespace carveout::ui;

class TestNavigateGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void gotoNameByKeys();
    void severalMatchesStep();
    void gotoAddressZoomsIn();
    void filterGivesWay();
    void badInputSaysWhy();
    void withoutABoard();
    void ramFromTheBootloader();
    void pathsRelativeToTheBoard();
    void doubleClickOpensTheEditor();
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }
};

namespace {
QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

std::unique_ptr<MainWindow> activeWindow(const QString& board)
{
    auto w = test::openWindow(board);
    w->activateWindow();
    if (!QTest::qWaitForWindowActive(w.get()))
        qFatal("the window does not become active");
    return w;
}

GotoBar* bar(MainWindow& w)
{
    return w.findChild<GotoBar*>(QStringLiteral("gotoBar"));
}

QTableView* regionsTable(MainWindow& w)
{
    return w.findChild<QTableView*>(QStringLiteral("regions"));
}

int currentRowRegion(MainWindow& w)
{
    const QModelIndex i = regionsTable(w)->currentIndex();
    return i.isValid() ? i.data(RegionTableModel::RegionRole).toInt() : -1;
}

QString status(MainWindow& w)
{
    return w.findChild<QLabel*>(QStringLiteral("gotoStatus"))->text();
}

/// Ctrl+G from the map, the text typed, Enter.
void goTo(MainWindow& w, const QString& text)
{
    w.addressMap()->setFocus();
    QTest::keyClick(w.addressMap(), Qt::Key_G, Qt::ControlModifier);
    QLineEdit* input = bar(w)->input();
    QVERIFY(bar(w)->isVisible());
    QVERIFY(input->hasFocus());
    input->selectAll();
    QTest::keyClicks(input, text);
    QTest::keyClick(input, Qt::Key_Return);
}

/// Whether the map shows `region` in full, at least `minWidth` pixels wide.
bool mapShows(MainWindow& w, int region, double minWidth)
{
    const QRectF r = w.addressMap()->regionRect(region);
    return !r.isEmpty() && r.left() >= 0 && r.right() <= w.addressMap()->width() && r.width() >= minWidth;
}

/// A double click as the platform delivers it: press, release, double click, release
/// (QTest::mouseDClick alone sends only the double click, which a view takes for a press).
void doubleClick(QWidget* w, QPoint at)
{
    QTest::mouseClick(w, Qt::LeftButton, {}, at);
    QTest::mouseDClick(w, Qt::LeftButton, {}, at);
    QTest::mouseRelease(w, Qt::LeftButton, {}, at);
}

/// The row of the regions table that shows `region`.
QModelIndex rowOf(MainWindow& w, int region, int column)
{
    QAbstractItemModel* m = regionsTable(w)->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, 0).data(RegionTableModel::RegionRole).toInt() == region)
            return m->index(row, column);
    }
    return {};
}
} // namespace

void TestNavigateGui::gotoNameByKeys()
{
    auto w = activeWindow(brk1());
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp"));
    QVERIFY(cdsp >= 0);
    QVERIFY(!bar(*w)->isVisible());
    goTo(*w, QStringLiteral("cdsp_mem"));
    QCOMPARE(w->addressMap()->selectedRegion(), cdsp);
    QCOMPARE(currentRowRegion(*w), cdsp);
    QVERIFY(mapShows(*w, cdsp, 200)); // zoomed: 16 MiB of 2 GiB is a sliver at fit
    QVERIFY2(status(*w).startsWith(QLatin1String("1 of 1: label cdsp_mem")), qPrintable(status(*w)));
    test::screenshot(*w, "goto-cdsp.png");
    // Ctrl+F opens the same bar; Escape closes it.
    QTest::keyClick(bar(*w)->input(), Qt::Key_Escape);
    QVERIFY(!bar(*w)->isVisible());
    QTest::keyClick(w->addressMap(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(bar(*w)->isVisible());
    QVERIFY(bar(*w)->input()->hasFocus());
}

void TestNavigateGui::severalMatchesStep()
{
    auto w = activeWindow(brk1());
    const QStringList order { QStringLiteral("bl31"), QStringLiteral("optee"), QStringLiteral("adsp"),
        QStringLiteral("cdsp"), QStringLiteral("video") };
    auto at = [&](int k) { return test::regionNamed(*w, order[k]); };
    goTo(*w, QStringLiteral("mem"));
    QCOMPARE(currentRowRegion(*w), at(0));
    QVERIFY2(status(*w).startsWith(QLatin1String("1 of 5")), qPrintable(status(*w)));
    QTest::keyClick(bar(*w)->input(), Qt::Key_Return); // Enter again: the next one
    QCOMPARE(currentRowRegion(*w), at(1));
    QVERIFY2(status(*w).startsWith(QLatin1String("2 of 5")), qPrintable(status(*w)));
    QTest::keyClick(bar(*w)->input(), Qt::Key_F3);
    QCOMPARE(currentRowRegion(*w), at(2));
    QCOMPARE(w->addressMap()->selectedRegion(), at(2));
    QVERIFY(status(*w).startsWith(QLatin1String("3 of 5")));
    // F3 works from anywhere in the window, Shift+F3 goes back.
    regionsTable(*w)->setFocus();
    QTest::keyClick(regionsTable(*w), Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(currentRowRegion(*w), at(1));
    QVERIFY(status(*w).startsWith(QLatin1String("2 of 5")));
    QTest::keyClick(regionsTable(*w), Qt::Key_F3, Qt::ShiftModifier);
    QTest::keyClick(regionsTable(*w), Qt::Key_F3, Qt::ShiftModifier); // wraps to the last
    QCOMPARE(currentRowRegion(*w), at(4));
    QVERIFY2(status(*w).startsWith(QLatin1String("5 of 5: label video_mem")), qPrintable(status(*w)));
    QVERIFY(mapShows(*w, at(4), 100));
}

void TestNavigateGui::gotoAddressZoomsIn()
{
    if (!test::haveCorpus())
        QSKIP("no corpus in ../shared");
    auto w = activeWindow(test::corpusDir() + QStringLiteral("/src/arm64/qcom/sm8550-qrd.dts"));
    // The smallest placed region no other region overlaps: a sliver at fit.
    const Analysis& a = *w->analysis();
    int small = -1;
    for (int i = 0; i < int(a.layout.regions.size()); ++i) {
        const RegionPlace p = a.place(i);
        if (!p.base || p.size == 0 || (small >= 0 && p.size >= a.place(small).size))
            continue;
        bool alone = true;
        for (int j = 0; j < int(a.layout.regions.size()); ++j) {
            const RegionPlace q = a.place(j);
            alone &= j == i || !q.base || q.end() <= *p.base || *q.base >= p.end();
        }
        if (alone)
            small = i;
    }
    QVERIFY(small >= 0);
    const RegionPlace p = a.place(small);
    QVERIFY2(w->addressMap()->regionRect(small).width() < 20,
        qPrintable(QString::number(w->addressMap()->regionRect(small).width())));
    // An address inside the region, in digit groups.
    QString hex = QString::number(*p.base + p.size / 2, 16);
    for (int k = hex.size() - 4; k > 0; k -= 4)
        hex.insert(k, QLatin1Char('_'));
    goTo(*w, QStringLiteral("0x") + hex);
    QCOMPARE(w->addressMap()->selectedRegion(), small);
    QCOMPARE(currentRowRegion(*w), small);
    QVERIFY(mapShows(*w, small, 200));
    // The table scrolled to the row.
    QTableView* t = regionsTable(*w);
    QVERIFY(t->viewport()->rect().intersects(t->visualRect(t->currentIndex())));
    // A range: the map shows the range.
    w->addressMap()->fit();
    goTo(*w, QStringLiteral("%1+%2").arg(toHex(*p.base), toHex(p.size * 4)));
    const AddressScale& s = w->addressMap()->scale();
    QVERIFY(s.toAddress(0) <= *p.base);
    QVERIFY(s.toAddress(w->addressMap()->width()) >= *p.base + p.size * 4);
    QCOMPARE(currentRowRegion(*w), small);
}

void TestNavigateGui::filterGivesWay()
{
    auto w = activeWindow(brk1());
    auto* filter = w->findChild<QLineEdit*>(); // the first line edit: the regions filter
    for (auto* e : w->findChildren<QLineEdit*>()) {
        if (e->placeholderText().startsWith(QLatin1String("Filter regions")))
            filter = e;
    }
    QTest::keyClicks(filter, QStringLiteral("video"));
    QCOMPARE(regionsTable(*w)->model()->rowCount(), 1);
    goTo(*w, QStringLiteral("cdsp"));
    QVERIFY(filter->text().isEmpty());
    QCOMPARE(currentRowRegion(*w), test::regionNamed(*w, QStringLiteral("cdsp")));
}

void TestNavigateGui::badInputSaysWhy()
{
    auto w = activeWindow(brk1());
    goTo(*w, QStringLiteral("optee"));
    const int optee = test::regionNamed(*w, QStringLiteral("optee"));
    QCOMPARE(currentRowRegion(*w), optee);
    goTo(*w, QStringLiteral("0x90000000-0x80000000"));
    QVERIFY2(status(*w).contains(QLatin1String("ends (0x80000000) where or before it starts")), qPrintable(status(*w)));
    QCOMPARE(currentRowRegion(*w), optee); // nothing moved
    QTest::keyClick(bar(*w)->input(), Qt::Key_F3);
    QCOMPARE(currentRowRegion(*w), optee);
    goTo(*w, QStringLiteral("nosuch"));
    QCOMPARE(status(*w), QStringLiteral("No region, label or device matches 'nosuch'."));
    QVERIFY(w->findChild<QLabel*>(QStringLiteral("gotoStatus"))->toolTip().contains(QLatin1String("Type an address")));
    test::screenshot(*w, "goto-nomatch.png");
}

void TestNavigateGui::withoutABoard()
{
    MainWindow w;
    w.resize(1024, 700);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    for (const char* text : { "0x1000", "0x1000+4K", "cdsp" }) {
        goTo(w, QLatin1String(text));
        QCOMPARE(w.addressMap()->selectedRegion(), -1);
    }
    QVERIFY2(status(w).startsWith(QLatin1String("No region")), qPrintable(status(w)));
    QVERIFY(!w.findChild<RamBanner*>(QStringLiteral("ramBanner"))->isVisible());
}

void TestNavigateGui::ramFromTheBootloader()
{
    if (!test::haveCorpus())
        QSKIP("no corpus in ../shared");
    // No /memory reg, seven reserved regions, six of them bound to devices.
    const QString board = test::corpusDir() + QStringLiteral("/src/arm64/freescale/imx93-11x11-evk.dts");
    {
        auto w = activeWindow(board);
        QVERIFY(w->layout().memory.empty());
        QVERIFY(!w->layout().regions.empty());
        auto* banner = w->findChild<RamBanner*>(QStringLiteral("ramBanner"));
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("no RAM")), qPrintable(banner->text()));
        QVERIFY(w->addressMap()->data().ram().empty()); // every segment outside RAM
        test::screenshot(*w, "ram-banner.png");
        QTest::mouseClick(banner->findChild<QPushButton*>(QStringLiteral("setRam")), Qt::LeftButton);
        auto* dialog = w->findChild<SetRamDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        dialog->baseField()->clear();
        QTest::keyClicks(dialog->baseField(), QStringLiteral("0x8000_0000"));
        dialog->sizeField()->clear();
        QTest::keyClicks(dialog->sizeField(), QStringLiteral("lots"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(dialog->problem().contains(QLatin1String("'lots' is not a size")), qPrintable(dialog->problem()));
        dialog->sizeField()->clear();
        QTest::keyClicks(dialog->sizeField(), QStringLiteral("0"));
        QVERIFY(!ok->isEnabled());
        dialog->sizeField()->clear();
        QTest::keyClicks(dialog->sizeField(), QStringLiteral("2G"));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(w->findChild<QLineEdit*>(QStringLiteral("memory"))->text(), QStringLiteral("0x80000000+0x80000000"));
        QCOMPARE(w->analysis()->ram.ram, uint64_t(0x80000000));
        QVERIFY(!w->addressMap()->data().ram().empty());
        // The axis has the RAM as its own segments (a region in the SoC's SRAM, below it, stays
        // outside), and every region in it is drawn in RAM.
        int inRam = 0;
        for (const auto& seg : w->addressMap()->scale().segments()) {
            const bool overlaps = seg.end > 0x80000000 && seg.base < 0x100000000;
            QVERIFY2(!overlaps || (seg.base >= 0x80000000 && seg.end <= 0x100000000),
                qPrintable(
                    QStringLiteral("segment %1..%2 across the RAM's edge").arg(toHex(seg.base), toHex(seg.end))));
            inRam += overlaps;
        }
        QVERIFY(inRam > 0);
        QVERIFY2(banner->text().contains(QLatin1String("as you set it for this board")), qPrintable(banner->text()));
        test::screenshot(*w, "ram-set.png");
    }
    // Reopened in a new window: the remembered RAM applies, and the banner says whose it is.
    auto w = activeWindow(board);
    QCOMPARE(w->findChild<QLineEdit*>(QStringLiteral("memory"))->text(), QStringLiteral("0x80000000+0x80000000"));
    QCOMPARE(w->analysis()->ram.ram, uint64_t(0x80000000));
    auto* banner = w->findChild<RamBanner*>(QStringLiteral("ramBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QLatin1String("RAM 0x80000000-0x100000000 (2 GiB) as you set it")),
        qPrintable(banner->text()));
    // Another board (with RAM in its tree) does not inherit it, and shows no banner.
    QVERIFY(w->openFile(brk1()));
    QVERIFY(w->findChild<QLineEdit*>(QStringLiteral("memory"))->text().isEmpty());
    QVERIFY(!banner->isVisible());
    QVERIFY(w->openFile(board));
    QVERIFY(banner->isVisible());
    QCOMPARE(w->analysis()->ram.ram, uint64_t(0x80000000));
    // Emptying the Memory field forgets it: the banner offers Set RAM again, and so does the next
    // opening.
    auto* memory = w->findChild<QLineEdit*>(QStringLiteral("memory"));
    memory->setFocus();
    memory->clear();
    QTest::keyClick(memory, Qt::Key_Return);
    QCOMPARE(w->analysis()->ram.ram, uint64_t(0));
    QVERIFY2(banner->text().contains(QLatin1String("no RAM")), qPrintable(banner->text()));
    QVERIFY(w->openFile(board));
    QVERIFY(memory->text().isEmpty());
    QCOMPARE(w->analysis()->ram.ram, uint64_t(0));
}

void TestNavigateGui::pathsRelativeToTheBoard()
{
    auto w = activeWindow(brk1());
    QTableView* t = regionsTable(*w);
    QCOMPARE(t->textElideMode(), Qt::ElideMiddle);
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp"));
    const QModelIndex cell = rowOf(*w, cdsp, RegionTableModel::Source);
    const SourceRef& src = w->layout().regions[size_t(cdsp)].source;
    QCOMPARE(cell.data().toString(), QStringLiteral("brk1.dtsi:%1").arg(src.line));
    const QString full = QFileInfo(test::samplesDir() + QStringLiteral("/broken/brk1.dtsi")).absoluteFilePath();
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(), QStringLiteral("%1:%2").arg(full).arg(src.line));
    auto* findings = w->findChild<QTableView*>(QStringLiteral("findings"));
    QCOMPARE(findings->textElideMode(), Qt::ElideMiddle);
    int checked = 0;
    for (int row = 0; row < findings->model()->rowCount(); ++row) {
        const QModelIndex loc = findings->model()->index(row, 4);
        const QString shown = loc.data().toString();
        if (shown.isEmpty())
            continue;
        QVERIFY2(shown.startsWith(QLatin1String("brk1")), qPrintable(shown)); // beside the board
        QVERIFY2(loc.data(Qt::ToolTipRole).toString().endsWith(QLatin1Char('/') + shown), qPrintable(shown));
        QVERIFY(QDir::isAbsolutePath(loc.data(Qt::ToolTipRole).toString()));
        ++checked;
    }
    QVERIFY(checked > 0);
    if (test::haveCorpus()) {
        // A kernel board: its .dtsi files beside it, the bindings' headers from the tree's root.
        QVERIFY(w->openFile(test::corpusDir() + QStringLiteral("/src/arm64/qcom/sm8550-qrd.dts")));
        for (int row = 0; row < t->model()->rowCount(); ++row) {
            const QString shown = t->model()->index(row, RegionTableModel::Source).data().toString();
            QVERIFY2(!shown.startsWith(QLatin1Char('/')) && !shown.startsWith(QLatin1String("..")), qPrintable(shown));
            QVERIFY2(!shown.contains(QLatin1String("linux-dts")), qPrintable(shown));
        }
        test::screenshot(*w, "paths-sm8550.png");
    }
}

void TestNavigateGui::doubleClickOpensTheEditor()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString args = dir.filePath(QStringLiteral("args"));
    const QString script = test::writeFile(dir, QStringLiteral("my editor.sh"),
        QStringLiteral("#!/bin/sh\nprintf '%s\\n' \"$@\" > '%1.tmp' && mv '%1.tmp' '%1'\n").arg(args).toUtf8());
    QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qunsetenv("VISUAL");
    // A word list, as a shell reads it: the quoted program, then an option of its own.
    qputenv("EDITOR", QStringLiteral("'%1' --flag").arg(script).toLocal8Bit());
    auto w = activeWindow(brk1());
    const int cdsp = test::regionNamed(*w, QStringLiteral("cdsp"));
    const SourceRef& src = w->layout().regions[size_t(cdsp)].source;
    const QString full = QFileInfo(test::samplesDir() + QStringLiteral("/broken/brk1.dtsi")).absoluteFilePath();
    auto readArgs = [&] {
        QFile f(args);
        const QString text = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        f.remove();
        return text;
    };
    QTableView* t = regionsTable(*w);
    const QModelIndex cell = rowOf(*w, cdsp, RegionTableModel::Name);
    t->scrollTo(cell);
    doubleClick(t->viewport(), t->visualRect(cell).center());
    QTRY_VERIFY(QFile::exists(args));
    QCOMPARE(readArgs(), QStringLiteral("--flag\n+%1\n%2\n").arg(src.line).arg(full));
    // A finding: its file:line; activating it also names the file over the source pane.
    auto* findings = w->findChild<QTableView*>(QStringLiteral("findings"));
    int row = 0;
    while (row < findings->model()->rowCount() && findings->model()->index(row, 4).data().toString().isEmpty())
        ++row;
    QVERIFY(row < findings->model()->rowCount());
    const QModelIndex loc = findings->model()->index(row, 4);
    const QString tip = loc.data(Qt::ToolTipRole).toString(); // FULL:LINE
    const QString file = tip.left(tip.lastIndexOf(QLatin1Char(':')));
    const QString line = tip.mid(tip.lastIndexOf(QLatin1Char(':')) + 1);
    findings->scrollTo(loc);
    doubleClick(findings->viewport(), findings->visualRect(loc).center());
    QTRY_VERIFY(QFile::exists(args));
    QCOMPARE(readArgs(), QStringLiteral("--flag\n+%1\n%2\n").arg(line, file));
    auto* header = w->findChild<QLabel*>(QStringLiteral("sourceHeader"));
    QCOMPARE(header->text(), loc.data().toString());
    QCOMPARE(header->toolTip(), tip);
    // The header's button opens the same place.
    QTest::mouseClick(w->findChild<QToolButton*>(QStringLiteral("openSource")), Qt::LeftButton);
    QTRY_VERIFY(QFile::exists(args));
    QCOMPARE(readArgs(), QStringLiteral("--flag\n+%1\n%2\n").arg(line, file));
    test::screenshot(*w, "source-header.png");
    qunsetenv("EDITOR");
}

QTEST_MAIN(TestNavigateGui)
#include "tst_navigategui.moc"
