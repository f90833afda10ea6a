// SPDX-License-Identifier: GPL-2.0-only
#include "report/comparereport.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QTextStream>

namespace carveout {

using namespace capture;

namespace {

void optionalHex(JsonWriter& w, const char* k, const std::optional<uint64_t>& v)
{
    w.key(k);
    if (v)
        w.hex(*v);
    else
        w.null();
}

void writeEvidence(JsonWriter& w, const std::vector<Evidence>& ev)
{
    w.key("evidence").beginArray();
    for (const auto& e : ev)
        w.value(e.text);
    w.endArray();
    w.key("evidence_lines").beginArray();
    for (const auto& e : ev) {
        w.beginObject();
        w.key("section").value(e.section);
        w.key("line").value(e.fileLine);
        w.key("text").value(e.text);
        w.endObject();
    }
    w.endArray();
}

QString evidenceLine(const Capture& cap, const Evidence& e)
{
    return e.fileLine > 0 ? QStringLiteral("%1:%2: %3").arg(cap.file).arg(e.fileLine).arg(e.text)
                          : QStringLiteral("%1 (%2): %3").arg(cap.file, e.section, e.text);
}

QString place(const std::optional<uint64_t>& base, const std::optional<uint64_t>& size)
{
    if (!base && !size)
        return QStringLiteral("-");
    return QStringLiteral("%1+%2").arg(
        base ? toHex(*base) : QStringLiteral("?"), size ? formatSize(*size) : QStringLiteral("?"));
}

} // namespace

QByteArray compareToJson(const CompareResult& r, const Capture& cap)
{
    JsonWriter w;
    w.beginObject();
    w.key("board").value(r.board);
    w.key("capture").beginObject();
    w.key("file").value(cap.file);
    w.key("kind").value(captureKindName(r.kind));
    w.key("kernel").value(r.kernelRelease);
    w.key("machine").value(cap.machine);
    w.key("format_version").value(cap.formatVersion);
    w.key("log_boots").value(cap.log.boots);
    w.key("log_truncated_start").value(cap.log.truncatedStart);
    w.key("memblock_debug").value(cap.log.memblockDebug);
    w.key("has_fdt").value(!cap.fdt.isEmpty());
    w.endObject();
    w.key("profile");
    writeProfileJson(w, r.profile);
    w.key("profile_notes").value(r.profileNotes);
    w.key("regions").beginArray();
    for (const auto& c : r.regions) {
        w.beginObject();
        w.key("path").value(c.path);
        w.key("name").value(c.name);
        w.key("predicted").beginObject();
        w.key("outcome").value(outcomeName(c.predicted.outcome));
        optionalHex(w, "base", c.predicted.base);
        w.key("size").hex(c.predicted.size);
        w.endObject();
        w.key("actual").beginObject();
        w.key("outcome").value(outcomeName(c.actual.outcome));
        optionalHex(w, "base", c.actual.base);
        optionalHex(w, "size", c.actual.size);
        writeEvidence(w, c.actual.evidence);
        w.endObject();
        w.key("agree").value(c.verdict == Verdict::Agree);
        w.key("verdict").value(verdictName(c.verdict));
        w.key("explanation").value(c.explanation);
        w.key("advice").value(c.advice);
        w.endObject();
    }
    w.endArray();
    w.key("unexplained").beginArray();
    for (const auto& u : r.unexplained) {
        w.beginObject();
        w.key("name").value(u.name);
        w.key("base").hex(u.range.base);
        w.key("size").hex(u.range.size);
        w.key("no_map").value(u.noMap);
        writeEvidence(w, u.evidence);
        w.key("explanation").value(u.explanation);
        w.key("advice").value(u.advice);
        w.endObject();
    }
    w.endArray();
    w.key("kernel_reservations").beginArray();
    for (const auto& k : r.kernelReservations) {
        w.beginObject();
        w.key("what").value(k.what);
        w.key("base").hex(k.range.base);
        w.key("size").hex(k.range.size);
        optionalHex(w, "predicted_base", k.predictedBase);
        w.key("predictable").value(k.predictable);
        writeEvidence(w, k.evidence);
        w.endObject();
    }
    w.endArray();
    w.key("tree_differences").beginArray();
    for (const auto& t : r.treeDifferences) {
        w.beginObject();
        w.key("area").value(t.area);
        w.key("path").value(t.path);
        w.key("change").value(t.change);
        w.key("source").value(t.source);
        w.key("booted").value(t.booted);
        w.key("file").value(t.where.file);
        w.key("line").value(t.where.line);
        w.key("counted").value(t.counted);
        w.key("explanation").value(t.explanation);
        w.key("advice").value(t.advice);
        w.endObject();
    }
    w.endArray();
    w.key("booted_memory").beginArray();
    for (const auto& m : r.bootedMemory) {
        w.beginObject();
        w.key("base").hex(m.base);
        w.key("size").hex(m.size);
        w.endObject();
    }
    w.endArray();
    w.key("notes").value(r.notes);
    w.key("counts").beginObject();
    w.key("agree").value(r.agree);
    w.key("differ").value(r.differ);
    w.key("unknown").value(r.unknown);
    w.endObject();
    w.endObject();
    return w.result();
}

QString compareToText(const CompareResult& r, const Capture& cap)
{
    QString s;
    QTextStream o(&s);
    o << r.board << " against " << cap.file << " (" << captureKindName(r.kind);
    if (!r.kernelRelease.isEmpty())
        o << ", kernel " << r.kernelRelease;
    o << ")\n";
    o << "profile " << r.profile.name << "\n";
    for (const auto& n : r.profileNotes)
        o << "  " << n << "\n";
    for (const auto& n : r.notes)
        o << "note: " << n << "\n";
    o << "\n";
    auto regionLine = [&](const RegionComparison& c) {
        o << verdictName(c.verdict).leftJustified(8) << c.path << "\n"
          << "        predicted " << outcomeName(c.predicted.outcome) << " "
          << place(c.predicted.base,
                 c.predicted.outcome == Outcome::Unknown ? std::nullopt : std::optional(c.predicted.size))
          << ", actual " << outcomeName(c.actual.outcome) << " " << place(c.actual.base, c.actual.size) << "\n";
        if (!c.explanation.isEmpty())
            o << "        " << c.explanation << "\n";
        if (!c.advice.isEmpty())
            o << "        what to do: " << c.advice << "\n";
        for (const auto& e : c.actual.evidence)
            o << "          " << evidenceLine(cap, e) << "\n";
    };
    for (Verdict v : { Verdict::Differ, Verdict::Agree, Verdict::Unknown })
        for (const auto& c : r.regions)
            if (c.verdict == v)
                regionLine(c);
    for (const auto& u : r.unexplained) {
        o << "differ  unexplained " << (u.name.isEmpty() ? QStringLiteral("reservation") : u.name) << " "
          << place(u.range.base, u.range.size) << (u.noMap ? " no-map" : "") << "\n"
          << "        " << u.explanation << "\n"
          << "        what to do: " << u.advice << "\n";
        for (const auto& e : u.evidence)
            o << "          " << evidenceLine(cap, e) << "\n";
    }
    for (const auto& t : r.treeDifferences) {
        o << (t.counted ? "differ  " : "info    ") << t.area << " " << t.change << ": " << t.path << "\n";
        if (!t.source.isEmpty() || !t.booted.isEmpty())
            o << "        sources " << (t.source.isEmpty() ? QStringLiteral("-") : t.source) << ", booted "
              << (t.booted.isEmpty() ? QStringLiteral("-") : t.booted) << "\n";
        if (t.where.isValid())
            o << "        defined at " << t.where.file << ":" << t.where.line << "\n";
        o << "        " << t.explanation << "\n";
        if (!t.advice.isEmpty())
            o << "        what to do: " << t.advice << "\n";
    }
    if (!r.kernelReservations.empty()) {
        o << "\nthe kernel's own reservations (not differences):\n";
        for (const auto& k : r.kernelReservations) {
            o << "  " << k.what << " " << place(k.range.base, k.range.size);
            if (k.predictedBase)
                o << (k.predictable ? ", predicted " : ", not predictable (the model says ") << toHex(*k.predictedBase)
                  << (k.predictable ? "" : ")");
            o << "\n";
        }
    }
    o << "\n" << r.agree << " agree, " << r.differ << " differ, " << r.unknown << " unknown\n";
    return s;
}

} // namespace carveout
