// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the parser of dtc's annotated output (`dtc -O dts -T -T`, the source map every .dts
// load goes through) and everything after it. Seeds: fuzz/make-seeds.sh.
#include "fuzzcommon.h"

// core
#include "source/annotateddts.h"

// std
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    LoadedTree loaded;
    loaded.file = QStringLiteral("fuzz.dts");
    loaded.absoluteFile = QStringLiteral("/nonexistent/fuzz.dts");
    QString error;
    if (!parseAnnotatedDts(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), loaded.tree, &error)) {
        if (error.isEmpty())
            fuzz::broken("parseAnnotatedDts failed without a message");
        return 0;
    }
    fuzz::analyse(loaded);
    return 0;
}
