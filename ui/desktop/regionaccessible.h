// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QRectF>
#include <QString>

// std
#include <functional>

class QWidget;

namespace carveout::ui {

/** What a custom-painted view of regions tells a screen reader: how many regions it draws and,
 *  for each, its name, a description (base, size, kind, outcome), where it is drawn and whether
 *  it is selected. A view hands these callbacks to installRegionAccessibility(); the address map
 *  does, and the diagram can, without writing an accessible interface of its own. */
struct AccessibleRegions
{
    std::function<int()> count;
    std::function<QString(int)> name;
    std::function<QString(int)> description;
    std::function<QRectF(int)> rect; ///< in the view's coordinates; empty: not drawn
    std::function<bool(int)> selected;
    std::function<void(int)> select; ///< optional: the reader's "select" action
};

/** Makes QAccessible::queryAccessibleInterface(view) a list whose children are the regions
 *  (role ListItem, Name and Description texts, selected state, rect on the screen). Installs
 *  one QAccessible factory for every such view; the view's entry goes when the view does. */
void installRegionAccessibility(QWidget* view, AccessibleRegions regions);

} // namespace carveout::ui
