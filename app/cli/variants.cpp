// SPDX-License-Identifier: GPL-2.0-only
// carveout-cli over several boards or profiles: diff, matrix, and check/layout of many FILEs.
#include "options.h"

// core
#include "analysis/analysis.h"
#include "report/checkreport.h"
#include "report/diffreport.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"
#include "report/matrixreport.h"
#include "variants/diff.h"
#include "variants/matrix.h"

// Qt
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

// std
#include <algorithm>
#include <atomic>
#include <thread>

namespace carveout::cli {

namespace {

int jobsFor(const Options& o)
{
    return o.jobs > 0 ? o.jobs : std::max(1, int(std::thread::hardware_concurrency()));
}

/** Loads (and, through `work`, analyses) every FILE on up to -j threads; results in FILE order.
 *  cpp and dtc run as child processes, so boards compile side by side. */
template <typename T, typename Work> std::vector<T> forEachBoard(const Options& o, Work work)
{
    std::vector<T> results(size_t(o.files.size()));
    std::atomic<int> next { 0 };
    auto worker = [&]() {
        for (int i = next++; i < o.files.size(); i = next++)
            results[size_t(i)] = work(o.files.at(i));
    };
    const int n = std::min(jobsFor(o), int(o.files.size()));
    std::vector<std::thread> threads;
    for (int t = 1; t < n; ++t)
        threads.emplace_back(worker);
    worker();
    for (auto& t : threads)
        t.join();
    return results;
}

void printLoadErrors(const LoadResult& loaded, const QString& file, QTextStream& err)
{
    for (const auto& d : loaded.errors)
        err << d.toString() << "\n";
    err << "carveout-cli: could not load " << file << "\n";
}

/** B's request: A's, with every --*-b value in its place. */
ProfileRequest requestB(const Options& o)
{
    ProfileRequest b = o.profile;
    const ProfileRequest& x = o.profileB;
    if (!x.profile.isEmpty()) {
        b.profile = x.profile;
        b.kernel.clear(); // a named profile names its kernel
        b.arch.clear();
        b.pageSize.clear();
    }
    if (!x.kernel.isEmpty())
        b.kernel = x.kernel;
    if (!x.arch.isEmpty())
        b.arch = x.arch;
    if (!x.pageSize.isEmpty())
        b.pageSize = x.pageSize;
    if (x.cmdline)
        b.cmdline = x.cmdline;
    if (!x.config.isEmpty())
        b.config = x.config;
    if (!x.memory.isEmpty())
        b.memory = x.memory;
    if (!x.reserve.isEmpty())
        b.reserve = x.reserve;
    if (!x.kconfig.isEmpty())
        b.kconfig = x.kconfig;
    return b;
}

QStringList commaList(const QString& s)
{
    QStringList out;
    for (const QString& v : s.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out << v.trimmed();
    return out;
}

struct Checked
{
    LoadResult loaded;
    AnalysisPtr analysis;
    QString profileError;
};

} // namespace

int runDiff(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err)
{
    if (o.files.size() < 2 && !o.anyB)
        return usageErrorText(
            err, QStringLiteral("'diff' needs two FILEs, or one FILE and a --*-b option (--kernel-b 6.12, ...)"));
    const QString fileB = o.files.size() == 2 ? o.files.at(1) : o.files.at(0);
    const LoadResult a = loadBoard(o.files.at(0), o.load);
    if (!a.ok) {
        printLoadErrors(a, o.files.at(0), err);
        return 2;
    }
    const LoadResult b = o.files.size() == 2 ? loadBoard(fileB, o.load) : a;
    if (!b.ok) {
        printLoadErrors(b, fileB, err);
        return 2;
    }
    KernelProfile pa, pb;
    if (const QString e = resolveProfile(o.profile, &a.doc, &pa); !e.isEmpty())
        return usageErrorText(err, e);
    if (const QString e = resolveProfile(o.anyB ? requestB(o) : o.profile, &b.doc, &pb); !e.isEmpty())
        return usageErrorText(err, e);
    const AnalysisPtr A = analyse(a.doc, pa, severity);
    const AnalysisPtr B = analyse(b.doc, pb, severity);
    const variants::LayoutDiff d = variants::diffAnalyses(*A, *B);
    const DiffSide sa { o.files.at(0), A.get() }, sb { fileB, B.get() };
    out << (o.format == QLatin1String("json") ? QString::fromUtf8(diffToJson(d, sa, sb)) : diffToText(d, sa, sb));
    return d.any() ? 1 : 0;
}

int runMany(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err)
{
    const auto& boards = keptUntilExit(forEachBoard<Checked>(o, [&](const QString& file) {
        Checked c;
        c.loaded = loadBoard(file, o.load);
        if (!c.loaded.ok)
            return c;
        KernelProfile p;
        c.profileError = resolveProfile(o.profile, &c.loaded.doc, &p);
        if (c.profileError.isEmpty())
            c.analysis = analyse(c.loaded.doc, p, severity);
        return c;
    }));
    int status = 0;
    for (int i = 0; i < o.files.size(); ++i) {
        const Checked& c = boards[size_t(i)];
        if (!c.loaded.ok)
            printLoadErrors(c.loaded, o.files.at(i), err);
        else if (!c.profileError.isEmpty())
            err << "carveout-cli: " << o.files.at(i) << ": " << c.profileError << "\n";
        if (!c.analysis)
            status = 2;
        else if (o.command == QLatin1String("check") && c.analysis->check.errors > 0)
            status = std::max(status, 1);
    }
    const bool json = o.format == QLatin1String("json");
    if (o.format == QLatin1String("sarif")) {
        // One run for all boards: the results of each, in FILE order.
        CheckResult all;
        const KernelProfile* profile = nullptr;
        for (const auto& c : boards)
            if (c.analysis) {
                all.findings.insert(
                    all.findings.end(), c.analysis->check.findings.begin(), c.analysis->check.findings.end());
                all.errors += c.analysis->check.errors;
                all.warnings += c.analysis->check.warnings;
                all.infos += c.analysis->check.infos;
                profile = profile ? profile : &c.analysis->profile;
            }
        out << QString::fromUtf8(
            findingsToSarif(all, profile ? *profile : KernelProfile {}, QCoreApplication::applicationVersion()));
        return status;
    }
    if (o.format == QLatin1String("codequality")) {
        // One array: each board's report names its board in every fingerprint, so they join.
        QJsonArray all;
        for (int i = 0; i < o.files.size(); ++i)
            if (const Checked& c = boards[size_t(i)]; c.analysis)
                for (const auto& v : QJsonDocument::fromJson(
                         findingsToCodeQuality(c.analysis->check, c.analysis->profile, o.files.at(i)))
                                         .array())
                    all.append(v);
        out << QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Indented));
        return status;
    }
    if (json) {
        JsonWriter w;
        w.beginObject();
        w.key("boards").beginArray();
        int errors = 0, warnings = 0, infos = 0;
        for (int i = 0; i < o.files.size(); ++i) {
            const Checked& c = boards[size_t(i)];
            if (!c.analysis) {
                w.beginObject();
                w.key("file").value(o.files.at(i));
                w.key("error").value(c.loaded.ok ? c.profileError : QStringLiteral("could not be loaded"));
                w.endObject();
                continue;
            }
            const Analysis& a = *c.analysis;
            errors += a.check.errors;
            warnings += a.check.warnings;
            infos += a.check.infos;
            w.raw(o.command == QLatin1String("check") ? findingsToJson(a.check, a.profile, o.files.at(i), &a.layout)
                                                      : layoutToJson(a.layout, a.profile, &a.boot));
        }
        w.endArray();
        w.key("counts").beginObject();
        w.key("boards").value(int(o.files.size()));
        w.key("error").value(errors);
        w.key("warning").value(warnings);
        w.key("info").value(infos);
        w.endObject();
        w.endObject();
        out << QString::fromUtf8(w.result());
        return status;
    }
    for (int i = 0; i < o.files.size(); ++i) {
        const Checked& c = boards[size_t(i)];
        if (!c.analysis)
            continue;
        const Analysis& a = *c.analysis;
        out << (o.command == QLatin1String("check") ? findingsToText(a.check, a.profile, o.files.at(i), &a.layout)
                                                    : layoutToText(a.layout, a.profile, &a.boot));
        if (o.command == QLatin1String("layout") && i + 1 < o.files.size())
            out << "\n";
    }
    return status;
}

