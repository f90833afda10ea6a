// SPDX-License-Identifier: GPL-2.0-only
// Issue 19: the cma trace reader (every format the kernels print, bad input with file:line),
// the workload a trace makes (frees matched to their allocations, releases from before the
// trace, busy retries, the device of each CMA area from the tree), and the real traces recorded
// in the oracle's kernels (scripts/record-captures.sh, *.trace.bundle): replaying each gives,
// bit for bit, the addresses that kernel's cma_alloc_finish events report.

// core
#include "analysis/analysis.h"
#include "capture/capture.h"
#include "capture/compare.h"
#include "sim/simulator.h"
#include "sim/workload.h"
#include "source/loader.h"
#include "trace/traceworkload.h"

// tests
#include "../testutils.h"

// Qt
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace carveout;
using namespace carveout::trace;

class TestTrace : public QObject
{
    Q_OBJECT
private slots:
    void formats_data();
    void formats();
    void badInput_data();
    void badInput();
    void workloadMatchesFrees();
    void areaDeviceFromTheTree();
    void busyRetriesReplayBitExact();
    void realTracesReplayBitExact_data();
    void realTracesReplayBitExact();
};

namespace {
const char* kHead = "       swapper/0-1       [000] .....     1.052463: ";
QByteArray line(const char* event)
{
    return QByteArray(kHead) + event + '\n';
}

/** Every allocation of the replay `r` of `parsed` (made from `w`) got the pfn the trace reports,
 *  and every allocation the kernel failed failed. */
void compareWithTrace(const TraceWorkload& w, const sim::Workload& parsed, const sim::SimResult& r)
{
    size_t k = 0;
    for (size_t i = 0; i < parsed.ops.size(); ++i) {
        if (parsed.ops[i].kind != sim::Op::Alloc)
            continue;
        const TracedAllocation& a = w.allocations[k++];
        const sim::OpResult& o = r.ops[i];
        if (!a.pfn) {
            QVERIFY2(o.outcome != sim::OpOutcome::Served, qPrintable(QStringLiteral("line %1").arg(a.line)));
            continue;
        }
        QVERIFY2(o.outcome == sim::OpOutcome::Served, qPrintable(QStringLiteral("line %1 not served").arg(a.line)));
        QCOMPARE(QStringLiteral("0x%1").arg(o.addr, 0, 16), QStringLiteral("0x%1").arg(*a.pfn * r.pageSize, 0, 16));
    }
    QCOMPARE(k, w.allocations.size());
}
} // namespace

void TestTrace::formats_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("area");
    QTest::addColumn<qulonglong>("pfn");
    QTest::addColumn<qulonglong>("count");
    QTest::addColumn<int>("align");
    QTest::addColumn<bool>("failed");
    QTest::addRow("4.x cma_alloc, hex pfn without 0x")
        << line("cma_alloc: pfn=60040 page=ffff7e0001801000 count=64 align=6") << int(CmaEvent::AllocFinish)
        << QString() << 0x60040ULL << 64ULL << 6 << false;
    QTest::addRow("4.x cma_release") << line("cma_release: pfn=60040 page=ffff7e0001801000 count=64")
                                     << int(CmaEvent::Release) << QString() << 0x60040ULL << 64ULL << 0 << false;
    QTest::addRow("6.1 cma_alloc_finish (recorded)")
        << line("cma_alloc_finish: name=linux,cma@60000000 pfn=0x60000 page=(____ptrval____) count=64 align=6")
        << int(CmaEvent::AllocFinish) << QStringLiteral("linux,cma@60000000") << 0x60000ULL << 64ULL << 6 << false;
    QTest::addRow("6.x errorno") << line("cma_alloc_finish: name=reserved pfn=0x0 page=0000000000000000 count=8192 "
                                         "align=8 errorno=-12")
                                 << int(CmaEvent::AllocFinish) << QStringLiteral("reserved") << 0ULL << 8192ULL << 8
                                 << true;
    QTest::addRow("6.x start with request_count")
        << line("cma_alloc_start: name=reserved request_count=64 available_count=8000 total_count=8192 align=6")
        << int(CmaEvent::AllocStart) << QStringLiteral("reserved") << 0ULL << 64ULL << 6 << false;
    QTest::addRow("busy retry") << line("cma_alloc_busy_retry: name=reserved pfn=0x7f000 page=(____ptrval____) "
                                        "count=512 align=9")
                                << int(CmaEvent::BusyRetry) << QStringLiteral("reserved") << 0x7f000ULL << 512ULL << 9
                                << false;
    QTest::addRow("CRLF of a console copy")
        << QByteArray(kHead) + "cma_release: name=reserved pfn=0x7e000 page=(____ptrval____) count=16\r\n"
        << int(CmaEvent::Release) << QStringLiteral("reserved") << 0x7e000ULL << 16ULL << 0 << false;
}

