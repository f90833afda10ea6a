// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"
#include "options.h"
#include "version.h"

// core
#include "analysis/analysis.h"
#include "edit/editdocument.h"
#include "edit/patcher.h"
#include "edit/safesave.h"
#include "edit/verify.h"
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "kernel/profileoptions.h"
#include "model/layout.h"
#include "report/catalogreport.h"
#include "report/checkreport.h"
#include "report/layoutreport.h"
#include "report/simreport.h"
#include "rules/rules.h"
#include "sim/simulator.h"
#include "sim/workload.h"
#include "capture/compare.h"
#include "report/comparereport.h"
#include "source/loader.h"

// Qt
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

// std
#include <climits>

namespace carveout::cli {

namespace {

// The one source of `carveout-cli --help` and of the man page carveout-cli(1), which
// scripts/help-to-man makes from the --help output at build time (its header says the layout it
// reads); tests/package/tst_manpages.sh checks that the two say the same.
const char* kUsage = R"(usage: carveout-cli COMMAND [FILE] [options]

Lays out, checks, edits, exports and simulates the /reserved-memory layout of a Linux device tree
(.dts with its includes, preprocessed as the kernel build does, or .dtb), judged against what a
given kernel does with it at boot, and compares the prediction with a capture of a booted board.

Commands:
  layout FILE... [common] [--format text|json]
      the reserved-memory layout of a board (.dts with its includes, or .dtb), with what the
      kernel of the profile does with each region
  check FILE... [common] [--format text|json|sarif|codequality] [-W RULE] [-E RULE]
      the kernel's rules: findings with the rule, the kernel's message and the source line;
      sarif is SARIF 2.1.0 (GitHub code scanning), codequality a GitLab Code Quality report;
      several FILEs give one report for all (loaded -j N at once) and the worst exit status
  edit FILE --script EDITS.json (--out-dir DIR | --in-place) [--diff] [--patch-shared] [common]
      apply an edit script (docs/edit-scripts.md) by patching only the statements that define
      each value; shared .dtsi files get overrides in the board file unless --patch-shared
  export FILE -o OUT.dtb [--force] [common]
      compile a validated DTB (refused while error-level findings remain, unless --force)
  workload --from-trace TRACE [BOARD] -o W.json [--page-size SIZE]
      a workload (docs/workloads.md) from the cma trace events a kernel recorded: TRACE is a
      carveout-capture --trace bundle or a tracefs trace file; the tree (BOARD, else the
      bundle's) tells which device uses each CMA area. -o - writes it to standard output
  render FILE -o OUT.svg|OUT.png [--view map|diagram] [--size WxH] [common]
      draw the board's to-scale map or memory-map diagram as the window draws it, to an SVG or
      PNG (for docs and CI); runs the carveout program without a display
  simulate FILE --workload W.json [--min-size POOL] [--ops all|failures|none] [--bins TxA]
           [common] [--format text|json]
      replay a workload (docs/workloads.md) on the pools the profile's boot leaves: every
      allocation's address or failure, occupancy, largest free block, fragmentation, heatmap
      bins; --min-size finds the smallest size of a pool that never fails
  diff A [B] [common] [--profile-b NAME] [--kernel-b V] [--format text|json] ...
      what changes from A to B: two boards (two SKUs, two commits, a .dts and a .dtb), or one
      board under the common profile and under the --*-b one: regions added, removed, moved,
      resized, with changed flags, outcome or placement (paired by path, then label, then unit
      address), findings gained and lost, the RAM summary of both
  matrix BOARD... [common] [--kernel V,V,...] [--page-size S,...] [--memory SIZE|BASE+SIZE,...]
         [--cmdline "A" --cmdline "B" ...] [--profile NAME,...] [--format text|json|csv|html]
      every board under every combination of the lists: findings, the rules that fire, the
      default CMA area, dynamic placements, free RAM; cells that differ from the board's first
      column are marked; each board is compiled once
  compare FILE --capture CAPTURE [common] [--format text|json]
      what a booted board did beside the prediction: CAPTURE is a carveout-capture bundle, a
      kernel log (dmesg, journal, serial console) or a /proc/iomem file. The profile (kernel,
      arch, page size, command line, Kconfig) and RAM come from the capture unless given
  profiles [--format text|json]
      every named kernel profile with all its values
  rules [--format text|json]
      every rule with its severity, kernels, the kernel's message and the fix

Common options:
  -I DIR                add an include folder for cpp and dtc (repeatable); folders of a kernel
                        tree (arch/<arch>/boot/dts) or a devicetree-rebasing tree (src/<arch>)
                        are found from where FILE sits
  --profile NAME        a named profile (see 'profiles'); default: the newest kernel, arm64,
                        4K pages (arm or riscv when the board sits in such a kernel tree)
  --kernel VERSION      5.10, 5.15, 6.1, 6.6, 6.12, 6.18, 7.1, ...
  --arch ARCH           arm64, arm or riscv
  --page-size SIZE      4K, 16K or 64K (arm64)
  --cmdline "ARGS"      the kernel command line (default: /chosen/bootargs; "" means none)
  --config NAME=VALUE   Kconfig fact, repeatable: CMA, DMA_CMA, CMA_AREAS, DMA_RESTRICTED_POOL,
                        DMA_GLOBAL_POOL, DMA_DECLARE_COHERENT, HUGETLB_PAGE, TRANSPARENT_HUGEPAGE,
                        ARCH_FORCE_MAX_ORDER, NUMA, CMA_SIZE_MBYTES, CMA_ALIGNMENT, ARM_LPAE
  --kconfig FILE        the kernel's own configuration (.config, config.gz or a defconfig):
                        version, arch, page size and every Kconfig fact above; what it does
                        not say is listed
  --reserve [NAME@]BASE+SIZE
                        memory the boot holds that no tree shows (kernel image, initrd)
  --memory BASE+SIZE    the board's RAM, replacing the tree's memory nodes (repeatable), for
                        trees whose memory the bootloader fills in
  --overlay FILE        apply a device-tree overlay (.dtso, compiled with dtc -@, or .dtbo) over
                        FILE before anything else, as fdtoverlay and the bootloader do;
                        repeatable, applied in order
  --overlay-runtime FILE
                        an overlay the running kernel applies (configfs, a driver) rather than
                        the bootloader: its /reserved-memory nodes are never reserved
                        (rule overlay_runtime_rmem)
  --boot dt|efi         how the kernel is entered (default dt); through EFI the stub deletes
                        /memreserve/ and the EFI memory map replaces the memory nodes
  --efi-map FILE        an EFI boot's memory map: a boot log with efi=debug or a
                        carveout-capture bundle of it (implies --boot efi)
  --uboot-env FILE      U-Boot's environment (printenv output, uEnv.txt or an environment
                        image): kernel_addr_r, fdt_addr_r, ramdisk_addr_r
  --load NAME=[ADDR][+SIZE]
                        where the bootloader loads kernel, fdt or ramdisk (repeatable); the
                        kernel reserves each before /reserved-memory; ADDR may come from
                        --uboot-env (e.g. --load fdt=+64K)
  --timeout SECONDS     stop cpp or dtc after this long (default 120)
  --format FORMAT       output format: text (default), json; for check also sarif, codequality;
                        for matrix also csv, html
  -j N                  boards loaded at once when check, layout or matrix get several FILEs
                        (default: the number of cores)
  -h, --help            this text
  --version             the version, the git revision it was built from, and the Qt version

Command options:
  -W RULE, -E RULE      check: report RULE as a warning / an error (repeatable)
  -W no-RULE            check: switch RULE off
  --script EDITS.json   edit: the edit script
  --out-dir DIR         edit: write the patched files under DIR, in the tree's layout
  --in-place            edit: patch the files themselves (each keeps a .bak)
  --diff                edit: print the unified diff of every changed file
  --patch-shared        edit: patch shared .dtsi files instead of adding overrides to the board
  -o OUT.dtb            export: the DTB to write
  -o OUT.svg|OUT.png    render: the picture to write (the format follows the suffix)
  --from-trace TRACE    workload: the trace (a bundle or a tracefs trace file)
  -o W.json             workload: the workload to write (- for standard output)
  --view map|diagram    render: the to-scale map (default) or the memory-map diagram
  --size WxH            render: the picture's size in pixels (default 1600x600)
  --force               export: write the DTB despite error-level findings
  --workload W.json     simulate: the workload to replay
  --min-size POOL       simulate: search the smallest size of POOL (path, node name, &label, or
                        "default" for the default CMA area) that never fails
  --ops all|failures|none
                        simulate: list every operation, only the failures, or none (default
                        all; the text report lists only the failures beyond 200 operations)
  --bins TxA            simulate: heatmap bins, T time x A address buckets (default 128x64)
  --capture CAPTURE     compare: the capture bundle, kernel log or /proc/iomem file
  --profile-b NAME      diff: side B's profile (the common options give side A's)
  --kernel-b VERSION    diff: side B's kernel version
  --arch-b ARCH         diff: side B's architecture
  --page-size-b SIZE    diff: side B's page size
  --cmdline-b "ARGS"    diff: side B's kernel command line
  --config-b NAME=VALUE
                        diff: a Kconfig fact of side B (repeatable)
  --memory-b BASE+SIZE
                        diff: side B's RAM (repeatable)
  --reserve-b [NAME@]BASE+SIZE
                        diff: an early reservation of side B (repeatable)
  --kconfig-b FILE      diff: side B's kernel configuration

Exit status:
  0    success, and no error-level finding
  1    error-level findings (check, export, matrix), a difference (diff), an allocation that failed or fell out of its
       pool (simulate), or a difference between the prediction and the capture (compare)
  2    the input could not be read or compiled, or the call was wrong

Examples:
  carveout-cli check board.dts
      the findings, one per line with file:line, as a compiler prints them
  carveout-cli check board.dts --format sarif > board.sarif
      the same for a code-scanning tool (docs/ci.md has CI recipes)
  carveout-cli layout board.dtb --format json --profile debian-6.12-arm64
      the layout of a compiled tree as a Debian 12 6.12 kernel sees it
  carveout-cli edit board.dts --script fix.json --in-place --diff
      apply an edit script to the sources and show what changed
  carveout-cli simulate board.dts --workload camera.json --min-size '&camera_cma'
      replay a workload and find the smallest pool that holds it
  carveout-cli diff board.dts --kernel 6.1 --kernel-b 6.12
      what moving the board from 6.1 to 6.12 changes
  carveout-cli matrix sku-*.dts --kernel 6.1,6.12 --memory 1G,2G,4G --format html > m.html
      every SKU under every kernel and RAM size, as one HTML page
  carveout-cli compare board.dts --capture carveout-capture-board-20260101-120000.txt
      put what a booted board did (recorded by carveout-capture) beside the prediction
)";

