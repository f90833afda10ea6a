// SPDX-License-Identifier: GPL-2.0-only
// The address map's and the heatmap's geometry and mouse controllers without a window or a
// widget: snapping (CMA alignment, page size, Shift off, either edge, the clamp at 0), nudges,
// lanes of overlapping regions, hit-testing of handles, body and background, the heatmap's
// point <-> (operation, offset) mapping, zoom around the cursor and what lies under a point,
// and the requests the controllers make of real mouse, wheel and key events.

// ui
#include "mapcontroller.h"
#include "mapgeometry.h"
#include "sim/heatmapcontroller.h"
#include "sim/heatmapgeometry.h"

// Qt
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace carveout;
using namespace carveout::ui;

Q_DECLARE_METATYPE(carveout::ui::MapHandle)

namespace {
constexpr uint64_t kMiB = 1 << 20;

/** A map from lines of a tiny fixture language: "NAME BASE +SIZE [cma] [dynamic]"; RAM is one
 *  256 MiB bank at 0x80000000, the page size 4 KiB and the CMA alignment 2 MiB. */
MapData mapOf(const QStringList& lines)
{
    MapData d;
    auto a = std::make_shared<Analysis>();
    MemoryBank bank;
    bank.range = { 0x80000000, 256 * kMiB };
    a->layout.memory.push_back(bank);
    for (const QString& line : lines) {
        const QStringList w = line.split(QLatin1Char(' '));
        Region r;
        r.name = w[0];
        const uint64_t base = w[1].toULongLong(nullptr, 16);
        const uint64_t size = w[2].mid(1).toULongLong(nullptr, 16);
        r.placement = w.contains(QLatin1String("dynamic")) ? Placement::Dynamic : Placement::Static;
        if (r.placement == Placement::Static)
            r.reg.push_back({ base, size });
        r.kind = w.contains(QLatin1String("cma")) ? RegionKind::Cma : RegionKind::Reserved;
        if (r.placement == Placement::Static)
            r.base = base;
        r.treeSize = size;
        a->layout.regions.push_back(r);
        RegionBoot b; // what the boot made of it: active where the line puts it
        b.outcome = Outcome::Active;
        if (!w.contains(QLatin1String("unplaced")))
            b.base = base;
        b.size = size;
        a->boot.regions.push_back(b);
    }
    d.analysis = a;
    d.cmaAlignment = 2 * kMiB;
    d.pageSize = 0x1000;
    return d;
}

/** 1016 pixels wide: the scale is 1000 pixels for the 256 MiB bank (268,435.456 bytes a pixel). */
const QStringList kBoard = {
    QStringLiteral("a 0x80000000 +0x1000000"), // [0, 16) MiB
    QStringLiteral("b 0x80800000 +0x1000000"), // [8, 24) MiB: overlaps a
    QStringLiteral("c 0x81000000 +0x800000"), // [16, 24) MiB: touches a, overlaps b
    QStringLiteral("cma 0x88000000 +0x4000000 cma"), // [128, 192) MiB
    QStringLiteral("dyn 0x8a000000 +0x1000000 dynamic"), // inside cma's span: placed by the kernel
    QStringLiteral("tiny 0x8f000000 +0x10000"), // 64 KiB: a quarter of a pixel
};

QString toHexString(qulonglong v)
{
    return QStringLiteral("0x") + QString::number(v, 16);
}

int named(const MapData& d, const QString& name)
{
    for (int i = 0; i < d.regionCount(); ++i) {
        if (d.region(i).name == name)
            return i;
    }
    return -1;
}

QMouseEvent mouse(QEvent::Type type, QPointF pos, Qt::MouseButtons buttons = Qt::LeftButton,
    Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    return QMouseEvent(type, pos, pos, button, buttons, mods);
}
} // namespace

class TestMapGeometry : public QObject
{
    Q_OBJECT
private slots:
    void snapping_data();
    void snapping();
    void dragInPixels();
    void nudges_data();
    void nudges();
    void lanes();
    void captureOverlay();
    void labelsInsideOrAtALeader();
    void sameNamesKeepTheirUnitAddress();
    void crowdedLabelsNeverOverlap_data();
    void crowdedLabelsNeverOverlap();
    void lanesGrowWithTheHeight();
    void bandSaysOutsideRamOncePerRun();
    void hitTest_data();
    void hitTest();
    void mapController();
    void heatmapRoundTrip_data();
    void heatmapRoundTrip();
    void heatmapZoomAroundCursor();
    void heatmapHitTest_data();
    void heatmapHitTest();
    void heatmapController();
};

