// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "source/loader.h"

// Qt
#include <QWidget>

class QCheckBox;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace carveout::ui {

/** The Overlays dock's panel: the ordered stack of overlays applied over the board, each one
 *  switched on or off by its check box and marked "run time" or not; Add, Remove, Up and Down.
 *  Every change is one stackChanged() (the window reloads and re-analyses at once). */
class OverlayPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OverlayPanel(QWidget* parent = nullptr);

    /** The overlays switched on, in the order they are applied. */
    QList<OverlayRequest> requests() const;
    /** Appends an overlay (switched on); false when it is in the list already. */
    bool addOverlay(const QString& file, bool runtime = false);
    int count() const;
    QListWidget* list() const { return m_list; }
    QPushButton* removeButton() const { return m_remove; }
    QPushButton* upButton() const { return m_up; }
    QPushButton* downButton() const { return m_down; }
    QCheckBox* runtimeBox() const { return m_runtime; }

    /** Selects row `row` (tests and the window after a move). */
    void selectRow(int row);
    void moveSelected(int by);
    void removeSelected();

signals:
    void stackChanged();
    void addRequested();

private:
    void updateButtons();
    static void describe(QListWidgetItem* item);

    QListWidget* m_list = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_up = nullptr;
    QPushButton* m_down = nullptr;
    QCheckBox* m_runtime = nullptr;
    bool m_quiet = false; ///< while the panel itself changes items
};

} // namespace carveout::ui
