// SPDX-License-Identifier: GPL-2.0-only
// The capture readers (core/capture) on every real capture of tests/data/captures, with facts
// taken from the files themselves and their README, and on bad input: each gives a correct
// answer or one clear sentence, never a crash.

#include "capturetestutil.h"

// core
#include "capture/capture.h"

// libfdt
#include <libfdt.h>

// Qt
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// std
#include <functional>

using namespace carveout::capture;

Q_DECLARE_METATYPE(carveout::capture::CaptureKind)

class TestCaptureReaders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realFiles_data();
    void realFiles();
    void plainLogMatchesBundle_data();
    void plainLogMatchesBundle();
    void plainIomemMatchesBundle_data();
    void plainIomemMatchesBundle();
    void fdtMatchesIomemAndMemblock_data();
    void fdtMatchesIomemAndMemblock();
    void memblockColumns();
    void debugfsCmaSample();
    void consoleLogs();
    void logForms_data();
    void logForms();
    void twoBoots_data();
    void twoBoots();
    void logOfAnotherBoard();
    void badInput_data();
    void badInput();
    void bundleFraming();
    void truncatedBundle_data();
    void truncatedBundle();
    void escapingRoundTrip();
    void deviceTreeListing();
    void configGz();
    void hugeLog();
    void tooLarge();
};

using namespace carveout::capture::test;

void TestCaptureReaders::realFiles_data()
{
    QTest::addColumn<QString>("name");
    const QStringList files
        = QDir(capturesDir())
              .entryList({ QStringLiteral("*.bundle"), QStringLiteral("*.log"), QStringLiteral("*.iomem") },
                  QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 30);
    for (const QString& f : files)
        QTest::addRow("%s", qPrintable(f)) << f;
}

void TestCaptureReaders::realFiles()
{
    QFETCH(QString, name);
    const Capture c = mustRead(capturePath(name));
    const bool sample = name.startsWith(QLatin1String("debugfs-cma"));
    const bool memblock = name.contains(QLatin1String(".memblock."));
    const bool arm64 = name.contains(QLatin1String(".arm64-"));
    QCOMPARE(c.file, capturePath(name));
    if (name.endsWith(QLatin1String(".iomem"))) {
        QCOMPARE(c.kind, CaptureKind::Iomem);
        QVERIFY(c.hasIomem);
        QVERIFY(!c.iomemHidden);
        QVERIFY(!c.iomem.empty());
        QVERIFY(!c.log.present);
        QVERIFY2(c.readerNotes.isEmpty(), qPrintable(c.readerNotes.join(QLatin1Char('\n'))));
        QCOMPARE(captureKindName(c.kind), QStringLiteral("iomem"));
        return;
    }
    QCOMPARE(c.kernelRelease, releaseFor(name));
    if (!sample) {
        QVERIFY(c.log.present);
        QCOMPARE(c.log.boots, 1);
        // README: arm64 .memblock bundles (not the console log) start at early_pgtable_alloc.
        const bool truncated = arm64 && memblock && name.endsWith(QLatin1String(".bundle"));
        QCOMPARE(c.log.truncatedStart, truncated);
        QCOMPARE(c.log.memblockDebug, memblock);
        QVERIFY(c.log.lines.size() > 150); // a whole boot (armhf's shortest, 10-cmdline-cma-override: 199 lines)
        if (truncated) {
            // Where the wrapped buffer starts: amid paging_init's page-table allocations (the
            // allocation line, or the reservation that ends the one before it).
            const QString first = c.log.lines.front().text;
            QVERIFY2((first.startsWith(QLatin1String("memblock_phys_alloc_range:"))
                         && first.endsWith(QLatin1String("early_pgtable_alloc+0x2c/0xb0")))
                    || (first.startsWith(QLatin1String("memblock_reserve:"))
                        && c.log.lines.at(1).text.endsWith(QLatin1String("early_pgtable_alloc+0x2c/0xb0"))),
                qPrintable(first));
            QVERIFY(c.log.linuxVersion.isEmpty());
            QCOMPARE(c.readerNotes.size(), 1);
            QVERIFY(c.readerNotes[0].contains(QLatin1String("starts after the beginning of the boot")));
            QVERIFY(c.readerNotes[0].contains(QLatin1String("earlycon")));
            QVERIFY(c.readerNotes[0].contains(QLatin1String("log_buf_len=")));
        } else {
            QCOMPARE(c.log.linuxVersion, releaseFor(name));
            QVERIFY(c.log.lines.front().text.startsWith(QLatin1String("Booting Linux on physical CPU")));
            QVERIFY2(c.readerNotes.isEmpty(), qPrintable(c.readerNotes.join(QLatin1Char('\n'))));
            QVERIFY(c.cmdline);
            QCOMPARE(*c.cmdline, c.log.commandLine);
        }
        // Timestamps of a dmesg: seconds since boot, first line at 0.
        QCOMPARE(c.log.lines.front().time.value_or(-1), 0.0);
        for (const auto& l : c.log.lines) {
            QVERIFY(l.time);
            QVERIFY(!l.text.startsWith(QLatin1Char('[')));
        }
    }
    if (name.endsWith(QLatin1String(".log"))) {
        QCOMPARE(c.kind, CaptureKind::Log);
        QCOMPARE(c.log.source, QStringLiteral("log"));
        QCOMPARE(c.log.lines.front().fileLine, 1);
        return;
    }
    QCOMPARE(c.kind, CaptureKind::Bundle);
    QCOMPARE(c.formatVersion, 1);
    QVERIFY(!c.truncated);
    QCOMPARE(c.meta.at(QStringLiteral("capture_version")),
        sample ? QStringLiteral("hand-written-sample") : QStringLiteral("1.0.0"));
    QCOMPARE(c.machine, name.contains(QLatin1String("armhf")) ? QStringLiteral("armv7l") : QStringLiteral("aarch64"));
    QCOMPARE(c.pageSize.value_or(0), uint64_t(4096));
    QVERIFY(c.kconfig.empty());
    QVERIFY(c.unknownSections.isEmpty());
    QVERIFY(!c.fdtFromListing);
    if (sample) {
        QVERIFY(!c.log.present);
        QVERIFY(c.fdt.isEmpty());
        QCOMPARE(c.bundleNotes.size(), 2);
        return;
    }
    QCOMPARE(c.log.source, QStringLiteral("dmesg"));
    QVERIFY(c.hasIomem && c.hasMemblock);
    QVERIFY(!c.memblockMemory.empty() && !c.memblockReserved.empty());
    QVERIFY(c.meminfo.startsWith(QLatin1String("MemTotal:")));
    QVERIFY(c.cma.empty());
    // README: every bundle's notes say debugfs/cma, sysfs/cma and config.gz are absent.
    QCOMPARE(c.bundleNotes.size(), 3);
    for (const char* what : { "debugfs/cma: ", "sysfs/cma: ", "config.gz: " })
        QVERIFY(c.bundleNotes.filter(QLatin1String(what)).size() == 1);
    QVERIFY(!c.fdt.isEmpty());
    QCOMPARE(fdt_check_full(c.fdt.constData(), size_t(c.fdt.size())), 0);
    // Every fileLine points at its line in the bundle.
    const QList<QByteArray> lines = readAll(capturePath(name)).split('\n');
    for (const auto& l : c.log.lines)
        QVERIFY(lines[l.fileLine - 1].endsWith(l.text.toUtf8()));
    for (const auto& e : c.iomem)
        QVERIFY(lines[e.fileLine - 1].endsWith(QByteArray(" : " + e.name.toUtf8())));
    for (const auto& e : c.memblockReserved)
        QVERIFY(lines[e.fileLine - 1].contains(QByteArray::number(qulonglong(e.base), 16)));
}

