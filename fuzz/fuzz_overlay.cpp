// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes what --overlay does with an overlay's bytes (a .dtbo, or what dtc made of a .dtso):
// readDtb's checks, the checks of fragments, targets and fixups against the base, libfdt's
// fdt_overlay_apply, the attribution of what the overlay set, and everything after it. The base
// is a small tree with __symbols__, built here with libfdt. Seeds: fuzz/make-seeds.sh (the
// samples' overlays compiled with dtc -@).
#include "fuzzcommon.h"

// core
#include "source/overlay.h"

// libfdt
#include <libfdt.h>

// std
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

QByteArray makeBase()
{
    std::vector<char> buf(4096);
    void* fdt = buf.data();
    const auto cells = [&](const char* name, std::initializer_list<uint32_t> v) {
        std::vector<fdt32_t> be;
        for (uint32_t c : v)
            be.push_back(cpu_to_fdt32(c));
        fdt_property(fdt, name, be.data(), int(be.size() * 4));
    };
    fdt_create(fdt, int(buf.size()));
    fdt_finish_reservemap(fdt);
    fdt_begin_node(fdt, "");
    cells("#address-cells", { 2 });
    cells("#size-cells", { 2 });
    fdt_begin_node(fdt, "memory@80000000");
    fdt_property_string(fdt, "device_type", "memory");
    cells("reg", { 0, 0x80000000u, 0, 0x40000000u });
    fdt_end_node(fdt);
    fdt_begin_node(fdt, "reserved-memory");
    cells("#address-cells", { 2 });
    cells("#size-cells", { 2 });
    fdt_property(fdt, "ranges", nullptr, 0);
    fdt_begin_node(fdt, "dsp@90000000");
    cells("reg", { 0, 0x90000000u, 0, 0x100000 });
    cells("phandle", { 1 });
    fdt_end_node(fdt);
    fdt_end_node(fdt);
    fdt_begin_node(fdt, "soc");
    cells("phandle", { 2 });
    fdt_end_node(fdt);
    fdt_begin_node(fdt, "__symbols__");
    fdt_property_string(fdt, "dsp_mem", "/reserved-memory/dsp@90000000");
    fdt_property_string(fdt, "soc", "/soc");
    fdt_property_string(fdt, "rmem", "/reserved-memory");
    fdt_end_node(fdt);
    fdt_end_node(fdt);
    fdt_finish(fdt);
    return QByteArray(buf.data(), int(fdt_totalsize(fdt)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace carveout;
    static const QByteArray base = makeBase();
    LoadedTree loaded;
    loaded.file = QStringLiteral("fuzz.dtb");
    loaded.absoluteFile = QStringLiteral("/nonexistent/fuzz.dtb");
    QString error;
    const QByteArray overlay(reinterpret_cast<const char*>(data), qsizetype(size));
    if (!applyOverlayBlobs(base, { overlay }, &loaded, &error)) {
        if (error.isEmpty())
            fuzz::broken("applyOverlayBlobs failed without a message");
        return 0;
    }
    fuzz::analyse(loaded);
    return 0;
}
