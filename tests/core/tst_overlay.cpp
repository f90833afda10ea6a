// SPDX-License-Identifier: GPL-2.0-only
// Overlays (issue 18 item 3): the samples' stack applied over samples/overlays/ovl-base.dts with
// the real cpp, dtc -@ and libfdt; the result against fdtoverlay's; where each value comes from;
// the run-time rule; the errors of bad overlays; a .dtb base and .dtbo overlays.

// core
#include "analysis/analysis.h"
#include "edit/editdocument.h"
#include "edit/patcher.h"
#include "edit/verify.h"
#include "kernel/profileoptions.h"
#include "source/dtbloader.h"
#include "source/loader.h"
#include "source/overlay.h"

// tests
#include "../testutils.h"

// Qt
#include <QTest>

using namespace carveout;

class TestOverlay : public QObject
{
    Q_OBJECT
private slots:
    void stackMatchesFdtoverlay();
    void valuesRememberTheirOverlay();
    void runtimeOverlayNeverReserves();
    void badOverlaysSaySo_data();
    void badOverlaysSaySo();
    void blobsInAndOut();
    void editPatchesTheOverlay();
};

namespace {

QString sample(const QString& name)
{
    return test::samplesDir() + QStringLiteral("/overlays/") + name;
}

LoadResult loadStack(const QList<OverlayRequest>& overlays)
{
    LoadOptions o;
    o.overlays = overlays;
    return loadBoard(sample(QStringLiteral("ovl-base.dts")), o);
}

const QList<OverlayRequest> kBootStack { { sample(QStringLiteral("ovl-camera.dtso")), false },
    { sample(QStringLiteral("ovl-dsp-grow.dtso")), false } };

/** dtc -@ of a sample into DIR/NAME (the kernel's cpp flags first). */
QString compileWithSymbols(const QTemporaryDir& dir, const QString& source, const QString& name)
{
    LoadOptions o;
    o.symbols = true;
    QByteArray blob;
    Diagnostics errors;
    if (!compileToDtb(source, o, &blob, &errors))
        return {};
    return test::writeFile(dir, name, blob);
}

AnalysisPtr analysed(const LoadedTree& t)
{
    KernelProfile p;
    const QString e = resolveProfile({}, &t, &p);
    if (!e.isEmpty())
        qFatal("%s", qPrintable(e));
    return analyse(t, p);
}

int regionAt(const Layout& L, const QString& path)
{
    for (int i = 0; i < int(L.regions.size()); ++i) {
        if (L.regions[size_t(i)].path == path)
            return i;
    }
    return -1;
}

} // namespace

void TestOverlay::stackMatchesFdtoverlay()
{
    const LoadResult r = loadStack(kBootStack);
    QVERIFY2(r.ok, qPrintable(r.errors.isEmpty() ? QString() : r.errors.first().toString()));
    QTemporaryDir dir;
    const QString base = compileWithSymbols(dir, sample(QStringLiteral("ovl-base.dts")), QStringLiteral("base.dtb"));
    const QString a = compileWithSymbols(dir, kBootStack.at(0).file, QStringLiteral("a.dtbo"));
    const QString b = compileWithSymbols(dir, kBootStack.at(1).file, QStringLiteral("b.dtbo"));
    QVERIFY(!base.isEmpty() && !a.isEmpty() && !b.isEmpty());
    QProcess p;
    p.start(QStringLiteral("fdtoverlay"),
        { QStringLiteral("-i"), base, QStringLiteral("-o"), dir.filePath(QStringLiteral("out.dtb")), a, b });
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QFile out(dir.filePath(QStringLiteral("out.dtb")));
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(r.doc.overlaidDtb, out.readAll());
    // The model is the tree of that blob.
    DeviceTree fromBlob;
    QString error;
    QVERIFY(readDtb(r.doc.overlaidDtb, fromBlob, &error));
    QCOMPARE(fromBlob.nodeCount(), r.doc.tree.nodeCount());
    QCOMPARE(r.doc.tree.overlays().size(), 2);
}

