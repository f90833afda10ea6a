// SPDX-License-Identifier: GPL-2.0-only
#include "includedirs.h"

// Qt
#include <QDir>
#include <QFileInfo>

namespace carveout {

namespace {
void appendDir(QStringList& list, const QString& dir)
{
    const QFileInfo fi(dir);
    if (!fi.isDir())
        return;
    const QString clean = QDir::cleanPath(fi.absoluteFilePath());
    if (!list.contains(clean))
        list.append(clean);
}
} // namespace

IncludeDirs detectIncludeDirs(const QString& absFile, const QStringList& extra)
{
    IncludeDirs dirs;
    const QString fileDir = QFileInfo(absFile).absolutePath();
    for (const auto& e : extra) {
        appendDir(dirs.cpp, e);
        appendDir(dirs.dtc, e);
    }

    // Walk up from the file: the first ancestor that looks like a known tree layout wins.
    QDir d(fileDir);
    QString previous;
    dirs.treeKind = QStringLiteral("plain");
    while (true) {
        const QString here = d.absolutePath();
        // Kernel checkout: <root>/arch/<arch>/boot/dts/...
        if (d.dirName() == QLatin1String("dts")
            && QFileInfo(QDir::cleanPath(here + QStringLiteral("/.."))).fileName() == QLatin1String("boot")
            && QFileInfo(QDir::cleanPath(here + QStringLiteral("/../../.."))).fileName() == QLatin1String("arch")
            && QFileInfo(here + QStringLiteral("/../../../../scripts/dtc")).isDir()) {
            const QString root = QDir::cleanPath(here + QStringLiteral("/../../../.."));
            dirs.treeKind = QStringLiteral("kernel");
            dirs.root = root;
            const QString prefixes = root + QStringLiteral("/scripts/dtc/include-prefixes");
            if (QFileInfo(prefixes).isDir()) {
                appendDir(dirs.cpp, prefixes);
                appendDir(dirs.dtc, fileDir);
                appendDir(dirs.dtc, prefixes);
            } else {
                // Kernels before include-prefixes (≈4.6) used arch dts + include dirs directly.
                appendDir(dirs.cpp, here);
                appendDir(dirs.cpp, here + QStringLiteral("/include"));
                appendDir(dirs.cpp, root + QStringLiteral("/include"));
                appendDir(dirs.dtc, fileDir);
                appendDir(dirs.dtc, here);
            }
            appendDir(dirs.cpp, root + QStringLiteral("/include"));
            return dirs;
        }
        // devicetree-rebasing layout: <root>/src/<arch>/... with <root>/include
        if (d.dirName() == QLatin1String("src") && QFileInfo(here + QStringLiteral("/../include")).isDir()
            && !previous.isEmpty()) {
            const QString root = QDir::cleanPath(here + QStringLiteral("/.."));
            dirs.treeKind = QStringLiteral("rebasing");
            dirs.root = root;
            appendDir(dirs.cpp, here);
            appendDir(dirs.cpp, root + QStringLiteral("/include"));
            appendDir(dirs.dtc, fileDir);
            appendDir(dirs.dtc, here);
            return dirs;
        }
        previous = here;
        if (!d.cdUp())
            break;
    }
    appendDir(dirs.dtc, fileDir);
    return dirs;
}

QStringList kernelCppArgs(const IncludeDirs& dirs, const QString& absFile)
{
    QStringList args { QStringLiteral("-nostdinc") };
    for (const auto& d : dirs.cpp)
        args << QStringLiteral("-I") << d;
    args << QStringLiteral("-undef") << QStringLiteral("-D__DTS__") << QStringLiteral("-x")
         << QStringLiteral("assembler-with-cpp") << absFile;
    return args;
}

QStringList kernelDtcArgs(const IncludeDirs& dirs, const QString& outputFormat, const QStringList& extra)
{
    QStringList args { QStringLiteral("-I"), QStringLiteral("dts"), QStringLiteral("-O"), outputFormat,
        QStringLiteral("-b"), QStringLiteral("0") };
    args << extra;
    for (const auto& d : dirs.dtc)
        args << QStringLiteral("-i") << d;
    args << QStringLiteral("-");
    return args;
}

} // namespace carveout