/** One row per capture file ending in `suffix` that has a bundle beside it: its stem. */
static void addStems(const QString& suffix)
{
    QTest::addColumn<QString>("stem");
    for (const QString& f : QDir(capturesDir()).entryList({ QLatin1Char('*') + suffix }, QDir::Files))
        QTest::addRow("%s", qPrintable(f)) << f.chopped(int(suffix.size()));
}

void TestCaptureReaders::plainLogMatchesBundle_data()
{
    addStems(QStringLiteral(".dmesg.log"));
}

void TestCaptureReaders::plainLogMatchesBundle()
{
    QFETCH(QString, stem);
    const Capture log = mustRead(capturePath(stem + QStringLiteral(".dmesg.log")));
    const Capture bundle = mustRead(capturePath(stem + QStringLiteral(".bundle")));
    int header = 0;
    sectionLines(readAll(capturePath(stem + QStringLiteral(".bundle"))), "dmesg", &header);
    QCOMPARE(log.log.lines.size(), bundle.log.lines.size());
    for (size_t i = 0; i < log.log.lines.size(); ++i) {
        QCOMPARE(log.log.lines[i].text, bundle.log.lines[i].text);
        QCOMPARE(log.log.lines[i].time, bundle.log.lines[i].time);
        QCOMPARE(log.log.lines[i].fileLine + header, bundle.log.lines[i].fileLine);
    }
    QCOMPARE(log.log.commandLine, bundle.log.commandLine);
    QCOMPARE(log.log.truncatedStart, bundle.log.truncatedStart);
    QCOMPARE(log.log.memblockDebug, bundle.log.memblockDebug);
    QCOMPARE(log.kernelRelease, bundle.kernelRelease);
    QCOMPARE(log.cmdline, bundle.cmdline); // the log's "Kernel command line:" is /proc/cmdline
}

void TestCaptureReaders::plainIomemMatchesBundle_data()
{
    addStems(QStringLiteral(".iomem"));
}

void TestCaptureReaders::plainIomemMatchesBundle()
{
    QFETCH(QString, stem);
    const Capture iomem = mustRead(capturePath(stem + QStringLiteral(".iomem")));
    const Capture bundle = mustRead(capturePath(stem + QStringLiteral(".bundle")));
    int header = 0;
    const QList<QByteArray> raw
        = sectionLines(readAll(capturePath(stem + QStringLiteral(".bundle"))), "iomem", &header);
    QCOMPARE(iomem.iomem.size(), bundle.iomem.size());
    QCOMPARE(iomem.iomem.size(), size_t(raw.size()));
    for (size_t i = 0; i < iomem.iomem.size(); ++i) {
        const IomemEntry &a = iomem.iomem[i], &b = bundle.iomem[i];
        QCOMPARE(a.start, b.start);
        QCOMPARE(a.end, b.end);
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.depth, b.depth);
        QCOMPARE(a.fileLine + header, b.fileLine);
        // Against the text itself: "START-END : NAME" indented by two spaces per level.
        static const QRegularExpression re(QStringLiteral("^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$"));
        const auto m = re.match(QString::fromUtf8(raw[int(i)]));
        QVERIFY(m.hasMatch());
        QCOMPARE(int(m.capturedLength(1)) / 2, a.depth);
        QCOMPARE(m.captured(2).toULongLong(nullptr, 16), a.start);
        QCOMPARE(m.captured(3).toULongLong(nullptr, 16), a.end);
        QCOMPARE(m.captured(4), a.name);
    }
}

void TestCaptureReaders::fdtMatchesIomemAndMemblock_data()
{
    QTest::addColumn<QString>("name");
    for (const QString& f : QDir(capturesDir()).entryList({ QStringLiteral("*.bundle") }, QDir::Files)) {
        if (!f.startsWith(QLatin1String("debugfs-cma")))
            QTest::addRow("%s", qPrintable(f)) << f;
    }
}

