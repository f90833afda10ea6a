// SPDX-License-Identifier: GPL-2.0-only
#include "addressmap.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// ui
#include "boot/bootlane.h"
#include "capture/capturetext.h"
#include "mapcontroller.h"
#include "mapstyle.h"
#include "regiontooltip.h"

// Qt
#include <QFileInfo>
#include <QHelpEvent>
#include <QPainter>

// std
#include <algorithm>

namespace carveout::ui {

namespace {
constexpr int kMargin = MapGeometry::kMargin;
constexpr int kRulerHeight = MapGeometry::kRulerHeight;
constexpr int kBankHeight = MapGeometry::kBankHeight;

} // namespace

AddressMap::AddressMap(QWidget* parent)
    : ControlledView(parent)
    , m_controller(new MapController(m_geometry, this))
{
    setController(m_controller);
    m_geometry.setFont(font());
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(160);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    // Requests that change the view are applied here; the others are the widget's signals.
    connect(m_controller, &MapController::selectRequested, this, [this](int region) {
        m_geometry.setSelected(region);
        emit regionSelected(region);
        update();
    });
    connect(m_controller, &MapController::dragPreview, this, &AddressMap::dragPreview);
    connect(m_controller, &MapController::editRequested, this, &AddressMap::editRequested);
    connect(m_controller, &MapController::dragCancelled, this, &AddressMap::dragCancelled);
    connect(m_controller, &MapController::cursorShapeRequested, this, [this](Qt::CursorShape s) { setCursor(s); });
    connect(m_controller, &MapController::zoomToSelectionRequested, this, &AddressMap::zoomToSelection);
    connect(m_controller, &ViewController::fitRequested, this, &AddressMap::fit);
    connect(m_controller, &ViewController::panStarted, this, [this] { m_panFrom = scale().offset(); });
    connect(m_controller, &ViewController::panRequested, this, [this](QPointF d) {
        scale().setView(scale().zoom(), m_panFrom - d.x() / scale().zoom());
        update();
    });
    connect(m_controller, &ViewController::scrollRequested, this, [this](QPointF d) {
        scale().pan(-d.x());
        update();
    });
    connect(m_controller, &ViewController::zoomRequested, this, [this](QPointF at, double factor, Qt::Orientation) {
        scale().zoomAround(at.x() - kMargin, factor);
        update();
    });
}

void AddressMap::setData(const MapData& data)
{
    m_geometry.setData(data, width());
    m_geometry.setHeight(height());
    setMinimumHeight(m_geometry.minimumHeight());
    updateGeometry(); // the size hint follows the labels the data needs
    update();
}

void AddressMap::relayout()
{
    m_geometry.setWidth(width());
    m_geometry.setHeight(height());
    setMinimumHeight(m_geometry.minimumHeight());
}

void AddressMap::setSelectedRegion(int region)
{
    if (m_geometry.selected() == region)
        return;
    m_geometry.setSelected(region);
    update();
}

void AddressMap::fit()
{
    scale().fit();
    update();
}

void AddressMap::highlightMark(int kind, int index)
{
    m_markKind = kind;
    m_markIndex = index;
    if (const int k = highlightedMark(); k >= 0) {
        const QRectF r = m_geometry.captureRect(k);
        const CaptureMark& m = m_geometry.captureMarks()[size_t(k)];
        if (r.right() < 0 || r.left() > width())
            scale().zoomTo(m.range.base, m.range.end());
    }
    update();
}

int AddressMap::highlightedMark() const
{
    const auto& marks = m_geometry.captureMarks();
    for (int k = 0; k < int(marks.size()); ++k) {
        if (marks[size_t(k)].kind == m_markKind && marks[size_t(k)].index == m_markIndex)
            return k;
    }
    return -1;
}

void AddressMap::zoomToSelection()
{
    const auto s = m_geometry.span(m_geometry.selected());
    if (!s)
        return;
    scale().zoomTo(s->base, saturatedEnd(s->base, s->size));
    update();
}

void AddressMap::resizeEvent(QResizeEvent*)
{
    relayout();
}

void AddressMap::paintRuler(QPainter& p) const
{
    // Ruler with adaptive ticks.
    const QFontMetrics fm(font());
    p.setPen(palette().text().color());
    const double rulerY = kMargin + kRulerHeight - 6;
    p.drawLine(QPointF(kMargin, rulerY), QPointF(width() - kMargin, rulerY));
    double lastLabelEnd = -1e9;
    for (const auto& t : scale().ticks()) {
        const double x = kMargin + t.x;
        p.drawLine(QPointF(x, rulerY), QPointF(x, rulerY - (t.major ? 8 : 4)));
        const QString label = toHex(t.address);
        const double lw = fm.horizontalAdvance(label);
        const double lx = std::max(0.0, x - lw / 2);
        if (lx > lastLabelEnd + 6 && lx + lw < width()) {
            p.drawText(QPointF(lx, rulerY - 11), label);
            lastLabelEnd = lx + lw;
        }
    }
}

void AddressMap::paintBanks(QPainter& p) const
{
    // Banks, with break marks over collapsed gaps; one label per run of RAM or outside RAM.
    const Layout& L = data().layout();
    const QFontMetrics fm(font());
    const double bankY = kMargin + kRulerHeight;
    for (const BandPiece& piece : m_geometry.bandPieces()) {
        p.fillRect(piece.rect, piece.ram ? style::ramBand(palette()) : style::outsideRamBand(palette()));
        p.setPen(style::bandBorder(palette()));
        p.drawRect(piece.rect);
    }
    p.setPen(palette().text().color());
    for (const BandLabel& run : m_geometry.bandLabels()) {
        const QRectF r = run.rect.intersected(QRectF(kMargin, bankY, width() - 2 * kMargin, kBankHeight));
        p.drawText(r.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
            fm.elidedText(run.text, Qt::ElideRight, int(r.width()) - 8));
    }
    // The default CMA area the kernel makes from cma= or CONFIG_CMA_SIZE_MBYTES: no region of the
    // tree, so it is drawn on the band, hatched as the kernel places it.
    if (const QRectF cma = defaultCmaRect(); !cma.isEmpty()) {
        const QColor c = style::kindColor(RegionKind::Cma, false);
        p.fillRect(cma, c);
        p.fillRect(cma, style::dynamicHatch(c));
        p.setPen(c.darker(170));
        p.drawRect(cma);
        const QString text = tr("default CMA %1").arg(formatSize(data().analysis->boot.defaultCma.size));
        if (fm.horizontalAdvance(text) + 8 <= cma.width()) {
            p.setPen(style::textOn(c));
            p.drawText(cma.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        }
    }
    // hugetlb_cma=, crashkernel=, reserve_mem=: the kernel's too, drawn the same way.
    const auto& areas = data().analysis ? data().analysis->boot.cmdlineAreas : std::vector<CmdlineArea> {};
    for (const auto& [rect, k] : cmdlineAreaRects()) {
        const CmdlineArea& a = areas[size_t(k)];
        const QColor c = style::kindColor(a.cma ? RegionKind::Cma : RegionKind::Reserved, false);
        p.fillRect(rect, c);
        p.fillRect(rect, style::dynamicHatch(c));
        p.setPen(c.darker(170));
        p.drawRect(rect);
        const QString text = QStringLiteral("%1 %2").arg(cmdlineAreaKindName(a.kind), formatSize(a.size));
        if (fm.horizontalAdvance(text) + 8 <= rect.width()) {
            p.setPen(style::textOn(c));
            p.drawText(rect.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        }
    }
    p.setPen(QPen(palette().text().color(), 1.5));
    for (double b : scale().breaks()) {
        const double x = kMargin + b;
        p.drawLine(QPointF(x - 5, bankY - 2), QPointF(x - 1, bankY + kBankHeight + 2));
        p.drawLine(QPointF(x + 1, bankY - 2), QPointF(x + 5, bankY + kBankHeight + 2));
    }
    // /memreserve/ in lane 0.
    const QRectF mrLane = m_geometry.laneRect(0);
    for (const auto& m : L.memreserve) {
        const double x0 = kMargin + scale().toPixel(m.range.base), x1 = kMargin + scale().toPixel(m.range.end());
        const QRectF r(x0, mrLane.top() + 8, std::max(2.0, x1 - x0), mrLane.height() - 16);
        p.fillRect(r, style::memreserveColor());
    }
    if (!L.memreserve.empty()) {
        p.setPen(palette().text().color());
        p.drawText(mrLane.adjusted(0, 0, 0, -mrLane.height() + 10), Qt::AlignLeft, QStringLiteral("/memreserve/"));
    }
}

void AddressMap::paintRegion(QPainter& p, int i) const
{
    const QRectF r = m_geometry.regionRect(i);
    if (r.isEmpty() || r.right() < 0 || r.left() > width())
        return;
    const MapData& d = data();
    const Region& reg = d.region(i);
    QColor c = style::kindColor(reg);
    p.fillRect(r, style::regionFill(reg, palette())); // a disabled one faded into the Base
    if (!reg.enabled)
        c.setAlpha(60);
    if (reg.placement == Placement::Dynamic)
        p.fillRect(r, style::dynamicHatch(c)); // placed by the kernel
    QPen border(c.darker(170), 1);
    if (!reg.enabled)
        border.setStyle(Qt::DotLine);
    if (style::failedOutcome(d.outcome(i))) {
        border = QPen(style::failedColor(), 2, Qt::DashLine);
        p.setPen(QPen(style::failedColor(), 1.5));
        p.drawLine(r.topLeft(), r.bottomRight());
        p.drawLine(r.bottomLeft(), r.topRight());
    }
    if (i == m_geometry.selected())
        border = QPen(palette().highlight().color(), 3);
    p.setPen(border);
    p.drawRect(r);
    if (m_geometry.enlarged(i))
        style::paintEnlargedMark(p, r, palette());
    if (reg.overlay >= 0)
        style::paintOverlayMark(p, r, reg.runtimeOverlay);
    const int errs = size_t(i) < d.errors.size() ? d.errors[size_t(i)] : 0;
    const int warns = size_t(i) < d.warnings.size() ? d.warnings[size_t(i)] : 0;
    if (errs + warns > 0) {
        const QRectF badge(r.right() - 7, r.top() - 7, 14, 14);
        p.setRenderHint(QPainter::Antialiasing, true);
        const QColor badgeColour = errs ? style::errorBadge() : style::warningBadge();
        p.setBrush(badgeColour);
        p.setPen(style::textOn(badgeColour));
        p.drawEllipse(badge);
        p.drawText(badge, Qt::AlignCenter, QString::number(errs + warns));
        p.setBrush(Qt::NoBrush);
        p.setRenderHint(QPainter::Antialiasing, false);
    }
}

void AddressMap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().base());
    if (const QString empty = emptyText(); !empty.isEmpty()) {
        p.setPen(palette().text().color());
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, empty);
        return;
    }
    paintRuler(p);
    paintBanks(p);
    for (int i = 0; i < data().regionCount(); ++i)
        paintRegion(p, i);
    paintLabels(p);
    paintCapture(p);
    paintBootLane(p, m_geometry, palette(), font(), width());
    paintDmaReach(p);
}

