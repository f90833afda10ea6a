// SPDX-License-Identifier: GPL-2.0-only
// The region panel: property edits, flags, status, add and delete, bind and unbind, each one
// undo command through the edit operations; the bindings overview names orphan pools and
// devices that lose their pool.

// ui
#include "addressmap.h"
#include "mainwindow.h"
#include "propertypanel.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>
#include <QUndoStack>

using namespace carveout;
using namespace carveout::ui;

class TestPropertyPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { test::isolateSettings(); }
    void editsThroughThePanel();
    void addDeleteBindUnbind();
    void overviewSaysWhatTheKernelAttaches();
    void deviceDmaReach();
};

namespace {
void select(MainWindow& w, int region)
{
    w.addressMap()->setSelectedRegion(region);
    emit w.addressMap()->regionSelected(region);
}
QPushButton* button(QWidget* panel, const QString& text)
{
    for (auto* b : panel->findChildren<QPushButton*>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}
} // namespace

void TestPropertyPanel::editsThroughThePanel()
{
    MainWindow w;
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    PropertyPanel* panel = w.propertyPanel();
    const int cma = test::regionNamed(w, QStringLiteral("camera-cma@"));
    select(w, cma);
    auto* size = panel->findChild<QLineEdit*>(QStringLiteral("size"));
    QCOMPARE(size->text(), QStringLiteral("0x4000000"));
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("32M"));
    QTest::keyClick(size, Qt::Key_Return);
    QCOMPARE(w.undoStack()->count(), 1);
    QCOMPARE(w.analysis()->place(cma).size, uint64_t(0x2000000));
    // no-map on a CMA pool: the panel edit is applied and the rules say what the kernel does.
    auto* noMap = panel->findChildren<QCheckBox*>().at(0);
    QCOMPARE(noMap->text(), QStringLiteral("no-map"));
    noMap->setChecked(true);
    QCOMPARE(w.undoStack()->count(), 2);
    QVERIFY(w.layout().regions[size_t(cma)].noMap);
    bool nomapRule = false;
    for (const auto& f : w.findings().findings)
        nomapRule |= f.rule == QLatin1String("cma_nomap");
    QVERIFY(nomapRule);
    auto* status = panel->findChild<QComboBox*>(QStringLiteral("status"));
    status->setCurrentText(QStringLiteral("disabled"));
    QCOMPARE(w.undoStack()->count(), 3);
    QVERIFY(!w.layout().regions[size_t(cma)].enabled);
    w.undoStack()->undo();
    w.undoStack()->undo();
    w.undoStack()->undo();
    QCOMPARE(w.analysis()->place(cma).size, uint64_t(0x4000000));
    QVERIFY(!w.layout().regions[size_t(cma)].noMap);
    QVERIFY(w.layout().regions[size_t(cma)].enabled);
    // A bad size is refused with a message, nothing pushed.
    size->selectAll();
    QTest::keyClicks(size, QStringLiteral("lots"));
    QTest::keyClick(size, Qt::Key_Return);
    QCOMPARE(w.undoStack()->index(), 0);
}

void TestPropertyPanel::addDeleteBindUnbind()
{
    MainWindow w;
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    PropertyPanel* panel = w.propertyPanel();
    const size_t before = w.layout().regions.size();
    button(panel, QStringLiteral("Add region"))->click();
    QCOMPARE(w.layout().regions.size(), before + 1);
    const int added = test::regionNamed(w, QStringLiteral("new-region"));
    QVERIFY(added >= 0);
    QCOMPARE(w.addressMap()->selectedRegion(), added);
    // Bind the ISP to the new region, then unbind it.
    auto* devices = panel->findChild<QComboBox*>(QStringLiteral("devices"));
    devices->setCurrentText(QStringLiteral("/soc@0/isp@ac00000"));
    button(panel, QStringLiteral("Bind this device"))->click();
    auto* users = panel->findChild<QListWidget*>(QStringLiteral("users"));
    QCOMPARE(users->count(), 1);
    users->setCurrentRow(0);
    button(panel, QStringLiteral("Unbind selected device"))->click();
    QCOMPARE(users->count(), 0);
    // The overview names the new pool-less region? It is plain reserved: not a pool. The freed
    // camera CMA pool makes the ISP fall back.
    auto* overview = panel->findChild<QListWidget*>(QStringLiteral("overview"));
    bool fallback = false;
    for (int i = 0; i < overview->count(); ++i)
        fallback
            |= overview->item(i)->text().contains(QLatin1String("falls back to the default CMA: /soc@0/isp@ac00000"));
    QVERIFY(fallback);
    button(panel, QStringLiteral("Delete region"))->click();
    QCOMPARE(w.layout().regions.size(), before);
    QCOMPARE(w.undoStack()->count(), 4);
    w.undoStack()->undo();
    QCOMPARE(w.layout().regions.size(), before + 1);
}

void TestPropertyPanel::overviewSaysWhatTheKernelAttaches()
{
    // A restricted pool of a device behind an IOMMU is never attached: the overview says so and
    // counts the pool as an orphan; it also names the default CMA area's dma-buf heaps (7.1).
    MainWindow w;
    QVERIFY(w.openFile(test::sourceDir() + QStringLiteral("/tests/data/rules/swiotlb_iommu.dts")));
    auto* overview = w.propertyPanel()->findChild<QListWidget*>(QStringLiteral("overview"));
    QStringList items;
    for (int i = 0; i < overview->count(); ++i)
        items << overview->item(i)->text();
    const QString all = items.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("not attached: /wifi@a000000 is behind an IOMMU")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("orphan pool: wifi-pool@50000000")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("/dev/dma_heap/default_cma_region, /dev/dma_heap/reserved")), qPrintable(all));
}

// Picking a user of a pool in the bindings outlines the device's DMA reach on the map: /soc's
// dma-ranges lets the VPU reach 0x40000000..0x7fffffff only, left of its pool at 0x90000000.
void TestPropertyPanel::deviceDmaReach()
{
    MainWindow w;
    w.resize(1100, 700);
    QVERIFY(w.openFile(test::sourceDir() + QStringLiteral("/tests/data/rules/mr_dma_reach.dts")));
    PropertyPanel* panel = w.propertyPanel();
    const int vpu = test::regionNamed(w, QStringLiteral("vpu-cma@"));
    select(w, vpu);
    QVERIFY(w.addressMap()->dmaReachRects().empty());
    auto* users = panel->findChild<QListWidget*>(QStringLiteral("users"));
    QCOMPARE(users->count(), 1);
    users->setCurrentRow(0);
    const std::vector<QRectF> reach = w.addressMap()->dmaReachRects();
    QCOMPARE(reach.size(), size_t(1));
    const QRectF pool = w.addressMap()->regionRect(vpu);
    QVERIFY2(reach.front().right() <= pool.left(), "the VPU's reach ends left of its pool");
    QCOMPARE(reach.front().left(), MapGeometry::kMargin + w.addressMap()->scale().toPixel(0x40000000));
    test::screenshot(w, "dma-reach.png");
    // Another region's selection drops the device, and the outline with it.
    select(w, test::regionNamed(w, QStringLiteral("dsp-pool@")));
    QVERIFY(w.addressMap()->dmaReachRects().empty());
}

QTEST_MAIN(TestPropertyPanel)
#include "tst_propertypanel.moc"
