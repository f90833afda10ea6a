// SPDX-License-Identifier: GPL-2.0-only
// The boot chain in the window (issue 18 item 4; kernel-rules-additions.md sections 6 and 7): the
// kernel toolbar's Boot, EFI map and Loads fields re-analyse the board at once, and the address
// map draws the bootloader's placements in a lane of their own with tooltips. The real window,
// offscreen, on oracle case 60's tree and its recorded EFI memory map.

// core
#include "kernel/bootmodel.h"

// ui
#include "addressmap.h"
#include "mapgeometry.h"
#include "uitest.h"

// Qt
#include <QComboBox>
#include <QLineEdit>
#include <QTest>

#include "../testutils.h"

using namespace carveout;

class TestBootGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::catchQtWarnings(); }
    void cleanup() { QCOMPARE(test::takeQtWarnings(), QStringList()); }
    void efiBootFromTheToolbar();
    void loadsInTheirLane();
};

namespace {
QString caseDts()
{
    return test::sourceDir() + QStringLiteral("/tests/oracle/cases/dts/60-efi-memreserve.arm64-6.1.dts");
}
QString efiLog()
{
    return test::sourceDir() + QStringLiteral("/tests/oracle/cases/efi/60-efi-memreserve.arm64-6.1.efi.log");
}
bool has(const ui::MainWindow& w, const char* rule)
{
    for (const auto& f : w.analysis()->check.findings) {
        if (f.rule == QLatin1String(rule))
            return true;
    }
    return false;
}
void choose(QComboBox* box, const QString& value)
{
    QVERIFY(box);
    const int i = box->findData(value);
    QVERIFY2(i >= 0, qPrintable(value));
    box->setCurrentIndex(i); // as a pick in the list does: currentIndexChanged
}
void type(QLineEdit* field, const QString& text)
{
    QVERIFY(field);
    field->setText(text);
    emit field->editingFinished();
}
} // namespace

void TestBootGui::efiBootFromTheToolbar()
{
    auto w = test::openWindow(caseDts());
    choose(w->findChild<QComboBox*>(QStringLiteral("profile")), QStringLiteral("debian-6.1-arm64"));
    QVERIFY(!w->profile().efi());
    QVERIFY(has(*w, "rm_nomap_busy")); // era A: the no-map region on /memreserve/ fails
    choose(w->findChild<QComboBox*>(QStringLiteral("boot")), QStringLiteral("efi"));
    QVERIFY(w->profile().efi());
    QVERIFY(!has(*w, "rm_nomap_busy"));
    QVERIFY(has(*w, "efi_memreserve_dropped"));
    QCOMPARE(w->analysis()->boot.regions[0].outcome, Outcome::Active);
    // The firmware's map: its memory, NOMAP runtime ranges; the dynamic region where 6.1 put it.
    type(w->findChild<QLineEdit*>(QStringLiteral("efiMap")), efiLog());
    QCOMPARE(int(w->profile().efiMap.size()), 30);
    QCOMPARE(*w->analysis()->boot.regions[1].base, uint64_t(0x4ff80000));
    // Back to a DT boot: the map field no longer applies, the -EBUSY is back.
    type(w->findChild<QLineEdit*>(QStringLiteral("efiMap")), QString());
    choose(w->findChild<QComboBox*>(QStringLiteral("boot")), QString());
    QVERIFY(!w->profile().efi());
    QVERIFY(has(*w, "rm_nomap_busy"));
}

void TestBootGui::loadsInTheirLane()
{
    auto w = test::openWindow(caseDts());
    const ui::MapGeometry& g = w->addressMap()->mapGeometry();
    QCOMPARE(g.bootLane(), -1); // no placements, no lane
    const int heightBefore = g.preferredHeight();
    type(w->findChild<QLineEdit*>(QStringLiteral("loads")), QStringLiteral("kernel=0x50000000+40M, fdt=0x4f000000+8K"));
    QCOMPARE(int(w->profile().loads.size()), 2);
    QVERIFY(has(*w, "boot_load_overlap")); // the kernel over /memreserve/ and the no-map region
    QVERIFY(has(*w, "boot_load_in_window")); // both inside the dynamic region's window
    QVERIFY(g.bootLane() > 0);
    QVERIFY(g.preferredHeight() > heightBefore);
    // Below every region lane, one block per placement, each with its tooltip.
    const QRectF kernel = g.loadRect(0);
    QVERIFY(!kernel.isEmpty());
    for (int i = 0; i < int(w->analysis()->layout.regions.size()); ++i) {
        if (g.lane(i) >= 0)
            QVERIFY(g.laneRect(g.lane(i) + 1).bottom() < kernel.top());
    }
    w->addressMap()->scale().zoomTo(0x4e000000, 0x53000000);
    const QString tip = w->addressMap()->toolTipAt(g.loadRect(0).center().toPoint());
    QVERIFY2(tip.contains(QLatin1String("kernel_addr_r")) && tip.contains(QLatin1String("before /reserved-memory")),
        qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("/memreserve/")), qPrintable(tip)); // the finding, in the tooltip
    test::screenshot(*w, "boot-lane.png");
    // On an EFI boot the placements are drawn as not reserved and say so.
    choose(w->findChild<QComboBox*>(QStringLiteral("boot")), QStringLiteral("efi"));
    QVERIFY(!has(*w, "boot_load_overlap"));
    QVERIFY(w->addressMap()->toolTipAt(g.loadRect(0).center().toPoint()).contains(QLatin1String("not reserved")));
    // Cleared: the lane goes.
    type(w->findChild<QLineEdit*>(QStringLiteral("loads")), QString());
    QCOMPARE(g.bootLane(), -1);
}

QTEST_MAIN(TestBootGui)
#include "tst_bootgui.moc"
