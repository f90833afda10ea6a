// SPDX-License-Identifier: GPL-2.0-only
#include "source/directcpp.h"

// core
#include "source/toolrun.h"

// Qt
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QStandardPaths>

// POSIX
#include <sys/stat.h>

// std
#include <algorithm>
#include <atomic>

namespace carveout {

namespace {

std::atomic<CacheFileWriter> gWriter { nullptr };

constexpr char kCacheHeader[] = "carveout cc1-commands 1";
constexpr int kCacheEntries = 32; ///< a handful of trees and drivers; older entries are dropped
constexpr qint64 kCacheMaxBytes = 1 << 20;

/** "path size mtime" of a file as the system has it now, or empty when it cannot be looked at. */
QByteArray fileIdentity(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat st = {};
    if (::stat(name.constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return {};
    return name + ' ' + QByteArray::number(qint64(st.st_size)) + ' ' + QByteArray::number(qint64(st.st_mtim.tv_sec))
        + '.' + QByteArray::number(qint64(st.st_mtim.tv_nsec));
}

/** Only GCC's cpp driver is asked for its cc1 line: `true`, a wrapper script or a folder named in
 *  CARVEOUT_CPP are run as they are. */
bool isGccCppName(const QString& program)
{
    // cpp, TARGET-cpp, cpp-12, TARGET-cpp-12 (by hand: a regular expression costs 0.5 million
    // instructions to compile, a tenth of what a small board's load does itself).
    QStringView name(program);
    name = name.mid(name.lastIndexOf(QLatin1Char('/')) + 1);
    const qsizetype dash = name.lastIndexOf(QLatin1Char('-'));
    if (dash >= 0 && dash + 1 < name.size() && name.at(dash + 1).isDigit()
        && std::all_of(
            name.begin() + dash + 1, name.end(), [](QChar c) { return c.isDigit() || c == QLatin1Char('.'); }))
        name.truncate(dash);
    return name == QLatin1String("cpp") || name.endsWith(QLatin1String("-cpp"));
}

struct Entry
{
    QByteArray cc1Identity; ///< fileIdentity(program) when resolved
    DirectCpp command;
};

/** What the cache key covers: the driver as it is on disk, the variables with which the driver
 *  finds its cc1, and the arguments. */
QByteArray cacheKey(const QByteArray& driverIdentity, const QStringList& args)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(driverIdentity);
    for (const char* var : { "GCC_EXEC_PREFIX", "COMPILER_PATH", "GCC_COMPARE_DEBUG" }) {
        h.addData(QByteArrayView("\0", 1));
        h.addData(qgetenv(var));
    }
    for (const auto& a : args) {
        h.addData(QByteArrayView("\0", 1));
        h.addData(a.toLocal8Bit());
    }
    return h.result().toHex();
}

QString cacheFile()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    return base.isEmpty() ? QString() : base + QStringLiteral("/carveout/cc1-commands");
}

QHash<QByteArray, Entry> readCache(const QString& path, QList<QByteArray>* order)
{
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly) || f.size() > kCacheMaxBytes)
        return {};
    QHash<QByteArray, Entry> entries;
    for (const Cc1CacheEntry& e : parseCc1Cache(f.readAll())) {
        if (entries.contains(e.key))
            continue;
        entries.insert(e.key, Entry { e.cc1Identity, e.command });
        order->append(e.key);
    }
    return entries;
}

/** Puts `entry` first under `key` (nullptr: drops the key). */
void writeCache(const QString& path, const QByteArray& key, const Entry* entry)
{
    const CacheFileWriter writer = gWriter.load();
    if (!writer || path.isEmpty())
        return;
    QList<QByteArray> order;
    const auto old = readCache(path, &order);
    QByteArray text = QByteArray(kCacheHeader) + '\n';
    auto line = [&](const QByteArray& k, const Entry& e) {
        text += k + ' ' + e.cc1Identity.toPercentEncoding() + ' '
            + QFile::encodeName(e.command.program).toPercentEncoding();
        for (const auto& a : e.command.args)
            text += ' ' + a.toLocal8Bit().toPercentEncoding();
        text += '\n';
    };
    if (entry)
        line(key, *entry);
    int n = entry ? 1 : 0;
    for (const auto& k : order) {
        if (k != key && n++ < kCacheEntries)
            line(k, old.value(k));
    }
    QFileInfo(path).dir().mkpath(QStringLiteral("."));
    (void)writer(path, text); // a cache that cannot be written only costs the next run a resolve
}

/** Asks the driver: `cpp -### ARGS` prints the commands it would run, and runs none. */
bool resolve(const QString& cpp, const QStringList& args, int timeoutMs, Entry* entry)
{
    const ToolRun r = runTool(cpp, QStringList { QStringLiteral("-###") } + args, {}, timeoutMs);
    if (!r.started || r.timedOut || r.exitCode != 0)
        return false;
    const QList<QStringList> commands = parseDriverCommands(r.err);
    if (commands.size() != 1 || commands.front().size() < 2)
        return false;
    const QStringList& cmd = commands.front();
    if (!QFileInfo(cmd.front()).isAbsolute() || QFileInfo(cmd.front()).fileName() != QLatin1String("cc1")
        || cmd.at(1) != QLatin1String("-E"))
        return false;
    entry->command.program = cmd.front();
    entry->command.args = cmd.mid(1);
    entry->cc1Identity = fileIdentity(entry->command.program);
    return !entry->cc1Identity.isEmpty();
}

