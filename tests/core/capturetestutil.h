// SPDX-License-Identifier: GPL-2.0-only
// Helpers of tst_capturereaders: the real captures, their sections, and what the tests make of them.
#pragma once

// core
#include "capture/capture.h"

// libfdt
#include <libfdt.h>

// Qt
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

// std
#include <sys/resource.h>

#include <functional>
#include <vector>

namespace carveout::capture::test {

inline QString capturesDir()
{
    return QStringLiteral(CARVEOUT_SOURCE_DIR "/tests/data/captures");
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

inline QString capturePath(const QString& name)
{
    return capturesDir() + QLatin1Char('/') + name;
}

/** The bundle's section NAME as raw lines, and the line number of its header. */
inline QList<QByteArray> sectionLines(const QByteArray& bundle, const QByteArray& name, int* headerLine = nullptr)
{
    const QList<QByteArray> lines = bundle.split('\n');
    QList<QByteArray> out;
    bool in = false;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].startsWith("@@@ ")) {
            in = lines[i] == "@@@ section " + name || lines[i].startsWith(QByteArray("@@@ section " + name + ' '));
            if (in && headerLine)
                *headerLine = i + 1;
            continue;
        }
        if (in)
            out.append(lines[i]);
    }
    return out;
}

/** A copy of `bundle` with section NAME's content replaced (header kept), or removed. */
inline QByteArray replaceSection(
    const QByteArray& bundle, const QByteArray& header, const QByteArray& newHeader, const QByteArray& content)
{
    const qsizetype start = bundle.indexOf(QByteArray(header + '\n'));
    if (start < 0)
        qFatal("no %s", header.constData());
    const qsizetype end = bundle.indexOf("\n@@@ ", start + header.size()) + 1;
    return bundle.left(start) + newHeader + (newHeader.isEmpty() ? "" : "\n") + content + bundle.mid(end);
}

inline Capture mustRead(const QString& path)
{
    QString error;
    const auto c = readCapture(path, &error);
    if (!c)
        qFatal("%s", qPrintable(error));
    return *c;
}

inline Capture mustParse(const QByteArray& bytes, const QString& name)
{
    QString error;
    const auto c = parseCapture(bytes, name, &error);
    if (!c)
        qFatal("%s: %s", qPrintable(name), qPrintable(error));
    return *c;
}

/** Kernel release per file name (tests/data/captures/README.md: the kernels). */
inline QString releaseFor(const QString& name)
{
    if (name.contains(QLatin1String("arm64-6.12")))
        return QStringLiteral("6.12.118+deb12-arm64");
    if (name.contains(QLatin1String("arm64-6.1")) || name.startsWith(QLatin1String("debugfs-cma")))
        return QStringLiteral("6.1.0-57-arm64");
    if (name.contains(QLatin1String("armhf-6.1")))
        return QStringLiteral("6.1.0-57-armmp");
    return {};
}

struct Range
{
    uint64_t base, size;
};

/** The reg of every /memory node, read with the root's #address-cells / #size-cells. */
inline std::vector<Range> memoryRanges(const QByteArray& dtb)
{
    std::vector<Range> out;
    const void* fdt = dtb.constData();
    const int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
    for (int node = fdt_next_node(fdt, -1, nullptr); node >= 0; node = fdt_next_node(fdt, node, nullptr)) {
        const char* name = fdt_get_name(fdt, node, nullptr);
        if (!name || (qstrcmp(name, "memory") != 0 && !QByteArray(name).startsWith("memory@")))
            continue;
        int len = 0;
        const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
        for (int i = 0; reg && (i + ac + sc) * 4 <= len; i += ac + sc) {
            uint64_t base = 0, size = 0;
            for (int k = 0; k < ac; ++k)
                base = base << 32 | fdt32_to_cpu(reg[i + k]);
            for (int k = 0; k < sc; ++k)
                size = size << 32 | fdt32_to_cpu(reg[i + ac + k]);
            out.push_back({ base, size });
        }
    }
    return out;
}

inline QStringList texts(const KernelLog& log)
{
    QStringList out;
    for (const auto& l : log.lines)
        out << l.text;
    return out;
}

/** A real kernel log rewritten line by line (same number of lines). */
inline QByteArray rewrite(const QByteArray& log, const std::function<QByteArray(const QByteArray&)>& f)
{
    QByteArray out;
    for (const QByteArray& line : log.split('\n')) {
        if (!line.isEmpty())
            out += f(line) + '\n';
    }
    return out;
}

/** "[    1.234567] text" split. */
inline std::pair<QByteArray, QByteArray> splitStamp(const QByteArray& line)
{
    const qsizetype close = line.indexOf("] ");
    return { line.left(close + 1), line.mid(close + 2) };
}

/** Lines of a text as an editor counts them (a last line without "\n" is one). */
inline int lineCount(const QByteArray& text)
{
    return int(text.count('\n')) + (text.isEmpty() || text.endsWith('\n') ? 0 : 1);
}

inline long maxRssKiB()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/** A function of scripts/carveout-capture run by sh on `input` (files named in args). */
inline QByteArray runScriptFunction(const QByteArray& function, const QStringList& args, const QByteArray& input = {})
{
    const QByteArray script = readAll(QStringLiteral(CARVEOUT_SOURCE_DIR "/scripts/carveout-capture"));
    const qsizetype start = script.indexOf(QByteArray("\n" + function + "() {\n")) + 1;
    const qsizetype end = script.indexOf("\n}\n", start) + 3;
    QProcess sh;
    sh.start(QStringLiteral("sh"),
        QStringList { QStringLiteral("-c"),
            QString::fromUtf8(script.mid(start, end - start)) + QLatin1Char('\n') + QString::fromUtf8(function)
                + QStringLiteral(" \"$@\""),
            QStringLiteral("sh") }
            + args);
    sh.write(input);
    sh.closeWriteChannel();
    if (!sh.waitForFinished(60000) || sh.exitCode() != 0)
        qFatal("sh %s failed: %s", function.constData(), sh.readAllStandardError().constData());
    return sh.readAllStandardOutput();
}

} // namespace carveout::capture::test
