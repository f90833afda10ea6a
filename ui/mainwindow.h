// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "rules/rules.h"

// Qt
#include <QMainWindow>

class QLabel;
class QTableWidget;
class QPlainTextEdit;

namespace carveout::ui {

/** The main window. For now: the board's regions in a table, the memory summary and the
 *  messages from loading; the address map and editing come with the GUI workspace issue. */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    /** Loads a board; on failure the messages are shown in the window and false is returned. */
    bool openFile(const QString& file);
    const Layout& layout() const { return m_layout; }
    const CheckResult& findings() const { return m_check; }
    const KernelProfile& profile() const { return m_profile; }

private:
    void openDialog();
    void showLayout();

    Layout m_layout;
    KernelProfile m_profile;
    BootResult m_boot;
    CheckResult m_check;
    QLabel* m_summary = nullptr;
    QTableWidget* m_regions = nullptr;
    QPlainTextEdit* m_messages = nullptr;
};

} // namespace carveout::ui
