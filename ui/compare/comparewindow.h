// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "addressmap.h"

// core
#include "analysis/analysis.h"
#include "kernel/profile.h"
#include "kernel/profileoptions.h"
#include "model/devicetree.h"
#include "source/loader.h"
#include "variants/diff.h"

// Qt
#include <QMainWindow>

// std
#include <memory>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace carveout::ui {

class KernelBar;

/** An address map that outlines the regions a comparison found changed, and says when its view
 *  (zoom, pan) changed, so the Compare window keeps its two maps on one view. */
class CompareMap : public AddressMap
{
    Q_OBJECT
public:
    using AddressMap::AddressMap;
    /** Regions to outline, with the change word drawn over each (Layout::regions indexes). */
    void setChanged(std::vector<std::pair<int, QString>> changed);
    const std::vector<std::pair<int, QString>>& changed() const { return m_changed; }
    /** Takes the partner's view when it differs from this one's. */
    void followView(double zoom, double offset);
    static QColor highlightColor();

signals:
    void viewChanged(double zoom, double offset);

protected:
    void paintEvent(QPaintEvent* e) override;

private:
    std::vector<std::pair<int, QString>> m_changed;
    double m_zoom = -1, m_offset = -1; ///< the view last painted
};

/** View > Compare with...: the board the main window shows (A, as edited, under the window's
 *  profile) above another board or the same board under another profile (B, with a kernel bar
 *  of its own that re-analyses live), both maps on one address scale and one view, the regions
 *  that differ outlined on both, and the list of differences (regions, findings gained and
 *  lost, the RAM summary) that `carveout-cli diff` gives. Choosing a difference selects the
 *  region on both maps and brings it into view. */
class CompareWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit CompareWindow(QWidget* parent = nullptr);

    /** Side A: the main window's board and analysis. When B is the same board, B follows A's
     *  tree (its edits) under B's own profile. */
    void setSideA(
        const QString& file, const LoadedTree& tree, const AnalysisPtr& analysis, const ProfileRequest& request);
    /** Side B: another board (loaded with `options`); an empty file: A's board. Returns the
     *  loader's messages on failure (B is left as it was). */
    QString setBoardB(const QString& file, const LoadOptions& options = {});
    /** Sets B's kernel bar and re-analyses B. */
    void setRequestB(const ProfileRequest& request);

    const variants::LayoutDiff& difference() const { return m_diff; }
    const AnalysisPtr& analysisA() const { return m_a; }
    const AnalysisPtr& analysisB() const { return m_b; }
    CompareMap* mapA() const { return m_mapA; }
    CompareMap* mapB() const { return m_mapB; }
    /** The row that holds B's kernel bar (its boxes and fields, by the toolbar's object names). */
    QWidget* kernelBarB() const { return m_barRowB; }
    QTreeWidget* differences() const { return m_list; }
    /** The sentence over the list: the count of differences, or why B could not be analysed. */
    QString statusText() const;

private:
    void openBoardB();
    void analyseB();
    void refresh();
    void fillList();
    void showDifference(QTreeWidgetItem* item);
    /** The list's row of region `region` of side A (or B), or null when it did not change. */
    QTreeWidgetItem* differenceRow(bool onA, int region) const;

    QString m_fileA, m_fileB; ///< m_fileB empty: A's board
    LoadedTree m_treeA;
    std::shared_ptr<const LoadedTree> m_otherB; ///< B's own board (null: A's)
    AnalysisPtr m_a, m_b;
    variants::LayoutDiff m_diff;
    CompareMap* m_mapA = nullptr;
    CompareMap* m_mapB = nullptr;
    QLabel* m_titleA = nullptr;
    QLabel* m_titleB = nullptr;
    QLabel* m_status = nullptr;
    KernelBar* m_barB = nullptr;
    QWidget* m_barRowB = nullptr;
    QTreeWidget* m_list = nullptr;
};

} // namespace carveout::ui
