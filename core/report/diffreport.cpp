// SPDX-License-Identifier: GPL-2.0-only
#include "report/diffreport.h"

// core
#include "report/checkreport.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QTextStream>

namespace carveout {

using namespace variants;

namespace {

void writeSummary(JsonWriter& w, const RamSummary& s)
{
    w.beginObject();
    w.key("ram").hex(s.ram);
    w.key("reserved").hex(s.reserved);
    w.key("no_map").hex(s.noMap);
    w.key("cma").hex(s.cma);
    w.key("free").hex(s.free);
    w.endObject();
}

void writeSide(JsonWriter& w, const DiffSide& s)
{
    w.beginObject();
    w.key("file").value(s.file);
    w.key("profile");
    writeProfileJson(w, s.analysis->profile);
    w.endObject();
}

QString where(const Region& r)
{
    return r.source.isValid() ? QStringLiteral("%1:%2").arg(r.source.file).arg(r.source.line)
                              : QStringLiteral("(no source line)");
}

QString summaryLine(const RamSummary& s)
{
    return QStringLiteral("RAM %1, reserved %2, no-map %3, CMA %4, free %5")
        .arg(formatSize(s.ram), formatSize(s.reserved), formatSize(s.noMap), formatSize(s.cma), formatSize(s.free));
}

} // namespace

QByteArray diffToJson(const LayoutDiff& d, const DiffSide& a, const DiffSide& b)
{
    JsonWriter w;
    w.beginObject();
    w.key("a");
    writeSide(w, a);
    w.key("b");
    writeSide(w, b);
    w.key("regions").beginArray();
    for (const auto& c : d.regions) {
        w.beginObject();
        w.key("path").value(c.path);
        w.key("change").value(c.change());
        w.key("changes").value(c.changes);
        w.key("matched_by").value(matchedByName(c.matchedBy));
        w.key("details").value(c.details);
        w.key("a");
        if (c.a >= 0)
            writeRegionJson(w, a.analysis->layout, &a.analysis->boot, size_t(c.a));
        else
            w.null();
        w.key("b");
        if (c.b >= 0)
            writeRegionJson(w, b.analysis->layout, &b.analysis->boot, size_t(c.b));
        else
            w.null();
        w.endObject();
    }
    w.endArray();
    w.key("findings").beginObject();
    w.key("gained").beginArray();
    for (const auto& f : d.gained)
        writeFindingJson(w, f);
    w.endArray();
    w.key("lost").beginArray();
    for (const auto& f : d.lost)
        writeFindingJson(w, f);
    w.endArray();
    w.endObject();
    w.key("summary").beginObject();
    w.key("a");
    writeSummary(w, d.a);
    w.key("b");
    writeSummary(w, d.b);
    w.endObject();
    w.key("differs").value(d.any());
    w.endObject();
    return w.result();
}

QString diffToText(const LayoutDiff& d, const DiffSide& a, const DiffSide& b)
{
    QString s;
    QTextStream o(&s);
    o << "A: " << a.file << " (" << a.analysis->profile.name << ")\n";
    o << "B: " << b.file << " (" << b.analysis->profile.name << ")\n\n";
    for (const auto& c : d.regions) {
        o << c.changes.join(QLatin1Char(',')).leftJustified(10) << " " << c.path << "\n";
        for (const auto& line : c.details)
            o << "           " << line << "\n";
        if (c.a >= 0)
            o << "           A: " << where(a.analysis->layout.regions[size_t(c.a)]) << "\n";
        if (c.b >= 0)
            o << "           B: " << where(b.analysis->layout.regions[size_t(c.b)]) << "\n";
    }
    auto findings = [&o](const char* what, const std::vector<Finding>& v) {
        for (const auto& f : v) {
            o << what << " " << severityName(f.severity) << " [" << f.rule << "] " << f.node << ": " << f.message;
            if (f.source.isValid())
                o << " (" << f.source.file << ":" << f.source.line << ")";
            o << "\n";
        }
    };
    if (!d.regions.empty() && (!d.gained.empty() || !d.lost.empty()))
        o << "\n";
    findings("gained", d.gained);
    findings("lost  ", d.lost);
    o << "\nA: " << summaryLine(d.a) << "\n";
    o << "B: " << summaryLine(d.b) << "\n";
    o << "\n"
      << d.regions.size() << (d.regions.size() == 1 ? " region changes" : " regions change") << ", " << d.gained.size()
      << " findings gained, " << d.lost.size() << " lost" << (d.summaryChanged() ? ", the RAM summary changes" : "")
      << "\n";
    return s;
}

} // namespace carveout
