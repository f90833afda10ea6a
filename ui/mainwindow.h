// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "capture/capturesession.h"
#include "export/pictureexport.h"

// core
#include "analysis/analysis.h"
#include "edit/editdocument.h"
#include "edit/patcher.h"
#include "kernel/bootmodel.h"
#include "kernel/profileoptions.h"
#include "kernel/profile.h"
#include "model/layout.h"
#include "rules/rules.h"

// Qt
#include <QElapsedTimer>
#include <QMainWindow>

// std
#include <functional>
#include <memory>

class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QPrinter;
class QSortFilterProxyModel;
class QTableView;
class QUndoStack;

namespace carveout::ui {

class AddressMap;
struct MapData;
class CapturePanel;
class CompareWindow;
class KernelBar;
class PropertyPanel;
class SimulationPanel;
class WindowConventions;
class Navigator;
class WindowDiagram;
class WindowFreeSpace;
class WindowOverlays;
class FindingsModel;
class RegionTableModel;

/** The main window: the address map over the regions table (one selection), the findings and
 *  the load messages or source lines, the Region panel and the Simulation dock, the profile
 *  toolbar and the status bar's memory totals. Every edit (map drags and nudges, the panel)
 *  is an undo command on the edit document; a change re-runs layout, boot model and rules,
 *  and a drag does so on every mouse move. */
class MainWindow : public QMainWindow
{
    Q_OBJECT
    friend class WindowConventions; // the desktop conventions, kept out of this file
    friend class Navigator; // go to / find, the bootloader's RAM, source paths (ui/navigate)
    friend class WindowDiagram; // the diagram view and the region menus, likewise
    friend class WindowFreeSpace; // the free space and the legend, kept out of this file
    friend class WindowOverlays; // the overlay stack (ui/overlay), likewise

public:
    explicit MainWindow(QWidget* parent = nullptr);

    /** Loads a board; on failure the messages are shown in the window and false is returned. */
    bool openFile(const QString& file);
    const Layout& layout() const { return m_analysis->layout; }
    /** What the window shows: the document's analysis, or a drag's preview while the mouse moves. */
    const AnalysisPtr& analysis() const { return m_analysis; }
    const CheckResult& findings() const { return m_analysis->check; }
    const KernelProfile& profile() const { return m_profile; }
    AddressMap* addressMap() const { return m_map; }
    WindowDiagram* diagram() const { return m_diagram; }
    PropertyPanel* propertyPanel() const { return m_panel; }
    SimulationPanel* simulationPanel() const { return m_simPanel; }
    /** Opens a workload in the simulation panel (runs it on the open board). */
    bool openWorkload(const QString& file);
    QUndoStack* undoStack() const { return m_undo; }
    /** The document being edited (null before a board is open). */
    const EditDocument* document() const { return m_doc.get(); }

    /** Writes a patch after checking that the patched sources compile to the edited tree, then
     *  reloads the board. Returns an error sentence, or empty on success. */
    QString writePatch(const SourcePatch& patch);
    /** Compiles the board as edited into a DTB at `path`; refused while error-level findings
     *  remain unless `force`. Returns an error sentence, or empty on success. */
    QString exportDtb(const QString& path, bool force);
    /** File > Save As: writes the edited board as a new .dts beside the original (every edit as an
     *  override in it, the includes unchanged), after the same compile check as Save, and opens
     *  it. Refused for another folder or a name of the board's sources. Error sentence or empty. */
    QString saveBoardAs(const QString& file);

    /** The profile request the toolbar holds (empty fields: from the tree / defaults). */
    ProfileRequest profileRequest() const;
    /** Sets the toolbar and re-checks the open board with the new profile. */
    void setProfileRequest(const ProfileRequest& request);
    QStringList recentFiles() const;
    /** The text of the messages pane: a failed load's messages, or the source shown. */
    QString messagesText() const;
    /** The toolbar's extra include folders (-I), for the next load. */
    void setIncludeFolders(const QStringList& dirs);

    /** Imports a capture of the board (bundle, kernel log or /proc/iomem, detected from the
     *  content): the profile takes what the capture shows (the toolbar follows, except for what
     *  the user sets after the import), and every analysis is compared with it. Returns the
     *  reader's sentence on failure (nothing changes then). */
    QString importCapture(const QString& file);
    void clearCapture();
    /** The comparison of what is shown with the capture (null without a capture or a board). */
    const capture::CompareResult* comparison() const { return m_compare.get(); }
    CapturePanel* capturePanel() const { return m_capturePanel; }
    WindowOverlays* overlays() const { return m_overlays; }
    /** View > Compare with...: the Compare window (side A: this window's board), made on first use. */
    CompareWindow* compareWindow();

