// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QDialog>
#include <QFrame>

// std
#include <cstdint>
#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace carveout {
struct Analysis;
}

namespace carveout::ui {

/** The banner above the map for a board whose tree gives no RAM (no usable /memory reg: the
 *  bootloader fills it in at boot), in the manner of KMessageWidget: a framed sentence and a
 *  "Set RAM..." button. Hidden for boards that have RAM in the tree. */
class RamBanner : public QFrame
{
    Q_OBJECT
public:
    explicit RamBanner(QWidget* parent = nullptr);
    /** Shows the banner when `analysis`'s tree has no memory bank; `remembered`: the RAM shown is
     *  the one the user set for this board file. */
    void showFor(const Analysis& analysis, bool remembered);
    QString text() const;

signals:
    void setRamRequested();

private:
    QLabel* m_text = nullptr;
    QPushButton* m_button = nullptr;
};

/** Base and size of a board's RAM, as the bootloader would give it: both accept the units of
 *  the rest of Carveout (0x80000000, 0x8000_0000, 2G, 512MiB); OK is enabled only for a size
 *  above zero that stays inside the 64-bit address space, and the reason is said otherwise. */
class SetRamDialog : public QDialog
{
    Q_OBJECT
public:
    SetRamDialog(uint64_t base, uint64_t size, QWidget* parent = nullptr);
    /** The RAM as the kernel toolbar's Memory entry (BASE+SIZE), or empty while invalid. */
    QString entry() const;
    QLineEdit* baseField() const { return m_base; }
    QLineEdit* sizeField() const { return m_size; }
    QString problem() const;

private:
    void validate();

    QLineEdit* m_base = nullptr;
    QLineEdit* m_size = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

/** A size or address as the dialog reads it (parseSize, with "_" digit groups); nothing if bad. */
std::optional<uint64_t> parseRamValue(const QString& text);

} // namespace carveout::ui
