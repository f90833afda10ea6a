// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "source/loader.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

namespace carveout::test {

inline QString sourceDir()
{
    return QStringLiteral(CARVEOUT_SOURCE_DIR);
}
inline QString samplesDir()
{
    return sourceDir() + QStringLiteral("/samples");
}
inline QString corpusDir()
{
    return QStringLiteral(CARVEOUT_SHARED_DIR) + QStringLiteral("/corpus/linux-dts");
}
inline QString oracleDir()
{
    return QStringLiteral(CARVEOUT_SHARED_DIR) + QStringLiteral("/oracle");
}

/** GUI tests keep QSettings (profile choices, recent files) away from the user's and from each
 *  other's: test mode paths, emptied at the start. */
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

inline bool haveCorpus()
{
    return QFile::exists(corpusDir() + QStringLiteral("/src/arm64"));
}

/** Writes `text` to `dir/name` (creating folders) and returns the absolute path. */
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text);
    return path;
}

/** Compiles a .dts the kernel's way into a .dtb with the real cpp and dtc. Empty on failure. */
inline QString compileDtb(const QString& dts, const QString& outDtb, const IncludeDirs& dirs)
{
    QProcess cpp;
    cpp.start(QStringLiteral(CARVEOUT_CPP_PATH), kernelCppArgs(dirs, dts));
    if (!cpp.waitForFinished(60000) || cpp.exitCode() != 0)
        return {};
    QProcess dtc;
    dtc.start(QStringLiteral(CARVEOUT_DTC_PATH),
        kernelDtcArgs(dirs, QStringLiteral("dtb"), { QStringLiteral("-q"), QStringLiteral("-o"), outDtb }));
    dtc.write(cpp.readAllStandardOutput());
    dtc.closeWriteChannel();
    if (!dtc.waitForFinished(60000) || dtc.exitCode() != 0)
        return {};
    return outDtb;
}

} // namespace carveout::test
