// SPDX-License-Identifier: GPL-2.0-only
// dtbref: an independent reference reading of a flattened device tree (DTB) for the
// corpus cross-check (tests/tools/crosscheck.sh). It deliberately shares no code with
// carveout_core: it walks the blob with libfdt alone, following the kernel's early boot
// reading (drivers/of/fdt.c, drivers/of/of_reserved_mem.c), and prints what it found as JSON.
//
// The reading is a library (dtbref.h, also used by tst_edit to check that an edit did what it
// asked) and a program (dtbrefmain.cpp). Usage: dtbref FILE.dtb
//
// Output: { "memory_total": "0x..", "banks": N, "memory": [{node,base,size}],
//           "memreserve": [{base,size}],
//           "regions": [{path, placement: static|dynamic|none, base|null, size|null,
//                        compatible: [..], no_map, reusable, cma_default, status}],
//           "consumers": [{device, region|null, index, name|null}] }
// Addresses and sizes are lowercase hex strings without leading zeros ("0x0" for zero).

#include "dtbref.h"

#include <libfdt.h>

#include <QtCore/QByteArray>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

QJsonValue hex(uint64_t v)
{
    return QJsonValue(QStringLiteral("0x") + QString::number(v, 16));
}

uint32_t be32(const void* p)
{
    const auto* b = static_cast<const unsigned char*>(p);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

// The kernel's dt_mem_next_cell()/of_read_number(): fold `cells` cells into a u64
// (cells beyond two push the high ones out, as in the kernel).
uint64_t readCells(const unsigned char*& p, int64_t cells)
{
    uint64_t r = 0;
    for (int64_t i = 0; i < cells; ++i) {
        r = (r << 32) | be32(p);
        p += 4;
    }
    return r;
}

struct Prop
{
    const unsigned char* data = nullptr;
    int len = -1; // -1: absent
    bool present() const { return data != nullptr; }
};

Prop getProp(const void* fdt, int node, const char* name)
{
    Prop p;
    int len = 0;
    const void* d = fdt_getprop(fdt, node, name, &len);
    if (d) {
        p.data = static_cast<const unsigned char*>(d);
        p.len = len;
    }
    return p;
}

// A property read as a string: the bytes up to the first NUL (or the end).
std::string propString(const Prop& p)
{
    if (!p.present())
        return {};
    const char* s = reinterpret_cast<const char*>(p.data);
    return std::string(s, strnlen(s, size_t(p.len)));
}

// A property read as a string list: NUL-separated strings; a final unterminated piece counts.
std::vector<std::string> propStringList(const Prop& p)
{
    std::vector<std::string> out;
    if (!p.present())
        return out;
    const char* s = reinterpret_cast<const char*>(p.data);
    int i = 0;
    while (i < p.len) {
        const size_t n = strnlen(s + i, size_t(p.len - i));
        out.emplace_back(s + i, n);
        i += int(n) + 1;
    }
    return out;
}

// of_fdt_device_is_available(): status absent, "okay" or "ok".
bool isAvailable(const void* fdt, int node)
{
    const Prop st = getProp(fdt, node, "status");
    if (!st.present())
        return true;
    const std::string s = propString(st);
    return s == "okay" || s == "ok";
}

QString pathOf(const void* fdt, int node)
{
    std::vector<char> buf(4096);
    for (;;) {
        const int err = fdt_get_path(fdt, node, buf.data(), int(buf.size()));
        if (err == 0)
            return QString::fromUtf8(buf.data());
        if (err != -FDT_ERR_NOSPACE || buf.size() > (1u << 20))
            return QString();
        buf.resize(buf.size() * 2);
    }
}

int64_t rootCells(const void* fdt, const char* name)
{
    // early_init_dt_scan_root(): default 1 (OF_ROOT_NODE_*_CELLS_DEFAULT), else the first cell.
    const Prop p = getProp(fdt, 0, name);
    if (!p.present() || p.len < 4)
        return 1;
    return int64_t(be32(p.data));
}

bool valid(const QByteArray& blob)
{
    return blob.size() >= int(sizeof(fdt_header)) && fdt_check_header(blob.constData()) == 0
        && fdt_totalsize(blob.constData()) <= uint32_t(blob.size());
}

} // namespace

