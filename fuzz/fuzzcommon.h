// SPDX-License-Identifier: GPL-2.0-only
// What every fuzz target runs on a tree that parsed: the whole analysis a user's file gets.
#pragma once

// core
#include "analysis/analysis.h"
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "kernel/profileoptions.h"
#include "model/layout.h"
#include "report/checkreport.h"
#include "report/layoutreport.h"
#include "rules/rules.h"
#include "source/loader.h"

// std
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace carveout::fuzz {

/** A finding of ours (not a sanitizer's): a broken promise of the API. */
[[noreturn]] inline void broken(const char* what)
{
    std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
    std::abort();
}

/** Layout, boot model, every rule and every report, on the profile the board asks for
 *  (its /chosen/bootargs is parsed as the command line) and on kernels of other eras and arches. */
inline void analyse(const LoadedTree& loaded)
{
    static const std::vector<KernelProfile> fixed = [] {
        std::vector<KernelProfile> v;
        for (const char* name : { "debian-6.1-arm64", "debian-6.1-armhf", "linux-6.12-arm64-64k" }) {
            if (auto p = findProfile(QString::fromLatin1(name)))
                v.push_back(*p);
        }
        return v;
    }();
    std::vector<KernelProfile> profiles = fixed;
    KernelProfile own;
    if (resolveProfile(ProfileRequest {}, &loaded, &own).isEmpty())
        profiles.push_back(own);
    for (const auto& profile : profiles) {
        const AnalysisPtr a = carveout::analyse(loaded, profile);
        for (const auto& f : a->check.findings) {
            if (f.region >= int(a->layout.regions.size())
                || (f.region >= 0 && a->layout.regions[size_t(f.region)].path != f.node))
                broken("a finding's region index does not name its node");
        }
        if (a->ram.free > a->ram.ram || a->ram.noMap > a->ram.reserved || a->ram.cma > a->ram.reserved)
            broken("the RAM summary does not add up");
        (void)layoutToJson(a->layout, profile, &a->boot);
        (void)layoutToText(a->layout, profile, &a->boot);
        (void)findingsToText(a->check, profile, loaded.file);
        (void)findingsToSarif(a->check, profile, QStringLiteral("fuzz"));
    }
}

} // namespace carveout::fuzz
