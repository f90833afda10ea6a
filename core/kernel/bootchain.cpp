// SPDX-License-Identifier: GPL-2.0-only
#include "bootchain.h"

// core
#include "kernel/profileoptions.h"
#include "model/units.h"
#include "source/loader.h"

// Qt
#include <QList>
#include <QRegularExpression>

namespace carveout {

namespace {

constexpr qint64 kMaxInput = 64 << 20; // a boot log or bundle; an environment is far smaller
constexpr int kMaxEnvVariables = 100000;

/** is_usable_memory (drivers/firmware/efi/efi-init.c): these types become System RAM when
 *  they can be mapped write-back. */
bool usableType(const QString& type)
{
    static const QStringList usable { QStringLiteral("Loader Code"), QStringLiteral("Loader Data"),
        QStringLiteral("ACPI Reclaim"), QStringLiteral("Boot Code"), QStringLiteral("Boot Data"),
        QStringLiteral("Conventional"), QStringLiteral("Persistent") };
    return usable.contains(type);
}

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

/** What a reader found, or nothing and why when it found nothing. */
template <typename T> std::optional<T> unlessEmpty(T found, QString* error, const QString& whyEmpty)
{
    if (found.empty()) {
        fail(error, whyEmpty);
        return std::nullopt;
    }
    return found;
}

} // namespace

std::optional<std::vector<EfiRange>> parseEfiMemoryMap(const QByteArray& text, const QString& file, QString* error)
{
    // reserve_regions: pr_info("  0x%012llx-0x%012llx %s\n", ...) after "Processing EFI memory
    // map:"; efi_md_typeattr_format gives "[Type        |RUN|..|WB|WT|WC|UC]" or, for types or
    // attributes it has no name for, "[type=N|attr=0x...]".
    static const QRegularExpression entry(
        QStringLiteral("efi:\\s+0x([0-9a-fA-F]{1,16})-0x([0-9a-fA-F]{1,16}) \\[([^\\]]{1,120})\\]"));
    static const QRegularExpression attr(QStringLiteral("attr=0x([0-9a-fA-F]{1,16})"));
    std::vector<EfiRange> map;
    int lineNo = 0;
    for (const QByteArray& raw : text.split('\n')) {
        ++lineNo;
        if (!raw.contains("efi:"))
            continue;
        const QString line = QString::fromUtf8(raw);
        if (line.contains(QLatin1String("Processing EFI memory map"))) {
            map.clear(); // a later boot in the same log
            continue;
        }
        if (line.contains(QLatin1String("memattr:")))
            continue; // the memory attributes table repeats runtime ranges, not the map
        const auto m = entry.match(line);
        if (!m.hasMatch())
            continue;
        const uint64_t first = m.captured(1).toULongLong(nullptr, 16);
        const uint64_t last = m.captured(2).toULongLong(nullptr, 16);
        if (last < first) {
            fail(error,
                QStringLiteral("%1:%2: EFI memory map entry ends (0x%3) before it starts (0x%4); is the log cut or "
                               "mixed up? Use the lines of one boot with efi=debug")
                    .arg(file)
                    .arg(lineNo)
                    .arg(m.captured(2), m.captured(1)));
            return std::nullopt;
        }
        EfiRange r;
        r.range = { first, last == ~0ull ? ~0ull - first : last - first + 1 };
        r.line = lineNo;
        const QStringList fields = m.captured(3).split(QLatin1Char('|'));
        r.type = fields.value(0).trimmed();
        uint64_t flags = 0; // EFI_MEMORY_UC 0x1, WC 0x2, WT 0x4, WB 0x8
        if (const auto a = attr.match(m.captured(3)); a.hasMatch())
            flags = a.captured(1).toULongLong(nullptr, 16);
        for (const QString& f : fields.mid(1)) {
            const QString t = f.trimmed();
            flags |= t == QLatin1String("WB") ? 8 : t == QLatin1String("WT") ? 4 : t == QLatin1String("WC") ? 2 : 0;
        }
        r.memory = flags & 0xe;
        r.usable = r.memory && (flags & 8) && usableType(r.type);
        r.reserve = r.memory && r.type == QLatin1String("ACPI Reclaim");
        map.push_back(r);
    }
    return unlessEmpty(std::move(map), error,
        QStringLiteral("%1: no EFI memory map in it (lines 'efi:   0x...-0x... [Type|...]'); boot with efi=debug and "
                       "give that boot's log or a carveout-capture bundle of it")
            .arg(file));
}

std::optional<uint64_t> parseUbootAddress(const QString& value)
{
    QString v = value.trimmed();
    if (v.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        v = v.mid(2);
    if (v.isEmpty() || v.size() > 16)
        return std::nullopt;
    bool ok = false;
    const uint64_t a = v.toULongLong(&ok, 16);
    return ok ? std::optional<uint64_t>(a) : std::nullopt;
}

std::optional<UbootEnv> parseUbootEnv(const QByteArray& bytes, const QString& file, QString* error)
{
    UbootEnv env;
    QList<QByteArray> entries;
    int firstLine = 1;
    const bool binary = bytes.contains('\0');
    if (binary) {
        // env_t: a CRC32 (and a flags byte in redundant environments), then "NAME=VALUE\0"...
        // ending in an empty string. A variable's name starts with a letter, the flags byte not.
        const qsizetype start = bytes.size() > 4 && QChar::isLetter(uchar(bytes[4])) ? 4 : 5;
        if (bytes.size() <= start) {
            fail(error, QStringLiteral("%1: too short for a U-Boot environment image").arg(file));
            return std::nullopt;
        }
        entries = bytes.mid(start).split('\0');
        firstLine = 0; // entries, not lines, in a binary image
    } else {
        entries = bytes.split('\n');
    }
    static const QRegularExpression assignment(QStringLiteral("^\\s*([A-Za-z0-9_.:-]{1,128})=(.*)$"));
    int n = firstLine - 1;
    for (const QByteArray& e : entries) {
        ++n;
        if (binary && e.isEmpty())
            break; // the end of the variables; the rest is padding
        const QString line = QString::fromUtf8(e).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const auto m = assignment.match(line);
        if (!m.hasMatch())
            continue; // the prompt, "Environment size: ...", a serial console's noise
        if (int(env.size()) >= kMaxEnvVariables) {
            fail(error,
                QStringLiteral("%1: more than %2 variables; this is no U-Boot environment")
                    .arg(file)
                    .arg(kMaxEnvVariables));
            return std::nullopt;
        }
        env[m.captured(1)] = { m.captured(2).trimmed(), n }; // setenv: the last one wins
    }
    return unlessEmpty(std::move(env), error,
        QStringLiteral("%1: no NAME=VALUE line in it; give U-Boot's 'printenv' output, a uEnv.txt or the environment "
                       "image")
            .arg(file));
}

namespace {

struct LoadKind
{
    const char* option; ///< --load NAME=
    const char* name; ///< the early reservation
    const char* variable; ///< U-Boot's
};
constexpr LoadKind kLoadKinds[] = {
    { "kernel", "kernel", "kernel_addr_r" },
    { "fdt", "dtb", "fdt_addr_r" },
    { "ramdisk", "initrd", "ramdisk_addr_r" },
};

const LoadKind* loadKind(const QString& s)
{
    for (const auto& k : kLoadKinds) {
        if (s == QLatin1String(k.option) || s == QLatin1String(k.name) || s == QLatin1String(k.variable))
            return &k;
    }
    return nullptr;
}

QString readEfiMap(const QString& file, KernelProfile* p)
{
    QByteArray text;
    QString error;
    if (!readUserFile(file, kMaxInput, &text, &error))
        return QStringLiteral("--efi-map: %1").arg(error);
    const auto map = parseEfiMemoryMap(text, file, &error);
    if (!map)
        return QStringLiteral("--efi-map: %1").arg(error);
    p->efiMap = *map;
    p->efiMapFile = file;
    return {};
}

QString applyLoads(const ProfileRequest& rq, KernelProfile* p, QStringList* notes)
{
    struct Want
    {
        std::optional<uint64_t> addr;
        std::optional<uint64_t> size;
        QString origin;
    };
    std::map<QString, Want> want; // by early-reservation name
    if (!rq.ubootEnv.isEmpty()) {
        QByteArray bytes;
        QString error;
        if (!readUserFile(rq.ubootEnv, 1 << 20, &bytes, &error))
            return QStringLiteral("--uboot-env: %1").arg(error);
        const auto env = parseUbootEnv(bytes, rq.ubootEnv, &error);
        if (!env)
            return QStringLiteral("--uboot-env: %1").arg(error);
        for (const auto& k : kLoadKinds) {
            const auto it = env->find(QLatin1String(k.variable));
            if (it == env->end())
                continue;
            const auto a = parseUbootAddress(it->second.value);
            if (!a)
                return QStringLiteral("%1:%2: %3=%4 is not an address (U-Boot reads it as hex); fix the environment")
                    .arg(rq.ubootEnv)
                    .arg(it->second.line)
                    .arg(QLatin1String(k.variable), it->second.value);
            want[QLatin1String(k.name)]
                = { a, std::nullopt, QStringLiteral("%1:%2").arg(rq.ubootEnv).arg(it->second.line) };
        }
        const auto high = env->find(QStringLiteral("fdt_high"));
        if (notes && want.count(QStringLiteral("dtb"))
            && (high == env->end() || !high->second.value.startsWith(QLatin1String("0xffffffff"), Qt::CaseInsensitive)))
            *notes << QStringLiteral("%1: fdt_high is not all ones, so U-Boot may copy the DTB elsewhere before "
                                     "booting (\"Loading Device Tree to ...\" in its log): give --load fdt=ADDR+SIZE "
                                     "with that address if it does")
                          .arg(rq.ubootEnv);
    }
    static const QRegularExpression re(QStringLiteral("^([a-z_]+)=([^+]*)(?:\\+(.+))?$"));
    for (const QString& l : rq.load) {
        const auto m = re.match(l);
        const LoadKind* k = m.hasMatch() ? loadKind(m.captured(1)) : nullptr;
        Want w;
        if (k) {
            w = want[QLatin1String(k->name)];
            // Where the address comes from, and the size where that differs.
            w.origin = w.origin.isEmpty() || !m.captured(2).isEmpty()
                ? QStringLiteral("--load %1").arg(l)
                : QStringLiteral("%1 and --load %2").arg(w.origin, l);
            if (!m.captured(2).isEmpty())
                w.addr = parseSize(QStringView(m.captured(2)));
            if (!m.captured(3).isEmpty())
                w.size = parseSize(QStringView(m.captured(3)));
        }
        if (!k || (!m.captured(2).isEmpty() && !w.addr) || (!m.captured(3).isEmpty() && (!w.size || *w.size == 0)))
            return QStringLiteral("--load takes kernel|fdt|ramdisk=[ADDR][+SIZE] (e.g. kernel=0x40400000+40M, "
                                  "fdt=+64K with the address from --uboot-env), not '%1'")
                .arg(l);
        want[QLatin1String(k->name)] = w;
    }
    for (const auto& k : kLoadKinds) {
        const auto it = want.find(QLatin1String(k.name));
        if (it == want.end())
            continue;
        const Want& w = it->second;
        if (!w.addr)
            return QStringLiteral("%1 gives the size of the %2 but not where it is: add its address, or "
                                  "--uboot-env with %3")
                .arg(w.origin, QLatin1String(k.name), QLatin1String(k.variable));
        if (!w.size) {
            if (notes)
                *notes << QStringLiteral("%1: %2=%3 has no size, so it is not modelled; add --load %4=+SIZE")
                              .arg(w.origin, QLatin1String(k.variable), toHex(*w.addr), QLatin1String(k.option));
            continue;
        }
        const AddrRange r { *w.addr, *w.size };
        if (r.overflows())
            return QStringLiteral("%1: the %2 runs past the top of the 64-bit address space; check ADDR and SIZE")
                .arg(w.origin, QLatin1String(k.name));
        p->loads.push_back({ QLatin1String(k.name), QLatin1String(k.variable), r, w.origin });
    }
    if (notes && p->efi() && !p->loads.empty())
        *notes << QStringLiteral("the bootloader's placements are not reserved on an EFI boot: the stub and the "
                                 "firmware place the kernel, initrd and DTB (their ranges are Loader Code/Data in the "
                                 "EFI memory map)");
    return {};
}

} // namespace

QString applyBootChain(const ProfileRequest& rq, KernelProfile* p, QStringList* notes)
{
    if (!rq.boot.isEmpty()) {
        if (rq.boot == QLatin1String("efi"))
            p->boot = BootPath::Efi;
        else if (rq.boot == QLatin1String("dt"))
            p->boot = BootPath::Dt;
        else
            return QStringLiteral("--boot takes dt or efi, not '%1'").arg(rq.boot);
    }
    if (!rq.efiMap.isEmpty()) {
        if (!rq.boot.isEmpty() && !p->efi())
            return QStringLiteral("--efi-map is the memory map of an EFI boot: drop --boot dt, or the map");
        p->boot = BootPath::Efi;
        if (const QString e = readEfiMap(rq.efiMap, p); !e.isEmpty())
            return e;
    }
    if (notes && p->efi() && p->efiMap.empty())
        *notes << QStringLiteral("EFI boot without its memory map (--efi-map): the tree's memory nodes stand in for "
                                 "it, and no EFI runtime or reserved range is marked");
    return applyLoads(rq, p, notes);
}

} // namespace carveout
