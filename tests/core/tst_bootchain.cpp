// SPDX-License-Identifier: GPL-2.0-only
// The boot chain's inputs (kernel-rules-additions.md sections 6 and 7): the EFI memory map read
// from real boot logs (the oracle's EFI boots, tests/oracle/cases/efi), U-Boot environments, the
// --boot/--efi-map/--uboot-env/--load options, and what the boot model does with them.

// core
#include "analysis/analysis.h"
#include "kernel/bootchain.h"
#include "kernel/profileoptions.h"
#include "source/loader.h"

// Qt
#include <QFile>
#include <QTest>

#include "../testutils.h"

using namespace carveout;

class TestBootChain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void efiMapFromTheOracleLog();
    void efiMapErrors();
    void ubootEnvFormats();
    void loadOptions();
    void loadErrors();
    void efiBootModel();
    void efiBootOnArmAndRiscv();
    void loadsAreReservedEarly();
};

namespace {
QString data(const QString& name)
{
    return test::sourceDir() + QStringLiteral("/tests/data/") + name;
}
QString efiLog()
{
    return test::sourceDir() + QStringLiteral("/tests/oracle/cases/efi/60-efi-memreserve.arm64-6.1.efi.log");
}
QByteArray read(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

void TestBootChain::efiMapFromTheOracleLog()
{
    QString error;
    const auto map = parseEfiMemoryMap(read(efiLog()), efiLog(), &error);
    QVERIFY2(map, qPrintable(error));
    QCOMPARE(int(map->size()), 30); // the memattr lines that follow are not map entries
    const EfiRange& first = map->front();
    QCOMPARE(first.range.base, uint64_t(0x40000000));
    QCOMPARE(first.range.size, uint64_t(0x4000000));
    QCOMPARE(first.type, QStringLiteral("Conventional"));
    QVERIFY(first.memory && first.usable && !first.reserve);
    int runtime = 0, reclaim = 0, mmio = 0;
    for (const auto& e : *map) {
        if (e.type.startsWith(QLatin1String("Runtime"))) {
            ++runtime;
            QVERIFY(e.memory && !e.usable); // NOMAP
        }
        if (e.type == QLatin1String("ACPI Reclaim")) {
            ++reclaim;
            QVERIFY(e.usable && e.reserve);
        }
        if (e.type == QLatin1String("MMIO")) {
            ++mmio;
            QVERIFY(!e.memory || e.range.base == 0x4000000); // the flash is WC: memory, not usable
            QVERIFY(!e.usable);
        }
    }
    QCOMPARE(runtime, 5);
    QCOMPARE(reclaim, 1);
    QCOMPARE(mmio, 2);
}

void TestBootChain::efiMapErrors()
{
    QString error;
    QVERIFY(!parseEfiMemoryMap("Booting Linux on physical CPU 0x0\n", QStringLiteral("x.log"), &error));
    QVERIFY2(error.contains(QLatin1String("efi=debug")), qPrintable(error));
    QVERIFY(!parseEfiMemoryMap(
        "efi:   0x000050000000-0x000040000000 [Conventional|   |WB]\n", QStringLiteral("x.log"), &error));
    QVERIFY2(error.startsWith(QLatin1String("x.log:1:")), qPrintable(error));
    // A second boot in the same log replaces the first one's map.
    const QByteArray two
        = "efi: Processing EFI memory map:\nefi:   0x000040000000-0x000040000fff [Conventional|WB]\n"
          "efi: Processing EFI memory map:\nefi:   0x000080000000-0x000080001fff [Runtime Data|RUN|WB]\n"
          "efi:   0x000090000000-0x000090000fff [type=99|attr=0x000000000000000f]\n";
    const auto map = parseEfiMemoryMap(two, QStringLiteral("two.log"), &error);
    QVERIFY(map);
    QCOMPARE(int(map->size()), 2);
    QCOMPARE(map->at(0).range.base, uint64_t(0x80000000));
    QCOMPARE(map->at(0).range.size, uint64_t(0x2000));
    QVERIFY(map->at(1).memory && !map->at(1).usable); // an unknown type with WB is NOMAP
}

void TestBootChain::ubootEnvFormats()
{
    QString error;
    const auto env = parseUbootEnv(read(data(QStringLiteral("boot/printenv.txt"))), QStringLiteral("p"), &error);
    QVERIFY2(env, qPrintable(error));
    QCOMPARE(env->at(QStringLiteral("kernel_addr_r")).value, QStringLiteral("0x00080000"));
    QCOMPARE(env->at(QStringLiteral("fdt_addr_r")).line, 6);
    QVERIFY(!env->count(QStringLiteral("Environment size"))); // not NAME=VALUE
    const auto u = parseUbootEnv(read(data(QStringLiteral("boot/uEnv.txt"))), QStringLiteral("u"), &error);
    QVERIFY(u);
    QCOMPARE(u->at(QStringLiteral("ramdisk_addr_r")).value, QStringLiteral("0x48000000")); // the last one wins
    QCOMPARE(parseUbootAddress(u->at(QStringLiteral("kernel_addr_r")).value), std::optional<uint64_t>(0x40480000));
    // A binary environment image: CRC32, then NAME=VALUE strings, then padding.
    QByteArray image("\x12\x34\x56\x78", 4);
    image += QByteArray("bootdelay=2\0fdt_addr_r=0x43000000\0\0\xff\xff", 38);
    const auto b = parseUbootEnv(image, QStringLiteral("uboot.env"), &error);
    QVERIFY2(b, qPrintable(error));
    QCOMPARE(b->at(QStringLiteral("fdt_addr_r")).value, QStringLiteral("0x43000000"));
    QVERIFY(!parseUbootEnv("no assignment here\n", QStringLiteral("e"), &error));
    QVERIFY2(error.contains(QLatin1String("printenv")), qPrintable(error));
    QVERIFY(!parseUbootAddress(QStringLiteral("0xnothex")));
    QVERIFY(!parseUbootAddress(QStringLiteral("")));
}

void TestBootChain::loadOptions()
{
    ProfileRequest rq;
    rq.ubootEnv = data(QStringLiteral("boot/uEnv.txt"));
    rq.load << QStringLiteral("kernel=+40M") << QStringLiteral("fdt=+64K");
    KernelProfile p;
    QStringList notes;
    QCOMPARE(resolveProfile(rq, nullptr, &p, &notes), QString());
    QCOMPARE(int(p.loads.size()), 2); // the ramdisk has no size: left out, with a note
    QCOMPARE(p.loads[0].name, QStringLiteral("kernel"));
    QCOMPARE(p.loads[0].range.base, uint64_t(0x40480000));
    QCOMPARE(p.loads[0].range.size, uint64_t(40) << 20);
    QCOMPARE(p.loads[1].name, QStringLiteral("dtb"));
    QCOMPARE(p.loads[1].range.base, uint64_t(0x60000000));
    QVERIFY2(notes.join(QLatin1Char('\n')).contains(QLatin1String("ramdisk_addr_r=0x48000000 has no size")),
        qPrintable(notes.join(QLatin1Char('\n'))));
    QCOMPARE(int(p.earlyReservations().size()), 2);
    // The command line's address wins over the environment's.
    rq.load << QStringLiteral("fdt=0x50000000+64K");
    QCOMPARE(resolveProfile(rq, nullptr, &p, &notes), QString());
    QCOMPARE(p.loads[1].range.base, uint64_t(0x50000000));
    // Through EFI the firmware places the files: nothing of them is reserved.
    rq.boot = QStringLiteral("efi");
    QCOMPARE(resolveProfile(rq, nullptr, &p, &notes), QString());
    QVERIFY(p.efi());
    QCOMPARE(int(p.earlyReservations().size()), 0);
}

void TestBootChain::loadErrors()
{
    const auto error = [](std::initializer_list<const char*> load, const char* boot = "") {
        ProfileRequest rq;
        for (const char* l : load)
            rq.load << QLatin1String(l);
        rq.boot = QLatin1String(boot);
        KernelProfile p;
        return resolveProfile(rq, nullptr, &p);
    };
    QVERIFY(error({ "bogus=0x1+1M" }).contains(QLatin1String("--load takes")));
    QVERIFY(error({ "kernel=0x1+0" }).contains(QLatin1String("--load takes")));
    QVERIFY(error({ "kernel=+1M" }).contains(QLatin1String("not where it is")));
    QVERIFY(error({ "kernel=0xffffffffffffff00+1M" }).contains(QLatin1String("64-bit")));
    QVERIFY(error({}, "uefi").contains(QLatin1String("--boot takes dt or efi")));
    ProfileRequest rq;
    rq.efiMap = data(QStringLiteral("boot/printenv.txt"));
    KernelProfile p;
    QVERIFY(resolveProfile(rq, nullptr, &p).contains(QLatin1String("no EFI memory map")));
}

void TestBootChain::efiBootModel()
{
    // Case 60's tree: the no-map region over /memreserve/ fails on a DT boot of 6.1 and is
    // accepted through EFI; the dynamic region moves onto the deleted entry (the oracle's boots).
    const LoadResult loaded
        = loadBoard(test::sourceDir() + QStringLiteral("/tests/oracle/cases/dts/60-efi-memreserve.arm64-6.1.dts"));
    QVERIFY(loaded.ok);
    ProfileRequest rq;
    rq.profile = QStringLiteral("debian-6.1-arm64");
    KernelProfile dt, efi;
    QCOMPARE(resolveProfile(rq, &loaded.doc, &dt), QString());
    rq.efiMap = efiLog();
    QCOMPARE(resolveProfile(rq, &loaded.doc, &efi), QString());
    QVERIFY(efi.efi());
    const AnalysisPtr a = analyse(loaded.doc, dt);
    const AnalysisPtr b = analyse(loaded.doc, efi);
    QCOMPARE(a->boot.regions[0].outcome, Outcome::ReserveFailed); // nomap-over-memreserve
    QCOMPARE(b->boot.regions[0].outcome, Outcome::Active);
    QCOMPARE(*a->boot.regions[1].base, uint64_t(0x4ff00000)); // dyn-below-memreserve
    QCOMPARE(*b->boot.regions[1].base, uint64_t(0x4ff80000));
    // The firmware's runtime ranges are NOMAP in memblock; ACPI Reclaim is reserved.
    bool runtimeNomap = false;
    for (const auto& m : b->boot.memblock.memory())
        runtimeNomap |= m.nomap && m.base == 0xbc440000;
    QVERIFY(runtimeNomap);
    QVERIFY(b->boot.memblock.isReserved(0xbc220000, 0x10000));
    QVERIFY(!b->boot.memblock.isReserved(0x5f000000, 0x1000)); // no /memreserve/ any more
    QVERIFY(a->boot.memblock.isReserved(0x5f000000, 0x1000));
}

void TestBootChain::efiBootOnArmAndRiscv()
{
    // 32-bit ARM (arm_efi_init) and RISC-V (setup_arch) call the same efi_init() of efi-init.c
    // and boot through the same stub (libstub/fdt.c): the arm64 model holds. Case 60's tree and
    // map: /memreserve/ reserves nothing, the runtime range is NOMAP, ACPI Reclaim reserved.
    const LoadResult loaded
        = loadBoard(test::sourceDir() + QStringLiteral("/tests/oracle/cases/dts/60-efi-memreserve.arm64-6.1.dts"));
    QVERIFY(loaded.ok);
    for (const char* profile : { "debian-6.1-armhf", "linux-5.15-riscv-4k" }) {
        ProfileRequest rq;
        rq.profile = QLatin1String(profile);
        KernelProfile dt, efi;
        QCOMPARE(resolveProfile(rq, &loaded.doc, &dt), QString());
        rq.efiMap = efiLog();
        QCOMPARE(resolveProfile(rq, &loaded.doc, &efi), QString());
        QVERIFY2(efi.efi() && efi.arch != Arch::Arm64, profile);
        const AnalysisPtr a = analyse(loaded.doc, dt);
        const AnalysisPtr b = analyse(loaded.doc, efi);
        QVERIFY2(a->boot.memblock.isReserved(0x5f000000, 0x1000), profile);
        QVERIFY2(!b->boot.memblock.isReserved(0x5f000000, 0x1000), profile);
        bool runtimeNomap = false;
        for (const auto& m : b->boot.memblock.memory())
            runtimeNomap |= m.nomap && m.base == 0xbc440000;
        QVERIFY2(runtimeNomap, profile);
        QVERIFY2(b->boot.memblock.isReserved(0xbc220000, 0x10000), profile);
    }
}

void TestBootChain::loadsAreReservedEarly()
{
    // The DTB loaded into the window of a dynamic region: the kernel reserves it first, so the
    // region (top-down) lands below it.
    const LoadResult loaded = loadBoard(data(QStringLiteral("rules/boot_load_in_window.dts")));
    QVERIFY(loaded.ok);
    ProfileRequest rq;
    KernelProfile without, with;
    QCOMPARE(resolveProfile(rq, &loaded.doc, &without), QString());
    rq.load << QStringLiteral("fdt=0x61800000+64K");
    QCOMPARE(resolveProfile(rq, &loaded.doc, &with), QString());
    const AnalysisPtr a = analyse(loaded.doc, without);
    const AnalysisPtr b = analyse(loaded.doc, with);
    QCOMPARE(*a->boot.regions[0].base, uint64_t(0x61000000));
    QCOMPARE(*b->boot.regions[0].base, uint64_t(0x60800000));
}

QTEST_GUILESS_MAIN(TestBootChain)
#include "tst_bootchain.moc"