void TestMapGeometry::snapping_data()
{
    QTest::addColumn<MapHandle>("handle");
    QTest::addColumn<qulonglong>("base");
    QTest::addColumn<qulonglong>("size");
    QTest::addColumn<qlonglong>("delta");
    QTest::addColumn<qulonglong>("step");
    QTest::addColumn<qulonglong>("newBase");
    QTest::addColumn<qulonglong>("newSize");
    // The misaligned CMA pool of the broken sample, moved by 768 KiB: to the 2 MiB grid.
    QTest::addRow("move to the CMA alignment") << MapHandle::Body << 0x96100000ull << 0x4000000ull << 0xc0000ll
                                               << 0x200000ull << 0x96200000ull << 0x4000000ull;
    QTest::addRow("move rounds to the nearer step") << MapHandle::Body << 0x96000000ull << 0x4000000ull << 0xfffffll
                                                    << 0x200000ull << 0x96000000ull << 0x4000000ull;
    QTest::addRow("move to the page size")
        << MapHandle::Body << 0x94000000ull << 0x1800000ull << 0x1801ll << 0x1000ull << 0x94002000ull << 0x1800000ull;
    QTest::addRow("Shift: no snapping") << MapHandle::Body << 0x94000000ull << 0x1800000ull << 0x1801ll << 1ull
                                        << 0x94001801ull << 0x1800000ull;
    QTest::addRow("move stops at 0 with its size")
        << MapHandle::Body << 0x1000ull << 0x2000ull << -0x10000ll << 0x1000ull << 0ull << 0x2000ull;
    QTest::addRow("right edge, snapped: the base stays") << MapHandle::RightEdge << 0x94000000ull << 0x1800000ull
                                                         << -0x900123ll << 0x1000ull << 0x94000000ull << 0xf00000ull;
    QTest::addRow("right edge keeps one step") << MapHandle::RightEdge << 0x94000000ull << 0x1800000ull << -0x2000000ll
                                               << 0x1000ull << 0x94000000ull << 0x1000ull;
    QTest::addRow("right edge of a CMA pool grows by steps")
        << MapHandle::RightEdge << 0x90000000ull << 0x8000000ull << 0x1a00000ll << 0x200000ull << 0x90000000ull
        << 0x9a00000ull;
    QTest::addRow("left edge, snapped: the end stays") << MapHandle::LeftEdge << 0x94000000ull << 0x1800000ull
                                                       << 0x123456ll << 0x1000ull << 0x94123000ull << 0x16dd000ull;
    QTest::addRow("left edge keeps one step") << MapHandle::LeftEdge << 0x94000000ull << 0x1800000ull << 0x5000000ll
                                              << 0x1000ull << 0x957ff000ull << 0x1000ull;
    QTest::addRow("left edge, Shift") << MapHandle::LeftEdge << 0x94000000ull << 0x1800000ull << 37ll << 1ull
                                      << 0x94000025ull << 0x17fffdbull;
    QTest::addRow("left edge stops at 0, the end stays")
        << MapHandle::LeftEdge << 0x1000ull << 0x2000ull << -0x10000ll << 0x1000ull << 0ull << 0x3000ull;
    QTest::addRow("no handle: nothing moves")
        << MapHandle::None << 0x1000ull << 0x2000ull << 0x10000ll << 0x1000ull << 0x1000ull << 0x2000ull;
}

void TestMapGeometry::snapping()
{
    QFETCH(MapHandle, handle);
    QFETCH(qulonglong, base);
    QFETCH(qulonglong, size);
    QFETCH(qlonglong, delta);
    QFETCH(qulonglong, step);
    QFETCH(qulonglong, newBase);
    QFETCH(qulonglong, newSize);
    const MapSpan to = MapGeometry::dragged(handle, { base, size }, delta, step);
    QCOMPARE(qulonglong(to.base), newBase);
    QCOMPARE(qulonglong(to.size), newSize);
}

void TestMapGeometry::dragInPixels()
{
    // Pixels become bytes at the scale where the press was, then snap to the region's step.
    MapGeometry g;
    g.setData(mapOf(kBoard), 1016);
    const int cma = named(g.data(), QStringLiteral("cma")), a = named(g.data(), QStringLiteral("a"));
    QCOMPARE(g.snapFor(cma), uint64_t(2 * kMiB));
    QCOMPARE(g.snapFor(a), uint64_t(0x1000));
    QCOMPARE(g.snapFor(-1), uint64_t(0x1000));
    const double bpp = g.scale().bytesPerPixel(500);
    QCOMPARE(bpp, 268435.456);
    // 5 pixels = 1,342,177 bytes: the CMA pool moves one 2 MiB step, Shift moves it by the bytes.
    const MapSpan from = *g.span(cma);
    QCOMPARE(g.dragged(cma, MapHandle::Body, from, 500, 5, true).base, from.base + 2 * kMiB);
    QCOMPARE(g.dragged(cma, MapHandle::Body, from, 500, 5, false).base, from.base + 1342177);
    // -3 pixels = -805,306 bytes off a's end (0x81000000): 0x80f3b646, to the page 0x80f3b000.
    QCOMPARE(g.dragged(a, MapHandle::RightEdge, *g.span(a), 500, -3, true).size, uint64_t(0xf3b000));
}

void TestMapGeometry::nudges_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("grow");
    QTest::addColumn<bool>("resize");
    QTest::addColumn<bool>("possible");
    QTest::addColumn<qulonglong>("base");
    QTest::addColumn<qulonglong>("size");
    QTest::addRow("right: one page up") << "a" << true << false << true << 0x80001000ull << 0x1000000ull;
    QTest::addRow("left: one page down") << "b" << false << false << true << 0x807ff000ull << 0x1000000ull;
    QTest::addRow("CMA: one 2 MiB step") << "cma" << true << false << true << 0x88200000ull << 0x4000000ull;
    QTest::addRow("Shift+right grows") << "cma" << true << true << true << 0x88000000ull << 0x4200000ull;
    QTest::addRow("Shift+left shrinks") << "a" << false << true << true << 0x80000000ull << 0xfff000ull;
    QTest::addRow("not below one step") << "tiny" << false << true << true << 0x8f000000ull << 0xf000ull;
    QTest::addRow("dynamic: placed by the kernel") << "dyn" << true << false << false << 0ull << 0ull;
}

void TestMapGeometry::nudges()
{
    QFETCH(QString, region);
    QFETCH(bool, grow);
    QFETCH(bool, resize);
    QFETCH(bool, possible);
    QFETCH(qulonglong, base);
    QFETCH(qulonglong, size);
    MapGeometry g;
    g.setData(mapOf(kBoard), 1016);
    const auto to = g.nudged(named(g.data(), region), grow, resize);
    QCOMPARE(bool(to), possible);
    if (to) {
        QCOMPARE(qulonglong(to->base), base);
        QCOMPARE(qulonglong(to->size), size);
    }
    // Nothing below address 0 and nothing of one page or less.
    g.setData(mapOf({ QStringLiteral("low 0x0 +0x1000") }), 1016);
    QVERIFY(!g.nudged(0, false, false));
    QVERIFY(!g.nudged(0, false, true));
}

