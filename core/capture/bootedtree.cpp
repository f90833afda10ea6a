// SPDX-License-Identifier: GPL-2.0-only
#include "capture/bootedtree.h"

// core
#include "source/dtbloader.h"

namespace carveout::capture {

std::optional<BootedTree> readBootedTree(const Capture& capture, QString* why)
{
    if (capture.fdt.isEmpty())
        return std::nullopt;
    BootedTree b;
    QString error;
    if (!readDtb(capture.fdt, b.loaded.tree, &error)) {
        if (why)
            *why = QStringLiteral("the booted DTB in the capture cannot be read (%1); its /memory and "
                                  "/reserved-memory are not compared")
                       .arg(error);
        return std::nullopt;
    }
    b.loaded.file = capture.file + QStringLiteral(" (booted DTB)");
    b.loaded.absoluteFile = b.loaded.file;
    b.loaded.fromDtb = true;
    b.layout = buildLayout(b.loaded);
    return b;
}

namespace {

std::optional<uint64_t> chosenNumber(const DeviceTree& tree, const char* prop)
{
    const int chosen = tree.findPath(QStringLiteral("/chosen"));
    if (chosen < 0)
        return std::nullopt;
    const DtProperty* p = tree.node(chosen).property(prop);
    if (!p || (p->value.size() != 4 && p->value.size() != 8))
        return std::nullopt;
    return cells::readNumber(p->value, 0, cells::count(p->value));
}

} // namespace

std::vector<EarlyReservation> bootReservations(const Capture& capture, const BootedTree* booted)
{
    std::vector<EarlyReservation> out;
    std::optional<uint64_t> codeStart, dataEnd;
    for (const auto& e : capture.iomem) {
        if (capture.iomemHidden)
            break;
        if (e.name == QLatin1String("Kernel code") && !codeStart)
            codeStart = e.start;
        if (e.name == QLatin1String("Kernel data"))
            dataEnd = e.end;
    }
    if (codeStart && dataEnd && *dataEnd > *codeStart)
        out.push_back({ QStringLiteral("kernel"), { *codeStart, *dataEnd - *codeStart + 1 } });
    if (booted) {
        const auto start = chosenNumber(booted->loaded.tree, "linux,initrd-start");
        const auto end = chosenNumber(booted->loaded.tree, "linux,initrd-end");
        if (start && end && *end > *start)
            out.push_back({ QStringLiteral("initrd"), { *start, *end - *start } });
    }
    return out;
}

} // namespace carveout::capture
