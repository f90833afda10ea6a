// SPDX-License-Identifier: GPL-2.0-only
#include "comparewindow.h"

// ui
#include "desktop/windowconventions.h"
#include "kernelbar.h"
#include "mapstyle.h"
#include "regionmenu.h"

// core
#include "model/units.h"

// Qt
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

// std
#include <algorithm>

namespace carveout::ui {

namespace {

// Item data of a region row: its index on each side (-1 where it is absent).
constexpr int kRoleA = Qt::UserRole;
constexpr int kRoleB = Qt::UserRole + 1;

/** What a side's scale must cover: its RAM, every placed region and the /memreserve/ entries.
 *  Each map is given the other side's, so both cut the address space into the same segments. */
std::vector<AddrRange> coveredRanges(const AnalysisPtr& a)
{
    MapData d;
    d.analysis = a;
    std::vector<AddrRange> out = d.ram();
    for (int i = 0; i < d.regionCount(); ++i)
        if (const auto base = d.placedBase(i); base && d.placedSize(i))
            out.push_back({ *base, d.placedSize(i) });
    for (const auto& m : a->layout.memreserve)
        out.push_back(m.range);
    return out;
}

QString summaryLine(const RamSummary& a, const RamSummary& b)
{
    QStringList parts;
    const auto part = [&](const QString& what, uint64_t x, uint64_t y) {
        parts << (x == y ? QStringLiteral("%1 %2").arg(what, formatSize(x))
                         : QStringLiteral("%1 %2 \u2192 %3").arg(what, formatSize(x), formatSize(y)));
    };
    part(QObject::tr("RAM"), a.ram, b.ram);
    part(QObject::tr("reserved"), a.reserved, b.reserved);
    part(QObject::tr("no-map"), a.noMap, b.noMap);
    part(QObject::tr("CMA"), a.cma, b.cma);
    part(QObject::tr("free"), a.free, b.free);
    return parts.join(QStringLiteral(", "));
}

QString findingText(const Finding& f)
{
    const QString where
        = f.source.isValid() ? QStringLiteral("%1:%2: ").arg(f.source.file).arg(f.source.line) : QString();
    return QStringLiteral("%1%2 [%3]: %4").arg(where, severityName(f.severity), f.rule, f.message);
}

} // namespace

void CompareMap::setChanged(std::vector<std::pair<int, QString>> changed)
{
    m_changed = std::move(changed);
    update();
}

QColor CompareMap::highlightColor()
{
    return QColor(0xd0, 0x10, 0xb0); // magenta: no kind colour or outcome mark of the map uses it
}

void CompareMap::followView(double zoom, double offset)
{
    if (zoom == scale().zoom() && offset == scale().offset())
        return;
    scale().setView(zoom, offset);
    update();
}

void CompareMap::paintEvent(QPaintEvent* e)
{
    AddressMap::paintEvent(e);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QColor c = highlightColor();
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    std::vector<QRectF> tags; // drawn so far: a tag that would cover one is left out
    for (const auto& [region, word] : m_changed) {
        const QRectF r = regionRect(region);
        if (r.isEmpty())
            continue;
        p.setPen(QPen(c, 3));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(-2, -2, 2, 2));
        const QRectF tag(r.left(), r.top() - 2 - p.fontMetrics().height(), p.fontMetrics().horizontalAdvance(word) + 6,
            p.fontMetrics().height());
        const bool covers = std::any_of(tags.begin(), tags.end(), [&](const QRectF& t) { return t.intersects(tag); });
        if (!covers && tag.width() <= std::max(r.width(), 80.0)) {
            tags.push_back(tag);
            p.fillRect(tag, c);
            p.setPen(style::textOn(c));
            p.drawText(tag, Qt::AlignCenter, word);
        }
    }
    // The other map takes this view: one address under one x on both.
    if (scale().zoom() != m_zoom || scale().offset() != m_offset) {
        m_zoom = scale().zoom();
        m_offset = scale().offset();
        emit viewChanged(m_zoom, m_offset);
    }
}

