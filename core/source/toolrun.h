// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// std
#include <functional>

namespace carveout {

/** What one run of a tool gave. */
struct ToolRun
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1; ///< -1 when it crashed or was killed
    QByteArray out;
    QByteArray err;
};

/** cpp streamed into dtc while both run (the two cores overlap), keeping a copy of cpp's
 *  output for the line-marker scan. dtc's exit is only meaningful when cpp succeeded. */
struct PipelineRun
{
    ToolRun cpp;
    ToolRun dtc;
};

/** How cpp gets the board: by name in its arguments (content null), or as `content` on stdin
 *  (the arguments then end in "-"), run in `workingDirectory` (the board's folder, where
 *  #include "x.dtsi" looks first) with its line markers rewritten to name `absFile`. */
struct CppInput
{
    const QByteArray* content = nullptr;
    QString absFile;
    QString workingDirectory;
};

/** Work for the calling thread while the tools run, when it would only wait: `started` once both
 *  are started (cpp is working), `cppDone(output)` once cpp has succeeded and dtc has all of its
 *  output (dtc is working). */
struct PipelineHooks
{
    std::function<void()> started;
    std::function<void(const QByteArray&)> cppDone;
};

/** `configured`, else $envName, else `fallback` (a program on PATH). */
QString toolPath(const QString& configured, const char* envName, const char* fallback);

/** Runs a tool in a process group of its own with `input` on stdin; a tool that runs longer
 *  than `timeoutMs` is killed with everything it started. Needs no event loop (posix_spawn and
 *  poll), so it works in any thread, with or without a QCoreApplication. */
ToolRun runTool(const QString& program, const QStringList& args, const QByteArray& input, int timeoutMs,
    const QString& workingDirectory = {});

/** cpp piped into dtc (see PipelineRun): cpp starts first, and dtc reads each piece of its
 *  output as soon as it is read (and rewritten). Needs no event loop, like runTool. */
PipelineRun runPipeline(const QString& cppProgram, const QStringList& cppArgs, const QString& dtcProgram,
    const QStringList& dtcArgs, int timeoutMs, const CppInput& input = {}, const PipelineHooks& hooks = {});

/** A command line as it can be pasted into a shell (arguments with spaces quoted). */
QString shellQuote(const QStringList& cmd);

/** dtc's version ("1.6.1"), asked once per program; empty when it cannot be run. */
QString cachedDtcVersion(const QString& dtc);

} // namespace carveout