void AddressMap::setDmaReach(const QString& device, const std::vector<AddrRange>& reach)
{
    m_reachDevice = reach.empty() ? QString() : device;
    m_reach = reach;
    update();
}

std::vector<QRectF> AddressMap::dmaReachRects() const
{
    std::vector<QRectF> out;
    const double top = kMargin + kRulerHeight, bottom = m_geometry.laneRect(m_geometry.laneCount() - 1).bottom();
    for (const AddrRange& ram : data().ram()) {
        for (const AddrRange& r : m_reach) {
            const uint64_t lo = std::max(ram.base, r.base), hi = std::min(ram.end(), r.end());
            if (hi <= lo)
                continue;
            const double x0 = kMargin + scale().toPixel(lo), x1 = kMargin + scale().toPixel(hi);
            out.emplace_back(x0, top, std::max(2.0, x1 - x0), bottom - top);
        }
    }
    return out;
}

void AddressMap::paintDmaReach(QPainter& p) const
{
    if (m_reach.empty())
        return;
    // An outline, so the regions under it stay readable; the label names whose reach it is.
    const QColor c = palette().highlight().color();
    p.setPen(QPen(c, 2, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    const QFontMetrics fm(font());
    for (const QRectF& r : dmaReachRects()) {
        p.drawRect(r.adjusted(1, 1, -1, -1));
        const QString text = tr("DMA reach of %1").arg(m_reachDevice.section(QLatin1Char('/'), -1));
        if (fm.horizontalAdvance(text) + 8 <= r.width())
            p.drawText(r.adjusted(4, 0, -4, -3), Qt::AlignBottom | Qt::AlignLeft, text); // clear of the bank's label
    }
}

void AddressMap::paintLabels(QPainter& p) const
{
    const QFontMetrics fm(font());
    QColor leader = palette().text().color();
    leader.setAlpha(150);
    // Leaders first: a leader to a farther row passes behind the labels of the nearer ones.
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const MapLabel& l : m_geometry.labels()) {
        if (l.inside)
            continue;
        const bool selected = l.region == m_geometry.selected();
        p.setPen(QPen(selected ? palette().highlight().color() : leader, selected ? 2 : 1));
        p.drawLine(l.leaderFrom, l.leaderTo);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    for (const MapLabel& l : m_geometry.labels()) {
        if (l.inside) {
            p.setPen(style::regionText(data().region(l.region), palette()));
            QRectF line(l.rect.left(), l.rect.top(), l.rect.width(), fm.height());
            for (const QString& text : l.lines) {
                p.drawText(line, Qt::AlignVCenter | Qt::AlignLeft, text);
                line.translate(0, fm.height());
            }
            continue;
        }
        const bool selected = l.region == m_geometry.selected();
        p.fillRect(l.rect, selected ? palette().highlight() : palette().base());
        p.setPen(selected ? palette().highlightedText().color() : palette().text().color());
        p.drawText(l.rect, Qt::AlignCenter, l.lines.value(0));
    }
}

QRectF AddressMap::defaultCmaRect() const
{
    if (!data().analysis)
        return {};
    const DefaultCma& d = data().analysis->boot.defaultCma;
    if (d.source != DefaultCma::Source::Cmdline && d.source != DefaultCma::Source::Kconfig)
        return {};
    if (d.failed || !d.base || !d.size)
        return {};
    const double x0 = kMargin + scale().toPixel(*d.base), x1 = kMargin + scale().toPixel(saturatedEnd(*d.base, d.size));
    return QRectF(x0, kMargin + kRulerHeight + 3, std::max(3.0, x1 - x0), kBankHeight - 6);
}

std::vector<std::pair<QRectF, int>> AddressMap::cmdlineAreaRects() const
{
    std::vector<std::pair<QRectF, int>> out;
    if (!data().analysis)
        return out;
    const auto& areas = data().analysis->boot.cmdlineAreas;
    for (size_t k = 0; k < areas.size(); ++k) {
        const CmdlineArea& a = areas[k];
        if (a.failed || !a.base || !a.size)
            continue;
        const double x0 = kMargin + scale().toPixel(*a.base);
        const double x1 = kMargin + scale().toPixel(saturatedEnd(*a.base, a.size));
        out.push_back({ QRectF(x0, kMargin + kRulerHeight + 3, std::max(3.0, x1 - x0), kBankHeight - 6), int(k) });
    }
    return out;
}

QString AddressMap::emptyText() const
{
    if (!data().analysis)
        return {};
    const Layout& L = data().layout();
    if (!data().ram().empty() || data().regionCount() > 0 || !L.memreserve.empty())
        return {};
    return L.file.isEmpty() ? QString()
                            : tr("%1 has no memory bank, no /memreserve/ entry and no reserved-memory region: there is "
                                 "nothing to draw. (Its RAM may come from the bootloader: give it in the toolbar's "
                                 "Memory field.)")
                                  .arg(QFileInfo(L.file).fileName());
}

void AddressMap::paintCapture(QPainter& p) const
{
    if (!data().compare)
        return;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (int i = 0; i < data().regionCount(); ++i) {
        const capture::RegionComparison* c = m_geometry.comparison(i);
        if (!c)
            continue;
        const QRectF predicted = m_geometry.regionRect(i), actual = m_geometry.actualRect(i);
        // Outlines and marks on the map's Base: seen on a dark palette too.
        const QColor colour = style::legibleOn(verdictColor(c->verdict), palette().color(QPalette::Base), 3);
        if (!actual.isEmpty()) {
            // The capture's strip under the blocks: filled faintly, outlined in the verdict's colour.
            QColor fill = colour;
            fill.setAlpha(45);
            p.fillRect(actual, fill);
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(colour, 1.5, c->verdict == capture::Verdict::Agree ? Qt::SolidLine : Qt::DashLine));
            p.drawRect(actual);
            if (i == m_geometry.selected() && !predicted.isEmpty()
                && std::abs(predicted.center().x() - actual.center().x()) > 4) {
                // Where the selected block went: an arrow along the strip, from under it to the
                // outline (for all of them at once, the arrows would hide each other).
                const double y = actual.center().y();
                const QPointF from(predicted.center().x(), y);
                const double dir = actual.center().x() > from.x() ? -1 : 1;
                const QPointF to(dir < 0 ? actual.left() : actual.right(), y);
                p.setPen(QPen(colour, 1.5));
                p.drawLine(from, to);
                p.drawLine(to, to + QPointF(5 * dir, -3.5));
                p.drawLine(to, to + QPointF(5 * dir, 3.5));
            }
        }
        const QRectF at = predicted.isEmpty() ? actual : predicted;
        if (at.isEmpty() || c->verdict == capture::Verdict::Agree)
            continue;
        // The verdict's mark at the block's top left: a filled diamond for a contradiction, a
        // faint question mark where the capture shows nothing either way.
        const QPointF m(at.left() + 7, at.top() + 7);
        if (c->verdict == capture::Verdict::Differ) {
            p.fillRect(QRectF(at.left(), at.top(), at.width(), 3), colour);
            const QPointF diamond[] = { m + QPointF(0, -6), m + QPointF(6, 0), m + QPointF(0, 6), m + QPointF(-6, 0) };
            p.setPen(QPen(Qt::white, 1));
            p.setBrush(colour);
            p.drawPolygon(diamond, 4);
            p.setBrush(Qt::NoBrush);
            p.setPen(Qt::white);
            p.drawText(QRectF(m.x() - 6, m.y() - 6, 12, 12), Qt::AlignCenter, QStringLiteral("!"));
        } else {
            QColor faint = colour;
            faint.setAlpha(170);
            p.setPen(QPen(faint, 1));
            p.setBrush(QColor(255, 255, 255, 170));
            p.drawEllipse(m, 5.5, 5.5);
            p.setBrush(Qt::NoBrush);
            p.drawText(QRectF(m.x() - 6, m.y() - 6, 12, 12), Qt::AlignCenter, QStringLiteral("?"));
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    paintCaptureLane(p);
}

void AddressMap::paintCaptureLane(QPainter& p) const
{
    const QRectF lane = m_geometry.laneRect(m_geometry.captureLane());
    p.setPen(palette().text().color());
    p.drawText(lane.adjusted(0, 0, 0, -lane.height() + 12), Qt::AlignLeft, tr("capture"));
    const QFontMetrics fm(font());
    const auto& marks = m_geometry.captureMarks();
    const int highlighted = highlightedMark();
    for (int k = 0; k < int(marks.size()); ++k) {
        QRectF r = m_geometry.captureRect(k);
        r.setTop(r.top() + 13);
        if (r.right() < 0 || r.left() > width())
            continue;
        const capture::CompareResult& c = *data().compare;
        QString label;
        QColor under; // what the label is read against
        if (marks[size_t(k)].kind == CaptureMark::Unexplained) {
            const capture::Unexplained& u = c.unexplained[size_t(marks[size_t(k)].index)];
            QColor fill = unexplainedColor();
            fill.setAlpha(70);
            under = style::composited(fill, palette().color(QPalette::Base));
            p.fillRect(r, under);
            const QColor line = style::legibleOn(unexplainedColor(), palette().color(QPalette::Base), 3);
            p.fillRect(r, QBrush(line, Qt::FDiagPattern));
            p.setPen(QPen(line, 2));
            label = u.name.isEmpty() ? tr("unexplained") : u.name;
        } else {
            const capture::KernelReservation& kr = c.kernelReservations[size_t(marks[size_t(k)].index)];
            under = style::kernelReservationFill(palette());
            p.fillRect(r, under);
            p.setPen(QPen(style::kernelReservationBorder(palette()), 1, kr.predictable ? Qt::SolidLine : Qt::DashLine));
            label = kr.what;
        }
        if (k == highlighted)
            p.setPen(QPen(palette().highlight().color(), 3));
        p.drawRect(r);
        if (r.width() > 24) {
            p.setPen(style::textOn(under));
            p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                fm.elidedText(label, Qt::ElideRight, int(r.width()) - 6));
        }
    }
}

QString AddressMap::toolTipAt(const QPoint& pos) const
{
    const MapData& d = data();
    if (const QString boot = bootLaneToolTip(m_geometry, pos); !boot.isEmpty())
        return boot;
    if (const int k = m_geometry.captureMarkAt(pos); k >= 0) {
        const CaptureMark& m = m_geometry.captureMarks()[size_t(k)];
        if (m.kind == CaptureMark::Unexplained) {
            const capture::Unexplained& u = d.compare->unexplained[size_t(m.index)];
            return tr("<b>%1</b> (capture: no region of the sources explains it)<br>%2%3<br>%4<br>%5")
                .arg((u.name.isEmpty() ? tr("reservation") : u.name).toHtmlEscaped(), rangeText(m.range),
                    u.noMap ? tr(", no-map") : QString(), u.explanation.toHtmlEscaped(),
                    evidenceHtml(u.evidence, d.captureFile));
        }
        const capture::KernelReservation& kr = d.compare->kernelReservations[size_t(m.index)];
        QString tip = tr("<b>%1</b> (capture: the kernel's own reservation)<br>%2")
                          .arg(kr.what.toHtmlEscaped(), rangeText(m.range));
        if (kr.predictedBase)
            tip += tr("<br>predicted at %1").arg(toHex(*kr.predictedBase));
        if (!kr.predictable)
            tip += tr("<br>the model cannot predict where: shown, not counted");
        return tip + QStringLiteral("<br>") + evidenceHtml(kr.evidence, d.captureFile);
    }
    int i = regionAt(pos);
    if (i < 0)
        i = m_geometry.labelAt(pos); // a label outside its block stands for the region
    if (i < 0 && defaultCmaRect().adjusted(-2, -3, 2, 3).contains(pos)) {
        const DefaultCma& cma = d.analysis->boot.defaultCma;
        return tr("<b>default CMA area</b> (the kernel's, %1)<br>%2 .. %3 (%4)%5")
            .arg(cma.source == DefaultCma::Source::Cmdline ? tr("from cma= on the command line")
                                                           : tr("from CONFIG_CMA_SIZE_MBYTES"),
                toHex(*cma.base), toHex(saturatedEnd(*cma.base, cma.size)), formatSize(cma.size),
                cma.basePredictable ? QString()
                                    : tr("<br>its real base is somewhat lower: the kernel places it after early "
                                         "allocations the tree does not show"));
    }
    if (i < 0) {
        for (const auto& [rect, k] : cmdlineAreaRects()) {
            if (!rect.adjusted(-2, -3, 2, 3).contains(pos))
                continue;
            const CmdlineArea& a = d.analysis->boot.cmdlineAreas[size_t(k)];
            return tr("<b>%1</b> (the kernel's, from %2)<br>%3 .. %4 (%5)%6%7")
                .arg(a.name.toHtmlEscaped(), a.option.toHtmlEscaped(), toHex(*a.base),
                    toHex(saturatedEnd(*a.base, a.size)), formatSize(a.size),
                    a.cma ? tr("<br>a CMA area: it takes one of the MAX_CMA_AREAS slots") : QString(),
                    a.basePredictable ? QString()
                                      : tr("<br>its real base is somewhat lower: the kernel places it below early "
                                           "allocations the tree does not show"));
        }
    }
    const bool outline = i < 0;
    if (outline)
        i = m_geometry.actualAt(pos);
    if (i < 0)
        return {};
    return regionToolTip(d, i, m_geometry.comparison(i), outline);
}

bool AddressMap::event(QEvent* e)
{
    if (e->type() == QEvent::FontChange)
        m_geometry.setFont(font()); // labels are measured in the widget's font
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        showToolTipText(this, he->globalPos(), toolTipAt(he->pos()));
        return true;
    }
    return QWidget::event(e);
}

} // namespace carveout::ui
