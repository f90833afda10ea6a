// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace carveout {

/** A command line for cpp's own preprocessor: what GCC's cpp driver runs (`cc1 -E ...`). */
struct DirectCpp
{
    QString program; ///< absolute path of cc1; empty: run the driver itself
    QStringList args;
};

/** The cc1 command line GCC's cpp driver `cpp` (as named: on PATH or a path) would run for `args`,
 *  as `cpp -### ARGS` prints it, so that the driver's own start (a fork and exec per board, 1 to 3
 *  ms) is saved; the output is the driver's, byte for byte (cc1 -E is what it runs). Resolved once
 *  per process and argument list, and kept across processes in $XDG_CACHE_HOME/carveout/cc1-commands
 *  (when a writer is installed), keyed by the driver's and cc1's paths, sizes and modification
 *  times: a changed compiler is asked again. Empty program for anything but a GCC cpp driver
 *  (the name must be cpp, TARGET-cpp or cpp-N), or when the answer is not one cc1 command line.
 *  The caller runs the driver itself when cc1 fails in any way (runPipeline does). Thread-safe. */
DirectCpp directCpp(const QString& cpp, const QStringList& args, int timeoutMs);

/** Drops what directCpp answered for `cpp` and `args` (here and in the cache file): cc1 failed
 *  where the driver did not. This process runs the driver for them from now on. */
void forgetDirectCpp(const QString& cpp, const QStringList& args);

/** What writes the cache file (the core's atomic writer; core/source cannot include core/edit):
 *  returns an empty string or what went wrong. Without one (the default) the command lines are
 *  kept only for the process. */
using CacheFileWriter = QString (*)(const QString& path, const QByteArray& data);
void setDirectCppCacheWriter(CacheFileWriter writer);

/** One line of the cache file. */
struct Cc1CacheEntry
{
    QByteArray key; ///< the driver, its variables and the arguments, hashed
    QByteArray cc1Identity; ///< cc1's path, size and modification time when it was asked
    DirectCpp command;
};

/** The cache file's entries (a file with another first line has none); for tests and fuzzing. */
QList<Cc1CacheEntry> parseCc1Cache(const QByteArray& text);

/** `cpp -###`'s command lines (stderr), each argument unquoted as GCC quotes it; for tests. */
QList<QStringList> parseDriverCommands(const QByteArray& hashes);

} // namespace carveout
