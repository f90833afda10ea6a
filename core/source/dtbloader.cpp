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

namespace {

uint32_t be32At(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

/** The first property whose length runs past the structure block, as its offset there; -1 when
 *  none does. libfdt 1.6.1 (Debian 12) adds a property's length to an int in fdt_next_tag: a
 *  length of 2^32 - 12 brings the next tag back to the property itself, and fdt_check_full and
 *  every walk loop forever (found by fuzz_dtb). Other broken structure is left to libfdt. The
 *  header must have passed fdt_check_header. */
int64_t propertyPastStructure(const void* fdt)
{
    const auto* base = static_cast<const uint8_t*>(fdt) + fdt_off_dt_struct(fdt);
    // Without size_dt_struct (versions before 17) the block may run to the end of the blob.
    const uint64_t limit
        = fdt_version(fdt) >= 17 ? fdt_size_dt_struct(fdt) : uint64_t(fdt_totalsize(fdt)) - fdt_off_dt_struct(fdt);
    uint64_t offset = 0;
    while (offset + 4 <= limit) {
        const uint64_t at = offset;
        const uint32_t tag = be32At(base + offset);
        offset += 4;
        if (tag == FDT_BEGIN_NODE) {
            while (offset < limit && base[offset] != 0)
                ++offset;
            ++offset;
        } else if (tag == FDT_PROP) {
            if (offset + 8 > limit)
                return -1;
            const uint32_t len = be32At(base + offset);
            offset += 8;
            if (len > limit - offset)
                return int64_t(at);
            // Versions before 16 align values of 8 bytes or more to 8 (as fdt_next_tag does).
            if (fdt_version(fdt) < 16 && len >= 8 && offset % 8 != 0)
                offset += 4;
            offset += len;
        } else if (tag != FDT_NOP && tag != FDT_END_NODE) {
            return -1; // FDT_END, or a bad tag: libfdt says which
        }
        offset = (offset + 3) & ~uint64_t(3);
    }
    return -1;
}

} // namespace

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
    int err = fdt_check_header(fdt);
    if (err == 0 && size_t(blob.size()) >= fdt_totalsize(fdt)) {
        if (const int64_t at = propertyPastStructure(fdt); at >= 0)
            return fail(QStringLiteral("the structure block is damaged: the property at offset %1 of it claims a "
                                       "length that runs past its end")
                            .arg(at));
    }
    err = fdt_check_full(fdt, size_t(blob.size()));
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