CompareWindow::CompareWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("compareWindow"));
    setWindowTitle(tr("Compare"));
    auto* central = new QWidget(this);
    auto* col = new QVBoxLayout(central);
    m_titleA = new QLabel(central);
    m_titleA->setObjectName(QStringLiteral("titleA"));
    m_mapA = new CompareMap(central);
    m_mapA->setObjectName(QStringLiteral("mapA"));
    makeMapAccessible(m_mapA, tr("Address map of board A"), tr("The regions of board A, aligned with board B's"));
    auto* rowB = new QHBoxLayout;
    m_titleB = new QLabel(central);
    m_titleB->setObjectName(QStringLiteral("titleB"));
    auto* open = new QPushButton(tr("Board B..."), central);
    open->setObjectName(QStringLiteral("openBoardB"));
    auto* same = new QPushButton(tr("Same board"), central);
    same->setObjectName(QStringLiteral("sameBoard"));
    rowB->addWidget(m_titleB, 1);
    rowB->addWidget(open);
    rowB->addWidget(same);
    m_barRowB = new QWidget(central);
    m_barRowB->setObjectName(QStringLiteral("kernelBarB"));
    auto* barRow = new QHBoxLayout(m_barRowB);
    barRow->setContentsMargins(0, 0, 0, 0);
    m_barB = new KernelBar(m_barRowB, [barRow](QWidget* w) { barRow->addWidget(w); });
    m_mapB = new CompareMap(central);
    m_mapB->setObjectName(QStringLiteral("mapB"));
    makeMapAccessible(m_mapB, tr("Address map of board B"), tr("The regions of board B, aligned with board A's"));
    m_status = new QLabel(central);
    m_status->setObjectName(QStringLiteral("compareStatus"));
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(central);
    m_list->setObjectName(QStringLiteral("differences"));
    m_list->setHeaderLabels({ tr("Region"), tr("Change"), tr("What changed"), tr("Matched by") });
    m_list->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_list->setRootIsDecorated(true);
    m_list->setAccessibleName(tr("Differences between A and B"));

    col->addWidget(m_titleA);
    col->addWidget(m_mapA, 1);
    col->addLayout(rowB);
    col->addWidget(m_barRowB);
    col->addWidget(m_mapB, 1);
    col->addWidget(m_status);
    col->addWidget(m_list, 1);
    setCentralWidget(central);
    resize(1200, 820);

    connect(m_mapA, &CompareMap::viewChanged, m_mapB, &CompareMap::followView);
    connect(m_mapB, &CompareMap::viewChanged, m_mapA, &CompareMap::followView);
    // A click on either map selects the region on both (paired as the list pairs them).
    auto pick = [this](bool onA, int region) {
        for (const auto& c : m_diff.regions)
            if ((onA ? c.a : c.b) == region) {
                m_mapA->setSelectedRegion(c.a);
                m_mapB->setSelectedRegion(c.b);
                return;
            }
        (onA ? m_mapA : m_mapB)->setSelectedRegion(region);
    };
    connect(m_mapA, &AddressMap::regionSelected, this, [pick](int r) { pick(true, r); });
    connect(m_mapB, &AddressMap::regionSelected, this, [pick](int r) { pick(false, r); });
    // A right click: the region menu of the main window's map, with the list of differences as
    // the table (a region that did not change has no row there).
    for (CompareMap* map : { m_mapA, m_mapB }) {
        map->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(map, &QWidget::customContextMenuRequested, this, [this, map, pick](const QPoint& pos) {
            const int region = map->regionAt(pos);
            if (region < 0)
                return;
            const bool onA = map == m_mapA;
            pick(onA, region);
            RegionMenuActions actions;
            actions.zoomTo = [map] { map->zoomToSelection(); };
            if (QTreeWidgetItem* row = differenceRow(onA, region))
                actions.selectInList = [this, row] {
                    m_list->setCurrentItem(row);
                    m_list->setFocus(Qt::OtherFocusReason);
                };
            QMenu menu(this);
            fillRegionMenu(&menu, map->data(), region, actions);
            menu.exec(map->mapToGlobal(pos));
        });
    }
    connect(m_barB, &KernelBar::changed, this, &CompareWindow::analyseB);
    connect(open, &QPushButton::clicked, this, &CompareWindow::openBoardB);
    connect(same, &QPushButton::clicked, this, [this] { setBoardB({}); });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { showDifference(item); });
}

void CompareWindow::setSideA(
    const QString& file, const LoadedTree& tree, const AnalysisPtr& analysis, const ProfileRequest& request)
{
    const bool first = !m_a;
    m_fileA = file;
    m_treeA = tree;
    m_a = analysis;
    if (first)
        m_barB->setRequest(request); // B starts as A; the user changes what is to be compared
    analyseB();
}

QString CompareWindow::setBoardB(const QString& file, const LoadOptions& options)
{
    if (file.isEmpty()) {
        m_otherB.reset();
        m_fileB.clear();
    } else {
        const LoadResult loaded = loadBoard(file, options);
        if (!loaded.ok) {
            QStringList lines;
            for (const auto& d : loaded.errors)
                lines << d.toString();
            m_status->setText(tr("Could not load %1:\n%2").arg(file, lines.join(QLatin1Char('\n'))));
            return lines.join(QLatin1Char('\n'));
        }
        m_otherB = std::make_shared<const LoadedTree>(loaded.doc);
        m_fileB = file;
    }
    analyseB();
    return {};
}

void CompareWindow::setRequestB(const ProfileRequest& request)
{
    m_barB->setRequest(request);
    analyseB();
}

void CompareWindow::openBoardB()
{
    const QString dir = QFileInfo(m_fileB.isEmpty() ? m_fileA : m_fileB).absolutePath();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Compare with board"), dir, tr("Device trees (*.dts *.dtb);;All files (*)"));
    if (!file.isEmpty())
        setBoardB(file);
}

