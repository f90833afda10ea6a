// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "export/pictureexport.h"

// Qt
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace carveout::ui {

/** File > Export picture...: where, which view, how large, and whether the whole board or the
 *  addresses the map shows now. Accepting checks the fields; the window writes the file. */
class PictureDialog : public QDialog
{
    Q_OBJECT
public:
    PictureDialog(const QString& file, PictureView view, QSize size, QWidget* parent = nullptr);

    QString file() const;
    PictureView view() const;
    QSize pictureSize() const;
    bool asShown() const;

    void accept() override;

private:
    QLineEdit* m_file = nullptr;
    QComboBox* m_view = nullptr;
    QLineEdit* m_size = nullptr;
    QComboBox* m_range = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace carveout::ui
