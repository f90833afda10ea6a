// SPDX-License-Identifier: GPL-2.0-only
// A main() for a fuzz target without libFuzzer: runs the target once on every file named on the
// command line (folders: every file in them, sorted). Built by every compiler, so the inputs the
// fuzzers found (tests/data/hostile/fuzz) replay in the normal test suite, under ASan too.

// Qt
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>

// std
#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    QStringList files;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (QFileInfo(arg).isDir()) {
            QStringList inDir;
            QDirIterator it(arg, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                inDir << it.next();
            inDir.sort();
            files << inDir;
        } else {
            files << arg;
        }
    }
    for (const auto& file : files) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "replay: cannot read %s\n", qPrintable(file));
            return 2;
        }
        const QByteArray data = f.readAll();
        std::fprintf(stderr, "replay: %s (%lld bytes)\n", qPrintable(file), static_cast<long long>(data.size()));
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
    }
    std::fprintf(stderr, "replay: %lld input(s), no crash\n", static_cast<long long>(files.size()));
    return 0;
}
