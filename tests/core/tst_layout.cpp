// SPDX-License-Identifier: GPL-2.0-only
// The layout model reads the tree as the kernel does (kernel-rules.md section 1): root cells,
// memory banks, /memreserve/, the container, static/dynamic regions with malformed
// properties flagged, kinds, and consumers from memory-region.

// core
#include "kernel/bootmodel.h"
#include "model/layout.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QTemporaryDir>
#include <QTest>

using namespace carveout;

class TestLayout : public QObject
{
    Q_OBJECT
private slots:
    void rootCellsDefaultToOne();
    void memoryBanks();
    void container_data();
    void container();
    void regions();
    void malformedProperties();
    void wideCellsKeepLow64Bits();
    void consumers();
    void dtbInputHasNoPositions();

private:
    Layout load(const QByteArray& body, const QByteArray& rootProps = "#address-cells = <2>; #size-cells = <2>;");
    QTemporaryDir m_dir;
    int m_counter = 0;
};

Layout TestLayout::load(const QByteArray& body, const QByteArray& rootProps)
{
    const QString file = test::writeFile(
        m_dir, QStringLiteral("t%1.dts").arg(++m_counter), "/dts-v1/;\n/ {\n" + rootProps + "\n" + body + "\n};\n");
    const LoadResult r = loadBoard(file);
    if (!r.ok)
        qWarning("%s", qPrintable(r.errors.value(0).toString()));
    return r.ok ? buildLayout(r.doc) : Layout {};
}

namespace {
const QByteArray kContainer = "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n";
}

void TestLayout::rootCellsDefaultToOne()
{
    const Layout L = load("memory@0 { device_type = \"memory\"; reg = <0x40000000 0x10000000>; };", "");
    QCOMPARE(L.rootAddressCells, 1);
    QCOMPARE(L.rootSizeCells, 1);
    QVERIFY(!L.rootAddressCellsPresent);
    QCOMPARE(L.memory.size(), size_t(1));
    QCOMPARE(L.memory[0].range.size, uint64_t(0x10000000));
}

void TestLayout::memoryBanks()
{
    const Layout L
        = load("memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x40000000>, "
               "<1 0 0 0x40000000>, <0 0 0 0>, <0 5>; };\n"
               "memory@0 { device_type = \"memory\"; status = \"disabled\"; reg = <0 0 0 0x1000>; };\n"
               "mem2 { device_type = \"memory\"; reg = <2 0 0 0x100000>; linux,usable-memory = <2 0 0 0x80000>; };\n"
               "soc { memory@9 { device_type = \"memory\"; reg = <0 9 0 9>; }; };\n"
               "notmem@5 { reg = <0 5 0 5>; };\n");
    // Whole tuples only (the trailing half tuple is dropped), zero sizes and disabled nodes
    // ignored, usable-memory wins over reg, nested memory nodes do not count.
    QCOMPARE(L.memory.size(), size_t(3));
    QCOMPARE(L.memory[0].range.base, uint64_t(0x40000000));
    QCOMPARE(L.memory[1].range.base, uint64_t(0x100000000));
    QCOMPARE(L.memory[2].range.size, uint64_t(0x80000));
    QVERIFY(L.memory[2].fromUsableMemory);
    QCOMPARE(L.memoryTotal(), uint64_t(0x80080000));
    QCOMPARE(L.ignoredMemory.size(), size_t(2));
    QCOMPARE(L.memory[0].source.line, 4);
}

void TestLayout::container_data()
{
    QTest::addColumn<QByteArray>("node");
    QTest::addColumn<int>("ac");
    QTest::addColumn<int>("sc");
    QTest::addColumn<bool>("ranges");
    QTest::addColumn<bool>("rangesEmpty");
    QTest::addRow("proper") << QByteArray("reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; };") << 2
                            << 2 << true << true;
    QTest::addRow("no cells") << QByteArray("reserved-memory { ranges; };") << -1 << -1 << true << true;
    QTest::addRow("no ranges") << QByteArray("reserved-memory { #address-cells = <1>; #size-cells = <1>; };") << 1 << 1
                               << false << true;
    QTest::addRow("translating ranges") << QByteArray(
        "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges = <0 0 0 0 1 0>; };")
                                        << 2 << 2 << true << false;
    QTest::addRow("unit address") << QByteArray(
        "reserved-memory@0 { #address-cells = <2>; #size-cells = <2>; ranges; };")
                                  << 2 << 2 << true << true;
}

