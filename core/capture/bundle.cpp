// SPDX-License-Identifier: GPL-2.0-only
// Bundle framing (docs/capture-format.md, version 1): the header line, "@@@ section NAME
// [encoding=base64]" headers, the '@' escaping, base64 content, "@@@ end", and what each known
// section holds. Sections are views into the file's bytes: nothing is copied but what is kept.
#include "captureparts.h"
#include "hexparse.h"

// core
#include "model/devicetree.h"
#include "source/dtbloader.h"

// std
#include <algorithm>

namespace carveout::capture::detail {

namespace {

constexpr QByteArrayView kSectionHeader = "@@@ section ";
constexpr QByteArrayView kEnd = "@@@ end";

struct Section
{
    QByteArray name;
    QByteArray encoding; ///< empty for text
    int headerLine = 0;
    QByteArrayView content; ///< raw, still escaped
    QByteArray unescaped; ///< storage when a content line needed unescaping
};

/** Content lines starting with four or more '@' and a space lose one '@' (only then is a copy made). */
QByteArrayView unescape(Section& s)
{
    const QByteArrayView c = s.content;
    auto escapedAt = [&](qsizetype i) {
        qsizetype k = i;
        while (k < c.size() && c[k] == '@')
            ++k;
        return k - i >= 4 && k < c.size() && c[k] == ' ';
    };
    bool any = false;
    for (qsizetype i = 0; i < c.size() && !any;) {
        any = escapedAt(i);
        const qsizetype eol = c.indexOf('\n', i);
        i = eol < 0 ? c.size() : eol + 1;
    }
    if (!any)
        return c;
    s.unescaped.reserve(c.size());
    for (qsizetype i = 0; i < c.size();) {
        qsizetype eol = c.indexOf('\n', i);
        eol = eol < 0 ? c.size() : eol + 1;
        s.unescaped.append(c.sliced(i, eol - i).sliced(escapedAt(i) ? 1 : 0));
        i = eol;
    }
    return s.unescaped;
}

int base64Value(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/** base64(1) output, whitespace ignored. False with `*badLine` at the first fault. */
bool decodeBase64(QByteArrayView in, int firstLine, QByteArray* out, int* badLine)
{
    out->reserve(in.size() / 4 * 3);
    int line = firstLine, lastLine = firstLine;
    uint32_t acc = 0;
    int n = 0, pad = 0;
    for (const char ch : in) {
        if (ch == '\n') {
            ++line;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r')
            continue;
        lastLine = line;
        if (ch == '=') {
            if (n < 2 || ++pad + n > 4) {
                *badLine = line;
                return false;
            }
            continue;
        }
        const int v = base64Value(ch);
        if (v < 0 || pad) {
            *badLine = line;
            return false;
        }
        acc = acc << 6 | uint32_t(v);
        if (++n == 4) {
            out->append(char(acc >> 16)).append(char(acc >> 8)).append(char(acc));
            acc = 0;
            n = 0;
        }
    }
    if (n + pad != 4 && n != 0) {
        *badLine = lastLine;
        return false;
    }
    if (n == 2)
        out->append(char(acc >> 4));
    else if (n == 3)
        out->append(char(acc >> 10)).append(char(acc >> 2));
    return true;
}

QString sectionName(const Section& s)
{
    return QString::fromUtf8(s.name);
}

/** Reads one known section into `c`; false with `error` set when the bundle cannot be used. */
class SectionReader
{
public:
    SectionReader(Capture& c, const QString& file, QString* error)
        : m_c(c)
        , m_file(file)
        , m_error(error)
    {
    }

    bool read(Section& s);
    /** The device-tree listing is the fallback: read once the fdt section had its chance. */
    bool readListing(Section& s);

private:
    bool base64(Section& s, QByteArray* out);
    void meta(QByteArrayView content, int first);
    void dmesg(QByteArrayView content, int first);
    void fdt(Section& s);
    QString where(const Section& s) const
    {
        return QStringLiteral("%1:%2: section '%3'").arg(m_file).arg(s.headerLine).arg(sectionName(s));
    }

    Capture& m_c;
    const QString& m_file;
    QString* m_error;
};

bool SectionReader::base64(Section& s, QByteArray* out)
{
    if (s.encoding != "base64") {
        m_c.readerNotes.append(where(s) % QStringLiteral(": not base64 as the format says; skipped"));
        return false;
    }
    int bad = 0;
    if (!decodeBase64(s.content, s.headerLine + 1, out, &bad)) {
        *m_error = QStringLiteral("%1:%2: section '%3': invalid base64; the bundle is damaged: capture again "
                                  "(or remove that section)")
                       .arg(m_file)
                       .arg(bad)
                       .arg(sectionName(s));
        return false;
    }
    return true;
}

void SectionReader::meta(QByteArrayView content, int first)
{
    forEachLine(content, first, [&](QByteArrayView line, int) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            m_c.meta[lineText(line.first(eq))] = lineText(line.sliced(eq + 1));
    });
    auto value = [&](const char* key) {
        const auto it = m_c.meta.find(QString::fromLatin1(key));
        return it == m_c.meta.end() ? QString() : it->second.trimmed();
    };
    m_c.kernelRelease = value("kernel_release");
    m_c.machine = value("machine");
    bool ok = false;
    const qulonglong page = value("page_size").toULongLong(&ok);
    if (ok && page > 0)
        m_c.pageSize = page;
    const QString source = value("kernel_log_source");
    if (source == QLatin1String("dmesg") || source == QLatin1String("kmsg") || source == QLatin1String("journal"))
        m_c.log.source = source;
}

void SectionReader::dmesg(QByteArrayView content, int first)
{
    m_c.log.present = true;
    LogReader reader(&m_c.log);
    forEachLine(content, first, [&](QByteArrayView line, int number) { reader.add(line, number); });
    reader.finish(m_file, &m_c.readerNotes);
}

void SectionReader::fdt(Section& s)
{
    QByteArray blob;
    if (!base64(s, &blob))
        return;
    // readDtb checks the blob completely (and guards libfdt 1.6.1's loop on huge property lengths).
    DeviceTree tree;
    QString why;
    if (!readDtb(blob, tree, &why)) {
        m_c.readerNotes.append(where(s) % QStringLiteral(": not a usable device tree blob (") % why
            % QStringLiteral("); the booted tree is unknown"));
        return;
    }
    m_c.fdt = blob;
    m_c.fdtFromListing = false;
}

bool SectionReader::readListing(Section& s)
{
    if (!s.encoding.isEmpty())
        return true; // the unknown-encoding note was given
    const QByteArray blob = dtbFromListing(unescape(s), s.headerLine + 1, m_file, m_error);
    if (blob.isEmpty())
        return false;
    DeviceTree tree;
    QString why;
    if (!readDtb(blob, tree, &why)) {
        m_c.readerNotes.append(where(s) % QStringLiteral(": the listing does not make a usable device tree (") % why
            % QStringLiteral("); the booted tree is unknown"));
        return true;
    }
    m_c.fdt = blob;
    m_c.fdtFromListing = true;
    return true;
}

bool SectionReader::read(Section& s)
{
    const QByteArray& n = s.name;
    const int first = s.headerLine + 1;
    if (n == "fdt" || n == "config.gz") {
        if (n == "fdt") {
            fdt(s);
            return m_error->isEmpty();
        }
        QByteArray gz;
        if (!base64(s, &gz))
            return m_error->isEmpty();
        QString why;
        if (!kconfigFromGzip(gz, m_c.kconfig, &why)) {
            m_c.kconfig.clear();
            m_c.readerNotes.append(
                where(s) % QStringLiteral(": ") % why % QStringLiteral("; the kernel configuration is unknown"));
        }
        return true;
    }
    const bool known = n == "meta" || n == "cmdline" || n == "dmesg" || n == "iomem" || n == "meminfo"
        || n == "memblock/memory" || n == "memblock/reserved" || n == "notes" || n == "device-tree"
        || ((n.startsWith("debugfs/cma/") || n.startsWith("sysfs/cma/")) && n.count('/') == 3) || n == "trace"
        || n == "trace-meta" || n.startsWith("trace-format/");
    if (!known) {
        m_c.unknownSections.append(sectionName(s));
        return true;
    }
    if (!s.encoding.isEmpty()) {
        m_c.readerNotes.append(where(s) % QStringLiteral(": version 1 writes it as text, not base64; skipped"));
        return true;
    }
    if (n == "device-tree")
        return true; // readListing, after every fdt section
    const QByteArrayView content = unescape(s);
    if (n == "meta") {
        meta(content, first);
    } else if (n == "cmdline") {
        m_c.cmdline = lineText(content).trimmed();
    } else if (n == "dmesg") {
        dmesg(content, first);
    } else if (n == "iomem") {
        readIomem(content, first, where(s), m_c);
    } else if (n == "meminfo") {
        forEachLine(content, first, [&](QByteArrayView line, int) { // without the \r of a console copy
            m_c.meminfo += lineText(line) + QLatin1Char('\n');
        });
    } else if (n.startsWith("memblock/")) {
        m_c.hasMemblock = true;
        readMemblock(content, first, where(s), n.endsWith("memory") ? m_c.memblockMemory : m_c.memblockReserved,
            &m_c.readerNotes);
    } else if (n == "trace") {
        m_c.trace = content.toByteArray();
        m_c.traceLine = first;
    } else if (n == "trace-meta" || n.startsWith("trace-format/")) {
        // what carveout-capture --trace recorded about the trace; the events say it all
    } else if (n == "notes") {
        forEachLine(content, first, [&](QByteArrayView line, int) {
            if (!line.trimmed().isEmpty())
                m_c.bundleNotes.append(lineText(line));
        });
    } else {
        const QList<QByteArray> parts = n.split('/');
        readCmaFile(QString::fromUtf8(parts[2]), QString::fromUtf8(parts[3]), parts[0] == "sysfs", content, where(s),
            m_c.cma, &m_c.readerNotes);
    }
    return true;
}

} // namespace

std::optional<Capture> parseBundle(QByteArrayView bytes, const QString& name, QString* error)
{
    Capture c;
    c.file = name;
    c.kind = CaptureKind::Bundle;
    std::vector<Section> sections;
    bool ended = false, headerSeen = false;
    int endLine = 0, afterEnd = 0, lastLine = 0;
    qsizetype pos = 0;
    int number = 0;
    auto close = [&](qsizetype at) { // the open section's content ends where line `at` starts
        if (sections.empty())
            return;
        Section& s = sections.back();
        const qsizetype start = s.content.data() - bytes.data();
        s.content = bytes.sliced(start, std::max<qsizetype>(at - start, 0));
    };
    while (pos < bytes.size()) {
        qsizetype eol = bytes.indexOf('\n', pos);
        const qsizetype next = eol < 0 ? bytes.size() : eol + 1;
        if (eol < 0)
            eol = bytes.size();
        QByteArrayView line = bytes.sliced(pos, eol - pos);
        while (line.endsWith('\r'))
            line.chop(1);
        ++number;
        lastLine = number;
        if (!headerSeen) {
            headerSeen = true;
            if (line.startsWith("\xEF\xBB\xBF"))
                line = line.sliced(3); // a byte order mark from an editor
            const QByteArrayView v = line.sliced(std::min<qsizetype>(line.size(), 23)).trimmed();
            qsizetype at = 0;
            const auto version = takeDecimal(v, &at);
            if (!line.startsWith("carveout-capture-bundle ") || !version || at != v.size() || *version == 0) {
                *error = QStringLiteral("%1:1: damaged bundle header '%2': the first line of a bundle is "
                                        "'carveout-capture-bundle 1'")
                             .arg(name, lineText(line.first(std::min<qsizetype>(line.size(), 60))));
                return std::nullopt;
            }
            if (*version > 1) {
                *error = QStringLiteral("%1: bundle format version %2 is newer than this Carveout reads (1); update "
                                        "Carveout")
                             .arg(name)
                             .arg(*version);
                return std::nullopt;
            }
            c.formatVersion = int(*version);
        } else if (ended) {
            if (!line.trimmed().isEmpty())
                ++afterEnd;
        } else if (line == kEnd) {
            close(pos);
            ended = true;
            endLine = number;
        } else if (line.startsWith(kSectionHeader)) {
            close(pos);
            const QList<QByteArray> words = line.sliced(kSectionHeader.size()).toByteArray().split(' ');
            Section s;
            s.name = words.value(0);
            s.headerLine = number;
            s.content = bytes.sliced(next, 0);
            for (qsizetype w = 1; w < words.size(); ++w) {
                if (words[w].startsWith("encoding="))
                    s.encoding = words[w].mid(9);
            }
            if (s.name.isEmpty()) { // kept, so its content is not taken for the section before
                c.readerNotes.append(QStringLiteral("%1:%2: a section header without a name; its section is skipped")
                                         .arg(name)
                                         .arg(number));
            }
            sections.push_back(std::move(s));
        } else if (line.startsWith("@@@ ")) {
            c.readerNotes.append(QStringLiteral("%1:%2: '%3' is neither a section header nor '@@@ end'; read as "
                                                "content")
                                     .arg(name)
                                     .arg(number)
                                     .arg(lineText(line.first(std::min<qsizetype>(line.size(), 60)))));
        }
        pos = next;
    }
    if (!ended) {
        c.truncated = true;
        QString cut;
        if (!sections.empty()) {
            cut = QStringLiteral("; section '%1' (from line %2), cut off, is not used")
                      .arg(sectionName(sections.back()))
                      .arg(sections.back().headerLine);
            sections.pop_back();
        }
        c.readerNotes.append(QStringLiteral("%1 is truncated: it ends at line %2 without the final '@@@ end'; the "
                                            "complete sections before the cut are used%3")
                                 .arg(name)
                                 .arg(lastLine)
                                 .arg(cut));
    } else if (afterEnd) {
        c.readerNotes.append(
            QStringLiteral("%1: %2 line(s) after '@@@ end' (line %3) ignored").arg(name).arg(afterEnd).arg(endLine));
    }

    // The first of a repeated name wins; meta first (kernel_log_source), the listing last.
    std::vector<Section*> used;
    for (Section& s : sections) {
        if (s.name.isEmpty())
            continue;
        const auto same = std::find_if(used.begin(), used.end(), [&](const Section* u) { return u->name == s.name; });
        if (same != used.end()) {
            c.readerNotes.append(QStringLiteral("%1:%2: section '%3' appears again (first at line %4); the first "
                                                "one is used")
                                     .arg(name)
                                     .arg(s.headerLine)
                                     .arg(sectionName(s))
                                     .arg((*same)->headerLine));
            continue;
        }
        if (!s.encoding.isEmpty() && s.encoding != "base64") {
            c.readerNotes.append(QStringLiteral("%1:%2: section '%3' has unknown encoding '%4'; skipped")
                                     .arg(name)
                                     .arg(s.headerLine)
                                     .arg(sectionName(s), QString::fromUtf8(s.encoding)));
            continue;
        }
        used.push_back(&s);
    }
    std::stable_partition(used.begin(), used.end(), [](const Section* s) { return s->name == "meta"; });
    QString failure;
    SectionReader reader(c, name, &failure);
    for (Section* s : used) {
        if (!reader.read(*s)) {
            *error = failure;
            return std::nullopt;
        }
    }
    for (Section* s : used) {
        if (s->name == "device-tree" && c.fdt.isEmpty() && !reader.readListing(*s)) {
            *error = failure;
            return std::nullopt;
        }
    }
    if (c.kernelRelease.isEmpty())
        c.kernelRelease = c.log.linuxVersion;
    if (!c.cmdline && !c.log.commandLine.isEmpty())
        c.cmdline = c.log.commandLine;
    return c;
}

} // namespace carveout::capture::detail
