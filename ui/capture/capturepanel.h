// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"

// Qt
#include <QWidget>

// std
#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace carveout::ui {

class CaptureModel;

/** The Capture dock: what the imported capture shows against the prediction (CaptureModel),
 *  the evidence of the activated row with the capture's file:line, and the fixes there are:
 *  take the bootloader's /memory as the profile's memory (--memory), or add a reservation no
 *  region explains as an early reservation (--reserve). The window applies them. */
class CapturePanel : public QWidget
{
    Q_OBJECT
public:
    explicit CapturePanel(QWidget* parent = nullptr);

    /** A new comparison; the current row stays on what it showed when that is still there. */
    void setResult(
        std::shared_ptr<const capture::CompareResult> result, const QString& captureFile, const QString& header);
    /** Nothing imported, or no board to compare with (`message` says which). */
    void clear(const QString& message);
    /** Makes `row` current and shows its evidence, as activating it does (signals included). */
    void activateRow(int row);
    /** Makes the row of `region` current (map or table selection) without re-selecting it. */
    void showRegion(int region);

    CaptureModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPlainTextEdit* evidence() const { return m_evidence; }
    QLabel* header() const { return m_header; }
    QPushButton* memoryButton() const { return m_useMemory; }
    QPushButton* reserveButton() const { return m_addReserve; }

signals:
    void regionActivated(int region);
    /** A row about something of the capture lane: CaptureMark kind and index in its list. */
    void markActivated(int kind, int index);
    /** A tree difference with a defining source line. */
    void sourceRequested(const QString& file, int line);
    /** "Use the booted /memory": the profile's memory becomes CompareResult::bootedMemory. */
    void useBootedMemoryRequested();
    /** "Add as early reservation" for CompareResult::unexplained[index]. */
    void addReservationRequested(int index);

private:
    void currentChanged(int row);

    CaptureModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QPlainTextEdit* m_evidence = nullptr;
    QLabel* m_header = nullptr;
    QPushButton* m_useMemory = nullptr;
    QPushButton* m_addReserve = nullptr;
};

} // namespace carveout::ui
