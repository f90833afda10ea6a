// SPDX-License-Identifier: GPL-2.0-only
#include "gotoquery.h"

// core
#include "analysis/analysis.h"
#include "model/units.h"

// Qt
#include <QCoreApplication>

// std
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace carveout::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("carveout::ui::GotoQuery", text);
}

const QString& usage()
{
    static const QString text = tr("Type an address (0x80000000, 0x8000_0000, 2G), a range (0x80000000-0x90000000, "
                                   "0x80000000+16M), or a region, label or device name.");
    return text;
}

/** One number at `*pos` as users write it (memparse units, an optional "iB"); nothing if none. */
std::optional<uint64_t> scanNumber(const QString& s, qsizetype* pos, bool* overflow)
{
    uint64_t v = 0;
    bool wrapped = false;
    const qsizetype from = *pos;
    if (!scanSize(QStringView(s), pos, &v, &wrapped))
        return std::nullopt;
    // "2GiB": the suffix was read, its "iB" is allowed.
    if (*pos > from && s.at(*pos - 1).isLetter()
        && s.mid(*pos, 2).compare(QLatin1String("iB"), Qt::CaseInsensitive) == 0)
        *pos += 2;
    *overflow = *overflow || wrapped;
    return v;
}

void skipSpaces(const QString& s, qsizetype* pos)
{
    while (*pos < s.size() && s.at(*pos).isSpace())
        ++*pos;
}