void TestOverlay::valuesRememberTheirOverlay()
{
    const LoadResult r = loadStack(kBootStack);
    QVERIFY(r.ok);
    const DeviceTree& t = r.doc.tree;
    // Added by the first overlay, with its own lines.
    const int cma = t.findPath(QStringLiteral("/reserved-memory/camera-cma@98000000"));
    QVERIFY(cma > 0);
    QCOMPARE(t.node(cma).overlay, 0);
    QCOMPARE(t.node(cma).labels, QList<QByteArray> { "camera_cma" });
    const DtProperty* reg = t.node(cma).property("reg");
    QCOMPARE(reg->overlay, 0);
    QVERIFY(t.fileName(reg->span).endsWith(QLatin1String("ovl-camera.dtso")));
    QCOMPARE(reg->span.line, 10);
    // A base node whose reg the second overlay changed: the node is the base's, reg the overlay's.
    const int dsp = t.findPath(QStringLiteral("/reserved-memory/dsp@90000000"));
    QCOMPARE(t.node(dsp).overlay, -1);
    QVERIFY(t.fileName(t.node(dsp).spans.front()).endsWith(QLatin1String("ovl-base.dts")));
    QCOMPARE(t.node(dsp).property("reg")->overlay, 1);
    QCOMPARE(t.node(dsp).property("reg")->span.line, 7);
    QCOMPARE(t.node(dsp).property("no-map")->overlay, -1);
    // The ISP switched on by the first overlay, its other values the base's.
    const int isp = t.findPath(QStringLiteral("/soc/isp@32000000"));
    QCOMPARE(t.node(isp).property("status")->overlay, 0);
    QCOMPARE(t.node(isp).property("compatible")->overlay, -1);
    // The analysis works on the result: the CMA pool is active and bound.
    const AnalysisPtr a = analysed(r.doc);
    const int i = regionAt(a->layout, QStringLiteral("/reserved-memory/camera-cma@98000000"));
    QVERIFY(i >= 0);
    QCOMPARE(a->layout.regions[size_t(i)].overlay, 0);
    QCOMPARE(a->regionBoot(i).outcome, Outcome::Active);
    QVERIFY(a->layout.regions[size_t(regionAt(a->layout, QStringLiteral("/reserved-memory/dsp@90000000")))]
                .propertySources.at(QStringLiteral("reg"))
                .file.endsWith(QLatin1String("ovl-dsp-grow.dtso")));
}

void TestOverlay::runtimeOverlayNeverReserves()
{
    const QString rt = sample(QStringLiteral("ovl-runtime-rmem.dtso"));
    const QString path = QStringLiteral("/reserved-memory/rproc@a0000000");
    for (const bool runtime : { false, true }) {
        const LoadResult r = loadStack({ { rt, runtime } });
        QVERIFY(r.ok);
        const AnalysisPtr a = analysed(r.doc);
        const int i = regionAt(a->layout, path);
        QVERIFY(i >= 0);
        int findings = 0;
        for (const auto& f : a->check.findings)
            findings += f.rule == QLatin1String("overlay_runtime_rmem");
        QCOMPARE(findings, runtime ? 1 : 0);
        QCOMPARE(a->regionBoot(i).outcome, runtime ? Outcome::Ignored : Outcome::Active);
    }
}

void TestOverlay::badOverlaysSaySo_data()
{
    QTest::addColumn<QString>("overlay");
    QTest::addColumn<QString>("expected");
    const QString data = test::sourceDir() + QStringLiteral("/tests/data/overlay/");
    QTest::newRow("target missing") << data + QStringLiteral("bad-target.dtso")
                                    << QStringLiteral(
                                           "targets the path '/soc/gpu@40000000', which the base does not have "
                                           "(libfdt's fdt_overlay_apply failed with FDT_ERR_NOTFOUND)");
    QTest::newRow("unknown label") << data + QStringLiteral("bad-label.dtso")
                                   << QStringLiteral(
                                          "refers to the label 'video_cma' (/fragment@0/__overlay__:memory-region:0)");
    QTest::newRow("not an overlay") << data + QStringLiteral("not-overlay.dtso")
                                    << QStringLiteral("this is not an overlay");
    QTest::newRow("missing file") << data + QStringLiteral("no-such.dtso") << QStringLiteral("does not exist");
}

