// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// std
#include <cstddef>
#include <cstdint>
#include <vector>

namespace carveout::sim {

/** A pool bitmap (bit i = page or slot i is in use) that answers the kernel's searches fast.
 *
 *  Words of 64 bits hold the map; a segment tree over blocks of words keeps, for every subtree, the
 *  free run at its start, at its end and the longest inside. The kernel's first-fit search
 *  (lib/bitmap.c, bitmap_find_next_zero_area_off) then jumps from one long-enough free run to
 *  the next instead of walking bits, and the largest free block is known after every change.
 *  Results are those of the kernel's code, bit for bit (tests/core/tst_sim.cpp compares them
 *  with PlainBitmap, a literal transcription). */
class PoolBitmap
{
public:
    explicit PoolBitmap(uint64_t bits = 0);

    uint64_t size() const { return m_bits; }
    bool test(uint64_t i) const { return (m_words[size_t(i >> 6)] >> (i & 63)) & 1; }
    void set(uint64_t start, uint64_t count) { assign(start, count, true); }
    void clear(uint64_t start, uint64_t count) { assign(start, count, false); }

    /** bitmap_find_next_zero_area_off(map, size(), start, nr, mask, off): the first index
     *  idx >= start with (idx + off) & mask == 0 and bits [idx, idx + nr) clear; a value
     *  >= size() when there is none. */
    uint64_t findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const;
    /** find_next_bit(map, end, from): the first set bit in [from, end), else end. */
    uint64_t findNextSet(uint64_t from, uint64_t end) const;

    uint64_t setCount() const { return m_set; }
    uint64_t largestFreeRun() const { return m_tree.empty() ? 0 : m_tree[1].best; }
    /** Where the (first) largest free run starts; size() when nothing is free. */
    uint64_t largestFreeRunStart() const
    {
        const uint64_t n = largestFreeRun();
        return n ? firstWindow(0, n) : m_bits;
    }
    /** Set bits in [from, to). */
    uint64_t countSet(uint64_t from, uint64_t to) const;

private:
    struct Node
    {
        uint64_t pre = 0, suf = 0, best = 0; // free runs: at the start, at the end, longest
    };
    /// The tree's leaves are blocks of words: a tree over single words was larger than the
    /// caches (3 MB for a 4 GiB area) and its updates cost more than the kernel's word-wise search.
    static constexpr size_t kBlockWords = 8;
    static constexpr uint64_t kBlockBits = 64 * kBlockWords;
    void assign(uint64_t start, uint64_t count, bool value);
    static Node wordLeaf(uint64_t word);
    static Node merge(const Node& l, const Node& r, uint64_t childLen);
    Node leaf(size_t block) const;
    void pull(size_t node, uint64_t childLen);
    void refresh(size_t firstWord, size_t lastWord);
    /** The first i >= pos with [i, i + len) clear, or UINT64_MAX. */
    uint64_t firstWindow(uint64_t pos, uint64_t len) const;
    uint64_t windowIn(
        size_t node, uint64_t nodeStart, uint64_t nodeLen, uint64_t pos, uint64_t len, uint64_t& run) const;

    uint64_t m_bits = 0;
    uint64_t m_set = 0;
    size_t m_leaves = 0; // power of two >= number of blocks
    std::vector<uint64_t> m_words; // bits past m_bits are kept set so they never look free
    std::vector<Node> m_tree; // 1-based heap layout, leaves at [m_leaves, 2 * m_leaves)
};

/** The same bitmap and searches written as the kernel writes them, one bit at a time: the
 *  obviously-correct model the fast one is checked and benchmarked against. */
class PlainBitmap
{
public:
    explicit PlainBitmap(uint64_t bits = 0)
        : m_map(bits, false)
    {
    }
    uint64_t size() const { return m_map.size(); }
    bool test(uint64_t i) const { return m_map[i]; }
    void set(uint64_t start, uint64_t count);
    void clear(uint64_t start, uint64_t count);
    uint64_t findNextZero(uint64_t from) const;
    uint64_t findNextSet(uint64_t from, uint64_t end) const;
    uint64_t findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const;
    uint64_t setCount() const;
    uint64_t largestFreeRun() const;

private:
    std::vector<bool> m_map;
};

/** lib/bitmap.c and lib/find_bit.c as the kernel runs them: unsigned longs, a word at a time
 *  (find_next_zero_bit / find_next_bit skip whole words, bitmap_set / bitmap_clear mask them).
 *  The honest baseline for PoolBitmap's speed (bench_sim): what the kernel itself pays. */
class WordBitmap
{
public:
    explicit WordBitmap(uint64_t bits = 0)
        : m_bits(bits)
        , m_words(size_t((bits + kBits - 1) / kBits), 0)
    {
    }
    uint64_t size() const { return m_bits; }
    bool test(uint64_t i) const { return (m_words[size_t(i / kBits)] >> (i % kBits)) & 1; }
    /** bitmap_set(map, start, len) / bitmap_clear(map, start, len). */
    void set(uint64_t start, uint64_t count);
    void clear(uint64_t start, uint64_t count);
    /** find_next_zero_bit(map, size, from): size when there is none. */
    uint64_t findNextZero(uint64_t from) const;
    /** find_next_bit(map, end, from): end when there is none. */
    uint64_t findNextSet(uint64_t from, uint64_t end) const;
    /** bitmap_find_next_zero_area_off(map, size(), start, nr, mask, off). */
    uint64_t findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const;
    /** bitmap_weight(map, size()). */
    uint64_t setCount() const;

private:
    using Word = unsigned long;
    static constexpr uint64_t kBits = sizeof(Word) * 8;
    void assign(uint64_t start, uint64_t count, bool value);
    uint64_t m_bits;
    std::vector<Word> m_words;
};

} // namespace carveout::sim
