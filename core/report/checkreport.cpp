// SPDX-License-Identifier: GPL-2.0-only
#include "checkreport.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QCryptographicHash>
#include <QSet>
#include <QTextStream>

namespace carveout {

QString findingsToText(
    const CheckResult& result, const KernelProfile& profile, const QString& file, const Layout* layout)
{
    QString out;
    QTextStream ts(&out);
    if (layout)
        ts << overlaysText(*layout);
    for (const auto& f : result.findings) {
        if (f.source.isValid())
            ts << f.source.file << ':' << f.source.line << ": ";
        else
            ts << file << ": ";
        ts << severityName(f.severity) << " [" << f.rule << "]: " << f.node << ": " << f.message << "\n";
        if (!f.kernelMessage.isEmpty()) {
            QString k = f.kernelMessage;
            k.replace(QLatin1Char('\n'), QStringLiteral(" / "));
            ts << "    kernel: " << k << "\n";
        }
        if (!f.fix.isEmpty() && f.severity != Severity::Info)
            ts << "    fix: " << f.fix << "\n";
    }
    ts << file << ": " << result.errors << (result.errors == 1 ? " error, " : " errors, ") << result.warnings
       << (result.warnings == 1 ? " warning, " : " warnings, ") << result.infos << " info (" << profile.name << ")\n";
    return out;
}

void writeFindingJson(JsonWriter& w, const Finding& f)
{
    w.beginObject();
    w.key("rule").value(f.rule);
    w.key("severity").value(severityName(f.severity));
    w.key("message").value(f.message);
    w.key("kernel_message").value(f.kernelMessage);
    w.key("node").value(f.node);
    w.key("file").value(f.source.file);
    w.key("line").value(f.source.line);
    w.key("fix").value(f.fix);
    w.endObject();
}

QByteArray findingsToJson(
    const CheckResult& result, const KernelProfile& profile, const QString& file, const Layout* layout)
{
    JsonWriter w;
    w.beginObject();
    w.key("file").value(file);
    if (layout)
        writeOverlaysJson(w, *layout);
    w.key("profile");
    writeProfileJson(w, profile);
    w.key("findings").beginArray();
    for (const auto& f : result.findings)
        writeFindingJson(w, f);
    w.endArray();
    w.key("counts").beginObject();
    w.key("error").value(result.errors);
    w.key("warning").value(result.warnings);
    w.key("info").value(result.infos);
    w.endObject();
    w.endObject();
    return w.result();
}

namespace {
const char* sarifLevel(Severity s)
{
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Info:
        break;
    }
    return "note";
}
} // namespace

QByteArray findingsToSarif(const CheckResult& result, const KernelProfile& profile, const QString& toolVersion)
{
    JsonWriter w;
    w.beginObject();
    w.key("$schema").value("https://json.schemastore.org/sarif-2.1.0.json");
    w.key("version").value("2.1.0");
    w.key("runs").beginArray();
    w.beginObject();
    w.key("tool").beginObject();
    w.key("driver").beginObject();
    w.key("name").value("carveout");
    w.key("version").value(toolVersion);
    w.key("informationUri").value("https://example.invalid/carveout");
    w.key("rules").beginArray();
    for (const auto& r : rules()) {
        w.beginObject();
        w.key("id").value(r.id);
        w.key("shortDescription").beginObject();
        w.key("text").value(QString::fromUtf8(r.explanation));
        w.endObject();
        w.key("help").beginObject();
        w.key("text").value(QString::fromUtf8(r.fix));
        w.endObject();
        w.key("defaultConfiguration").beginObject();
        w.key("level").value(sarifLevel(r.severity));
        w.endObject();
        w.key("properties").beginObject();
        w.key("kernel_message").value(QString::fromUtf8(r.kernelMessage));
        w.key("kernels").value(r.versions);
        w.key("arches").value(r.arches);
        w.endObject();
        w.endObject();
    }
    w.endArray();
    w.endObject(); // driver
    w.endObject(); // tool
    w.key("properties").beginObject();
    w.key("profile").value(profile.name);
    w.endObject();
    w.key("results").beginArray();
    for (const auto& f : result.findings) {
        int index = 0;
        for (const auto& r : rules()) {
            if (f.rule == QLatin1String(r.id))
                break;
            ++index;
        }
        w.beginObject();
        w.key("ruleId").value(f.rule);
        w.key("ruleIndex").value(index);
        w.key("level").value(sarifLevel(f.severity));
        w.key("message").beginObject();
        w.key("text").value(f.message);
        w.endObject();
        w.key("locations").beginArray();
        w.beginObject();
        if (f.source.isValid()) {
            w.key("physicalLocation").beginObject();
            w.key("artifactLocation").beginObject();
            w.key("uri").value(f.source.file);
            w.endObject();
            w.key("region").beginObject();
            w.key("startLine").value(f.source.line);
            if (f.source.column > 0)
                w.key("startColumn").value(f.source.column);
            w.endObject();
            w.endObject();
        }
        w.key("logicalLocations").beginArray();
        w.beginObject();
        w.key("fullyQualifiedName").value(f.node);
        w.key("kind").value("element");
        w.endObject();
        w.endArray();
        w.endObject();
        w.endArray();
        w.key("properties").beginObject();
        w.key("kernel_message").value(f.kernelMessage);
        w.endObject();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    w.endArray();
    w.endObject();
    return w.result();
}

QByteArray findingsToCodeQuality(const CheckResult& result, const KernelProfile& profile, const QString& file)
{
    // GitLab wants a path relative to the repository and shows one issue per fingerprint.
    auto repoPath = [](QString path) {
        while (path.startsWith(QLatin1String("./")))
            path.remove(0, 2);
        return path;
    };
    QSet<QByteArray> seen;
    JsonWriter w;
    w.beginArray();
    for (const auto& f : result.findings) {
        const QString path = repoPath(f.source.isValid() ? f.source.file : file);
        const int line = f.source.isValid() ? f.source.line : 1;
        // No line in the fingerprint: an issue stays the same issue when lines above it move.
        QCryptographicHash hash(QCryptographicHash::Md5);
        for (const QString& part : { f.rule, path, f.node, f.message, repoPath(file) })
            hash.addData((part + QLatin1Char('\0')).toUtf8());
        QByteArray fingerprint = hash.result().toHex();
        for (int n = 2; seen.contains(fingerprint); ++n)
            fingerprint
                = QCryptographicHash::hash(QByteArray(fingerprint + QByteArray::number(n)), QCryptographicHash::Md5)
                      .toHex();
        seen.insert(fingerprint);
        w.beginObject();
        w.key("description")
            .value(QStringLiteral("%1: %2 (%3 on %4)").arg(f.node, f.message, repoPath(file), profile.name));
        w.key("check_name").value(f.rule);
        w.key("fingerprint").value(QString::fromLatin1(fingerprint));
        w.key("severity")
            .value(f.severity == Severity::Error      ? "major"
                    : f.severity == Severity::Warning ? "minor"
                                                      : "info");
        w.key("location").beginObject();
        w.key("path").value(path);
        w.key("lines").beginObject();
        w.key("begin").value(line);
        w.endObject();
        w.endObject();
        w.endObject();
    }
    w.endArray();
    return w.result();
}

} // namespace carveout
