// SPDX-License-Identifier: GPL-2.0-only
#include "editdocument.h"

// core
#include "model/devicetree.h"
#include "model/sourcelocation.h"
#include "model/units.h"

// Qt
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace carveout {

namespace {

QString entryError(int index, const QString& what)
{
    return QStringLiteral("edit script entry %1: %2").arg(index + 1).arg(what);
}

void appendCells(QByteArray& out, uint64_t v, int cells)
{
    for (int i = cells - 1; i >= 0; --i) {
        const uint32_t c = i >= 2 ? 0 : uint32_t(v >> (32 * i));
        out.append(char(c >> 24)).append(char(c >> 16)).append(char(c >> 8)).append(char(c));
    }
}

bool fits(uint64_t v, int cells)
{
    return cells >= 2 || (v >> (32 * cells)) == 0;
}

} // namespace

bool parseEditScript(const QByteArray& json, std::vector<EditOp>* ops, QString* error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("the edit script is not valid JSON (%1 at offset %2)")
                     .arg(pe.errorString())
                     .arg(pe.offset);
        return false;
    }
    if (!doc.isArray()) {
        *error = QStringLiteral("the edit script must be a JSON list of operations");
        return false;
    }
    static const QStringList known { QStringLiteral("move"), QStringLiteral("resize"), QStringLiteral("set"),
        QStringLiteral("unset"), QStringLiteral("add"), QStringLiteral("delete"), QStringLiteral("bind"),
        QStringLiteral("unbind"), QStringLiteral("retarget") };
    const QJsonArray arr = doc.array();
    for (int i = 0; i < arr.size(); ++i) {
        const QJsonObject o = arr.at(i).toObject();
        EditOp op;
        op.index = i;
        op.op = o.value(QLatin1String("op")).toString();
        if (!known.contains(op.op)) {
            *error = entryError(
                i, QStringLiteral("unknown op '%1'; known: %2").arg(op.op, known.join(QStringLiteral(", "))));
            return false;
        }
        op.node = o.value(QLatin1String("node")).toString();
        op.parent = o.value(QLatin1String("parent")).toString();
        op.name = o.value(QLatin1String("name")).toString();
        op.property = o.value(QLatin1String("property")).toString();
        op.device = o.value(QLatin1String("device")).toString();
        op.region = o.value(QLatin1String("region")).toString();
        op.value = o.value(QLatin1String("value"));
        op.properties = o.value(QLatin1String("properties")).toObject();
        if (o.contains(QLatin1String("entry"))) {
            const QJsonValue e = o.value(QLatin1String("entry"));
            if (!e.isDouble() || e.toDouble() < 0 || e.toDouble() != double(e.toInt())) {
                *error = entryError(i, QStringLiteral("\"entry\" is a position in memory-region: 0, 1, ..."));
                return false;
            }
            op.entry = e.toInt();
        }
        if (o.contains(QLatin1String("rename")))
            op.rename = o.value(QLatin1String("rename")).toBool(true);
        for (const char* k : { "base", "size" }) {
            if (!o.contains(QLatin1String(k)))
                continue;
            const auto v = parseSize(o.value(QLatin1String(k)));
            if (!v) {
                *error = entryError(i,
                    QStringLiteral("'%1' is not a number (use \"0x...\" or a size like \"64M\")")
                        .arg(QLatin1String(k)));
                return false;
            }
            (QLatin1String(k) == QLatin1String("base") ? op.base : op.size) = *v;
        }
        const auto need = [&](const QString& v, const char* what) {
            if (v.isEmpty())
                *error = entryError(i, QStringLiteral("'%1' needs \"%2\"").arg(op.op, QLatin1String(what)));
            return !v.isEmpty();
        };
        bool ok = true;
        if (op.op == QLatin1String("move"))
            ok = need(op.node, "node")
                && (op.base || (*error = entryError(i, QStringLiteral("'move' needs \"base\"")), false));
        else if (op.op == QLatin1String("resize"))
            ok = need(op.node, "node")
                && (op.size || (*error = entryError(i, QStringLiteral("'resize' needs \"size\"")), false));
        else if (op.op == QLatin1String("set"))
            ok = need(op.node, "node") && need(op.property, "property")
                && (!op.value.isUndefined()
                    || (*error = entryError(i, QStringLiteral("'set' needs \"value\"")), false));
        else if (op.op == QLatin1String("unset"))
            ok = need(op.node, "node") && need(op.property, "property");
        else if (op.op == QLatin1String("add"))
            ok = need(op.parent, "parent") && need(op.name, "name");
        else if (op.op == QLatin1String("delete"))
            ok = need(op.node, "node");
        else if (op.op == QLatin1String("unbind") && op.entry)
            ok = need(op.device, "device"); // a wrong or dangling entry, by position
        else if (op.op == QLatin1String("retarget"))
            ok = need(op.device, "device") && need(op.region, "region")
                && (op.entry || (*error = entryError(i, QStringLiteral("'retarget' needs \"entry\"")), false));
        else
            ok = need(op.device, "device") && need(op.region, "region");
        if (!ok)
            return false;
        ops->push_back(op);
    }
    return true;
}