/** The regions overlapping [base, end) (an address: end = base + 1), in address order. */
std::vector<GotoTarget> regionsIn(const Analysis& a, uint64_t base, uint64_t end, bool showRegion)
{
    std::vector<std::pair<uint64_t, GotoTarget>> found;
    for (size_t i = 0; i < a.layout.regions.size(); ++i) {
        const RegionPlace p = a.place(int(i));
        if (!p.base || p.size == 0 || p.end() <= base || *p.base >= end)
            continue;
        GotoTarget t;
        t.region = int(i);
        t.base = showRegion ? *p.base : base;
        t.end = showRegion ? p.end() : end;
        t.why = a.layout.regions[i].name;
        found.push_back({ *p.base, t });
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<GotoTarget> out;
    for (auto& f : found)
        out.push_back(std::move(f.second));
    return out;
}

GotoResult findAddress(const QString& text, const Analysis& a)
{
    // Digit groups: "0x8000_0000" as in the kernel's docs and datasheets.
    QString s = text;
    s.remove(QLatin1Char('_'));
    qsizetype pos = 0;
    bool overflow = false;
    GotoResult r;
    const auto first = scanNumber(s, &pos, &overflow);
    skipSpaces(s, &pos);
    if (!first || (pos < s.size() && s.at(pos) != QLatin1Char('-') && s.at(pos) != QLatin1Char('+'))) {
        r.error = tr("'%1' is not an address. %2").arg(text, usage());
        return r;
    }
    if (overflow) {
        r.error = tr("'%1' is past the 64-bit address space.").arg(text);
        return r;
    }
    if (pos == s.size()) {
        const uint64_t at = *first;
        r.targets = regionsIn(a, at, at == UINT64_MAX ? at : at + 1, true);
        if (r.targets.empty()) {
            // No region to frame: a MiB around the address, so the map does not zoom to one byte.
            const uint64_t half = 0x80000;
            const uint64_t from = at > half ? at - half : 0;
            const uint64_t to = from > UINT64_MAX - 2 * half ? UINT64_MAX : from + 2 * half;
            r.targets.push_back({ -1, from, to, tr("no region at %1").arg(toHex(at)) });
        }
        return r;
    }
    const bool plus = s.at(pos) == QLatin1Char('+');
    ++pos;
    skipSpaces(s, &pos);
    const auto second = scanNumber(s, &pos, &overflow);
    skipSpaces(s, &pos);
    if (!second || pos != s.size()) {
        r.error
            = tr("'%1' is not a range: write BASE-END or BASE+SIZE (0x80000000-0x90000000, 0x80000000+16M).").arg(text);
        return r;
    }
    if (overflow || (plus && *second > UINT64_MAX - *first)) {
        r.error = tr("'%1' runs past the 64-bit address space.").arg(text);
        return r;
    }
    const uint64_t base = *first, end = plus ? *first + *second : *second;
    if (end <= base) {
        r.error = plus
            ? tr("'%1' is an empty range: give a size above 0.").arg(text)
            : tr("The range '%1' ends (%2) where or before it starts (%3): write BASE-END with END above BASE.")
                  .arg(text, toHex(end), toHex(base));
        return r;
    }
    r.targets = regionsIn(a, base, end, false);
    if (r.targets.empty())
        r.targets.push_back({ -1, base, end, tr("no region in %1-%2").arg(toHex(base), toHex(end)) });
    return r;
}

/** How well `name` matches `q` (both lowercase): 0 exact, 1 prefix, 2 contains, -1 not at all. */
int score(const QString& name, const QString& q)
{
    const QString n = name.toLower();
    if (n == q)
        return 0;
    if (n.startsWith(q))
        return 1;
    return n.contains(q) ? 2 : -1;
}

QString nodeName(const QString& path)
{
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

QString withoutUnit(const QString& name)
{
    const qsizetype at = name.indexOf(QLatin1Char('@'));
    return at < 0 ? name : name.left(at);
}

GotoResult findName(const QString& text, const Analysis& a)
{
    const QString q = text.toLower();
    struct Best
    {
        int score = 99;
        QString why;
    };
    std::map<int, Best> best; // region -> its best match
    // Paths match whole or from the start only: every region's path holds "reserved-memory".
    auto offer = [&](int region, const QString& name, const QString& why, bool path = false) {
        const int s = score(name, q);
        if (s < 0 || region < 0 || (path && s > 1))
            return;
        Best& b = best[region];
        if (s < b.score)
            b = { s, why };
    };
    const Layout& L = a.layout;
    for (size_t i = 0; i < L.regions.size(); ++i) {
        const Region& r = L.regions[i];
        offer(int(i), r.name, r.name);
        offer(int(i), withoutUnit(r.name), r.name);
        offer(int(i), r.path, r.path, true);
        for (const auto& l : r.labels)
            offer(int(i), l, tr("label %1").arg(l));
    }
    for (const auto& c : L.consumers) {
        const QString why = tr("used by %1").arg(c.device);
        offer(c.region, c.device, why, true);
        offer(c.region, nodeName(c.device), why);
        offer(c.region, withoutUnit(nodeName(c.device)), why);
    }
    GotoResult r;
    if (best.empty()) {
        r.error = tr("No region, label or device matches '%1'. %2").arg(text, usage());
        return r;
    }
    struct Row
    {
        int score;
        uint64_t base;
        GotoTarget target;
    };
    std::vector<Row> rows;
    for (const auto& [region, b] : best) {
        const RegionPlace p = a.place(region);
        GotoTarget t { region, p.base.value_or(0), p.base ? p.end() : p.base.value_or(0), b.why };
        rows.push_back({ b.score, p.base.value_or(UINT64_MAX), t });
    }
    std::stable_sort(rows.begin(), rows.end(),
        [](const Row& x, const Row& y) { return std::tie(x.score, x.base) < std::tie(y.score, y.base); });
    for (auto& row : rows)
        r.targets.push_back(std::move(row.target));
    return r;
}

} // namespace

GotoResult findTargets(QStringView input, const Analysis& analysis)
{
    const QString text = input.trimmed().toString();
    if (text.isEmpty())
        return { {}, usage() };
    // A name may start with a digit ("2g-pool"): a number that does not read falls back to names.
    if (text.at(0).isDigit()) {
        GotoResult number = findAddress(text, analysis);
        if (number.ok())
            return number;
        GotoResult name = findName(text, analysis);
        return name.ok() ? name : number;
    }
    return findName(text, analysis);
}

} // namespace carveout::ui
