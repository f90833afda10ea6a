// SPDX-License-Identifier: GPL-2.0-only
#include "kernelbar.h"

// core
#include "kernel/profile.h"

// Qt
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

namespace carveout::ui {

KernelBar::KernelBar(QWidget* owner, const std::function<void(QWidget*)>& add)
    : QObject(owner)
{
    // Each box: its label, its object name, the first entry ("keep the profile's value") and the values.
    auto box = [&](const QString& label, const char* name, const QString& keep, const QStringList& values) {
        add(new QLabel(label, owner));
        auto* b = new QComboBox(owner);
        b->setObjectName(QLatin1String(name));
        b->addItem(keep, QString());
        for (const auto& v : values)
            b->addItem(v, v);
        add(b);
        connect(b, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_setting)
                emit changed();
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
    // What no tree shows (the bootloader's RAM, its reservations): board-specific, not remembered.
    m_memory = field(tr(" Memory "), "memory", tr("from /memory (BASE+SIZE, ...)"));
    m_reserve = field(tr(" Reserve "), "reserve", tr("early: NAME@BASE+SIZE, ..."));
    for (auto* e : { m_memory, m_reserve })
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
    return r;
}

void KernelBar::setRequest(const ProfileRequest& r)
{
    m_setting = true;
    if (!r.kernel.isEmpty() && m_kernel->findData(r.kernel) < 0)
        m_kernel->addItem(r.kernel, r.kernel);
    for (auto [b, v] :
        { std::pair { m_profile, r.profile }, { m_kernel, r.kernel }, { m_arch, r.arch }, { m_page, r.pageSize } })
        b->setCurrentIndex(std::max(0, b->findData(v)));
    m_cmdline->setText(r.cmdline ? (r.cmdline->isEmpty() ? QStringLiteral("\"\"") : *r.cmdline) : QString());
    setMemory(r.memory);
    setReserve(r.reserve);
    m_setting = false;
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