void TestMapGeometry::lanes()
{
    MapGeometry g;
    g.setData(mapOf(kBoard), 1016);
    const MapData& d = g.data();
    auto lane = [&](const char* name) { return g.lane(named(d, QLatin1String(name))); };
    // a and b overlap: two lanes; c touches a's end (half-open ranges) but overlaps b.
    QCOMPARE(lane("a"), 0);
    QCOMPARE(lane("b"), 1);
    QCOMPARE(lane("c"), 0);
    // dyn lies inside cma: a lane of its own; tiny is clear of everything.
    QCOMPARE(lane("cma"), 0);
    QCOMPARE(lane("dyn"), 1);
    QCOMPARE(lane("tiny"), 0);
    QCOMPARE(g.laneCount(), 2);
    QCOMPARE(g.lane(-1), -1);
    QCOMPARE(g.lane(99), -1);
    // Lanes are rows: b is drawn under a, in the same columns as its range.
    const QRectF ra = g.regionRect(named(d, QStringLiteral("a"))), rb = g.regionRect(named(d, QStringLiteral("b")));
    QVERIFY(rb.top() >= ra.bottom());
    QCOMPARE(ra.left(), 8.0);
    QCOMPARE(rb.left(), 8.0 + 1000.0 / 32);
    QCOMPARE(ra.width(), 1000.0 / 16);
    // The tiny region (a quarter of a pixel) is drawn at the minimum width, marked enlarged.
    QCOMPARE(g.regionRect(named(d, QStringLiteral("tiny"))).width(), MapGeometry::kMinRegionWidth);
    QVERIFY(g.enlarged(named(d, QStringLiteral("tiny"))));
    QVERIFY(!g.enlarged(named(d, QStringLiteral("a"))));
    // Two lanes at their least and the label rows fit the minimum height.
    g.setHeight(g.minimumHeight());
    QCOMPARE(g.laneHeight(), double(MapGeometry::kLaneHeight));
    QVERIFY(g.laneRect(2).bottom() <= g.minimumHeight());
    // An unplaced region is not drawn.
    MapData unplaced = mapOf({ QStringLiteral("x 0x80000000 +0x1000 dynamic unplaced") });
    g.setData(unplaced, 1016);
    QCOMPARE(g.lane(0), -1);
    QVERIFY(g.regionRect(0).isEmpty());
    QCOMPARE(g.regionAt(QPointF(10, g.laneRect(1).center().y())), -1);
}

namespace {
/** Pairs of labels whose rectangles overlap, as "a/b" (empty: none). */
QStringList overlapping(const MapGeometry& g)
{
    QStringList pairs;
    const auto& labels = g.labels();
    for (size_t i = 0; i < labels.size(); ++i) {
        for (size_t k = i + 1; k < labels.size(); ++k) {
            if (labels[i].rect.intersects(labels[k].rect))
                pairs << g.data().region(labels[i].region).name + QLatin1Char('/')
                        + g.data().region(labels[k].region).name;
        }
    }
    return pairs;
}
} // namespace

void TestMapGeometry::sameNamesKeepTheirUnitAddress()
{
    // Twenty "memory@..." regions (ti/k3-am69-aquila-dev) must not all read "memory".
    MapGeometry g;
    g.setFont(QFont());
    g.setData(mapOf({ QStringLiteral("memory@80000000 80000000 +1000"),
                  QStringLiteral("memory@80100000 80100000 +1000"), QStringLiteral("optee@80200000 80200000 +1000") }),
        1016);
    g.setHeight(g.preferredHeight());
    QCOMPARE(g.labelOf(0)->lines.value(0), QStringLiteral("memory@80000000"));
    QCOMPARE(g.labelOf(1)->lines.value(0), QStringLiteral("memory@80100000"));
    QCOMPARE(g.labelOf(2)->lines.value(0), QStringLiteral("optee"));
}

void TestMapGeometry::labelsInsideOrAtALeader()
{
    MapGeometry g;
    g.setFont(QFont());
    g.setData(mapOf(kBoard), 1016);
    g.setHeight(g.minimumHeight());
    const MapData& d = g.data();
    const int a = named(d, QStringLiteral("a")), tiny = named(d, QStringLiteral("tiny"));
    // a is 62 pixels wide: its name is written inside.
    const MapLabel* la = g.labelOf(a);
    QVERIFY(la && la->inside);
    QVERIFY(g.regionRect(a).contains(la->rect));
    // tiny is 5: its label is in a row outside the lanes, joined by a leader from its block.
    const MapLabel* lt = g.labelOf(tiny);
    QVERIFY(lt && !lt->inside);
    QCOMPARE(lt->lines, QStringList { QStringLiteral("tiny") });
    const QRectF block = g.regionRect(tiny);
    QVERIFY(!lt->rect.intersects(block));
    QVERIFY(lt->rect.top() >= block.bottom() || lt->rect.bottom() <= block.top());
    QCOMPARE(lt->leaderFrom.x(), block.center().x());
    QVERIFY(lt->rect.adjusted(-0.5, -0.5, 0.5, 0.5).contains(lt->leaderTo));
    QCOMPARE(g.labelRowsAbove() + g.labelRowsBelow(), 1);
    // Its label stands for it: labelAt, and a press there selects it without a drag.
    QCOMPARE(g.labelAt(lt->rect.center()), tiny);
    QCOMPARE(g.labelAt(QPointF(2, 2)), -1);
    MapController c(g);
    QSignalSpy select(&c, &MapController::selectRequested);
    c.mousePress(mouse(QEvent::MouseButtonPress, lt->rect.center()));
    QCOMPARE(select.count(), 1);
    QCOMPARE(select.last().at(0).toInt(), tiny);
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, lt->rect.center(), Qt::NoButton));
    QVERIFY(overlapping(g).isEmpty());
}

