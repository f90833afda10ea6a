// SPDX-License-Identifier: GPL-2.0-only
// Loads every board of shared/corpus (3,300) and compares the layout's counts with the
// manifest, which was measured independently with cpp + dtc 1.6.1. The 15 boards dtc 1.6.1
// cannot parse must load anyway (label-relative paths are rewritten) or fail with a message
// that names the construct. CARVEOUT_SWEEP_LIMIT=N checks only every (3300/N)th board.

// core
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "kernel/profileoptions.h"
#include "model/layout.h"
#include "rules/rules.h"
#include "source/loader.h"

// tests
#include "../testutils.h"

// Qt
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QTest>
#include <QThread>

// std
#include <atomic>

using namespace carveout;

class TestCorpusSweep : public QObject
{
    Q_OBJECT
private slots:
    void sweep();
};

namespace {

struct Row
{
    QString board;
    bool ok = false;
    QMap<QString, qint64> expected;
};

QStringList kColumns = { QStringLiteral("banks"), QStringLiteral("mem_mib"), QStringLiteral("rmem"),
    QStringLiteral("static"), QStringLiteral("dynamic"), QStringLiteral("cma"), QStringLiteral("cma_default"),
    QStringLiteral("dma_pool"), QStringLiteral("restricted"), QStringLiteral("other"), QStringLiteral("nomap"),
    QStringLiteral("region_refs"), QStringLiteral("memreserve") };

/** The manifest's counting rules, computed from our layout. The manifest counts memory from
 *  `reg` alone (zero-size tuples included, linux,usable-memory not read) and only the
 *  children with `reg` or `size` as regions ("rmem" = static + dynamic); the layout follows
 *  the kernel instead, so the memory part is checked separately against the kernel's reading. */
QMap<QString, qint64> countsOf(const Layout& L, const DeviceTree& tree, QString* memoryProblem)
{
    QMap<QString, qint64> c;
    uint64_t regTotal = 0, kernelTotal = 0;
    qint64 regTuples = 0;
    bool usable = false;
    for (int child : tree.root().children) {
        const DtNode& n = tree.node(child);
        const auto* dt = n.property("device_type");
        const auto* st = n.property("status");
        if (!dt || dt->value != QByteArray("memory", 7))
            continue;
        if (st && st->value != QByteArray("okay", 5) && st->value != QByteArray("ok", 3))
            continue;
        usable |= n.hasProperty("linux,usable-memory");
        const auto* reg = n.property("reg");
        if (!reg)
            continue;
        const int per = L.rootAddressCells + L.rootSizeCells;
        for (int i = 0; per > 0 && i + per <= cells::count(reg->value); i += per) {
            ++regTuples;
            regTotal += cells::readNumber(reg->value, i + L.rootAddressCells, L.rootSizeCells);
        }
    }
    for (const auto& b : L.memory)
        kernelTotal += b.range.size;
    if (!usable && kernelTotal != regTotal)
        *memoryProblem = QStringLiteral("layout memory %1 != reg total %2").arg(kernelTotal).arg(regTotal);
    c[QStringLiteral("banks")] = regTuples;
    c[QStringLiteral("mem_mib")] = qint64(regTotal >> 20);
    for (const auto& r : L.regions) {
        c[QStringLiteral("rmem")] += r.placement != Placement::None;
        const bool shared = r.compatible.contains(QLatin1String("shared-dma-pool"));
        c[QStringLiteral("static")] += r.placement == Placement::Static;
        c[QStringLiteral("dynamic")] += r.placement == Placement::Dynamic;
        c[QStringLiteral("cma")] += shared && r.reusable;
        c[QStringLiteral("cma_default")] += r.cmaDefault;
        c[QStringLiteral("dma_pool")] += shared && !r.reusable;
        const bool restricted = r.compatible.contains(QLatin1String("restricted-dma-pool"));
        c[QStringLiteral("restricted")] += restricted;
        c[QStringLiteral("other")] += !shared && !restricted;
        c[QStringLiteral("nomap")] += r.noMap;
    }
    for (const auto& k : L.consumers)
        c[QStringLiteral("region_refs")] += k.region >= 0;
    c[QStringLiteral("memreserve")] = qint64(L.memreserve.size());
    return c;
}

} // namespace

