// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/diagnostic.h"
#include "model/layout.h"

// Qt
#include <QMap>
#include <QString>

// std
#include <cstddef>
#include <optional>
#include <vector>

namespace carveout {

class DeviceTree;

/** One finding: which rule, how bad, what the kernel prints, and the source line of the value
 *  at fault (design.md section 5, `check --format json`). */
struct Finding
{
    QString rule; ///< registry id, snake_case (kernel-rules.md id in lower case)
    Severity severity = Severity::Error;
    QString message; ///< what is wrong and what it leads to, for this board
    QString kernelMessage; ///< the kernel's own words, or empty when it says nothing
    QString node; ///< node path
    SourceRef source; ///< the defining file:line of the value at fault (file as displayed: displayPath)
    QString fix; ///< what to do
    int region = -1; ///< index into Layout::regions (set by analyse()), -1 when not about a region
};

struct RuleContext;

/** A fixed list of rule ids, as a rule record names its prerequisites (constant-initialised, so
 *  the records of every checks file are ready before any code runs). */
struct RuleIds
{
    const char* const* ids = nullptr;
    size_t count = 0;

    constexpr RuleIds() = default;
    template <size_t N>
    constexpr RuleIds(const char* const (&list)[N])
        : ids(list)
        , count(N)
    {
    }
    const char* const* begin() const { return ids; }
    const char* const* end() const { return ids + count; }
};

/** A rule of kernel-rules.md section 2 (or one of our own), as dtc's `struct check`: stable id,
 *  default severity, where it applies, the kernel's message, why it matters, how to fix it, its
 *  check function and its prerequisites. Each record sits next to its check function in the
 *  checks file of its kernel-rules.md section (containerchecks.cpp, cmachecks.cpp, ...). */
struct Rule
{
    const char* id;
    Severity severity;
    const char* versions; ///< kernels it applies to, as the `rules` report prints it ("all", ">= 5.15", ...)
    const char* arches; ///< arches it applies to, as the `rules` report prints it ("all", "arm", ...)
    /// Whether the rule is run on a profile at all; nullptr: on every profile. This, not the two
    /// display strings, decides.
    bool (*appliesTo)(const KernelProfile&);
    const char* kernelMessage;
    const char* explanation;
    const char* fix;
    void (*check)(RuleContext&);
    /// Rules whose findings this rule reads (RuleContext::prerequisiteReported): they run before
    /// it, and they run (silently) even when switched off, as dtc runs a disabled prerequisite.
    RuleIds prerequisites = {};
};

/** The registry: every rule, in catalogue order (kernel-rules.md section 2, our own rules placed
 *  in the section they belong to). The order is the `rules` report's and SARIF's rule index. */
const std::vector<Rule>& rules();
/** The rule with this exact id (snake_case), or nullptr. */
const Rule* findRule(const QString& id);

/** -W rule / -E rule / -W no-rule, as dtc takes them: a rule's severity or "off". */
class SeverityOverrides
{
public:
    /** `flag` is "W" or "E"; `arg` a rule id or "no-<id>" ('-' is read as '_', case ignored).
     *  A later call for the same rule replaces an earlier one. Returns an error sentence naming
     *  the unknown rule, or empty. */
    QString apply(const QString& flag, const QString& arg);
    /** The severity to report, or nullopt when the rule is switched off. */
    std::optional<Severity> effective(const Rule& r) const;

private:
    QMap<QString, std::optional<Severity>> m_map;
};

struct CheckResult
{
    /// Sorted by the displayed source file (as strings: findings without a file come first), then
    /// line; findings on the same file and line keep the order the rules reported them in (the
    /// run order of runChecks, then each rule's own order).
    std::vector<Finding> findings;
    int errors = 0; ///< findings of each severity, after the overrides
    int warnings = 0;
    int infos = 0;
    std::vector<const char*> ran; ///< ids (Rule::id) of the rules that ran, in run order
};

/** Runs the rules on a layout whose boot was simulated with `profile` (`boot` is
 *  simulateBoot(layout, profile)). Pure: same input, same result.
 *
 *  A rule runs only if its appliesTo accepts the profile and the overrides leave it on (or an
 *  enabled rule needs it as a prerequisite: then it runs but reports nothing). Rules run in
 *  catalogue order, except that a rule with prerequisites runs after every rule of a lower
 *  level (level 0: no prerequisites; otherwise one more than its deepest prerequisite).
 *
 *  Overrides: a switched-off rule's findings are dropped; -W/-E set the severity of every
 *  finding of the rule, except that an override equal to the rule's default severity leaves
 *  alone the findings the rule graded itself (rm_reg_multi's error when a pool uses the region,
 *  rm_static_over_reserved's warning on minor early reservations, ...). */
CheckResult runChecks(const Layout& layout, const BootResult& boot, const KernelProfile& profile,
    const DeviceTree& tree, const SeverityOverrides& overrides = {});

} // namespace carveout
