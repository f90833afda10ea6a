// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "kernel/profileoptions.h"

// Qt
#include <QString>
#include <QStringList>

// std
#include <vector>

namespace carveout::variants {

/** One combination of a matrix: the common request with some values replaced. */
struct MatrixColumn
{
    QString label; ///< "6.1 4K 2G", or the profile name
    ProfileRequest request;
    QString memorySize; ///< a bare SIZE of --memory: one bank of this size at the board's first bank
};

/** The cartesian product of the lists (an empty list keeps the common value), in the order
 *  profile, kernel, page size, memory, command line. */
std::vector<MatrixColumn> matrixColumns(const ProfileRequest& common, const QStringList& profiles,
    const QStringList& kernels, const QStringList& pageSizes, const QStringList& memories, const QStringList& cmdlines);

/** What one board does under one combination. */
struct MatrixCell
{
    QString error; ///< the combination does not apply to this board (an unknown version, no memory node)
    AnalysisPtr analysis;
    int errors = 0, warnings = 0;
    QStringList rules; ///< the rules that fire, sorted, once each
    QString cma; ///< the default CMA area ("64 MiB at 0xb9a00000", "dt linux,cma 64 MiB", "failed", "none")
    uint64_t cmaBytes = 0; ///< every kept CMA area
    QStringList placements; ///< "name@0xBASE" of every dynamic region (or "name: alloc-failed")
    uint64_t free = 0;
    /// What differs from the board's first column ("errors", "rules", "cma", "placements", "free").
    QStringList differs;
};

struct MatrixRow
{
    QString board;
    QString loadError; ///< the board could not be loaded: every cell is empty
    std::vector<MatrixCell> cells;
};

/** Analyses one loaded board under every column (the board is compiled once, before). */
MatrixRow matrixRow(
    const LoadedTree& board, const std::vector<MatrixColumn>& columns, const SeverityOverrides& severity = {});

} // namespace carveout::variants