EditDocument::EditDocument(const LoadedTree& loaded, const PatchPolicy& policy)
    : m_original(loaded)
    , m_working(loaded)
    , m_policy(policy)
{
    m_board = QDir::cleanPath(loaded.absoluteFile);
    m_root = loaded.includeDirs.root.isEmpty() ? QFileInfo(m_board).absolutePath()
                                               : QDir::cleanPath(loaded.includeDirs.root);
}

bool EditDocument::writable(const QString& file) const
{
    const QString clean = QDir::cleanPath(file);
    if (clean == m_board)
        return true;
    // An overlay is the user's own file as the board is: what it sets is written in it (an
    // override in the board would be undone by the overlay applied after it).
    for (const auto& ov : m_original.tree.overlays()) {
        if (clean == QDir::cleanPath(ov.file))
            return true;
    }
    return m_policy.patchShared && clean.startsWith(m_root + QLatin1Char('/'));
}

int EditDocument::rootAddressCells() const
{
    const auto* p = m_working.tree.root().property("#address-cells");
    return p && p->value.size() == 4 ? int(cells::at(p->value, 0)) : 1;
}

int EditDocument::rootSizeCells() const
{
    const auto* p = m_working.tree.root().property("#size-cells");
    return p && p->value.size() == 4 ? int(cells::at(p->value, 0)) : 1;
}

int EditDocument::findNode(const QString& path, QString* error) const
{
    const int n = m_working.tree.findPath(path);
    if (n < 0)
        *error = QStringLiteral("no node %1 in the tree; give the full path as in 'carveout-cli layout --format json'")
                     .arg(path);
    return n;
}

