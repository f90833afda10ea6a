// SPDX-License-Identifier: GPL-2.0-only
#include "kernelbar.h"

// core
#include "kernel/profile.h"

// ui
#include "mapstyle.h"

// Qt
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

// std
#include <utility>

namespace carveout::ui {

KernelBar::KernelBar(
    QWidget* owner, const std::function<void(QWidget*)>& addKernel, const std::function<void(QWidget*)>& addBootChain)
    : QObject(owner)
{
    std::function<void(QWidget*)> add = addKernel;
    // Each box: its label, its object name, the first entry ("keep the profile's value") and the values.
    auto box = [&](const QString& label, const char* name, const QString& keep, const QStringList& values) {
        add(new QLabel(label, owner));
        auto* b = new QComboBox(owner);
        b->setObjectName(QLatin1String(name));
        b->addItem(keep, QString());
        for (const auto& v : values)
            b->addItem(v, v);
        add(b);
        connect(b, &QComboBox::currentIndexChanged, this, [this, b] {
            if (m_setting)
                return;
            const QString said = b == m_profile ? profilePicked() : fieldPicked();
            updateMarks();
            emit changed();
            if (!said.isEmpty())
                emit explained(said); // after the re-analysis, whose messages it would lose to
        });
        return b;
    };
    QStringList profiles;
    for (const auto& p : namedProfiles())
        profiles << p.name;
    m_profile = box(tr(" Profile "), "profile", tr("newest, arch from the tree"), profiles);
    m_kernel = box(tr(" Kernel "), "kernel", tr("profile's"), supportedVersions());
    m_arch = box(tr(" Arch "), "arch", tr("profile's"),
        { QStringLiteral("arm64"), QStringLiteral("arm"), QStringLiteral("riscv") });
    m_page = box(tr(" Pages "), "pageSize", tr("profile's"),
        { QStringLiteral("4K"), QStringLiteral("16K"), QStringLiteral("64K") });
    auto field = [&](const QString& label, const char* name, const QString& placeholder) {
        add(new QLabel(label, owner));
        auto* e = new QLineEdit(owner);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        add(e);
        connect(e, &QLineEdit::editingFinished, this, &KernelBar::changed);
        return e;
    };
    m_cmdline = field(tr(" Command line "), "cmdline", tr("from /chosen/bootargs"));
    m_cmdline->setMinimumWidth(160);
    if (addBootChain)
        add = addBootChain;
    // What no tree shows (the bootloader's RAM, its reservations): board-specific, not remembered.
    m_memory = field(tr(" Memory "), "memory", tr("from /memory (BASE+SIZE, ...)"));
    m_reserve = field(tr(" Reserve "), "reserve", tr("early: NAME@BASE+SIZE, ..."));
    // The boot chain (kernel-rules-additions.md 6, 7): how the kernel is entered, the EFI
    // memory map, the bootloader's placements.
    m_boot = box(tr(" Boot "), "boot", tr("DT"), { QStringLiteral("efi") });
    m_boot->setItemData(0, tr("Straight from the bootloader with the tree (/memreserve/ honoured)"), Qt::ToolTipRole);
    m_boot->setItemData(1,
        tr("Through the EFI stub: /memreserve/ is deleted, the EFI memory map replaces the memory nodes"),
        Qt::ToolTipRole);
    m_efiMap = field(tr(" EFI map "), "efiMap", tr("boot log with efi=debug (means EFI)"));
    // A map means an EFI boot: the Boot box says so (the request implies it anyway).
    connect(m_efiMap, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (!text.trimmed().isEmpty() && m_boot->currentIndex() == 0) {
            const bool was = std::exchange(m_setting, true);
            m_boot->setCurrentIndex(m_boot->findData(QStringLiteral("efi")));
            m_setting = was;
        }
    });
    m_loads = field(tr(" Loads "), "loads", tr("kernel=ADDR+SIZE, fdt=..., ramdisk=..."));
    for (auto* e : { m_memory, m_reserve, m_efiMap, m_loads })
        e->setClearButtonEnabled(true);
}

ProfileRequest KernelBar::request() const
{
    ProfileRequest r;
    r.profile = m_profile->currentData().toString();
    r.kernel = m_kernel->currentData().toString();
    r.arch = m_arch->currentData().toString();
    r.pageSize = m_page->currentData().toString();
    // "" typed as two quotes: no command line at all (the tree's bootargs ignored).
    const QString cmd = m_cmdline->text();
    if (!cmd.isEmpty())
        r.cmdline = cmd.trimmed() == QLatin1String("\"\"") ? QString() : cmd;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    r.memory = m_memory->text().split(separators, Qt::SkipEmptyParts);
    r.reserve = m_reserve->text().split(separators, Qt::SkipEmptyParts);
    r.boot = m_boot->currentData().toString();
    r.efiMap = m_efiMap->text().trimmed();
    r.load = m_loads->text().split(separators, Qt::SkipEmptyParts);
    return r;
}

void KernelBar::setRequest(const ProfileRequest& r)
{
    m_setting = true;
    if (!r.kernel.isEmpty() && m_kernel->findData(r.kernel) < 0)
        m_kernel->addItem(r.kernel, r.kernel);
    for (auto [b, v] : { std::pair { m_profile, r.profile }, { m_kernel, r.kernel }, { m_arch, r.arch },
             { m_page, r.pageSize }, { m_boot, r.boot } })
        b->setCurrentIndex(std::max(0, b->findData(v)));
    m_cmdline->setText(r.cmdline ? (r.cmdline->isEmpty() ? QStringLiteral("\"\"") : *r.cmdline) : QString());
    setMemory(r.memory);
    setReserve(r.reserve);
    m_efiMap->setText(r.efiMap);
    m_loads->setText(r.load.join(QStringLiteral(", ")));
    m_setting = false;
    updateMarks();
}

