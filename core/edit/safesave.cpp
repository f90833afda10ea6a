// SPDX-License-Identifier: GPL-2.0-only
#include "safesave.h"

// core
#include "source/loader.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

// std
#include <memory>
#include <vector>

namespace carveout {

SaveResult savePatch(const SourcePatch& patch, const QString& outDir, const QString& root)
{
    SaveResult r;
    // 1. Nothing changed underneath?
    if (outDir.isEmpty()) {
        for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it) {
            QFile f(it.key());
            if (!f.open(QIODevice::ReadOnly) || f.readAll() != patch.original.value(it.key())) {
                r.error = QStringLiteral(
                    "%1 changed on disk since it was loaded; nothing was written. Reload the board and "
                    "apply the edits again")
                              .arg(displayPath(it.key()));
                return r;
            }
        }
    }
    // 2. Stage every new text in full (QSaveFile writes a temporary file beside the target).
    struct Staged
    {
        QString target;
        std::unique_ptr<QSaveFile> file;
    };
    std::vector<Staged> staged;
    for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it) {
        QString target = it.key();
        if (!outDir.isEmpty()) {
            const QString rel = QDir(root).relativeFilePath(it.key());
            if (rel.startsWith(QLatin1String("../"))) {
                r.error = QStringLiteral("%1 lies outside %2; nothing was written").arg(it.key(), root);
                return r;
            }
            target = QDir(outDir).filePath(rel);
            if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
                r.error = QStringLiteral("cannot create the folder for %1; nothing was written").arg(target);
                return r;
            }
        }
        auto f = std::make_unique<QSaveFile>(target);
        if (!f->open(QIODevice::WriteOnly) || f->write(it.value()) != it.value().size()) {
            r.error = QStringLiteral("cannot write %1 (%2); nothing was written")
                          .arg(displayPath(target), f->errorString());
            return r; // the QSaveFiles are discarded: the originals are untouched
        }
        if (outDir.isEmpty())
            f->setDirectWriteFallback(false);
        staged.push_back({ target, std::move(f) });
    }
    // 3. Back up and swap in, file by file; undo on failure.
    for (auto& s : staged) {
        if (outDir.isEmpty()) {
            const QString bak = s.target + QStringLiteral(".bak");
            QFile::remove(bak);
            if (!QFile::copy(s.target, bak)) {
                r.error = QStringLiteral("cannot back up %1 to %2").arg(displayPath(s.target), displayPath(bak));
                break;
            }
            r.backups << bak;
        }
        if (!s.file->commit()) {
            r.error = QStringLiteral("cannot replace %1 (%2)").arg(displayPath(s.target), s.file->errorString());
            break;
        }
        r.written << s.target;
    }
    if (!r.error.isEmpty()) {
        QStringList restored, lost;
        for (const auto& w : r.written) {
            const QString bak = w + QStringLiteral(".bak");
            if (outDir.isEmpty() && QFile::exists(bak)) {
                QFile::remove(w);
                (QFile::copy(bak, w) ? restored : lost) << displayPath(w);
            }
        }
        r.error += restored.isEmpty()
            ? QStringLiteral("; nothing was written")
            : QStringLiteral("; restored from backups: %1").arg(restored.join(QStringLiteral(", ")));
        if (!lost.isEmpty())
            r.error += QStringLiteral("; COULD NOT RESTORE %1: copy the .bak files back by hand")
                           .arg(lost.join(QStringLiteral(", ")));
        r.written.clear();
        return r;
    }
    r.ok = true;
    return r;
}

LoadResult loadPatched(const EditDocument& doc, const SourcePatch& patch, const QString& scratchDir)
{
    const LoadedTree& o = doc.original();
    // Mirror every file cpp and dtc read (the line markers name them all) at its absolute path.
    QStringList files = o.sourceFiles;
    files << o.tree.files() << o.absoluteFile;
    files.removeDuplicates();
    for (const auto& f : files) {
        if (!QDir::isAbsolutePath(f))
            continue;
        const QString target = scratchDir + QDir::cleanPath(f);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly)) {
            LoadResult r;
            Diagnostic d;
            d.code = QStringLiteral("io");
            d.message = QStringLiteral("cannot write the scratch copy %1").arg(target);
            r.errors.append(d);
            return r;
        }
        if (patch.patched.contains(QDir::cleanPath(f))) {
            out.write(patch.patched.value(QDir::cleanPath(f)));
        } else {
            QFile in(f);
            if (in.open(QIODevice::ReadOnly))
                out.write(in.readAll());
        }
    }
    LoadOptions opts;
    for (const auto& d : o.includeDirs.cpp)
        opts.includeDirs << scratchDir + d;
    for (const auto& d : o.includeDirs.dtc)
        opts.includeDirs << scratchDir + d;
    // The include-prefixes of a kernel tree are links: mirror their targets' files as folders.
    opts.includeDirs.removeDuplicates();
    for (const auto& d : opts.includeDirs)
        QDir().mkpath(d);
    return loadBoard(scratchDir + QDir::cleanPath(o.absoluteFile), opts);
}

} // namespace carveout