void TestCaptureReaders::fdtMatchesIomemAndMemblock()
{
    QFETCH(QString, name);
    const Capture c = mustRead(capturePath(name));
    const std::vector<Range> memory = memoryRanges(c.fdt);
    QCOMPARE(memory.size(), size_t(1)); // QEMU's virt: one /memory, replaced by -m
    const uint64_t base = memory[0].base, end = memory[0].base + memory[0].size;
    // README: -m 2048 (planted-ram-differs: -m 1536; the imx9x-evk sample: -m 4096; the hugetlb
    // traces: -m 6144).
    const uint64_t mb = name.startsWith(QLatin1String("planted-ram-differs")) ? 1536
        : name.startsWith(QLatin1String("28-sample-imx9x-evk"))               ? 4096
        : name.contains(QLatin1String(".hugetlb."))                           ? 6144
                                                                              : 2048;
    QCOMPARE(memory[0].size, mb << 20);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (const auto& e : c.iomem) {
        if (e.depth == 0 && e.name == QLatin1String("System RAM")) {
            lo = std::min(lo, e.start);
            hi = std::max(hi, e.end + 1);
            QVERIFY(e.start >= base && e.end < end);
        }
    }
    QCOMPARE(lo, base);
    QCOMPARE(hi, end);
    // memblock.memory covers the RAM exactly (no-map parts included, flagged on 6.x).
    uint64_t at = base;
    for (const auto& m : c.memblockMemory) {
        QCOMPARE(m.base, at);
        at += m.size;
    }
    QCOMPARE(at, end);
    for (const auto& r : c.memblockReserved)
        QVERIFY(r.base >= base && r.base + r.size <= end);
}

