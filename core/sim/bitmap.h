// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// std
#include <cstddef>
#include <cstdint>
#include <vector>

namespace carveout::sim {

/** A pool bitmap (bit i = page or slot i is in use) that answers the kernel's searches fast.
 *
 *  Words of 64 bits hold the map (tests, counts, the heatmap); beside them the free runs, the
 *  maximal intervals of clear bits, in address order, in chunks of at most kChunkRuns runs that
 *  each know their longest run. The kernel's first fit (lib/bitmap.c,
 *  bitmap_find_next_zero_area_off) gives the aligned start of the first free run that an aligned
 *  window of nr bits fits in (findZeroArea says why), so a search skips every chunk without a run
 *  long enough and reads a few runs, and an allocation or a free edits one or two runs. Results
 *  are those of the kernel's code, bit for bit (tests/core/tst_sim.cpp compares them with
 *  PlainBitmap, a literal transcription; bench_sim with WordBitmap). */
class PoolBitmap
{
public:
    explicit PoolBitmap(uint64_t bits = 0);

    uint64_t size() const { return m_bits; }
    bool test(uint64_t i) const;
    void set(uint64_t start, uint64_t count);
    void clear(uint64_t start, uint64_t count);

    /** bitmap_find_next_zero_area_off(map, size(), start, nr, mask, off): the first index
     *  idx >= start with (idx + off) & mask == 0 and bits [idx, idx + nr) clear; a value
     *  >= size() when there is none. */
    uint64_t findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const;
    /** find_next_bit(map, end, from): the first set bit in [from, end), else end. */
    uint64_t findNextSet(uint64_t from, uint64_t end) const;

    uint64_t setCount() const { return m_set; }
    uint64_t largestFreeRun() const;
    /** Where the (first) largest free run starts; size() when nothing is free. */
    uint64_t largestFreeRunStart() const;
    /** Set bits in [from, to). */
    uint64_t countSet(uint64_t from, uint64_t to) const;

private:
    struct Run
    {
        uint64_t start, end; // clear bits [start, end)
    };
    /// A chunk is split beyond this many runs: searches read at most one chunk's runs past the
    /// ones they skip, and an edit moves at most one chunk's runs.
    static constexpr size_t kChunkRuns = 64;
    static constexpr uint64_t kNone = UINT64_MAX;
    /** Runs in fixed arrays (no allocation, small moves), and beside them each run's size class
     *  (bit_width(length) and the two bits below its top one, bitmap.cpp's classOf): the search
     *  compares 16 classes at once to find the runs about as long as the request or longer
     *  instead of walking past the short ones. */
    struct Chunk
    {
        Chunk();
        uint64_t longest = 0; // the longest run's length
        uint64_t lastEnd = 0; // the last run's end
        size_t n = 0; // runs
        alignas(16) uint8_t cls[kChunkRuns + 16] = {}; // the runs' classes; 0 from n on
        Run runs[kChunkRuns + 1]; // {kNone, kNone} from n on; an edit adds at most one before the split
        /** Bit i: run i (< kChunkRuns) has a class of at least `least`. */
        uint64_t candidates(uint8_t least) const;
        void put(size_t i, Run r);
        void insert(size_t i, Run r);
        void erase(size_t i, size_t count);
        void rescan();
    };
    struct Pos
    {
        size_t chunk, run;
    };
    /** The first run ending after `a` (chunk == m_chunks.size() when none does). */
    Pos firstEndingAfter(uint64_t a) const;
    /** set() of [a, b) inside the free run p; false (nothing done) when it is not inside. */
    bool takeFromRun(Pos p, uint64_t a, uint64_t b);
    /** clear() of [a, b) all in use, `at` the first run ending at or after a; false (nothing
     *  done) when that takes more than the runs beside it in one chunk. */
    bool joinNeighbours(Pos at, uint64_t a, uint64_t b);
    /** The general cases, from the first run ending after a (markFree: at or after a). */
    void markUsed(Pos p, uint64_t a, uint64_t b);
    void markFree(Pos at, uint64_t a, uint64_t b);
    /** Recomputes the chunks `changed` names (in any order, each once): drops empty ones, splits
     *  long ones. */
    void fixChunks(std::vector<size_t>& changed);

    uint64_t m_bits = 0;
    uint64_t m_set = 0;
    std::vector<Chunk> m_chunks;
    std::vector<size_t> m_changed; // scratch of markUsed / markFree: chunks to drop or split
    mutable Pos m_hint { 0, 0 }; // where the last findZeroArea answered: set() usually starts there
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
