// SPDX-License-Identifier: GPL-2.0-only
#include "sourcepath.h"

// Qt
#include <QDir>
#include <QFileInfo>

namespace carveout::ui {

QString absoluteSourcePath(const QString& file)
{
    return file.isEmpty() ? file : QDir::cleanPath(QFileInfo(file).absoluteFilePath());
}

namespace {

bool isInside(const QString& path, const QString& folder)
{
    return folder == QLatin1String("/") ? path.startsWith(folder) : path.startsWith(folder + QLatin1Char('/'));
}

QString withHome(const QString& path)
{
    const QString home = QDir::cleanPath(QDir::homePath());
    return home != QLatin1String("/") && isInside(path, home) ? QStringLiteral("~") + path.mid(home.size()) : path;
}

} // namespace

QString shownSourcePath(const QString& file, const QString& boardFile)
{
    if (file.isEmpty())
        return file;
    const QString abs = absoluteSourcePath(file);
    if (boardFile.isEmpty())
        return withHome(abs);
    const QString folder = QFileInfo(absoluteSourcePath(boardFile)).absolutePath();
    if (isInside(abs, folder))
        return abs.mid(folder.size() + (folder == QLatin1String("/") ? 0 : 1));
    // The source tree's root: the deepest folder both lie in (a kernel tree's top, above arch/
    // and include/). A root of one component (/usr, /tmp) or the home folder itself is no tree.
    const QStringList a = abs.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QStringList b = folder.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    int common = 0;
    while (common < a.size() - 1 && common < b.size() && a[common] == b[common])
        ++common;
    const QString root = QLatin1Char('/') + a.mid(0, common).join(QLatin1Char('/'));
    const QString home = QDir::cleanPath(QDir::homePath());
    if (common < 2 || root == home || isInside(home, root))
        return withHome(abs);
    return a.mid(common).join(QLatin1Char('/'));
}

QString shownSourceLocation(const QString& file, int line, const QString& boardFile)
{
    const QString shown = shownSourcePath(file, boardFile);
    return line > 0 ? QStringLiteral("%1:%2").arg(shown).arg(line) : shown;
}

} // namespace carveout::ui
