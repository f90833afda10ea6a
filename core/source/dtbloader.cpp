// SPDX-License-Identifier: GPL-2.0-only
#include "dtbloader.h"

// libfdt
#include <libfdt.h>

// Qt
#include <QStringLiteral>

// std
#include <cstring>
#include <vector>

namespace carveout {

QString fdtErrorSentence(int err)
{
    switch (-err) {
    case FDT_ERR_TRUNCATED:
        return QStringLiteral("the file is truncated: the header promises more data than the file holds");
    case FDT_ERR_BADMAGIC:
        return QStringLiteral("this is not a device tree blob (wrong magic number)");
    case FDT_ERR_BADVERSION:
        return QStringLiteral("the blob's format version is not supported (libfdt reads versions 2 to 17)");
    case FDT_ERR_BADSTRUCTURE:
        return QStringLiteral("the structure block is damaged (bad tags or nesting)");
    case FDT_ERR_BADLAYOUT:
        return QStringLiteral("the blocks of the blob overlap or are out of order");
    case FDT_ERR_BADOFFSET:
        return QStringLiteral("an offset inside the blob points outside it");
    case FDT_ERR_BADSTATE:
        return QStringLiteral("the blob is incomplete (it was still being written)");
    case FDT_ERR_ALIGNMENT:
        return QStringLiteral("the blob is not properly aligned");
    case FDT_ERR_BADVALUE:
        return QStringLiteral("the blob contains an invalid value (bad string offset or name)");
    case FDT_ERR_INTERNAL:
        return QStringLiteral("libfdt hit an internal error");
    default:
        break;
    }
    return QStringLiteral("libfdt error %1 (%2)").arg(-err).arg(QString::fromLatin1(fdt_strerror(err)));
}

bool readDtb(const QByteArray& blob, DeviceTree& tree, QString* error)
{
    const auto fail = [&](const QString& what) {
        *error = what + QStringLiteral("; recompile it with dtc or check that the whole file was copied.");
        return false;
    };
    if (size_t(blob.size()) < sizeof(struct fdt_header))
        return fail(QStringLiteral("the file is too small to be a device tree blob (%1 bytes)").arg(blob.size()));
    // libfdt requires 8-byte aligned input, which QByteArray does not promise.
    std::vector<uint64_t> aligned((size_t(blob.size()) + 7) / 8);
    std::memcpy(aligned.data(), blob.constData(), size_t(blob.size()));
    const void* fdt = aligned.data();
    int err = fdt_check_full(fdt, size_t(blob.size()));
    if (err != 0)
        return fail(fdtErrorSentence(err));

    const int rsvCount = fdt_num_mem_rsv(fdt);
    for (int i = 0; i >= 0 && i < rsvCount; ++i) {
        uint64_t base = 0, size = 0;
        if (fdt_get_mem_rsv(fdt, i, &base, &size) != 0)
            break;
        MemReserveEntry e;
        e.base = base;
        e.size = size;
        tree.addMemReserve(e);
    }

    // Depth-first walk with an explicit stack of our node indexes.
    std::vector<int> stack;
    int depth = 0;
    int offset = 0;
    stack.push_back(0);
    while (offset >= 0 && depth >= 0) {
        const int current = stack.back();
        DtNode& n = tree.mutableNode(current);
        int prop = 0;
        fdt_for_each_property_offset(prop, fdt, offset)
        {
            const char* name = nullptr;
            int len = 0;
            const void* data = fdt_getprop_by_offset(fdt, prop, &name, &len);
            if (!data || !name || len < 0)
                return fail(QStringLiteral("a property could not be read"));
            DtProperty p;
            p.name = QByteArray(name);
            p.value = QByteArray(static_cast<const char*>(data), len);
            n.properties.push_back(std::move(p));
        }
        offset = fdt_next_node(fdt, offset, &depth);
        if (offset < 0 || depth <= 0)
            break; // end of tree (fdt_next_node needs the depth guard at the end)
        // Leave the nodes we walked out of.
        while (int(stack.size()) > depth)
            stack.pop_back();
        int len = 0;
        const char* name = fdt_get_name(fdt, offset, &len);
        if (!name || len < 0)
            return fail(QStringLiteral("a node name could not be read"));
        const int index = tree.addNode(stack.back(), QByteArray(name, len));
        stack.push_back(index);
    }
    if (offset < 0 && offset != -FDT_ERR_NOTFOUND)
        return fail(fdtErrorSentence(offset));
    tree.finalize();
    return true;
}

} // namespace carveout
