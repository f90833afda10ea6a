// SPDX-License-Identifier: GPL-2.0-only
#include "sim/bitmap.h"

// std
#include <algorithm>

namespace carveout::sim {

namespace {
constexpr uint64_t kNone = UINT64_MAX;

/** Bits set in x, in a few instructions on any CPU (__builtin_popcountll is a libgcc call
 *  where the baseline has no popcount instruction, as x86-64's has not). */
uint64_t popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

uint64_t rangeMask(unsigned from, unsigned to) // bits [from, to) of a word, to <= 64
{
    const uint64_t upper = to >= 64 ? ~uint64_t(0) : ((uint64_t(1) << to) - 1);
    return upper & (~uint64_t(0) << from);
}
/** bitmap_find_next_zero_area_off (lib/bitmap.c) as the kernel writes it, over a bitmap's
 *  find_next_zero_bit and find_next_bit: the plain and the word-wise models share it. */
template <typename Bitmap>
uint64_t kernelFindZeroArea(const Bitmap& b, uint64_t size, uint64_t start, uint64_t nr, uint64_t mask, uint64_t off)
{
    for (;;) {
        uint64_t index = b.findNextZero(start);
        index = ((index + off + mask) & ~mask) - off; // __ALIGN_MASK(index + align_offset, align_mask) - align_offset
        const uint64_t end = index + nr;
        if (end > size)
            return end;
        const uint64_t i = b.findNextSet(index, end);
        if (i >= end)
            return index;
        start = i + 1;
    }
}
} // namespace

PoolBitmap::PoolBitmap(uint64_t bits)
    : m_bits(bits)
{
    const size_t words = size_t((bits + 63) / 64);
    const size_t blocks = (words + kBlockWords - 1) / kBlockWords;
    m_leaves = 1;
    while (m_leaves < std::max<size_t>(blocks, 1))
        m_leaves <<= 1;
    m_words.assign(m_leaves * kBlockWords, ~uint64_t(0));
    for (size_t w = 0; w < words; ++w)
        m_words[w] = 0;
    if (bits % 64)
        m_words[words - 1] = ~uint64_t(0) << (bits % 64);
    m_tree.assign(2 * m_leaves, Node {});
    for (size_t b = 0; b < m_leaves; ++b)
        m_tree[m_leaves + b] = leaf(b);
    uint64_t len = kBlockBits;
    for (size_t level = m_leaves / 2; level >= 1; level /= 2, len *= 2) {
        for (size_t n = level; n < 2 * level; ++n)
            pull(n, len);
    }
}

PoolBitmap::Node PoolBitmap::wordLeaf(uint64_t word)
{
    Node n;
    if (word == 0) {
        n.pre = n.suf = n.best = 64;
        return n;
    }
    if (word == ~uint64_t(0))
        return n;
    n.pre = uint64_t(__builtin_ctzll(word)); // bit 0 is the lowest index
    n.suf = uint64_t(__builtin_clzll(word));
    // The free runs one after the other (at most 32): skip the used bits, measure the free ones.
    uint64_t free = ~word, best = 0;
    while (free) {
        free >>= __builtin_ctzll(free);
        const uint64_t run = ~free ? uint64_t(__builtin_ctzll(~free)) : 64;
        best = std::max(best, run);
        free = run >= 64 ? 0 : free >> run;
    }
    n.best = best;
    return n;
}

PoolBitmap::Node PoolBitmap::merge(const Node& l, const Node& r, uint64_t childLen)
{
    Node n;
    n.pre = l.pre == childLen ? childLen + r.pre : l.pre;
    n.suf = r.suf == childLen ? childLen + l.suf : r.suf;
    n.best = std::max({ l.best, r.best, l.suf + r.pre });
    return n;
}

PoolBitmap::Node PoolBitmap::leaf(size_t block) const
{
    const uint64_t* w = &m_words[block * kBlockWords];
    Node n = wordLeaf(w[0]);
    for (size_t k = 1; k < kBlockWords; ++k) {
        const Node next = wordLeaf(w[k]);
        // merge() of a run of k words with one more word (the two sides differ in length)
        const uint64_t have = 64 * k;
        n.best = std::max({ n.best, next.best, n.suf + next.pre });
        n.pre = n.pre == have ? have + next.pre : n.pre;
        n.suf = next.suf == 64 ? 64 + n.suf : next.suf;
    }
    return n;
}

void PoolBitmap::pull(size_t node, uint64_t childLen)
{
    m_tree[node] = merge(m_tree[2 * node], m_tree[2 * node + 1], childLen);
}

void PoolBitmap::refresh(size_t firstWord, size_t lastWord)
{
    const size_t first = firstWord / kBlockWords, last = lastWord / kBlockWords;
    for (size_t b = first; b <= last; ++b) {
        // A block the change covers whole is all used or all free: no need to read its words.
        const uint64_t* w = &m_words[b * kBlockWords];
        const bool whole = b != first && b != last;
        if (whole && w[0] == 0)
            m_tree[m_leaves + b] = Node { kBlockBits, kBlockBits, kBlockBits };
        else if (whole && w[0] == ~uint64_t(0))
            m_tree[m_leaves + b] = Node {};
        else
            m_tree[m_leaves + b] = leaf(b);
    }
    size_t lo = (m_leaves + first) / 2, hi = (m_leaves + last) / 2;
    for (uint64_t len = kBlockBits; lo >= 1; lo /= 2, hi /= 2, len *= 2) {
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
            m_set += popcount(m & ~w);
            w |= m;
        } else {
            m_set -= popcount(m & w);
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
    if (nodeLen == kBlockBits) { // a block, entered part-way or holding the window: walk its words
        const size_t first = size_t(node - m_leaves) * kBlockWords;
        for (size_t k = 0; k < kBlockWords; ++k) {
            const uint64_t wordStart = nodeStart + 64 * k;
            if (wordStart + 64 <= pos)
                continue;
            uint64_t w = m_words[first + k];
            if (pos > wordStart) // bits before pos do not count: as if used
                w |= (uint64_t(1) << (pos - wordStart)) - 1;
            if (w == 0) {
                if (run + 64 >= len)
                    return wordStart - run;
                run += 64;
                continue;
            }
            const uint64_t pre = uint64_t(__builtin_ctzll(w));
            if (run + pre >= len)
                return wordStart - run;
            // The free runs inside the word, after its first used bit.
            uint64_t free = ~w >> pre, at = pre;
            while (free) {
                const uint64_t skip = uint64_t(__builtin_ctzll(free));
                free >>= skip;
                at += skip;
                const uint64_t r = ~free ? uint64_t(__builtin_ctzll(~free)) : 64 - at;
                if (r >= len)
                    return wordStart + at;
                if (at + r == 64) // the run reaching the word's end carries on into the next
                    break;
                free >>= r;
                at += r;
            }
            run = uint64_t(__builtin_clzll(w));
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
    return windowIn(1, 0, uint64_t(m_leaves) * kBlockBits, pos, len, run);
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
    return kernelFindZeroArea(*this, size(), start, nr, mask, off);
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

// ---- WordBitmap: lib/bitmap.c and lib/find_bit.c as the kernel runs them, a word at a time ----

void WordBitmap::set(uint64_t start, uint64_t count)
{
    assign(start, count, true);
}

void WordBitmap::clear(uint64_t start, uint64_t count)
{
    assign(start, count, false);
}

void WordBitmap::assign(uint64_t start, uint64_t count, bool value)
{
    // bitmap_set / bitmap_clear: the partial first word, whole words, the partial last word.
    size_t w = size_t(start / kBits);
    const uint64_t size = start + count;
    int64_t left = int64_t(count);
    unsigned bits = unsigned(kBits - start % kBits);
    Word mask = ~Word(0) << (start % kBits); // BITMAP_FIRST_WORD_MASK(start)
    const auto apply = [&](Word m) { m_words[w] = value ? m_words[w] | m : m_words[w] & ~m; };
    while (left - int64_t(bits) >= 0) {
        apply(mask);
        ++w;
        left -= bits;
        bits = unsigned(kBits);
        mask = ~Word(0);
    }
    if (left > 0)
        apply(mask & (~Word(0) >> ((kBits - size % kBits) % kBits))); // & BITMAP_LAST_WORD_MASK(size)
}

uint64_t WordBitmap::findNextZero(uint64_t from) const
{
    // FIND_NEXT_BIT(~addr[idx], /* nop */, size, start)
    if (from >= m_bits)
        return m_bits;
    size_t idx = size_t(from / kBits);
    Word tmp = ~m_words[idx] & (~Word(0) << (from % kBits));
    while (!tmp) {
        if ((++idx) * kBits >= m_bits)
            return m_bits;
        tmp = ~m_words[idx];
    }
    return std::min<uint64_t>(idx * kBits + uint64_t(__builtin_ctzl(tmp)), m_bits);
}

uint64_t WordBitmap::findNextSet(uint64_t from, uint64_t end) const
{
    end = std::min(end, m_bits);
    if (from >= end)
        return end;
    size_t idx = size_t(from / kBits);
    Word tmp = m_words[idx] & (~Word(0) << (from % kBits));
    while (!tmp) {
        if ((++idx) * kBits >= end)
            return end;
        tmp = m_words[idx];
    }
    return std::min<uint64_t>(idx * kBits + uint64_t(__builtin_ctzl(tmp)), end);
}

uint64_t WordBitmap::findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const
{
    return kernelFindZeroArea(*this, m_bits, start, nr, mask, off);
}

uint64_t WordBitmap::setCount() const
{
    uint64_t n = 0;
    for (Word w : m_words)
        n += uint64_t(__builtin_popcountl(w));
    return n;
}

} // namespace carveout::sim
