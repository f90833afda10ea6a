// SPDX-License-Identifier: GPL-2.0-only
#include "regionaccessible.h"

// Qt
#include <QAccessibleWidget>
#include <QHash>
#include <QWidget>

// std
#include <vector>

namespace carveout::ui {

namespace {

/// The views that have regions, with their callbacks (the factory is a plain function).
QHash<QObject*, AccessibleRegions>& views()
{
    static QHash<QObject*, AccessibleRegions> all;
    return all;
}

class RegionViewAccessible;

/** One region of a view: no QObject of its own, so it asks the view's callbacks each time
 *  (the regions change under it while the reader holds it). */
class RegionItemAccessible : public QAccessibleInterface
{
public:
    RegionItemAccessible(RegionViewAccessible* view, int index)
        : m_view(view)
        , m_index(index)
    {
    }
    bool isValid() const override;
    QObject* object() const override { return nullptr; }
    QWindow* window() const override;
    QAccessibleInterface* parent() const override;
    QAccessibleInterface* child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface*) const override { return -1; }
    QAccessibleInterface* childAt(int, int) const override { return nullptr; }
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text, const QString&) override { }
    QRect rect() const override;
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override;
    int index() const { return m_index; }

private:
    RegionViewAccessible* m_view;
    int m_index;
};

class RegionViewAccessible : public QAccessibleWidget
{
public:
    RegionViewAccessible(QWidget* w, const AccessibleRegions& regions)
        : QAccessibleWidget(w, QAccessible::List)
        , m_regions(regions)
    {
    }
    ~RegionViewAccessible() override
    {
        // The children are registered in Qt's cache (an AT-SPI bridge asks for their ids); they
        // go with their view.
        for (QAccessible::Id id : m_childIds)
            QAccessible::deleteAccessibleInterface(id);
    }
    const AccessibleRegions& regions() const { return m_regions; }
    QWidget* view() const { return widget(); }
    int childCount() const override { return m_regions.count ? m_regions.count() : 0; }
    QAccessibleInterface* child(int i) const override
    {
        if (i < 0 || i >= childCount())
            return nullptr;
        while (int(m_childIds.size()) <= i)
            m_childIds.push_back(QAccessible::registerAccessibleInterface(
                new RegionItemAccessible(const_cast<RegionViewAccessible*>(this), int(m_childIds.size()))));
        return QAccessible::accessibleInterface(m_childIds[size_t(i)]);
    }
    int indexOfChild(const QAccessibleInterface* child) const override
    {
        for (size_t i = 0; i < m_childIds.size(); ++i) {
            if (QAccessible::accessibleInterface(m_childIds[i]) == child)
                return int(i) < childCount() ? int(i) : -1;
        }
        return -1;
    }
    QAccessibleInterface* childAt(int x, int y) const override
    {
        const QPoint local = widget()->mapFromGlobal(QPoint(x, y));
        for (int i = 0; i < childCount(); ++i) {
            if (m_regions.rect && m_regions.rect(i).contains(local))
                return child(i);
        }
        return nullptr;
    }

private:
    AccessibleRegions m_regions;
    mutable std::vector<QAccessible::Id> m_childIds;
};

bool RegionItemAccessible::isValid() const
{
    return m_view->isValid() && m_index < m_view->childCount();
}

QWindow* RegionItemAccessible::window() const
{
    return m_view->window();
}

QAccessibleInterface* RegionItemAccessible::parent() const
{
    return m_view;
}

QString RegionItemAccessible::text(QAccessible::Text t) const
{
    if (!isValid())
        return {};
    const AccessibleRegions& r = m_view->regions();
    switch (t) {
    case QAccessible::Name:
        return r.name ? r.name(m_index) : QString();
    case QAccessible::Description:
        return r.description ? r.description(m_index) : QString();
    default:
        return {};
    }
}

QRect RegionItemAccessible::rect() const
{
    if (!isValid() || !m_view->regions().rect)
        return {};
    const QRect local = m_view->regions().rect(m_index).toAlignedRect();
    if (local.isEmpty())
        return {};
    return QRect(m_view->view()->mapToGlobal(local.topLeft()), local.size());
}

QAccessible::State RegionItemAccessible::state() const
{
    QAccessible::State s;
    if (!isValid()) {
        s.invalid = true;
        return s;
    }
    const AccessibleRegions& r = m_view->regions();
    s.selectable = r.select != nullptr;
    s.selected = r.selected && r.selected(m_index);
    s.invisible = r.rect && r.rect(m_index).isEmpty();
    return s;
}

QAccessibleInterface* regionViewFactory(const QString&, QObject* object)
{
    const auto it = views().constFind(object);
    if (it == views().constEnd() || !object->isWidgetType())
        return nullptr;
    return new RegionViewAccessible(static_cast<QWidget*>(object), *it);
}

} // namespace

void installRegionAccessibility(QWidget* view, AccessibleRegions regions)
{
    static const bool installed = [] {
        QAccessible::installFactory(regionViewFactory);
        return true;
    }();
    Q_UNUSED(installed);
    views().insert(view, std::move(regions));
    QObject::connect(view, &QObject::destroyed, [view] { views().remove(view); });
}

} // namespace carveout::ui
