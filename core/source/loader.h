// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/devicetree.h"
#include "model/diagnostic.h"
#include "model/sourcelocation.h" // displayPath, long declared here: its callers keep compiling
#include "source/includedirs.h"

// Qt
#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace carveout {

/** One overlay to apply over the board (--overlay FILE, --overlay-runtime FILE). */
struct OverlayRequest
{
    QString file; ///< a .dtso (compiled with cpp and dtc -@, as the kernel's build does) or a .dtbo
    bool runtime = false; ///< applied by the running kernel, not by the bootloader (see overlay.h)
};

struct LoadOptions
{
    QStringList includeDirs; ///< -I DIR from the user, searched before the detected folders
    QString cpp; ///< empty: $CARVEOUT_CPP, else "cpp" on PATH
    QString dtc; ///< empty: $CARVEOUT_DTC, else "dtc" on PATH
    int timeoutMs = 120000; ///< per tool run; a hung tool is killed and reported
    bool dtcWarnings = false; ///< keep dtc's warnings (as LoadedTree::notes); off: dtc -q
    bool symbols = false; ///< dtc -@: a __symbols__ node (and __fixups__ for an overlay)
    /// Applied over the board, in order, as fdtoverlay does (core/source/overlay.h).
    QList<OverlayRequest> overlays;
};

/** A loaded board: the tree and where it came from. */
struct LoadedTree
{
    DeviceTree tree;
    QString file; ///< as the user named it
    QString absoluteFile;
    bool fromDtb = false;
    IncludeDirs includeDirs; ///< what cpp and dtc were given (empty for a DTB)
    QStringList sourceFiles; ///< every file cpp read (from its line markers), absolute
    /// sourceDigest() of each file the tree's spans name (the board included), as cpp and dtc
    /// read it: a save refuses a file that changed since (its source map would point at the
    /// wrong text). Files that are only #included for their macros have none.
    QMap<QString, QByteArray> sourceDigests;
    Diagnostics notes; ///< warnings from dtc, rewrites made for dtc 1.6.1, ...
    /// With overlays: the blob libfdt's fdt_overlay_apply made of the base (compiled with -@) and
    /// the overlays, packed, byte for byte fdtoverlay's output; `tree` is read from it. Empty otherwise.
    QByteArray overlaidDtb;
};

struct LoadResult
{
    bool ok = false;
    LoadedTree doc;
    Diagnostics errors; ///< why loading failed (file:line where known, and what to do)
};

/** Loads a board. A .dtb (or any file starting with the FDT magic) is read with libfdt;
 *  anything else is preprocessed with cpp exactly as the kernel does and compiled with dtc,
 *  keeping the file:line:column of every node and property in the original sources.
 *  Never throws; a missing tool, a tool that hangs or fails, or unreadable input all come
 *  back as errors. */
LoadResult loadBoard(const QString& file, const LoadOptions& options = {});

/** The digest kept in LoadedTree::sourceDigests: BLAKE2b-256, which Qt takes from libb2 with
 *  SIMD; Qt 6.4's own SHA-256 cost a quarter of a small board's check. A change detector, not
 *  a signature. */
QByteArray sourceDigest(const QByteArray& text);

/** Reads a whole file the user named (a board, an edit script), refusing what is not a regular
 *  file (a FIFO would block, /dev/zero never ends), an empty file and anything over `maxBytes`.
 *  Returns false with a sentence that says what is wrong and what to do (not-UTF-8 names, paths
 *  over PATH_MAX, dangling or looping links are told apart). */
bool readUserFile(const QString& file, qint64 maxBytes, QByteArray* content, QString* error);

/** Compiles a .dts exactly as the kernel's build does (cpp, then dtc -O dtb) into `dtb`.
 *  Returns false with the errors (file:line where known). */
bool compileToDtb(const QString& file, const LoadOptions& options, QByteArray* dtb, Diagnostics* errors);

/** dtc's version string ("1.6.1"), or empty when dtc cannot be run. */
QString dtcVersion(const LoadOptions& options = {});

} // namespace carveout
