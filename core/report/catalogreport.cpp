// SPDX-License-Identifier: GPL-2.0-only
#include "catalogreport.h"

// core
#include "kernel/profile.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"
#include "rules/rules.h"

// Qt
#include <QStringList>
#include <QTextStream>

namespace carveout {

QString profilesToText()
{
    QString text;
    QTextStream out(&text);
    out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
               .arg(QStringLiteral("NAME"), -22)
               .arg(QStringLiteral("KERNEL"), -6)
               .arg(QStringLiteral("ERA"), -3)
               .arg(QStringLiteral("ARCH"), -5)
               .arg(QStringLiteral("PAGE"), -5)
               .arg(QStringLiteral("CMA MIN ALIGN"), -13)
               .arg(QStringLiteral("CMA SLOTS"), -9)
               .arg(QStringLiteral("CONFIG"));
    for (const auto& p : namedProfiles()) {
        const KernelConfig& c = p.config;
        QStringList cfg;
        cfg << QStringLiteral("CMA=%1").arg(c.cma ? 'y' : 'n') << QStringLiteral("DMA_CMA=%1").arg(c.dmaCma ? 'y' : 'n')
            << QStringLiteral("CMA_AREAS=%1").arg(c.cmaAreas)
            << QStringLiteral("CMA_SIZE_MBYTES=%1").arg(c.cmaSizeMbytes)
            << QStringLiteral("DMA_RESTRICTED_POOL=%1").arg(c.restrictedPool ? 'y' : 'n')
            << QStringLiteral("DMA_GLOBAL_POOL=%1").arg(c.dmaGlobalPool ? 'y' : 'n')
            << QStringLiteral("DMA_DECLARE_COHERENT=%1").arg(c.dmaDeclareCoherent ? 'y' : 'n')
            << QStringLiteral("HUGETLB_PAGE=%1").arg(c.hugetlb ? 'y' : 'n')
            << QStringLiteral("TRANSPARENT_HUGEPAGE=%1").arg(c.thp ? 'y' : 'n')
            << QStringLiteral("ARCH_FORCE_MAX_ORDER=%1")
                   .arg(c.forceMaxOrder ? QString::number(c.forceMaxOrder) : QStringLiteral("default"))
            << QStringLiteral("NUMA=%1").arg(c.numa ? 'y' : 'n')
            << QStringLiteral("pageblock_order=%1").arg(p.pageblockOrder());
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                   .arg(p.name, -22)
                   .arg(p.kernel(), -6)
                   .arg(eraName(p.era()).left(1), -3)
                   .arg(p.archString(), -5)
                   .arg(formatSize(p.pageSize).remove(QLatin1Char(' ')), -5)
                   .arg(formatSize(p.cmaMinAlignment()), -13)
                   .arg(p.maxCmaAreas(), -9)
                   .arg(cfg.join(QLatin1Char(' ')));
        if (!p.description.isEmpty())
            out << "    " << p.description << "\n";
    }
    out.flush();
    return text;
}

QByteArray profilesToJson()
{
    JsonWriter w;
    w.beginObject();
    w.key("profiles").beginArray();
    for (const auto& p : namedProfiles()) {
        writeProfileJson(w, p);
    }
    w.endArray();
    w.endObject();
    return w.result();
}

QString rulesToText()
{
    QString text;
    QTextStream out(&text);
    for (const auto& r : rules()) {
        out << r.id << "  " << severityName(r.severity) << "  kernels " << r.versions << ", arch " << r.arches << "\n";
        out << "    " << QString::fromUtf8(r.explanation) << "\n";
        if (*r.kernelMessage)
            out << "    kernel: " << QString::fromUtf8(r.kernelMessage) << "\n";
        out << "    fix: " << QString::fromUtf8(r.fix) << "\n";
    }
    out.flush();
    return text;
}

QByteArray rulesToJson()
{
    JsonWriter w;
    w.beginObject();
    w.key("rules").beginArray();
    for (const auto& r : rules()) {
        w.beginObject();
        w.key("id").value(r.id);
        w.key("severity").value(severityName(r.severity));
        w.key("kernels").value(r.versions);
        w.key("arches").value(r.arches);
        w.key("kernel_message").value(QString::fromUtf8(r.kernelMessage));
        w.key("explanation").value(QString::fromUtf8(r.explanation));
        w.key("fix").value(QString::fromUtf8(r.fix));
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.result();
}

} // namespace carveout
