// SPDX-License-Identifier: GPL-2.0-only
#include "report/matrixreport.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QTextStream>

// std
#include <algorithm>

namespace carveout {

using namespace variants;

namespace {

QString cellSummary(const MatrixCell& c)
{
    if (!c.error.isEmpty())
        return QStringLiteral("n/a: ") + c.error;
    return QStringLiteral("%1E %2W%3; cma %4; free %5")
        .arg(c.errors)
        .arg(c.warnings)
        .arg(c.rules.isEmpty() ? QString() : QStringLiteral(" [") + c.rules.join(QLatin1Char(',')) + QLatin1Char(']'),
            c.cma, formatSize(c.free));
}

QString csvField(const QString& s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString html(const QString& s)
{
    return s.toHtmlEscaped();
}

const char* kindColour(const Region& r)
{
    if (r.noMap)
        return "#e8903a";
    switch (r.kind) {
    case RegionKind::Cma:
        return "#4caf50";
    case RegionKind::Coherent:
        return "#3f7fd0";
    case RegionKind::Restricted:
        return "#8e5cc4";
    case RegionKind::Reserved:
        break;
    }
    return "#9e9e9e";
}

/** A to-scale strip of the board's RAM (banks side by side) with every placed region. */
QString miniMap(const Analysis& a)
{
    const double width = 240, height = 22;
    std::vector<AddrRange> banks = a.boot.memory;
    uint64_t total = 0;
    for (const auto& b : banks)
        total += b.size;
    if (total == 0)
        return QStringLiteral(
            "<svg width=\"240\" height=\"22\"><text x=\"2\" y=\"15\" font-size=\"10\">no RAM</text></svg>");
    auto x = [&](uint64_t addr) -> double {
        double offset = 0;
        for (const auto& b : banks) {
            if (addr < b.base)
                return offset / double(total) * width;
            if (addr <= b.end())
                return (offset + double(addr - b.base)) / double(total) * width;
            offset += double(b.size);
        }
        return width;
    };
    QString svg;
    QTextStream o(&svg);
    o << "<svg width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
      << "\"><rect x=\"0\" y=\"4\" width=\"" << width << "\" height=\"14\" fill=\"#f4f4f4\" stroke=\"#888\"/>";
    for (size_t i = 0; i < a.layout.regions.size(); ++i) {
        const RegionPlace p = a.place(int(i));
        if (!p.base || p.size == 0)
            continue;
        const double x0 = x(*p.base);
        const double w = std::max(1.0, x(p.end() - 1) - x0);
        const Region& r = a.layout.regions[i];
        o << "<rect x=\"" << x0 << "\" y=\"4\" width=\"" << w << "\" height=\"14\" fill=\"" << kindColour(r)
          << "\" fill-opacity=\"" << (p.outcome == Outcome::Active ? "0.9" : "0.25") << "\"><title>"
          << html(QStringLiteral("%1 %2+%3 %4").arg(r.name, toHex(*p.base), formatSize(p.size), outcomeName(p.outcome)))
          << "</title></rect>";
    }
    const DefaultCma& d = a.boot.defaultCma;
    if (d.base && !d.failed && d.source != DefaultCma::Source::DtNode)
        o << "<rect x=\"" << x(*d.base) << "\" y=\"4\" width=\"" << std::max(1.0, x(*d.base + d.size - 1) - x(*d.base))
          << "\" height=\"14\" fill=\"#4caf50\" fill-opacity=\"0.5\" stroke=\"#2e7d32\" stroke-dasharray=\"2 "
             "1\"><title>default CMA "
          << html(formatSize(d.size)) << "</title></rect>";
    o << "</svg>";
    return svg;
}

} // namespace

QString matrixToText(const std::vector<MatrixColumn>& columns, const std::vector<MatrixRow>& rows)
{
    QString s;
    QTextStream o(&s);
    for (const auto& row : rows) {
        o << row.board << "\n";
        if (!row.loadError.isEmpty()) {
            o << "  not loaded: " << row.loadError << "\n";
            continue;
        }
        for (size_t k = 0; k < columns.size(); ++k) {
            const MatrixCell& c = row.cells[k];
            o << (c.differs.isEmpty() ? "  " : "* ") << columns[k].label.leftJustified(18) << " " << cellSummary(c)
              << "\n";
            if (!c.placements.isEmpty())
                o << "      dynamic: " << c.placements.join(QStringLiteral(", ")) << "\n";
            if (!c.differs.isEmpty())
                o << "      differs from " << columns.front().label << " in: " << c.differs.join(QStringLiteral(", "))
                  << "\n";
        }
    }
    o << "\n* = differs from the board's first column; ~ = the default CMA base is approximate (allocated after "
         "early allocations no tree shows)\n";
    return s;
}

QByteArray matrixToJson(const std::vector<MatrixColumn>& columns, const std::vector<MatrixRow>& rows)
{
    JsonWriter w;
    w.beginObject();
    w.key("columns").beginArray();
    for (const auto& c : columns)
        w.value(c.label);
    w.endArray();
    w.key("rows").beginArray();
    for (const auto& row : rows) {
        for (size_t k = 0; k < row.cells.size() || (k == 0 && row.cells.empty()); ++k) {
            w.beginObject();
            w.key("board").value(row.board);
            w.key("column").value(columns[std::min(k, columns.size() - 1)].label);
            if (!row.loadError.isEmpty()) {
                w.key("error").value(row.loadError);
                w.endObject();
                break;
            }
            const MatrixCell& c = row.cells[k];
            if (!c.error.isEmpty()) {
                w.key("error").value(c.error);
                w.endObject();
                continue;
            }
            w.key("profile").value(c.analysis->profile.name);
            w.key("errors").value(c.errors);
            w.key("warnings").value(c.warnings);
            w.key("rules").value(c.rules);
            w.key("default_cma").value(c.cma);
            w.key("cma_bytes").hex(c.cmaBytes);
            w.key("dynamic").value(c.placements);
            w.key("free").hex(c.free);
            w.key("differs").value(c.differs);
            w.endObject();
        }
    }
    w.endArray();
    w.endObject();
    return w.result();
}

QByteArray matrixToCsv(const std::vector<MatrixColumn>& columns, const std::vector<MatrixRow>& rows)
{
    QString s;
    QTextStream o(&s);
    o << "board,column,profile,errors,warnings,rules,default_cma,cma_bytes,dynamic,free_bytes,differs\r\n";
    for (const auto& row : rows)
        for (size_t k = 0; k < row.cells.size(); ++k) {
            const MatrixCell& c = row.cells[k];
            o << csvField(row.board) << ',' << csvField(columns[k].label) << ',';
            if (!c.analysis) {
                o << ",,,,," << csvField(c.error) << ",,,\r\n";
                continue;
            }
            o << csvField(c.analysis->profile.name) << ',' << c.errors << ',' << c.warnings << ','
              << csvField(c.rules.join(QLatin1Char(' '))) << ',' << csvField(c.cma) << ',' << c.cmaBytes << ','
              << csvField(c.placements.join(QLatin1Char(' '))) << ',' << c.free << ','
              << csvField(c.differs.join(QLatin1Char(' '))) << "\r\n";
        }
    return s.toUtf8();
}

QByteArray matrixToHtml(const std::vector<MatrixColumn>& columns, const std::vector<MatrixRow>& rows)
{
    QString s;
    QTextStream o(&s);
    o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Carveout matrix</title><style>\n"
         "body{font-family:sans-serif;font-size:13px;margin:16px}table{border-collapse:collapse}"
         "th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}th{background:#eee}"
         "td.differs{background:#fff3cd}td.bad{color:#b00020}.rules{color:#555;font-size:11px}"
         ".dyn{font-family:monospace;font-size:11px;color:#333}.legend "
         "span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}\n"
         "</style></head><body>\n<h1>Carveout matrix</h1>\n<p class=\"legend\">"
         "<span style=\"background:#4caf50\"></span>CMA<span style=\"background:#3f7fd0\"></span>coherent pool"
         "<span style=\"background:#8e5cc4\"></span>restricted pool<span style=\"background:#e8903a\"></span>no-map"
         "<span style=\"background:#9e9e9e\"></span>reserved<span style=\"background:#fff3cd;border:1px solid "
         "#bbb\"></span>"
         "differs from the board's first column</p>\n<table>\n<tr><th>board</th>";
    for (const auto& c : columns)
        o << "<th>" << html(c.label) << "</th>";
    o << "</tr>\n";
    for (const auto& row : rows) {
        o << "<tr><th>" << html(row.board) << "</th>";
        if (!row.loadError.isEmpty()) {
            o << "<td class=\"bad\" colspan=\"" << columns.size() << "\">" << html(row.loadError) << "</td></tr>\n";
            continue;
        }
        for (const auto& c : row.cells) {
            if (!c.analysis) {
                o << "<td class=\"bad\">" << html(c.error) << "</td>";
                continue;
            }
            o << "<td" << (c.differs.isEmpty() ? "" : " class=\"differs\"") << " title=\""
              << html(c.differs.isEmpty() ? QString()
                                          : QStringLiteral("differs in ") + c.differs.join(QStringLiteral(", ")))
              << "\">" << miniMap(*c.analysis) << "<br><b" << (c.errors ? " class=\"bad\"" : "") << ">" << c.errors
              << (c.errors == 1 ? " error</b>, " : " errors</b>, ") << c.warnings
              << (c.warnings == 1 ? " warning" : " warnings") << "<br><span class=\"rules\">"
              << html(c.rules.join(QStringLiteral(", "))) << "</span><br>CMA: " << html(c.cma) << "<br>free "
              << html(formatSize(c.free));
            if (!c.placements.isEmpty())
                o << "<br><span class=\"dyn\">" << html(c.placements.join(QStringLiteral(" "))) << "</span>";
            o << "</td>";
        }
        o << "</tr>\n";
    }
    o << "</table>\n<p>~ after a base: the kernel allocates the default CMA area after early allocations no tree "
         "shows, so the real base is somewhat lower.</p>\n</body></html>\n";
    return s.toUtf8();
}

} // namespace carveout
