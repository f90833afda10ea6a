// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes what directCpp reads: the driver's `cpp -###` output (parseDriverCommands) and the cache
// file of cc1 command lines, $XDG_CACHE_HOME/carveout/cc1-commands (parseCc1Cache). Seeds:
// make-seeds.sh (the real driver's answer and a cache file carveout-cli wrote).
#include "fuzzcommon.h"

// core
#include "source/directcpp.h"

// std
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    const QByteArray text(reinterpret_cast<const char*>(data), qsizetype(size));
    for (const QStringList& command : parseDriverCommands(text)) {
        if (command.isEmpty())
            fuzz::broken("a command line without a program");
    }
    for (const Cc1CacheEntry& e : parseCc1Cache(text)) {
        if (e.key.isEmpty())
            fuzz::broken("a cache entry without a key");
    }
    return 0;
}
