// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// ui
#include "mapgeometry.h"

// Qt
#include <QPalette>
#include <QSize>
#include <QString>

// std
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

class QPrinter;
class QWidget;

namespace carveout::ui {

/** Which picture of the board: the to-scale map or the memory-map diagram. */
enum class PictureView { Map, Diagram };

/** "map" / "diagram" and back (nullopt: neither). */
QString pictureViewName(PictureView v);
std::optional<PictureView> pictureViewFromName(const QString& name);

/** What to draw: which view, how large, which addresses (none: the whole board) and in which
 *  palette (the window's, or a dark one for docs). */
struct PictureRequest
{
    PictureView view = PictureView::Map;
    QSize size { 1600, 600 };
    std::optional<std::pair<uint64_t, uint64_t>> range; ///< [base, end) shown, else everything
    QPalette palette;
    std::optional<int> diagramDetail; ///< DiagramLayout::Detail; none: the diagram's default
};

/** Makes a view of `data` that has not been shown, laid out at the request's size. The
 *  pictures are drawn by the very widgets the window shows (through QWidget::render; the
 *  diagram by its paintTo, which draws the whole diagram), so an exported map is what the user
 *  saw, at any size. */
std::unique_ptr<QWidget> makePictureView(const MapData& data, const PictureRequest& request);

/** Writes the picture to `file`: SVG for .svg, PNG for .png (by the suffix, case-insensitive).
 *  The file is replaced at once or not at all. Returns an error sentence, or empty. */
QString writePicture(const MapData& data, const PictureRequest& request, const QString& file);

/** Draws the picture on the printer's page (the view laid out at the page's size in points, so
 *  text keeps its size on paper). Returns an error sentence, or empty. */
QString printPicture(const MapData& data, PictureRequest request, QPrinter& printer);

/** "1600x600" → size; invalid (empty) when not understood or outside 16..20000 pixels. */
QSize parsePictureSize(const QString& text);

} // namespace carveout::ui