void TestTrace::formats()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QFETCH(QString, area);
    QFETCH(qulonglong, pfn);
    QFETCH(qulonglong, count);
    QFETCH(int, align);
    QFETCH(bool, failed);
    QString error;
    const QByteArray trace = "# tracer: nop\n#\n" + text + "       bash-7 [000] .....  2.0: sched_switch: prev=a\n";
    const auto t = parseCmaTrace(trace, QStringLiteral("t.trace"), &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->events.size(), size_t(1));
    const CmaEvent& e = t->events[0];
    QCOMPARE(int(e.kind), kind);
    QCOMPARE(e.area, area);
    if (kind != CmaEvent::AllocStart)
        QCOMPARE(qulonglong(e.pfn.value_or(~0ULL)), pfn);
    QCOMPARE(qulonglong(e.count), count);
    QCOMPARE(int(e.align), align);
    QCOMPARE(e.failed(), failed);
    QCOMPARE(e.line, 3);
    QCOMPARE(e.task, QStringLiteral("swapper/0"));
    QCOMPARE(t->ignoredLines, 3);
}

void TestTrace::badInput_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::addRow("pfn not hex") << line("cma_alloc_finish: name=r pfn=0xzz count=1 align=0")
                                 << QStringLiteral("t.trace:1: the pfn is not a hexadecimal number");
    QTest::addRow("no count") << line("cma_release: name=r pfn=0x1") << QStringLiteral("t.trace:1: no count= field");
    QTest::addRow("align too large") << line("cma_alloc_finish: name=r pfn=0x1 count=1 align=99")
                                     << QStringLiteral("align order is not a number from 0 to 30");
    QTest::addRow("no pfn") << line("cma_alloc_finish: name=r count=1 align=0")
                            << QStringLiteral("t.trace:1: no pfn= field");
    QTest::addRow("count not a number") << QByteArray("\n") + line("cma_release: name=r pfn=0x1 count=-5")
                                        << QStringLiteral("t.trace:2: the count is not a number");
}

void TestTrace::badInput()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseCmaTrace(text, QStringLiteral("t.trace"), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    // Not a trace at all: a valid trace without events (the CLI says there are none).
    const auto empty = parseCmaTrace("hello\nworld\n", QStringLiteral("x"), &error);
    QVERIFY(empty && empty->events.empty());
}