/** cacheKey for the driver `cpp` as it is now; empty for anything but a GCC cpp driver. */
QByteArray keyOf(const QString& cpp, const QStringList& args)
{
    if (!isGccCppName(cpp))
        return {};
    const QString driver = cpp.contains(QLatin1Char('/')) ? cpp : QStandardPaths::findExecutable(cpp);
    const QByteArray identity = driver.isEmpty() ? QByteArray() : fileIdentity(QFileInfo(driver).canonicalFilePath());
    return identity.isEmpty() ? QByteArray() : cacheKey(identity, args);
}

QMutex gLock;

QHash<QByteArray, Entry>& knownCommands()
{
    static QHash<QByteArray, Entry> known;
    return known;
}

} // namespace

void forgetDirectCpp(const QString& cpp, const QStringList& args)
{
    const QByteArray key = keyOf(cpp, args);
    if (key.isEmpty())
        return;
    const QMutexLocker locked(&gLock);
    knownCommands().insert(key, Entry {}); // this process runs the driver from now on
    writeCache(cacheFile(), key, nullptr);
}

QList<Cc1CacheEntry> parseCc1Cache(const QByteArray& text)
{
    // A header line, then one line per entry: key, cc1's identity, cc1, its arguments, each
    // percent-encoded and separated by one space. Anything else is skipped: the cache is only
    // a shortcut, and a line that is wrong costs a resolve.
    QList<Cc1CacheEntry> entries;
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty() || lines.front() != kCacheHeader)
        return entries;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].split(' ');
        if (fields.size() < 3 || fields[0].isEmpty())
            continue;
        Cc1CacheEntry e;
        e.key = fields[0];
        e.cc1Identity = QByteArray::fromPercentEncoding(fields[1]);
        e.command.program = QString::fromLocal8Bit(QByteArray::fromPercentEncoding(fields[2]));
        for (qsizetype k = 3; k < fields.size(); ++k)
            e.command.args << QString::fromLocal8Bit(QByteArray::fromPercentEncoding(fields[k]));
        entries << e;
    }
    return entries;
}

void setDirectCppCacheWriter(CacheFileWriter writer)
{
    gWriter.store(writer);
}

QList<QStringList> parseDriverCommands(const QByteArray& hashes)
{
    // gcc.cc (execute, -###): each command on a line of its own that starts with a space; an
    // argument of anything but letters, digits and _/-. is in double quotes, with \ before
    // each ", \ and $ in it.
    QList<QStringList> commands;
    for (const QByteArray& line : hashes.split('\n')) {
        if (!line.startsWith(' '))
            continue;
        QStringList cmd;
        qsizetype i = 0;
        bool ok = true;
        while (ok && i < line.size()) {
            if (line[i] == ' ') {
                ++i;
                continue;
            }
            QByteArray arg;
            if (line[i] == '"') {
                ok = false;
                for (++i; i < line.size(); ++i) {
                    if (line[i] == '\\' && i + 1 < line.size()) {
                        arg += line[++i];
                    } else if (line[i] == '"') {
                        ok = true;
                        ++i;
                        break;
                    } else {
                        arg += line[i];
                    }
                }
            } else {
                while (i < line.size() && line[i] != ' ')
                    arg += line[i++];
            }
            cmd << QString::fromLocal8Bit(arg);
        }
        if (!ok)
            return {}; // not the driver's format: run the driver
        if (!cmd.isEmpty())
            commands << cmd;
    }
    return commands;
}

DirectCpp directCpp(const QString& cpp, const QStringList& args, int timeoutMs)
{
    const QByteArray key = keyOf(cpp, args);
    if (key.isEmpty())
        return {};
    // check -j N loads boards on several threads at once; a resolve is done under the lock, so
    // every thread waits for the one answer instead of asking the driver as well.
    const QMutexLocker locked(&gLock);
    auto& known = knownCommands();
    if (const auto it = known.constFind(key);
        it != known.constEnd() && fileIdentity(it->command.program) == it->cc1Identity)
        return it->command;
    const QString file = cacheFile();
    QList<QByteArray> order;
    Entry entry = readCache(gWriter.load() ? file : QString(), &order).value(key);
    if (entry.command.program.isEmpty() || fileIdentity(entry.command.program) != entry.cc1Identity) {
        if (!resolve(cpp, args, std::min(timeoutMs, 10000), &entry))
            entry = Entry {}; // remembered too: the driver is run, and not asked again
        else
            writeCache(file, key, &entry);
    }
    known.insert(key, entry);
    return entry.command;
}

} // namespace carveout
