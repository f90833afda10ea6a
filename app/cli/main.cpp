// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"
#include "version.h"

// core
#include "edit/safesave.h"
#include "source/directcpp.h"

// Qt
#include <QCoreApplication>
#include <QTextStream>

// std
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

/** Whether the locale the environment asks for is C in all that matters here: the language of
 *  system messages (strerror, through Qt's error strings) and their encoding. */
bool environmentLocaleIsC()
{
    const auto isC = [](const char* v) {
        return !v || !*v || !std::strcmp(v, "C") || !std::strcmp(v, "POSIX") || !std::strcmp(v, "C.UTF-8")
            || !std::strcmp(v, "C.utf8");
    };
    const char* all = std::getenv("LC_ALL");
    if (all && *all)
        return isC(all);
    const char* lang = std::getenv("LANG");
    for (const char* category : { "LC_MESSAGES", "LC_CTYPE" }) {
        const char* v = std::getenv(category);
        if (!isC(v && *v ? v : lang))
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    // No QCoreApplication: the command line needs no event loop (the tools run through one
    // poll() loop), and constructing one costs a few tenths of a millisecond of a small board's
    // 20: nearly all of it its setlocale(LC_ALL, ""), which reads a dozen locale files. That
    // call is made here only when it can change something we print (translated system messages);
    // the C locale the program starts in reads the same for C, POSIX and C.UTF-8.
    if (!environmentLocaleIsC())
        std::setlocale(LC_ALL, "");
    // cpp's cc1 command lines are kept for the next run (core/source/directcpp.h).
    carveout::setDirectCppCacheWriter(&carveout::writeFileAtomically);
    QCoreApplication::setApplicationName(QStringLiteral("carveout-cli"));
    QCoreApplication::setApplicationVersion(QLatin1String(carveout::version()));
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]); // as QCoreApplication::arguments() decodes them
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int status = carveout::cli::run(args, out, err);
    out.flush();
    err.flush();
    return status;
}
