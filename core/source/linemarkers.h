// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/devicetree.h"

// Qt
#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

// std
#include <cstring>
#include <vector>

namespace carveout {

/** Where `needle` (not empty) first occurs in `hay` at or after `from`, or -1. Both
 *  QByteArray::indexOf (Qt 6.4 hashes byte by byte) and glibc's memmem (byte by byte for short
 *  needles) take about 8 instructions a byte; these scans run over all of cpp's output on every
 *  load, so they jump with memchr to the needle's second byte ('#' of "\n# ", '{' of "&{"),
 *  which is rarer than its first. */
inline qsizetype findBytes(QByteArrayView hay, QByteArrayView needle, qsizetype from = 0)
{
    const qsizetype k = needle.size() > 1 ? 1 : 0;
    const char* const begin = hay.data();
    const char* const end = begin + hay.size();
    for (const char* p = begin + from + k; from >= 0 && p < end;) {
        p = static_cast<const char*>(std::memchr(p, needle[k], size_t(end - p)));
        if (!p)
            return -1;
        const char* start = p - k;
        if (end - start >= needle.size() && std::memcmp(start, needle.data(), size_t(needle.size())) == 0)
            return start - begin;
        ++p;
    }
    return -1;
}

/** Reads a line marker (`# 12 "file" flags`): the number of the line that follows it and the
 *  file name as written (escapes kept). False for any other line. */
inline bool parseLineMarker(QByteArrayView l, int* nextLine, QByteArrayView* file)
{
    if (!l.startsWith("# "))
        return false;
    const qsizetype q1 = l.indexOf('"');
    const qsizetype q2 = q1 >= 0 ? l.lastIndexOf('"') : -1;
    if (q1 <= 2 || q2 <= q1)
        return false;
    *nextLine = l.sliced(2, q1 - 3).trimmed().toInt();
    *file = l.sliced(q1 + 1, q2 - q1 - 1);
    return true;
}

/** Walks cpp's output line by line through its line markers (`# 12 "file" flags`): calls
 *  `onMarker(QByteArrayView file)` for each marker and `onLine(int line, QByteArrayView text)`
 *  for every other line, with its line number in the file the last marker named. `onLine`
 *  returns false to stop. The one reader of cpp's line markers (with scanLineMarkers). */
template <typename OnMarker, typename OnLine>
void scanPreprocessed(const QByteArray& pp, OnMarker onMarker, OnLine onLine)
{
    int n = 0;
    qsizetype pos = 0;
    while (pos < pp.size()) {
        qsizetype eol = pp.indexOf('\n', pos);
        if (eol < 0)
            eol = pp.size();
        const QByteArrayView l(pp.constData() + pos, eol - pos);
        QByteArrayView file;
        if (parseLineMarker(l, &n, &file)) {
            --n;
            onMarker(file);
        } else if (!l.startsWith("# ") && !onLine(++n, l)) {
            return;
        }
        pos = eol + 1;
    }
}

/** Only the markers: `onMarker(QByteArrayView file)` for each, jumping from one to the next
 *  (they are a few lines in thousands). */
template <typename OnMarker> void scanLineMarkers(const QByteArray& pp, OnMarker onMarker)
{
    qsizetype pos = 0; // at the start of a line
    while (pos < pp.size()) {
        if (!QByteArrayView(pp).sliced(pos).startsWith("# ")) {
            pos = findBytes(pp, "\n# ", pos);
            if (pos < 0)
                return;
            ++pos;
        }
        qsizetype eol = pp.indexOf('\n', pos);
        if (eol < 0)
            eol = pp.size();
        int line = 0;
        QByteArrayView file;
        if (parseLineMarker(QByteArrayView(pp.constData() + pos, eol - pos), &line, &file))
            onMarker(file);
        pos = eol + 1;
    }
}

/** Every file cpp read, from its line markers, in first-seen order (not `<built-in>` and such). */
QStringList lineMarkerFiles(const QByteArray& pp);

/** Where each /memreserve/ sits in the original sources (files interned in `tree`). */
std::vector<SourceSpan> memreservePositions(const QByteArray& pp, DeviceTree& tree);

/** The file and line of the first line of cpp's output that contains `needle` and `also`.
 *  False when there is none. */
bool locateInPreprocessed(
    const QByteArray& pp, const QByteArrayView& needle, const QByteArrayView& also, QString* file, int* line);

/** Gives cpp's output for a board read from stdin the line markers cpp would have written had it
 *  read the file itself: `<stdin>` becomes the board's path, and a file found beside the board
 *  (a relative name, since cpp ran in the board's folder) gets that folder in front. Fed chunks
 *  as they come; returns what is complete, byte for byte what `cpp FILE` writes. */
class MarkerRewriter
{
public:
    MarkerRewriter(const QString& absBoard, const QString& absDir);
    /** Appends to `out` the rewritten lines `chunk` completes. */
    void feed(QByteArrayView chunk, QByteArray& out);
    /** Appends the last line (one without a newline), if any. */
    void finish(QByteArray& out);
    /** A file name as cpp's messages give it, made absolute the same way. */
    QString fileName(const QString& name) const;

private:
    void rewriteLine(QByteArrayView line, QByteArray& out) const;
    /** `text` is whole lines, each with its newline. */
    void rewriteLines(QByteArrayView text, QByteArray& out) const;
    QByteArray m_board; ///< escaped as cpp escapes names in markers
    QByteArray m_dir; ///< escaped, with a trailing '/'
    QString m_boardName;
    QString m_dirName;
    QByteArray m_pending;
};

} // namespace carveout