DtProperty* EditDocument::mutableProperty(int node, const char* name)
{
    for (auto& p : m_working.tree.mutableNode(node).properties) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

void EditDocument::setBytes(int node, const QByteArray& name, const QByteArray& value)
{
    if (DtProperty* p = mutableProperty(node, name.constData())) {
        p->value = value;
        return;
    }
    DtProperty p;
    p.name = name;
    p.value = value;
    m_working.tree.mutableNode(node).properties.push_back(p);
}

QString EditDocument::encode(const QString& property, const QJsonValue& value, QByteArray* out) const
{
    out->clear();
    const int ac = rootAddressCells(), sc = rootSizeCells();
    if (value.isBool()) {
        if (!value.toBool())
            return QStringLiteral("'%1': false means unset; use the unset op").arg(property);
        return {};
    }
    const bool cellProp = property == QLatin1String("reg") || property == QLatin1String("alloc-ranges")
        || property == QLatin1String("size") || property == QLatin1String("alignment");
    if (value.isString() && !cellProp) {
        out->append(value.toString().toUtf8()).append('\0');
        return {};
    }
    QJsonArray items = value.isArray() ? value.toArray() : QJsonArray { value };
    if (!cellProp && !items.isEmpty() && items.at(0).isString() && !parseSize(items.at(0))) {
        for (const auto& it : items)
            out->append(it.toString().toUtf8()).append('\0');
        return {};
    }
    for (int i = 0; i < items.size(); ++i) {
        const auto v = parseSize(items.at(i));
        if (!v)
            return QStringLiteral("'%1': element %2 is not a number").arg(property).arg(i + 1);
        int cells = 1;
        if (property == QLatin1String("reg") || property == QLatin1String("alloc-ranges"))
            cells = (i % 2 == 0) ? ac : sc;
        else if (property == QLatin1String("size"))
            cells = sc;
        else if (property == QLatin1String("alignment"))
            cells = ac;
        if (!fits(*v, cells))
            return QStringLiteral("'%1': %2 does not fit in %3 cell(s)").arg(property, toHex(*v)).arg(cells);
        appendCells(*out, *v, cells);
    }
    if ((property == QLatin1String("reg") || property == QLatin1String("alloc-ranges")) && items.size() % 2)
        return QStringLiteral("'%1' takes (address, size) pairs").arg(property);
    return {};
}

QString EditDocument::move(const QString& path, uint64_t base, bool rename)
{
    QString err;
    const int n = findNode(path, &err);
    if (n < 0)
        return err;
    DtProperty* reg = mutableProperty(n, "reg");
    const int ac = rootAddressCells(), sc = rootSizeCells();
    if (!reg || reg->value.size() < (ac + sc) * 4)
        return QStringLiteral(
            "%1 has no reg to move (a dynamic region is placed by the kernel; edit alloc-ranges instead)")
            .arg(path);
    if (!fits(base, ac))
        return QStringLiteral("base %1 does not fit in #address-cells = %2").arg(toHex(base)).arg(ac);
    QByteArray cellsOut;
    appendCells(cellsOut, base, ac);
    QByteArray v = reg->value;
    v.replace(0, ac * 4, cellsOut);
    DtNode& node = m_working.tree.mutableNode(n);
    const qsizetype at = node.name.indexOf('@');
    QByteArray newName = node.name;
    // The name is written where the node is defined; a shared file the policy keeps is not
    // written, so the name stays (an override cannot rename a node).
    const bool canRename = !node.spans.empty() && writable(m_working.tree.fileName(node.spans.front()));
    if (rename && at >= 0 && !canRename) {
        m_notes << QStringLiteral(
            "%1 keeps its name: it is defined in %2, which is shared (patch shared files to rename it)")
                       .arg(path, displayFile(m_working.tree, node.spans.front()));
    } else if (rename && at >= 0) {
        newName = node.name.left(at + 1) + QByteArray::number(qulonglong(base), 16);
        if (newName != node.name && m_working.tree.child(node.parent, newName) >= 0)
            return QStringLiteral("cannot rename %1: a sibling is already called %2")
                .arg(path, QString::fromUtf8(newName));
    }
    reg->value = v;
    if (newName != node.name) {
        m_notes << QStringLiteral("%1 renamed to %2 to keep its unit address in step")
                       .arg(path, QString::fromUtf8(newName));
        node.name = newName;
        followSymbols(path, m_working.tree.path(n));
    }
    return {};
}

void EditDocument::followSymbols(const QString& oldPath, const QString& newPath)
{
    // A tree compiled with dtc -@ (a base under overlays) lists each label's path in
    // /__symbols__; dtc regenerates it from the patched sources, so the edit does the same.
    const int symbols = m_working.tree.child(0, "__symbols__");
    if (symbols < 0)
        return;
    auto& props = m_working.tree.mutableNode(symbols).properties;
    for (auto it = props.begin(); it != props.end();) {
        const QString target = QString::fromUtf8(it->value.left(it->value.indexOf('\0')));
        if (target != oldPath && !target.startsWith(oldPath + QLatin1Char('/'))) {
            ++it;
        } else if (newPath.isEmpty()) {
            it = props.erase(it);
        } else {
            it->value = (newPath + target.mid(oldPath.size())).toUtf8() + '\0';
            ++it;
        }
    }
}

QString EditDocument::resize(const QString& path, uint64_t size)
{
    QString err;
    const int n = findNode(path, &err);
    if (n < 0)
        return err;
    const int ac = rootAddressCells(), sc = rootSizeCells();
    if (DtProperty* reg = mutableProperty(n, "reg"); reg && reg->value.size() >= (ac + sc) * 4) {
        if (!fits(size, sc))
            return QStringLiteral("size %1 does not fit in #size-cells = %2").arg(toHex(size)).arg(sc);
        QByteArray c;
        appendCells(c, size, sc);
        reg->value.replace(ac * 4, sc * 4, c);
        return {};
    }
    if (mutableProperty(n, "size")) {
        QByteArray c;
        if (!fits(size, sc))
            return QStringLiteral("size %1 does not fit in #size-cells = %2").arg(toHex(size)).arg(sc);
        appendCells(c, size, sc);
        mutableProperty(n, "size")->value = c;
        return {};
    }
    return QStringLiteral("%1 has neither reg nor size to resize").arg(path);
}

QString EditDocument::setProperty(const QString& path, const QString& property, const QJsonValue& value)
{
    QString err;
    const int n = findNode(path, &err);
    if (n < 0)
        return err;
    if (property == QLatin1String("phandle") || property == QLatin1String("memory-region"))
        return QStringLiteral("'%1' is managed by Carveout; use bind and unbind").arg(property);
    QByteArray bytes;
    if (const QString e = encode(property, value, &bytes); !e.isEmpty())
        return e;
    setBytes(n, property.toUtf8(), bytes);
    return {};
}

QString EditDocument::unsetProperty(const QString& path, const QString& property)
{
    QString err;
    const int n = findNode(path, &err);
    if (n < 0)
        return err;
    auto& props = m_working.tree.mutableNode(n).properties;
    for (auto it = props.begin(); it != props.end(); ++it) {
        if (it->name == property.toUtf8()) {
            props.erase(it);
            return {};
        }
    }
    return QStringLiteral("%1 has no property %2").arg(path, property);
}

QString EditDocument::addNode(const QString& parentPath, const QString& name, const QJsonObject& properties)
{
    QString err;
    const int parent = findNode(parentPath, &err);
    if (parent < 0)
        return err;
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9,._+-]+(@[0-9A-Za-z,._+-]+)?$"));
    if (!valid.match(name).hasMatch())
        return QStringLiteral("'%1' is not a valid node name").arg(name);
    if (m_working.tree.child(parent, name.toUtf8()) >= 0)
        return QStringLiteral("%1 already has a child %2").arg(parentPath, name);
    // The usual order in kernel trees: compatible, reg/size, alignment, alloc-ranges, then flags.
    static const QStringList order { QStringLiteral("compatible"), QStringLiteral("reg"), QStringLiteral("size"),
        QStringLiteral("alignment"), QStringLiteral("alloc-ranges") };
    QStringList keys = properties.keys();
    std::stable_sort(keys.begin(), keys.end(), [&](const QString& a, const QString& b) {
        const qsizetype ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    std::vector<DtProperty> props;
    for (const auto& key : keys) {
        DtProperty p;
        p.name = key.toUtf8();
        if (const QString e = encode(key, properties.value(key), &p.value); !e.isEmpty())
            return e;
        props.push_back(p);
    }
    const int n = m_working.tree.addNode(parent, name.toUtf8());
    m_working.tree.mutableNode(n).properties = props;
    return {};
}

QString EditDocument::deleteNode(const QString& path)
{
    QString err;
    const int n = findNode(path, &err);
    if (n <= 0)
        return n == 0 ? QStringLiteral("the root node cannot be deleted") : err;
    // Users of the region lose their reference too, or dtc would fail on a dangling label.
    const DtProperty* ph = m_working.tree.node(n).property("phandle");
    if (ph && ph->value.size() == 4) {
        const uint32_t handle = cells::at(ph->value, 0);
        for (int i = 0; i < m_working.tree.nodeCount(); ++i) {
            const DtNode& d = m_working.tree.node(i);
            const DtProperty* mr = d.property("memory-region");
            if (d.deleted || !mr)
                continue;
            for (int k = 0; k < cells::count(mr->value); ++k) {
                if (cells::at(mr->value, k) == handle) {
                    const QString dev = m_working.tree.path(i);
                    unbind(dev, path);
                    m_notes << QStringLiteral("%1 no longer uses %2 (deleted)").arg(dev, path);
                    break;
                }
            }
        }
    }
    m_working.tree.deleteNode(n);
    followSymbols(path, QString());
    m_working.tree.finalize();
    return {};
}

QString EditDocument::findPair(const QString& device, const QString& region, int* d, int* r) const
{
    QString err;
    if ((*d = findNode(device, &err)) < 0 || (*r = findNode(region, &err)) < 0)
        return err;
    return {};
}

uint32_t EditDocument::ensurePhandle(int r)
{
    if (const DtProperty* ph = m_working.tree.node(r).property("phandle"); ph && ph->value.size() == 4)
        return cells::at(ph->value, 0);
    // dtc gives the region a phandle once something references it.
    uint32_t maxHandle = 0;
    for (int i = 0; i < m_working.tree.nodeCount(); ++i) {
        if (const DtProperty* p = m_working.tree.node(i).property("phandle"); p && p->value.size() == 4)
            maxHandle = std::max(maxHandle, cells::at(p->value, 0));
    }
    const uint32_t handle = maxHandle + 1;
    QByteArray v;
    appendCells(v, handle, 1);
    setBytes(r, "phandle", v);
    m_working.tree.finalize();
    return handle;
}

QString EditDocument::bind(const QString& device, const QString& region)
{
    int d = -1, r = -1;
    if (const QString err = findPair(device, region, &d, &r); !err.isEmpty())
        return err;
    QByteArray mr;
    if (const DtProperty* p = m_working.tree.node(d).property("memory-region")) {
        const DtProperty* ph = m_working.tree.node(r).property("phandle");
        mr = p->value;
        for (int k = 0; ph && ph->value.size() == 4 && k < cells::count(mr); ++k) {
            if (cells::at(mr, k) == cells::at(ph->value, 0))
                return QStringLiteral("%1 already uses %2").arg(device, region);
        }
    }
    appendCells(mr, ensurePhandle(r), 1);
    setBytes(d, "memory-region", mr);
    return {};
}

QString EditDocument::unbind(const QString& device, const QString& region)
{
    int d = -1, r = -1;
    if (const QString err = findPair(device, region, &d, &r); !err.isEmpty())
        return err;
    const DtProperty* ph = m_working.tree.node(r).property("phandle");
    const DtProperty* mr = m_working.tree.node(d).property("memory-region");
    if (!ph || !mr)
        return QStringLiteral("%1 does not use %2").arg(device, region);
    const uint32_t handle = cells::at(ph->value, 0);
    int at = -1;
    for (int k = 0; k < cells::count(mr->value); ++k) {
        if (cells::at(mr->value, k) == handle)
            at = k;
    }
    if (at < 0)
        return QStringLiteral("%1 does not use %2").arg(device, region);
    return removeEntry(device, at);
}

QString EditDocument::removeEntry(const QString& device, int index)
{
    QString err;
    const int d = findNode(device, &err);
    if (d < 0)
        return err;
    DtProperty* mr = mutableProperty(d, "memory-region");
    if (!mr || index < 0 || index >= cells::count(mr->value))
        return QStringLiteral("%1 has no memory-region entry %2").arg(device).arg(index);
    mr->value.remove(index * 4, 4);
    // memory-region-names pairs with the entries by position.
    if (DtProperty* names = mutableProperty(d, "memory-region-names")) {
        QStringList list = cells::strings(names->value);
        if (index < list.size()) {
            list.removeAt(index);
            QByteArray v;
            for (const auto& s : list)
                v.append(s.toUtf8()).append('\0');
            names->value = v;
        }
        if (list.isEmpty())
            unsetProperty(device, QStringLiteral("memory-region-names"));
    }
    if (mutableProperty(d, "memory-region")->value.isEmpty())
        unsetProperty(device, QStringLiteral("memory-region"));
    return {};
}

QString EditDocument::retarget(const QString& device, int index, const QString& region)
{
    int d = -1, r = -1;
    if (const QString err = findPair(device, region, &d, &r); !err.isEmpty())
        return err;
    const DtProperty* mr = m_working.tree.node(d).property("memory-region");
    if (!mr || index < 0 || index >= cells::count(mr->value))
        return QStringLiteral("%1 has no memory-region entry %2").arg(device).arg(index);
    QByteArray v = mr->value;
    const uint32_t handle = ensurePhandle(r);
    for (int k = 0; k < cells::count(v); ++k) {
        if (k != index && cells::at(v, k) == handle)
            return QStringLiteral("%1 already uses %2 (entry %3)").arg(device, region).arg(k);
    }
    if (cells::at(v, index) == handle)
        return {}; // already there
    QByteArray cell;
    appendCells(cell, handle, 1);
    v.replace(index * 4, 4, cell);
    setBytes(d, "memory-region", v);
    return {};
}

QString EditDocument::apply(const EditOp& op)
{
    if (op.op == QLatin1String("move"))
        return move(op.node, *op.base, op.rename);
    if (op.op == QLatin1String("resize"))
        return resize(op.node, *op.size);
    if (op.op == QLatin1String("set"))
        return setProperty(op.node, op.property, op.value);
    if (op.op == QLatin1String("unset"))
        return unsetProperty(op.node, op.property);
    if (op.op == QLatin1String("add"))
        return addNode(op.parent, op.name, op.properties);
    if (op.op == QLatin1String("delete"))
        return deleteNode(op.node);
    if (op.op == QLatin1String("bind"))
        return bind(op.device, op.region);
    if (op.op == QLatin1String("retarget"))
        return retarget(op.device, *op.entry, op.region);
    if (op.op == QLatin1String("unbind") && op.entry)
        return removeEntry(op.device, *op.entry);
    if (op.op == QLatin1String("unbind"))
        return unbind(op.device, op.region);
    return QStringLiteral("unknown op '%1'").arg(op.op);
}

QString EditDocument::applyAll(const std::vector<EditOp>& ops)
{
    const LoadedTree before = m_working;
    const QStringList notesBefore = m_notes;
    for (const auto& op : ops) {
        const QString e = apply(op);
        if (!e.isEmpty()) {
            m_working = before;
            m_notes = notesBefore;
            return entryError(op.index, e);
        }
    }
    return {};
}

} // namespace carveout
