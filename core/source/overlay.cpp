// SPDX-License-Identifier: GPL-2.0-only
#include "overlay.h"

// core
#include "source/dtbloader.h"
#include "source/tooldiagnostics.h"

// libfdt
#include <libfdt.h>

// Qt
#include <QFileInfo>
#include <QHash>

// std
#include <cstring>
#include <vector>

namespace carveout {

namespace {

constexpr qint64 kMaxBlob = 64ll << 20;

/** One overlay, compiled: its blob for libfdt and its tree (annotated with source spans when it
 *  came from a .dtso) for the attribution of what it sets. */
struct CompiledOverlay
{
    QString file; ///< as the user named it
    QString absoluteFile;
    QByteArray blob;
    DeviceTree tree;
    LoadedTree loaded; ///< the .dtso's load (digests, notes); empty for a .dtbo
};

/** Who set a value of the applied tree: the overlay (index) and where in its source. */
struct Origin
{
    int overlay = -1;
    QString file; ///< absolute; empty without a position (a .dtbo, a generated value)
    SourceSpan span;
};

struct NodeOrigin
{
    Origin node; ///< set when an overlay added the node
    QList<QByteArray> labels;
    std::vector<std::pair<QString, SourceSpan>> spans;
    QHash<QByteArray, Origin> properties;
};

bool isBlobFile(const QString& file, const QByteArray& content)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    return (content.size() >= 4 && uchar(content[0]) == 0xd0 && uchar(content[1]) == 0x0d && uchar(content[2]) == 0xfe
               && uchar(content[3]) == 0xed)
        || suffix == QLatin1String("dtbo") || suffix == QLatin1String("dtb");
}

/** Every node of a tree by path ("/" for the root). */
QHash<QString, int> pathIndex(const DeviceTree& tree)
{
    QHash<QString, int> index;
    for (int i = 0; i < tree.nodeCount(); ++i) {
        if (!tree.node(i).deleted)
            index.insert(tree.path(i), i);
    }
    return index;
}

QString joinPath(const QString& base, const QString& rel)
{
    if (rel.isEmpty())
        return base;
    return base == QLatin1String("/") ? rel : base + rel;
}

QString propString(const DtProperty* p)
{
    if (!p)
        return {};
    const qsizetype nul = p->value.indexOf('\0');
    return QString::fromUtf8(nul < 0 ? p->value : p->value.left(nul));
}

/** The path a fragment targets in `current` (the tree the overlay is applied to), as libfdt's
 *  overlay_get_target resolves it: `target-path`, or `target` (a phandle, fixed up through
 *  __fixups__ and the base's __symbols__). Empty with `why` set when it cannot be found. */
QString fragmentTarget(const DeviceTree& ov, int fragment, const DeviceTree& current, QString* why)
{
    const DtNode& f = ov.node(fragment);
    const QString fragmentPath = ov.path(fragment);
    if (const auto* tp = f.property("target-path")) {
        const QString path = propString(tp);
        if (current.findPath(path) < 0) {
            *why = QStringLiteral("fragment %1 targets the path '%2', which the base does not have")
                       .arg(fragmentPath, path);
            return {};
        }
        return path;
    }
    const auto* t = f.property("target");
    if (!t || t->value.size() != 4) {
        *why = QStringLiteral("fragment %1 has neither target-path nor a one-cell target").arg(fragmentPath);
        return {};
    }
    const uint32_t ph = cells::at(t->value, 0);
    if (ph != 0xffffffffu) {
        const int n = current.findPhandle(ph);
        if (n < 0) {
            *why = QStringLiteral("fragment %1 targets phandle %2, which no node of the base carries")
                       .arg(fragmentPath)
                       .arg(ph);
            return {};
        }
        return current.path(n);
    }
    // The unresolved reference: which label the fixups name for "<fragment>:target:0".
    const int fixups = ov.child(0, "__fixups__");
    const QByteArray want = fragmentPath.toUtf8() + ":target:0";
    for (const auto& p : fixups >= 0 ? ov.node(fixups).properties : std::vector<DtProperty> {}) {
        if (!cells::strings(p.value).contains(QString::fromUtf8(want)))
            continue;
        const int symbols = current.child(0, "__symbols__");
        const DtProperty* sym = symbols >= 0 ? current.node(symbols).property(p.name.constData()) : nullptr;
        if (!sym) {
            *why = symbols < 0 ? QStringLiteral("fragment %1 targets the label '%2', but the base has no __symbols__ "
                                                "node; compile the base with dtc -@")
                                     .arg(fragmentPath, QString::fromUtf8(p.name))
                               : QStringLiteral("fragment %1 targets the label '%2', which the base does not define")
                                     .arg(fragmentPath, QString::fromUtf8(p.name));
            return {};
        }
        return propString(sym);
    }
    *why = QStringLiteral("fragment %1 targets an unresolved phandle that __fixups__ does not name").arg(fragmentPath);
    return {};
}

/** What is wrong with an overlay before libfdt sees it: no fragment, a target or a label the
 *  tree so far lacks. Empty when nothing is. */
QString precheck(const DeviceTree& ov, const DeviceTree& current)
{
    bool anyFragment = false;
    for (int c : ov.root().children) {
        if (ov.child(c, "__overlay__") < 0)
            continue;
        anyFragment = true;
        QString why;
        if (fragmentTarget(ov, c, current, &why).isEmpty())
            return why;
    }
    if (!anyFragment)
        return QStringLiteral("this is not an overlay: no fragment has an __overlay__ node (an overlay source begins "
                              "with /dts-v1/; /plugin/; and is compiled with dtc -@)");
    const int fixups = ov.child(0, "__fixups__");
    if (fixups < 0)
        return {};
    const int symbols = current.child(0, "__symbols__");
    for (const auto& p : ov.node(fixups).properties) {
        if (symbols >= 0 && current.node(symbols).property(p.name.constData()))
            continue;
        const QStringList uses = cells::strings(p.value);
        return symbols < 0
            ? QStringLiteral("the overlay refers to the label '%1' (%2), but the base has no __symbols__ node; "
                             "compile the base with dtc -@")
                  .arg(QString::fromUtf8(p.name), uses.value(0))
            : QStringLiteral("the overlay refers to the label '%1' (%2), which neither the base nor an overlay "
                             "before it defines; check the label's spelling and the order of the overlays")
                  .arg(QString::fromUtf8(p.name), uses.value(0));
    }
    return {};
}

/** Where each value of the overlay's fragments lands in the tree it is applied to: applied path
 *  -> node of the overlay's tree (a later fragment wins, as libfdt merges them in order). */
QHash<QString, int> fragmentMap(const DeviceTree& ov, const DeviceTree& current)
{
    QHash<QString, int> map;
    for (int c : ov.root().children) {
        const int body = ov.child(c, "__overlay__");
        if (body < 0)
            continue;
        QString why;
        const QString target = fragmentTarget(ov, c, current, &why);
        if (target.isEmpty())
            continue;
        const QString bodyPath = ov.path(body);
        std::vector<int> stack { body };
        while (!stack.empty()) {
            const int n = stack.back();
            stack.pop_back();
            map.insert(joinPath(target, ov.path(n).mid(bodyPath.size())), n);
            for (int k : ov.node(n).children)
                stack.push_back(k);
        }
    }
    return map;
}

bool compileOverlay(
    const OverlayRequest& request, const LoadOptions& options, CompiledOverlay* out, Diagnostics* errors)
{
    out->file = request.file;
    out->absoluteFile = QFileInfo(request.file).absoluteFilePath();
    QByteArray content;
    QString readError;
    if (!readUserFile(request.file, kMaxBlob, &content, &readError)) {
        errors->append(toolError(request.file, readError));
        return false;
    }
    if (isBlobFile(request.file, content)) {
        QString error;
        if (!readDtb(content, out->tree, &error)) {
            errors->append(toolError(request.file, QStringLiteral("cannot read the overlay blob: %1").arg(error)));
            return false;
        }
        out->blob = content;
        return true;
    }
    LoadOptions o = options;
    o.overlays.clear();
    o.symbols = true;
    LoadResult annotated = loadBoard(request.file, o);
    if (!annotated.ok) {
        *errors += annotated.errors;
        return false;
    }
    out->loaded = annotated.doc;
    out->tree = annotated.doc.tree;
    return compileToDtb(request.file, o, &out->blob, errors);
}

/** The nodes and properties overlay `k` added or changed: `before` and `after` are the trees
 *  read from the blobs around its application. */
void attribute(int k, const CompiledOverlay& ov, const DeviceTree& before, const DeviceTree& after,
    QHash<QString, NodeOrigin>* origins)
{
    const QHash<QString, int> was = pathIndex(before);
    const QHash<QString, int> from = fragmentMap(ov.tree, before);
    const auto origin = [&](int ovNode, const DtProperty* p) {
        Origin o;
        o.overlay = k;
        const SourceSpan s = p                                   ? p->span
            : ovNode >= 0 && !ov.tree.node(ovNode).spans.empty() ? ov.tree.node(ovNode).spans.front()
                                                                 : SourceSpan {};
        if (s.isValid()) {
            o.file = ov.tree.fileName(s);
            o.span = s;
        }
        return o;
    };
    for (int i = 0; i < after.nodeCount(); ++i) {
        const QString path = after.path(i);
        const int prev = was.value(path, -1);
        const int ovNode = from.value(path, -1);
        NodeOrigin& no = (*origins)[path];
        if (prev < 0) {
            no.node = origin(ovNode, nullptr);
            no.labels.clear();
            no.spans.clear();
            no.properties.clear();
        }
        if (ovNode >= 0) {
            const DtNode& src = ov.tree.node(ovNode);
            for (const auto& l : src.labels) {
                if (!no.labels.contains(l))
                    no.labels.append(l);
            }
            for (const auto& s : src.spans) {
                if (s.isValid())
                    no.spans.emplace_back(ov.tree.fileName(s), s);
            }
        }
        for (const auto& p : after.node(i).properties) {
            const DtProperty* old = prev >= 0 ? before.node(prev).property(p.name.constData()) : nullptr;
            if (old && old->value == p.value)
                continue;
            const DtProperty* srcProp = ovNode >= 0 ? ov.tree.node(ovNode).property(p.name.constData()) : nullptr;
            no.properties.insert(p.name, origin(ovNode, srcProp));
        }
    }
}

SourceSpan remapped(DeviceTree& to, const QString& file, SourceSpan span)
{
    if (file.isEmpty() || !span.isValid())
        return {};
    span.file = to.internFile(file);
    return span;
}

/** The applied tree with what the base's annotated load and the overlays' attribution know of
 *  each value's source. */
void annotate(DeviceTree& applied, const DeviceTree& base, const QHash<QString, NodeOrigin>& origins)
{
    const QHash<QString, int> inBase = pathIndex(base);
    for (int i = 0; i < applied.nodeCount(); ++i) {
        const QString path = applied.path(i);
        DtNode& n = applied.mutableNode(i);
        const int b = inBase.value(path, -1);
        const auto o = origins.constFind(path);
        const bool added = o != origins.constEnd() && o->node.overlay >= 0;
        if (b >= 0 && !added) {
            const DtNode& bn = base.node(b);
            n.labels = bn.labels;
            for (const auto& s : bn.spans)
                n.spans.push_back(remapped(applied, base.fileName(s), s));
        }
        if (o != origins.constEnd()) {
            if (added)
                n.overlay = o->node.overlay;
            for (const auto& l : o->labels) {
                if (!n.labels.contains(l))
                    n.labels.append(l);
            }
            for (const auto& [file, span] : o->spans)
                n.spans.push_back(remapped(applied, file, span));
        }
        for (auto& p : n.properties) {
            if (o != origins.constEnd()) {
                if (const auto po = o->properties.constFind(p.name); po != o->properties.constEnd()) {
                    p.overlay = po->overlay;
                    p.span = remapped(applied, po->file, po->span);
                    continue;
                }
            }
            if (b >= 0) {
                if (const DtProperty* bp = base.node(b).property(p.name.constData()))
                    p.span = remapped(applied, base.fileName(bp->span), bp->span);
            }
        }
    }
    auto& entries = applied.mutableMemReserve();
    for (size_t i = 0; i < entries.size() && i < base.memReserve().size(); ++i)
        entries[i].span = remapped(applied, base.fileName(base.memReserve()[i].span), base.memReserve()[i].span);
}

QString applyStep(
    int k, const CompiledOverlay& ov, QByteArray* current, DeviceTree* before, QHash<QString, NodeOrigin>* origins)
{
    // libfdt decides; our look at the fragments and fixups only says in words what it refused
    // (which target, which label). A tree without fragments libfdt applies as nothing at all:
    // that is a mistake worth refusing.
    const QString why = precheck(ov.tree, *before);
    QByteArray next;
    if (const int err = applyOverlayBlob(*current, ov.blob, &next); err != 0) {
        return QStringLiteral("%1 (libfdt's fdt_overlay_apply failed with %2)")
            .arg(why.isEmpty() ? overlayErrorSentence(err) : why, QString::fromLatin1(fdt_strerror(err)));
    }
    if (why.startsWith(QLatin1String("this is not an overlay")))
        return why;
    DeviceTree after;
    QString readError;
    if (!readDtb(next, after, &readError))
        return QStringLiteral("the applied blob cannot be read back (%1)").arg(readError);
    attribute(k, ov, *before, after, origins);
    *before = std::move(after);
    *current = next;
    return {};
}

/** libfdt 1.6.1's overlay_update_local_node_references copies 4 bytes at every offset that
 *  __local_fixups__ lists without checking it against the property's length (fuzz_overlay found
 *  an overlay that makes fdt_overlay_apply read far past the blob). Checks that every such offset
 *  lies inside its property, node by node as libfdt walks them. */
bool localFixupsInBounds(const void* fdt, int fixups, int node, int depth = 0)
{
    if (depth > 64)
        return false;
    int prop;
    fdt_for_each_property_offset(prop, fdt, fixups)
    {
        const char* name = nullptr;
        int fixupLen = 0;
        const auto* offsets = static_cast<const fdt32_t*>(fdt_getprop_by_offset(fdt, prop, &name, &fixupLen));
        if (!offsets || fixupLen % 4)
            return false;
        int treeLen = 0;
        if (!fdt_getprop(fdt, node, name, &treeLen))
            return false;
        for (int k = 0; k < fixupLen / 4; ++k) {
            const uint64_t at = fdt32_to_cpu(offsets[k]);
            if (at + 4 > uint64_t(treeLen))
                return false;
        }
    }
    int child;
    fdt_for_each_subnode(child, fdt, fixups)
    {
        const char* name = fdt_get_name(fdt, child, nullptr);
        const int treeChild = name ? fdt_subnode_offset(fdt, node, name) : -1;
        if (treeChild < 0 || !localFixupsInBounds(fdt, child, treeChild, depth + 1))
            return false;
    }
    return true;
}

} // namespace

