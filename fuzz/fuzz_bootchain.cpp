// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the boot chain's two readers of outside input (kernel-rules-additions.md 6 and 7): the
// EFI memory map of --efi-map (parseEfiMemoryMap: the efi=debug lines of a log or bundle) and
// U-Boot's environment of --uboot-env (parseUbootEnv: printenv output, uEnv.txt, an environment
// image). Both readers get every input; what they return is checked against their promises and
// then booted: the map as an EFI boot, the environment's load addresses as a DT boot, on a rule
// fixture with a /memreserve/ entry, a no-map region and a dynamic one (loaded once with the
// real cpp and dtc), through the whole analysis.
// Seeds: tests/oracle/cases/efi/*.efi.log and tests/data/boot/*.
#include "fuzzcommon.h"

// core
#include "kernel/bootchain.h"

// std
#include <cstddef>
#include <cstdint>

namespace {

/** Larger maps are only parsed: the boot model is fuzzed by the other targets. */
constexpr size_t kBootEntries = 512;

const carveout::LoadedTree* board()
{
    static const carveout::LoadResult loaded
        = carveout::loadBoard(QStringLiteral(CARVEOUT_SOURCE_DIR "/tests/data/rules/pair-nomap-memreserve.dts"));
    return loaded.ok ? &loaded.doc : nullptr;
}

void boot(const carveout::KernelProfile& p)
{
    if (const carveout::LoadedTree* tree = board()) {
        const carveout::AnalysisPtr a = carveout::analyse(*tree, p);
        if (a->ram.free > a->ram.ram)
            carveout::fuzz::broken("the RAM summary does not add up");
        (void)carveout::layoutToText(a->layout, p, &a->boot);
        (void)carveout::layoutToJson(a->layout, p, &a->boot);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    const QByteArray text(reinterpret_cast<const char*>(data), qsizetype(size));
    const int lines = 1 + int(text.count('\n'));
    QString error;
    if (const auto map = parseEfiMemoryMap(text, QStringLiteral("fuzz.log"), &error)) {
        for (const EfiRange& e : *map) {
            if (e.line < 1 || e.line > lines || (e.usable && !e.memory) || (e.reserve && !e.memory)
                || e.range.overflows())
                fuzz::broken("an EFI map entry off its line, usable without being memory, or past 2^64");
        }
        if (map->size() <= kBootEntries) {
            KernelProfile p = *findProfile(QStringLiteral("debian-6.1-arm64"));
            p.boot = BootPath::Efi;
            p.efiMap = *map;
            boot(p);
        }
    } else if (error.isEmpty()) {
        fuzz::broken("a refused EFI map without a reason");
    }
    error.clear();
    if (const auto env = parseUbootEnv(text, QStringLiteral("fuzz.env"), &error)) {
        KernelProfile p = *findProfile(QStringLiteral("debian-6.12-arm64"));
        for (const auto& [name, v] : *env) {
            if (name.isEmpty() || v.line < 0 || v.line > std::max(lines, int(text.count('\0')) + 1))
                fuzz::broken("a U-Boot variable without a name or off its line");
            if (!name.endsWith(QLatin1String("_addr_r")))
                continue;
            if (const auto a = parseUbootAddress(v.value); a && !AddrRange { *a, 0x10000 }.overflows())
                p.loads.push_back({ QStringLiteral("dtb"), name, { *a, 0x10000 }, QStringLiteral("fuzz") });
        }
        boot(p);
    } else if (error.isEmpty()) {
        fuzz::broken("a refused environment without a reason");
    }
    return 0;
}
