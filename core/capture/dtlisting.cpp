// SPDX-License-Identifier: GPL-2.0-only
// The device-tree section (/proc/device-tree as "PATH/" and "PATH/PROP HEX" lines, see
// docs/capture-format.md) rebuilt into a DTB with libfdt's sequential-write API.
#include "captureparts.h"
#include "hexparse.h"

// libfdt
#include <libfdt.h>

// std
#include <map>
#include <memory>
#include <vector>

namespace carveout::capture::detail {

namespace {

/** The kernel's own limit (FDT_MAX_DEPTH in drivers/of/fdt.c); it also bounds the recursion. */
constexpr int kMaxDepth = 64;

struct Node
{
    QByteArray name;
    std::vector<std::pair<QByteArray, QByteArray>> props;
    std::vector<std::unique_ptr<Node>> children;
    std::map<QByteArray, Node*> byName;
};

/** The node at `path` ("/a/b", "" for the root), made with its parents when missing. */
Node* nodeAt(Node& root, QByteArrayView path, QString* why)
{
    Node* n = &root;
    int depth = 0;
    for (QByteArrayView rest = path; !rest.isEmpty();) {
        if (rest[0] != '/') {
            *why = QStringLiteral("a path must start with '/'");
            return nullptr;
        }
        rest = rest.sliced(1);
        const qsizetype slash = rest.indexOf('/');
        const QByteArrayView name = slash < 0 ? rest : rest.first(slash);
        if (name.isEmpty()) {
            *why = QStringLiteral("a path with an empty node name");
            return nullptr;
        }
        if (++depth > kMaxDepth) {
            *why = QStringLiteral("nodes nested deeper than %1 levels").arg(kMaxDepth);
            return nullptr;
        }
        const QByteArray key = name.toByteArray();
        auto it = n->byName.find(key);
        if (it == n->byName.end()) {
            n->children.push_back(std::make_unique<Node>());
            n->children.back()->name = key;
            it = n->byName.emplace(key, n->children.back().get()).first;
        }
        n = it->second;
        rest = slash < 0 ? QByteArrayView() : rest.sliced(slash);
    }
    return n;
}

bool decodeHex(QByteArrayView hex, QByteArray* out)
{
    if (hex.size() % 2)
        return false;
    out->resize(hex.size() / 2);
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        const int hi = hexDigit(hex[i]), lo = hexDigit(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        (*out)[i / 2] = char(hi << 4 | lo);
    }
    return true;
}

/** The `name` property old kernels synthesize: the node name up to '@', NUL-terminated. */
bool isSynthesizedName(const Node& n, const QByteArray& prop, const QByteArray& value)
{
    if (prop != "name")
        return false;
    const qsizetype at = n.name.indexOf('@');
    return value == (at < 0 ? n.name : n.name.first(at)) + '\0';
}

int write(void* fdt, const Node& n)
{
    int err = fdt_begin_node(fdt, n.name.constData());
    for (const auto& [name, value] : n.props) {
        if (!err && !isSynthesizedName(n, name, value))
            err = fdt_property(fdt, name.constData(), value.constData(), int(value.size()));
    }
    for (const auto& c : n.children) {
        if (!err)
            err = write(fdt, *c);
    }
    return err ? err : fdt_end_node(fdt);
}

} // namespace

QByteArray dtbFromListing(QByteArrayView bytes, int firstLine, const QString& file, QString* error)
{
    Node root;
    qsizetype payload = 0;
    bool failed = false;
    forEachLine(bytes, firstLine, [&](QByteArrayView line, int number) {
        if (failed || line.trimmed().isEmpty())
            return;
        QString why;
        const qsizetype space = line.indexOf(' ');
        const QByteArrayView path = space < 0 ? line : line.first(space);
        QByteArray value;
        if (space >= 0 && !decodeHex(line.sliced(space + 1), &value)) {
            why = QStringLiteral("a property value that is not an even number of hex digits");
        } else if (path.endsWith('/') && space < 0) {
            nodeAt(root, path.first(path.size() - 1), &why);
        } else if (path.endsWith('/')) {
            why = QStringLiteral("a node line (ending in '/') with a value");
        } else {
            const qsizetype slash = path.lastIndexOf('/');
            Node* n = slash < 0 ? nullptr : nodeAt(root, path.first(slash), &why);
            const QByteArray prop = path.sliced(slash + 1).toByteArray();
            if (slash < 0)
                why = QStringLiteral("a path must start with '/'");
            if (n && std::none_of(n->props.begin(), n->props.end(), [&](const auto& p) { return p.first == prop; })) {
                payload += prop.size() + value.size() + 32;
                n->props.emplace_back(prop, std::move(value));
            }
        }
        if (!why.isEmpty()) {
            *error = QStringLiteral("%1:%2: section 'device-tree': %3 ('%4'); a listing line is 'PATH/' for a node "
                                    "or 'PATH/PROP HEX' for a property")
                         .arg(file)
                         .arg(number)
                         .arg(why, lineText(line.first(std::min<qsizetype>(line.size(), 80))));
            failed = true;
        }
    });
    if (failed)
        return {};
    // Nodes cost their name and two tags; retried larger if the estimate was short.
    QByteArray blob(int(std::min<qsizetype>(payload + bytes.size() + 4096, INT32_MAX / 2)), '\0');
    for (int attempt = 0; attempt < 4; ++attempt) {
        void* fdt = blob.data();
        int err = fdt_create(fdt, int(blob.size()));
        if (!err)
            err = fdt_finish_reservemap(fdt);
        if (!err)
            err = write(fdt, root);
        if (!err)
            err = fdt_finish(fdt);
        if (!err) {
            blob.resize(int(fdt_totalsize(fdt)));
            return blob;
        }
        if (err != -FDT_ERR_NOSPACE || blob.size() > INT32_MAX / 4)
            break;
        blob = QByteArray(blob.size() * 2, '\0');
    }
    *error = QStringLiteral("%1: section 'device-tree': the listing could not be turned into a device tree blob")
                 .arg(file);
    return {};
}

} // namespace carveout::capture::detail