bool applyOverlayBlobs(const QByteArray& base, const QList<QByteArray>& overlays, LoadedTree* out, QString* error)
{
    DeviceTree before;
    if (!readDtb(base, before, error))
        return false;
    const DeviceTree plain = before;
    QByteArray current = base;
    QHash<QString, NodeOrigin> origins;
    QList<AppliedOverlay> stack;
    for (int k = 0; k < overlays.size(); ++k) {
        CompiledOverlay ov;
        ov.blob = overlays.at(k);
        if (!readDtb(ov.blob, ov.tree, error))
            return false;
        if (const QString why = applyStep(k, ov, &current, &before, &origins); !why.isEmpty()) {
            *error = why;
            return false;
        }
        stack.append({ QStringLiteral("overlay%1.dtbo").arg(k + 1), false });
    }
    annotate(before, plain, origins);
    before.setOverlays(stack);
    before.finalize();
    out->tree = std::move(before);
    out->fromDtb = true;
    out->overlaidDtb = current;
    return true;
}

QString overlayErrorSentence(int err)
{
    switch (-err) {
    case FDT_ERR_NOTFOUND:
        return QStringLiteral("a fragment's target or a label the overlay refers to is not in the base");
    case FDT_ERR_BADOVERLAY:
        return QStringLiteral("the overlay is malformed (a fragment without a target or without __overlay__, or a "
                              "damaged __fixups__ or __local_fixups__ node); recompile it with dtc -@");
    case FDT_ERR_NOPHANDLES:
        return QStringLiteral("the base and the overlay together use more phandles than a cell can hold");
    case FDT_ERR_BADPHANDLE:
        return QStringLiteral("a fragment's target phandle is invalid");
    case FDT_ERR_BADVALUE:
        return QStringLiteral("a fixup entry of the overlay is malformed (not path:property:offset)");
    case FDT_ERR_EXISTS:
        return QStringLiteral("the overlay adds a property or node that cannot be merged into the base");
    default:
        break;
    }
    return fdtErrorSentence(err);
}