void TestCaptureReaders::memblockColumns()
{
    // 6.12 prints the node and the flags; 6.1 and armhf print the range only (32-bit addresses on armhf).
    const Capture k612 = mustRead(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.bundle")));
    QCOMPARE(k612.memblockMemory.size(), size_t(3));
    QCOMPARE(k612.memblockMemory[1].base, uint64_t(0xbeddd000));
    QCOMPARE(k612.memblockMemory[1].size, uint64_t(0xbeedcfff - 0xbeddd000 + 1));
    QCOMPARE(k612.memblockMemory[1].node, 0);
    QCOMPARE(k612.memblockMemory[1].flags, QStringLiteral("NOMAP"));
    QCOMPARE(k612.memblockMemory[0].flags, QStringLiteral("NONE"));
    const Capture k61 = mustRead(capturePath(QStringLiteral("05-dynamic-align.arm64-6.1.memblock.bundle")));
    QCOMPARE(k61.memblockReserved.size(), size_t(18));
    QCOMPARE(k61.memblockReserved[1].base, uint64_t(0x48200000));
    QCOMPARE(k61.memblockReserved[1].size, uint64_t(0x8b9c));
    QCOMPARE(k61.memblockReserved[1].node, -1);
    QVERIFY(k61.memblockReserved[1].flags.isEmpty());
    const Capture armhf = mustRead(capturePath(QStringLiteral("02-cma-misaligned.armhf-6.1.bundle")));
    QCOMPARE(armhf.memblockReserved[0].base, uint64_t(0x40204000));
    QCOMPARE(armhf.memblockReserved[0].size, uint64_t(0x4000));
}

void TestCaptureReaders::debugfsCmaSample()
{
    // README: cma0 4 MiB at 0x60000000 (pfn 393216), 40 pages used, maxchunk 984; reserved 16 MiB
    // at 0xbf000000 (pfn 782336), empty, 2 failed allocations.
    const Capture c = mustRead(capturePath(QStringLiteral("debugfs-cma.sample.bundle")));
    QCOMPARE(c.cma.size(), size_t(2));
    const CmaAreaCapture &a = c.cma[0], &b = c.cma[1];
    QCOMPARE(a.name, QStringLiteral("cma0"));
    QCOMPARE(a.basePfn.value_or(0) * 4096, uint64_t(0x60000000));
    QCOMPARE(a.count.value_or(0) * 4096, uint64_t(4) << 20);
    QCOMPARE(a.orderPerBit.value_or(9), uint64_t(0));
    QCOMPARE(a.used.value_or(0), uint64_t(40));
    QCOMPARE(a.maxchunk.value_or(0), uint64_t(984));
    QCOMPARE(a.sysfs.at(QStringLiteral("alloc_pages_success")), QStringLiteral("40"));
    QCOMPARE(a.sysfs.size(), size_t(3));
    QCOMPARE(b.name, QStringLiteral("reserved"));
    QCOMPARE(b.basePfn.value_or(0) * 4096, uint64_t(0xbf000000));
    QCOMPARE(b.count.value_or(0) * 4096, uint64_t(16) << 20);
    QCOMPARE(b.used.value_or(9), uint64_t(0));
    QCOMPARE(b.maxchunk.value_or(0), uint64_t(4096));
    QCOMPARE(b.sysfs.at(QStringLiteral("alloc_pages_fail")), QStringLiteral("2"));
    QCOMPARE(*c.cmdline, QStringLiteral("console=ttyAMA0 loglevel=8"));
    QCOMPARE(c.meta.at(QStringLiteral("kernel_log_source")), QStringLiteral("none"));
    QVERIFY(!c.hasIomem && !c.hasMemblock);
}

void TestCaptureReaders::consoleLogs()
{
    // The memblock console log holds what the bundle's dmesg lost: from "Booting Linux" on.
    const Capture console = mustRead(capturePath(QStringLiteral("05-dynamic-align.arm64-6.1.memblock.console.log")));
    const Capture bundle = mustRead(capturePath(QStringLiteral("05-dynamic-align.arm64-6.1.memblock.bundle")));
    QVERIFY(!console.log.truncatedStart && bundle.log.truncatedStart);
    QVERIFY(console.log.memblockDebug);
    QCOMPARE(console.log.commandLine,
        QStringLiteral("console=ttyAMA0 earlycon=pl011,0x9000000 loglevel=8 memblock=debug panic=-1"));
    const QStringList all = texts(console.log);
    QVERIFY(all.filter(QLatin1String("OF: reserved mem: initialized node dyn-cma")).size() == 1);
    QVERIFY(texts(bundle.log).filter(QLatin1String("OF: reserved mem:")).isEmpty());
    // The bundle's dmesg is the end of the same boot: its lines follow each other in the console log.
    const QStringList head = texts(bundle.log).mid(0, 50);
    qsizetype at = -1;
    for (qsizetype i = 0; i + head.size() <= all.size() && at < 0; ++i) {
        if (all.mid(i, head.size()) == head)
            at = i;
    }
    QVERIFY(at > 0);
    QCOMPARE(console.log.lines[size_t(at)].time, bundle.log.lines.front().time);
    const Capture cma = mustRead(capturePath(QStringLiteral("10-cmdline-cma-override.arm64-6.1.console.log")));
    QVERIFY(cma.log.commandLine.endsWith(QLatin1String(" cma=32M")));
    QCOMPARE(cma.kernelRelease, QStringLiteral("6.1.0-57-arm64"));
    QVERIFY(texts(cma.log).contains(QStringLiteral("cma: Reserved 32 MiB at 0x00000000bba00000")));
}

void TestCaptureReaders::logForms_data()
{
    // Every form a kernel log reaches users in, made from a real dmesg: the reader must give
    // the same messages (and timestamps where the form keeps them).
    using F = std::function<QByteArray(const QByteArray&)>;
    QTest::addColumn<F>("form");
    QTest::addColumn<bool>("keepsTime");
    QTest::addColumn<QString>("source");
    QTest::addRow("dmesg") << F([](const QByteArray& l) -> QByteArray { return l; }) << true << QStringLiteral("log");
    QTest::addRow("\\r\\n") << F([](const QByteArray& l) -> QByteArray { return l + '\r'; }) << true
                            << QStringLiteral("log");
    QTest::addRow("<6> level") << F([](const QByteArray& l) -> QByteArray { return "<6>" + l; }) << true
                               << QStringLiteral("log");
    QTest::addRow("no timestamps") << F([](const QByteArray& l) -> QByteArray { return splitStamp(l).second; }) << false
                                   << QStringLiteral("log");
    QTest::addRow("journalctl -o short-monotonic") << F([](const QByteArray& l) -> QByteArray {
        return splitStamp(l).first + " carveout-guest kernel: " + splitStamp(l).second;
    }) << true << QStringLiteral("journal");
    QTest::addRow("journalctl -o short") << F([](const QByteArray& l) -> QByteArray {
        return "Dec 02 20:24:08 carveout-guest kernel: " + splitStamp(l).second;
    }) << false << QStringLiteral("journal");
    QTest::addRow("journalctl -o short-iso") << F([](const QByteArray& l) -> QByteArray {
        return "2026-12-02T20:24:08+0000 guest kernel: " + splitStamp(l).second;
    }) << false << QStringLiteral("journal");
    QTest::addRow("syslog kern.log") << F([](const QByteArray& l) -> QByteArray {
        return "Dec  2 20:24:08 guest kernel: " + l;
    }) << true << QStringLiteral("journal");
    QTest::addRow("dmesg -T") << F([](const QByteArray& l) -> QByteArray {
        return "[Wed Dec  2 20:24:08 2026] " + splitStamp(l).second;
    }) << false << QStringLiteral("log");
    QTest::addRow("serial console with ANSI colours")
        << F([](const QByteArray& l) -> QByteArray { return "\x1b[0m\r" + l + '\r'; }) << true << QStringLiteral("log");
}

void TestCaptureReaders::logForms()
{
    using F = std::function<QByteArray(const QByteArray&)>;
    QFETCH(F, form);
    QFETCH(bool, keepsTime);
    QFETCH(QString, source);
    const QString name = QStringLiteral("17-alloc-fail.arm64-6.1.dmesg.log");
    const Capture ref = mustRead(capturePath(name));
    const Capture c = mustParse(rewrite(readAll(capturePath(name)), form), name);
    QCOMPARE(c.kind, CaptureKind::Log);
    QCOMPARE(texts(c.log), texts(ref.log));
    QCOMPARE(c.log.boots, 1);
    QVERIFY(!c.log.truncatedStart);
    QCOMPARE(c.kernelRelease, ref.kernelRelease);
    QCOMPARE(c.log.commandLine, ref.log.commandLine);
    QCOMPARE(c.log.source, source);
    QVERIFY(c.readerNotes.isEmpty());
    for (size_t i = 0; i < c.log.lines.size(); ++i)
        QCOMPARE(c.log.lines[i].time, keepsTime ? ref.log.lines[i].time : std::nullopt);
}

void TestCaptureReaders::twoBoots_data()
{
    QTest::addColumn<QByteArray>("between");
    QTest::addColumn<int>("cutFromSecond"); ///< lines removed from the second boot's start
    QTest::addColumn<bool>("truncated");
    QTest::addRow("concatenated") << QByteArray() << 0 << false;
    QTest::addRow("console with bootloader lines between")
        << QByteArray("\r\nU-Boot 2023.01 (Jan 01 2023)\nDRAM:  2 GiB\nStarting kernel ...\n\n") << 0 << false;
    QTest::addRow("journal boot marker") << QByteArray("-- Boot 3f2a9c0e4b1d4c7a8e6f5d2c1b0a9f8e --\n") << 0 << false;
    QTest::addRow("second boot's start lost: the clock falls back to 0") << QByteArray() << 2 << true;
}

void TestCaptureReaders::twoBoots()
{
    QFETCH(QByteArray, between);
    QFETCH(int, cutFromSecond);
    QFETCH(bool, truncated);
    const QByteArray first = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.1.dmesg.log")));
    QList<QByteArray> secondLines
        = readAll(capturePath(QStringLiteral("planted-ram-differs.arm64-6.12.dmesg.log"))).split('\n');
    secondLines.erase(secondLines.begin(), secondLines.begin() + cutFromSecond);
    const QByteArray second = secondLines.join('\n');
    const QByteArray both = first + between + second;
    const Capture c = mustParse(both, QStringLiteral("two.log"));
    const Capture ref = mustParse(second, QStringLiteral("second.log"));
    QCOMPARE(c.log.boots, 2);
    QCOMPARE(c.log.truncatedStart, truncated);
    const int offset = int(first.count('\n') + between.count('\n'));
    QCOMPARE(texts(c.log).mid(c.log.lines.size() - ref.log.lines.size()), texts(ref.log));
    QCOMPARE(c.log.lines.back().fileLine, ref.log.lines.back().fileLine + offset);
    QCOMPARE(c.kernelRelease, truncated ? QString() : QStringLiteral("6.12.118+deb12-arm64"));
    // The boot starts at its first line: "Booting Linux", or the journal's "-- Boot ID --" before it.
    const int from = between.startsWith("-- Boot") ? int(first.count('\n')) + 1 : offset + 1;
    const QString note = QStringLiteral("two.log holds 2 boots; the last one (from line %1) is used").arg(from);
    QVERIFY2(c.readerNotes.contains(note), qPrintable(c.readerNotes.join(QLatin1Char('\n'))));
    QCOMPARE(c.readerNotes.size(), truncated ? 2 : 1);
    // Nothing of the first boot is kept.
    QVERIFY(texts(c.log).filter(QLatin1String("6.1.0-57-arm64")).isEmpty());
}

void TestCaptureReaders::logOfAnotherBoard()
{
    // The oracle's recorded lines of other cases (no timestamps, the reserved-memory lines only):
    // read as such, the start of the boot missing.
    const QString dir = QStringLiteral(CARVEOUT_SHARED_DIR "/oracle/cases/expected");
    const QStringList cases = QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files);
    if (cases.isEmpty())
        QSKIP("no ../shared/oracle");
    int read = 0;
    for (const QString& name : cases) {
        QFile f(dir + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray log;
        int lines = 0;
        for (const QJsonValue& v :
            QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("raw_lines")).toArray()) {
            log += v.toString().toUtf8() + '\n';
            ++lines;
        }
        if (lines == 0)
            continue;
        QString error;
        const auto c = parseCapture(log, name, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->kind, CaptureKind::Log);
        QCOMPARE(int(c->log.lines.size()), lines);
        // memblock_dbg lines start with their function's name.
        static const QRegularExpression debugLine(
            QStringLiteral("^memblock_[a-z_]+: "), QRegularExpression::MultilineOption);
        QCOMPARE(c->log.memblockDebug, QString::fromUtf8(log).contains(debugLine));
        ++read;
    }
    QVERIFY(read > 50);
}