void TestTrace::workloadMatchesFrees()
{
    const QByteArray text = line("cma_alloc_finish: name=reserved pfn=0x100 page=x count=16 align=4")
        + line("cma_release: name=reserved pfn=0x900 page=x count=8") // allocated before the trace
        + line("cma_alloc_busy_retry: name=reserved pfn=0x110 page=x count=32 align=5")
        + line("cma_alloc_finish: name=reserved pfn=0x120 page=x count=32 align=5 errorno=0")
        + line("cma_alloc_finish: name=reserved pfn=0x0 page=x count=4096 align=8 errorno=-12")
        + line("cma_alloc_finish: name=reserved pfn=0x0 page=x count=0 align=0 errorno=0")
        + line("cma_release: name=reserved pfn=0x100 page=x count=16");
    QString error;
    const auto t = parseCmaTrace(text, QStringLiteral("t"), &error);
    QVERIFY(t);
    const auto w = workloadFromTrace(*t, nullptr, 4096, QStringLiteral("t"), &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->allocations.size(), size_t(3));
    QCOMPARE(w->frees, 1);
    QCOMPARE(w->releasedUnknown, 1);
    QCOMPARE(w->busyRetries, 1);
    QCOMPARE(w->heldAtEnd, 1);
    QVERIFY(!w->allocations[2].pfn);
    QVERIFY(w->limits.join(QLatin1Char('\n')).contains(QLatin1String("before the trace began")));
    QVERIFY(w->limits.join(QLatin1Char('\n')).contains(QLatin1String("1 allocation(s) of 0 pages are left out")));
    const auto parsed = sim::parseWorkload(w->json, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->ops.size(), size_t(4));
    QCOMPARE(parsed->ops[0].size, uint64_t(16 * 4096));
    QCOMPARE(int(parsed->ops[0].alignOrder), 4);
    QCOMPARE(parsed->ops[3].kind, sim::Op::Free);
    QCOMPARE(parsed->ops[3].buffer, parsed->ops[0].buffer);
}

void TestTrace::areaDeviceFromTheTree()
{
    QTemporaryDir dir;
    const QString dts = test::writeFile(dir, QStringLiteral("b.dts"), R"(/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  memory@40000000 { device_type = "memory"; reg = <0x40000000 0x40000000>; };
  reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;
    other: other@50000000 { reg = <0x50000000 0x100000>; no-map; };
    cam: camera@60000000 { compatible = "shared-dma-pool"; reusable; reg = <0x60000000 0x1000000>; }; };
  isp { compatible = "x,isp"; memory-region = <&other &cam>; }; };
)");
    const LoadResult loaded = loadBoard(dts);
    QVERIFY(loaded.ok);
    const QByteArray text = line("cma_alloc_finish: name=camera@60000000 pfn=0x60000 page=x count=1 align=0");
    QString error;
    const auto t = parseCmaTrace(text, QStringLiteral("t"), &error);
    QVERIFY(t);
    const auto w = workloadFromTrace(*t, &loaded.doc.tree, 4096, QStringLiteral("t"), &error);
    QVERIFY2(w, qPrintable(error));
    QVERIFY2(w->json.contains("\"node\": \"/isp\"") && w->json.contains("\"memory_region\": 1"), w->json.constData());
    // Without a tree, or an area the tree does not have: say so.
    QVERIFY(!workloadFromTrace(*t, nullptr, 4096, QStringLiteral("t"), &error));
    QVERIFY2(error.contains(QLatin1String("give the board")), qPrintable(error));
    // A count no machine has room for.
    const auto huge
        = parseCmaTrace(line("cma_alloc_finish: name=reserved pfn=0x1 page=x count=12937797099734843392 align=0"),
            QStringLiteral("t"), &error);
    QVERIFY(huge);
    QVERIFY(!workloadFromTrace(*huge, nullptr, 4096, QStringLiteral("t"), &error));
    QVERIFY2(error.contains(QLatin1String("line 1: 12937797099734843392 pages")), qPrintable(error));
    // Releases alone make no workload (the simulator needs a device and a step).
    const auto releases
        = parseCmaTrace(line("cma_release: name=reserved pfn=0x900 page=x count=8"), QStringLiteral("t"), &error);
    QVERIFY(!workloadFromTrace(*releases, nullptr, 4096, QStringLiteral("t"), &error));
    QVERIFY2(error.contains(QLatin1String("only 1 release(s)")), qPrintable(error));
    // hugetlb_cma's area is the command line's, not the tree's: reached through cma_area, with
    // or without a tree; a name neither has is refused.
    const auto hugetlb = parseCmaTrace(
        line("cma_alloc_finish: name=hugetlb0 pfn=0x80000 page=x count=1 align=0"), QStringLiteral("t"), &error);
    for (const DeviceTree* tree : { &loaded.doc.tree, static_cast<const DeviceTree*>(nullptr) }) {
        const auto hw = workloadFromTrace(*hugetlb, tree, 4096, QStringLiteral("t"), &error);
        QVERIFY2(hw, qPrintable(error));
        QVERIFY2(hw->json.contains("\"cma_area\": \"hugetlb0\"") && hw->json.contains("\"node\": \"/\""),
            hw->json.constData());
        QVERIFY(hw->limits.join(QLatin1Char('\n')).contains(QLatin1String("alloc_contig_pages")));
    }
    const auto unknown = parseCmaTrace(
        line("cma_alloc_finish: name=hugetlbX pfn=0x80000 page=x count=1 align=0"), QStringLiteral("t"), &error);
    QVERIFY(!workloadFromTrace(*unknown, &loaded.doc.tree, 4096, QStringLiteral("t"), &error));
    QVERIFY2(error.contains(QLatin1String("neither a /reserved-memory node")), qPrintable(error));
}