namespace {
/** Which set fields differ from `p` (the kernel by major.minor; an empty field keeps p's value). */
struct Differences
{
    bool kernel = false, arch = false, page = false;
    bool any() const { return kernel || arch || page; }
};

Differences differences(const KernelProfile& p, const QString& kernel, const QString& arch, const QString& page)
{
    Differences d;
    const auto v = KernelVersion::parse(kernel);
    d.kernel = !kernel.isEmpty() && v && v->key() != p.version.key();
    const auto a = parseArch(arch);
    d.arch = !arch.isEmpty() && a && *a != p.arch;
    d.page = !page.isEmpty() && parsePageSize(page) && parsePageSize(page) != p.pageSize;
    return d;
}

QString pagesName(uint64_t bytes)
{
    return QStringLiteral("%1K").arg(bytes / 1024);
}

QString describe(const KernelProfile& p)
{
    return QStringLiteral("%1 (kernel %2, %3, %4 pages)")
        .arg(p.name, p.version.toString(), archName(p.arch), pagesName(p.pageSize));
}
} // namespace

QStringList KernelBar::contradictions() const
{
    QStringList out;
    const auto p = findProfile(m_profile->currentData().toString());
    if (!p)
        return out;
    const Differences d = differences(
        *p, m_kernel->currentData().toString(), m_arch->currentData().toString(), m_page->currentData().toString());
    if (d.kernel)
        out << m_kernel->objectName();
    if (d.arch)
        out << m_arch->objectName();
    if (d.page)
        out << m_page->objectName();
    return out;
}

QString KernelBar::fieldPicked()
{
    const auto p = findProfile(m_profile->currentData().toString());
    if (!p)
        return {};
    const QString kernel = m_kernel->currentData().toString(), arch = m_arch->currentData().toString(),
                  page = m_page->currentData().toString();
    if (!differences(*p, kernel, arch, page).any())
        return {};
    // What the fields ask for: theirs where set, the profile's elsewhere.
    const auto v = kernel.isEmpty() ? std::optional<KernelVersion>(p->version) : KernelVersion::parse(kernel);
    const auto a = arch.isEmpty() ? std::optional<Arch>(p->arch) : parseArch(arch);
    const uint64_t pg = page.isEmpty() ? p->pageSize : parsePageSize(page);
    if (!v || !a || !pg)
        return {};
    // A named profile of that kernel, the same family first (debian-6.1-arm64 -> debian-6.12-arm64).
    const QString family = p->name.section(QLatin1Char('-'), 0, 0);
    const KernelProfile* match = nullptr;
    for (const auto& n : namedProfiles()) {
        if (n.version.key() != v->key() || n.arch != *a || n.pageSize != pg)
            continue;
        if (!match
            || (n.name.section(QLatin1Char('-'), 0, 0) == family
                && match->name.section(QLatin1Char('-'), 0, 0) != family))
            match = &n;
    }
    if (!match)
        return {}; // marked: the analysis uses the fields over the profile's configuration
    m_setting = true;
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(match->name)));
    for (QComboBox* b : { m_kernel, m_arch, m_page })
        b->setCurrentIndex(0);
    m_setting = false;
    return tr("%1 is not kernel %2 with %3 pages: the profile is now %4%5")
        .arg(describe(*p), v->toString(), pagesName(pg), describe(*match),
            match->name.section(QLatin1Char('-'), 0, 0) == family
                ? QString()
                : tr(" (%1's configuration belongs to its own kernel)").arg(p->name));
}

QString KernelBar::profilePicked()
{
    const auto p = findProfile(m_profile->currentData().toString());
    if (!p)
        return {};
    const QStringList reset = contradictions();
    if (reset.isEmpty())
        return {};
    m_setting = true;
    for (QComboBox* b : { m_kernel, m_arch, m_page })
        if (reset.contains(b->objectName()))
            b->setCurrentIndex(0);
    m_setting = false;
    QStringList names;
    for (const QString& field : reset)
        names << (field == m_kernel->objectName() ? tr("Kernel")
                : field == m_arch->objectName()   ? tr("Arch")
                                                  : tr("Pages"));
    return tr("The profile %1 sets the kernel, arch and page size: the fields that said otherwise "
              "(%2) follow it now")
        .arg(describe(*p), names.join(QStringLiteral(", ")));
}

void KernelBar::updateMarks()
{
    const QStringList bad = contradictions();
    const auto p = findProfile(m_profile->currentData().toString());
    for (QComboBox* b : { m_kernel, m_arch, m_page }) {
        const bool mark = bad.contains(b->objectName());
        b->setProperty("contradicts", mark);
        // The warning colour of the map's badges: the same meaning, "look at this".
        b->setStyleSheet(
            mark ? QStringLiteral("QComboBox { border: 2px solid %1; }").arg(style::warningBadge().name()) : QString());
        b->setToolTip(mark && p ? tr("The profile is %1: this value replaces the profile's, and only %2's "
                                     "configuration is kept (the result is named for that). No named profile "
                                     "matches this choice.")
                                      .arg(describe(*p), p->name)
                                : QString());
    }
}

void KernelBar::setMemory(const QStringList& entries)
{
    m_memory->setText(entries.join(QStringLiteral(", "))); // setText emits no editingFinished
}

void KernelBar::setReserve(const QStringList& entries)
{
    m_reserve->setText(entries.join(QStringLiteral(", ")));
}

} // namespace carveout::ui