void TestMapGeometry::crowdedLabelsNeverOverlap_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<qulonglong>("every"); // bytes from one region's base to the next
    QTest::addColumn<int>("height"); // 0: the minimum height
    QTest::addColumn<bool>("all"); // every region gets its label
    // 64 KiB regions with long names, a pixel apart: rows above and below.
    QTest::addRow("12 a pixel apart") << 12 << 0x40000ull << 0 << true;
    // 30 spread over the bank, 33 pixels apart: a few rows hold them all.
    QTest::addRow("30 spread out") << 30 << 0x800000ull << 0 << true;
    // 60 a pixel apart: more than kMaxLabelRows rows hold; the rest only in tooltips.
    QTest::addRow("60 a pixel apart") << 60 << 0x40000ull << 0 << false;
    QTest::addRow("30 in a low widget") << 30 << 0x800000ull << 160 << false;
}

void TestMapGeometry::crowdedLabelsNeverOverlap()
{
    QFETCH(int, count);
    QFETCH(qulonglong, every);
    QFETCH(int, height);
    QFETCH(bool, all);
    QStringList lines;
    for (int i = 0; i < count; ++i)
        lines << QStringLiteral("firmware-carveout-%1 %2 +0x10000").arg(i).arg(toHexString(0x80000000ull + i * every));
    MapGeometry g;
    g.setFont(QFont());
    g.setData(mapOf(lines), 1016);
    g.setHeight(height ? height : g.preferredHeight());
    QCOMPARE(overlapping(g), QStringList());
    const double rowH = std::ceil(QFontMetricsF(g.font()).height()) + 4;
    int labelled = 0;
    for (int i = 0; i < count; ++i) {
        const MapLabel* l = g.labelOf(i);
        if (!l)
            continue;
        ++labelled;
        QVERIFY(!l->inside);
        QVERIFY(l->rect.left() >= MapGeometry::kMargin && l->rect.right() <= 1016 - MapGeometry::kMargin);
        // Beside its block, give or take the shift a crowded row allows.
        QVERIFY(std::abs(l->rect.center().x() - g.regionRect(i).center().x())
            <= MapGeometry::kMaxLabelShift + l->rect.width());
        // In a label row: clear of the lanes.
        QVERIFY(l->rect.bottom() <= g.laneRect(1).top() || l->rect.top() >= g.laneRect(g.laneCount()).bottom());
    }
    const int rows = g.labelRowsAbove() + g.labelRowsBelow();
    QVERIFY(rows <= MapGeometry::kMaxLabelRows);
    if (all) {
        QCOMPARE(labelled, count); // at the minimum height every label has its row
        QVERIFY(rows >= 2);
    } else {
        QVERIFY(labelled < count);
        QVERIFY(labelled > 0);
        if (height) // too low for all rows: as many as fit over the lanes at their least
            QVERIFY(g.laneRect(1).bottom() + g.labelRowsBelow() * rowH <= height + 1);
        else
            QCOMPARE(rows, MapGeometry::kMaxLabelRows);
    }
}

void TestMapGeometry::lanesGrowWithTheHeight()
{
    MapGeometry g;
    g.setFont(QFont());
    g.setData(mapOf(kBoard), 1016);
    const int cma = named(g.data(), QStringLiteral("cma"));
    g.setHeight(g.minimumHeight());
    const double least = g.regionRect(cma).height();
    // As many lines (name, size, base) as the least lane has the height for.
    const int lines = std::min(3, int((least - 4) / QFontMetricsF(g.font()).height()));
    QCOMPARE(g.labelOf(cma)->lines.size(), lines);
    // 60 pixels more: the two lanes take 30 each.
    g.setHeight(g.minimumHeight() + 60);
    QCOMPARE(g.laneHeight(), MapGeometry::kLaneHeight + 30.0);
    QCOMPARE(g.regionRect(cma).height(), least + 30);
    // The name, its size and its base, when the block has the room.
    g.setHeight(2000);
    QCOMPARE(g.laneHeight(), double(MapGeometry::kMaxLaneHeight));
    QCOMPARE(g.labelOf(cma)->lines,
        (QStringList { QStringLiteral("cma"), QStringLiteral("64 MiB"), QStringLiteral("0x88000000") }));
    QVERIFY(g.regionRect(cma).contains(g.labelOf(cma)->rect));
    QVERIFY(overlapping(g).isEmpty());
}

void TestMapGeometry::bandSaysOutsideRamOncePerRun()
{
    // Three regions far above RAM, none touching: three segments outside RAM after the bank.
    MapGeometry g;
    g.setData(mapOf({ QStringLiteral("x 0x200000000 +0x100000"), QStringLiteral("y 0x300000000 +0x100000"),
                  QStringLiteral("z 0x400000000 +0x100000") }),
        1016);
    QCOMPARE(g.scale().segments().size(), size_t(4));
    const auto pieces = g.bandPieces();
    QCOMPARE(pieces.size(), size_t(4));
    const auto runs = g.bandLabels();
    QCOMPARE(runs.size(), size_t(2)); // RAM, then one run outside it
    QVERIFY(runs[0].ram);
    QCOMPARE(runs[0].text, QStringLiteral("RAM 256 MiB"));
    QVERIFY(!runs[1].ram);
    QCOMPARE(runs[1].text, QStringLiteral("outside RAM"));
    QCOMPARE(runs[1].rect.left(), pieces[1].rect.left());
    QCOMPARE(runs[1].rect.right(), pieces[3].rect.right());
}

