// SPDX-License-Identifier: GPL-2.0-only
#include "variants/matrix.h"

// core
#include "model/units.h"
#include "source/loader.h"

// std
#include <set>

namespace carveout::variants {

std::vector<MatrixColumn> matrixColumns(const ProfileRequest& common, const QStringList& profiles,
    const QStringList& kernels, const QStringList& pageSizes, const QStringList& memories, const QStringList& cmdlines)
{
    ProfileRequest base = common;
    if (!memories.isEmpty())
        base.memory.clear(); // the list itself
    std::vector<MatrixColumn> out { MatrixColumn { QString(), base, QString() } };
    auto expand = [&out](const QStringList& values, auto apply) {
        if (values.isEmpty())
            return;
        std::vector<MatrixColumn> next;
        for (const auto& c : out)
            for (const auto& v : values) {
                MatrixColumn n = c;
                apply(n, v);
                n.label = n.label.isEmpty() ? v : n.label + QLatin1Char(' ') + v;
                next.push_back(n);
            }
        out = std::move(next);
    };
    expand(profiles, [](MatrixColumn& c, const QString& v) { c.request.profile = v; });
    expand(kernels, [](MatrixColumn& c, const QString& v) { c.request.kernel = v; });
    expand(pageSizes, [](MatrixColumn& c, const QString& v) { c.request.pageSize = v; });
    expand(memories, [](MatrixColumn& c, const QString& v) {
        if (v.contains(QLatin1Char('+')))
            c.request.memory = QStringList { v };
        else
            c.memorySize = v;
    });
    expand(cmdlines, [](MatrixColumn& c, const QString& v) { c.request.cmdline = v; });
    if (out.size() == 1 && out.front().label.isEmpty())
        out.front().label = QStringLiteral("default");
    return out;
}

namespace {

QString defaultCmaText(const Analysis& a)
{
    const DefaultCma& d = a.boot.defaultCma;
    if (d.failed)
        return QStringLiteral("failed");
    switch (d.source) {
    case DefaultCma::Source::None:
        return QStringLiteral("none");
    case DefaultCma::Source::DtNode:
        return QStringLiteral("dt %1 %2").arg(a.layout.regions[size_t(d.region)].name, formatSize(d.size));
    case DefaultCma::Source::Cmdline:
    case DefaultCma::Source::Kconfig:
        break;
    }
    const QString from = d.source == DefaultCma::Source::Cmdline ? QStringLiteral("cma=") : QStringLiteral("Kconfig");
    return d.base
        ? QStringLiteral("%1 %2 at %3%4")
              .arg(from, formatSize(d.size), toHex(*d.base), d.basePredictable ? QString() : QStringLiteral("~"))
        : QStringLiteral("%1 %2").arg(from, formatSize(d.size));
}

void fill(MatrixCell& c)
{
    const Analysis& a = *c.analysis;
    c.errors = a.check.errors;
    c.warnings = a.check.warnings;
    std::set<QString> rules;
    for (const auto& f : a.check.findings)
        if (f.severity != Severity::Info)
            rules.insert(f.rule);
    c.rules = QStringList(rules.begin(), rules.end());
    c.cma = defaultCmaText(a);
    c.cmaBytes = a.ram.cma;
    for (size_t i = 0; i < a.layout.regions.size(); ++i) {
        if (a.layout.regions[i].placement != Placement::Dynamic)
            continue;
        const RegionPlace p = a.place(int(i));
        c.placements << (p.base && p.outcome == Outcome::Active
                ? QStringLiteral("%1@%2").arg(a.layout.regions[i].name, toHex(*p.base))
                : QStringLiteral("%1: %2").arg(a.layout.regions[i].name, outcomeName(p.outcome)));
    }
    c.free = a.ram.free;
}

} // namespace

MatrixRow matrixRow(
    const LoadedTree& board, const std::vector<MatrixColumn>& columns, const SeverityOverrides& severity)
{
    MatrixRow row;
    row.board = board.file;
    const Layout layout = buildLayout(board);
    for (const auto& col : columns) {
        MatrixCell c;
        ProfileRequest rq = col.request;
        if (!col.memorySize.isEmpty()) {
            if (layout.memory.empty())
                c.error = QStringLiteral("the board has no memory node; give --memory BASE+SIZE");
            else
                rq.memory = QStringList { QStringLiteral("%1+%2").arg(
                    toHex(layout.memory.front().range.base), col.memorySize) };
        }
        KernelProfile profile;
        if (c.error.isEmpty())
            c.error = resolveProfile(rq, &board, &profile);
        if (c.error.isEmpty()) {
            c.analysis = analyse(board, profile, severity);
            fill(c);
        }
        row.cells.push_back(std::move(c));
    }
    // Mark what differs from the first column that could be analysed.
    const MatrixCell* first = nullptr;
    for (const auto& c : row.cells)
        if (c.analysis) {
            first = &c;
            break;
        }
    for (auto& c : row.cells) {
        if (!first || !c.analysis || &c == first)
            continue;
        if (c.errors != first->errors || c.warnings != first->warnings)
            c.differs << QStringLiteral("findings");
        if (c.rules != first->rules)
            c.differs << QStringLiteral("rules");
        if (c.cma != first->cma || c.cmaBytes != first->cmaBytes)
            c.differs << QStringLiteral("cma");
        if (c.placements != first->placements)
            c.differs << QStringLiteral("placements");
        if (c.free != first->free)
            c.differs << QStringLiteral("free");
    }
    return row;
}

} // namespace carveout::variants
