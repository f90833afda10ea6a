// SPDX-License-Identifier: GPL-2.0-only
#include "rulecontext.h"

namespace carveout {

SourceRef RuleContext::src(int i, const char* prop) const
{
    const Region& r = reg(i);
    if (prop) {
        const auto it = r.propertySources.find(QString::fromLatin1(prop));
        if (it != r.propertySources.end())
            return it->second;
    }
    return r.source;
}

SourceRef RuleContext::src(const DtNode& node) const
{
    return node.spans.empty() ? SourceRef {} : sourceRef(T, node.spans.front());
}

SourceRef RuleContext::src(const DtProperty& property) const
{
    return sourceRef(T, property.span);
}

Finding& RuleContext::report(
    const QString& node, const SourceRef& source, const QString& message, const QString& kernelMessage)
{
    Finding f;
    f.rule = QString::fromLatin1(rule->id);
    f.severity = rule->severity;
    f.message = message;
    f.kernelMessage = kernelMessage;
    f.node = node;
    f.source = source;
    f.fix = QString::fromUtf8(rule->fix);
    out->push_back(f);
    return out->back();
}

Finding& RuleContext::report(int i, const char* prop, const QString& message, const QString& kernelMessage)
{
    return report(reg(i).path, src(i, prop), message, kernelMessage);
}

Finding& RuleContext::report(int i, const char* prop, const QString& message)
{
    return report(i, prop, message, QString::fromUtf8(rule->kernelMessage));
}

Finding& RuleContext::reportSev(Severity s, int i, const char* prop, const QString& message)
{
    Finding& f = report(i, prop, message);
    f.severity = s;
    return f;
}

bool RuleContext::prerequisiteReported(int i) const
{
    for (const auto* findings : prerequisiteFindings) {
        for (const auto& f : *findings) {
            if (f.node == reg(i).path)
                return true;
        }
    }
    return false;
}

int RuleContext::consumersOf(int i) const
{
    int n = 0;
    for (const auto& c : L.consumers)
        n += c.region == i;
    return n;
}

} // namespace carveout
