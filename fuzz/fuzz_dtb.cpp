// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the DTB reader (readDtb: what loadBoard does with the bytes of a .dtb) and everything
// after it. Seeds: fuzz/make-seeds.sh (the samples and corpus boards compiled with dtc).
#include "fuzzcommon.h"

// core
#include "source/dtbloader.h"

// std
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    LoadedTree loaded;
    loaded.file = QStringLiteral("fuzz.dtb");
    loaded.absoluteFile = QStringLiteral("/nonexistent/fuzz.dtb");
    loaded.fromDtb = true;
    QString error;
    if (!readDtb(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), loaded.tree, &error)) {
        if (error.isEmpty())
            fuzz::broken("readDtb failed without a message");
        return 0;
    }
    fuzz::analyse(loaded);
    return 0;
}