void TestMapGeometry::captureOverlay()
{
    // A comparison built by hand (the real ones, from real captures, are tst_capturegui's): the
    // geometry of outlines, the lanes they need and the capture lane.
    MapData d = mapOf(kBoard);
    auto c = std::make_shared<capture::CompareResult>();
    auto compared
        = [&](const char* name, capture::Verdict v, std::optional<uint64_t> base, std::optional<uint64_t> size) {
              capture::RegionComparison rc;
              rc.region = named(d, QLatin1String(name));
              rc.verdict = v;
              rc.actual.outcome = base ? Outcome::Active : Outcome::Unknown;
              rc.actual.base = base;
              rc.actual.size = size;
              c->regions.push_back(rc);
          };
    compared("a", capture::Verdict::Agree, 0x80000000, 16 * kMiB);
    compared("tiny", capture::Verdict::Differ, 0x80800000, 0x10000); // at 8 MiB: under a and b
    compared("dyn", capture::Verdict::Unknown, std::nullopt, std::nullopt);
    capture::Unexplained u;
    u.range = { 0x8e000000, kMiB };
    c->unexplained.push_back(u);
    capture::KernelReservation image, empty;
    image.what = QStringLiteral("kernel image");
    image.range = { 0x80000000, 2 * kMiB };
    empty.range = { 0x80000000, 0 }; // nothing to draw
    c->kernelReservations = { image, empty };
    d.compare = c;
    MapGeometry g;
    g.setData(d, 1016);
    auto idx = [&](const char* name) { return named(d, QLatin1String(name)); };
    // Lanes hold the predicted and the actual span: tiny's outline would land on a and b.
    QCOMPARE(g.lane(idx("a")), 0);
    QCOMPARE(g.lane(idx("b")), 1);
    QCOMPARE(g.lane(idx("dyn")), 1);
    QCOMPARE(g.lane(idx("tiny")), 2);
    QCOMPARE(g.laneCount(), 3);
    // Under its own block where they agree (the lane's foot is the capture's strip); in the
    // region's row, where the capture puts it, where not.
    const QRectF ra = g.regionRect(idx("a")), aa = g.actualRect(idx("a"));
    QCOMPARE(aa.left(), ra.left());
    QCOMPARE(aa.width(), ra.width());
    QCOMPARE(aa.bottom(), g.laneRect(1).bottom());
    QCOMPARE(aa.height(), MapGeometry::kActualHeight);
    QCOMPARE(ra.top(), g.laneRect(1).top());
    QCOMPARE(ra.bottom() + 2, aa.top());
    const QRectF t = g.actualRect(idx("tiny"));
    // A 64 KiB outline is enlarged as its block is: centred on where the capture puts it.
    QCOMPARE(t.center().x(), 8 + 8 * 1000.0 / 256 + 1000.0 / 4096 / 2);
    QCOMPARE(t.width(), MapGeometry::kMinRegionWidth);
    QCOMPARE(t.bottom(), g.laneRect(3).bottom());
    QCOMPARE(g.regionRect(idx("tiny")).top(), g.laneRect(3).top());
    QVERIFY(g.actualRect(idx("dyn")).isEmpty()); // unknown: nothing to outline
    // A base without a size (6.1's "created CMA memory pool at X"): outlined with the predicted size.
    capture::RegionComparison cmaBase;
    cmaBase.region = idx("cma");
    cmaBase.verdict = capture::Verdict::Agree;
    cmaBase.predicted = d.analysis->place(idx("cma"));
    cmaBase.actual.base = 0x88000000;
    c->regions.push_back(cmaBase);
    g.setData(d, 1016);
    QCOMPARE(g.actualRect(idx("cma")).width(), g.regionRect(idx("cma")).width());
    QCOMPARE(g.actualSpan(idx("cma"))->size, uint64_t(0x4000000));
    QVERIFY(g.comparison(idx("dyn")));
    QCOMPARE(g.comparison(idx("b")), nullptr);
    QVERIFY(g.actualRect(idx("b")).isEmpty());
    // The capture lane comes after the region lanes; empty reservations are not drawn.
    QCOMPARE(g.captureLane(), 4);
    QCOMPARE(int(g.captureMarks().size()), 2);
    QCOMPARE(g.captureMarks()[0].kind, CaptureMark::Unexplained);
    QCOMPARE(g.captureRect(0).left(), 8 + 224 * 1000.0 / 256);
    QCOMPARE(g.captureRect(0).width(), 1000.0 / 256);
    QCOMPARE(g.captureRect(0).top(), g.laneRect(4).top());
    QCOMPARE(g.captureMarkAt(g.captureRect(0).center()), 0);
    QCOMPARE(g.captureMarkAt(g.captureRect(1).center()), 1);
    QCOMPARE(g.captureMarkAt(QPointF(500, g.captureRect(0).center().y())), -1);
    QVERIFY(g.captureRect(2).isEmpty());
    // Three region lanes and the capture lane fit the minimum height, under the label rows.
    g.setHeight(g.minimumHeight());
    QVERIFY(g.laneRect(g.captureLane()).bottom() <= g.minimumHeight());
    QVERIFY(g.laneRect(g.captureLane()).top() >= g.laneRect(3).bottom());
    // An outline is shown, not grabbed: the press there is background to the drag handles.
    QCOMPARE(g.regionAt(t.center()), -1);
    QCOMPARE(g.actualAt(t.center()), idx("tiny"));
    QCOMPARE(g.hitTest(t.center()).region, -1);
    // Where the capture shows a region outside RAM, the scale gets a segment for it.
    c->regions[1].actual.base = 0xa0000000;
    g.setData(d, 1016);
    QCOMPARE(int(g.scale().segments().size()), 2);
    QVERIFY(g.actualRect(idx("tiny")).left() > g.regionRect(idx("tiny")).right());
    // Without a capture: none of it, and the lanes of before.
    d.compare = nullptr;
    g.setData(d, 1016);
    QCOMPARE(g.captureLane(), -1);
    QVERIFY(g.captureMarks().empty());
    QVERIFY(g.actualRect(idx("a")).isEmpty());
    QCOMPARE(g.regionRect(idx("a")).height(), g.laneRect(1).height()); // the whole lane again
    QCOMPARE(g.laneCount(), 2);
    g.setHeight(g.minimumHeight());
    QCOMPARE(g.laneHeight(), double(MapGeometry::kLaneHeight));
    QVERIFY(g.laneRect(2).bottom() < g.minimumHeight());
}

