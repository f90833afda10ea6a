// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QString>
#include <QStringList>

namespace carveout {

/** The include folders cpp (-I) and dtc (-i) get for one board, as the kernel's build gives them. */
struct IncludeDirs
{
    QStringList cpp; ///< -I for cpp (absolute)
    QStringList dtc; ///< -i for dtc (absolute)
    /// "kernel" (arch/<arch>/boot/dts in a kernel checkout), "rebasing" (src/<arch>/... with
    /// include/, as devicetree-rebasing and shared/corpus), or "plain" (only the file's folder).
    QString treeKind;
    QString root; ///< the kernel or rebasing root, when found
};

/** Detects the include folders from where `absFile` sits, then adds `extra` (-I DIR from the
 *  user) in front of them so the user's folders win. Folders that do not exist are dropped. */
IncludeDirs detectIncludeDirs(const QString& absFile, const QStringList& extra = {});

/** cpp's arguments exactly as the kernel's build gives them (scripts/Makefile.dtbs,
 *  dtc_cpp_flags): -nostdinc, the include folders, -undef -D__DTS__ -x assembler-with-cpp. */
QStringList kernelCppArgs(const IncludeDirs& dirs, const QString& absFile);

/** dtc's arguments: input DTS on stdin, `-O format`, -b 0, the include folders; `extra` (such as
 *  -T -T or -q) go before the input. */
QStringList kernelDtcArgs(const IncludeDirs& dirs, const QString& outputFormat, const QStringList& extra = {});

} // namespace carveout
