// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"
#include "version.h"

// Qt
#include <QCoreApplication>
#include <QTextStream>

// std
#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("carveout-cli"));
    QCoreApplication::setApplicationVersion(QLatin1String(carveout::version()));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int status = carveout::cli::run(app.arguments().mid(1), out, err);
    out.flush();
    err.flush();
    return status;
}