void TestCaptureReaders::badInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error"); ///< empty: must be read
    const QByteArray bundle = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.bundle")));
    const QByteArray log = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.dmesg.log")));
    const QByteArray iomem = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.iomem")));
    QByteArray junk(65536, '\0');
    QRandomGenerator rng(14);
    for (char& ch : junk)
        ch = char(rng.bounded(256));
    const QString notCapture
        = QStringLiteral("bad: not a capture: no kernel log lines, no /proc/iomem lines and no "
                         "bundle header; give a bundle written by carveout-capture, a kernel "
                         "log (dmesg, journalctl -k, a serial console log) or a copy of /proc/iomem");
    QTest::addRow("newer format version")
        << QByteArray(bundle).replace("carveout-capture-bundle 1\n", "carveout-capture-bundle 3\n")
        << QStringLiteral("bad: bundle format version 3 is newer than this Carveout reads (1); update Carveout");
    QTest::addRow("format version 0") << QByteArray(bundle).replace(
        "carveout-capture-bundle 1\n", "carveout-capture-bundle 0\n")
                                      << QStringLiteral("bad:1: damaged bundle header 'carveout-capture-bundle 0': the "
                                                        "first line of a bundle is 'carveout-capture-bundle 1'");
    QTest::addRow("format version junk") << QByteArray("carveout-capture-bundle one\n@@@ end\n")
                                         << QStringLiteral(
                                                "bad:1: damaged bundle header 'carveout-capture-bundle one': the first "
                                                "line of a bundle is 'carveout-capture-bundle 1'");
    QTest::addRow("empty file") << QByteArray()
                                << QStringLiteral("bad: the file is empty: not a capture; give a bundle written by "
                                                  "carveout-capture, a kernel log or a copy of /proc/iomem");
    QTest::addRow("blank lines") << QByteArray("\n \r\n\t\n")
                                 << QStringLiteral("bad: the file is empty: not a capture; give a bundle written by "
                                                   "carveout-capture, a kernel log or a copy of /proc/iomem");
    QTest::addRow("binary junk") << junk << notCapture;
    QTest::addRow("a text that is no capture")
        << readAll(QStringLiteral(CARVEOUT_SOURCE_DIR "/README.md")) << notCapture;
    QTest::addRow("a DTB") << QByteArray::fromBase64(sectionLines(bundle, "fdt").join())
                           << QStringLiteral(
                                  "bad: this is a device tree blob, not a capture; open it as the board, and give the "
                                  "capture (a bundle, a kernel log or /proc/iomem) with --capture");
    QTest::addRow("gzip") << QByteArray("\x1f\x8b\x08\x00", 4) + junk.left(100)
                          << QStringLiteral("bad: the file is gzip-compressed; decompress it first (gunzip)");
    int fdtHeader = 0;
    sectionLines(bundle, "fdt", &fdtHeader);
    QTest::addRow("invalid base64")
        << QByteArray(bundle).replace(
               "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
               "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*A\n")
        << QStringLiteral(
               "bad:%1: section 'fdt': invalid base64; the bundle is damaged: capture again (or remove that section)")
               .arg(fdtHeader + 1
                   + sectionLines(bundle, "fdt")
                         .indexOf("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    QTest::addRow("base64 cut mid-quad")
        << replaceSection(bundle, "@@@ section fdt encoding=base64", "@@@ section fdt encoding=base64", "0A3+7QAAi5w\n")
        << QStringLiteral(
               "bad:%1: section 'fdt': invalid base64; the bundle is damaged: capture again (or remove that section)")
               .arg(fdtHeader + 1);
    // Correct answers: non-UTF-8 bytes, mixed files, a log inside junk.
    QTest::addRow("non-UTF-8 bytes in a log")
        << QByteArray(log).replace("Machine model: linux,dummy-virt", "Machine model: \xff\xfe\xe9t\xe9 \xc3")
        << QString();
    QTest::addRow("iomem with log junk") << iomem + log.left(300) << QString();
    QTest::addRow("log with iomem junk") << log + iomem << QString();
    QTest::addRow("log after binary junk") << junk.left(2000) + '\n' + log << QString();
    QTest::addRow("NUL bytes in a log") << QByteArray(log).replace("Machine model:", QByteArray("Machine\0model:", 14))
                                        << QString();
}

void TestCaptureReaders::badInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QString got;
    const auto c = parseCapture(bytes, QStringLiteral("bad"), &got);
    if (!error.isEmpty()) {
        QVERIFY(!c);
        QCOMPARE(got, error);
        return;
    }
    QVERIFY2(c, qPrintable(got));
    QVERIFY(got.isEmpty());
    const QByteArray tag = QTest::currentDataTag();
    if (tag.startsWith("iomem")) {
        // The iomem file's lines, then the first lines of the log (the last one cut).
        const QByteArray iomem = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.iomem")));
        const QByteArray log = readAll(capturePath(QStringLiteral("05-dynamic-align.arm64-6.12.dmesg.log")));
        QCOMPARE(c->kind, CaptureKind::Iomem);
        QCOMPARE(c->iomem.size(), size_t(iomem.count('\n')));
        QCOMPARE(c->readerNotes,
            QStringList {
                QStringLiteral("bad: %1 line(s) not in the form of /proc/iomem ignored (the first at line %2)")
                    .arg(lineCount(log.left(300)))
                    .arg(iomem.count('\n') + 1) });
        return;
    }
    QCOMPARE(c->kind, CaptureKind::Log);
    QCOMPARE(c->kernelRelease, QStringLiteral("6.12.118+deb12-arm64"));
    QVERIFY(texts(c->log).contains(
        QStringLiteral("Kernel command line: console=ttyAMA0 earlycon=pl011,0x9000000 loglevel=8 panic=-1")));
    if (tag.startsWith("non-UTF-8")) {
        const QStringList model = texts(c->log).filter(QLatin1String("Machine model: "));
        QCOMPARE(model.size(), 1);
        QVERIFY(model[0].contains(QChar(0xfffd)));
        QVERIFY(!c->log.truncatedStart);
    }
    if (tag.startsWith("log after"))
        QCOMPARE(c->log.boots, 1); // junk before the boot is not a boot
}

