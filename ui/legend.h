// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapstyle.h"

// Qt
#include <QWidget>

// std
#include <vector>

class QGridLayout;
class QLabel;

namespace carveout::ui {

/** The legend of the map's colours, hatching and marks: one row per style::legend() entry, its
 *  swatch painted by style::paintSwatch (the painters' own table, so the legend cannot disagree
 *  with the picture), its name and what it means. Follows palette changes (dark palettes). */
class Legend : public QWidget
{
    Q_OBJECT
public:
    explicit Legend(QWidget* parent = nullptr);
    /** The entries shown, in order. */
    const std::vector<style::LegendEntry>& entries() const { return m_entries; }
    /** The swatch label of entry i (its pixmap is the painted swatch). */
    QLabel* swatch(int i) const { return m_swatches.at(size_t(i)); }
    /** Lists the overlay corner flags too (style::legend's `overlays`), for a board opened with
     *  an overlay stack. */
    void setOverlays(bool overlays);
    bool overlays() const { return m_overlays; }
    static constexpr int kSwatchWidth = 40; ///< room for the two findings badges
    static constexpr int kSwatchHeight = 16;

protected:
    void changeEvent(QEvent* e) override;

private:
    void rebuild();
    QGridLayout* m_grid = nullptr;
    std::vector<style::LegendEntry> m_entries;
    std::vector<QLabel*> m_swatches;
    bool m_overlays = false;
};

} // namespace carveout::ui