void CompareWindow::analyseB()
{
    if (!m_a)
        return;
    const LoadedTree& tree = m_otherB ? *m_otherB : m_treeA;
    KernelProfile profile;
    if (const QString e = resolveProfile(m_barB->request(), &tree, &profile); !e.isEmpty()) {
        // B keeps its last analysis; the sentence says why the new one was refused.
        m_status->setText(tr("B: %1").arg(e));
        return;
    }
    m_b = analyse(tree, profile);
    refresh();
}

QString CompareWindow::statusText() const
{
    return m_status->text();
}

void CompareWindow::refresh()
{
    m_diff = variants::diffAnalyses(*m_a, *m_b);
    const auto name = [](const QString& f) { return f.isEmpty() ? QString() : QFileInfo(f).fileName(); };
    m_titleA->setText(tr("<b>A</b>: %1 under %2").arg(name(m_fileA), m_a->profile.name));
    m_titleB->setText(
        tr("<b>B</b>: %1 under %2").arg(m_otherB ? name(m_fileB) : tr("the same board"), m_b->profile.name));
    m_titleA->setToolTip(m_fileA);
    m_titleB->setToolTip(m_otherB ? m_fileB : m_fileA);

    const auto mapData = [](const AnalysisPtr& a, const AnalysisPtr& other) {
        MapData d = MapData::of(a);
        d.alsoCover = coveredRanges(other);
        return d;
    };
    m_mapA->setData(mapData(m_a, m_b));
    m_mapB->setData(mapData(m_b, m_a));
    std::vector<std::pair<int, QString>> onA, onB;
    for (const auto& c : m_diff.regions) {
        if (c.a >= 0)
            onA.emplace_back(c.a, c.change());
        if (c.b >= 0)
            onB.emplace_back(c.b, c.change());
    }
    m_mapA->setChanged(onA);
    m_mapB->setChanged(onB);
    m_mapB->followView(m_mapA->scale().zoom(), m_mapA->scale().offset());
    fillList();
    if (!m_diff.any())
        m_status->setText(tr("A and B do not differ. RAM: %1.").arg(summaryLine(m_diff.a, m_diff.b)));
    else
        m_status->setText(tr("%1 region(s) differ, %2 finding(s) gained, %3 lost. %4.")
                              .arg(m_diff.regions.size())
                              .arg(m_diff.gained.size())
                              .arg(m_diff.lost.size())
                              .arg(summaryLine(m_diff.a, m_diff.b)));
}

void CompareWindow::fillList()
{
    m_list->clear();
    for (const auto& c : m_diff.regions) {
        const Region& r = c.a >= 0 ? m_a->layout.regions[size_t(c.a)] : m_b->layout.regions[size_t(c.b)];
        auto* item = new QTreeWidgetItem(m_list,
            { r.name, c.changes.join(QStringLiteral(", ")), c.details.join(QStringLiteral("; ")),
                variants::matchedByName(c.matchedBy) });
        item->setData(0, kRoleA, c.a);
        item->setData(0, kRoleB, c.b);
        item->setToolTip(0, c.path);
        item->setToolTip(2, c.details.join(QLatin1Char('\n')));
        item->setForeground(1, CompareMap::highlightColor());
    }
    const auto group = [this](const QString& title, const std::vector<Finding>& findings) {
        if (findings.empty())
            return;
        auto* top = new QTreeWidgetItem(m_list, { title.arg(findings.size()) });
        for (const auto& f : findings) {
            auto* item = new QTreeWidgetItem(top, { f.node, f.rule, findingText(f) });
            item->setData(0, kRoleA, -1);
            item->setData(0, kRoleB, -1);
            item->setToolTip(2, findingText(f));
        }
        top->setExpanded(true);
    };
    group(tr("Findings B gains (%1)"), m_diff.gained);
    group(tr("Findings B loses (%1)"), m_diff.lost);
    m_list->resizeColumnToContents(0);
    m_list->resizeColumnToContents(1);
}

QTreeWidgetItem* CompareWindow::differenceRow(bool onA, int region) const
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_list->topLevelItem(i);
        const QVariant v = item->data(0, onA ? kRoleA : kRoleB);
        if (v.isValid() && v.toInt() == region)
            return item;
    }
    return nullptr;
}

void CompareWindow::showDifference(QTreeWidgetItem* item)
{
    if (!item || !item->data(0, kRoleA).isValid())
        return;
    const int a = item->data(0, kRoleA).toInt(), b = item->data(0, kRoleB).toInt();
    m_mapA->setSelectedRegion(a);
    m_mapB->setSelectedRegion(b);
    // The side that has the region brings it into view; the other follows the view.
    if (a >= 0)
        m_mapA->zoomToSelection();
    else if (b >= 0)
        m_mapB->zoomToSelection();
}

} // namespace carveout::ui