void TestCaptureReaders::bundleFraming()
{
    const QByteArray bundle = readAll(capturePath(QStringLiteral("12-memreserve.arm64-6.12.bundle")));
    const Capture ref = mustParse(bundle, QStringLiteral("ref"));
    // \r\n throughout (copied off a serial console): the same capture.
    const Capture crlf = mustParse(QByteArray(bundle).replace("\n", "\r\n"), QStringLiteral("ref"));
    QCOMPARE(texts(crlf.log), texts(ref.log));
    QCOMPARE(crlf.fdt, ref.fdt);
    QCOMPARE(crlf.iomem.size(), ref.iomem.size());
    QCOMPARE(crlf.meta, ref.meta);
    QCOMPARE(crlf.cmdline, ref.cmdline);
    QCOMPARE(crlf.meminfo, ref.meminfo);
    QVERIFY(!ref.meminfo.contains(QLatin1Char('\r')) && ref.meminfo.endsWith(QLatin1String(" kB\n")));
    QVERIFY(crlf.readerNotes.isEmpty());
    // Unknown section, unknown encoding, repeated section, an unknown header attribute.
    QByteArray odd = bundle;
    odd.replace("@@@ section notes\n",
        "@@@ section ftrace-raw\nsched_switch: x\n@@@ section future/thing\n1\n"
        "@@@ section dmesg\n[    0.000000] Booting Linux on physical CPU 9\n"
        "@@@ section config.gz encoding=zstd\nKLUv/QBY\n@@@ section notes\n");
    odd.replace("@@@ section iomem\n", "@@@ section iomem compression=none\n");
    const Capture c = mustParse(odd, QStringLiteral("odd"));
    QCOMPARE(c.unknownSections, (QStringList { QStringLiteral("ftrace-raw"), QStringLiteral("future/thing") }));
    QCOMPARE(texts(c.log), texts(ref.log));
    QCOMPARE(c.iomem.size(), ref.iomem.size());
    QVERIFY(c.kconfig.empty());
    QCOMPARE(c.readerNotes.size(), 2);
    QVERIFY(c.readerNotes[0].contains(QLatin1String("section 'dmesg' appears again (first at line ")));
    QVERIFY(c.readerNotes[0].endsWith(QLatin1String("); the first one is used")));
    QVERIFY(c.readerNotes[1].endsWith(QLatin1String(": section 'config.gz' has unknown encoding 'zstd'; skipped")));
    // Lines after @@@ end are ignored, with a note.
    const Capture after = mustParse(bundle + "trailing junk\n", QStringLiteral("after"));
    QCOMPARE(after.readerNotes.size(), 1);
    QVERIFY(after.readerNotes[0].contains(QLatin1String("1 line(s) after '@@@ end'")));
    // A hidden /proc/iomem (read as non-root) is said.
    QByteArray hidden = bundle;
    hidden = replaceSection(hidden, "@@@ section iomem", "@@@ section iomem",
        "00000000-00000000 : System RAM\n  00000000-00000000 : Kernel code\n");
    const Capture h = mustParse(hidden, QStringLiteral("hidden"));
    QVERIFY(h.hasIomem && h.iomemHidden);
    QCOMPARE(h.readerNotes.size(), 1);
    QVERIFY(h.readerNotes[0].contains(QLatin1String("every /proc/iomem address is 0")));
}

void TestCaptureReaders::truncatedBundle_data()
{
    QTest::addColumn<QByteArray>("cutBefore"); ///< the bundle is cut in the middle of the section after this header
    QTest::addColumn<QString>("cutSection");
    QTest::addRow("in the fdt") << QByteArray("@@@ section fdt encoding=base64") << QStringLiteral("fdt");
    QTest::addRow("in the dmesg") << QByteArray("@@@ section dmesg") << QStringLiteral("dmesg");
    QTest::addRow("in the notes") << QByteArray("@@@ section notes") << QStringLiteral("notes");
}

