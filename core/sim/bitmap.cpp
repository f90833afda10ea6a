// SPDX-License-Identifier: GPL-2.0-only
#include "sim/bitmap.h"

// std
#include <algorithm>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace carveout::sim {

namespace {
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

namespace {
/** A run's size class for len >= 1: bit_width(len) and the two bits below the top one, so that
 *  len >= nr implies classOf(len) >= classOf(nr) and a class holds lengths within 25%
 *  (saturated at 255 from 2^63 on). */
inline uint8_t classOf(uint64_t len)
{
    const unsigned width = unsigned(64 - __builtin_clzll(len));
    const uint64_t top3 = width >= 3 ? len >> (width - 3) : len << (3 - width); // 4..7
    return uint8_t(std::min<unsigned>(width * 4 + unsigned(top3 & 3), 255));
}
} // namespace

PoolBitmap::Chunk::Chunk()
{
    std::fill(std::begin(runs), std::end(runs), Run { kNone, kNone });
}

uint64_t PoolBitmap::Chunk::candidates(uint8_t least) const
{
    uint64_t m = 0;
#if defined(__SSE2__)
    const __m128i t = _mm_set1_epi8(char(least));
    for (unsigned k = 0; k < kChunkRuns / 16; ++k) {
        const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(cls + 16 * k));
        const __m128i atLeast = _mm_cmpeq_epi8(_mm_max_epu8(v, t), v); // unsigned v >= t
        m |= uint64_t(uint32_t(_mm_movemask_epi8(atLeast))) << (16 * k);
    }
#else
    for (size_t i = 0; i < kChunkRuns; ++i)
        m |= uint64_t(cls[i] >= least) << i;
#endif
    return m;
}

void PoolBitmap::Chunk::put(size_t i, Run r)
{
    runs[i] = r;
    cls[i] = classOf(r.end - r.start);
}

void PoolBitmap::Chunk::insert(size_t i, Run r)
{
    std::memmove(runs + i + 1, runs + i, (n - i) * sizeof(Run));
    std::memmove(cls + i + 1, cls + i, n - i);
    ++n;
    put(i, r);
}

void PoolBitmap::Chunk::erase(size_t i, size_t count)
{
    if (!count)
        return;
    std::memmove(runs + i, runs + i + count, (n - i - count) * sizeof(Run));
    std::memmove(cls + i, cls + i + count, n - i - count);
    n -= count;
    for (size_t j = n; j < n + count; ++j) { // mostly one: no memset call
        runs[j] = Run { kNone, kNone };
        cls[j] = 0;
    }
}

void PoolBitmap::Chunk::rescan()
{
    // The longest run has the top class: only the runs of that class are compared.
    uint8_t top = 0;
    for (size_t i = 0; i < kChunkRuns; ++i)
        top = std::max(top, cls[i]);
    longest = 0;
    for (uint64_t m = top ? candidates(top) : 0; m; m &= m - 1) {
        const Run& r = runs[__builtin_ctzll(m)];
        longest = std::max(longest, r.end - r.start);
    }
}

PoolBitmap::PoolBitmap(uint64_t bits)
    : m_bits(bits)
{
    if (bits) {
        m_chunks.emplace_back();
        m_chunks[0].insert(0, Run { 0, bits });
        m_chunks[0].longest = m_chunks[0].lastEnd = bits;
    }
}

void PoolBitmap::set(uint64_t start, uint64_t count)
{
    if (!count)
        return;
    const uint64_t a = start, b = start + count;
    Pos p = m_hint; // the hint names a run or padding, never beyond the arrays
    if (p.chunk >= m_chunks.size() || m_chunks[p.chunk].runs[p.run].start > a || m_chunks[p.chunk].runs[p.run].end <= a)
        p = firstEndingAfter(a);
    if (!takeFromRun(p, a, b))
        markUsed(p, a, b);
}

void PoolBitmap::clear(uint64_t start, uint64_t count)
{
    if (!count)
        return;
    const uint64_t a = start, b = start + count;
    const Pos at = firstEndingAfter(a ? a - 1 : 0); // a run ending at a touches [a, b)
    if (!joinNeighbours(at, a, b))
        markFree(at, a, b);
}