void TestTrace::busyRetriesReplayBitExact()
{
    // A trace written by hand from mm/cma.c's loop (cma_range_alloc in 6.15 on, cma_alloc before):
    // on -EBUSY the bits are cleared and the search restarts at bitmap_no + mask + 1. Area
    // [0x80000000, 0x81000000): base pfn 0x80000, 4096 pages, order_per_bit 0.
    const QByteArray text
        = line("cma_alloc_finish: name=linux,cma@80000000 pfn=0x80000 page=x count=16 align=4 errorno=0")
        // bits 0-15 used; index 16 busy, then 32 (16 + 15 + 1) busy, then 48 given
        + line("cma_alloc_busy_retry: name=linux,cma@80000000 pfn=0x80010 page=x count=16 align=4")
        + line("cma_alloc_busy_retry: name=linux,cma@80000000 pfn=0x80020 page=x count=16 align=4")
        + line("cma_alloc_finish: name=linux,cma@80000000 pfn=0x80030 page=x count=16 align=4 errorno=0")
        // the pins are gone: 16 is free again
        + line("cma_alloc_finish: name=linux,cma@80000000 pfn=0x80010 page=x count=16 align=4 errorno=0")
        // mask 0: 32 busy, 33 busy (start 32 + 0 + 1), 34 given: pages 0x80022 on were not busy
        + line("cma_alloc_busy_retry: name=linux,cma@80000000 pfn=0x80020 page=x count=8 align=0")
        + line("cma_alloc_busy_retry: name=linux,cma@80000000 pfn=0x80021 page=x count=8 align=0")
        + line("cma_alloc_finish: name=linux,cma@80000000 pfn=0x80022 page=x count=8 align=0 errorno=0")
        // order 11: the only candidate (2048) busy, start 4096 finds none: -EBUSY
        + line("cma_alloc_busy_retry: name=linux,cma@80000000 pfn=0x80800 page=x count=2048 align=11")
        + line("cma_alloc_finish: name=linux,cma@80000000 pfn=0x80800 page=x count=2048 align=11 errorno=-16");
    QString error;
    const auto t = parseCmaTrace(text, QStringLiteral("t"), &error);
    QVERIFY2(t, qPrintable(error));
    QTemporaryDir dir;
    const QString dts = dir.filePath(QStringLiteral("b.dts"));
    QFile f(dts);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"(/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
  memory@80000000 { device_type = "memory"; reg = <0x0 0x80000000 0x0 0x40000000>; };
  reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
    linux,cma@80000000 { compatible = "shared-dma-pool"; reusable; reg = <0x0 0x80000000 0x0 0x1000000>;
      linux,cma-default; }; }; };
)");
    f.close();
    const LoadResult loaded = loadBoard(dts);
    QVERIFY(loaded.ok);
    const auto w = workloadFromTrace(*t, &loaded.doc.tree, 4096, QStringLiteral("t"), &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->busyRetries, 5);
    const auto parsed = sim::parseWorkload(w->json, &error);
    QVERIFY2(parsed, qPrintable(error));
    // The refused candidates without the pages finally given, busy for their allocation only.
    QCOMPARE(parsed->busy.size(), size_t(5));
    QCOMPARE(parsed->busy[0].base, uint64_t(0x80010000));
    QCOMPARE(parsed->busy[0].size, uint64_t(0x10000));
    QCOMPARE(parsed->busy[0].from, uint64_t(1));
    QCOMPARE(parsed->busy[0].to, uint64_t(2));
    QCOMPARE(parsed->busy[2].base, uint64_t(0x80020000));
    QCOMPARE(parsed->busy[2].size, uint64_t(0x2000)); // [0x80020, 0x80022): 0x80022 on was given
    QCOMPARE(parsed->busy[3].size, uint64_t(0x1000)); // [0x80021, 0x80022)
    QCOMPARE(parsed->busy[4].size, uint64_t(0x800000)); // failed: the whole candidate
    sim::Simulator simulator(*parsed, sim::SimOptions { 4, 8 });
    const sim::SimResult& r = simulator.update(loaded.doc, *analyse(loaded.doc, KernelProfile {}));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    compareWithTrace(*w, *parsed, r);
    QCOMPARE(r.busyRetries, uint64_t(5));
    QCOMPARE(r.ops[1].busyRetries, 2u);
    QCOMPARE(r.ops[3].busyRetries, 2u);
    QCOMPARE(r.ops[4].why, sim::AllocFailure::Busy);
    QCOMPARE(r.runs[0].busyFailures, 1u);
}

