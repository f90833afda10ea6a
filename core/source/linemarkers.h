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
#include <vector>

namespace carveout {

/** Walks cpp's output line by line through its line markers (`# 12 "file" flags`): calls
 *  `onMarker(QByteArrayView file)` for each marker and `onLine(int line, QByteArrayView text)`
 *  for every other line, with its line number in the file the last marker named. `onLine`
 *  returns false to stop. The one reader of cpp's line markers. */
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
        if (l.startsWith("# ")) {
            const qsizetype q1 = l.indexOf('"');
            const qsizetype q2 = q1 >= 0 ? l.lastIndexOf('"') : -1;
            if (q1 > 2 && q2 > q1) {
                n = l.sliced(2, q1 - 3).trimmed().toInt() - 1;
                onMarker(l.sliced(q1 + 1, q2 - q1 - 1));
            }
        } else if (!onLine(++n, l)) {
            return;
        }
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
    QByteArray feed(const QByteArray& chunk);
    QByteArray finish();
    /** A file name as cpp's messages give it, made absolute the same way. */
    QString fileName(const QString& name) const;

private:
    void rewriteLine(QByteArrayView line, QByteArray& out) const;
    QByteArray m_board; ///< escaped as cpp escapes names in markers
    QByteArray m_dir; ///< escaped, with a trailing '/'
    QString m_boardName;
    QString m_dirName;
    QByteArray m_pending;
};

} // namespace carveout
