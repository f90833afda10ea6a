// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profileoptions.h"

// Qt
#include <QObject>

// std
#include <functional>

class QComboBox;
class QLineEdit;
class QWidget;

namespace carveout::ui {

/** The kernel a board is analysed under, as the user picks it: profile, kernel, arch, page size,
 *  command line, memory, early reservations and the boot chain (DT or EFI, the EFI memory map,
 *  the bootloader's placements). One implementation for the main window's kernel
 *  toolbar and side B of the Compare window: its labels and fields are handed to `add` (a
 *  toolbar's addWidget, a layout's), owned by `owner`, with the object names the tests find
 *  them by; with `addBootChain`, what the bootloader decides (Memory, Reserve, Boot, EFI map,
 *  Loads) goes there instead (the main window's second toolbar row: one row of eleven fields
 *  squeezed them at 1400 px). Emits changed() when the user changes a value (a field: when
 *  editing finishes). */
class KernelBar : public QObject
{
    Q_OBJECT
public:
    KernelBar(QWidget* owner, const std::function<void(QWidget*)>& add,
        const std::function<void(QWidget*)>& addBootChain = {});

    ProfileRequest request() const;
    /** Shows `r` without emitting changed(). A kernel release no entry names is added (a
     *  capture's exact release). */
    void setRequest(const ProfileRequest& r);
    /** Sets the Memory or Reserve field (BASE+SIZE entries) without emitting changed(). */
    void setMemory(const QStringList& entries);
    void setReserve(const QStringList& entries);

    /** The kernel, arch and page-size fields that contradict the chosen named profile (object
     *  names), as marked on the bar; empty when they agree. */
    QStringList contradictions() const;

signals:
    void changed();
    /** A sentence for the status bar: how a choice was reconciled with the profile. */
    void explained(const QString& sentence);

private:
    /** A field the user set contradicts the named profile: the profile becomes the named one
     *  matching the fields, if any (the fields then go back to "profile's"). Returns what to tell the user. */
    QString fieldPicked();
    /** A profile the user picked: the fields that contradict it go back to "profile's"; what to tell. */
    QString profilePicked();
    /** Marks the fields that still contradict the profile, with a tooltip saying what is used. */
    void updateMarks();

    QComboBox* m_profile = nullptr;
    QComboBox* m_kernel = nullptr;
    QComboBox* m_arch = nullptr;
    QComboBox* m_page = nullptr;
    QLineEdit* m_cmdline = nullptr;
    QLineEdit* m_memory = nullptr;
    QLineEdit* m_reserve = nullptr;
    QComboBox* m_boot = nullptr;
    QLineEdit* m_efiMap = nullptr;
    QLineEdit* m_loads = nullptr;
    bool m_setting = false; ///< setRequest is filling the boxes: their signals are not the user's
};

} // namespace carveout::ui
