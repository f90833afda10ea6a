// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/patcher.h"

// Qt
#include <QByteArray>
#include <QString>
#include <QStringList>

// POSIX
#include <sys/types.h>

namespace carveout {

/** What a save did, file by file. Every path is absolute (as in SourcePatch). */
struct SaveResult
{
    bool ok = false;
    QStringList written; ///< files that hold their new text (on failure: only what could not be undone)
    QStringList backups; ///< the .bak files made (each holds the text before the save)
    QStringList unchanged; ///< files of the patch that still hold their old text (on failure)
    QStringList lost; ///< files whose state is unknown after a failed undo (never empty in a sane world)
    QStringList warnings; ///< the save worked, but something the user should know (a backup not made)
    QString error; ///< what went wrong, what was and was not written, and what to do
};

/** The file-system calls a save makes, one virtual function each with the system call's contract
 *  (return -1 and set errno on failure). Tests wrap the real calls to make one of them fail as a
 *  full disk or a refused rename would: a seam for fault injection, not a mock of the save. */
class SaveIo
{
public:
    virtual ~SaveIo();
    /** open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) */
    virtual int createExclusive(const QByteArray& path, mode_t mode);
    /** write(2): may write less than asked */
    virtual ssize_t write(int fd, const char* data, size_t size);
    virtual int fsync(int fd);
    virtual int close(int fd);
    /** rename(2): atomic replacement of `to` */
    virtual int rename(const QByteArray& from, const QByteArray& to);
    /** link(2): a second name for the same file (backups without copying) */
    virtual int link(const QByteArray& from, const QByteArray& to);
    virtual int unlink(const QByteArray& path);
};

/** Installs the SaveIo every save uses (nullptr: the system's). Returns the previous one. For
 *  tests; not thread-safe against a save running at the same time. */
SaveIo* setSaveIo(SaveIo* io);

/** Writes a patch as one transaction, as far as a POSIX file system allows:
 *   1. every file must still hold the text the patch was made from, be a regular file and be
 *      writable, and its folder writable; else nothing is written;
 *   2. every new text is written in full to a temporary file beside its target and fsync'ed,
 *      and (in place) every old file gets a second name for its backup (a hard link, or a copy
 *      where links are not possible); a failure here (a full disk) leaves every file as it was;
 *   3. the files are checked once more for changes, then renamed over their targets one by one,
 *      each right after its .bak is renamed into place. If a rename fails, the files already
 *      replaced are put back from their backups (by rename, which needs no free space).
 *  A crash (power loss, kill -9) during step 3 leaves every file whole, either old or new, and
 *  every replaced file has its .bak; temporary files (.NAME.carveout-*) may be left beside them.
 *  Symbolic links are followed: the file they point at is replaced and the link is kept.
 *  With `outDir`, files go below it (relative to `root`) instead, without backups; files that
 *  were there before are put back on failure. */
SaveResult savePatch(const SourcePatch& patch, const QString& outDir = QString(), const QString& root = QString());

/** Writes one file atomically (temporary file, fsync, rename) through the same SaveIo. Returns
 *  an empty string or what went wrong; the old file is untouched on failure. */
QString writeFileAtomically(const QString& path, const QByteArray& data);

} // namespace carveout
