// SPDX-License-Identifier: GPL-2.0-only
// The Overlays dock (issue 18 item 4), driven through its real widgets offscreen: adding,
// switching off, reordering and marking an overlay run-time reload and re-analyse the board at
// once; a dropped .dtso joins the stack; a bad overlay leaves the board as it was and says why.

// ui
#include "legend.h"
#include "mainwindow.h"
#include "mapstyle.h"
#include "overlay/overlaypanel.h"
#include "overlay/windowoverlays.h"
#include "uitest.h"

// tests
#include "../testutils.h"

// Qt
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QToolButton>
#include <QTest>

using namespace carveout;
using namespace carveout::ui;

class TestOverlayGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void cleanup() { QVERIFY2(test::takeQtWarnings().isEmpty(), "Qt warnings"); }
    void stackEditsReanalyse();
    void dropAddsAnOverlay();
    void badOverlayKeepsTheBoard();
    void legendListsOverlayFlags();
};

namespace {

QString sample(const char* name)
{
    return test::samplesDir() + QStringLiteral("/overlays/") + QLatin1String(name);
}

int regionsFromOverlays(const MainWindow& w)
{
    int n = 0;
    for (const auto& r : w.layout().regions)
        n += r.overlay >= 0;
    return n;
}

uint64_t treeSizeOf(const MainWindow& w, const char* prefix)
{
    const int i = test::regionNamed(w, QLatin1String(prefix));
    return i >= 0 ? w.layout().regions[size_t(i)].treeSize : 0;
}

} // namespace

void TestOverlayGui::stackEditsReanalyse()
{
    auto w = test::openWindow(sample("ovl-base.dts"));
    OverlayPanel* panel = w->overlays()->panel();
    QCOMPARE(w->layout().regions.size(), size_t(2));

    // Add: the camera pool appears, flagged as the overlay's.
    QVERIFY(panel->addOverlay(sample("ovl-camera.dtso")));
    QVERIFY(w->overlays()->dock()->windowTitle().contains(QLatin1String("(1)")));
    QCOMPARE(w->layout().regions.size(), size_t(3));
    QCOMPARE(regionsFromOverlays(*w), 1);
    QCOMPARE(treeSizeOf(*w, "dsp"), uint64_t(0x800000));

    // A second one grows the DSP carve-out.
    QVERIFY(panel->addOverlay(sample("ovl-dsp-grow.dtso")));
    QCOMPARE(treeSizeOf(*w, "dsp"), uint64_t(0x1000000));
    QCOMPARE(w->overlays()->requests().size(), 2);

    // Untick the camera through its check box: the pool goes, the DSP stays grown.
    panel->list()->item(0)->setCheckState(Qt::Unchecked);
    QCOMPARE(w->layout().regions.size(), size_t(2));
    QCOMPARE(treeSizeOf(*w, "dsp"), uint64_t(0x1000000));
    panel->list()->item(0)->setCheckState(Qt::Checked);
    QCOMPARE(w->layout().regions.size(), size_t(3));

    // Reorder with the Up button: the stack is applied in the new order.
    panel->selectRow(1);
    QVERIFY(panel->upButton()->isEnabled());
    QTest::mouseClick(panel->upButton(), Qt::LeftButton);
    QCOMPARE(panel->list()->currentRow(), 0);
    const auto order = w->overlays()->requests();
    QVERIFY(order.at(0).file.endsWith(QLatin1String("ovl-dsp-grow.dtso")));
    QCOMPARE(w->layout().regions.size(), size_t(3));

    // A run-time overlay: its region is never reserved, and the rule says so.
    QVERIFY(panel->addOverlay(sample("ovl-runtime-rmem.dtso")));
    QVERIFY(!test::hasFinding(*w, "overlay_runtime_rmem"));
    QVERIFY(panel->runtimeBox()->isEnabled());
    // On the box itself (the widget is wider than its indicator and label).
    QTest::mouseClick(panel->runtimeBox(), Qt::LeftButton, {}, QPoint(8, panel->runtimeBox()->height() / 2));
    QVERIFY(panel->runtimeBox()->isChecked());
    QCOMPARE(w->overlays()->requests().size(), 3);
    QVERIFY(w->overlays()->requests().at(2).runtime);
    QVERIFY(test::hasFinding(*w, "overlay_runtime_rmem"));
    QVERIFY(panel->list()->item(2)->text().contains(QLatin1String("run time")));
    test::screenshot(*w, "overlays.png");

    // Remove: the region goes with it.
    QTest::mouseClick(panel->removeButton(), Qt::LeftButton);
    QCOMPARE(panel->count(), 2);
    QVERIFY(!test::hasFinding(*w, "overlay_runtime_rmem"));
    QCOMPARE(w->layout().regions.size(), size_t(3));
}

