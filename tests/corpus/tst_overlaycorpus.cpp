// SPDX-License-Identifier: GPL-2.0-only
// Every overlay of shared/corpus (268 .dtso) applied to its base, compared byte for byte with
// fdtoverlay (Debian's device-tree-compiler) given the same base.dtb and overlay.dtbo.
//
// The corpus is the devicetree-rebasing layout, without the kernel's per-vendor Makefiles that
// name each composite (`NAME-dtbs := BASE.dtb OVERLAY.dtbo`). The base is taken from the
// composites read in the kernel's Makefiles (kKnownBases: the overlays that touch reserved
// memory and those whose name does not lead to a board), else found the way those Makefiles
// name them: the boards of the overlay's folder that share the most leading dash-separated parts
// of its name, tried in that order (at most six; the SoC part counts when four characters agree)
// until libfdt applies it. Every one of the 268 applies to a base and is compared.

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

/// The composites of the kernel's per-vendor Makefiles (`NAME-dtbs := BASE.dtb OVERLAY.dtbo`,
/// read in torvalds/linux arch/arm64/boot/dts/*/Makefile and the patches that added them), for
/// the overlays whose name does not lead to their base: the two corpus overlays that add
/// /reserved-memory children, and the 14 the name rule below found no base for (shared overlays
/// named for a family, a connector or an option, not for a board). Each overlay's bases are
/// tried in order; the first that libfdt applies it to is compared.
const std::map<QString, QStringList> kKnownBases = [] {
    const auto s = [](const char* f) -> QString { return QStringLiteral("src/arm64/") + QLatin1String(f); };
    return std::map<QString, QStringList> {
        { s("freescale/imx8mm-phycore-no-spiflash.dtso"), { s("freescale/imx8mm-phyboard-polis-rdk.dts") } },
        { s("freescale/imx8mm-phycore-rpmsg.dtso"), { s("freescale/imx8mm-phyboard-polis-rdk.dts") } },
        { s("freescale/imx93-phycore-rpmsg.dtso"), { s("freescale/imx93-phyboard-nash.dts") } },
        // amlogic: meson-g12b-a311d-khadas-vim3-ts050-dtbs, meson-sm1-khadas-vim3l-ts050-dtbs
        { s("amlogic/meson-khadas-vim3-ts050.dtso"),
            { s("amlogic/meson-g12b-a311d-khadas-vim3.dts"), s("amlogic/meson-sm1-khadas-vim3l.dts") } },
        // freescale: imx8mm-evk-pcie-ep-dtbs, imx95-19x19-evk-pcie{0,1}-ep-dtbs, imx943-evk-pcie{0,1}-ep-dtbs
        { s("freescale/imx-pcie0-ep.dtso"), { s("freescale/imx8mm-evk.dts"), s("freescale/imx95-19x19-evk.dts") } },
        { s("freescale/imx-pcie1-ep.dtso"), { s("freescale/imx95-19x19-evk.dts"), s("freescale/imx943-evk.dts") } },
        // qcom: x1e80100-qcp-el2-dtbs, hamoa-iot-evk-el2-dtbs
        { s("qcom/x1-el2.dtso"), { s("qcom/x1e80100-qcp.dts"), s("qcom/hamoa-iot-evk.dts") } },
        // renesas: r8a77990-ebisu-panel-aa104xd12-dtbs, r8a77995-draak-panel-aa104xd12-dtbs,
        // r8a779m1/m5-salvator-xs-panel-aa104xd12-dtbs, r9a09g056n48-rzv2n-evk-cn15-*-dtbs,
        // r8a779g2-white-hawk-single-ard-audio-da7212-dtbs
        { s("renesas/draak-ebisu-panel-aa104xd12.dtso"),
            { s("renesas/r8a77990-ebisu.dts"), s("renesas/r8a77995-draak.dts") } },
        { s("renesas/salvator-panel-aa104xd12.dtso"),
            { s("renesas/r8a779m1-salvator-xs.dts"), s("renesas/r8a779m5-salvator-xs.dts") } },
        { s("renesas/rzv2-evk-cn15-emmc.dtso"), { s("renesas/r9a09g056n48-rzv2n-evk.dts") } },
        { s("renesas/rzv2-evk-cn15-sd.dtso"), { s("renesas/r9a09g056n48-rzv2n-evk.dts") } },
        { s("renesas/white-hawk-ard-audio-da7212.dtso"), { s("renesas/r8a779g2-white-hawk-single.dts") } },
        // ti: k3-am642-tqma64xxl-mbax4xxl-{sdcard,wlan}-dtbs, k3-am625-phyboard-lyra-*-dtbs
        { s("ti/k3-am64-tqma64xxl-mbax4xxl-sdcard.dtso"), { s("ti/k3-am642-tqma64xxl-mbax4xxl.dts") } },
        { s("ti/k3-am64-tqma64xxl-mbax4xxl-wlan.dtso"), { s("ti/k3-am642-tqma64xxl-mbax4xxl.dts") } },
        { s("ti/k3-am6xx-phycore-disable-rtc.dtso"), { s("ti/k3-am625-phyboard-lyra-rdk.dts") } },
        { s("ti/k3-am6xx-phycore-disable-spi-nor.dtso"), { s("ti/k3-am625-phyboard-lyra-rdk.dts") } },
        { s("ti/k3-am6xx-phycore-qspi-nor.dtso"), { s("ti/k3-am625-phyboard-lyra-rdk.dts") } },
    };
}();

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
        return it->second;
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
    // Every corpus overlay compiles with dtc 1.6.1 and applies to a base of its Makefile (or of
    // its name): none is left out of the comparison.
    QVERIFY2(failedToCompile.isEmpty(), qPrintable(failedToCompile.join(QStringLiteral(", "))));
    QVERIFY2(unapplied.isEmpty(), qPrintable(unapplied.join(QStringLiteral(", "))));
    QCOMPARE(applied.size(), overlays.size());
}

void TestOverlayCorpus::reservedMemoryOverlays()
{
    if (!test::haveCorpus())
        QSKIP("no shared corpus");
    const QString corpus = test::corpusDir();
    for (const auto& [overlay, bases] : kKnownBases) {
        if (!overlay.contains(QLatin1String("rpmsg")))
            continue;
        const QString& base = bases.front();
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
