// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/editdocument.h"
#include "edit/patcher.h"

// Qt
#include <QDialog>

class QCheckBox;
class QLabel;
class QPlainTextEdit;

namespace carveout::ui {

/** Shows what a save would write: the unified diff of every changed file and the notes
 *  (macros replaced, overrides written), with the choice between overrides in the board file and
 *  patching shared .dtsi files. Accepting means "write exactly this". */
class SaveDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SaveDialog(EditDocument& doc, QWidget* parent = nullptr);

    const SourcePatch& patch() const { return m_patch; }
    QString diffText() const;

private:
    void recompute();

    EditDocument& m_doc;
    SourcePatch m_patch;
    QCheckBox* m_patchShared = nullptr;
    QPlainTextEdit* m_diff = nullptr;
    QLabel* m_notes = nullptr;
};

} // namespace carveout::ui
