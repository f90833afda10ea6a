// SPDX-License-Identifier: GPL-2.0-only
#include "edit/verify.h"

// core
#include "edit/editdocument.h"
#include "edit/treecompare.h"
#include "source/dtbloader.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace carveout {

namespace {

/** Copies every file cpp and dtc read (the line markers name them all) at its absolute path below
 *  `scratchDir`, the patched text where there is one. Returns the options that compile the copy
 *  with the board's include folders, or an error sentence. */
QString mirrorPatched(const EditDocument& doc, const SourcePatch& patch, const QString& scratchDir, LoadOptions* opts)
{
    const LoadedTree& o = doc.original();
    QStringList files = o.sourceFiles;
    files << o.tree.files() << o.absoluteFile;
    // The overlays are applied to the copy in the same order (a .dtbo names no source file).
    for (const auto& ov : o.tree.overlays()) {
        files << ov.file;
        opts->overlays.append({ scratchDir + QDir::cleanPath(ov.file), ov.runtime });
    }
    files.removeDuplicates();
    for (const auto& f : files) {
        if (!QDir::isAbsolutePath(f))
            continue;
        const QString target = scratchDir + QDir::cleanPath(f);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write the scratch copy %1").arg(target);
        if (patch.patched.contains(QDir::cleanPath(f))) {
            out.write(patch.patched.value(QDir::cleanPath(f)));
        } else {
            QFile in(f);
            if (in.open(QIODevice::ReadOnly))
                out.write(in.readAll());
        }
    }
    for (const auto& d : o.includeDirs.cpp)
        opts->includeDirs << scratchDir + d;
    for (const auto& d : o.includeDirs.dtc)
        opts->includeDirs << scratchDir + d;
    // The include-prefixes of a kernel tree are links: mirror their targets' files as folders.
    opts->includeDirs.removeDuplicates();
    for (const auto& d : opts->includeDirs)
        QDir().mkpath(d);
    return {};
}

Diagnostic ioError(const QString& message)
{
    Diagnostic d;
    d.code = QStringLiteral("io");
    d.message = message;
    return d;
}

} // namespace

namespace {

/** With overlays, what would boot is the applied blob: fdtoverlay's bytes of the (patched) base
 *  and overlays, which must read back as the edited tree. */
DtbExport exportOverlaid(const EditDocument& doc, DtbExport x)
{
    const SourcePatch patch = makePatch(doc);
    if (!patch.ok()) {
        x.error = patch.error;
        return x;
    }
    QTemporaryDir scratch;
    LoadResult again;
    if (patch.patched.isEmpty()) {
        again.ok = true;
        again.doc = doc.original();
    } else {
        again = loadPatched(doc, patch, scratch.path());
    }
    if (!again.ok) {
        x.compileErrors = again.errors;
        x.error
            = again.errors.isEmpty() ? QStringLiteral("the sources do not compile") : again.errors.first().toString();
        return x;
    }
    if (const QString diff = treeDifference(doc.tree(), again.doc.tree); !diff.isEmpty()) {
        x.error = QStringLiteral("the applied overlays do not give the edited tree (%1)").arg(diff);
        return x;
    }
    x.dtb = again.doc.overlaidDtb;
    return x;
}

} // namespace

LoadResult loadPatched(const EditDocument& doc, const SourcePatch& patch, const QString& scratchDir)
{
    LoadOptions opts;
    if (const QString e = mirrorPatched(doc, patch, scratchDir, &opts); !e.isEmpty()) {
        LoadResult r;
        r.errors.append(ioError(e));
        return r;
    }
    return loadBoard(scratchDir + QDir::cleanPath(doc.original().absoluteFile), opts);
}

QString checkPatch(const EditDocument& doc, const SourcePatch& patch, Diagnostics* compileErrors)
{
    if (!patch.ok())
        return patch.error;
    if (patch.patched.isEmpty())
        return {};
    QTemporaryDir scratch;
    const LoadResult again = loadPatched(doc, patch, scratch.path());
    if (!again.ok) {
        if (compileErrors)
            *compileErrors = again.errors;
        return QStringLiteral("the patched sources do not compile");
    }
    if (const QString diff = treeDifference(doc.tree(), again.doc.tree); !diff.isEmpty())
        return QStringLiteral("the patched sources would not give the edited tree (%1)").arg(diff);
    return {};
}

DtbExport exportDtb(const EditDocument& doc, int errors, bool force)
{
    DtbExport x;
    if (errors > 0 && !force) {
        x.refused = true;
        x.error = QStringLiteral("%1 error-level finding(s) remain; fix them, or export anyway (--force)").arg(errors);
        return x;
    }
    const LoadedTree& o = doc.original();
    if (!o.overlaidDtb.isEmpty())
        return exportOverlaid(doc, x);
    if (o.fromDtb) {
        // A DTB has no sources to patch: unedited, it is its own bytes.
        if (const QString diff = treeDifference(o.tree, doc.tree()); !diff.isEmpty()) {
            x.error = QStringLiteral("%1 is a DTB and was edited (%2); Carveout writes edits into sources: "
                                     "open the board's .dts to export an edited tree")
                          .arg(o.file, diff);
            return x;
        }
        QFile in(o.absoluteFile);
        if (!in.open(QIODevice::ReadOnly)) {
            x.error = QStringLiteral("cannot read %1 (%2)").arg(o.file, in.errorString());
            return x;
        }
        x.dtb = in.readAll();
        return x;
    }
    const SourcePatch patch = makePatch(doc);
    if (!patch.ok()) {
        x.error = patch.error;
        return x;
    }
    // One compile of the sources as edited (a scratch copy when edited), with the folders the
    // board was loaded with.
    QTemporaryDir scratch;
    QString board = o.absoluteFile;
    LoadOptions opts;
    if (patch.patched.isEmpty()) {
        opts.includeDirs = o.includeDirs.cpp + o.includeDirs.dtc;
        opts.includeDirs.removeDuplicates();
    } else {
        if (const QString e = mirrorPatched(doc, patch, scratch.path(), &opts); !e.isEmpty()) {
            x.error = e;
            return x;
        }
        board = scratch.path() + QDir::cleanPath(o.absoluteFile);
    }
    if (!compileToDtb(board, opts, &x.dtb, &x.compileErrors)) {
        x.error = x.compileErrors.isEmpty() ? QStringLiteral("the sources do not compile")
                                            : x.compileErrors.first().toString();
        x.dtb.clear();
        return x;
    }
    // dtc's DTB read back must be the edited tree: what would boot is what was checked.
    DeviceTree compiled;
    QString error;
    if (!readDtb(x.dtb, compiled, &error)) {
        x.error = QStringLiteral("dtc wrote a DTB that cannot be read back (%1)").arg(error);
    } else if (const QString diff = treeDifference(doc.tree(), compiled); !diff.isEmpty()) {
        x.error
            = QStringLiteral("the compiled DTB differs from the checked tree (%1); please report this with the board")
                  .arg(diff);
    }
    if (!x.ok())
        x.dtb.clear();
    return x;
}

} // namespace carveout