void TestMapGeometry::hitTest_data()
{
    QTest::addColumn<QString>("region"); ///< whose rectangle the point is taken from
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("hit"); ///< empty: background
    QTest::addColumn<MapHandle>("handle");
    QTest::addColumn<bool>("movable");
    QTest::addRow("body") << "cma"
                          << "middle"
                          << "cma" << MapHandle::Body << true;
    QTest::addRow("left edge") << "cma"
                               << "left"
                               << "cma" << MapHandle::LeftEdge << true;
    QTest::addRow("right edge") << "cma"
                                << "right"
                                << "cma" << MapHandle::RightEdge << true;
    QTest::addRow("just outside the right edge") << "cma"
                                                 << "right+4"
                                                 << "cma" << MapHandle::RightEdge << true;
    QTest::addRow("past the slop: background") << "cma"
                                               << "right+7"
                                               << "" << MapHandle::None << false;
    QTest::addRow("above the lanes: background") << "cma"
                                                 << "above"
                                                 << "" << MapHandle::None << false;
    QTest::addRow("dynamic: body only") << "dyn"
                                        << "right"
                                        << "dyn" << MapHandle::Body << false;
    QTest::addRow("second lane") << "b"
                                 << "middle"
                                 << "b" << MapHandle::Body << true;
    QTest::addRow("too narrow for a left handle") << "tiny"
                                                  << "left"
                                                  << "tiny" << MapHandle::RightEdge << true;
}

void TestMapGeometry::hitTest()
{
    QFETCH(QString, region);
    QFETCH(QString, where);
    QFETCH(QString, hit);
    QFETCH(MapHandle, handle);
    QFETCH(bool, movable);
    MapGeometry g;
    g.setData(mapOf(kBoard), 1016);
    const QRectF r = g.regionRect(named(g.data(), region));
    QVERIFY(!r.isEmpty());
    QPointF p = r.center();
    if (where == QLatin1String("left"))
        p.setX(r.left());
    else if (where == QLatin1String("right"))
        p.setX(r.right());
    else if (where.startsWith(QLatin1String("right+")))
        p.setX(r.right() + where.mid(6).toDouble());
    else if (where == QLatin1String("above"))
        p.setY(r.top() - MapGeometry::kLaneHeight);
    const MapHit h = g.hitTest(p);
    QCOMPARE(h.region, hit.isEmpty() ? -1 : named(g.data(), hit));
    QCOMPARE(h.handle, handle);
    QCOMPARE(h.movable, movable);
}

void TestMapGeometry::mapController()
{
    MapGeometry g;
    g.setData(mapOf(kBoard), 1016);
    MapController c(g);
    QSignalSpy select(&c, &MapController::selectRequested);
    QSignalSpy preview(&c, &MapController::dragPreview);
    QSignalSpy edit(&c, &MapController::editRequested);
    QSignalSpy cancelled(&c, &MapController::dragCancelled);
    QSignalSpy pan(&c, &ViewController::panRequested);
    QSignalSpy zoom(&c, &ViewController::zoomRequested);
    QSignalSpy shape(&c, &MapController::cursorShapeRequested);
    const int cma = named(g.data(), QStringLiteral("cma"));
    const QRectF r = g.regionRect(cma);
    const QPointF mid = r.center();

    // Hovering says what a press would do.
    c.mouseMove(mouse(QEvent::MouseMove, QPointF(r.right(), mid.y()), Qt::NoButton));
    QCOMPARE(shape.last().at(0).value<Qt::CursorShape>(), Qt::SizeHorCursor);
    c.mouseMove(mouse(QEvent::MouseMove, mid, Qt::NoButton));
    QCOMPARE(shape.last().at(0).value<Qt::CursorShape>(), Qt::OpenHandCursor);

    // A drag of the body: selected on press, previews snapped to 2 MiB (8 pixels: 2,147,484 bytes), one edit.
    c.mousePress(mouse(QEvent::MouseButtonPress, mid));
    QCOMPARE(select.count(), 1);
    QCOMPARE(select.last().at(0).toInt(), cma);
    g.setSelected(cma);
    c.mouseMove(mouse(QEvent::MouseMove, mid + QPointF(2, 0))); // 0.5 MiB: rounds back to the start
    QCOMPARE(preview.count(), 0);
    c.mouseMove(mouse(QEvent::MouseMove, mid + QPointF(8, 0)));
    QCOMPARE(preview.count(), 1);
    QCOMPARE(preview.last().at(1).toULongLong(), 0x88200000ull);
    QCOMPARE(c.dragRegion(), cma);
    QCOMPARE(c.dragSpan().base, uint64_t(0x88200000));
    c.mouseMove(mouse(QEvent::MouseMove, mid + QPointF(8, 0), Qt::LeftButton, Qt::ShiftModifier));
    QCOMPARE(preview.last().at(1).toULongLong(), 0x88000000ull + 2147484ull);
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, mid + QPointF(8, 0), Qt::NoButton));
    QCOMPARE(edit.count(), 1);
    QCOMPARE(edit.last().at(1).toULongLong(), 0x88200000ull);
    QCOMPARE(edit.last().at(2).toULongLong(), 0x4000000ull);
    QCOMPARE(edit.last().at(3).toBool(), false);
    QCOMPARE(c.dragRegion(), -1);

    // The right edge back and forth to where it was: no edit.
    c.mousePress(mouse(QEvent::MouseButtonPress, QPointF(r.right(), mid.y())));
    QCOMPARE(select.count(), 1); // already selected
    c.mouseMove(mouse(QEvent::MouseMove, QPointF(r.right() + 20, mid.y())));
    QCOMPARE(preview.last().at(2).toULongLong(), 0x4000000ull + 3 * 2 * kMiB); // 20 pixels: 2.56 steps
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, QPointF(r.right(), mid.y()), Qt::NoButton));
    QCOMPARE(edit.count(), 1);
    QCOMPARE(cancelled.count(), 1);

    // A dynamic region is selected but does not move; the background pans.
    const int dyn = named(g.data(), QStringLiteral("dyn"));
    const QPointF d = g.regionRect(dyn).center();
    c.mousePress(mouse(QEvent::MouseButtonPress, d));
    QCOMPARE(select.last().at(0).toInt(), dyn);
    const int previews = preview.count();
    c.mouseMove(mouse(QEvent::MouseMove, d + QPointF(30, 0)));
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, d + QPointF(30, 0), Qt::NoButton));
    QCOMPARE(preview.count(), previews);
    QCOMPARE(edit.count(), 1);
    QCOMPARE(pan.count(), 0);
    const QPointF empty(500, g.laneRect(1).top() - 20);
    c.mousePress(mouse(QEvent::MouseButtonPress, empty));
    c.mouseMove(mouse(QEvent::MouseMove, empty + QPointF(-40, 3)));
    QCOMPARE(pan.count(), 1);
    QCOMPARE(pan.last().at(0).toPointF(), QPointF(-40, 3));
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, empty, Qt::NoButton));

    // Wheel and keys.
    QWheelEvent wheel(
        QPointF(300, 50), QPointF(300, 50), {}, QPoint(0, 240), Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QVERIFY(c.wheel(wheel));
    QCOMPARE(zoom.last().at(0).toPointF(), QPointF(300, 50));
    QCOMPARE(zoom.last().at(1).toDouble(), 1.25 * 1.25);
    QKeyEvent plus(QEvent::KeyPress, Qt::Key_Plus, Qt::NoModifier);
    QVERIFY(c.keyPress(plus));
    QCOMPARE(zoom.last().at(0).toPointF().x(), 508.0); // the middle of the widget
    QCOMPARE(zoom.last().at(1).toDouble(), 1.5);
    g.setSelected(cma);
    QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::ShiftModifier);
    QVERIFY(c.keyPress(right));
    QCOMPARE(edit.last().at(2).toULongLong(), 0x4000000ull + 2 * kMiB);
    QCOMPARE(edit.last().at(3).toBool(), true);
    QSignalSpy scroll(&c, &ViewController::scrollRequested);
    g.setSelected(-1);
    QVERIFY(c.keyPress(right));
    QCOMPARE(scroll.count(), 1);
    QKeyEvent other(QEvent::KeyPress, Qt::Key_Q, Qt::NoModifier);
    QVERIFY(!c.keyPress(other));
}

