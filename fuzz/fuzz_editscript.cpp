// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the edit-script parser (parseEditScript), then applies the script to two sample boards
// (loaded once, with the real cpp and dtc), makes the source patch and analyses the result. Nothing
// is written: savePatch is not called. Seeds: tests/data/edit and fuzz/seeds/editscript.
#include "fuzzcommon.h"

// core
#include "edit/editdocument.h"
#include "edit/patcher.h"

// std
#include <cstddef>
#include <cstdint>

namespace {

std::vector<carveout::LoadedTree>& boards()
{
    static std::vector<carveout::LoadedTree> loaded;
    return loaded;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    using namespace carveout;
    for (const char* file : { "/samples/broken/brk1-board.dts", "/samples/imx/imx9x-evk.dts" }) {
        const LoadResult r = loadBoard(QStringLiteral(CARVEOUT_SOURCE_DIR) + QString::fromLatin1(file));
        if (!r.ok) {
            std::fprintf(stderr, "fuzz_editscript: cannot load %s (cpp and dtc needed)\n", file);
            std::exit(1);
        }
        boards().push_back(r.doc);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    std::vector<EditOp> ops;
    QString error;
    if (!parseEditScript(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), &ops, &error)) {
        if (error.isEmpty())
            fuzz::broken("parseEditScript failed without a message");
        return 0;
    }
    for (const auto& board : boards()) {
        for (const bool patchShared : { false, true }) {
            PatchPolicy policy;
            policy.patchShared = patchShared;
            EditDocument doc(board, policy);
            if (!doc.applyAll(ops).isEmpty()) {
                // All or nothing: a failed script leaves the document as loaded.
                if (!makePatch(doc).patched.isEmpty())
                    fuzz::broken("a failed script changed the document");
                continue;
            }
            const SourcePatch patch = makePatch(doc);
            for (auto it = patch.patched.begin(); it != patch.patched.end(); ++it)
                (void)unifiedDiff(it.key(), patch.original.value(it.key()), it.value());
            fuzz::analyse(doc.working());
        }
    }
    return 0;
}
