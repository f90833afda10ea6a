// SPDX-License-Identifier: GPL-2.0-only
// Every overlay of shared/corpus (268 .dtso) applied to its base, compared byte for byte with
// fdtoverlay (Debian's device-tree-compiler) given the same base.dtb and overlay.dtbo.
//
// The corpus is the devicetree-rebasing layout, without the kernel's per-vendor Makefiles that
// name each composite (`NAME-dtbs := BASE.dtb OVERLAY.dtbo`). The base is taken from the two
// composites read in the kernel's Makefile (the overlays that touch reserved memory), else found
// the way those Makefiles name them: the boards of the overlay's folder that share the most
// leading dash-separated parts of its name, tried in that order (at most six; the SoC part counts when four characters
// agree) until libfdt applies it. What applies nowhere is counted and listed, not compared.

// core
#include "model/layout.h"
#include "source/dtbloader.h"
#include "source/loader.h"
#include "source/overlay.h"

// tests
#include "../testutils.h"

// Qt
#include <QDirIterator>
#include <QElapsedTimer>
#include <QMutex>
#include <QTest>

// std
#include <atomic>
#include <map>
#include <thread>

using namespace carveout;

class TestOverlayCorpus : public QObject
{
    Q_OBJECT
private slots:
    void everyOverlayMatchesFdtoverlay();
    void reservedMemoryOverlays();
};

namespace {

/// From arch/arm64/boot/dts/freescale/Makefile (torvalds/linux): the composites of the two
/// corpus overlays that add /reserved-memory children, and one whose name does not lead to it.
const std::map<QString, QString> kKnownBases {
    { QStringLiteral("src/arm64/freescale/imx8mm-phycore-no-spiflash.dtso"),
        QStringLiteral("src/arm64/freescale/imx8mm-phyboard-polis-rdk.dts") },
    { QStringLiteral("src/arm64/freescale/imx8mm-phycore-rpmsg.dtso"),
        QStringLiteral("src/arm64/freescale/imx8mm-phyboard-polis-rdk.dts") },
    { QStringLiteral("src/arm64/freescale/imx93-phycore-rpmsg.dtso"),
        QStringLiteral("src/arm64/freescale/imx93-phyboard-nash.dts") },
};

/** Leading name parts in common; the first (the SoC) also counts when it shares 4 characters, since
 *  an overlay for a family (stm32mp15xx-, imx6qdl-) serves boards of one of its SoCs. */
int commonParts(const QStringList& a, const QStringList& b)
{
    if (a.isEmpty() || b.isEmpty())
        return 0;
    int same = 0;
    while (same < a.at(0).size() && same < b.at(0).size() && a.at(0).at(same) == b.at(0).at(same))
        ++same;
    if (same < 4 && a.at(0) != b.at(0))
        return 0;
    int n = 1;
    while (n < a.size() && n < b.size() && a.at(n) == b.at(n))
        ++n;
    return n;
}

/** The candidate bases of an overlay (relative to the corpus), best first. */
QStringList candidates(const QString& corpus, const QString& overlay)
{
    if (const auto it = kKnownBases.find(overlay); it != kKnownBases.end())
        return { it->second };
    const QFileInfo fi(corpus + QLatin1Char('/') + overlay);
    const QStringList parts = fi.completeBaseName().split(QLatin1Char('-'));
    std::vector<std::pair<int, QString>> scored;
    const QStringList boards = fi.dir().entryList({ QStringLiteral("*.dts") }, QDir::Files);
    for (const auto& b : boards) {
        const int score = commonParts(parts, QFileInfo(b).completeBaseName().split(QLatin1Char('-')));
        if (score > 0)
            scored.emplace_back(score, b);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second.size() < y.second.size();
    });
    QStringList out;
    const QString dir = QFileInfo(overlay).path();
    for (size_t i = 0; i < scored.size() && out.size() < 6; ++i)
        out << dir + QLatin1Char('/') + scored[i].second;
    return out;
}

LoadOptions symbolOptions()
{
    LoadOptions o;
    o.symbols = true;
    return o;
}

