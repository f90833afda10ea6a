// SPDX-License-Identifier: GPL-2.0-only
// The main window's edits beyond the map: the Region panel's Base field and memory-region entry
// edits (each one undo command), and File > Save As. Kept out of mainwindow.cpp.
#include "mainwindow.h"

// ui
#include "addressmap.h"
#include "kernelbar.h"
#include "propertypanel.h"

// core
#include "edit/patcher.h"
#include "edit/safesave.h"
#include "edit/verify.h"
#include "model/sourcelocation.h"
#include "model/units.h"

// Qt
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

namespace carveout::ui {

void MainWindow::addSaveAs(QMenu* fileMenu)
{
    QAction* a = fileMenu->addAction(tr("Save &as..."), QKeySequence::SaveAs, this, &MainWindow::saveAsDialog);
    a->setObjectName(QStringLiteral("saveAs"));
    a->setStatusTip(tr("Write the edited board as a new .dts beside the original (its includes unchanged)"));
}

void MainWindow::connectEditing()
{
    connect(m_panel, &PropertyPanel::baseRequested, this, [this](const QString& path, const QString& text) {
        const auto base = parseSize(QStringView(text));
        if (!base) {
            statusBar()->showMessage(
                tr("'%1' is not a base address: type hex (0x96200000) or a size with units (2402M)").arg(text), 10000);
            refreshPanel(); // the field shows the base again
            return;
        }
        applyEdit(tr("Set base of %1").arg(path), [&](EditDocument& d) { return d.move(path, *base); });
    });
    connect(m_panel, &PropertyPanel::removeEntryRequested, this, [this](const QString& device, int index) {
        applyEdit(tr("Remove memory-region entry %1 of %2").arg(index).arg(device),
            [&](EditDocument& d) { return d.removeEntry(device, index); });
    });
    connect(m_panel, &PropertyPanel::retargetRequested, this,
        [this](const QString& device, int index, const QString& region) {
            applyEdit(tr("Point memory-region entry %1 of %2 at %3").arg(index).arg(device, region),
                [&](EditDocument& d) { return d.retarget(device, index, region); });
        });
}

QString MainWindow::saveBoardAs(const QString& target)
{
    // A board is a .dts and the .dtsi files it includes, found from its folder: the new board is
    // the patched .dts under the new name in the same folder, every edit written into it as an
    // override, the includes shared and unchanged.
    if (!m_doc)
        return tr("no board is open");
    const LoadedTree& loaded = m_doc->original();
    if (loaded.fromDtb)
        return tr("%1 is a DTB: File > Export DTB writes the edited tree as a new one").arg(m_file);
    const QFileInfo to(target);
    const QString board = loaded.absoluteFile;
    const QString folder = QFileInfo(board).absolutePath();
    if (QDir(to.absolutePath()).canonicalPath() != QDir(folder).canonicalPath())
        return tr("Save As writes the board beside %1, whose includes are found from its folder: choose a name in %2")
            .arg(QFileInfo(board).fileName(), displayPath(folder));
    const QString canonicalTarget = to.exists() ? to.canonicalFilePath() : to.absoluteFilePath();
    if (canonicalTarget == QFileInfo(board).canonicalFilePath())
        return tr("%1 is the board itself: use File > Save changes").arg(to.fileName());
    for (const QString& source : loaded.sourceFiles) {
        if (QFileInfo(source).canonicalFilePath() == canonicalTarget)
            return tr("%1 is one of the board's sources; a new name keeps it intact").arg(to.fileName());
    }
    EditDocument doc = *m_doc;
    PatchPolicy policy = doc.policy();
    policy.patchShared = false; // the includes stay as they are
    doc.setPolicy(policy);
    SourcePatch patch = makePatch(doc);
    if (!patch.ok())
        return patch.error;
    for (auto it = patch.patched.cbegin(); it != patch.patched.cend(); ++it) {
        if (it.key() != board)
            return tr("the edits cannot all be written into %1 (%2 would change); nothing was written")
                .arg(QFileInfo(board).fileName(), displayPath(it.key()));
    }
    QFile current(board);
    if (!current.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(displayPath(board), current.errorString());
    const QByteArray onDisk = current.readAll();
    // The new text is made from the board as loaded: a board changed since would be lost.
    if (sourceDigest(onDisk) != loaded.sourceDigests.value(board, sourceDigest(onDisk))
        || (patch.original.contains(board) && patch.original.value(board) != onDisk))
        return tr("%1 changed on disk since it was loaded; nothing was written. Reload the board first.")
            .arg(displayPath(board));
    const QByteArray text = patch.patched.value(board, onDisk);
    Diagnostics errors;
    if (const QString e = checkPatch(doc, patch, &errors); !e.isEmpty())
        return errors.isEmpty() ? tr("%1; nothing was written.").arg(e)
                                : tr("%1; nothing was written: %2").arg(e, errors.first().toString());
    if (const QString e = writeFileAtomically(to.absoluteFilePath(), text); !e.isEmpty())
        return e;
    const int selected = m_map->selectedRegion();
    if (!openFile(to.absoluteFilePath()))
        return tr("%1 was written but does not load again; see the messages").arg(displayPath(target));
    m_map->setSelectedRegion(selected);
    refreshPanel();
    statusBar()->showMessage(tr("Saved the edited board as %1 (%2 unchanged)")
                                 .arg(displayPath(to.absoluteFilePath()), QFileInfo(board).fileName()),
        10000);
    return {};
}

void MainWindow::saveAsDialog()
{
    if (!m_doc)
        return;
    const QFileInfo board(m_doc->original().absoluteFile);
    const QString file = QFileDialog::getSaveFileName(this, tr("Save board as"),
        board.absoluteDir().filePath(board.completeBaseName() + QStringLiteral("-edited.dts")),
        tr("Device tree sources (*.dts)"));
    if (file.isEmpty())
        return;
    if (const QString e = saveBoardAs(file); !e.isEmpty())
        QMessageBox::critical(this, tr("Not saved"), e);
}

} // namespace carveout::ui