int runMatrix(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err)
{
    const auto columns = variants::matrixColumns(o.profile, commaList(o.profile.profile), commaList(o.profile.kernel),
        commaList(o.profile.pageSize),
        o.profile.memory.size() == 1 ? commaList(o.profile.memory.front()) : o.profile.memory, o.cmdlines);
    const std::vector<variants::MatrixColumn>& cols = columns;
    const auto rows = forEachBoard<variants::MatrixRow>(o, [&](const QString& file) {
        const LoadResult loaded = loadBoard(file, o.load);
        if (!loaded.ok) {
            variants::MatrixRow r;
            r.board = file;
            r.loadError
                = loaded.errors.isEmpty() ? QStringLiteral("could not be loaded") : loaded.errors.front().toString();
            return r;
        }
        variants::MatrixRow r = variants::matrixRow(loaded.doc, cols, severity);
        r.board = file;
        return r;
    });
    int status = 0;
    for (const auto& r : rows) {
        if (!r.loadError.isEmpty()) {
            err << "carveout-cli: could not load " << r.board << ": " << r.loadError << "\n";
            status = 2;
        }
        for (const auto& c : r.cells)
            if (c.analysis && c.errors > 0)
                status = std::max(status, 1);
    }
    if (o.format == QLatin1String("json"))
        out << QString::fromUtf8(matrixToJson(cols, rows));
    else if (o.format == QLatin1String("csv"))
        out << QString::fromUtf8(matrixToCsv(cols, rows));
    else if (o.format == QLatin1String("html"))
        out << QString::fromUtf8(matrixToHtml(cols, rows));
    else
        out << matrixToText(cols, rows);
    return status;
}

} // namespace carveout::cli