QByteArray readAll(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

void TestOverlayCorpus::everyOverlayMatchesFdtoverlay()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    const QString corpus = test::corpusDir();
    QStringList overlays;
    QDirIterator it(
        corpus + QStringLiteral("/src"), { QStringLiteral("*.dtso") }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        overlays << QDir(corpus).relativeFilePath(it.next());
    overlays.sort();
    QCOMPARE(overlays.size(), 268);

    if (QStandardPaths::findExecutable(QStringLiteral("fdtoverlay")).isEmpty())
        QFAIL("fdtoverlay is needed (Debian package device-tree-compiler, scripts/install-deps.sh)");
    QTemporaryDir tmp;
    QMutex lock;
    std::map<QString, QByteArray> bases; // compiled bases (empty: does not compile)
    QStringList applied, unapplied, mismatched, failedToCompile;
    std::atomic<int> next { 0 };
    QElapsedTimer timer;
    timer.start();

    const auto baseBlob = [&](const QString& base) {
        {
            QMutexLocker l(&lock);
            if (const auto b = bases.find(base); b != bases.end())
                return b->second;
        }
        QByteArray blob;
        Diagnostics errors;
        if (!compileToDtb(corpus + QLatin1Char('/') + base, symbolOptions(), &blob, &errors))
            blob.clear();
        QMutexLocker l(&lock);
        bases[base] = blob;
        return blob;
    };
    const auto work = [&] {
        for (int i = next++; i < overlays.size(); i = next++) {
            const QString& ov = overlays.at(i);
            QByteArray ovBlob;
            Diagnostics errors;
            if (!compileToDtb(corpus + QLatin1Char('/') + ov, symbolOptions(), &ovBlob, &errors)) {
                QMutexLocker l(&lock);
                failedToCompile << ov;
                continue;
            }
            bool done = false;
            for (const auto& base : candidates(corpus, ov)) {
                const QByteArray b = baseBlob(base);
                QByteArray ours;
                if (b.isEmpty() || applyOverlayBlob(b, ovBlob, &ours) != 0)
                    continue;
                // fdtoverlay on the same two files.
                const QString stem = tmp.filePath(QString::number(i));
                {
                    QFile f(stem + QStringLiteral(".base.dtb"));
                    f.open(QIODevice::WriteOnly);
                    f.write(b);
                    QFile g(stem + QStringLiteral(".dtbo"));
                    g.open(QIODevice::WriteOnly);
                    g.write(ovBlob);
                }
                QProcess p;
                p.start(QStringLiteral("fdtoverlay"),
                    { QStringLiteral("-i"), stem + QStringLiteral(".base.dtb"), QStringLiteral("-o"),
                        stem + QStringLiteral(".out.dtb"), stem + QStringLiteral(".dtbo") });
                p.waitForFinished(60000);
                const QByteArray theirs = readAll(stem + QStringLiteral(".out.dtb"));
                QMutexLocker l(&lock);
                (theirs == ours ? applied : mismatched) << ov + QStringLiteral(" on ") + base;
                done = true;
                break;
            }
            if (!done) {
                QMutexLocker l(&lock);
                unapplied << ov;
            }
        }
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    applied.sort();
    unapplied.sort();
    qInfo("%lld overlays applied to their base and equal to fdtoverlay's output, %lld apply to no base found, "
          "%lld do not compile with dtc 1.6.1 (%lld ms)",
        qlonglong(applied.size()), qlonglong(unapplied.size()), qlonglong(failedToCompile.size()),
        qlonglong(timer.elapsed()));
    for (const auto& u : unapplied)
        qInfo("  no base: %s", qPrintable(u));
    for (const auto& f : failedToCompile)
        qInfo("  does not compile: %s", qPrintable(f));
    QVERIFY2(mismatched.isEmpty(), qPrintable(mismatched.join(QStringLiteral(", "))));
    // Most corpus overlays find their base by name; the count guards against a regression that
    // would quietly compare nothing.
    QVERIFY2(applied.size() >= 250, qPrintable(QString::number(applied.size())));
}

void TestOverlayCorpus::reservedMemoryOverlays()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    const QString corpus = test::corpusDir();
    for (const auto& [overlay, base] : kKnownBases) {
        if (!overlay.contains(QLatin1String("rpmsg")))
            continue;
        LoadOptions o;
        o.overlays.append({ corpus + QLatin1Char('/') + overlay, false });
        const LoadResult r = loadBoard(corpus + QLatin1Char('/') + base, o);
        QVERIFY2(r.ok, qPrintable(r.errors.isEmpty() ? QString() : r.errors.first().toString()));
        const Layout L = buildLayout(r.doc);
        int fromOverlay = 0;
        for (const auto& region : L.regions) {
            if (region.overlay != 0)
                continue;
            ++fromOverlay;
            // Each value names the overlay's own line.
            QVERIFY2(region.source.file.endsWith(QFileInfo(overlay).fileName()), qPrintable(region.source.file));
            QVERIFY(region.source.line > 0);
            QVERIFY(region.propertySources.at(QStringLiteral("reg")).file.endsWith(QLatin1String(".dtso")));
        }
        QVERIFY2(fromOverlay >= 4, qPrintable(QString::number(fromOverlay)));
        // The applied tree is the one read from the applied blob.
        DeviceTree fromBlob;
        QString error;
        QVERIFY(readDtb(r.doc.overlaidDtb, fromBlob, &error));
        QCOMPARE(fromBlob.nodeCount(), r.doc.tree.nodeCount());
    }
}

QTEST_GUILESS_MAIN(TestOverlayCorpus)
#include "tst_overlaycorpus.moc"
