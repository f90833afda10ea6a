// SPDX-License-Identifier: GPL-2.0-only
#include "edit/unifieddiff.h"

// Qt
#include <QList>

// std
#include <algorithm>
#include <vector>

namespace carveout {

namespace {

struct DiffLine
{
    char kind; ///< ' ', '-' or '+'
    qsizetype ai, bi; ///< line indexes in before and after (for '+', where it goes in before)
};

/** The edit script of the window [pre, pre + n) x [pre, pre + m) from a full LCS table,
 *  removals before additions as diff -u prints them. */
void lcsScript(const QList<QByteArray>& a, const QList<QByteArray>& b, qsizetype pre, qsizetype n, qsizetype m,
    std::vector<DiffLine>* script)
{
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[size_t(i)][size_t(j)] = a[pre + i] == b[pre + j]
                ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                : std::max(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
    }
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[pre + i] == b[pre + j]) {
            script->push_back({ ' ', pre + i, pre + j });
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)])) {
            script->push_back({ '-', pre + i, pre + j });
            ++i;
        } else {
            script->push_back({ '+', pre + i, pre + j });
            ++j;
        }
    }
}

/** Myers' greedy shortest edit script for the same window, keeping each frontier to walk back
 *  (memory O(maxD^2)). False when more than `maxD` lines differ. */
bool myersScript(const QList<QByteArray>& a, const QList<QByteArray>& b, qsizetype pre, qsizetype n, qsizetype m,
    int maxD, std::vector<DiffLine>* script)
{
    const qsizetype off = maxD + 1;
    std::vector<qsizetype> v(size_t(2 * maxD + 3), 0);
    std::vector<std::vector<qsizetype>> trace;
    int found = -1;
    for (int d = 0; d <= maxD && found < 0; ++d) {
        trace.push_back(v);
        for (int k = -d; k <= d; k += 2) {
            qsizetype x = (k == -d || (k != d && v[size_t(off + k - 1)] < v[size_t(off + k + 1)]))
                ? v[size_t(off + k + 1)]
                : v[size_t(off + k - 1)] + 1;
            qsizetype y = x - k;
            while (x < n && y < m && a[pre + x] == b[pre + y]) {
                ++x;
                ++y;
            }
            v[size_t(off + k)] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0)
        return false;
    std::vector<DiffLine> rev;
    qsizetype x = n, y = m;
    for (int d = found; d > 0; --d) {
        const std::vector<qsizetype>& prev = trace[size_t(d)];
        const qsizetype k = x - y;
        const qsizetype prevK
            = (k == -d || (k != d && prev[size_t(off + k - 1)] < prev[size_t(off + k + 1)])) ? k + 1 : k - 1;
        const qsizetype prevX = prev[size_t(off + prevK)], prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            rev.push_back({ ' ', pre + x - 1, pre + y - 1 });
            --x;
            --y;
        }
        if (x == prevX)
            rev.push_back({ '+', pre + x, pre + y - 1 });
        else
            rev.push_back({ '-', pre + x - 1, pre + y });
        x = prevX;
        y = prevY;
    }
    while (x > 0 && y > 0) {
        rev.push_back({ ' ', pre + x - 1, pre + y - 1 });
        --x;
        --y;
    }
    script->insert(script->end(), rev.rbegin(), rev.rend());
    return true;
}

/** Every line of the window removed, then every new one added. */
void replaceScript(qsizetype pre, qsizetype n, qsizetype m, std::vector<DiffLine>* script)
{
    for (qsizetype i = 0; i < n; ++i)
        script->push_back({ '-', pre + i, pre });
    for (qsizetype j = 0; j < m; ++j)
        script->push_back({ '+', pre + n, pre + j });
}

} // namespace

QByteArray unifiedDiff(const QString& displayName, const QByteArray& before, const QByteArray& after)
{
    // Lines without their '\n'; a last line without one carries diff's marker, so that it differs
    // from the same text with a newline and prints as diff -u prints it.
    const auto lines = [](const QByteArray& text) {
        QList<QByteArray> l = text.split('\n');
        if (text.isEmpty() || text.endsWith('\n'))
            l.removeLast();
        else
            l.last() += "\n\\ No newline at end of file";
        return l;
    };
    const QList<QByteArray> a = lines(before);
    const QList<QByteArray> b = lines(after);
    qsizetype pre = 0;
    while (pre < a.size() && pre < b.size() && a[pre] == b[pre])
        ++pre;
    qsizetype suf = 0;
    while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
        ++suf;
    const qsizetype n = a.size() - pre - suf, m = b.size() - pre - suf;
    std::vector<DiffLine> script;
    for (qsizetype k = 0; k < pre; ++k)
        script.push_back({ ' ', k, k });
    // The LCS table is (n + 1) x (m + 1) ints: fine for the window of a few edits, but a .dtsi of
    // 20,000 lines with edits at both ends would need 1.6 GB. Larger windows go through Myers'
    // O((n + m) D) algorithm, and a window that differs almost everywhere is shown replaced whole.
    if (double(n + 1) * double(m + 1) <= 4e6)
        lcsScript(a, b, pre, n, m, &script);
    else if (!myersScript(a, b, pre, n, m, 1000, &script))
        replaceScript(pre, n, m, &script);
    for (qsizetype k = 0; k < suf; ++k)
        script.push_back({ ' ', a.size() - suf + k, b.size() - suf + k });

    // a/ b/ prefixes suit relative names (patch -p1); an absolute name is printed as it is.
    const QByteArray name = displayName.toUtf8();
    const bool absolute = name.startsWith('/');
    QByteArray out = (absolute ? "--- " : "--- a/") + name + (absolute ? "\n+++ " : "\n+++ b/") + name + "\n";
    const int ctx = 3;
    size_t k = 0;
    while (k < script.size()) {
        while (k < script.size() && script[k].kind == ' ')
            ++k;
        if (k >= script.size())
            break;
        size_t start = k >= size_t(ctx) ? k - ctx : 0;
        size_t end = k;
        // Extend the hunk while changes are within 2*ctx lines of each other.
        size_t last = k;
        while (end < script.size()) {
            if (script[end].kind != ' ')
                last = end;
            else if (end - last > size_t(2 * ctx))
                break;
            ++end;
        }
        end = std::min(script.size(), last + ctx + 1);
        qsizetype aStart = script[start].ai, bStart = script[start].bi, aLen = 0, bLen = 0;
        QByteArray body;
        for (size_t t = start; t < end; ++t) {
            const DiffLine& l = script[t];
            if (l.kind == ' ') {
                body += " " + a[l.ai] + "\n";
                ++aLen;
                ++bLen;
            } else if (l.kind == '-') {
                body += "-" + a[l.ai] + "\n";
                ++aLen;
            } else {
                body += "+" + b[l.bi] + "\n";
                ++bLen;
            }
        }
        out += "@@ -" + QByteArray::number(aStart + 1) + "," + QByteArray::number(aLen) + " +"
            + QByteArray::number(bStart + 1) + "," + QByteArray::number(bLen) + " @@\n" + body;
        k = end;
    }
    return out;
}

} // namespace carveout
