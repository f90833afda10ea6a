// SPDX-License-Identifier: GPL-2.0-only
#include "regionmenu.h"

// core
#include "model/units.h"

// Qt
#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMenu>

namespace carveout::ui {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("carveout::ui::RegionMenu", text);
}

QStringList cells(uint64_t v, int count)
{
    if (count == 1)
        return { toHex(v & 0xffffffffu) };
    return { toHex(v >> 32), toHex(v & 0xffffffffu) };
}

QAction* add(QMenu* menu, const char* name, const QString& text, const std::function<void()>& f)
{
    QAction* a = menu->addAction(text);
    a->setObjectName(QLatin1String(name));
    QObject::connect(a, &QAction::triggered, menu, f);
    return a;
}

QAction* copy(QMenu* menu, const char* name, const QString& text, const QString& value)
{
    QAction* a = add(menu, name, text, [value] { QGuiApplication::clipboard()->setText(value); });
    a->setEnabled(!value.isEmpty());
    if (!value.isEmpty())
        a->setToolTip(value);
    return a;
}
} // namespace

QString dtsReg(uint64_t base, uint64_t size, int addressCells, int sizeCells)
{
    // A value that does not fit one cell needs two, whatever the tree says: the text stays true.
    const int ac = addressCells == 1 && base <= 0xffffffffu ? 1 : 2;
    const int sc = sizeCells == 1 && size <= 0xffffffffu ? 1 : 2;
    return QStringLiteral("reg = <%1>;").arg((cells(base, ac) + cells(size, sc)).join(QLatin1Char(' ')));
}

void fillRegionMenu(QMenu* menu, const MapData& d, int region, const RegionMenuActions& actions)
{
    if (region < 0 || region >= d.regionCount())
        return;
    const Region& r = d.region(region);
    const std::optional<uint64_t> base = d.placedBase(region);
    const uint64_t size = d.placedSize(region);
    if (actions.zoomTo)
        add(menu, "zoomToRegion", tr("&Zoom to region"), actions.zoomTo)->setEnabled(base.has_value());
    if (actions.selectInTable)
        add(menu, "selectInTable", tr("Select in &table"), actions.selectInTable);
    if (actions.selectInList)
        add(menu, "selectInList", tr("Select in &list of differences"), actions.selectInList);
    if (actions.showSource && r.source.isValid())
        add(menu, "showSource", tr("Show &source"), actions.showSource);
    menu->addSeparator();
    copy(menu, "copyName", tr("Copy &name"), r.name);
    copy(menu, "copyBase", tr("Copy &base"), base ? toHex(*base) : QString());
    copy(menu, "copySize", tr("Copy si&ze"), size ? toHex(size) : QString());
    const Layout& L = d.layout();
    const int ac = L.container.addressCells > 0 ? L.container.addressCells : L.rootAddressCells;
    const int sc = L.container.sizeCells > 0 ? L.container.sizeCells : L.rootSizeCells;
    copy(menu, "copyReg", tr("Copy as DTS &reg"), base && size ? dtsReg(*base, size, ac, sc) : QString());
    if (actions.remove) {
        menu->addSeparator();
        add(menu, "deleteRegion", tr("&Delete region"), actions.remove);
    }
}

} // namespace carveout::ui
