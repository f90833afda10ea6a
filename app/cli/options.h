// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profileoptions.h"
#include "rules/rules.h"
#include "source/loader.h"

// Qt
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// std
#include <memory>
#include <vector>

class QTextStream;

namespace carveout::cli {

/** The parsed command line of carveout-cli. */
struct Options
{
    QString command;
    QString file;
    QString format = QStringLiteral("text");
    LoadOptions load;
    ProfileRequest profile;
    QList<QPair<QString, QString>> severity; // flag, rule
    QString script;
    QString outDir;
    QString output;
    bool inPlace = false;
    bool diff = false;
    bool patchShared = false;
    bool force = false;
    QString workload;
    QString minSize;
    QString ops = QStringLiteral("all");
    QString bins;
    QString capture;
    QStringList files; ///< every FILE given (check, layout and matrix take several; diff two)
    ProfileRequest profileB; ///< diff: the --*-b options for side B
    bool anyB = false; ///< a --*-b option was given
    int jobs = 0; ///< -j N; 0 = the number of cores
    QStringList cmdlines; ///< matrix: every --cmdline, in order
    QString trace; ///< workload: --from-trace FILE
    QString view = QStringLiteral("map"); ///< render: map or diagram
    QString size = QStringLiteral("1600x600"); ///< render: WxH
};

/** "carveout-cli: WHAT" and the pointer to --help; returns 2. */
int usageErrorText(QTextStream& err, const QString& what);

/** The commands over several boards or profiles (variants.cpp). */
int runDiff(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err);
int runMatrix(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err);
/** workload --from-trace (trace.cpp): writes the workload a cma trace records. */
int runWorkloadFromTrace(const Options& o, QTextStream& out, QTextStream& err);
/** render (render.cpp): what is wrong with -o, --view and --size, or empty. */
QString checkRenderOptions(const Options& o);
/** render: runs the carveout program, which draws with the window's own views (the CLI links no
 *  Qt Gui), with the board, the picture's options and the profile. */
int runRender(const Options& o, QTextStream& out, QTextStream& err);
/** `value`, moved to where it stays until the process ends: carveout-cli exits right after its
 *  report, and freeing a loaded tree and its analysis node by node is work nobody waits for
 *  (0.8 million instructions on a small board). Reachable from a static, so leak checkers do not
 *  count it. Main thread only. */
template <typename T> const T& keptUntilExit(T&& value)
{
    static auto* kept = new std::vector<std::shared_ptr<const void>>();
    auto p = std::make_shared<const T>(std::move(value));
    kept->push_back(p);
    return *p;
}

/** check or layout over several FILEs, -j N at once: one report for all, the worst exit status. */
int runMany(const Options& o, const SeverityOverrides& severity, QTextStream& out, QTextStream& err);

} // namespace carveout::cli