bool PoolBitmap::takeFromRun(Pos p, uint64_t a, uint64_t b)
{
    // The usual allocation: [a, b) inside the run p, the one the search has just found.
    if (p.chunk >= m_chunks.size())
        return false;
    Chunk& ch = m_chunks[p.chunk];
    const Run r = ch.runs[p.run];
    if (r.start > a || r.end < b)
        return false;
    m_set += b - a;
    const bool lost = r.end - r.start == ch.longest;
    if (r.start < a) {
        ch.put(p.run, Run { r.start, a });
        if (r.end > b)
            ch.insert(p.run + 1, Run { b, r.end });
    } else if (r.end > b) {
        ch.put(p.run, Run { b, r.end });
    } else {
        ch.erase(p.run, 1);
    }
    if (ch.n == 0 || ch.n > kChunkRuns) {
        m_changed.assign(1, p.chunk);
        fixChunks(m_changed);
        return true;
    }
    ch.lastEnd = ch.runs[ch.n - 1].end;
    if (lost)
        ch.rescan();
    return true;
}

bool PoolBitmap::joinNeighbours(Pos at, uint64_t a, uint64_t b)
{
    // The usual free: all of [a, b) in use, touching at most the run that ends at a and the one
    // that starts at b, in one chunk. `at` is the first run ending at or after a.
    if (at.chunk >= m_chunks.size())
        return false;
    Chunk& ch = m_chunks[at.chunk];
    const Run l = ch.runs[at.run];
    if (l.end == a) {
        if (at.run + 1 == ch.n && at.chunk + 1 < m_chunks.size())
            return false; // the run after it is in the next chunk
        const Run next = ch.runs[at.run + 1]; // padding (starting at kNone) after the last
        if (next.start < b)
            return false; // part of [a, b) is free already
        if (next.start == b) {
            ch.put(at.run, Run { l.start, next.end });
            ch.erase(at.run + 1, 1);
        } else {
            ch.put(at.run, Run { l.start, b });
        }
    } else if (l.start < b) {
        return false; // l ends after a: it overlaps [a, b)
    } else if (l.start == b) {
        ch.put(at.run, Run { a, l.end });
    } else {
        ch.insert(at.run, Run { a, b });
    }
    m_set -= b - a;
    ch.longest = std::max(ch.longest, ch.runs[at.run].end - ch.runs[at.run].start); // runs only grew
    ch.lastEnd = ch.runs[ch.n - 1].end;
    if (ch.n > kChunkRuns) {
        m_changed.assign(1, at.chunk);
        fixChunks(m_changed);
    }
    return true;
}

namespace {
/** The first index in [0, n) whose key(i) > a (n when none), keys ascending: a binary search
 *  without branches to mispredict (the runs' ends are in no order a predictor learns). */
template <typename Key> size_t firstAbove(size_t n, uint64_t a, const Key& key)
{
    size_t lo = 0;
    while (n > 1) {
        const size_t half = n / 2;
        lo = key(lo + half - 1) <= a ? lo + half : lo;
        n -= half;
    }
    return n == 1 && key(lo) <= a ? lo + 1 : lo;
}
} // namespace

PoolBitmap::Pos PoolBitmap::firstEndingAfter(uint64_t a) const
{
    if (m_chunks.empty() || m_chunks[0].runs[0].end > a)
        return { 0, 0 }; // the search from 0, and low addresses
    size_t c = 0;
    if (m_chunks.size() <= 16) { // a few independent compares beat a chain of dependent ones
        for (const Chunk& ch : m_chunks)
            c += ch.lastEnd <= a ? 1 : 0;
    } else {
        c = firstAbove(m_chunks.size(), a, [&](size_t i) { return m_chunks[i].lastEnd; });
    }
    if (c == m_chunks.size())
        return { c, 0 };
    // Two rounds of eight independent compares instead of six dependent steps: which eighth of
    // the runs, then which run in it (runs past n end at kNone, so run 63 ends after a).
    const Run* runs = m_chunks[c].runs;
    size_t group = 0, i = 0;
    for (size_t k = 1; k <= kChunkRuns / 8; ++k)
        group += runs[8 * k - 1].end <= a ? 1 : 0;
    for (size_t k = 0; k < 8; ++k)
        i += runs[8 * group + k].end <= a ? 1 : 0;
    return { c, 8 * group + i };
}