void TestTrace::realTracesReplayBitExact_data()
{
    QTest::addColumn<QString>("bundle");
    QTest::addColumn<qulonglong>("hugetlbMin"); ///< --min-size hugetlb0; 0: no hugetlb_cma area
    const QDir captures(test::sourceDir() + QStringLiteral("/tests/data/captures"));
    const QStringList bundles = captures.entryList({ QStringLiteral("*.trace.bundle") });
    QVERIFY2(bundles.size() >= 6, "the recorded traces (scripts/record-captures.sh) are in tests/data/captures");
    // The gigantic-page traces (6.1 and 6.12 ran the same nr_hugepages writes): the replay keeps
    // the pages hugetlb took elsewhere after a failed cma_alloc (the trace shows no release of
    // them), so at its peak, operation 34, the area holds five 1 GiB pages (three the kernel
    // failed, two live) and five 32 MiB ones the kernel failed: 5280 MiB, first fit without a
    // hole, which hugetlb_cma= rounds up to 6 GiB.
    for (const QString& b : bundles)
        QTest::newRow(qPrintable(b)) << captures.filePath(b)
                                     << (b.contains(QLatin1String(".hugetlb.")) ? 6ULL << 30 : 0ULL);
}

void TestTrace::realTracesReplayBitExact()
{
    QFETCH(QString, bundle);
    QFETCH(qulonglong, hugetlbMin);
    QString error;
    const auto c = capture::readCapture(bundle, &error);
    QVERIFY2(c, qPrintable(error));
    QVERIFY(!c->trace.isEmpty());
    const auto t = parseCmaTrace(c->trace, bundle, &error);
    QVERIFY2(t, qPrintable(error));
    // The tree the kernel received, as the recording kept it beside the bundle.
    const QString dts = QString(bundle).replace(QLatin1String(".bundle"), QLatin1String(".dts"));
    const LoadResult loaded = loadBoard(dts);
    QVERIFY2(loaded.ok, qPrintable(dts));
    const auto w = workloadFromTrace(*t, &loaded.doc.tree, c->pageSize.value_or(4096), QStringLiteral("t"), &error);
    QVERIFY2(w, qPrintable(error));
    QVERIFY2(!w->allocations.empty(), "the kernel allocated from CMA while the trace ran");
    const auto parsed = sim::parseWorkload(w->json, &error);
    QVERIFY2(parsed, qPrintable(error));
    QStringList notes;
    KernelProfile profile = capture::profileFromCapture(*c, KernelProfile {}, {}, &notes);
    AnalysisPtr analysis = analyse(loaded.doc, profile);
    // Where the model cannot predict the default CMA area's base (arm64 from 6.x: early
    // allocations the tree does not show come first), the replay takes it from the capture, as
    // cma=SIZE@BASE would fix it: the allocations inside the area must then match.
    const capture::CompareResult cmp = capture::compareCapture(loaded.doc, analysis, *c);
    for (const capture::KernelReservation& kr : cmp.kernelReservations) {
        if (kr.what == QLatin1String("default CMA area") && !kr.predictable && profile.cmdline) {
            QString cmdline = *profile.cmdline;
            static const QRegularExpression cma(QStringLiteral("\\bcma=(\\S+)"));
            const QString fixed = QStringLiteral("cma=%1@0x%2").arg(kr.range.size).arg(kr.range.base, 0, 16);
            QVERIFY2(cmdline.contains(cma), qPrintable(cmdline));
            cmdline.replace(cma, fixed);
            profile.cmdline = cmdline;
            analysis = analyse(loaded.doc, profile);
        }
    }
    sim::Simulator simulator(*parsed, sim::SimOptions { 1, 1 });
    const sim::SimResult& r = simulator.update(loaded.doc, *analysis);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    compareWithTrace(*w, *parsed, r);
    int hugetlb = -1;
    for (size_t p = 0; p < r.pools.size(); ++p) {
        if (r.pools[p].cmdlineArea)
            hugetlb = int(p);
    }
    QCOMPARE(hugetlb >= 0, hugetlbMin != 0);
    if (hugetlb < 0)
        return;
    const sim::SimPool& pool = r.pools[size_t(hugetlb)];
    QCOMPARE(pool.path, QStringLiteral("hugetlb0"));
    QCOMPARE(pool.base, uint64_t(0x100000000)); // "cma: Reserved 2048 MiB at 0x0000000100000000"
    QCOMPARE(pool.size, uint64_t(2) << 30);
    QCOMPARE(pool.orderPerBit, 9u);
    QCOMPARE(r.runs[size_t(hugetlb)].failures, 8u);
    // Sizes count bitmap bits of 512 pages: the second 1 GiB page failed with one 1 GiB page and
    // four 32 MiB ones held from the base, so the largest free block was the 896 MiB above them;
    // at most both 1 GiB pages were held at once.
    QCOMPARE(r.runs[size_t(hugetlb)].peakUsed, uint64_t(2) << 30);
    for (size_t i = 0; i < r.ops.size(); ++i) {
        if (r.ops[i].pool == hugetlb && r.ops[i].outcome == sim::OpOutcome::Failed) {
            QCOMPARE(r.ops[i].bytes, uint64_t(896) << 20);
            break;
        }
    }
    const sim::MinSizeResult m = simulator.minSize(hugetlb);
    QVERIFY2(m.error.isEmpty(), qPrintable(m.error));
    QCOMPARE(m.step, uint64_t(1) << 30);
    QCOMPARE(qulonglong(m.minimum), hugetlbMin);
    QCOMPARE(m.smaller, hugetlbMin - m.step);
    // At 5 GiB the five 1 GiB pages fill the area at operation 29: the first 32 MiB page fails.
    QCOMPARE(m.smallerFirstFailure, int64_t(30));
}

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
