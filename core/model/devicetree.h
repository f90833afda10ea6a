// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// std
#include <cstdint>
#include <optional>
#include <vector>

namespace carveout {

/** A span in an ORIGINAL .dts/.dtsi file (1-based lines and columns, as dtc reports them).
 *  `file` indexes DeviceTree::files(); -1 means "no position" (DTB input, dtc-generated phandles). */
struct SourceSpan
{
    int file = -1;
    int line = 0;
    int column = 0;
    int endLine = 0;
    int endColumn = 0;
    bool isValid() const { return file >= 0 && line > 0; }
};

struct DtProperty
{
    QByteArray name;
    QByteArray value; ///< raw bytes exactly as they would be in the DTB
    SourceSpan span; ///< the winning definition
    int overlay = -1; ///< index into DeviceTree::overlays() of the overlay that set it; -1: the base
};

struct DtNode
{
    QByteArray name; ///< "dsp@92400000"; the root is ""
    int parent = -1;
    std::vector<int> children;
    std::vector<DtProperty> properties;
    QList<QByteArray> labels;
    /// Every place that contributed to the node: the definition first, then each `&label { }` override.
    std::vector<SourceSpan> spans;
    bool deleted = false; ///< removed by an edit (kept so node indexes stay stable)
    int overlay = -1; ///< index into DeviceTree::overlays() of the overlay that added the node; -1: the base

    const DtProperty* property(const char* propName) const;
    bool hasProperty(const char* propName) const { return property(propName) != nullptr; }
};

struct MemReserveEntry
{
    uint64_t base = 0;
    uint64_t size = 0;
    SourceSpan span;
};

/** One overlay of the stack a tree was built with (core/source/overlay.h), in the order applied. */
struct AppliedOverlay
{
    QString file; ///< absolute
    bool runtime = false; ///< applied by the running kernel (configfs, a driver), not before boot
};

/** A flattened device tree held in memory: the same document whether it came from a .dts
 *  (through cpp and dtc, with source positions) or from a .dtb (through libfdt, without). */
class DeviceTree
{
public:
    DeviceTree();

    const DtNode& root() const { return m_nodes.front(); }
    const DtNode& node(int index) const { return m_nodes[size_t(index)]; }
    int nodeCount() const { return int(m_nodes.size()); }

    /** Full path of a node ("/", "/reserved-memory/linux,cma"). */
    QString path(int index) const;
    /** Node index for a full path, or -1. */
    int findPath(const QString& path) const;
    /** Direct child by exact name, or -1. */
    int child(int parent, const QByteArray& name) const;
    /** Node carrying this phandle (`phandle` or `linux,phandle`), or -1. */
    int findPhandle(uint32_t phandle) const;
    /** Node carrying this label, or -1. */
    int findLabel(const QByteArray& label) const;

    const std::vector<MemReserveEntry>& memReserve() const { return m_memreserve; }
    const QStringList& files() const { return m_files; }
    /// The overlays applied to the base, in order (empty for a plain board).
    const QList<AppliedOverlay>& overlays() const { return m_overlays; }
    void setOverlays(const QList<AppliedOverlay>& overlays) { m_overlays = overlays; }
    /// The overlay that set a property, or nullptr when the base did.
    const AppliedOverlay* overlayOf(int overlayIndex) const
    {
        return overlayIndex >= 0 && overlayIndex < m_overlays.size() ? &m_overlays.at(overlayIndex) : nullptr;
    }
    QString fileName(const SourceSpan& span) const
    {
        return span.file >= 0 && span.file < m_files.size() ? m_files.at(span.file) : QString();
    }

    // Building (loaders only).
    int addNode(int parent, const QByteArray& name);
    DtNode& mutableNode(int index) { return m_nodes[size_t(index)]; }
    void addMemReserve(const MemReserveEntry& entry) { m_memreserve.push_back(entry); }
    /** Marks a node and its subtree deleted; indexes stay stable for the source patcher. */
    void deleteNode(int index);
    std::vector<MemReserveEntry>& mutableMemReserve() { return m_memreserve; }
    int internFile(const QString& file);
    /** Builds the phandle and label indexes; call once after loading. */
    void finalize();

private:
    std::vector<DtNode> m_nodes;
    std::vector<MemReserveEntry> m_memreserve;
    QStringList m_files;
    QList<AppliedOverlay> m_overlays;
    std::vector<std::pair<uint32_t, int>> m_phandles; // sorted by phandle
};

/** Big-endian cell access on raw property values. */
namespace cells {
inline uint32_t at(const QByteArray& v, int cellIndex)
{
    const auto* p = reinterpret_cast<const unsigned char*>(v.constData()) + cellIndex * 4;
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline int count(const QByteArray& v)
{
    return int(v.size() / 4);
}
/** Reads `n` cells from `cellIndex` the way the kernel's of_read_number() does: only the low
 *  64 bits survive when n >= 3. */
uint64_t readNumber(const QByteArray& v, int cellIndex, int n);
/** A string list property (NUL-separated). */
QStringList strings(const QByteArray& v);
} // namespace cells

} // namespace carveout
