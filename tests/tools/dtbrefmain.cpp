// SPDX-License-Identifier: GPL-2.0-only
// dtbref FILE.dtb: prints the independent reading of dtbref.h as JSON (tests/tools/crosscheck.sh).

#include "dtbref.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: dtbref FILE.dtb\n");
        return 2;
    }
    QFile f(QString::fromLocal8Bit(argv[1]));
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "dtbref: cannot open %s\n", argv[1]);
        return 2;
    }
    QJsonObject out;
    if (!dtbref::read(f.readAll(), &out)) {
        std::fprintf(stderr, "dtbref: %s is not a valid DTB\n", argv[1]);
        return 2;
    }
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    return 0;
}