void TestOverlay::badOverlaysSaySo()
{
    QFETCH(QString, overlay);
    QFETCH(QString, expected);
    const LoadResult r = loadStack({ { overlay, false } });
    QVERIFY(!r.ok);
    QVERIFY(!r.errors.isEmpty());
    const QString text = r.errors.first().toString();
    QVERIFY2(text.contains(expected), qPrintable(text));
    QVERIFY2(text.contains(QFileInfo(overlay).fileName()), qPrintable(text));
}

void TestOverlay::blobsInAndOut()
{
    QTemporaryDir dir;
    // A .dtb base with __symbols__ and .dtbo overlays give the same blob as the sources.
    const QString base = compileWithSymbols(dir, sample(QStringLiteral("ovl-base.dts")), QStringLiteral("base.dtb"));
    const QString a = compileWithSymbols(dir, kBootStack.at(0).file, QStringLiteral("a.dtbo"));
    const QString b = compileWithSymbols(dir, kBootStack.at(1).file, QStringLiteral("b.dtbo"));
    LoadOptions o;
    o.overlays = { { a, false }, { b, false } };
    const LoadResult fromBlobs = loadBoard(base, o);
    QVERIFY2(fromBlobs.ok, qPrintable(fromBlobs.errors.isEmpty() ? QString() : fromBlobs.errors.first().toString()));
    QCOMPARE(fromBlobs.doc.overlaidDtb, loadStack(kBootStack).doc.overlaidDtb);
    QCOMPARE(fromBlobs.doc.tree.node(fromBlobs.doc.tree.findPath(QStringLiteral("/reserved-memory/dsp@90000000")))
                 .property("reg")
                 ->overlay,
        1);
    // A .dtb base without __symbols__: the label targets cannot resolve, and the message says why.
    const QString plain = test::compileDtb(sample(QStringLiteral("ovl-base.dts")),
        dir.filePath(QStringLiteral("plain.dtb")), detectIncludeDirs(sample(QStringLiteral("ovl-base.dts"))));
    QVERIFY(!plain.isEmpty());
    const LoadResult noSymbols = loadBoard(plain, o);
    QVERIFY(!noSymbols.ok);
    QVERIFY2(noSymbols.errors.first().toString().contains(QLatin1String("compile the base with dtc -@")),
        qPrintable(noSymbols.errors.first().toString()));
}

void TestOverlay::editPatchesTheOverlay()
{
    const LoadResult r = loadStack(kBootStack);
    QVERIFY(r.ok);
    EditDocument doc(r.doc);
    QCOMPARE(doc.resize(QStringLiteral("/reserved-memory/dsp@90000000"), 0x1800000), QString());
    QCOMPARE(doc.move(QStringLiteral("/reserved-memory/camera-cma@98000000"), 0x9a000000), QString());
    const SourcePatch patch = makePatch(doc);
    QVERIFY2(patch.ok(), qPrintable(patch.error));
    // Each value is written where it was set: both in the overlays, the base untouched.
    QCOMPARE(patch.patched.size(), 2);
    const QByteArray grown = patch.patched.value(QDir::cleanPath(kBootStack.at(1).file));
    QVERIFY2(grown.contains("reg = <0x0 0x90000000 0x0 0x1800000>;"), grown.constData());
    const QByteArray moved = patch.patched.value(QDir::cleanPath(kBootStack.at(0).file));
    QVERIFY2(moved.contains("camera_cma: camera-cma@9a000000 {"), moved.constData());
    // The patched overlays, applied again, give the edited tree (the save's own check).
    Diagnostics errors;
    QCOMPARE(checkPatch(doc, patch, &errors), QString());
    const DtbExport x = exportDtb(doc, 0, false);
    QVERIFY2(x.ok(), qPrintable(x.error));
}

QTEST_GUILESS_MAIN(TestOverlay)
#include "tst_overlay.moc"