void TestCaptureReaders::truncatedBundle()
{
    QFETCH(QByteArray, cutBefore);
    QFETCH(QString, cutSection);
    const QByteArray bundle = readAll(capturePath(QStringLiteral("planted-extra-region.arm64-6.12.bundle")));
    const qsizetype header = bundle.indexOf(QByteArray(cutBefore + '\n'));
    const qsizetype next = bundle.indexOf("\n@@@ ", header + 1);
    const QByteArray cut = bundle.left((header + next) / 2 + 7); // mid-line
    const Capture c = mustParse(cut, QStringLiteral("cut"));
    QVERIFY(c.truncated);
    QCOMPARE(c.readerNotes.size(), 1);
    QVERIFY2(c.readerNotes[0].startsWith(
                 QStringLiteral("cut is truncated: it ends at line %1 without the final '@@@ end'; "
                                "the complete sections before the cut are used; section '%2' (from line ")
                     .arg(lineCount(cut))
                     .arg(cutSection)),
        qPrintable(c.readerNotes[0]));
    const Capture full = mustParse(bundle, QStringLiteral("full"));
    QCOMPARE(c.fdt.isEmpty(), cutSection != QLatin1String("notes"));
    QCOMPARE(c.log.present, cutSection != QLatin1String("dmesg"));
    QCOMPARE(c.meta, full.meta);
    QCOMPARE(c.cmdline, full.cmdline);
    QVERIFY(c.bundleNotes.isEmpty());
}

void TestCaptureReaders::escapingRoundTrip()
{
    // Content that looks like framing, escaped by the script's own escape() and read back.
    const QByteArray content = "@@@ section fake\n@@@@ four\n@@@end\n@@ two\n@@@@@@ six\n@@@\nplain\n";
    const QByteArray escaped = runScriptFunction("escape", {}, content);
    QCOMPARE(escaped, QByteArray("@@@@ section fake\n@@@@@ four\n@@@end\n@@ two\n@@@@@@@ six\n@@@\nplain\n"));
    const QByteArray bundle = readAll(capturePath(QStringLiteral("20-adjacent-dynamic.arm64-6.12.bundle")));
    const Capture c
        = mustParse(replaceSection(bundle, "@@@ section notes", "@@@ section notes", escaped), QStringLiteral("esc"));
    QCOMPARE(c.bundleNotes.join(QLatin1Char('\n')) + QLatin1Char('\n'), QString::fromUtf8(content));
    QVERIFY(c.readerNotes.isEmpty());
    QVERIFY(!c.truncated);
}

