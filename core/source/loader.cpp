// SPDX-License-Identifier: GPL-2.0-only
#include "loader.h"

// core
#include "source/annotateddts.h"
#include "source/dtbloader.h"
#include "source/linemarkers.h"
#include "source/overlay.h"
#include "source/tooldiagnostics.h"
#include "source/toolrun.h"

// Qt
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QMutex>
#include <QRegularExpression>

// POSIX
#include <sys/stat.h>

// std
#include <array>
#include <climits>
#include <map>

namespace carveout {

namespace {

constexpr uint32_t kFdtMagic = 0xd00dfeed;

/** dtc's warning-level checks a load with dtc -q switches off (see loadDts). */
constexpr const char* kQuietChecks[] = { "clocks_property", "cooling_device_property", "dmas_property",
    "hwlocks_property", "interrupts_extended_property", "io_channels_property", "iommus_property", "mboxes_property",
    "msi_parent_property", "mux_controls_property", "phys_property", "power_domains_property", "pwms_property",
    "resets_property", "sound_dai_property", "thermal_sensors_property", "gpios_property", "deprecated_gpio_property",
    "unique_unit_address", "unique_unit_address_if_enabled", "unit_address_vs_reg", "simple_bus_reg",
    "interrupts_property", "interrupt_provider", "graph_child_address", "graph_port", "graph_endpoint",
    "avoid_unnecessary_addr_size" };

struct LabelPathRef
{
    qsizetype start = 0; ///< offset of '&'
    qsizetype length = 0;
    QByteArray label;
    QByteArray rest; ///< "/pins" or empty
    qsizetype deleteStart = -1; ///< offset of a "/delete-node/" in front of it
    qsizetype deleteEnd = -1; ///< offset after the ';' that ends that statement
};

std::vector<LabelPathRef> findLabelPathRefs(const QByteArray& pp)
{
    std::vector<LabelPathRef> refs;
    static const QRegularExpression re(QStringLiteral("&\\{([A-Za-z_][A-Za-z0-9_]*)((?:/[^}\\s]*)?)\\}"));
    if (findBytes(pp, "&{") < 0)
        return refs;
    // Work on Latin-1 so regex offsets are byte offsets.
    const QString text = QString::fromLatin1(pp);
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        LabelPathRef r;
        r.start = m.capturedStart();
        r.length = m.capturedLength();
        r.label = m.captured(1).toLatin1();
        r.rest = m.captured(2).toLatin1();
        // "/delete-node/ &{...};"
        qsizetype b = r.start - 1;
        while (b >= 0 && (pp.at(b) == ' ' || pp.at(b) == '\t'))
            --b;
        if (b >= 12 && pp.mid(b - 12, 13) == "/delete-node/") {
            const qsizetype semi = pp.indexOf(';', r.start + r.length);
            if (semi > 0) {
                r.deleteStart = b - 12;
                r.deleteEnd = semi + 1;
            }
        }
        refs.push_back(r);
    }
    return refs;
}

/** Why a path cannot even be looked at (it does not exist, a dangling or looping link, a name the
 *  system or the locale cannot take), or empty. */
QString unusablePath(const QString& file, const QFileInfo& fi)
{
    if (fi.exists())
        return {};
    // Qt decodes file names with the locale (UTF-8): bytes that are not UTF-8 come back as U+FFFD
    // and name another file, which does not exist.
    if (file.contains(QChar::ReplacementCharacter)) {
        return QStringLiteral("the file name is not valid UTF-8 (the system's encoding), so it cannot be opened "
                              "by that name; rename the file or the folder it is in");
    }
    const QByteArray encoded = QFile::encodeName(fi.absoluteFilePath());
    if (encoded.size() >= PATH_MAX) {
        return QStringLiteral("the path is %1 bytes long, more than the system allows (%2); move the file to a "
                              "shorter path")
            .arg(encoded.size())
            .arg(PATH_MAX);
    }
    for (const auto& part : encoded.split('/')) {
        if (part.size() > NAME_MAX) {
            return QStringLiteral("a folder or file name in the path is %1 bytes long, more than the system allows "
                                  "(%2); rename it")
                .arg(part.size())
                .arg(NAME_MAX);
        }
    }
    if (fi.isSymLink()) {
        return QStringLiteral("this is a symbolic link to '%1', which does not exist (or the links form a loop); "
                              "fix the link or give the file itself")
            .arg(fi.symLinkTarget());
    }
    return QStringLiteral("the file does not exist; check the path");
}

/** sourceDigest of a file as it is now, each file read and hashed once per process while it stays
 *  the same: check -j N over a tree's boards reads the same .dtsi for each (imx8mp.dtsi for 40
 *  boards), and the window reloads the same files. "The same" is the same device, inode, size
 *  and modification and change times to the nanosecond (a write changes the change time, which
 *  no program can set back). Empty when the file cannot be read. */
QByteArray fileDigest(const QString& path)
{
    struct stat st = {};
    const QByteArray name = QFile::encodeName(path);
    if (::stat(name.constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return {};
    const std::array<qint64, 7> key { qint64(st.st_dev), qint64(st.st_ino), qint64(st.st_size),
        qint64(st.st_mtim.tv_sec), qint64(st.st_mtim.tv_nsec), qint64(st.st_ctim.tv_sec), qint64(st.st_ctim.tv_nsec) };
    static QMutex lock;
    static std::map<QByteArray, std::pair<std::array<qint64, 7>, QByteArray>> known;
    {
        const QMutexLocker locked(&lock);
        if (const auto it = known.find(name); it != known.end() && it->second.first == key)
            return it->second.second;
    }
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    const QByteArray digest = sourceDigest(in.readAll());
    const QMutexLocker locked(&lock);
    known[name] = { key, digest };
    return digest;
}

} // namespace

QByteArray sourceDigest(const QByteArray& text)
{
    return QCryptographicHash::hash(text, QCryptographicHash::Blake2b_256);
}

bool readUserFile(const QString& file, qint64 maxBytes, QByteArray* content, QString* error)
{
    const QFileInfo fi(file);
    if (const QString e = unusablePath(file, fi); !e.isEmpty()) {
        *error = e;
        return false;
    }
    if (fi.isDir()) {
        *error = QStringLiteral("this is a folder; give a file");
        return false;
    }
    // Opening a FIFO blocks until someone writes to it, and a device such as /dev/zero never
    // ends: only regular files (symbolic links to them are fine).
    if (!fi.isFile()) {
        *error = QStringLiteral("this is not a regular file (a device, a pipe or a socket); give a file");
        return false;
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the file (%1); check its permissions").arg(f.errorString());
        return false;
    }
    if (f.size() > maxBytes) {
        *error = QStringLiteral("the file is %1 MiB, more than the %2 MiB such a file can sensibly be; check that "
                                "this is the right file")
                     .arg(double(f.size()) / (1 << 20), 0, 'f', 1)
                     .arg(maxBytes >> 20);
        return false;
    }
    if (f.size() == 0) {
        *error = QStringLiteral("the file is empty; check that the whole file was copied");
        return false;
    }
    // Never more than the limit, even if the file grows while it is read.
    *content = f.read(maxBytes);
    if (content->isEmpty()) {
        *error = QStringLiteral("cannot read the file (%1)").arg(f.errorString());
        return false;
    }
    return true;
}

bool compileToDtb(const QString& file, const LoadOptions& options, QByteArray* dtb, Diagnostics* errors)
{
    const QString abs = QFileInfo(file).absoluteFilePath();
    const IncludeDirs dirs = detectIncludeDirs(abs, options.includeDirs);
    const QStringList cppArgs = kernelCppArgs(dirs, abs);
    QStringList extra { QStringLiteral("-q") };
    if (options.symbols)
        extra << QStringLiteral("-@");
    const QStringList dtcArgs = kernelDtcArgs(dirs, QStringLiteral("dtb"), extra);
    const QString cpp = toolPath(options.cpp, "CARVEOUT_CPP", "cpp");
    const QString dtc = toolPath(options.dtc, "CARVEOUT_DTC", "dtc");
    const PipelineRun run = runPipeline(cpp, cppArgs, dtc, dtcArgs, options.timeoutMs);
    if (!run.cpp.started || run.cpp.exitCode != 0) {
        *errors += cppDiagnostics(run.cpp.err, abs);
        if (errors->isEmpty())
            errors->append(toolError(file, QStringLiteral("the C preprocessor failed")));
        return false;
    }
    if (!run.dtc.started || run.dtc.exitCode != 0 || run.dtc.out.isEmpty()) {
        Diagnostics notes;
        dtcDiagnostics(run.dtc.err, dtc, errors, &notes);
        explainFilelessDtcErrors(errors, run.cpp.out, abs);
        if (errors->isEmpty())
            errors->append(
                toolError(file, QStringLiteral("dtc failed: %1").arg(QString::fromLocal8Bit(run.dtc.err).trimmed())));
        return false;
    }
    *dtb = run.dtc.out;
    return true;
}

QString dtcVersion(const LoadOptions& options)
{
    return cachedDtcVersion(toolPath(options.dtc, "CARVEOUT_DTC", "dtc"));
}

namespace {

bool loadDts(const QString& file, const QByteArray& content, const LoadOptions& options, LoadResult& result)
{
    const QString abs = result.doc.absoluteFile;
    result.doc.includeDirs = detectIncludeDirs(abs, options.includeDirs);
    const IncludeDirs& dirs = result.doc.includeDirs;

    // Exactly the kernel's preprocessing (scripts/Makefile.dtbs: dtc_cpp_flags), except that cpp
    // reads the board from stdin: loadBoard has read it already, and reading it once is what
    // makes the tree, the digest below and the text a save patches the same bytes. cpp runs in
    // the board's folder, where #include "x.dtsi" looks first as it would beside the file, and
    // the line markers are rewritten to name the file: the output is byte for byte the one of
    // `cpp FILE`, so dtc's annotations and every message name the real file and line.
    const QString boardDir = QFileInfo(abs).absolutePath();
    const QStringList cppArgs = kernelCppArgs(dirs, QStringLiteral("-"));
    const CppInput cppInput { &content, abs, boardDir };
    const MarkerRewriter cppNames(abs, boardDir);
    const QString cpp = toolPath(options.cpp, "CARVEOUT_CPP", "cpp");
    const QString dtc = toolPath(options.dtc, "CARVEOUT_DTC", "dtc");
    // dtc's own warnings (unit addresses, interrupt providers...) say nothing about reserved
    // memory and cost time to print and read; errors still come through.
    QStringList extra { QStringLiteral("-T"), QStringLiteral("-T") };
    if (!options.dtcWarnings)
        extra << QStringLiteral("-q");
    if (options.symbols)
        extra << QStringLiteral("-@");
    const QStringList plainDtcArgs = kernelDtcArgs(dirs, QStringLiteral("dts"), extra);
    // With -q, dtc's warning-level checks are work nobody sees: those of phandle+argument
    // properties, unit addresses, interrupts and graphs are about a tenth of dtc's time (imx8mp-evk:
    // 1 ms of 8). An error-level check still runs every check it depends on, so the tree and every
    // error stay the same. The names are dtc 1.6.1's; a dtc that does not know one refuses to run
    // ("Unrecognized check name") and runs again without them.
    if (!options.dtcWarnings) {
        for (const char* check : kQuietChecks)
            extra << QStringLiteral("-W") << QStringLiteral("no-") + QLatin1String(check);
    }
    QStringList dtcArgs = kernelDtcArgs(dirs, QStringLiteral("dts"), extra);

    // This thread would only wait while the tools run: it takes the board's digest while cpp
    // runs, and scans cpp's output and takes the digests of the files cpp read while dtc runs.
    // Which files need a digest is known only from the spans of the tree: every regular file
    // but headers is hashed early, and those the spans do not name are dropped below.
    QByteArray boardDigest;
    bool scanned = false;
    std::vector<LabelPathRef> scannedRefs;
    QStringList scannedFiles;
    QMap<QString, QByteArray> earlyDigests;
    PipelineHooks hooks;
    hooks.started = [&] { boardDigest = sourceDigest(content); };
    hooks.cppDone = [&](const QByteArray& pp) {
        scannedRefs = findLabelPathRefs(pp);
        scannedFiles = lineMarkerFiles(pp);
        for (const auto& f : scannedFiles) {
            if (f == abs || f.endsWith(QLatin1String(".h")) || !QFileInfo(f).isFile())
                continue;
            if (const QByteArray d = fileDigest(f); !d.isEmpty())
                earlyDigests.insert(f, d);
        }
        scanned = true;
    };
    const PipelineRun piped = runPipeline(cpp, cppArgs, dtc, dtcArgs, options.timeoutMs, cppInput, hooks);
    const ToolRun& pre = piped.cpp;
    const bool checksRefused = piped.dtc.exitCode != 0 && piped.dtc.err.contains("Unrecognized check name");
    if (checksRefused)
        dtcArgs = plainDtcArgs;
    if (!pre.started) {
        result.errors.append(toolError(file,
            QStringLiteral("could not run the C preprocessor '%1'; install it (Debian package cpp, "
                           "or run scripts/install-deps.sh) or set CARVEOUT_CPP")
                .arg(cpp)));
        return false;
    }
    if (pre.timedOut) {
        result.errors.append(toolError(file,
            QStringLiteral("the C preprocessor did not finish within %1 s and was stopped (does an #include name "
                           "a pipe or a device?); command: %2")
                .arg(options.timeoutMs / 1000.0)
                .arg(shellQuote(QStringList { cpp } + cppArgs))));
        return false;
    }
    if (pre.exitCode != 0) {
        result.errors += cppDiagnostics(pre.err, abs, &cppNames);
        // A cpp that fails without a word (killed, or a wrapper that says nothing) still gets a
        // sentence; before, only "could not load" was printed.
        if (result.errors.isEmpty()) {
            const QString how = pre.exitCode < 0
                ? QStringLiteral("was killed by a signal")
                : QStringLiteral("failed (exit %1) without a message").arg(pre.exitCode);
            result.errors.append(toolError(file,
                QStringLiteral("the C preprocessor '%1' %2; command: %3")
                    .arg(cpp, how, shellQuote(QStringList { cpp } + cppArgs))));
        }
        return false;
    }

    QByteArray input = pre.out;
    const auto refs = scanned ? scannedRefs : findLabelPathRefs(input);
    if (!refs.empty()) {
        // dtc 1.6.1 predates &{label/path}. Resolve the labels with a first pass in which those
        // statements are blanked out (same length, so lines and columns stay put), then give dtc
        // the full paths. The tree is the same one a newer dtc would build.
        QByteArray blanked = input;
        for (const auto& r : refs) {
            if (r.deleteStart >= 0) {
                for (qsizetype i = r.deleteStart; i < r.deleteEnd; ++i) {
                    if (blanked[i] != '\n')
                        blanked[i] = ' ';
                }
            } else {
                QByteArray repl = "&{/}";
                repl.append(QByteArray(r.length - repl.size(), ' '));
                blanked.replace(r.start, r.length, repl);
            }
        }
        const ToolRun first = runTool(dtc, dtcArgs, blanked, options.timeoutMs);
        DeviceTree probe;
        QString parseError;
        if (!first.started || first.timedOut || first.exitCode != 0
            || !parseAnnotatedDts(first.out, probe, &parseError)) {
            // Fall through: the real run below reports dtc's own error with our explanation.
        } else {
            QByteArray rewritten;
            qsizetype last = 0;
            for (const auto& r : refs) {
                const int labelNode = probe.findLabel(r.label);
                if (labelNode < 0)
                    continue; // leave it: dtc's error will name it
                rewritten.append(input.mid(last, r.start - last));
                QByteArray p = probe.path(labelNode).toUtf8();
                if (p == "/")
                    p.clear();
                rewritten.append("&{" + (p.isEmpty() && r.rest.isEmpty() ? QByteArray("/") : p) + r.rest + "}");
                last = r.start + r.length;
            }
            rewritten.append(input.mid(last));
            input = rewritten;
            Diagnostic note;
            note.severity = Severity::Info;
            note.code = QStringLiteral("dtc-compat");
            note.file = displayPath(abs);
            note.message = QStringLiteral("%1 label-relative path reference(s) (&{label/path}, newer dtc syntax) "
                                          "were rewritten as full paths for dtc %2; columns on those lines may be "
                                          "off by the length difference")
                               .arg(refs.size())
                               .arg(cachedDtcVersion(dtc));
            result.doc.notes.append(note);
        }
    }

    // The streamed run already compiled cpp's output as it was; only a rewrite needs another.
    const ToolRun run
        = input == pre.out && !checksRefused ? piped.dtc : runTool(dtc, dtcArgs, input, options.timeoutMs);
    if (!run.started) {
        result.errors.append(toolError(file,
            QStringLiteral("could not run the device tree compiler '%1'; install it (Debian package "
                           "device-tree-compiler, or run scripts/install-deps.sh) or set CARVEOUT_DTC")
                .arg(dtc)));
        return false;
    }
    if (run.timedOut) {
        result.errors.append(toolError(file,
            QStringLiteral("dtc did not finish within %1 s (on %2 lines of input) and was stopped; dtc slows down "
                           "sharply on generated trees with tens of thousands of nodes: open a .dtb of the tree, "
                           "or allow more time (carveout-cli --timeout SECONDS)")
                .arg(options.timeoutMs / 1000.0)
                .arg(input.count('\n'))));
        return false;
    }
    dtcDiagnostics(run.err, dtc, &result.errors, &result.doc.notes);
    explainFilelessDtcErrors(&result.errors, input, abs);
    if (run.exitCode != 0) {
        if (result.errors.isEmpty())
            result.errors.append(toolError(file,
                QStringLiteral("dtc failed (exit %1): %2")
                    .arg(run.exitCode)
                    .arg(QString::fromLocal8Bit(run.err).trimmed())));
        return false;
    }
    result.errors.clear(); // dtc succeeded: anything it called an error was recoverable
    QString parseError;
    if (!parseAnnotatedDts(run.out, result.doc.tree, &parseError)) {
        result.errors.append(toolError(file,
            QStringLiteral("could not read dtc's output (%1); this is a Carveout bug, please report it with the board")
                .arg(parseError)));
        return false;
    }
    result.doc.sourceFiles = scanned && input == pre.out ? scannedFiles : lineMarkerFiles(input);
    // dtc keeps /memreserve/ in source order; attach the positions cpp's markers give.
    const auto spans = memreservePositions(input, result.doc.tree);
    auto& entries = result.doc.tree.mutableMemReserve();
    for (size_t i = 0; i < entries.size() && i < spans.size(); ++i)
        entries[i].span = spans[i];
    // The digests guard a save against a file changed since loading: the patcher only ever
    // rewrites text at the spans of the tree (and the board file), so only the files dtc names
    // in spans need one. Headers that only define macros (dt-bindings, pinfunc tables: most of
    // the bytes cpp reads) are never patched and are not hashed. The board's digest is of the
    // very bytes cpp compiled. A digest cannot wait until a save: by then the file may have
    // changed and the digest would bless the new text.
    result.doc.sourceDigests.insert(abs, boardDigest.isEmpty() ? sourceDigest(content) : boardDigest);
    for (const auto& f : result.doc.tree.files()) {
        if (result.doc.sourceDigests.contains(f))
            continue;
        if (const auto early = earlyDigests.constFind(f); early != earlyDigests.constEnd()) {
            result.doc.sourceDigests.insert(f, *early);
            continue;
        }
        if (const QByteArray d = fileDigest(f); !d.isEmpty())
            result.doc.sourceDigests.insert(f, d);
    }
    return true;
}

} // namespace

LoadResult loadBoard(const QString& file, const LoadOptions& options)
{
    if (!options.overlays.isEmpty())
        return loadWithOverlays(file, options);
    LoadResult result;
    result.doc.file = file;
    const QFileInfo fi(file);
    result.doc.absoluteFile = fi.absoluteFilePath();
    // Device trees are small (the largest board of Linux compiles to ~200 KiB; a generated tree
    // with 100,000 regions to 8 MiB); anything huge is not one and would only waste memory.
    QByteArray content;
    QString readError;
    if (!readUserFile(file, 64ll << 20, &content, &readError)) {
        result.errors.append(toolError(file, readError));
        return result;
    }
    const bool magic = content.size() >= 4
        && uint32_t(
               (uchar(content[0]) << 24) | (uchar(content[1]) << 16) | (uchar(content[2]) << 8) | uchar(content[3]))
            == kFdtMagic;
    const QString suffix = fi.suffix().toLower();
    if (magic || suffix == QLatin1String("dtb") || suffix == QLatin1String("dtbo")) {
        result.doc.fromDtb = true;
        // No includes to find, but the tree it sits in still says which arch it is for.
        result.doc.includeDirs = detectIncludeDirs(result.doc.absoluteFile);
        QString error;
        if (!readDtb(content, result.doc.tree, &error)) {
            result.errors.append(toolError(file, QStringLiteral("cannot read the device tree blob: %1").arg(error)));
            return result;
        }
        result.ok = true;
        return result;
    }
    if (content.left(1 << 16).contains('\0')) {
        result.errors.append(toolError(file,
            QStringLiteral("this is not a text file (it contains NUL bytes) and not a device tree blob either; "
                           "give a .dts source or a .dtb")));
        return result;
    }
    result.ok = loadDts(file, content, options, result);
    return result;
}

} // namespace carveout
