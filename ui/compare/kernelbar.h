// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/profileoptions.h"

// Qt
#include <QWidget>

class QComboBox;
class QLineEdit;

namespace carveout::ui {

/** The kernel a side of the Compare window is analysed under: profile, kernel, arch, page size,
 *  command line and memory, as the main window's kernel toolbar offers them (the same object
 *  names, so a test drives both alike). Emits changed() when the user changes a value. */
class KernelBar : public QWidget
{
    Q_OBJECT
public:
    explicit KernelBar(QWidget* parent = nullptr);

    ProfileRequest request() const;
    /** Shows `r` without emitting changed(). A kernel release no entry names is added. */
    void setRequest(const ProfileRequest& r);

signals:
    void changed();

private:
    QComboBox* m_profile = nullptr;
    QComboBox* m_kernel = nullptr;
    QComboBox* m_arch = nullptr;
    QComboBox* m_page = nullptr;
    QLineEdit* m_cmdline = nullptr;
    QLineEdit* m_memory = nullptr;
    bool m_setting = false;
};

} // namespace carveout::ui
