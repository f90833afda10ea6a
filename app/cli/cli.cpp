// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"

// core
#include "kernel/profile.h"
#include "model/layout.h"
#include "report/layoutreport.h"
#include "source/loader.h"

// Qt
#include <QTextStream>

namespace carveout::cli {

namespace {

const char* kUsage = R"(usage: carveout-cli COMMAND FILE [options]

Commands:
  layout FILE [common] [--format text|json]
      the reserved-memory layout of a board (.dts with its includes, or .dtb)

Common options:
  -I DIR            add an include folder for cpp and dtc (repeatable); folders of a kernel
                    tree (arch/<arch>/boot/dts) or a devicetree-rebasing tree (src/<arch>)
                    are found from where FILE sits
  --format FORMAT   output format
  -h, --help        this text

Exit status: 0 success, 1 error-level findings, 2 the input could not be read or compiled.
)";

struct Options
{
    QString command;
    QString file;
    QString format = QStringLiteral("text");
    LoadOptions load;
};

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
        auto needValue = [&](QString* into) {
            if (i + 1 >= args.size())
                return false;
            *into = args.at(++i);
            return true;
        };
        if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            out << kUsage;
            return 0;
        }
        if (a == QLatin1String("-I")) {
            QString dir;
            if (!needValue(&dir))
                return usageError(err, QStringLiteral("-I needs a folder"));
            o.load.includeDirs.append(dir);
        } else if (a.startsWith(QLatin1String("-I")) && a.size() > 2) {
            o.load.includeDirs.append(a.mid(2));
        } else if (a == QLatin1String("--format")) {
            if (!needValue(&o.format))
                return usageError(err, QStringLiteral("--format needs a value"));
        } else if (a.startsWith(QLatin1String("--format="))) {
            o.format = a.mid(9);
        } else if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
            return usageError(err, QStringLiteral("unknown option '%1'").arg(a));
        } else if (o.command.isEmpty()) {
            o.command = a;
        } else if (o.file.isEmpty()) {
            o.file = a;
        } else {
            return usageError(err, QStringLiteral("unexpected argument '%1'").arg(a));
        }
    }
    if (o.command != QLatin1String("layout"))
        return usageError(err, QStringLiteral("unknown command '%1'").arg(o.command));
    if (o.file.isEmpty())
        return usageError(err, QStringLiteral("'%1' needs a FILE (.dts or .dtb)").arg(o.command));
    if (o.format != QLatin1String("text") && o.format != QLatin1String("json"))
        return usageError(err, QStringLiteral("'%1' knows --format text and json, not '%2'").arg(o.command, o.format));
    return -1;
}

} // namespace

int run(const QStringList& args, QTextStream& out, QTextStream& err)
{
    Options o;
    if (const int status = parse(args, o, out, err); status >= 0)
        return status;

    const LoadResult loaded = loadBoard(o.file, o.load);
    if (!loaded.ok) {
        for (const auto& d : loaded.errors)
            err << d.toString() << "\n";
        err << "carveout-cli: could not load " << o.file << "\n";
        return 2;
    }
    const Layout layout = buildLayout(loaded.doc);
    const KernelProfile profile;
    if (o.format == QLatin1String("json"))
        out << QString::fromUtf8(layoutToJson(layout, profile));
    else
        out << layoutToText(layout, profile);
    return 0;
}

} // namespace carveout::cli