namespace {
/** 1000 operations on a 64 MiB pool at 0x80000000: buffer 0 holds [16, 20) MiB for ops
 *  [100, 600); a failure at op 700 with 56 MiB free from 8 MiB up. */
sim::PoolTimeline timeline()
{
    sim::PoolTimeline t;
    t.base = 0x80000000;
    t.size = 64 * kMiB;
    t.opCount = 1000;
    t.lifetimes.push_back({ 100, 600, t.base + 16 * kMiB, 4 * kMiB, 4 * kMiB, 0, 0 });
    t.failures.push_back({ 700, 60 * kMiB, 0, 2, sim::OpOutcome::Failed, t.base + 8 * kMiB, 56 * kMiB });
    return t;
}

/** 800 x 400 pixels: the plot is 696 x 336 from (92, 24). */
HeatmapGeometry heatmapOf(const sim::PoolTimeline& t)
{
    HeatmapGeometry g;
    g.setSize(QSize(800, 400));
    g.setExtent(t.opCount, t.size, t.base);
    g.setCursor(t.opCount);
    g.resetView();
    return g;
}
} // namespace

void TestMapGeometry::heatmapRoundTrip_data()
{
    QTest::addColumn<double>("t");
    QTest::addColumn<double>("offset");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("y");
    QTest::addRow("origin: bottom left") << 0.0 << 0.0 << 92.0 << 360.0;
    QTest::addRow("the end: top right") << 1000.0 << double(64 * kMiB) << 788.0 << 24.0;
    QTest::addRow("the middle") << 500.0 << double(32 * kMiB) << 440.0 << 192.0;
    QTest::addRow("a quarter, an eighth") << 250.0 << double(8 * kMiB) << 266.0 << 318.0;
}

void TestMapGeometry::heatmapRoundTrip()
{
    QFETCH(double, t);
    QFETCH(double, offset);
    QFETCH(double, x);
    QFETCH(double, y);
    const HeatmapGeometry g = heatmapOf(timeline());
    QCOMPARE(g.plotRect(), QRect(92, 24, 696, 336));
    QCOMPARE(g.xAtTime(t), x);
    QCOMPARE(g.yAtOffset(offset), y);
    QCOMPARE(g.timeAtX(x), t);
    QCOMPARE(g.offsetAtY(y), offset);
}

void TestMapGeometry::heatmapZoomAroundCursor()
{
    HeatmapGeometry g = heatmapOf(timeline());
    const double x = g.xAtTime(250), y = g.yAtOffset(18 * kMiB);
    g.zoomTime(4, x);
    QVERIFY(qAbs(g.timeAtX(x) - 250) < 1e-9);
    QVERIFY(qAbs((g.t1() - g.t0()) - 250) < 1e-9);
    g.zoomAddress(8, y);
    QVERIFY(qAbs(g.offsetAtY(y) - 18 * kMiB) < 1e-3);
    QVERIFY(qAbs((g.a1() - g.a0()) - 8 * kMiB) < 1e-3);
    // Never below four operations or 64 KiB, never past the run or the pool.
    g.zoomTime(1e9, x);
    QCOMPARE(g.t1() - g.t0(), 4.0);
    g.zoomAddress(1e12, y);
    QCOMPARE(g.a1() - g.a0(), 65536.0);
    g.pan(-1e7, -1e7);
    QCOMPARE(g.t1(), 1000.0);
    QCOMPARE(g.a0(), 0.0);
    g.zoomTime(1e-9, x);
    QCOMPARE(g.t0(), 0.0);
    QCOMPARE(g.t1(), 1000.0);
    g.setWindow(-50, 2000, -1, 1e12);
    QCOMPARE(g.t0(), 0.0);
    QCOMPARE(g.a1(), double(64 * kMiB));
}

