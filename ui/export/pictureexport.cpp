// SPDX-License-Identifier: GPL-2.0-only
#include "pictureexport.h"

// ui
#include "addressmap.h"
#include "diagram/diagramview.h"

// Qt
#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPrinter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>

namespace carveout::ui {

namespace {
QString tr(const char* s)
{
    return QCoreApplication::translate("PictureExport", s);
}

/** The diagram as a picture: the whole diagram painted into the widget (paintTo), not the
 *  scroll area's visible part. */
class DiagramPicture : public QWidget
{
public:
    DiagramPicture(const MapData& mapData, const PictureRequest& r)
    {
        m_view.setPalette(r.palette);
        m_view.setData(mapData);
        if (r.diagramDetail)
            m_view.setDetail(DiagramLayout::Detail(*r.diagramDetail));
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.fillRect(rect(), palette().base());
        m_view.paintTo(p, rect());
    }

private:
    DiagramView m_view;
};

std::unique_ptr<QWidget> makeMap(const MapData& data, const PictureRequest& r)
{
    auto map = std::make_unique<AddressMap>();
    map->setAttribute(Qt::WA_DontShowOnScreen);
    map->setPalette(r.palette);
    map->resize(r.size);
    map->setData(data);
    map->fit();
    if (r.range)
        map->scale().zoomTo(r.range->first, r.range->second);
    return map;
}

/** Renders the view into `device` (whose size is the request's). */
void renderInto(QWidget& view, QPaintDevice& device)
{
    QPainter p(&device);
    view.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
}
} // namespace

QString pictureViewName(PictureView v)
{
    return v == PictureView::Map ? QStringLiteral("map") : QStringLiteral("diagram");
}

std::optional<PictureView> pictureViewFromName(const QString& name)
{
    if (name == QLatin1String("map"))
        return PictureView::Map;
    if (name == QLatin1String("diagram"))
        return PictureView::Diagram;
    return std::nullopt;
}

std::unique_ptr<QWidget> makePictureView(const MapData& data, const PictureRequest& request)
{
    if (request.view == PictureView::Map)
        return makeMap(data, request);
    auto diagram = std::make_unique<DiagramPicture>(data, request);
    diagram->setAttribute(Qt::WA_DontShowOnScreen);
    diagram->setPalette(request.palette);
    diagram->resize(request.size);
    return diagram;
}

QString writePicture(const MapData& data, const PictureRequest& request, const QString& file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("png"))
        return tr("%1: the picture's name must end in .svg or .png").arg(file);
    if (!request.size.isValid() || request.size.width() < 16 || request.size.height() < 16)
        return tr("%1: a picture needs a size of at least 16x16 pixels").arg(file);
    const std::unique_ptr<QWidget> view = makePictureView(data, request);
    if (!view)
        return tr("%1: there is no %2 view to draw").arg(file, pictureViewName(request.view));
    // Render first, then replace the file in one step: a failed render leaves the old file.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(view->size());
        svg.setViewBox(QRect(QPoint(), view->size()));
        svg.setTitle(QFileInfo(data.layout().file).fileName());
        svg.setDescription(tr("Carveout %1 of %2").arg(pictureViewName(request.view), data.layout().file));
        renderInto(*view, svg);
        // QSvgGenerator gives the size in millimetres at its resolution, which viewers read at
        // their own (90 or 96 dpi): in pixels the picture has the size asked for everywhere.
        const int open = bytes.indexOf("<svg"), close = bytes.indexOf('>', open);
        if (open >= 0 && close > open) {
            static const QRegularExpression mm(QStringLiteral("(width|height)=\"[0-9.]+mm\""));
            QString head = QString::fromUtf8(bytes.mid(open, close - open));
            head.replace(mm, QString());
            head.insert(4, QStringLiteral(" width=\"%1\" height=\"%2\"").arg(view->width()).arg(view->height()));
            bytes.replace(open, close - open, head.toUtf8());
        }
    } else {
        QImage image(view->size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(request.palette.color(QPalette::Base));
        renderInto(*view, image);
        if (!image.save(&buffer, "PNG"))
            return tr("%1: the PNG could not be encoded").arg(file);
    }
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        return tr("%1: could not be written (%2)").arg(file, out.errorString());
    return {};
}

QString printPicture(const MapData& data, PictureRequest request, QPrinter& printer)
{
    const QRectF page = printer.pageLayout().paintRect(QPageLayout::Point);
    request.size = page.size().toSize();
    const std::unique_ptr<QWidget> view = makePictureView(data, request);
    if (!view)
        return tr("there is no %1 view to print").arg(pictureViewName(request.view));
    QPainter p;
    if (!p.begin(&printer))
        return tr("the printer could not be started");
    // The view is laid out in points; the printer's device pixels are finer.
    const double s = printer.resolution() / 72.0;
    p.scale(s, s);
    view->render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    p.end();
    return {};
}

QSize parsePictureSize(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,5})\\s*[xX]\\s*(\\d{1,5})\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return {};
    const int w = m.captured(1).toInt(), h = m.captured(2).toInt();
    if (w < 16 || h < 16 || w > 20000 || h > 20000)
        return {};
    return QSize(w, h);
}

} // namespace carveout::ui