void TestCaptureReaders::deviceTreeListing()
{
    // The fdt of a real bundle laid out as /proc/device-tree (a folder per node, a file per
    // property), listed by the script's own dt_listing, and rebuilt by the reader: the same tree.
    const QString name = QStringLiteral("12-memreserve.arm64-6.12.bundle");
    const QByteArray bundle = readAll(capturePath(name));
    const Capture ref = mustParse(bundle, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const void* fdt = ref.fdt.constData();
    std::function<void(int, const QString&)> lay = [&](int node, const QString& path) {
        QVERIFY(QDir().mkpath(path));
        int off = 0;
        fdt_for_each_property_offset(off, fdt, node)
        {
            const char* prop = nullptr;
            int len = 0;
            const void* v = fdt_getprop_by_offset(fdt, off, &prop, &len);
            QFile f(path + QLatin1Char('/') + QString::fromUtf8(prop));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(static_cast<const char*>(v), len);
        }
        int child = 0;
        fdt_for_each_subnode(child, fdt, node)
        {
            lay(child, path + QLatin1Char('/') + QString::fromUtf8(fdt_get_name(fdt, child, nullptr)));
        }
    };
    const QString root = dir.filePath(QStringLiteral("device-tree"));
    lay(0, root);
    const QByteArray listing = runScriptFunction("dt_listing", { root });
    QVERIFY(listing.startsWith("/\n/#address-cells 00000002\n"));
    QVERIFY(listing.contains("\n/reserved-memory/ranges\n"));
    const QByteArray withListing
        = replaceSection(bundle, "@@@ section fdt encoding=base64", "@@@ section device-tree", listing);
    const Capture c = mustParse(withListing, name);
    QVERIFY(c.fdtFromListing);
    QCOMPARE(fdt_check_full(c.fdt.constData(), size_t(c.fdt.size())), 0);
    // The same tree, sorted by dtc; the /memreserve/ entries are only in the fdt section.
    auto dts = [&](const QByteArray& blob) {
        const QString path = dir.filePath(QStringLiteral("t.dtb"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(blob);
        f.close();
        QProcess dtc;
        dtc.start(QStringLiteral(CARVEOUT_DTC_PATH),
            { QStringLiteral("-q"), QStringLiteral("-s"), QStringLiteral("-I"), QStringLiteral("dtb"),
                QStringLiteral("-O"), QStringLiteral("dts"), path });
        dtc.waitForFinished();
        QStringList lines = QString::fromUtf8(dtc.readAllStandardOutput()).split(QLatin1Char('\n'));
        lines.removeIf([](const QString& l) { return l.startsWith(QLatin1String("/memreserve/")); });
        return lines;
    };
    const QStringList expect = dts(ref.fdt);
    QVERIFY(expect.size() > 100);
    QCOMPARE(dts(c.fdt), expect);
    QVERIFY(QString::fromUtf8(fdt_get_name(ref.fdt.constData(), 0, nullptr)).isEmpty());
    // Old kernels' synthesized `name` properties are left out; a damaged line is a sentence.
    const QByteArray named = QByteArray(listing).replace(
        "/memory@40000000/device_type", "/memory@40000000/name 6d656d6f727900\n/memory@40000000/device_type");
    QCOMPARE(
        dts(mustParse(replaceSection(bundle, "@@@ section fdt encoding=base64", "@@@ section device-tree", named), name)
                .fdt),
        expect);
    QString error;
    int header = 0;
    sectionLines(withListing, "device-tree", &header);
    QVERIFY(!parseCapture(
        QByteArray(withListing).replace("/#address-cells 00000002", "/#address-cells 0000002"), name, &error));
    QCOMPARE(error,
        QStringLiteral("%1:%2: section 'device-tree': a property value that is not an even number of hex "
                       "digits ('/#address-cells 0000002'); a listing line is 'PATH/' for a node or "
                       "'PATH/PROP HEX' for a property")
            .arg(name)
            .arg(header + 2));
}

void TestCaptureReaders::configGz()
{
    // Debian's kernels have no /proc/config.gz; the oracle's cache holds their real config.
    const QString config = QDir::homePath() + QStringLiteral("/.cache/kernel-oracle/kernels/arm64-6.12/config");
    if (!QFile::exists(config))
        QSKIP("no ~/.cache/kernel-oracle/kernels/arm64-6.12/config (../shared/oracle/setup-kernel)");
    QProcess gz;
    gz.start(QStringLiteral("sh"),
        { QStringLiteral("-c"), QStringLiteral("gzip -9n < \"$1\" | base64"), QStringLiteral("sh"), config });
    QVERIFY(gz.waitForFinished() && gz.exitCode() == 0);
    const QByteArray b64 = gz.readAllStandardOutput();
    const QByteArray bundle = readAll(capturePath(QStringLiteral("06-alloc-ranges.arm64-6.12.bundle")));
    const QByteArray with = QByteArray(bundle).replace(
        "@@@ section notes\n", QByteArray("@@@ section config.gz encoding=base64\n" + b64 + "@@@ section notes\n"));
    const Capture c = mustParse(with, QStringLiteral("config"));
    // Against the plain file: every "CONFIG_X=v" and "# CONFIG_X is not set".
    int symbols = 0;
    for (const QByteArray& line : readAll(config).split('\n')) {
        if (line.startsWith("CONFIG_")) {
            const qsizetype eq = line.indexOf('=');
            QCOMPARE(c.kconfig.at(QString::fromUtf8(line.left(eq))), QString::fromUtf8(line.mid(eq + 1)));
            ++symbols;
        } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
            QCOMPARE(c.kconfig.at(QString::fromUtf8(line.mid(2, line.size() - 13))), QStringLiteral("n"));
            ++symbols;
        }
    }
    QCOMPARE(int(c.kconfig.size()), symbols);
    QCOMPARE(c.kconfig.at(QStringLiteral("CONFIG_CMA")), QStringLiteral("y"));
    QVERIFY(c.readerNotes.isEmpty());
    // Damaged gzip: the configuration is unknown, said once; the rest is read.
    QByteArray broken = QByteArray::fromBase64(b64);
    broken.truncate(broken.size() / 2);
    const Capture d = mustParse(
        QByteArray(bundle).replace("@@@ section notes\n",
            QByteArray("@@@ section config.gz encoding=base64\n" + broken.toBase64() + "\n@@@ section notes\n")),
        QStringLiteral("d"));
    QVERIFY(d.kconfig.empty());
    QCOMPARE(d.readerNotes.size(), 1);
    QVERIFY(d.readerNotes[0].contains(QLatin1String("section 'config.gz': the gzip data is cut short")));
    QVERIFY(d.log.present && !d.fdt.isEmpty());
}

void TestCaptureReaders::hugeLog()
{
    // 70 MiB of real logs, one boot after another (written in pieces, so the test itself holds
    // little), the last boot a known one: the answer is that boot, and memory stays bounded.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("huge.log"));
    QStringList logs;
    for (const QString& f : QDir(capturesDir()).entryList({ QStringLiteral("*.log") }, QDir::Files))
        logs << capturePath(f);
    qint64 size = 0;
    int boots = 0;
    {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        for (int i = 0; size < (qint64(70) << 20); ++i, ++boots) {
            const QByteArray piece = readAll(logs[i % logs.size()]);
            out.write(piece);
            size += piece.size();
        }
        const QByteArray last = readAll(capturePath(QStringLiteral("planted-ram-differs.arm64-6.12.dmesg.log")));
        out.write(last);
        size += last.size();
        ++boots;
    }
    const long before = maxRssKiB();
    const Capture c = mustRead(path);
    const long grownKiB = maxRssKiB() - before;
    const Capture ref = mustRead(capturePath(QStringLiteral("planted-ram-differs.arm64-6.12.dmesg.log")));
    QCOMPARE(c.log.boots, boots);
    QCOMPARE(texts(c.log), texts(ref.log));
    QCOMPARE(c.kernelRelease, ref.kernelRelease);
    QVERIFY(!c.log.truncatedStart);
    QCOMPARE(c.readerNotes.size(), 1);
    QVERIFY(c.readerNotes[0].contains(QStringLiteral("holds %1 boots").arg(boots)));
    // The file is mapped (up to 1x, the page cache's), one boot is kept: well under 2x. ASan's
    // quarantine keeps freed memory (up to 256 MiB) resident, so it gets that much more.
#ifdef CARVEOUT_SANITIZE
    const long slackKiB = 300 * 1024;
#else
    const long slackKiB = 0;
#endif
    qInfo("70 MiB log: %d boots, max RSS grew by %ld MiB", boots, grownKiB / 1024);
    QVERIFY2(grownKiB < size / 1024 * 2 + slackKiB, qPrintable(QStringLiteral("%1 KiB").arg(grownKiB)));
}

void TestCaptureReaders::tooLarge()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.log"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(qint64(257) << 20)); // sparse: nothing is written or read
    f.close();
    QString error;
    QVERIFY(!readCapture(path, &error));
    QCOMPARE(error,
        path
            + QStringLiteral(": 257 MiB is more than the 256 MiB this reader takes; a capture is a bundle "
                             "(well under 1 MiB), one boot's kernel log or /proc/iomem: cut the file to "
                             "the boot you mean"));
    QVERIFY(!readCapture(dir.path(), &error));
    QCOMPARE(error, dir.path() + QStringLiteral(": is a folder; give the capture file itself"));
    QVERIFY(!readCapture(dir.filePath(QStringLiteral("missing")), &error));
    QVERIFY(error.startsWith(dir.filePath(QStringLiteral("missing")) + QStringLiteral(": cannot read the capture: ")));
}

QTEST_GUILESS_MAIN(TestCaptureReaders)
#include "tst_capturereaders.moc"