void TestMapGeometry::heatmapHitTest_data()
{
    // x is a pixel column: operation (x - 92) / 0.696.
    QTest::addColumn<int>("x");
    QTest::addColumn<double>("offset");
    QTest::addColumn<qulonglong>("cursor");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qulonglong>("op");
    QTest::addColumn<qulonglong>("address");
    using K = HeatmapHit::Kind;
    QTest::addRow("in the buffer") << 266 << 18.0 * kMiB << 1000ull << int(K::Buffer) << 250ull << 0x81200000ull;
    QTest::addRow("before it was allocated") << 127 << 18.0 * kMiB << 1000ull << int(K::Free) << 50ull << 0x81200000ull;
    QTest::addRow("free after it") << 600 << 18.0 * kMiB << 1000ull << int(K::Free) << 729ull << 0x81200000ull;
    // The failure's column is widened to 5 pixels around op 700 (x 579.2 .. 579.9).
    QTest::addRow("the failure's free block") << 580 << 40.0 * kMiB << 1000ull << int(K::Failure) << 700ull << 0ull;
    QTest::addRow("the failure, not played") << 580 << 40.0 * kMiB << 500ull << int(K::NotPlayed) << 701ull << 0ull;
    QTest::addRow("the buffer, not played") << 266 << 18.0 * kMiB << 200ull << int(K::NotPlayed) << 250ull << 0ull;
    QTest::addRow("below the plot") << 266 << -4.0 * kMiB << 1000ull << int(K::None) << 0ull << 0ull;
    QTest::addRow("left of the plot") << 60 << 18.0 * kMiB << 1000ull << int(K::None) << 0ull << 0ull;
}

void TestMapGeometry::heatmapHitTest()
{
    QFETCH(int, x);
    QFETCH(double, offset);
    QFETCH(qulonglong, cursor);
    QFETCH(int, kind);
    QFETCH(qulonglong, op);
    QFETCH(qulonglong, address);
    const sim::PoolTimeline tl = timeline();
    HeatmapGeometry g = heatmapOf(tl);
    g.setCursor(cursor);
    const HeatmapHit hit = g.hitTest(tl, QPoint(x, int(g.yAtOffset(offset))));
    QCOMPARE(int(hit.kind), kind);
    QCOMPARE(qulonglong(hit.op), op);
    QCOMPARE(qulonglong(hit.address), address);
    QCOMPARE(hit.index, hit.kind == HeatmapHit::Kind::Buffer || hit.kind == HeatmapHit::Kind::Failure ? 0 : -1);
}

void TestMapGeometry::heatmapController()
{
    const sim::PoolTimeline tl = timeline();
    HeatmapGeometry g = heatmapOf(tl);
    HeatmapController c(g);
    QSignalSpy seek(&c, &HeatmapController::seekRequested);
    QSignalSpy pan(&c, &ViewController::panRequested);
    QSignalSpy zoom(&c, &ViewController::zoomRequested);
    QSignalSpy fit(&c, &ViewController::fitRequested);
    const QPointF at(g.xAtTime(250.5), 200);
    // A press that moves less than the slop is a click: the cursor goes just past op 250.
    c.mousePress(mouse(QEvent::MouseButtonPress, at));
    c.mouseMove(mouse(QEvent::MouseMove, at + QPointF(2, 1)));
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, at, Qt::NoButton));
    QCOMPARE(pan.count(), 0);
    QCOMPARE(seek.count(), 1);
    QCOMPARE(seek.last().at(0).toULongLong(), 251ull);
    // Past the slop it is a pan, measured from the press, and no click.
    c.mousePress(mouse(QEvent::MouseButtonPress, at));
    c.mouseMove(mouse(QEvent::MouseMove, at + QPointF(3, 2)));
    QCOMPARE(pan.count(), 1);
    QCOMPARE(pan.last().at(0).toPointF(), QPointF(3, 2));
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, at + QPointF(3, 2), Qt::NoButton));
    QCOMPARE(seek.count(), 1);
    // A click outside the plot asks for nothing.
    c.mousePress(mouse(QEvent::MouseButtonPress, QPointF(10, 10)));
    c.mouseRelease(mouse(QEvent::MouseButtonRelease, QPointF(10, 10), Qt::NoButton));
    QCOMPARE(seek.count(), 1);
    // The wheel zooms time; with Ctrl, addresses; a double click fits.
    QWheelEvent wheel(at, at, {}, QPoint(0, 120), Qt::NoButton, {}, Qt::NoScrollPhase, false);
    c.wheel(wheel);
    QCOMPARE(zoom.last().at(2).value<Qt::Orientation>(), Qt::Horizontal);
    QWheelEvent ctrl(at, at, {}, QPoint(0, -120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    c.wheel(ctrl);
    QCOMPARE(zoom.last().at(2).value<Qt::Orientation>(), Qt::Vertical);
    QCOMPARE(zoom.last().at(1).toDouble(), 1 / 1.25);
    c.mouseDoubleClick(mouse(QEvent::MouseButtonDblClick, at));
    QCOMPARE(fit.count(), 1);
    // Keys: +/- around the time cursor, arrows move it by one operation.
    g.setCursor(500);
    QKeyEvent minus(QEvent::KeyPress, Qt::Key_Minus, Qt::NoModifier);
    QVERIFY(c.keyPress(minus));
    QCOMPARE(zoom.last().at(0).toPointF().x(), g.xAtTime(500));
    QKeyEvent left(QEvent::KeyPress, Qt::Key_Left, Qt::NoModifier);
    QVERIFY(c.keyPress(left));
    QCOMPARE(seek.last().at(0).toULongLong(), 499ull);
    g.setCursor(1000);
    QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
    QVERIFY(c.keyPress(right));
    QCOMPARE(seek.last().at(0).toULongLong(), 1000ull); // not past the end
}

QTEST_MAIN(TestMapGeometry)
#include "tst_mapgeometry.moc"