int usageError(QTextStream& err, const QString& what)
{
    err << "carveout-cli: " << what << "\n"
        << "Run 'carveout-cli --help' for the commands and options.\n";
    return 2;
}

/** Parses argv; returns -1 to continue, else an exit status. */
int parse(const QStringList& args, Options& o, QTextStream& out, QTextStream& err)
{
    if (args.isEmpty())
        return usageError(err, QStringLiteral("no command given"));
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args.at(i);
        QString value;
        auto take = [&](const char* name, QString* into) {
            const QString n = QString::fromLatin1(name);
            if (a == n) {
                if (i + 1 >= args.size())
                    return -2;
                *into = args.at(++i);
                return 1;
            }
            if (a.startsWith(n + QLatin1Char('=')) && n.startsWith(QLatin1String("--"))) {
                *into = a.mid(n.size() + 1);
                return 1;
            }
            return 0;
        };
        if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            out << kUsage;
            return 0;
        }
        if (a == QLatin1String("--version")) {
            out << versionText(QStringLiteral("carveout-cli"));
            return 0;
        }
        int t = 0;
        if ((t = take("-I", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("-I needs a folder"));
            o.load.includeDirs.append(value);
        } else if (a.startsWith(QLatin1String("-I")) && a.size() > 2) {
            o.load.includeDirs.append(a.mid(2));
        } else if ((t = take("--format", &o.format))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--format needs a value"));
        } else if ((t = take("--profile", &o.profile.profile)) || (t = take("--kernel", &o.profile.kernel))
            || (t = take("--arch", &o.profile.arch)) || (t = take("--page-size", &o.profile.pageSize))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a value").arg(a));
        } else if ((t = take("--profile-b", &o.profileB.profile)) || (t = take("--kernel-b", &o.profileB.kernel))
            || (t = take("--arch-b", &o.profileB.arch)) || (t = take("--page-size-b", &o.profileB.pageSize))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a value").arg(a));
            o.anyB = true;
        } else if ((t = take("--cmdline-b", &value)) || (t = take("--config-b", &value))
            || (t = take("--memory-b", &value)) || (t = take("--reserve-b", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a value").arg(a));
            const QString opt = a.section(QLatin1Char('='), 0, 0);
            if (opt == QLatin1String("--cmdline-b"))
                o.profileB.cmdline = value;
            else if (opt == QLatin1String("--config-b"))
                o.profileB.config.append(value);
            else if (opt == QLatin1String("--memory-b"))
                o.profileB.memory.append(value);
            else
                o.profileB.reserve.append(value);
            o.anyB = true;
        } else if ((t = take("-j", &value)) || (a.startsWith(QLatin1String("-j")) && a.size() > 2)) {
            if (t == 0) {
                value = a.mid(2);
                t = 1;
            }
            bool ok = false;
            o.jobs = value.toInt(&ok);
            if (t < 0 || !ok || o.jobs < 1 || o.jobs > 256)
                return usageError(err, QStringLiteral("-j needs a number of jobs (1 to 256)"));
        } else if ((t = take("--cmdline", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--cmdline needs a value (\"\" for none)"));
            o.profile.cmdline = value;
            o.cmdlines.append(value);
        } else if ((t = take("--kconfig", &o.profile.kconfig)) || (t = take("--kconfig-b", &o.profileB.kconfig))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a file (.config, config.gz or defconfig)").arg(a));
            o.anyB = o.anyB || a.startsWith(QLatin1String("--kconfig-b"));
        } else if ((t = take("--config", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--config needs NAME=VALUE"));
            o.profile.config.append(value);
        } else if ((t = take("--memory", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--memory needs BASE+SIZE"));
            o.profile.memory.append(value);
        } else if ((t = take("--timeout", &value))) {
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (t < 0 || !ok || !(seconds > 0 && seconds <= 86400))
                return usageError(
                    err, QStringLiteral("--timeout needs a number of seconds (more than 0, at most 86400)"));
            o.load.timeoutMs = int(seconds * 1000);
        } else if ((t = take("--overlay", &value)) || (t = take("--overlay-runtime", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs an overlay file (.dtso or .dtbo)").arg(a));
            o.load.overlays.append({ value, a.startsWith(QLatin1String("--overlay-runtime")) });
        } else if ((t = take("--boot", &o.profile.boot)) || (t = take("--efi-map", &o.profile.efiMap))
            || (t = take("--uboot-env", &o.profile.ubootEnv))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a value").arg(a));
        } else if ((t = take("--load", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--load needs NAME=[ADDR][+SIZE]"));
            o.profile.load.append(value);
        } else if ((t = take("--reserve", &value))) {
            if (t < 0)
                return usageError(err, QStringLiteral("--reserve needs [NAME@]BASE+SIZE"));
            o.profile.reserve.append(value);
        } else if ((t = take("--script", &o.script)) || (t = take("--out-dir", &o.outDir))
            || (t = take("-o", &o.output)) || (t = take("--workload", &o.workload))
            || (t = take("--min-size", &o.minSize)) || (t = take("--ops", &o.ops)) || (t = take("--bins", &o.bins))
            || (t = take("--capture", &o.capture)) || (t = take("--view", &o.view))
            || (t = take("--from-trace", &o.trace)) || (t = take("--size", &o.size))) {
            if (t < 0)
                return usageError(err, QStringLiteral("%1 needs a value").arg(a));
        } else if (a == QLatin1String("--in-place")) {
            o.inPlace = true;
        } else if (a == QLatin1String("--diff")) {
            o.diff = true;
        } else if (a == QLatin1String("--patch-shared")) {
            o.patchShared = true;
        } else if (a == QLatin1String("--force")) {
            o.force = true;
        } else if (a == QLatin1String("-W") || a == QLatin1String("-E")) {
            if (i + 1 >= args.size())
                return usageError(err, QStringLiteral("%1 needs a rule").arg(a));
            o.severity.append({ a.mid(1), args.at(++i) });
        } else if ((a.startsWith(QLatin1String("-W")) || a.startsWith(QLatin1String("-E"))) && a.size() > 2) {
            o.severity.append({ a.mid(1, 1), a.mid(2) });
        } else if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
            return usageError(err, QStringLiteral("unknown option '%1'").arg(a));
        } else if (o.command.isEmpty()) {
            o.command = a;
        } else {
            o.files.append(a);
        }
    }
    o.file = o.files.value(0);
    const bool manyFiles = o.command == QLatin1String("check") || o.command == QLatin1String("layout")
        || o.command == QLatin1String("matrix");
    const int maxFiles = manyFiles ? INT_MAX : o.command == QLatin1String("diff") ? 2 : 1;
    if (o.files.size() > maxFiles)
        return usageError(err, QStringLiteral("unexpected argument '%1'").arg(o.files.at(maxFiles)));
    if (o.anyB && o.command != QLatin1String("diff"))
        return usageError(err, QStringLiteral("the --*-b options are for 'diff'"));
    static const QStringList commands { QStringLiteral("layout"), QStringLiteral("check"), QStringLiteral("edit"),
        QStringLiteral("export"), QStringLiteral("render"), QStringLiteral("workload"), QStringLiteral("simulate"),
        QStringLiteral("compare"), QStringLiteral("diff"), QStringLiteral("matrix"), QStringLiteral("profiles"),
        QStringLiteral("rules") };
    if (!commands.contains(o.command))
        return usageError(err, QStringLiteral("unknown command '%1'").arg(o.command));
    const bool needsFile = o.command != QLatin1String("profiles") && o.command != QLatin1String("rules")
        && o.command != QLatin1String("workload");
    if (o.command == QLatin1String("workload")) {
        if (o.trace.isEmpty())
            return usageError(err, QStringLiteral("'workload' needs --from-trace TRACE (a bundle or a tracefs trace)"));
        if (o.output.isEmpty())
            return usageError(err, QStringLiteral("'workload' needs -o W.json (or -o - for standard output)"));
    }
    if (o.command == QLatin1String("edit")) {
        if (o.script.isEmpty())
            return usageError(err, QStringLiteral("'edit' needs --script EDITS.json"));
        if (o.inPlace == !o.outDir.isEmpty())
            return usageError(err, QStringLiteral("'edit' needs exactly one of --out-dir DIR and --in-place"));
    }
    if (o.command == QLatin1String("simulate")) {
        if (o.workload.isEmpty())
            return usageError(err, QStringLiteral("'simulate' needs --workload W.json"));
        if (!QStringList { QStringLiteral("all"), QStringLiteral("failures"), QStringLiteral("none") }.contains(o.ops))
            return usageError(err, QStringLiteral("--ops takes all, failures or none, not '%1'").arg(o.ops));
    }
    if (o.command == QLatin1String("compare") && o.capture.isEmpty())
        return usageError(
            err, QStringLiteral("'compare' needs --capture FILE (a bundle, a kernel log or /proc/iomem)"));
    if (o.command == QLatin1String("export") && o.output.isEmpty())
        return usageError(err, QStringLiteral("'export' needs -o OUT.dtb"));
    if (o.command == QLatin1String("render")) {
        if (const QString e = checkRenderOptions(o); !e.isEmpty())
            return usageError(err, e);
    }
    if (needsFile && o.file.isEmpty())
        return usageError(err, QStringLiteral("'%1' needs a FILE (.dts or .dtb)").arg(o.command));
    if (!needsFile && !o.file.isEmpty())
        return usageError(err, QStringLiteral("'%1' takes no FILE").arg(o.command));
    QStringList formats { QStringLiteral("text"), QStringLiteral("json") };
    if (o.command == QLatin1String("check"))
        formats << QStringLiteral("sarif") << QStringLiteral("codequality");
    if (o.command == QLatin1String("matrix"))
        formats << QStringLiteral("csv") << QStringLiteral("html");
    if (!formats.contains(o.format))
        return usageError(err,
            QStringLiteral("'%1' knows --format %2, not '%3'")
                .arg(o.command, formats.join(QStringLiteral(", ")), o.format));
    return -1;
}

int runEdit(const Options& o, const LoadedTree& board, QTextStream& out, QTextStream& err)
{
    QByteArray script;
    QString error;
    if (!readUserFile(o.script, 16 << 20, &script, &error)) {
        err << o.script << ": error: cannot read the edit script: " << error << "; nothing was written\n";
        return 2;
    }
    std::vector<EditOp> ops;
    if (!parseEditScript(script, &ops, &error)) {
        err << o.script << ": error: " << error << "; nothing was written\n";
        return 2;
    }
    PatchPolicy policy;
    policy.patchShared = o.patchShared;
    EditDocument doc(board, policy);
    if (const QString e = doc.applyAll(ops); !e.isEmpty()) {
        err << o.script << ": error: " << e << "; nothing was written\n";
        return 2;
    }
    const SourcePatch patch = makePatch(doc);
    if (!patch.ok()) {
        err << "carveout-cli: " << patch.error << "; nothing was written\n";
        return 2;
    }
    // Self-check before writing: the patched sources must compile to the edited tree.
    Diagnostics compileErrors;
    if (const QString e = checkPatch(doc, patch, &compileErrors); !e.isEmpty()) {
        if (!compileErrors.isEmpty()) {
            err << "carveout-cli: " << e << "; nothing was written:\n";
            for (const auto& d : compileErrors)
                err << "  " << d.toString() << "\n";
        } else {
            err << "carveout-cli: " << e << "; nothing was written. Please report this with the board and the script\n";
        }
        return 2;
    }
    for (const auto& n : doc.notes())
        err << "note: " << n << "\n";
    for (const auto& n : patch.notes)
        err << "note: " << n << "\n";
    if (o.diff) {
        for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it)
            out << QString::fromUtf8(unifiedDiff(displayPath(it.key()), patch.original.value(it.key()), it.value()));
    }
    if (patch.patched.isEmpty()) {
        err << "carveout-cli: the edits change no source text\n";
        return 0;
    }
    const QString root
        = board.includeDirs.root.isEmpty() ? QFileInfo(board.absoluteFile).absolutePath() : board.includeDirs.root;
    const SaveResult saved = o.inPlace ? savePatch(patch) : savePatch(patch, o.outDir, root);
    if (!saved.ok) {
        err << "carveout-cli: " << saved.error << "\n";
        for (const auto& u : saved.unchanged)
            err << "not written (as it was): " << displayPath(u) << "\n";
        for (const auto& l : saved.lost)
            err << "NOT PUT BACK (holds the new text, the old one is in its .bak): " << displayPath(l) << "\n";
        return 2;
    }
    for (const auto& w : saved.warnings)
        err << "warning: " << w << "\n";
    for (const auto& w : saved.written)
        err << "wrote " << displayPath(w) << "\n";
    return 0;
}

/** POOL as the user names it: a path, a node name, &label, or "default" for the default CMA area. */
int findPool(const sim::SimResult& r, const Layout& layout, const QString& name)
{
    for (size_t p = 0; p < r.pools.size(); ++p) {
        const sim::SimPool& pool = r.pools[p];
        const Region* region = pool.region >= 0 ? &layout.regions[size_t(pool.region)] : nullptr;
        if (pool.path == name || (name == QLatin1String("default") && pool.isDefaultCma)
            || (region
                && (region->name == name
                    || (name.startsWith(QLatin1Char('&')) && region->labels.contains(name.mid(1))))))
            return int(p);
    }
    return -1;
}

int runSimulate(const Options& o, const LoadedTree& board, const Analysis& analysis, QTextStream& out, QTextStream& err)
{
    // A workload this large is a trace written out step by step; repeat and churn say it shorter.
    QByteArray json;
    QString error;
    if (!readUserFile(o.workload, 64 << 20, &json, &error)) {
        err << "carveout-cli: cannot read the workload " << o.workload << ": " << error << "\n";
        return 2;
    }
    auto workload = sim::parseWorkload(json, &error);
    json.clear();
    if (!workload) {
        // "W.json:3:7: ..." for JSON syntax, "W.json: steps[1].size: ..." for the content.
        err << o.workload << (!error.isEmpty() && error.front().isDigit() ? ":" : ": ") << error << "\n";
        return 2;
    }
    sim::SimOptions options;
    if (!o.bins.isEmpty()) {
        const QStringList tb = o.bins.split(QLatin1Char('x'));
        bool okT = false, okA = false;
        options.timeBins = tb.value(0).toInt(&okT);
        options.addressBins = tb.value(1).toInt(&okA);
        if (tb.size() != 2 || !okT || !okA || options.timeBins < 1 || options.addressBins < 1 || options.timeBins > 4096
            || options.addressBins > 4096)
            return usageError(err, QStringLiteral("--bins takes TIMExADDRESS, each 1 to 4096, such as 128x64"));
    }
    sim::Simulator simulator(std::move(*workload), options);
    const sim::SimResult& r = simulator.update(board, analysis);
    const Layout& layout = analysis.layout;
    const KernelProfile& profile = analysis.profile;
    if (!r.error.isEmpty()) {
        err << o.workload << ": " << r.error << "\n";
        return 2;
    }
    std::optional<sim::MinSizeResult> minSize;
    if (!o.minSize.isEmpty()) {
        const int pool = findPool(r, layout, o.minSize);
        if (pool < 0) {
            QStringList names;
            for (const auto& p : r.pools)
                names << p.path;
            return usageError(err,
                QStringLiteral("--min-size: no pool '%1' on this board (pools: %2)")
                    .arg(o.minSize, names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
        }
        minSize = simulator.minSize(pool);
    }
    const OpListing listing = o.ops == QLatin1String("none") ? OpListing::None
        : o.ops == QLatin1String("failures")                 ? OpListing::Failures
                                                             : OpListing::All;
    if (o.format == QLatin1String("json")) {
        // Straight to stdout as it is made: every operation of ten million is gigabytes of JSON.
        out.flush();
        QIODevice* device = out.device();
        auto* file = qobject_cast<QFileDevice*>(device);
        if (!device) {
            out << QString::fromUtf8(simulationToJson(simulator, profile, listing, minSize ? &*minSize : nullptr));
        } else if (!simulationToJson(device, simulator, profile, listing, minSize ? &*minSize : nullptr)
            || (file && !file->flush())) {
            err << "carveout-cli: the report could not be written whole (" << device->errorString()
                << "); it is incomplete\n";
            return 2;
        }
    } else
        out << simulationToText(simulator, profile,
            o.ops == QLatin1String("all") && o.format == QLatin1String("text") && r.ops.size() > 200
                ? OpListing::Failures
                : listing,
            minSize ? &*minSize : nullptr);
    return r.failures + r.fallbacks > 0 ? 1 : 0;
}

int runExport(const Options& o, const LoadedTree& board, const Analysis& analysis, QTextStream& out, QTextStream& err)
{
    const CheckResult& result = analysis.check;
    const DtbExport x = exportDtb(EditDocument(board), result.errors, o.force);
    if (x.refused) {
        out << findingsToText(result, analysis.profile, o.file);
        err << "carveout-cli: " << result.errors << " error-level finding(s) on " << analysis.profile.name
            << "; no DTB written (fix them, or --force)\n";
        return 1;
    }
    if (!x.ok()) {
        for (const auto& d : x.compileErrors)
            err << d.toString() << "\n";
        if (x.compileErrors.isEmpty())
            err << "carveout-cli: " << x.error << "\n";
        return 2;
    }
    if (const QString e = writeFileAtomically(o.output, x.dtb); !e.isEmpty()) {
        err << "carveout-cli: " << e << "\n";
        return 2;
    }
    err << "wrote " << o.output << " (" << x.dtb.size() << " bytes" << (result.errors ? ", forced despite errors" : "")
        << ")\n";
    return 0;
}

/** What the user set explicitly, which a capture must not override. */
QStringList userProfileChoices(const ProfileRequest& p)
{
    QStringList set;
    auto mark = [&set](bool on, const char* what) {
        if (on)
            set << QLatin1String(what);
    };
    mark(!p.profile.isEmpty(), "profile");
    mark(!p.kernel.isEmpty(), "kernel");
    mark(!p.arch.isEmpty(), "arch");
    mark(!p.pageSize.isEmpty(), "page-size");
    mark(p.cmdline.has_value(), "cmdline");
    mark(!p.config.isEmpty(), "config");
    mark(!p.memory.isEmpty(), "memory");
    mark(!p.reserve.isEmpty(), "reserve");
    mark(!p.boot.isEmpty() || !p.efiMap.isEmpty(), "boot");
    mark(!p.load.isEmpty() || !p.ubootEnv.isEmpty(), "load");
    return set;
}

} // namespace

int usageErrorText(QTextStream& err, const QString& what)
{
    return usageError(err, what);
}

int run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Options o;
    if (const int status = parse(args, o, out, err); status >= 0)
        return status;

    if (o.command == QLatin1String("profiles")) {
        out << (o.format == QLatin1String("json") ? QString::fromUtf8(profilesToJson()) : profilesToText());
        return 0;
    }
    if (o.command == QLatin1String("rules")) {
        out << (o.format == QLatin1String("json") ? QString::fromUtf8(rulesToJson()) : rulesToText());
        return 0;
    }

    if (o.command == QLatin1String("render"))
        return runRender(o, out, err); // the window's program loads the board itself
    if (o.command == QLatin1String("workload"))
        return runWorkloadFromTrace(o, out, err);
    SeverityOverrides overrides;
    for (const auto& [flag, rule] : o.severity) {
        const QString e = overrides.apply(flag, rule);
        if (!e.isEmpty())
            return usageError(err, e);
    }

    std::optional<capture::Capture> captured;
    if (o.command == QLatin1String("compare")) {
        QString error;
        captured = capture::readCapture(o.capture, &error);
        if (!captured) {
            err << "carveout-cli: " << error << "\n";
            return 2;
        }
    }

    if (o.command == QLatin1String("diff"))
        return runDiff(o, overrides, out, err);
    if (o.command == QLatin1String("matrix"))
        return runMatrix(o, overrides, out, err);
    if (o.files.size() > 1)
        return runMany(o, overrides, out, err);

    const LoadResult& loaded = keptUntilExit(loadBoard(o.file, o.load));
    if (!loaded.ok) {
        for (const auto& d : loaded.errors)
            err << d.toString() << "\n";
        err << "carveout-cli: could not load " << o.file << "\n";
        return 2;
    }
    KernelProfile profile;
    QStringList profileNotesOut;
    if (const QString e = resolveProfile(o.profile, &loaded.doc, &profile, &profileNotesOut); !e.isEmpty())
        return usageError(err, e);
    for (const auto& n : profileNotesOut)
        err << "note: " << n << "\n";
    if (o.command == QLatin1String("edit"))
        return runEdit(o, loaded.doc, out, err);

    QStringList profileNotes;
    if (captured)
        profile = capture::profileFromCapture(*captured, profile, userProfileChoices(o.profile), &profileNotes);

    const AnalysisPtr& analysis = keptUntilExit(analyse(loaded.doc, profile, overrides));
    if (captured) {
        capture::CompareResult r = capture::compareCapture(loaded.doc, analysis, *captured);
        r.profileNotes = profileNotes;
        out << (o.format == QLatin1String("json") ? QString::fromUtf8(compareToJson(r, *captured))
                                                  : compareToText(r, *captured));
        return r.anyDifference() ? 1 : 0;
    }
    if (o.command == QLatin1String("simulate"))
        return runSimulate(o, loaded.doc, *analysis, out, err);
    if (o.command == QLatin1String("export"))
        return runExport(o, loaded.doc, *analysis, out, err);
    if (o.command == QLatin1String("layout")) {
        if (o.format == QLatin1String("json"))
            out << QString::fromUtf8(layoutToJson(analysis->layout, profile, &analysis->boot));
        else
            out << layoutToText(analysis->layout, profile, &analysis->boot);
        return 0;
    }

    const CheckResult& result = analysis->check;
    if (o.format == QLatin1String("json"))
        out << QString::fromUtf8(findingsToJson(result, profile, o.file, &analysis->layout));
    else if (o.format == QLatin1String("sarif"))
        out << QString::fromUtf8(findingsToSarif(result, profile, QCoreApplication::applicationVersion()));
    else if (o.format == QLatin1String("codequality"))
        out << QString::fromUtf8(findingsToCodeQuality(result, profile, o.file));
    else
        out << findingsToText(result, profile, o.file, &analysis->layout);
    return result.errors > 0 ? 1 : 0;
}

} // namespace carveout::cli