    /** Writes a picture of the open board (SVG or PNG by the suffix) drawn by `view` at `size`:
     *  the whole board, or (`asShown`) the addresses the map shows now. Error sentence or empty. */
    QString renderPicture(const QString& file, PictureView view, QSize size, bool asShown = false) const;
    /** Prints `view` of the open board on the printer's page. Error sentence or empty. */
    QString printView(QPrinter& printer, PictureView view) const;
    /** The view the map area shows now (the picture File > Export picture... and Print take). */
    PictureView currentPictureView() const;
    /** Shows the map or the diagram in the map area (as View > Diagram does). */
    void showPictureView(PictureView view);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void openDialog();
    void importCaptureDialog();
    /** The Capture dock, File > Import capture and Clear capture, the status bar's counts. */
    void buildCaptureDock(QMenu* fileMenu);
    /** Applies a fix of the Capture dock through the toolbar (its field is the way back). */
    void useBootedMemory();
    void addEarlyReservation(int unexplained);
    /** The toolbar's profile for `board`, with the capture's over it; error sentence or empty. */
    QString resolveWindowProfile(const LoadedTree* board, KernelProfile* out);
    void showComparison(const AnalysisPtr& analysis, const LoadedTree& tree, bool live, MapData* mapData);
    void buildCompareAction(QMenu* viewMenu);
    /** File > Export picture... and File > Print... (ui/export/windowexport.cpp). */
    void buildPictureActions(QMenu* fileMenu);
    void exportPictureDialog();
    /** Hands the shown analysis to the Compare window as its side A (while it is shown). */
    void updateCompare();
    bool save();
    // ui/edit/windowediting.cpp: the panel's base and memory-region entry edits, Save As.
    void addSaveAs(QMenu* fileMenu);
    void connectEditing();
    void saveAsDialog();
    void exportDialog();
    /** Asks to save unsaved edits; false when the user cancels. */
    bool maybeSave();
    void buildToolBar();
    /** Re-resolves the profile from the toolbar and re-runs the analysis. */
    void profileChanged();
    void rememberFile(const QString& file);
    /** Applies `op` to a copy of the document and pushes it as one undo command. */
    void applyEdit(const QString& text, const std::function<QString(EditDocument&)>& op);
    void refreshPanel();
    void updateRecentMenu();
    void showLayout();
    void selectRegion(int region);
    /** Shows the source around file:line, read-only, with the line marked. */
    void showSource(const QString& file, int line);
    /** Analyses a tree under the window's profile and shows the result (see show()). */
    void analyse(const LoadedTree& tree, bool live = false);
    /** Shows an analysis of `tree`. While dragging (`live`), the map, the findings and the status
     *  follow; the regions table and the panel catch up when the drag ends. */
    void showAnalysis(const AnalysisPtr& analysis, const LoadedTree& tree, bool live);
    /** Applies a move/resize to the preview's copy of the working tree; error sentence or empty. */
    QString stageGeometry(int region, uint64_t base, uint64_t size);
    void previewEdit(int region, uint64_t base, uint64_t size);
    /** Pushes one undo command; keyboard nudges of one region merge into one. */
    void commitEdit(int region, uint64_t base, uint64_t size, bool nudge);
    /** Applies a move/resize to `doc`; returns an error sentence or empty. */
    QString applyGeometry(EditDocument& doc, int region, uint64_t base, uint64_t size) const;

    KernelProfile m_profile;
    AnalysisPtr m_analysis
        = std::make_shared<const Analysis>(); ///< what is shown (a drag's preview while the mouse moves)
    AnalysisPtr m_committed = m_analysis; ///< the analysis of the document's working tree
    /// A drag's preview: the document's working tree with the geometry the mouse asks for, its
    /// analysis and that geometry (releasing the mouse on it keeps them instead of analysing again).
    struct Preview
    {
        std::unique_ptr<EditDocument> doc; ///< copied once per document state, not per mouse move
        AnalysisPtr analysis;
        int region = -1;
        uint64_t base = 0, size = 0;
        bool valid = false;
    } m_preview;
    QLabel* m_summary = nullptr;
    QTableView* m_regions = nullptr;
    RegionTableModel* m_regionModel = nullptr;
    QSortFilterProxyModel* m_regionProxy = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_findingsView = nullptr;
    FindingsModel* m_findingsModel = nullptr;
    QPlainTextEdit* m_messages = nullptr; ///< load messages, or the source around a finding
    AddressMap* m_map = nullptr;
    QUndoStack* m_undo = nullptr;
    std::unique_ptr<EditDocument> m_doc;
    QString m_file;
    QStringList m_loadNotes;
    KernelBar* m_kernelBar = nullptr; ///< the kernel toolbar's profile fields
    QLineEdit* m_includes = nullptr;
    ProfileRequest m_lastRequest; ///< what the toolbar held before the user's last change
    CaptureSession m_capture;
    QStringList m_captureNotes; ///< where the capture's profile values came from
    std::shared_ptr<const capture::CompareResult> m_compare;
    QElapsedTimer m_liveCompared; ///< when a drag last compared (invalid: not in a drag)
    CapturePanel* m_capturePanel = nullptr;
    QDockWidget* m_captureDock = nullptr;
    CompareWindow* m_compareWindow = nullptr;
    QLabel* m_captureCounts = nullptr;
    QAction* m_clearCapture = nullptr;
    QMenu* m_recentMenu = nullptr;
    PropertyPanel* m_panel = nullptr;
    SimulationPanel* m_simPanel = nullptr;
    QDockWidget* m_simDock = nullptr;
    WindowConventions* m_conventions = nullptr;
    Navigator* m_navigator = nullptr;
    WindowDiagram* m_diagram = nullptr;
    WindowFreeSpace* m_freeSpace = nullptr;
    WindowOverlays* m_overlays = nullptr;
};

} // namespace carveout::ui
