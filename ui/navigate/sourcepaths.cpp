// SPDX-License-Identifier: GPL-2.0-only
#include "sourcepaths.h"

// Qt
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QUrl>

namespace carveout::ui {

QString fullPath(const QString& file)
{
    return file.isEmpty() ? file : QDir::cleanPath(QFileInfo(file).absoluteFilePath());
}

QString shownPath(const QString& file, const QString& boardFile)
{
    if (file.isEmpty() || boardFile.isEmpty())
        return file;
    const QString abs = fullPath(file);
    const QString folder = QDir::cleanPath(QFileInfo(boardFile).absolutePath());
    const QStringList a = abs.split(QLatin1Char('/')), b = folder.split(QLatin1Char('/'));
    // The nearest common ancestor, component by component ("/a/bc" does not hold "/a/b").
    qsizetype common = 0;
    while (common < a.size() - 1 && common < b.size() && a[common] == b[common])
        ++common;
    if (common <= 1) // only the root in common: a relative path would be all "../"
        return abs;
    const QString ancestor = QStringList(b.mid(0, common)).join(QLatin1Char('/'));
    return QDir(ancestor.isEmpty() ? QStringLiteral("/") : ancestor).relativeFilePath(abs);
}

QStringList shellWords(const QString& command)
{
    // POSIX sh word splitting without expansions: '...' literal, "..." with \" \\ \$ \`,
    // a backslash outside quotes escapes the next character.
    QStringList words;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (c == QLatin1Char('\'')) {
            inWord = true;
            while (++i < command.size() && command.at(i) != QLatin1Char('\''))
                word += command.at(i);
        } else if (c == QLatin1Char('"')) {
            inWord = true;
            while (++i < command.size() && command.at(i) != QLatin1Char('"')) {
                if (command.at(i) == QLatin1Char('\\') && i + 1 < command.size()
                    && QStringLiteral("\"\\$`").contains(command.at(i + 1)))
                    ++i;
                word += command.at(i);
            }
        } else if (c == QLatin1Char('\\') && i + 1 < command.size()) {
            inWord = true;
            word += command.at(++i);
        } else if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            inWord = true;
            word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

EditorCommand editorCommand(const QString& visual, const QString& editor, const QString& file, int line)
{
    const QString command = !visual.trimmed().isEmpty() ? visual : editor;
    QStringList words = shellWords(command);
    if (words.isEmpty())
        return {};
    EditorCommand c;
    c.program = words.takeFirst();
    c.arguments = words;
    if (line > 0)
        c.arguments << QStringLiteral("+%1").arg(line);
    c.arguments << fullPath(file);
    return c;
}

QString openInEditor(const QString& file, int line)
{
    auto tr = [](const char* s) { return QCoreApplication::translate("carveout::ui::SourcePaths", s); };
    const QString path = fullPath(file);
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return tr("%1 cannot be opened: the file is not there.").arg(path.isEmpty() ? tr("The source") : path);
    const EditorCommand c = editorCommand(qEnvironmentVariable("VISUAL"), qEnvironmentVariable("EDITOR"), path, line);
    if (c.program.isEmpty()) {
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
            return tr("No application opens %1: set VISUAL or EDITOR to your editor.").arg(path);
        return {};
    }
    if (!QProcess::startDetached(c.program, c.arguments))
        return tr("The editor '%1' (from %2) could not be started.")
            .arg(
                c.program, qEnvironmentVariableIsEmpty("VISUAL") ? QStringLiteral("EDITOR") : QStringLiteral("VISUAL"));
    return {};
}

} // namespace carveout::ui
