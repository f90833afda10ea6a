// SPDX-License-Identifier: GPL-2.0-only
// readCapture: the file's size checked, its bytes mapped (not copied), its kind detected from
// the content; bundles go to bundle.cpp, plain logs and /proc/iomem files are read here.
#include "capture.h"
#include "captureparts.h"

// Qt
#include <QFile>
#include <QFileInfo>

namespace carveout::capture {

namespace {

constexpr qint64 kMaxBytes = qint64(256) * 1024 * 1024;

QString tooLarge(const QString& name, qint64 size)
{
    return QStringLiteral("%1: %2 MiB is more than the 256 MiB this reader takes; a capture is a bundle (well "
                          "under 1 MiB), one boot's kernel log or /proc/iomem: cut the file to the boot you mean")
        .arg(name)
        .arg(size >> 20);
}

QString notACapture(const QString& name)
{
    return QStringLiteral("%1: not a capture: no kernel log lines, no /proc/iomem lines and no bundle header; give "
                          "a bundle written by carveout-capture, a kernel log (dmesg, journalctl -k, a serial "
                          "console log) or a copy of /proc/iomem")
        .arg(name);
}

std::optional<Capture> parsePlain(QByteArrayView bytes, const QString& name, QString* error)
{
    int nonEmpty = 0, iomem = 0, kernel = 0;
    detail::forEachLine(bytes, 1, [&](QByteArrayView line, int) {
        if (line.trimmed().isEmpty())
            return;
        ++nonEmpty;
        if (detail::isIomemLine(line))
            ++iomem;
        else if (detail::LogReader::isKernelLine(line))
            ++kernel;
    });
    Capture c;
    c.file = name;
    if (nonEmpty == 0) {
        *error = QStringLiteral("%1: the file is empty: not a capture; give a bundle written by carveout-capture, a "
                                "kernel log or a copy of /proc/iomem")
                     .arg(name);
        return std::nullopt;
    }
    if (iomem * 2 > nonEmpty) {
        c.kind = CaptureKind::Iomem;
        detail::readIomem(bytes, 1, name, c);
        return c;
    }
    if (kernel == 0) {
        *error = notACapture(name);
        return std::nullopt;
    }
    c.kind = CaptureKind::Log;
    c.log.present = true;
    detail::LogReader reader(&c.log);
    detail::forEachLine(bytes, 1, [&](QByteArrayView line, int number) { reader.add(line, number); });
    reader.finish(name, &c.readerNotes);
    c.kernelRelease = c.log.linuxVersion;
    if (!c.log.commandLine.isEmpty())
        c.cmdline = c.log.commandLine;
    return c;
}

} // namespace

QString captureKindName(CaptureKind k)
{
    switch (k) {
    case CaptureKind::Bundle:
        return QStringLiteral("bundle");
    case CaptureKind::Log:
        return QStringLiteral("log");
    case CaptureKind::Iomem:
        return QStringLiteral("iomem");
    }
    return QStringLiteral("log");
}

std::optional<Capture> parseCapture(const QByteArray& bytes, const QString& name, QString* error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    error->clear();
    if (bytes.size() > kMaxBytes) {
        *error = tooLarge(name, bytes.size());
        return std::nullopt;
    }
    const QByteArrayView view(bytes);
    if (view.startsWith("\x1f\x8b")) {
        *error = QStringLiteral("%1: the file is gzip-compressed; decompress it first (gunzip)").arg(name);
        return std::nullopt;
    }
    if (view.startsWith("\xd0\x0d\xfe\xed")) {
        *error = QStringLiteral("%1: this is a device tree blob, not a capture; open it as the board, and give "
                                "the capture (a bundle, a kernel log or /proc/iomem) with --capture")
                     .arg(name);
        return std::nullopt;
    }
    const QByteArrayView first = view.startsWith("\xEF\xBB\xBF") ? view.sliced(3) : view;
    if (first.startsWith("carveout-capture-bundle"))
        return detail::parseBundle(view, name, error);
    return parsePlain(view, name, error);
}

std::optional<Capture> readCapture(const QString& path, QString* error)
{
    QString scratch;
    if (!error)
        error = &scratch;
    const QFileInfo info(path);
    if (info.isDir()) {
        *error = QStringLiteral("%1: is a folder; give the capture file itself").arg(path);
        return std::nullopt;
    }
    if (info.isFile() && info.size() > kMaxBytes) {
        *error = tooLarge(path, info.size());
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read the capture: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    // Read, not mapped: a mapped file that another process truncates meanwhile would kill us
    // with SIGBUS (a capture still being copied off a board, say).
    const QByteArray bytes = f.read(kMaxBytes + 1);
    if (f.error() != QFileDevice::NoError) {
        *error = QStringLiteral("%1: cannot read the capture: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return parseCapture(bytes, path, error);
}

} // namespace carveout::capture