void TestLayout::container()
{
    QFETCH(QByteArray, node);
    QFETCH(int, ac);
    QFETCH(int, sc);
    QFETCH(bool, ranges);
    QFETCH(bool, rangesEmpty);
    const Layout L = load(node);
    QVERIFY(L.container.present);
    QCOMPARE(L.container.addressCells, ac);
    QCOMPARE(L.container.sizeCells, sc);
    QCOMPARE(L.container.hasRanges, ranges);
    QCOMPARE(L.container.rangesEmpty, rangesEmpty);
    QCOMPARE(load("soc { reserved-memory { }; };").container.present, false);
}

void TestLayout::regions()
{
    const Layout L = load(kContainer
        + "fw: fw@90000000 { reg = <0 0x90000000 0 0x100000>; no-map; };\n"
          "linux,cma { compatible = \"shared-dma-pool\"; reusable; size = <0 0x4000000>; "
          "alignment = <0 0x400000>; alloc-ranges = <0 0x40000000 0 0x40000000>, <1 0 0 0x1000>; "
          "linux,cma-default; };\n"
          "pool@a0000000 { compatible = \"shared-dma-pool\"; reg = <0 0xa0000000 0 0x200000>; no-map; };\n"
          "swiotlb { compatible = \"restricted-dma-pool\"; size = <0 0x400000>; };\n"
          "both@b0000000 { reg = <0 0xb0000000 0 0x1000>, <0 0xb0002000 0 0x1000>; size = <0 0x2000>; };\n"
          "neither { status = \"disabled\"; };\n"
          "dma { compatible = \"vendor,thing\", \"shared-dma-pool\"; reg = <0 0xc0000000 0 0x1000>; "
          "linux,dma-default; status = \"ok\"; };\n"
        + "};");
    QCOMPARE(L.regions.size(), size_t(7));
    const Region& fw = L.regions[0];
    QCOMPARE(fw.name, QStringLiteral("fw@90000000"));
    QCOMPARE(fw.path, QStringLiteral("/reserved-memory/fw@90000000"));
    QCOMPARE(fw.labels, QStringList { QStringLiteral("fw") });
    QCOMPARE(fw.placement, Placement::Static);
    QCOMPARE(fw.base.value_or(1), uint64_t(0x90000000));
    QCOMPARE(fw.treeSize, uint64_t(0x100000));
    QVERIFY(fw.noMap);
    QCOMPARE(fw.kind, RegionKind::Reserved);
    QCOMPARE(placeOf(L, nullptr, 0).outcome, Outcome::Unknown); // no boot: the tree's view
    QCOMPARE(fw.source.line, 5);
    QCOMPARE(fw.propertySources.at(QStringLiteral("reg")).line, 5);

    const Region& cma = L.regions[1];
    QCOMPARE(cma.placement, Placement::Dynamic);
    QVERIFY(!cma.base.has_value());
    QCOMPARE(cma.size.value_or(0), uint64_t(0x4000000));
    QCOMPARE(cma.alignment.value_or(0), uint64_t(0x400000));
    QCOMPARE(cma.allocRanges.size(), size_t(2));
    QCOMPARE(cma.allocRanges[1].base, uint64_t(0x100000000));
    QCOMPARE(cma.kind, RegionKind::Cma);
    QVERIFY(cma.reusable && cma.cmaDefault && !cma.noMap);

    QCOMPARE(L.regions[2].kind, RegionKind::Coherent);
    QCOMPARE(L.regions[3].kind, RegionKind::Restricted);
    QCOMPARE(L.regions[3].placement, Placement::Dynamic);

    const Region& both = L.regions[4];
    QCOMPARE(both.placement, Placement::Static); // reg wins over size
    QCOMPARE(both.reg.size(), size_t(2));
    QCOMPARE(both.treeSize, uint64_t(0x1000));
    QCOMPARE(both.size.value_or(0), uint64_t(0x2000));

    const Region& neither = L.regions[5];
    QCOMPARE(neither.placement, Placement::None);
    QVERIFY(!neither.enabled);
    QCOMPARE(neither.status, QStringLiteral("disabled"));

    const Region& dma = L.regions[6];
    QVERIFY(dma.enabled); // "ok" counts as okay
    QVERIFY(dma.dmaDefault);
    QCOMPARE(dma.kind, RegionKind::Coherent); // any compatible string in the list matches
    QCOMPARE(dma.compatible.size(), 2);
}

