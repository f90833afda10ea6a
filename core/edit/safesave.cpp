// SPDX-License-Identifier: GPL-2.0-only
#include "safesave.h"

// core
#include "source/loader.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

// POSIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// std
#include <vector>

namespace carveout {

SaveIo::~SaveIo() = default;

int SaveIo::createExclusive(const QByteArray& path, mode_t mode)
{
    return ::open(path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
}

ssize_t SaveIo::write(int fd, const char* data, size_t size)
{
    return ::write(fd, data, size);
}

int SaveIo::fsync(int fd)
{
    return ::fsync(fd);
}

int SaveIo::close(int fd)
{
    return ::close(fd);
}

int SaveIo::rename(const QByteArray& from, const QByteArray& to)
{
    return ::rename(from.constData(), to.constData());
}

int SaveIo::link(const QByteArray& from, const QByteArray& to)
{
    return ::link(from.constData(), to.constData());
}

int SaveIo::unlink(const QByteArray& path)
{
    return ::unlink(path.constData());
}

namespace {

SaveIo* g_io = nullptr;

SaveIo& io()
{
    static SaveIo system;
    return g_io ? *g_io : system;
}

QByteArray enc(const QString& path)
{
    return QFile::encodeName(path);
}

/** errno as a reason a user can act on. */
QString reason(int e)
{
    switch (e) {
    case ENOSPC:
        return QStringLiteral("no space left on the device (the disk is full)");
    case EDQUOT:
        return QStringLiteral("the disk quota is used up");
    case EROFS:
        return QStringLiteral("the file system is mounted read-only");
    case EACCES:
    case EPERM:
        return QStringLiteral("permission denied");
    default:
        break;
    }
    return QString::fromLocal8Bit(std::strerror(e));
}

/** ".NAME.carveout-TAG-XXXXXXXX" beside `target`: hidden, and on the same file system so that
 *  rename() is atomic. */
QByteArray tempNameFor(const QString& target, const char* tag)
{
    const QFileInfo fi(target);
    return enc(fi.absolutePath() + QStringLiteral("/.") + fi.fileName() + QStringLiteral(".carveout-")
        + QLatin1String(tag) + QLatin1Char('-')
        + QString::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, QLatin1Char('0')));
}

/** Writes `data` in full to a new temporary file beside `target` (mode `mode`, owner uid/gid when
 *  given), fsync'ed and closed. Returns the errno of the first failure (0 on success); the
 *  temporary file is removed on failure. */
int writeTemp(const QString& target, const char* tag, const QByteArray& data, const struct stat* like, QByteArray* temp)
{
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        *temp = tempNameFor(target, tag);
        fd = io().createExclusive(*temp, like ? (like->st_mode & 07777) : 0666);
        if (fd < 0 && errno != EEXIST)
            return errno;
    }
    if (fd < 0)
        return EEXIST;
    if (like) {
        // The new file takes the old one's permissions (umask applied at creation) and, where we
        // may, its owner: a save by root must not leave root's file in a user's tree.
        (void)::fchmod(fd, like->st_mode & 07777);
        if (like->st_uid != ::geteuid() || like->st_gid != ::getegid())
            (void)::fchown(fd, like->st_uid, like->st_gid);
    }
    int err = 0;
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = io().write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : ENOSPC; // write() returning 0 for a regular file: nothing fits
            break;
        }
        done += n;
    }
    if (!err && io().fsync(fd) != 0)
        err = errno;
    if (io().close(fd) != 0 && !err)
        err = errno; // NFS and quotas report late, at close
    if (err)
        io().unlink(*temp);
    return err;
}