int applyOverlayBlob(const QByteArray& base, const QByteArray& overlay, QByteArray* result)
{
    // fdtoverlay grows the base by the size of the overlays, applies, and packs: the packed blob
    // does not depend on how much room there was. A failed apply leaves both blobs undefined,
    // so libfdt works on copies (8-byte aligned, as it wants).
    size_t room = size_t(base.size()) + size_t(overlay.size());
    std::vector<uint64_t> ov((size_t(overlay.size()) + 7) / 8);
    for (;;) {
        std::vector<uint64_t> buf((room + 7) / 8);
        std::vector<uint64_t> in((size_t(base.size()) + 7) / 8);
        std::memcpy(in.data(), base.constData(), size_t(base.size()));
        int err = fdt_open_into(in.data(), buf.data(), int(room));
        if (err != 0)
            return err;
        std::memcpy(ov.data(), overlay.constData(), size_t(overlay.size()));
        if ((err = fdt_check_full(ov.data(), size_t(overlay.size()))) != 0)
            return err;
        if (const int fixups = fdt_path_offset(ov.data(), "/__local_fixups__");
            fixups >= 0 && !localFixupsInBounds(ov.data(), fixups, 0))
            return -FDT_ERR_BADOVERLAY;
        err = fdt_overlay_apply(buf.data(), ov.data());
        if (err == -FDT_ERR_NOSPACE && room < size_t(kMaxBlob)) {
            room *= 2; // a handful of tries at most, even for a hostile blob
            continue;
        }
        if (err != 0)
            return err;
        fdt_pack(buf.data());
        *result = QByteArray(reinterpret_cast<const char*>(buf.data()), int(fdt_totalsize(buf.data())));
        return 0;
    }
}