void TestLayout::malformedProperties()
{
    const Layout L = load(kContainer
        + "a { reg = <0 0x90000000 0 0x1000 0>; };\n"
          "b { size = <0x1000>; alignment = <0x1000>; };\n"
          "c { size = <0 0x1000>; alloc-ranges = <0 0 0>; };\n"
        + "};");
    QCOMPARE(L.regions.size(), size_t(3));
    QVERIFY(L.regions[0].regMalformed);
    QCOMPARE(L.regions[0].reg.size(), size_t(1));
    // size and alignment must be exactly #size-cells / #address-cells long.
    QVERIFY(L.regions[1].sizeMalformed);
    QVERIFY(!L.regions[1].size.has_value());
    QVERIFY(L.regions[1].alignmentMalformed);
    QCOMPARE(L.regions[1].placement, Placement::Dynamic);
    QVERIFY(L.regions[2].allocRangesMalformed);
    QVERIFY(L.regions[2].allocRanges.empty());
}

void TestLayout::wideCellsKeepLow64Bits()
{
    const Layout L = load("reserved-memory { #address-cells = <3>; #size-cells = <1>; ranges;\n"
                          "x { reg = <0xdead 0x1 0x2 0x1000>; }; };",
        "#address-cells = <3>; #size-cells = <1>;");
    QCOMPARE(L.regions.size(), size_t(1));
    QCOMPARE(L.regions[0].base.value_or(0), uint64_t(0x100000002));
}

void TestLayout::consumers()
{
    const Layout L = load(kContainer
        + "a: a@1000 { reg = <0 0x1000 0 0x1000>; };\n"
          "b: b@2000 { reg = <0 0x2000 0 0x1000>; };\n"
        + "};\n"
          "other: syscon@1 { reg = <0 1 0 1>; };\n"
          "dev1 { memory-region = <&a>, <&b>; memory-region-names = \"fw\", \"buf\"; };\n"
          "dev2 { status = \"disabled\"; memory-region = <&b>; };\n"
          "dev3 { memory-region = <&other>; };\n"
          "dev4 { memory-region = <0x7777>; };\n");
    QCOMPARE(L.consumers.size(), size_t(5));
    const Consumer& c0 = L.consumers[0];
    QCOMPARE(c0.device, QStringLiteral("/dev1"));
    QCOMPARE(c0.region, 0);
    QCOMPARE(c0.name, QStringLiteral("fw"));
    QCOMPARE(L.consumers[1].region, 1);
    QCOMPARE(L.consumers[1].index, 1);
    QCOMPARE(L.consumers[1].name, QStringLiteral("buf"));
    QVERIFY(!L.consumers[2].deviceEnabled);
    QCOMPARE(L.consumers[2].deviceStatus, QStringLiteral("disabled"));
    QCOMPARE(L.consumers[3].region, -1);
    QCOMPARE(L.consumers[3].target, QStringLiteral("/syscon@1"));
    QCOMPARE(L.consumers[4].region, -1);
    QVERIFY(L.consumers[4].target.isEmpty());
    QCOMPARE(c0.source.line, 9);
}

void TestLayout::dtbInputHasNoPositions()
{
    const QString dts = test::writeFile(m_dir, QStringLiteral("p.dts"),
        "/dts-v1/;\n/memreserve/ 0x1000 0x1000;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
        "reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;\n"
        "r@2000 { reg = <0x2000 0x1000>; }; }; };\n");
    const QString dtb = test::compileDtb(dts, m_dir.filePath(QStringLiteral("p.dtb")), detectIncludeDirs(dts));
    QVERIFY(!dtb.isEmpty());
    const LoadResult r = loadBoard(dtb);
    QVERIFY(r.ok);
    const Layout L = buildLayout(r.doc);
    QVERIFY(L.fromDtb);
    QCOMPARE(L.regions.size(), size_t(1));
    QVERIFY(!L.regions[0].source.isValid());
    QCOMPARE(L.memreserve.size(), size_t(1));
    QCOMPARE(L.memreserve[0].range.base, uint64_t(0x1000));
}

QTEST_GUILESS_MAIN(TestLayout)
#include "tst_layout.moc"
