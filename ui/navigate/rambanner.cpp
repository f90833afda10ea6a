// SPDX-License-Identifier: GPL-2.0-only
#include "rambanner.h"

// core
#include "analysis/analysis.h"
#include "model/units.h"

// Qt
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace carveout::ui {

std::optional<uint64_t> parseRamValue(const QString& text)
{
    QString s = text;
    s.remove(QLatin1Char('_'));
    return parseSize(QStringView(s));
}

RamBanner::RamBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("ramBanner"));
    // A message strip, not part of the data: the palette's tooltip colours set it apart in
    // light and dark themes alike.
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    auto* box = new QHBoxLayout(this);
    box->setContentsMargins(8, 4, 8, 4);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("ramBannerText"));
    m_text->setAccessibleName(tr("RAM of this board"));
    m_text->setWordWrap(true);
    m_text->setForegroundRole(QPalette::ToolTipText);
    box->addWidget(m_text, 1);
    m_button = new QPushButton(tr("Set RAM..."), this);
    m_button->setObjectName(QStringLiteral("setRam"));
    // As wide as its longer text: the button changes text without the banner's layout moving.
    m_button->setMinimumWidth(m_button->sizeHint().width() - m_button->fontMetrics().horizontalAdvance(m_button->text())
        + m_button->fontMetrics().horizontalAdvance(tr("Change RAM...")));
    box->addWidget(m_button);
    connect(m_button, &QPushButton::clicked, this, &RamBanner::setRamRequested);
    hide();
}

void RamBanner::showFor(const Analysis& a, bool remembered)
{
    if (!a.layout.memory.empty() || a.layout.file.isEmpty()) {
        hide();
        return;
    }
    if (a.profile.memory.empty()) {
        m_text->setText(tr("The tree gives no RAM (no /memory node with a usable reg): the bootloader fills it in "
                           "at boot, so every region shows as outside RAM. Set the RAM this board has to see the map "
                           "as its kernel will."));
        m_button->setText(tr("Set RAM..."));
    } else {
        QStringList banks;
        for (const auto& m : a.profile.memory)
            banks << tr("%1-%2 (%3)").arg(toHex(m.base), toHex(saturatedEnd(m.base, m.size)), formatSize(m.size));
        m_text->setText(remembered ? tr("RAM %1 as you set it for this board: the tree gives none, the bootloader "
                                        "fills it in.")
                                         .arg(banks.join(QStringLiteral(", ")))
                                   : tr("RAM %1 from the toolbar's Memory field: the tree gives none, the bootloader "
                                        "fills it in.")
                                         .arg(banks.join(QStringLiteral(", "))));
        m_button->setText(tr("Change RAM..."));
    }
    show();
}

QString RamBanner::text() const
{
    return m_text->text();
}

SetRamDialog::SetRamDialog(uint64_t base, uint64_t size, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("setRamDialog"));
    setWindowTitle(tr("Set RAM"));
    auto* form = new QFormLayout(this);
    auto* intro = new QLabel(tr("The RAM the bootloader gives this board. It is remembered for this board file and "
                                "used as the kernel toolbar's Memory."),
        this);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_base = new QLineEdit(toHex(base), this);
    m_base->setObjectName(QStringLiteral("ramBase"));
    m_base->setPlaceholderText(QStringLiteral("0x80000000"));
    m_size = new QLineEdit(size ? formatSize(size).remove(QLatin1Char(' ')) : QString(), this);
    m_size->setObjectName(QStringLiteral("ramSize"));
    m_size->setPlaceholderText(QStringLiteral("2G, 512M, 0x80000000"));
    form->addRow(tr("&Base:"), m_base);
    form->addRow(tr("&Size:"), m_size);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("ramProblem"));
    m_problem->setWordWrap(true);
    form->addRow(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_base, &QLineEdit::textChanged, this, &SetRamDialog::validate);
    connect(m_size, &QLineEdit::textChanged, this, &SetRamDialog::validate);
    validate();
}

QString SetRamDialog::problem() const
{
    const auto base = parseRamValue(m_base->text());
    const auto size = parseRamValue(m_size->text());
    if (!base)
        return tr("The base '%1' is not an address: write 0x80000000, 0x8000_0000 or 2G.").arg(m_base->text());
    if (!size)
        return tr("The size '%1' is not a size: write 2G, 512M or 0x80000000.").arg(m_size->text());
    if (*size == 0)
        return tr("The size must be above zero.");
    if (*size - 1 > UINT64_MAX - *base)
        return tr("%1 + %2 runs past the 64-bit address space.").arg(toHex(*base), formatSize(*size));
    return {};
}

QString SetRamDialog::entry() const
{
    if (!problem().isEmpty())
        return {};
    return toHex(*parseRamValue(m_base->text())) + QLatin1Char('+') + toHex(*parseRamValue(m_size->text()));
}

void SetRamDialog::validate()
{
    const QString p = problem();
    m_problem->setText(p);
    m_problem->setVisible(!p.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

} // namespace carveout::ui
