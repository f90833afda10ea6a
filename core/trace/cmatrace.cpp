// SPDX-License-Identifier: GPL-2.0-only
#include "trace/cmatrace.h"

// core
#include "capture/hexparse.h"

// Qt
#include <QHash>
#include <QList>

namespace carveout::trace {

namespace {

/** The whole of `v` as one number (hexparse.h's readers, which must take every character). */
std::optional<uint64_t> hexValue(QByteArrayView v)
{
    if (v.startsWith("0x") || v.startsWith("0X"))
        v = v.sliced(2);
    qsizetype pos = 0;
    const auto n = capture::detail::takeHex(v, &pos);
    return n && pos == v.size() ? n : std::nullopt;
}

std::optional<uint64_t> decimalValue(QByteArrayView v)
{
    qsizetype pos = 0;
    const auto n = capture::detail::takeDecimal(v, &pos);
    return n && pos == v.size() ? n : std::nullopt;
}

std::optional<CmaEvent::Kind> kindOf(QByteArrayView name, bool* old)
{
    *old = false;
    if (name == "cma_alloc_start")
        return CmaEvent::AllocStart;
    if (name == "cma_alloc_finish")
        return CmaEvent::AllocFinish;
    if (name == "cma_alloc_busy_retry")
        return CmaEvent::BusyRetry;
    if (name == "cma_release")
        return CmaEvent::Release;
    if (name == "cma_alloc") { // before 5.10: one event after the search
        *old = true;
        return CmaEvent::AllocFinish;
    }
    return std::nullopt;
}

} // namespace

bool CmaEvent::failed() const
{
    if (kind != AllocFinish)
        return false;
    if (error && *error != 0)
        return true;
    return !pfn || *pfn == 0 || *pfn == ~uint64_t(0) || *pfn == 0xffffffffULL;
}

std::optional<CmaTrace> parseCmaTrace(const QByteArray& text, const QString& file, QString* error)
{
    CmaTrace t;
    int lineNo = 0;
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        QByteArrayView line(text.constData() + at, end - at);
        at = end + 1;
        ++lineNo;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.contains("LOST") && line.contains("EVENTS]"))
            t.lostEvents = true;
        // "          <task>-<pid>  [cpu] flags   <seconds>: <event>: <fields>"
        const qsizetype ev = line.indexOf(": cma_");
        if (line.startsWith('#') || ev < 0) {
            ++t.ignoredLines;
            continue;
        }
        const qsizetype nameEnd = line.indexOf(':', ev + 2);
        if (nameEnd < 0) {
            ++t.ignoredLines;
            continue;
        }
        bool old = false;
        const auto kind = kindOf(line.sliced(ev + 2, nameEnd - ev - 2).trimmed(), &old);
        if (!kind) {
            ++t.ignoredLines;
            continue;
        }
        CmaEvent e;
        e.kind = *kind;
        e.line = lineNo;
        // The head: the task (up to the last '-' before the pid), the cpu, the timestamp.
        const QByteArrayView head = line.first(ev).trimmed();
        const qsizetype bracket = head.indexOf('[');
        if (bracket > 0) {
            const QByteArrayView taskPid = head.first(bracket).trimmed();
            const qsizetype dash = taskPid.lastIndexOf('-');
            e.task = QString::fromUtf8(dash > 0 ? taskPid.first(dash) : taskPid);
        }
        const qsizetype space = head.lastIndexOf(' ');
        e.time = QByteArray(head.sliced(space + 1).data(), head.size() - space - 1).toDouble();
        // The fields, by name.
        const QByteArrayView fields = line.sliced(nameEnd + 1).trimmed();
        const auto bad = [&](const char* what) {
            *error = QStringLiteral("%1:%2: %3 in '%4'")
                         .arg(file)
                         .arg(lineNo)
                         .arg(QLatin1String(what), QString::fromUtf8(line.trimmed()));
            return std::nullopt;
        };
        bool haveCount = false;
        for (const QByteArray& f : QByteArray(fields.data(), fields.size()).split(' ')) {
            const qsizetype eq = f.indexOf('=');
            if (eq <= 0)
                continue;
            const QByteArrayView key = QByteArrayView(f).first(eq), value = QByteArrayView(f).sliced(eq + 1);
            if (key == "name") {
                e.area = QString::fromUtf8(value);
            } else if (key == "pfn") {
                // Failed allocations print -1 in some kernels' hex: all ones (long) or 32 bits.
                e.pfn = value == "-1" ? std::optional<uint64_t>(~uint64_t(0)) : hexValue(value);
                if (!e.pfn)
                    return bad("the pfn is not a hexadecimal number");
            } else if (key == "count" || key == "request_count") {
                const auto n = decimalValue(value);
                if (!n)
                    return bad("the count is not a number");
                e.count = *n;
                haveCount = true;
            } else if (key == "align") {
                const auto n = decimalValue(value);
                // 30 is what a workload takes (docs/workloads.md): 4 TiB with 4K pages, more than
                // any CMA area.
                if (!n || *n > 30)
                    return bad("the align order is not a number from 0 to 30");
                e.align = unsigned(*n);
            } else if (key == "errorno") {
                bool ok = false;
                e.error = QByteArray(value.data(), value.size()).toInt(&ok);
                if (!ok)
                    return bad("errorno is not a number");
            }
        }
        if (!haveCount)
            return bad("no count= field");
        if (e.kind != CmaEvent::AllocStart && !e.pfn)
            return bad("no pfn= field");
        if (old && !e.pfn)
            return bad("no pfn= field");
        t.events.push_back(std::move(e));
    }
    return t;
}

} // namespace carveout::trace