void PoolBitmap::markUsed(Pos p, uint64_t a, uint64_t b)
{
    // The runs that overlap [a, b) keep what lies outside it: nothing, one side or both. The
    // bits newly set are the overlaps; a chunk rescans its runs only when it lost its longest.
    m_changed.clear();
    for (; p.chunk < m_chunks.size(); ++p.chunk, p.run = 0) {
        Chunk& ch = m_chunks[p.chunk];
        bool touched = false, lost = false;
        while (p.run < ch.n && ch.runs[p.run].start < b) {
            touched = true;
            const Run r = ch.runs[p.run];
            lost = lost || r.end - r.start == ch.longest;
            m_set += std::min(r.end, b) - std::max(r.start, a);
            if (r.start < a && r.end > b) {
                ch.put(p.run, Run { r.start, a });
                ch.insert(p.run + 1, Run { b, r.end });
                p.run += 2;
            } else if (r.start < a) {
                ch.put(p.run++, Run { r.start, a });
            } else if (r.end > b) {
                ch.put(p.run++, Run { b, r.end });
            } else {
                ch.erase(p.run, 1);
            }
        }
        if (touched) {
            if (ch.n == 0 || ch.n > kChunkRuns) {
                m_changed.push_back(p.chunk);
            } else {
                ch.lastEnd = ch.runs[ch.n - 1].end;
                if (lost)
                    ch.rescan();
            }
        }
        if (p.run < ch.n)
            break; // the next run starts at or after b
    }
    fixChunks(m_changed);
}

void PoolBitmap::markFree(Pos at, uint64_t a, uint64_t b)
{
    // [a, b) joins every run it overlaps or touches into one: the bits newly clear are those
    // outside the runs it joins.
    m_changed.clear();
    Run joined { a, b };
    uint64_t wasFree = 0;
    bool placed = false;
    if (at.chunk == m_chunks.size()) {
        if (m_chunks.empty()) {
            m_set -= b - a;
            m_chunks.emplace_back();
            m_chunks[0].insert(0, joined);
            m_chunks[0].longest = b - a;
            m_chunks[0].lastEnd = b;
            return;
        }
        at = { m_chunks.size() - 1, m_chunks.back().n };
    }
    for (Pos p = at; p.chunk < m_chunks.size(); ++p.chunk, p.run = 0) {
        Chunk& ch = m_chunks[p.chunk];
        size_t k = 0;
        bool lost = false;
        for (; p.run + k < ch.n && ch.runs[p.run + k].start <= b; ++k) {
            const Run& r = ch.runs[p.run + k];
            wasFree += r.end > a && r.start < b ? std::min(r.end, b) - std::max(r.start, a) : 0;
            lost = lost || r.end - r.start == ch.longest;
            joined.start = std::min(joined.start, r.start);
            joined.end = std::max(joined.end, r.end);
        }
        // The joined run takes the place of the first run it absorbs: one move less.
        const size_t keep = p.chunk == at.chunk && k ? 1 : 0;
        placed = placed || keep;
        ch.erase(p.run + keep, k - keep);
        p.run += keep;
        if (p.chunk != at.chunk && k) {
            if (ch.n == 0)
                m_changed.push_back(p.chunk);
            else if (lost)
                ch.rescan();
        }
        if (p.run < ch.n)
            break;
    }
    m_set -= (b - a) - wasFree;
    Chunk& first = m_chunks[at.chunk];
    if (placed)
        first.put(at.run, joined);
    else
        first.insert(at.run, joined);
    first.longest = std::max(first.longest, joined.end - joined.start);
    first.lastEnd = first.runs[first.n - 1].end;
    if (first.n > kChunkRuns)
        m_changed.push_back(at.chunk);
    fixChunks(m_changed);
}

void PoolBitmap::fixChunks(std::vector<size_t>& changed)
{
    if (changed.empty())
        return;
    // From the last: dropping or splitting a chunk moves only those after it.
    std::sort(changed.begin(), changed.end());
    for (size_t k = changed.size(); k-- > 0;) {
        const size_t c = changed[k];
        if (m_chunks[c].n == 0) {
            m_chunks.erase(m_chunks.begin() + std::ptrdiff_t(c));
            continue;
        }
        m_chunks.insert(m_chunks.begin() + std::ptrdiff_t(c + 1), Chunk());
        Chunk &lower = m_chunks[c], &upper = m_chunks[c + 1];
        const size_t half = kChunkRuns / 2;
        upper.n = lower.n - half;
        std::copy(lower.runs + half, lower.runs + lower.n, upper.runs);
        std::copy(lower.cls + half, lower.cls + lower.n, upper.cls);
        std::fill(lower.runs + half, lower.runs + lower.n, Run { kNone, kNone });
        std::fill(lower.cls + half, lower.cls + lower.n, uint8_t(0));
        lower.n = half;
        for (Chunk* d : { &lower, &upper }) {
            d->rescan();
            d->lastEnd = d->runs[d->n - 1].end;
        }
    }
}

bool PoolBitmap::test(uint64_t i) const
{
    const Pos p = firstEndingAfter(i);
    return p.chunk == m_chunks.size() || m_chunks[p.chunk].runs[p.run].start > i;
}

