// SPDX-License-Identifier: GPL-2.0-only
#include "legend.h"

// Qt
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>

namespace carveout::ui {

Legend::Legend(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("legend"));
    setAccessibleName(tr("Legend of the address map"));
    m_grid = new QGridLayout(this);
    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(4);
    m_grid->setColumnStretch(2, 1);
    rebuild();
}

void Legend::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    // Band and selection colours follow the palette: paint the swatches again.
    if (e->type() == QEvent::PaletteChange)
        rebuild();
}

void Legend::setOverlays(bool overlays)
{
    if (overlays == m_overlays)
        return;
    m_overlays = overlays;
    rebuild();
}

void Legend::rebuild()
{
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_swatches.clear();
    // The stretch below the last row stays with its row number: clear it, or a longer legend
    // (the overlay flags) would have a gap where the shorter one ended.
    for (int r = 0; r < m_grid->rowCount(); ++r)
        m_grid->setRowStretch(r, 0);
    m_entries = style::legend(palette(), m_overlays);
    const qreal dpr = devicePixelRatioF();
    int row = 0;
    for (const style::LegendEntry& e : m_entries) {
        // Painted at the screen's pixel ratio, so the swatch is as crisp as the map.
        QPixmap pm(QSize(kSwatchWidth, kSwatchHeight + 4) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(palette().color(QPalette::Base));
        {
            QPainter p(&pm);
            p.setFont(font());
            // Inset: outlines and the enlarged mark lie just outside the block, as on the map.
            style::paintSwatch(p, QRectF(4, 2, kSwatchWidth - 8, kSwatchHeight - 2), e, palette());
        }
        auto* swatch = new QLabel(this);
        swatch->setPixmap(pm);
        swatch->setAccessibleName(e.name);
        auto* name = new QLabel(QStringLiteral("<b>%1</b>").arg(e.name.toHtmlEscaped()), this);
        auto* meaning = new QLabel(e.meaning, this);
        meaning->setWordWrap(true);
        m_grid->addWidget(swatch, row, 0, Qt::AlignTop);
        m_grid->addWidget(name, row, 1, Qt::AlignTop);
        m_grid->addWidget(meaning, row, 2, Qt::AlignTop);
        m_swatches.push_back(swatch);
        ++row;
    }
    m_grid->setRowStretch(row, 1);
}

} // namespace carveout::ui
