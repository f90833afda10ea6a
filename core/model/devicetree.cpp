// SPDX-License-Identifier: GPL-2.0-only
#include "devicetree.h"

// std
#include <algorithm>
#include <cstring>

namespace carveout {

const DtProperty* DtNode::property(const char* propName) const
{
    const auto len = qsizetype(std::strlen(propName));
    for (const auto& p : properties) {
        if (p.name.size() == len && std::memcmp(p.name.constData(), propName, size_t(len)) == 0)
            return &p;
    }
    return nullptr;
}

DeviceTree::DeviceTree()
{
    m_nodes.emplace_back(); // root
}

QString DeviceTree::path(int index) const
{
    if (index <= 0)
        return QStringLiteral("/");
    QList<int> chain;
    for (int i = index; i > 0; i = m_nodes[size_t(i)].parent)
        chain.prepend(i);
    QString result;
    for (int i : chain) {
        result += QLatin1Char('/');
        result += QString::fromUtf8(m_nodes[size_t(i)].name);
    }
    return result;
}

void DeviceTree::deleteNode(int index)
{
    std::vector<int> stack { index };
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        m_nodes[size_t(i)].deleted = true;
        for (int c : m_nodes[size_t(i)].children)
            stack.push_back(c);
    }
}

int DeviceTree::child(int parent, const QByteArray& name) const
{
    for (int c : m_nodes[size_t(parent)].children) {
        if (!m_nodes[size_t(c)].deleted && m_nodes[size_t(c)].name == name)
            return c;
    }
    return -1;
}

int DeviceTree::findPath(const QString& path) const
{
    if (!path.startsWith(QLatin1Char('/')))
        return -1;
    int current = 0;
    const auto parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const auto& part : parts) {
        current = child(current, part.toUtf8());
        if (current < 0)
            return -1;
    }
    return current;
}

int DeviceTree::findPhandle(uint32_t phandle) const
{
    // Edits may delete nodes; their phandles no longer resolve.
    auto it = std::lower_bound(m_phandles.begin(), m_phandles.end(), std::make_pair(phandle, -1));
    if (it != m_phandles.end() && it->first == phandle && !m_nodes[size_t(it->second)].deleted)
        return it->second;
    return -1;
}

int DeviceTree::findLabel(const QByteArray& label) const
{
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (!m_nodes[i].deleted && m_nodes[i].labels.contains(label))
            return int(i);
    }
    return -1;
}

int DeviceTree::addNode(int parent, const QByteArray& name)
{
    DtNode n;
    n.name = name;
    n.parent = parent;
    m_nodes.push_back(std::move(n));
    const int index = int(m_nodes.size() - 1);
    m_nodes[size_t(parent)].children.push_back(index);
    return index;
}

int DeviceTree::internFile(const QString& file)
{
    // Few distinct files per board (tens), many lookups: a linear scan from the back is fastest
    // because consecutive spans almost always name the same file.
    for (int i = int(m_files.size()) - 1; i >= 0; --i) {
        if (m_files.at(i) == file)
            return i;
    }
    m_files.append(file);
    return int(m_files.size() - 1);
}

void DeviceTree::finalize()
{
    m_phandles.clear();
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        for (const char* name : { "phandle", "linux,phandle" }) {
            const auto* p = m_nodes[i].property(name);
            if (p && p->value.size() == 4)
                m_phandles.emplace_back(cells::at(p->value, 0), int(i));
        }
    }
    std::sort(m_phandles.begin(), m_phandles.end());
}

namespace cells {
uint64_t readNumber(const QByteArray& v, int cellIndex, int n)
{
    uint64_t r = 0;
    for (int i = 0; i < n; ++i)
        r = (r << 32) | at(v, cellIndex + i);
    return r;
}

QStringList strings(const QByteArray& v)
{
    QStringList out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < v.size(); ++i) {
        if (v.at(i) == '\0') {
            out.append(QString::fromUtf8(v.constData() + start, i - start));
            start = i + 1;
        }
    }
    if (start < v.size()) // unterminated tail: keep it rather than lose it
        out.append(QString::fromUtf8(v.constData() + start, v.size() - start));
    return out;
}
} // namespace cells

} // namespace carveout
