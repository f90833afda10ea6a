// SPDX-License-Identifier: GPL-2.0-only
#include "sim/bitmap.h"

// std
#include <algorithm>

namespace carveout::sim {

namespace {
constexpr uint64_t kNone = UINT64_MAX;

uint64_t rangeMask(unsigned from, unsigned to) // bits [from, to) of a word, to <= 64
{
    const uint64_t upper = to >= 64 ? ~uint64_t(0) : ((uint64_t(1) << to) - 1);
    return upper & (~uint64_t(0) << from);
}
} // namespace

PoolBitmap::PoolBitmap(uint64_t bits)
    : m_bits(bits)
{
    const size_t words = size_t((bits + 63) / 64);
    m_leaves = 1;
    while (m_leaves < std::max<size_t>(words, 1))
        m_leaves <<= 1;
    m_words.assign(m_leaves, ~uint64_t(0));
    for (size_t w = 0; w < words; ++w)
        m_words[w] = 0;
    if (bits % 64)
        m_words[words - 1] = ~uint64_t(0) << (bits % 64);
    m_tree.assign(2 * m_leaves, Node {});
    for (size_t w = 0; w < m_leaves; ++w)
        m_tree[m_leaves + w] = leaf(m_words[w]);
    uint64_t len = 64;
    for (size_t level = m_leaves / 2; level >= 1; level /= 2, len *= 2) {
        for (size_t n = level; n < 2 * level; ++n)
            pull(n, len);
    }
}

PoolBitmap::Node PoolBitmap::leaf(uint64_t word)
{
    Node n;
    if (word == 0) {
        n.pre = n.suf = n.best = 64;
        return n;
    }
    n.pre = uint64_t(__builtin_ctzll(word)); // bit 0 is the lowest index
    n.suf = uint64_t(__builtin_clzll(word));
    uint64_t free = ~word, best = 0;
    while (free) { // each round shortens every free run by one
        free &= free >> 1;
        ++best;
    }
    n.best = best;
    return n;
}

void PoolBitmap::pull(size_t node, uint64_t childLen)
{
    const Node& l = m_tree[2 * node];
    const Node& r = m_tree[2 * node + 1];
    Node& n = m_tree[node];
    n.pre = l.pre == childLen ? childLen + r.pre : l.pre;
    n.suf = r.suf == childLen ? childLen + l.suf : r.suf;
    n.best = std::max({ l.best, r.best, l.suf + r.pre });
}

void PoolBitmap::refresh(size_t firstWord, size_t lastWord)
{
    for (size_t w = firstWord; w <= lastWord; ++w)
        m_tree[m_leaves + w] = leaf(m_words[w]);
    size_t lo = (m_leaves + firstWord) / 2, hi = (m_leaves + lastWord) / 2;
    for (uint64_t len = 64; lo >= 1; lo /= 2, hi /= 2, len *= 2) {
        for (size_t n = lo; n <= hi; ++n)
            pull(n, len);
        if (lo == 1)
            break;
    }
}

void PoolBitmap::assign(uint64_t start, uint64_t count, bool value)
{
    if (!count)
        return;
    const uint64_t end = start + count;
    for (uint64_t i = start; i < end;) {
        const unsigned from = unsigned(i & 63);
        const unsigned to = unsigned(std::min<uint64_t>(64, from + (end - i)));
        uint64_t& w = m_words[size_t(i >> 6)];
        const uint64_t m = rangeMask(from, to);
        if (value) {
            m_set += uint64_t(__builtin_popcountll(m & ~w));
            w |= m;
        } else {
            m_set -= uint64_t(__builtin_popcountll(m & w));
            w &= ~m;
        }
        i += to - from;
    }
    refresh(size_t(start >> 6), size_t((end - 1) >> 6));
}

uint64_t PoolBitmap::findNextSet(uint64_t from, uint64_t end) const
{
    end = std::min(end, m_bits);
    while (from < end) {
        const uint64_t w = m_words[size_t(from >> 6)] & (~uint64_t(0) << (from & 63));
        if (w) {
            const uint64_t hit = (from & ~uint64_t(63)) + uint64_t(__builtin_ctzll(w));
            return std::min(hit, end);
        }
        from = (from | 63) + 1;
    }
    return end;
}

uint64_t PoolBitmap::countSet(uint64_t from, uint64_t to) const
{
    to = std::min(to, m_bits);
    uint64_t n = 0;
    while (from < to) {
        const unsigned a = unsigned(from & 63);
        const unsigned b = unsigned(std::min<uint64_t>(64, a + (to - from)));
        n += uint64_t(__builtin_popcountll(m_words[size_t(from >> 6)] & rangeMask(a, b)));
        from += b - a;
    }
    return n;
}

uint64_t PoolBitmap::windowIn(
    size_t node, uint64_t nodeStart, uint64_t nodeLen, uint64_t pos, uint64_t len, uint64_t& run) const
{
    if (nodeStart + nodeLen <= pos)
        return kNone;
    const Node& n = m_tree[node];
    if (nodeStart >= pos) {
        if (run + n.pre >= len)
            return nodeStart - run;
        if (n.best < len) {
            run = n.pre == nodeLen ? run + nodeLen : n.suf;
            return kNone;
        }
    }
    if (nodeLen == 64) { // a word, entered part-way or holding the window: walk its bits
        const uint64_t w = m_words[size_t(node - m_leaves)];
        for (uint64_t b = pos > nodeStart ? pos - nodeStart : 0; b < 64; ++b) {
            if ((w >> b) & 1) {
                run = 0;
            } else if (++run >= len) {
                return nodeStart + b + 1 - run;
            }
        }
        return kNone;
    }
    const uint64_t half = nodeLen / 2;
    const uint64_t left = windowIn(2 * node, nodeStart, half, pos, len, run);
    if (left != kNone)
        return left;
    return windowIn(2 * node + 1, nodeStart + half, half, pos, len, run);
}

uint64_t PoolBitmap::firstWindow(uint64_t pos, uint64_t len) const
{
    if (pos >= m_bits || len == 0)
        return len == 0 && pos < m_bits ? pos : kNone;
    uint64_t run = 0;
    return windowIn(1, 0, uint64_t(m_leaves) * 64, pos, len, run);
}

uint64_t PoolBitmap::findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const
{
    // The kernel's loop tries aligned candidates from the first zero bit and restarts after
    // the first set bit inside a candidate. Its answer is therefore the first aligned index
    // whose nr bits are clear; every valid index starts a free window of nr bits, so the
    // search may jump to the next such window and align from there.
    uint64_t pos = start;
    for (;;) {
        const uint64_t i = firstWindow(pos, std::max<uint64_t>(nr, 1));
        if (i == kNone)
            return m_bits + nr + 1; // like the kernel: an end beyond size means failure
        const uint64_t idx = ((i + off + mask) & ~mask) - off;
        if (idx + nr > m_bits)
            return idx + nr;
        const uint64_t j = findNextSet(idx, idx + nr);
        if (j >= idx + nr)
            return idx;
        pos = j + 1;
    }
}

// ---- PlainBitmap: lib/bitmap.c and lib/find_bit.c as written, a bit at a time ----

void PlainBitmap::set(uint64_t start, uint64_t count)
{
    for (uint64_t i = start; i < start + count; ++i)
        m_map[size_t(i)] = true;
}

void PlainBitmap::clear(uint64_t start, uint64_t count)
{
    for (uint64_t i = start; i < start + count; ++i)
        m_map[size_t(i)] = false;
}

uint64_t PlainBitmap::findNextZero(uint64_t from) const
{
    while (from < m_map.size() && m_map[size_t(from)])
        ++from;
    return std::min<uint64_t>(from, m_map.size());
}

uint64_t PlainBitmap::findNextSet(uint64_t from, uint64_t end) const
{
    while (from < end && !m_map[size_t(from)])
        ++from;
    return std::min(from, end);
}

uint64_t PlainBitmap::findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const
{
    const uint64_t size = m_map.size();
    for (;;) {
        uint64_t index = findNextZero(start);
        index = ((index + off + mask) & ~mask) - off; // __ALIGN_MASK(index + off, mask) - off
        const uint64_t end = index + nr;
        if (end > size)
            return end;
        const uint64_t i = findNextSet(index, end);
        if (i < end) {
            start = i + 1;
            continue;
        }
        return index;
    }
}

uint64_t PlainBitmap::setCount() const
{
    return uint64_t(std::count(m_map.begin(), m_map.end(), true));
}

uint64_t PlainBitmap::largestFreeRun() const
{
    uint64_t best = 0, run = 0;
    for (bool b : m_map) {
        run = b ? 0 : run + 1;
        best = std::max(best, run);
    }
    return best;
}

} // namespace carveout::sim