LoadResult loadWithOverlays(const QString& file, const LoadOptions& options)
{
    LoadOptions baseOptions = options;
    baseOptions.overlays.clear();
    LoadResult result = loadBoard(file, baseOptions);
    if (!result.ok)
        return result;
    result.ok = false;

    // The base as the build hands it to fdtoverlay: compiled with -@, or the .dtb as it is.
    QByteArray current;
    if (result.doc.fromDtb) {
        QString error;
        if (!readUserFile(file, kMaxBlob, &current, &error)) {
            result.errors.append(toolError(file, error));
            return result;
        }
    } else {
        baseOptions.symbols = true;
        if (!compileToDtb(file, baseOptions, &current, &result.errors))
            return result;
    }
    DeviceTree before;
    QString readError;
    if (!readDtb(current, before, &readError)) {
        result.errors.append(toolError(file, QStringLiteral("cannot read the base blob: %1").arg(readError)));
        return result;
    }

    QHash<QString, NodeOrigin> origins;
    QList<AppliedOverlay> stack;
    for (int k = 0; k < options.overlays.size(); ++k) {
        const OverlayRequest& request = options.overlays.at(k);
        CompiledOverlay ov;
        if (!compileOverlay(request, options, &ov, &result.errors))
            return result;
        const QString where = QStringLiteral("cannot apply the overlay to %1 (overlay %2 of %3): ")
                                  .arg(displayPath(result.doc.absoluteFile))
                                  .arg(k + 1)
                                  .arg(options.overlays.size());
        if (const QString why = applyStep(int(k), ov, &current, &before, &origins); !why.isEmpty()) {
            result.errors.append(toolError(request.file, where + why));
            return result;
        }
        stack.append({ ov.absoluteFile, request.runtime });
        result.doc.notes += ov.loaded.notes;
        for (auto it = ov.loaded.sourceDigests.cbegin(); it != ov.loaded.sourceDigests.cend(); ++it)
            result.doc.sourceDigests.insert(it.key(), it.value());
        result.doc.sourceFiles += ov.loaded.sourceFiles;
    }
    annotate(before, result.doc.tree, origins);
    before.setOverlays(stack);
    before.finalize();
    result.doc.tree = std::move(before);
    result.doc.overlaidDtb = current;
    result.ok = true;
    return result;
}

} // namespace carveout
