// SPDX-License-Identifier: GPL-2.0-only
#include "kernelbar.h"

// core
#include "kernel/profile.h"

// Qt
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

namespace carveout::ui {

KernelBar::KernelBar(QWidget* parent)
    : QWidget(parent)
{
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    // Each box: its label, its object name, the first entry ("keep the profile's value") and the
    // values, in the order the main window's toolbar lists them.
    auto box = [&](const QString& label, const char* name, const QString& keep, const QStringList& values) {
        row->addWidget(new QLabel(label, this));
        auto* b = new QComboBox(this);
        b->setObjectName(QLatin1String(name));
        b->addItem(keep, QString());
        for (const auto& v : values)
            b->addItem(v, v);
        row->addWidget(b);
        connect(b, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_setting)
                emit changed();
        });
        return b;
    };
    QStringList profiles;
    for (const auto& p : namedProfiles())
        profiles << p.name;
    m_profile = box(tr("Profile"), "profile", tr("newest, arch from the tree"), profiles);
    m_kernel = box(tr("Kernel"), "kernel", tr("profile's"), supportedVersions());
    m_arch = box(tr("Arch"), "arch", tr("profile's"),
        { QStringLiteral("arm64"), QStringLiteral("arm"), QStringLiteral("riscv") });
    m_page = box(tr("Pages"), "pageSize", tr("profile's"),
        { QStringLiteral("4K"), QStringLiteral("16K"), QStringLiteral("64K") });
    auto field = [&](const QString& label, const char* name, const QString& placeholder) {
        row->addWidget(new QLabel(label, this));
        auto* e = new QLineEdit(this);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        e->setClearButtonEnabled(true);
        row->addWidget(e, 1);
        connect(e, &QLineEdit::editingFinished, this, [this, e] {
            if (!m_setting && e->isModified()) {
                e->setModified(false);
                emit changed();
            }
        });
        return e;
    };
    m_cmdline = field(tr("Command line"), "cmdline", tr("from /chosen/bootargs"));
    m_memory = field(tr("Memory"), "memory", tr("from /memory (BASE+SIZE, ...)"));
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
    m_memory->setText(r.memory.join(QStringLiteral(", ")));
    m_setting = false;
}

} // namespace carveout::ui