/** Best effort: the renames in a folder survive a power loss only once the folder is synced. */
void syncFolder(const QString& folder)
{
    const int fd = ::open(enc(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

bool sameFile(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
        && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

QByteArray readAll(const QString& path, bool* ok)
{
    QFile f(path);
    *ok = f.open(QIODevice::ReadOnly);
    return *ok ? f.readAll() : QByteArray();
}

struct Item
{
    QString key; ///< the patch's path (as loaded, maybe through a symbolic link)
    QString target; ///< the file replaced: links resolved, or below outDir
    bool existed = false;
    struct stat st = {};
    QByteArray oldText;
    QByteArray newText;
    QByteArray tmpNew; ///< the new text, waiting to be renamed over target
    QByteArray tmpOld; ///< a second name of the old file: becomes the .bak (in place) or puts it back
    QString bak;
    bool replaced = false;
};

} // namespace

SaveIo* setSaveIo(SaveIo* io)
{
    SaveIo* previous = g_io;
    g_io = io;
    return previous;
}

SaveResult savePatch(const SourcePatch& patch, const QString& outDir, const QString& root)
{
    SaveResult r;
    const bool inPlace = outDir.isEmpty();
    std::vector<Item> items;
    const auto allUnchanged = [&] {
        for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it)
            r.unchanged << it.key();
    };
    const auto refuse = [&](const QString& why) {
        r.error = why + QStringLiteral("; nothing was written");
        allUnchanged();
        return r;
    };

    // 1. Checks: still the text the patch was made from, a regular file, writable, in a writable folder.
    for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it) {
        Item item;
        item.key = it.key();
        item.newText = it.value();
        if (inPlace) {
            item.target = QFileInfo(it.key()).canonicalFilePath();
            if (item.target.isEmpty())
                return refuse(QStringLiteral("%1 no longer exists (it was moved or deleted since the board was "
                                             "loaded)")
                                  .arg(displayPath(it.key())));
        } else {
            const QString rel = QDir(root).relativeFilePath(it.key());
            if (rel.startsWith(QLatin1String("../")) || QDir::isAbsolutePath(rel))
                return refuse(QStringLiteral("%1 lies outside %2").arg(it.key(), root));
            item.target = QDir(outDir).filePath(rel);
            if (!QDir().mkpath(QFileInfo(item.target).absolutePath()))
                return refuse(QStringLiteral("cannot create the folder %1").arg(QFileInfo(item.target).absolutePath()));
            const QString real = QFileInfo(item.target).canonicalFilePath();
            if (!real.isEmpty())
                item.target = real;
        }
        item.existed = ::stat(enc(item.target).constData(), &item.st) == 0;
        if (item.existed && !S_ISREG(item.st.st_mode))
            return refuse(QStringLiteral("%1 is not a regular file").arg(displayPath(item.target)));
        if (inPlace) {
            bool ok = false;
            item.oldText = readAll(item.target, &ok);
            if (!ok || item.oldText != patch.original.value(it.key()))
                return refuse(QStringLiteral("%1 changed on disk since it was loaded. Reload the board and apply "
                                             "the edits again")
                                  .arg(displayPath(it.key())));
        } else if (item.existed) {
            bool ok = false;
            item.oldText = readAll(item.target, &ok);
        }
        const QString folder = QFileInfo(item.target).absolutePath();
        if (::access(enc(folder).constData(), W_OK | X_OK) != 0) {
            const int e = errno;
            return refuse(QStringLiteral("cannot create files in the folder %1 (%2), and a file is only replaced "
                                         "safely by writing a new one beside it. Make the folder writable or write "
                                         "the result elsewhere (carveout-cli edit --out-dir DIR)")
                              .arg(displayPath(folder), reason(e)));
        }
        // A file nobody may write is one its owner protected: replace it only when they unprotect
        // it (as QSaveFile did; root passes access() but not this).
        const bool protectedFile = (item.st.st_mode & 0222) == 0;
        if (item.existed && (protectedFile || ::access(enc(item.target).constData(), W_OK) != 0)) {
            const QString why = protectedFile ? QStringLiteral("no write permission for anyone") : reason(errno);
            return refuse(QStringLiteral("%1 is read-only (%2). Make it writable (chmod u+w) or write the result "
                                         "elsewhere (carveout-cli edit --out-dir DIR)")
                              .arg(displayPath(item.target), why));
        }
        items.push_back(std::move(item));
    }

    // 2. Stage: every new text in full beside its target, every old file under a second name.
    const auto dropTemps = [&] {
        for (auto& item : items) {
            if (!item.tmpNew.isEmpty())
                io().unlink(item.tmpNew);
            if (!item.tmpOld.isEmpty())
                io().unlink(item.tmpOld);
            item.tmpNew.clear();
            item.tmpOld.clear();
        }
    };
    for (auto& item : items) {
        if (const int e
            = writeTemp(item.target, "new", item.newText, item.existed ? &item.st : nullptr, &item.tmpNew)) {
            item.tmpNew.clear();
            dropTemps();
            return refuse(QStringLiteral("cannot write the new %1 (%2). Free some space or fix the permissions, "
                                         "then save again")
                              .arg(displayPath(item.target), reason(e)));
        }
        if (!item.existed)
            continue;
        // A hard link keeps the old file without copying a byte (and undoes by rename, which works
        // on a full disk); where links are not possible (FAT, some network shares), a copy.
        item.tmpOld = tempNameFor(item.target, "old");
        if (io().link(enc(item.target), item.tmpOld) != 0) {
            if (const int e = writeTemp(item.target, "old", item.oldText, &item.st, &item.tmpOld)) {
                item.tmpOld.clear();
                dropTemps();
                return refuse(QStringLiteral("cannot keep a copy of the old %1 for its backup (%2). Free some "
                                             "space, then save again")
                                  .arg(displayPath(item.target), reason(e)));
            }
        }
    }

    // 3. A last look for changes made meanwhile, then the swaps.
    if (inPlace) {
        for (const auto& item : items) {
            struct stat now = {};
            bool ok = false;
            if (::stat(enc(item.target).constData(), &now) != 0 || !sameFile(now, item.st)
                || readAll(item.target, &ok) != item.oldText || !ok) {
                dropTemps();
                return refuse(QStringLiteral("%1 changed on disk while it was being saved. Reload the board and "
                                             "apply the edits again")
                                  .arg(displayPath(item.key)));
            }
        }
    }
    QString failure;
    size_t failedAt = items.size();
    for (size_t i = 0; i < items.size() && failure.isEmpty(); ++i) {
        Item& item = items[i];
        if (inPlace) {
            item.bak = item.target + QStringLiteral(".bak");
            if (io().rename(item.tmpOld, enc(item.bak)) != 0) {
                failure = QStringLiteral("cannot put the backup %1 in place (%2)")
                              .arg(displayPath(item.bak), reason(errno));
                failedAt = i;
                break;
            }
            item.tmpOld.clear();
            r.backups << item.bak;
        }
        if (io().rename(item.tmpNew, enc(item.target)) != 0) {
            failure = QStringLiteral("cannot replace %1 (%2)").arg(displayPath(item.target), reason(errno));
            failedAt = i;
            break;
        }
        item.tmpNew.clear();
        item.replaced = true;
    }

    if (failure.isEmpty()) {
        for (const auto& item : items)
            r.written << item.key;
        dropTemps(); // outDir: the second names of files that were there before
        QStringList folders;
        for (const auto& item : items)
            folders << QFileInfo(item.target).absolutePath();
        folders.removeDuplicates();
        for (const auto& f : folders)
            syncFolder(f);
        r.ok = true;
        return r;
    }

    // Undo: put back every file replaced before the failure, newest first.
    for (size_t j = failedAt; j-- > 0;) {
        Item& item = items[j];
        bool back = false;
        if (!item.existed) {
            back = io().unlink(enc(item.target)) == 0;
        } else if (!item.tmpOld.isEmpty()) {
            back = io().rename(item.tmpOld, enc(item.target)) == 0;
            if (back)
                item.tmpOld.clear();
        } else {
            // In place the old file is the .bak now: a fresh second name of it, renamed over.
            QByteArray tmp = tempNameFor(item.target, "undo");
            back = io().link(enc(item.bak), tmp) == 0
                || writeTemp(item.target, "undo", item.oldText, &item.st, &tmp) == 0;
            back = back && io().rename(tmp, enc(item.target)) == 0;
            if (!back)
                io().unlink(tmp);
        }
        item.replaced = !back;
        if (back)
            continue;
        r.lost << item.key;
    }
    dropTemps();
    for (const auto& item : items) {
        if (item.replaced)
            continue;
        if (!r.lost.contains(item.key))
            r.unchanged << item.key;
    }
    QString text = failure;
    if (failedAt > 0) {
        QStringList before;
        for (size_t j = 0; j < failedAt; ++j)
            before << displayPath(items[j].key);
        text += QStringLiteral(" after %1 had been replaced").arg(before.join(QStringLiteral(", ")));
    }
    if (r.lost.isEmpty()) {
        QStringList all;
        for (const auto& item : items)
            all << displayPath(item.key);
        text += QStringLiteral("; every file was put back as it was, nothing was written (%1)")
                    .arg(all.join(QStringLiteral(", ")));
    } else {
        QStringList lost;
        for (const auto& f : r.lost)
            lost << displayPath(f);
        text += QStringLiteral("; COULD NOT PUT BACK %1: it holds the new text, its old text is in %2.bak (copy it "
                               "back by hand)")
                    .arg(lost.join(QStringLiteral(", ")), lost.join(QStringLiteral(".bak, ")));
        r.written = r.lost;
    }
    r.error = text;
    return r;
}

QString writeFileAtomically(const QString& path, const QByteArray& data)
{
    QString target = QFileInfo(path).canonicalFilePath();
    if (target.isEmpty())
        target = QFileInfo(path).absoluteFilePath();
    struct stat st = {};
    const bool existed = ::stat(enc(target).constData(), &st) == 0;
    if (existed && !S_ISREG(st.st_mode))
        return QStringLiteral("%1 is not a regular file").arg(path);
    QByteArray tmp;
    if (const int e = writeTemp(target, "new", data, existed ? &st : nullptr, &tmp))
        return QStringLiteral("cannot write %1 (%2); the old file is untouched").arg(path, reason(e));
    if (io().rename(tmp, enc(target)) != 0) {
        const int e = errno;
        io().unlink(tmp);
        return QStringLiteral("cannot replace %1 (%2); the old file is untouched").arg(path, reason(e));
    }
    syncFolder(QFileInfo(target).absolutePath());
    return {};
}

} // namespace carveout
