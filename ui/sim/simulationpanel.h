// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "kernel/bootmodel.h"
#include "analysis/analysis.h"
#include "model/layout.h"
#include "sim/simulator.h"
#include "source/loader.h"

// Qt
#include <QWidget>

// std
#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressDialog;
class QPushButton;
class QSlider;
class QTabWidget;
class QThread;
class QToolButton;

namespace carveout::ui {

class HeatmapView;
class SimCharts;
class WorkloadPlayer;

/** The simulation workspace: a workload (opened, edited as JSON, saved), the player, the
 *  heatmap and the charts of one pool, the smallest-size search and the exports. The window
 *  hands it every analysed board (also while a region is dragged); it re-runs only the pools
 *  whose geometry changed and keeps the time cursor, so a failure can be watched vanishing. */
class SimulationPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SimulationPanel(QWidget* parent = nullptr);
    ~SimulationPanel() override;

    /** Reads and applies a workload file; on failure the editor shows the text and the error. */
    bool openWorkload(const QString& file);
    /** Parses the editor's text and re-runs; returns the error (empty on success). */
    QString applyText();
    /** Writes the editor's text (atomically; refused when the file changed on disk since it was
     *  read or last saved). Returns the error, empty on success. */
    QString saveWorkload(const QString& file);
    QString workloadFile() const { return m_file; }
    QPlainTextEdit* editor() const { return m_editor; }

    /** The board as analysed; re-runs the simulation (incrementally). `live`: a drag's preview,
     *  not kept. */
    void boardChanged(const LoadedTree& tree, const AnalysisPtr& analysis, bool live = false);

    const sim::SimResult* result() const;
    int watchedPool() const { return m_watched; }
    void setWatchedPool(int pool);
    QComboBox* poolBox() const { return m_poolBox; }
    WorkloadPlayer* player() const { return m_player; }
    HeatmapView* heatmap() const { return m_heatmap; }
    SimCharts* charts() const { return m_charts; }
    /** One line: the watched pool's verdict (and the error, when the workload cannot run). */
    QString statusText() const;
    /** Re-runs of the last board update (0 when nothing changed), for tests and the status. */
    int lastRerunCount() const;

    /** Starts the smallest-size search of the watched pool in a thread, with a progress dialog
     *  that can cancel it; the answer shows under the heatmap with an Apply button. */
    void findMinimumSize();
    bool searching() const { return m_search != nullptr; }
    void cancelSearch();
    /** The last answer (error "cancelled" when it was). */
    const sim::MinSizeResult& minSizeResult() const { return m_minSize; }
    QPushButton* applyButton() const { return m_apply; }
    QProgressDialog* progressDialog() const { return m_progress; }

    QString exportPng(const QString& file);
    QString exportCsv(const QString& file);
    void openDialog();

signals:
    /** Apply the smallest size found: one undoable resize of a Layout region. */
    void resizeRequested(int region, uint64_t size);
    /** A search finished (answer, error or cancel). */
    void searchFinished();
    void statusChanged(const QString& text);

private:
    void buildUi();
    void run(const LoadedTree& tree, const Analysis& analysis);
    void showPool();
    void updatePositionLabel();
    void updateSpeedLabel();
    void minSizeDone(const sim::MinSizeResult& r, const QString& poolPath);
    /** Where the file dialogs start: the workload's folder, else the board's. */
    QString dialogFolder() const;
    void saveAsDialog();
    void exportPngDialog();
    void exportCsvDialog();

    // The board of the last analysis (the workload may change without the board).
    LoadedTree m_tree;
    AnalysisPtr m_analysis;
    bool m_haveBoard = false;

    std::shared_ptr<const sim::Workload> m_workload;
    std::unique_ptr<sim::Simulator> m_sim;
    QString m_file;
    QByteArray m_fileContent; ///< the file as read or last saved (to notice changes on disk)
    int m_watched = -1;
    QString m_watchedPath;

    WorkloadPlayer* m_player = nullptr;
    HeatmapView* m_heatmap = nullptr;
    SimCharts* m_charts = nullptr;
    QTabWidget* m_tabs = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_editorError = nullptr;
    QLabel* m_name = nullptr;
    QComboBox* m_poolBox = nullptr;
    QComboBox* m_colourBox = nullptr;
    QToolButton* m_playButton = nullptr;
    QSlider* m_speed = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_position = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_minSizeLabel = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_minSizeButton = nullptr;

    QThread* m_search = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QProgressDialog* m_progress = nullptr;
    sim::MinSizeResult m_minSize;
    QString m_minSizePath;
    bool m_updatingPools = false;
};

} // namespace carveout::ui
