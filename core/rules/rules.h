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
    SourceRef source; ///< the defining file:line of the value at fault
    QString fix; ///< what to do
    int region = -1; ///< index into Layout::regions (set by analyse()), -1 when not about a region
};

struct RuleContext;

/** A rule of kernel-rules.md section 2 (or one of our own): stable id, default severity, where
 *  it applies, the kernel's message, why it matters and how to fix it, and its check. */
struct Rule
{
    const char* id;
    Severity severity;
    const char* versions; ///< kernels it applies to, as people read it ("all", "<= 6.18", ...)
    const char* arches; ///< "all", "arm", ...
    const char* kernelMessage;
    const char* explanation;
    const char* fix;
    void (*check)(RuleContext&);
};

/** The registry: every rule, in catalogue order. */
const std::vector<Rule>& rules();
const Rule* findRule(const QString& id);

/** -W rule / -E rule / -W no-rule, as dtc takes them: a rule's severity or "off". */
class SeverityOverrides
{
public:
    /** `flag` is "W" or "E"; `arg` a rule id or "no-<id>". Returns an error sentence or empty. */
    QString apply(const QString& flag, const QString& arg);
    /** The severity to report, or nullopt when the rule is switched off. */
    std::optional<Severity> effective(const Rule& r) const;

private:
    QMap<QString, std::optional<Severity>> m_map;
};

struct CheckResult
{
    std::vector<Finding> findings; ///< sorted by file, line, rule
    int errors = 0;
    int warnings = 0;
    int infos = 0;
};

/** Runs every rule on a layout whose boot was simulated with `profile`. Pure. */
CheckResult runChecks(const Layout& layout, const BootResult& boot, const KernelProfile& profile,
    const DeviceTree& tree, const SeverityOverrides& overrides = {});

} // namespace carveout
