// SPDX-License-Identifier: GPL-2.0-only
#include "gotobar.h"

// Qt
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace carveout::ui {

GotoBar::GotoBar(std::function<GotoResult(const QString&)> search, QWidget* parent)
    : QFrame(parent)
    , m_search(std::move(search))
{
    setObjectName(QStringLiteral("gotoBar"));
    setFrameShape(QFrame::StyledPanel);
    auto* box = new QHBoxLayout(this);
    box->setContentsMargins(6, 2, 6, 2);
    auto* label = new QLabel(tr("&Go to:"), this);
    box->addWidget(label);
    m_input = new QLineEdit(this);
    m_input->setObjectName(QStringLiteral("gotoInput"));
    m_input->setPlaceholderText(tr("0x80000000, 0x80000000+16M, a region, label or device"));
    m_input->setClearButtonEnabled(true);
    m_input->setMinimumWidth(260);
    m_input->setAccessibleName(tr("Go to an address, a range, a region, a label or a device"));
    label->setBuddy(m_input);
    box->addWidget(m_input, 2);
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        connect(b, &QToolButton::clicked, this, slot);
        box->addWidget(b);
        return b;
    };
    button(tr("Previous"), tr("Previous match (Shift+F3)"), &GotoBar::previous);
    button(tr("Next"), tr("Next match (Enter, F3)"), &GotoBar::next);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("gotoStatus"));
    m_status->setAccessibleName(tr("Go to result"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long error never widens the window
    box->addWidget(m_status, 3);
    button(tr("Close"), tr("Close the bar (Escape)"), &QWidget::hide)->setObjectName(QStringLiteral("gotoClose"));
    connect(m_input, &QLineEdit::returnPressed, this, &GotoBar::next);
    connect(m_input, &QLineEdit::textEdited, this, [this] { m_status->clear(); });
}

void GotoBar::open()
{
    show();
    m_input->setFocus(Qt::ShortcutFocusReason);
    m_input->selectAll();
}

bool GotoBar::refresh()
{
    const QString text = m_input->text();
    if (m_stale || text != m_searched) {
        m_result = m_search(text);
        m_searched = text;
        m_index = -1;
        m_stale = false;
    }
    return !m_result.targets.empty();
}

void GotoBar::next()
{
    step(1);
}

void GotoBar::previous()
{
    step(-1);
}

void GotoBar::step(int delta)
{
    if (!refresh()) {
        showStatus();
        return;
    }
    const int n = int(m_result.targets.size());
    m_index = m_index < 0 ? (delta > 0 ? 0 : n - 1) : ((m_index + delta) % n + n) % n;
    showStatus();
    emit goToRequested(m_result.targets[size_t(m_index)]);
}

void GotoBar::showStatus()
{
    // The first sentence fits beside the line; what to type instead is in the tooltip.
    const QString text = statusText();
    const qsizetype stop = text.indexOf(QLatin1String(". "));
    m_status->setText(stop < 0 ? text : text.left(stop + 1));
    m_status->setToolTip(text);
}

QString GotoBar::statusText() const
{
    if (!m_result.ok())
        return m_result.error;
    if (m_index < 0)
        return {};
    return tr("%1 of %2: %3").arg(m_index + 1).arg(m_result.targets.size()).arg(m_result.targets[size_t(m_index)].why);
}

void GotoBar::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        if (parentWidget())
            parentWidget()->setFocus();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace carveout::ui