namespace dtbref {

bool read(const QByteArray& blob, QJsonObject* result)
{
    const void* fdt = blob.constData();
    if (!valid(blob))
        return false;

    // Cell counts are taken as they are (no cap, as in the kernel); 64-bit arithmetic keeps
    // absurd values from overflowing: such a tuple is simply longer than any property.
    const int64_t ac = rootCells(fdt, "#address-cells");
    const int64_t sc = rootCells(fdt, "#size-cells");
    const int64_t tupleBytes = (ac + sc) * 4;

    QJsonObject out;

    // --- memory: early_init_dt_scan_memory() ---------------------------------------------
    QJsonArray memory;
    uint64_t total = 0;
    int banks = 0;
    int node = 0;
    fdt_for_each_subnode(node, fdt, 0)
    {
        const std::string type = propString(getProp(fdt, node, "device_type"));
        if (type != "memory")
            continue;
        if (!isAvailable(fdt, node))
            continue;
        Prop reg = getProp(fdt, node, "linux,usable-memory");
        if (!reg.present())
            reg = getProp(fdt, node, "reg");
        if (!reg.present())
            continue;
        const QString path = pathOf(fdt, node);
        const unsigned char* p = reg.data;
        int64_t left = reg.len;
        while (ac + sc > 0 && left >= tupleBytes) {
            const uint64_t base = readCells(p, ac);
            const uint64_t size = readCells(p, sc);
            left -= tupleBytes;
            if (size == 0)
                continue;
            total += size;
            ++banks;
            memory.append(QJsonObject { { QStringLiteral("node"), path }, { QStringLiteral("base"), hex(base) },
                { QStringLiteral("size"), hex(size) } });
        }
    }
    out.insert(QStringLiteral("memory_total"), hex(total));
    out.insert(QStringLiteral("banks"), banks);
    out.insert(QStringLiteral("memory"), memory);
    out.insert(QStringLiteral("address_cells"), qint64(ac));
    out.insert(QStringLiteral("size_cells"), qint64(sc));

    // --- /memreserve/ ----------------------------------------------------------------------
    QJsonArray memreserve;
    const int nrsv = fdt_num_mem_rsv(fdt);
    for (int i = 0; i < nrsv; ++i) {
        uint64_t a = 0, s = 0;
        if (fdt_get_mem_rsv(fdt, i, &a, &s) != 0)
            break;
        memreserve.append(QJsonObject { { QStringLiteral("base"), hex(a) }, { QStringLiteral("size"), hex(s) } });
    }
    out.insert(QStringLiteral("memreserve"), memreserve);

    // --- /reserved-memory children: fdt_scan_reserved_mem() -----------------------------------
    QJsonArray regions;
    std::set<int> regionOffsets;
    const int rmem = fdt_path_offset(fdt, "/reserved-memory");
    if (rmem >= 0) {
        int child = 0;
        fdt_for_each_subnode(child, fdt, rmem)
        {
            regionOffsets.insert(child);
            QJsonObject r;
            r.insert(QStringLiteral("path"), pathOf(fdt, child));
            const Prop reg = getProp(fdt, child, "reg");
            const Prop size = getProp(fdt, child, "size");
            QJsonValue base = QJsonValue::Null;
            QJsonValue sz = QJsonValue::Null;
            QString placement;
            if (reg.present()) {
                placement = QStringLiteral("static");
                if (ac + sc > 0 && reg.len >= tupleBytes) {
                    const unsigned char* p = reg.data;
                    base = hex(readCells(p, ac));
                    sz = hex(readCells(p, sc));
                }
            } else if (size.present()) {
                placement = QStringLiteral("dynamic");
                if (size.len == sc * 4) {
                    const unsigned char* p = size.data;
                    sz = hex(readCells(p, sc));
                }
            } else {
                placement = QStringLiteral("none");
            }
            r.insert(QStringLiteral("placement"), placement);
            r.insert(QStringLiteral("base"), base);
            r.insert(QStringLiteral("size"), sz);
            QJsonArray compat;
            for (const std::string& c : propStringList(getProp(fdt, child, "compatible")))
                compat.append(QString::fromStdString(c));
            r.insert(QStringLiteral("compatible"), compat);
            r.insert(QStringLiteral("no_map"), getProp(fdt, child, "no-map").present());
            r.insert(QStringLiteral("reusable"), getProp(fdt, child, "reusable").present());
            r.insert(QStringLiteral("cma_default"), getProp(fdt, child, "linux,cma-default").present());
            const Prop st = getProp(fdt, child, "status");
            r.insert(QStringLiteral("status"),
                st.present() ? QString::fromStdString(propString(st)) : QStringLiteral("okay"));
            regions.append(r);
        }
    }
    out.insert(QStringLiteral("regions"), regions);

    // --- memory-region consumers, anywhere in the tree ------------------------------------------
    QJsonArray consumers;
    int depth = 0;
    for (int n = 0; n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        const Prop mr = getProp(fdt, n, "memory-region");
        if (!mr.present())
            continue;
        const QString device = pathOf(fdt, n);
        const std::vector<std::string> names = propStringList(getProp(fdt, n, "memory-region-names"));
        const int cells = mr.len / 4;
        for (int i = 0; i < cells; ++i) {
            const uint32_t ph = be32(mr.data + 4 * i);
            QJsonValue region = QJsonValue::Null;
            if (ph != 0 && ph != 0xffffffffu) {
                const int target = fdt_node_offset_by_phandle(fdt, ph);
                if (target >= 0 && regionOffsets.count(target))
                    region = pathOf(fdt, target);
            }
            QJsonObject c;
            c.insert(QStringLiteral("device"), device);
            c.insert(QStringLiteral("region"), region);
            c.insert(QStringLiteral("index"), i);
            c.insert(QStringLiteral("phandle"), qint64(ph));
            c.insert(QStringLiteral("name"),
                size_t(i) < names.size() ? QJsonValue(QString::fromStdString(names[size_t(i)]))
                                         : QJsonValue(QJsonValue::Null));
            consumers.append(c);
        }
    }
    out.insert(QStringLiteral("consumers"), consumers);
    *result = out;
    return true;
}

std::map<QByteArray, QByteArray> properties(const QByteArray& blob, const QString& path, bool* found)
{
    std::map<QByteArray, QByteArray> out;
    *found = false;
    if (!valid(blob))
        return out;
    const void* fdt = blob.constData();
    const int node = fdt_path_offset(fdt, path.toUtf8().constData());
    if (node < 0)
        return out;
    *found = true;
    int prop = 0;
    fdt_for_each_property_offset(prop, fdt, node)
    {
        const char* name = nullptr;
        int len = 0;
        const void* data = fdt_getprop_by_offset(fdt, prop, &name, &len);
        if (data && name)
            out[QByteArray(name)] = QByteArray(static_cast<const char*>(data), len);
    }
    return out;
}

} // namespace dtbref