void TestOverlayGui::dropAddsAnOverlay()
{
    auto w = test::openWindow(sample("ovl-base.dts"));
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(sample("ovl-camera.dtso")) });
    const QPoint at(w->width() / 2, w->height() / 2);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.get(), &dropped);
    QCOMPARE(w->overlays()->panel()->count(), 1);
    QVERIFY(w->overlays()->dock()->isVisible());
    QCOMPARE(regionsFromOverlays(*w), 1);
}

void TestOverlayGui::badOverlayKeepsTheBoard()
{
    auto w = test::openWindow(sample("ovl-base.dts"));
    const QString bad = test::sourceDir() + QStringLiteral("/tests/data/overlay/bad-label.dtso");
    QVERIFY(w->overlays()->panel()->addOverlay(bad));
    // The board shown is still the last one that loaded; the messages say what libfdt refused.
    QCOMPARE(w->layout().regions.size(), size_t(2));
    auto* messages = w->findChild<QPlainTextEdit*>(QStringLiteral("source"));
    QVERIFY(messages);
    QVERIFY2(messages->toPlainText().contains(QLatin1String("video_cma")), qPrintable(messages->toPlainText()));
}

void TestOverlayGui::legendListsOverlayFlags()
{
    // The legend explains the purple corner flags only while the board has an overlay stack,
    // in the dock and in the status bar's popup, each swatch painted with the map's own mark.
    auto w = test::openWindow(sample("ovl-base.dts"));
    auto* dock = w->findChild<QDockWidget*>(QStringLiteral("legendDock"));
    QVERIFY(dock);
    dock->show();
    Legend* legend = dock->findChild<Legend*>();
    QVERIFY(legend);
    const auto flagRows = [](const Legend& l) {
        int n = 0;
        for (const auto& e : l.entries())
            n += e.swatch == style::LegendEntry::Overlay || e.swatch == style::LegendEntry::RuntimeOverlay;
        return n;
    };
    QCOMPARE(flagRows(*legend), 0);
    const int plain = int(legend->entries().size());
    OverlayPanel* panel = w->overlays()->panel();
    QVERIFY(panel->addOverlay(sample("ovl-camera.dtso")));
    QVERIFY(panel->addOverlay(sample("ovl-runtime-rmem.dtso")));
    QCOMPARE(flagRows(*legend), 2);
    QCOMPARE(int(legend->entries().size()), plain + 2);
    // The swatches: filled purple for a boot overlay; only the outline for a run-time one.
    const auto purple = [](const QImage& img) { // near the flag's colour (its outline is antialiased)
        const QColor o = style::overlayColor();
        int n = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                const QColor c = img.pixelColor(x, y);
                n += std::abs(c.red() - o.red()) + std::abs(c.green() - o.green()) + std::abs(c.blue() - o.blue()) < 90;
            }
        return n;
    };
    const int filled = purple(legend->swatch(plain)->pixmap().toImage());
    const int hollow = purple(legend->swatch(plain + 1)->pixmap().toImage());
    QVERIFY2(hollow > 0 && filled > hollow, qPrintable(QStringLiteral("%1 %2").arg(filled).arg(hollow)));
    auto* button = w->statusBar()->findChild<QToolButton*>(QStringLiteral("legendButton"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    auto* popup = w->findChild<QWidget*>(QStringLiteral("legendPopup"));
    QVERIFY(popup && popup->isVisible());
    QCOMPARE(flagRows(*popup->findChild<Legend*>()), 2);
    popup->close();
    Legend shown; // the picture: a legend of its own size, as the popup shows it
    shown.setOverlays(true);
    shown.resize(560, 720);
    shown.show();
    QVERIFY(QTest::qWaitForWindowExposed(&shown));
    test::screenshot(shown, "legend-overlays.png");
    // Every overlay left out: the flags go from both.
    panel->list()->item(0)->setCheckState(Qt::Unchecked);
    panel->list()->item(1)->setCheckState(Qt::Unchecked);
    QCOMPARE(flagRows(*legend), 0);
    QCOMPARE(flagRows(*popup->findChild<Legend*>()), 0);
}

QTEST_MAIN(TestOverlayGui)
#include "tst_overlaygui.moc"