void TestCorpusSweep::sweep()
{
    if (!test::haveCorpus())
        QSKIP("shared/corpus is not beside the project");
    QFile manifest(QStringLiteral(CARVEOUT_SHARED_DIR) + QStringLiteral("/corpus/MANIFEST.tsv"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    const QList<QByteArray> header = manifest.readLine().trimmed().split('\t');
    std::vector<Row> rows;
    while (!manifest.atEnd()) {
        const QList<QByteArray> f = manifest.readLine().chopped(1).split('\t');
        if (f.size() < header.size() - 1)
            continue;
        Row r;
        r.board = QString::fromUtf8(f[0]);
        r.ok = f[1] == "1";
        for (int i = 2; i < header.size() && i < f.size(); ++i)
            r.expected[QString::fromUtf8(header[i])] = f[i].toLongLong();
        rows.push_back(r);
    }
    QCOMPARE(int(rows.size()), 3300);
    const int limit = qEnvironmentVariableIntValue("CARVEOUT_SWEEP_LIMIT");
    std::vector<size_t> todo;
    const size_t step = limit > 0 ? std::max<size_t>(1, rows.size() / size_t(limit)) : 1;
    for (size_t i = 0; i < rows.size(); i += step)
        todo.push_back(i);
    // The 15 boards that need newer dtc syntax are always checked.
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].ok && (i % step) != 0)
            todo.push_back(i);
    }

    QMutex mutex;
    QStringList mismatches;
    // check on every board that loads, with the profile its tree implies: findings per rule.
    std::map<QString, std::pair<int, int>> perRule; // rule -> findings, boards
    int boardsWithErrors = 0;
    std::atomic<size_t> next { 0 };
    std::atomic<int> loaded { 0 }, rewritten { 0 };
    QElapsedTimer timer;
    timer.start();
    auto worker = [&] {
        while (true) {
            const size_t k = next.fetch_add(1);
            if (k >= todo.size())
                return;
            const Row& row = rows[todo[k]];
            const LoadResult res = loadBoard(test::corpusDir() + QLatin1Char('/') + row.board);
            QStringList problems;
            AnalysisPtr analysis;
            if (res.ok) {
                KernelProfile profile;
                const QString pe = resolveProfile({}, &res.doc, &profile);
                analysis = analyse(res.doc, profile);
                const CheckResult& cr = analysis->check;
                std::map<QString, int> local;
                for (const auto& f : cr.findings)
                    ++local[f.rule];
                QMutexLocker lock(&mutex);
                if (!pe.isEmpty())
                    problems << pe;
                for (const auto& [rule, n] : local) {
                    perRule[rule].first += n;
                    perRule[rule].second += 1;
                }
                boardsWithErrors += cr.errors > 0;
            }
            if (!row.ok) {
                // Must load, or fail naming the construct and the dtc it needs.
                if (res.ok) {
                    bool noted = false;
                    for (const auto& n : res.doc.notes)
                        noted |= n.code == QLatin1String("dtc-compat");
                    if (!noted)
                        problems << QStringLiteral("loaded without saying what was rewritten");
                    else
                        ++rewritten;
                } else {
                    const QString all = res.errors.isEmpty() ? QString() : res.errors.front().message;
                    if (!all.contains(QLatin1String("&{label/path}")) || !all.contains(QLatin1String("dtc")))
                        problems << QStringLiteral("unclear error: ") + all;
                }
            } else if (!res.ok) {
                problems << QStringLiteral("failed to load: ")
                        + (res.errors.isEmpty() ? QString() : res.errors.front().toString());
            } else {
                ++loaded;
                QString memoryProblem;
                const auto got = countsOf(analysis->layout, res.doc.tree, &memoryProblem);
                if (!memoryProblem.isEmpty())
                    problems << memoryProblem;
                for (const auto& col : kColumns) {
                    if (got.value(col) != row.expected.value(col))
                        problems << QStringLiteral("%1 expected %2 got %3")
                                        .arg(col)
                                        .arg(row.expected.value(col))
                                        .arg(got.value(col));
                }
            }
            if (!problems.isEmpty()) {
                QMutexLocker lock(&mutex);
                mismatches << row.board + QStringLiteral(": ") + problems.join(QStringLiteral("; "));
            }
        }
    };
    const int threads = std::max(2, QThread::idealThreadCount());
    std::vector<QThread*> pool;
    for (int t = 0; t < threads; ++t) {
        pool.push_back(QThread::create(worker));
        pool.back()->start();
    }
    for (auto* t : pool) {
        t->wait();
        delete t;
    }
    qInfo("corpus sweep: %d boards checked (%d compared with the manifest, %d loaded through the "
          "&{label/path} rewrite) in %.1f s on %d threads",
        int(todo.size()), loaded.load(), rewritten.load(), double(timer.elapsed()) / 1000.0, threads);
    mismatches.sort();
    for (const auto& m : mismatches)
        qWarning("%s", qPrintable(m));
    QVERIFY2(mismatches.isEmpty(), qPrintable(QStringLiteral("%1 boards differ").arg(mismatches.size())));

    // Behaviour changes show up in review as a diff of this file (full sweeps only).
    if (limit > 0)
        return;
    QByteArray counts = "# carveout-cli check over the whole corpus, default profile per board (arch from the tree)\n"
                        "# rule\tfindings\tboards\n";
    for (const auto& [rule, n] : perRule)
        counts += rule.toUtf8() + '\t' + QByteArray::number(n.first) + '\t' + QByteArray::number(n.second) + '\n';
    counts += "boards_with_errors\t" + QByteArray::number(boardsWithErrors) + '\n';
    const QString golden = test::sourceDir() + QStringLiteral("/tests/golden/corpus-check-counts.expected");
    if (qEnvironmentVariableIntValue("CARVEOUT_UPDATE_GOLDEN") == 1) {
        QFile out(golden);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(counts);
    } else {
        QFile in(golden);
        QVERIFY2(in.open(QIODevice::ReadOnly), "tests/golden/corpus-check-counts.expected is missing");
        const QByteArray expected = in.readAll();
        if (expected != counts) {
            QFile actual(QStringLiteral(CARVEOUT_BINARY_DIR) + QStringLiteral("/tests/corpus-check-counts.actual"));
            if (actual.open(QIODevice::WriteOnly))
                actual.write(counts);
        }
        QVERIFY2(expected == counts,
            "finding counts per rule changed: compare build/tests/corpus-check-counts.actual with "
            "tests/golden/corpus-check-counts.expected (CARVEOUT_UPDATE_GOLDEN=1 accepts)");
    }
}

QTEST_GUILESS_MAIN(TestCorpusSweep)
#include "tst_corpussweep.moc"
