// SPDX-License-Identifier: GPL-2.0-only
#include "savedialog.h"

// core
#include "source/loader.h"

// Qt
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace carveout::ui {

SaveDialog::SaveDialog(EditDocument& doc, QWidget* parent)
    : QDialog(parent)
    , m_doc(doc)
{
    setWindowTitle(tr("Save changes"));
    resize(900, 640);
    auto* layout = new QVBoxLayout(this);
    m_patchShared
        = new QCheckBox(tr("Patch shared .dtsi files in place (otherwise: overrides in the board file)"), this);
    m_patchShared->setChecked(doc.policy().patchShared);
    connect(m_patchShared, &QCheckBox::toggled, this, &SaveDialog::recompute);
    layout->addWidget(m_patchShared);
    m_diff = new QPlainTextEdit(this);
    m_diff->setObjectName(QStringLiteral("diff"));
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_diff, 1);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_notes);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    recompute();
    buttons->button(QDialogButtonBox::Save)->setEnabled(m_patch.ok() && !m_patch.patched.isEmpty());
    connect(m_patchShared, &QCheckBox::toggled, this, [this, buttons] {
        buttons->button(QDialogButtonBox::Save)->setEnabled(m_patch.ok() && !m_patch.patched.isEmpty());
    });
}

void SaveDialog::recompute()
{
    PatchPolicy policy = m_doc.policy();
    policy.patchShared = m_patchShared->isChecked();
    m_doc.setPolicy(policy);
    m_patch = makePatch(m_doc);
    m_diff->setPlainText(diffText());
    QStringList notes = m_doc.notes();
    notes += m_patch.notes;
    if (!m_patch.ok())
        notes.prepend(tr("Cannot save: %1").arg(m_patch.error));
    else if (m_patch.patched.isEmpty())
        notes.prepend(tr("The edits change no source text."));
    m_notes->setText(notes.join(QLatin1Char('\n')));
}

QString SaveDialog::diffText() const
{
    QString out;
    for (auto it = m_patch.patched.begin(); it != m_patch.patched.end(); ++it)
        out += QString::fromUtf8(unifiedDiff(displayPath(it.key()), m_patch.original.value(it.key()), it.value()));
    return out;
}

} // namespace carveout::ui