uint64_t PoolBitmap::findNextSet(uint64_t from, uint64_t end) const
{
    end = std::min(end, m_bits);
    if (from >= end)
        return end;
    const Pos p = firstEndingAfter(from);
    if (p.chunk == m_chunks.size())
        return from;
    const Run& r = m_chunks[p.chunk].runs[p.run];
    return r.start > from ? from : std::min(r.end, end); // runs are maximal: a set bit ends each
}

uint64_t PoolBitmap::countSet(uint64_t from, uint64_t to) const
{
    to = std::min(to, m_bits);
    if (from >= to)
        return 0;
    uint64_t clear = 0;
    for (Pos p = firstEndingAfter(from); p.chunk < m_chunks.size(); ++p.chunk, p.run = 0) {
        const Chunk& ch = m_chunks[p.chunk];
        for (; p.run < ch.n && ch.runs[p.run].start < to; ++p.run)
            clear += std::min(ch.runs[p.run].end, to) - std::max(ch.runs[p.run].start, from);
        if (p.run < ch.n)
            break;
    }
    return (to - from) - clear;
}

uint64_t PoolBitmap::largestFreeRun() const
{
    uint64_t best = 0;
    for (const Chunk& ch : m_chunks)
        best = std::max(best, ch.longest);
    return best;
}

uint64_t PoolBitmap::largestFreeRunStart() const
{
    const uint64_t best = largestFreeRun();
    for (const Chunk& ch : m_chunks) {
        if (best && ch.longest == best) {
            for (size_t i = 0; i < ch.n; ++i)
                if (ch.runs[i].end - ch.runs[i].start == best)
                    return ch.runs[i].start;
        }
    }
    return m_bits;
}

uint64_t PoolBitmap::findZeroArea(uint64_t start, uint64_t nr, uint64_t mask, uint64_t off) const
{
    // The kernel's loop, run over the free runs instead of bits: from the first clear bit s at or
    // after start it tries idx = the aligned index at or after s. Inside the run [s, e) holding s,
    // [idx, idx + nr) is clear exactly when idx + nr <= e, and then idx is the answer. Otherwise
    // it restarts after the first set bit in [idx, idx + nr), which is e when idx < e, and when
    // idx >= e the next runs up to idx align to idx too and are too short, so either way the
    // next candidate is the aligned start of a later run. Hence: the first run in which its
    // aligned start fits, and a run shorter than nr never does: only the runs of nr's class or
    // above are read, in address order.
    const uint64_t need = std::max<uint64_t>(nr, 1);
    const uint8_t least = classOf(need);
    const Pos p = firstEndingAfter(start);
    uint64_t result = 0;
    // Reads chunk c's runs of nr's class or above, from run `from`: true when one answers.
    auto inChunk = [&](size_t c, size_t from) {
        const Chunk& ch = m_chunks[c];
        for (uint64_t m = ch.candidates(least) & (~uint64_t(0) << from); m; m &= m - 1) {
            const size_t i = size_t(__builtin_ctzll(m));
            const Run& r = ch.runs[i];
            const uint64_t s = std::max(r.start, start);
            const uint64_t idx = ((s + off + mask) & ~mask) - off; // __ALIGN_MASK(index + off, mask) - off
            // One branch per candidate, not three (they are in no order a predictor learns): a
            // run of nr's class may still be shorter than nr, and then it neither answers nor fails.
            const bool beyond = idx + nr > m_bits;
            if ((r.end - r.start >= need) & (beyond | (idx + need <= r.end))) {
                if (beyond) {
                    result = idx + nr; // like the kernel: an end beyond size means failure
                    return true;
                }
                m_hint = { c, i }; // the allocation that follows starts in this run
                result = idx;
                return true;
            }
        }
        return false;
    };
    if (m_chunks.size() - p.chunk <= 64) {
        // The chunks with a run long enough, as bits: one branch per chunk read, none per skipped.
        uint64_t fit = 0;
        for (size_t c = p.chunk; c < m_chunks.size(); ++c)
            fit |= uint64_t(m_chunks[c].longest >= need) << (c - p.chunk);
        for (; fit; fit &= fit - 1) {
            const size_t c = p.chunk + size_t(__builtin_ctzll(fit));
            if (inChunk(c, c == p.chunk ? p.run : 0))
                return result;
        }
    } else {
        for (size_t c = p.chunk; c < m_chunks.size(); ++c)
            if (m_chunks[c].longest >= need && inChunk(c, c == p.chunk ? p.run : 0))
                return result;
    }
    return m_bits + nr + 1;
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
