// SPDX-License-Identifier: GPL-2.0-only
// The memory-map diagram's geometry on real boards, without a widget: every line of every block
// fits inside it (measured with QFontMetrics), no two blocks overlap, every gap between
// reservations in RAM has a free block saying its size, blocks follow address order, the
// address labels fit the gutter without overlapping, and the detail levels change the heights.

// core
#include "kernel/profileoptions.h"
#include "model/units.h"
#include "source/loader.h"

// ui
#include "diagram/diagramlayout.h"

// tests
#include "../testutils.h"

// Qt
#include <QApplication>
#include <QFontMetrics>
#include <QTest>

// std
#include <algorithm>

using namespace carveout;
using namespace carveout::ui;

namespace {

using Detail = DiagramLayout::Detail;

/** The analysis of a board under the default profile (the test stops when it cannot load). */
MapData analysed(const QString& file)
{
    const LoadResult loaded = loadBoard(file);
    if (!loaded.ok)
        qFatal("cannot load %s", qPrintable(file));
    KernelProfile profile;
    resolveProfile({}, &loaded.doc, &profile);
    return MapData::of(analyse(loaded.doc, profile));
}

/** The corpus boards with the most reserved-memory children (MANIFEST.tsv's rmem; ties by path). */
QStringList mostRegions(int count)
{
    QFile f(QStringLiteral(CARVEOUT_SHARED_DIR) + QStringLiteral("/corpus/MANIFEST.tsv"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> rows = f.readAll().split('\n');
    const QList<QByteArray> head = rows.value(0).split('\t');
    const int board = int(head.indexOf("board")), ok = int(head.indexOf("ok")), rmem = int(head.indexOf("rmem"));
    std::vector<std::pair<int, QString>> boards;
    for (qsizetype k = 1; k < rows.size(); ++k) {
        const QList<QByteArray> c = rows[k].split('\t');
        if (c.size() > rmem && c[ok] == "1")
            boards.push_back({ -c[rmem].toInt(), QString::fromUtf8(c[board]) });
    }
    std::sort(boards.begin(), boards.end());
    QStringList out;
    for (int k = 0; k < count && k < int(boards.size()); ++k)
        out << boards[size_t(k)].second;
    return out;
}

/** RAM minus every placed region and /memreserve/ entry: the gaps the diagram must show free. */
std::vector<AddrRange> freeGaps(const MapData& d)
{
    std::vector<AddrRange> taken;
    for (int i = 0; i < d.regionCount(); ++i) {
        if (d.placedBase(i) && d.placedSize(i) > 0)
            taken.push_back({ *d.placedBase(i), d.placedEnd(i) - *d.placedBase(i) });
    }
    for (const auto& m : d.layout().memreserve) {
        if (m.range.size > 0)
            taken.push_back(m.range);
    }
    taken = mergedRanges(taken);
    std::vector<AddrRange> gaps;
    for (const AddrRange& bank : d.ram()) {
        uint64_t at = bank.base;
        for (const AddrRange& t : taken) {
            if (t.end() <= at || t.base >= bank.end())
                continue;
            if (t.base > at)
                gaps.push_back({ at, t.base - at });
            at = std::max(at, t.end());
        }
        if (at < bank.end())
            gaps.push_back({ at, bank.end() - at });
    }
    return gaps;
}

QString describe(const DiagramBlock& b)
{
    return QStringLiteral("block '%1' at (%2,%3 %4x%5)")
        .arg(b.lines.value(0))
        .arg(b.rect.x())
        .arg(b.rect.y())
        .arg(b.rect.width())
        .arg(b.rect.height());
}

} // namespace

class TestDiagramLayout : public QObject
{
    Q_OBJECT
private slots:
    void boards_data();
    void boards();
    void detailChangesHeights();
    void overlapsGoSideBySide();
    void unplacedComeLast();
};

void TestDiagramLayout::boards_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("pointSize");
    if (!test::haveCorpus())
        QSKIP("no corpus in ../shared");
    QStringList boards { QStringLiteral("src/arm64/qcom/hamoa-iot-evk.dts"),
        QStringLiteral("src/arm64/freescale/imx8mp-evk.dts"), QStringLiteral("src/arm64/ti/k3-am69-aquila-dev.dts") };
    // And the five with the most regions (besides those three).
    int added = 0;
    for (const QString& b : mostRegions(8)) {
        if (added < 5 && !boards.contains(b)) {
            boards << b;
            ++added;
        }
    }
    QCOMPARE(added, 5);
    // /memreserve/ entries among regions, in three banks.
    boards << QStringLiteral("src/arm/realtek/rtd1195-mele-x1000.dts");
    for (const QString& b : boards) {
        const QString file = test::corpusDir() + QLatin1Char('/') + b;
        QTest::addRow("%s narrow", qPrintable(b)) << file << 200 << 0;
        QTest::addRow("%s wide", qPrintable(b)) << file << 1000 << 0;
        QTest::addRow("%s big font", qPrintable(b)) << file << 600 << 16;
    }
    QTest::addRow("brk1-board") << test::samplesDir() + QStringLiteral("/broken/brk1-board.dts") << 500 << 0;
}

void TestDiagramLayout::boards()
{
    QFETCH(QString, file);
    QFETCH(int, width);
    QFETCH(int, pointSize);
    const MapData d = analysed(file);
    QVERIFY(d.regionCount() > 0);
    QFont font = QApplication::font();
    if (pointSize > 0)
        font.setPointSize(pointSize);
    const QFontMetrics fm(font);
    const std::vector<AddrRange> gaps = freeGaps(d);
    for (const Detail detail : { Detail::Compact, Detail::Normal, Detail::Full }) {
        DiagramLayout L;
        L.setData(d, font, width, detail);
        const auto& blocks = L.blocks();
        QVERIFY(L.size().width() >= width);
        std::vector<int> seen(size_t(d.regionCount()), 0);
        for (const DiagramBlock& b : blocks) {
            // Every line in full inside its block.
            QVERIFY2(b.rect.contains(b.textRect), qPrintable(describe(b)));
            QVERIFY2(b.lines.size() * fm.lineSpacing() <= b.textRect.height() + 0.01, qPrintable(describe(b)));
            for (const QString& line : b.lines)
                QVERIFY2(fm.horizontalAdvance(line) <= b.textRect.width(),
                    qPrintable(
                        describe(b) + QStringLiteral(": '%1' is %2 px").arg(line).arg(fm.horizontalAdvance(line))));
            QVERIFY2(b.rect.left() >= 0 && b.rect.right() <= L.size().width() && b.rect.bottom() <= L.size().height(),
                qPrintable(describe(b)));
            if (b.type == DiagramBlock::Type::Region) {
                ++seen[size_t(b.index)];
                const Region& r = d.region(b.index);
                QCOMPARE(b.lines.value(0), r.name);
                if (b.placed) {
                    QVERIFY2(b.lines.join(QLatin1Char('\n')).contains(formatSize(d.placedSize(b.index))),
                        qPrintable(describe(b)));
                    if (detail != Detail::Compact)
                        QVERIFY2(b.lines.value(1).startsWith(toHex(*d.placedBase(b.index))), qPrintable(describe(b)));
                }
            }
        }
        // Each /memreserve/ entry with a size: a block.
        int memreserves = 0, expected = 0;
        for (const DiagramBlock& b : blocks)
            memreserves += b.type == DiagramBlock::Type::MemReserve;
        for (const auto& m : d.layout().memreserve)
            expected += m.range.size > 0;
        QCOMPARE(memreserves, expected);
        // Each region exactly once.
        for (int i = 0; i < d.regionCount(); ++i)
            QVERIFY2(seen[size_t(i)] == 1, qPrintable(d.region(i).name));
        // No two blocks overlap (touching edges is fine).
        for (size_t a = 0; a < blocks.size(); ++a) {
            for (size_t b = a + 1; b < blocks.size(); ++b) {
                const QRectF inter = blocks[a].rect.intersected(blocks[b].rect);
                QVERIFY2(inter.width() < 0.01 || inter.height() < 0.01,
                    qPrintable(describe(blocks[a]) + QStringLiteral(" overlaps ") + describe(blocks[b])));
            }
        }
        // Every gap in RAM: a free block with its range and size; no other free block.
        int freeBlocks = 0;
        for (const DiagramBlock& b : blocks)
            freeBlocks += b.type == DiagramBlock::Type::Free;
        QCOMPARE(freeBlocks, int(gaps.size()));
        for (const AddrRange& g : gaps) {
            const auto it = std::find_if(blocks.begin(), blocks.end(), [&](const DiagramBlock& b) {
                return b.type == DiagramBlock::Type::Free && b.base == g.base && b.end == g.end();
            });
            QVERIFY2(it != blocks.end(),
                qPrintable(QStringLiteral("no free block for %1..%2").arg(toHex(g.base), toHex(g.end()))));
            QVERIFY2(it->lines.value(0).contains(formatSize(g.size)), qPrintable(it->lines.value(0)));
        }
        // Both edges of every free block are written beside it.
        for (const DiagramBlock& b : blocks) {
            if (b.type != DiagramBlock::Type::Free)
                continue;
            for (const uint64_t edge : { b.base, b.end }) {
                QVERIFY2(std::any_of(L.labels().begin(), L.labels().end(),
                             [&](const DiagramLabel& l) { return l.address == edge && l.text == toHex(edge); }),
                    qPrintable(QStringLiteral("no label at %1").arg(toHex(edge))));
            }
        }
        // Address order: down each column, a lower base is never under a higher one, and a
        // range that ends before another starts is drawn above it.
        for (size_t a = 0; a < blocks.size(); ++a) {
            const DiagramBlock& A = blocks[a];
            if (A.type == DiagramBlock::Type::Header || !A.placed)
                continue;
            for (size_t b = 0; b < blocks.size(); ++b) {
                const DiagramBlock& B = blocks[b];
                if (a == b || B.type == DiagramBlock::Type::Header || !B.placed)
                    continue;
                const bool sameColumn = A.rect.left() < B.rect.right() - 0.01 && B.rect.left() < A.rect.right() - 0.01;
                if (sameColumn && A.base < B.base)
                    QVERIFY2(A.rect.top() <= B.rect.top(),
                        qPrintable(describe(A) + QStringLiteral(" under ") + describe(B)));
                if (A.end <= B.base)
                    QVERIFY2(A.rect.bottom() <= B.rect.top() + 0.01 || !sameColumn,
                        qPrintable(describe(A) + QStringLiteral(" not above ") + describe(B)));
            }
        }
        // Address labels: in the gutter, in full, apart.
        const double column = blocks.empty() ? 0 : blocks.front().rect.left();
        const auto& labels = L.labels();
        QVERIFY(!labels.empty());
        for (size_t a = 0; a < labels.size(); ++a) {
            QVERIFY(labels[a].rect.right() <= column);
            QVERIFY2(fm.horizontalAdvance(labels[a].text) <= labels[a].rect.width(), qPrintable(labels[a].text));
            QVERIFY(fm.height() <= labels[a].rect.height() + 0.01);
            for (size_t b = a + 1; b < labels.size(); ++b) {
                const QRectF inter = labels[a].rect.intersected(labels[b].rect);
                QVERIFY2(inter.width() < 0.01 || inter.height() < 0.01,
                    qPrintable(labels[a].text + QStringLiteral(" overlaps ") + labels[b].text));
            }
        }
    }
}

void TestDiagramLayout::detailChangesHeights()
{
    const MapData d = analysed(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts"));
    double last = 0;
    for (const Detail detail : { Detail::Compact, Detail::Normal, Detail::Full }) {
        DiagramLayout L;
        L.setData(d, QApplication::font(), 600, detail);
        QVERIFY2(L.size().height() > last, qPrintable(QString::number(L.size().height())));
        last = L.size().height();
    }
    // A bigger range is taller, within limits; never smaller than its text.
    DiagramLayout L;
    L.setData(d, QApplication::font(), 600, Detail::Normal);
    double smallest = 1e9, largest = 0;
    for (const DiagramBlock& b : L.blocks()) {
        if (b.type != DiagramBlock::Type::Region || b.lanes > 1 || !b.placed)
            continue;
        smallest = std::min(smallest, b.rect.height());
        largest = std::max(largest, b.rect.height());
    }
    const double text = 3 * QFontMetrics(QApplication::font()).lineSpacing() + 2 * DiagramLayout::kPad;
    QVERIFY(smallest >= text);
    QVERIFY(largest > smallest);
    QVERIFY(largest <= text + DiagramLayout::kMaxExtra + 1);
}

void TestDiagramLayout::overlapsGoSideBySide()
{
    // Two regions over the same RAM: side by side in one band, each with all its text.
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, QStringLiteral("overlap.dts"),
        "/dts-v1/;\n/ {\n #address-cells = <2>; #size-cells = <2>;\n"
        " memory@80000000 { device_type = \"memory\"; reg = <0x0 0x80000000 0x0 0x40000000>; };\n"
        " reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
        "  first@90000000 { reg = <0x0 0x90000000 0x0 0x400000>; no-map; };\n"
        "  second@90200000 { reg = <0x0 0x90200000 0x0 0x400000>; no-map; };\n"
        " };\n};\n");
    const MapData d = analysed(file);
    QCOMPARE(d.regionCount(), 2);
    DiagramLayout L;
    L.setData(d, QApplication::font(), 500, Detail::Normal);
    const DiagramBlock& a = L.blocks()[size_t(L.blockOfRegion(0))];
    const DiagramBlock& b = L.blocks()[size_t(L.blockOfRegion(1))];
    QCOMPARE(a.lanes, 2);
    QCOMPARE(b.lanes, 2);
    QCOMPARE(a.rect.top(), b.rect.top());
    QVERIFY(a.rect.right() <= b.rect.left());
    // Free RAM: below the pair (0x80000000..0x90000000) and after it (..0xc0000000).
    QCOMPARE(int(freeGaps(d).size()), 2);
}

void TestDiagramLayout::unplacedComeLast()
{
    // A pool bigger than the RAM: the kernel cannot place it; it is listed last, without address.
    QTemporaryDir dir;
    const QString file = test::writeFile(dir, QStringLiteral("unplaced.dts"),
        "/dts-v1/;\n/ {\n #address-cells = <2>; #size-cells = <2>;\n"
        " memory@80000000 { device_type = \"memory\"; reg = <0x0 0x80000000 0x0 0x10000000>; };\n"
        " reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
        "  fw@80000000 { reg = <0x0 0x80000000 0x0 0x100000>; no-map; };\n"
        "  huge { compatible = \"shared-dma-pool\"; reusable; size = <0x0 0x40000000>; };\n"
        " };\n};\n");
    const MapData d = analysed(file);
    QCOMPARE(d.regionCount(), 2);
    QVERIFY(!d.placedBase(1));
    DiagramLayout L;
    L.setData(d, QApplication::font(), 400, Detail::Normal);
    const auto& blocks = L.blocks();
    const int k = L.blockOfRegion(1);
    QCOMPARE(k, int(blocks.size()) - 1);
    QVERIFY(!blocks[size_t(k)].placed);
    QCOMPARE(blocks[size_t(k) - 1].type, DiagramBlock::Type::Header);
    QVERIFY2(blocks[size_t(k)].lines.value(1).startsWith(QLatin1String("not placed")),
        qPrintable(blocks[size_t(k)].lines.join(QLatin1Char('|'))));
    QCOMPARE(L.regionOrder(), (std::vector<int> { 0, 1 }));
    QVERIFY(L.regionAt(blocks[size_t(k)].rect.center()) == 1);
}

QTEST_MAIN(TestDiagramLayout)
#include "tst_diagramlayout.moc"
