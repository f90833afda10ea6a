// SPDX-License-Identifier: GPL-2.0-only
// Desktop conventions of the main window (issue 15, item 9, and the window's geometry defects
// of item 11): Help menu, dark palette, scale factors, a small window, remembered state, Tab
// order and the map's accessible regions, all on the real window and the offscreen platform.

// app
#include "version.h"

// ui
#include "addressmap.h"
#include "capture/capturemodel.h"
#include "capture/capturetext.h"
#include "compare/comparewindow.h"
#include "desktop/helpdialogs.h"
#include "desktop/windowconventions.h"
#include "mainwindow.h"
#include "mapstyle.h"
#include "propertypanel.h"
#include "sim/heatmapview.h"
#include "sim/simcharts.h"
#include "sim/simulationpanel.h"

// core
#include "edit/patcher.h"
#include "model/units.h"
#include "source/loader.h"

// tests
#include "../testutils.h"
#include "uitest.h"

// Qt
#include <QAccessible>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>
#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QUndoStack>

// std
#include <algorithm>
#include <cmath>
#include <set>

using namespace carveout;
using namespace carveout::ui;

class TestDesktopGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Every test's settings in a folder of its own run: nothing remembered from the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        test::isolateSettings();
        test::catchQtWarnings();
    }
    void aboutNamesTheVersions();
    void shortcutsListEveryAction();
    void darkPaletteIsLegible();
    void lightPaletteIsLegible();
    void crispAtScaleFactorTwo();
    void firstWindowFitsAtOneAndAHalf();
    void usableAt1024x700_data();
    void usableAt1024x700();
    void toolbarsFit_data();
    void toolbarsFit();
    void geometryAndDocksRemembered();
    void zoomSurvivesSave();
    void tabVisitsEveryPanel();
    void mapListsItsRegions();
    void cleanup()
    {
        QSettings().clear();
        const QStringList warnings = test::takeQtWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

private:
    QTemporaryDir m_settings;
};

namespace {
QString brk1()
{
    return test::samplesDir() + QStringLiteral("/broken/brk1-board.dts");
}

/// The board with the most kinds the corpus gives (50 regions), else the sample.
QString bigBoard()
{
    const QString hamoa = test::corpusDir() + QStringLiteral("/src/arm64/qcom/hamoa-iot-evk.dts");
    return QFile::exists(hamoa) ? hamoa : brk1();
}

/// Runs this test binary again with `env` added, for `slot` only (the scale factor must be set
/// before QApplication exists); the child's checks run because CARVEOUT_DESKTOP_CHILD is set.
void runChild(const char* slot, const QStringList& env)
{
    QProcess child;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("CARVEOUT_DESKTOP_CHILD"), QStringLiteral("1"));
    for (const QString& kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    child.setProcessEnvironment(e);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), { QLatin1String(slot) });
    QVERIFY(child.waitForFinished(120000));
    const QByteArray out = child.readAll();
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, out.constData());
    QVERIFY2(out.contains("PASS   : TestDesktopGui::") && !out.contains("SKIP"), out.constData());
}

bool inChild()
{
    return qEnvironmentVariableIsSet("CARVEOUT_DESKTOP_CHILD");
}

QDockWidget* dock(MainWindow& w, const char* name)
{
    return w.findChild<QDockWidget*>(QLatin1String(name));
}

/// Every text the map draws with the colour it is drawn in and the colour it is read against.
struct TextOn
{
    QString what;
    QColor text, background;
};

std::vector<TextOn> mapTexts(const MainWindow& w, const QPalette& pal)
{
    std::vector<TextOn> texts;
    const QColor text = pal.color(QPalette::Text), base = pal.color(QPalette::Base);
    texts.push_back({ QStringLiteral("ruler, /memreserve/, capture lane"), text, base });
    texts.push_back({ QStringLiteral("RAM band"), text, style::ramBand(pal) });
    texts.push_back({ QStringLiteral("outside RAM band"), text, style::outsideRamBand(pal) });
    for (const Region& r : w.layout().regions)
        texts.push_back({ r.name, style::regionText(r, pal), style::regionFill(r, pal) });
    // Every kind, enabled and not, whether or not the board has one.
    for (auto kind : { RegionKind::Cma, RegionKind::Coherent, RegionKind::Restricted, RegionKind::Reserved }) {
        for (bool noMap : { false, true }) {
            for (bool enabled : { false, true }) {
                Region r;
                r.kind = kind;
                r.noMap = noMap;
                r.enabled = enabled;
                texts.push_back({ QStringLiteral("%1 no-map %2 enabled %3").arg(kindName(kind)).arg(noMap).arg(enabled),
                    style::regionText(r, pal), style::regionFill(r, pal) });
            }
        }
    }
    for (const QColor& badge : { style::errorBadge(), style::warningBadge() })
        texts.push_back({ QStringLiteral("finding badge"), style::textOn(badge), badge });
    const QColor kernel = style::kernelReservationFill(pal);
    texts.push_back({ QStringLiteral("kernel reservation"), style::textOn(kernel), kernel });
    QColor unexplained = unexplainedColor();
    unexplained.setAlpha(70);
    const QColor u = style::composited(unexplained, base);
    texts.push_back({ QStringLiteral("unexplained reservation"), style::textOn(u), u });
    for (int i = 0; i < 2; ++i)
        texts.push_back(
            { QStringLiteral("simulation phase"), pal.color(QPalette::WindowText), style::phaseBand(pal, i) });
    const QColor window = pal.color(QPalette::Window);
    texts.push_back({ QStringLiteral("error status"), style::errorText(pal), window });
    texts.push_back({ QStringLiteral("fits status"), style::okText(pal), window });
    // The Capture table's verdict column.
    for (auto v : { capture::Verdict::Agree, capture::Verdict::Differ, capture::Verdict::Unknown })
        texts.push_back({ QStringLiteral("verdict column"), style::legibleOn(verdictColor(v), base), base });
    return texts;
}

void checkLegible(const QPalette& pal, const char* shot)
{
    QApplication::setPalette(pal);
    const auto window = test::openWindow(bigBoard());
    MainWindow& w = *window;
    QCOMPARE(w.addressMap()->palette().color(QPalette::Base), pal.color(QPalette::Base));
    for (const TextOn& t : mapTexts(w, pal)) {
        const double ratio = style::contrastRatio(t.text, t.background);
        QVERIFY2(ratio >= 4.5,
            qPrintable(QStringLiteral("%1: %2 on %3, contrast %4")
                           .arg(t.what, t.text.name(), t.background.name())
                           .arg(ratio)));
    }
    // The capture's outlines and marks on the map (graphics: 3:1).
    for (const QColor& c : { verdictColor(capture::Verdict::Agree), verdictColor(capture::Verdict::Differ),
             verdictColor(capture::Verdict::Unknown), unexplainedColor() }) {
        const QColor line = style::legibleOn(c, pal.color(QPalette::Base), 3);
        QVERIFY2(style::contrastRatio(line, pal.color(QPalette::Base)) >= 3, qPrintable(line.name()));
    }
    // The map paints what the style says: a kept, static block's fill (below its label, away
    // from its badge) is regionFill().
    const QImage image = w.addressMap()->grab().toImage();
    int checked = 0;
    for (int i = 0; i < int(w.layout().regions.size()); ++i) {
        const Region& r = w.layout().regions[size_t(i)];
        const QRect rect = w.addressMap()->regionRect(i).toRect();
        if (r.placement == Placement::Dynamic || rect.width() < 12 || rect.height() < 12
            || style::failedOutcome(w.analysis()->place(i).outcome) || !image.rect().contains(rect))
            continue;
        const QColor painted = image.pixelColor(rect.left() + 4, rect.bottom() - 3);
        QCOMPARE(painted.name(), style::regionFill(r, pal).name());
        ++checked;
    }
    QVERIFY(checked > 0);
    // The simulation's charts: titles and axis labels on the chart's background, the time
    // cursor visible on it (3:1, WCAG's contrast for graphics).
    SimCharts* charts = w.simulationPanel()->charts();
    for (int m = 0; m < SimCharts::MetricCount; ++m) {
        QChart* chart = charts->chart(SimCharts::Metric(m));
        const QColor background = chart->backgroundBrush().color();
        QVERIFY2(style::contrastRatio(chart->titleBrush().color(), background) >= 4.5, qPrintable(chart->title()));
        QVERIFY(style::contrastRatio(charts->timeAxis(SimCharts::Metric(m))->labelsColor(), background) >= 4.5);
        QVERIFY2(style::contrastRatio(charts->cursorLine(SimCharts::Metric(m))->color(), background) >= 3,
            qPrintable(chart->title()));
    }
    test::screenshot(w, shot);
    window->close();
    QApplication::setPalette(QPalette());
}
} // namespace

void TestDesktopGui::aboutNamesTheVersions()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* about = w.findChild<QAction*>(QStringLiteral("aboutAction"));
    QVERIFY(about);
    about->trigger();
    auto* dialog = w.findChild<QDialog*>(QStringLiteral("aboutDialog"));
    QVERIFY(dialog && dialog->isVisible());
    const QString text = dialog->findChild<QLabel*>(QStringLiteral("aboutText"))->text();
    QVERIFY2(text.contains(QLatin1String(version())), qPrintable(text));
    QVERIFY(text.contains(QLatin1String(qVersion())));
    QVERIFY(text.contains(QLatin1String(QT_VERSION_STR)));
    const QString dtc = dtcVersion();
    QVERIFY(!dtc.isEmpty());
    QVERIFY2(text.contains(dtc), qPrintable(text));
    // libfdt's version from configure time: the version of the library the tests link.
    QVERIFY(!libfdtVersion().isEmpty());
    QVERIFY(text.contains(QStringLiteral("libfdt</td><td>") + libfdtVersion()));
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    test::screenshot(*dialog, "about.png");
    dialog->close();
}

void TestDesktopGui::shortcutsListEveryAction()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // An action made after the window (as other features add theirs) is listed too.
    auto* late = new QAction(QStringLiteral("Late action"), &w);
    late->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_L));
    w.addAction(late);
    auto* keys = w.findChild<QAction*>(QStringLiteral("shortcutsAction"));
    QVERIFY(keys);
    keys->trigger();
    auto* dialog = w.findChild<QDialog*>(QStringLiteral("shortcutsDialog"));
    QVERIFY(dialog && dialog->isVisible());
    auto* table = dialog->findChild<QTableWidget*>(QStringLiteral("shortcuts"));
    QStringList rows;
    for (int row = 0; row < table->rowCount(); ++row)
        rows << table->item(row, 0)->text() + QLatin1Char('\t') + table->item(row, 1)->text();
    int withShortcut = 0;
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->shortcut().isEmpty())
            continue;
        ++withShortcut;
        QString text = a->text();
        text.remove(QLatin1Char('&'));
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        const bool listed = std::any_of(rows.begin(), rows.end(),
            [&](const QString& r) { return r.contains(text) && r.section(QLatin1Char('\t'), 1).contains(key); });
        QVERIFY2(
            listed, qPrintable(QStringLiteral("%1 (%2) not in:\n%3").arg(text, key, rows.join(QLatin1Char('\n')))));
    }
    QVERIFY(withShortcut >= 8); // Open, Save, Quit, Undo, Redo, zooms, ...
    QCOMPARE(table->rowCount(), withShortcut);
    QVERIFY(rows.join(QLatin1Char('\n')).contains(QLatin1String("File > Open...")));
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    test::screenshot(*dialog, "shortcuts.png");
    dialog->close();
}

void TestDesktopGui::darkPaletteIsLegible()
{
    checkLegible(darkPalette(), "window-dark.png");
}

void TestDesktopGui::lightPaletteIsLegible()
{
    checkLegible(QApplication::style()->standardPalette(), "window-light.png");
}

void TestDesktopGui::crispAtScaleFactorTwo()
{
    if (!inChild()) {
        runChild("crispAtScaleFactorTwo", { QStringLiteral("QT_SCALE_FACTOR=2") });
        return;
    }
    QCOMPARE(qApp->devicePixelRatio(), 2.0);
    const auto window = test::openWindow(bigBoard());
    MainWindow& w = *window;
    AddressMap* map = w.addressMap();
    test::screenshot(w, "window-scale2.png");
    const QPixmap shot = map->grab();
    QCOMPARE(shot.devicePixelRatio(), 2.0);
    QCOMPARE(shot.size(), map->size() * 2);
    const QImage image = shot.toImage();
    // Across each block's top edge, from the lane above into the block: the lane, the border
    // and the fill, no blended colour between them (a blurred line has some).
    int checked = 0;
    for (int i = 0; i < int(w.layout().regions.size()); ++i) {
        const QRectF r = map->regionRect(i);
        const Region& reg = w.layout().regions[size_t(i)];
        if (r.width() < 20 || i == map->selectedRegion() || !QRectF(map->rect()).contains(r)
            || reg.placement == Placement::Dynamic || style::failedOutcome(w.analysis()->place(i).outcome))
            continue;
        const int x = int(2 * (r.left() + r.width() * 0.75));
        // A leader to an outside label (antialiased, it may slant) that passes this point is
        // not the block's edge: such points are left out.
        const QPointF at(x / 2.0, r.top());
        const bool nearLeader = std::any_of(
            map->mapGeometry().labels().begin(), map->mapGeometry().labels().end(), [&](const MapLabel& l) {
                if (l.inside)
                    return false;
                const QPointF d = l.leaderTo - l.leaderFrom;
                const double len2 = QPointF::dotProduct(d, d);
                const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(at - l.leaderFrom, d) / len2, 0.0, 1.0) : 0;
                const QPointF c = l.leaderFrom + t * d - at;
                return std::hypot(c.x(), c.y()) < 4;
            });
        if (nearLeader)
            continue;
        std::set<QRgb> colours;
        for (int y = int(2 * r.top()) - 4; y <= int(2 * r.top()) + 5; ++y)
            colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() <= 3,
            qPrintable(QStringLiteral("%1 colours across the top edge of %2")
                           .arg(colours.size())
                           .arg(w.layout().regions[size_t(i)].name)));
        ++checked;
    }
    QVERIFY2(checked >= 3, qPrintable(QString::number(checked)));
    // The heatmap: one cell per device pixel, not a half-size picture blown up.
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/sim/sim-board.dts")));
    QVERIFY(w.openWorkload(test::samplesDir() + QStringLiteral("/sim/camera-streaming.json")));
    QApplication::processEvents();
    HeatmapView* heatmap = w.simulationPanel()->heatmap();
    const QRect plot = heatmap->plotRect();
    QVERIFY(plot.width() > 100);
    const sim::Heatmap& cells = heatmap->cells();
    QCOMPARE(cells.timeBins, 2 * plot.width());
    QCOMPARE(cells.addressBins, 2 * plot.height());
}

void TestDesktopGui::firstWindowFitsAtOneAndAHalf()
{
    if (!inChild()) {
        // A 1920x1080 laptop screen at 150%: 1280x720 logical pixels.
        QTemporaryDir dir;
        const QString config = test::writeFile(dir, QStringLiteral("screen.json"),
            R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080,
                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
        runChild("firstWindowFitsAtOneAndAHalf",
            { QStringLiteral("QT_SCALE_FACTOR=1.5"),
                QStringLiteral("QT_QPA_PLATFORM=offscreen:configfile=") + config });
        return;
    }
    QCOMPARE(qApp->devicePixelRatio(), 1.5);
    const QRect avail = QGuiApplication::primaryScreen()->availableGeometry();
    QCOMPARE(avail.size(), QSize(1280, 720));
    MainWindow w; // nothing remembered: the first start
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY2(avail.contains(w.frameGeometry()),
        qPrintable(QStringLiteral("window %1x%2+%3+%4 on a %5x%6 screen")
                       .arg(w.frameGeometry().width())
                       .arg(w.frameGeometry().height())
                       .arg(w.frameGeometry().x())
                       .arg(w.frameGeometry().y())
                       .arg(avail.width())
                       .arg(avail.height())));
    QVERIFY(w.width() >= avail.width() * 3 / 4); // and uses it
}

void TestDesktopGui::usableAt1024x700_data()
{
    QTest::addColumn<QString>("board");
    QTest::newRow("brk1") << brk1();
    if (!test::haveCorpus())
        return;
    // The most regions and lanes, two banks, and a board with many pools.
    for (const char* b : { "qcom/hamoa-iot-evk", "qcom/sm8550-qrd", "freescale/imx8mp-evk", "ti/k3-am69-aquila-dev" })
        QTest::newRow(b) << test::corpusDir() + QStringLiteral("/src/arm64/") + QLatin1String(b)
                + QStringLiteral(".dts");
}

void TestDesktopGui::usableAt1024x700()
{
    QFETCH(QString, board);
    const auto window = test::openWindow(board, QSize(1024, 700));
    MainWindow& w = *window;
    QApplication::processEvents(); // the layouts settle
    QCOMPARE(w.size(), QSize(1024, 700));
    auto* filter = w.findChild<QLineEdit*>(QStringLiteral("regionFilter"));
    QVERIFY(filter && filter->isVisible());
    const auto inWindow = [&](QWidget* c) { return QRect(c->mapTo(&w, QPoint(0, 0)), c->size()); };
    QVERIFY2(!inWindow(filter).intersects(inWindow(w.addressMap())), "the map covers the filter box");
    QVERIFY(filter->height() >= filter->minimumSizeHint().height());
    auto* table = w.findChild<QTableView*>(QStringLiteral("regions"));
    QVERIFY(!inWindow(table).intersects(inWindow(filter)));
    QVERIFY2(table->viewport()->height() >= 3 * table->verticalHeader()->defaultSectionSize(),
        "the regions table shows fewer than three rows");
    // Each visible dock's contents lie within the dock, and the Region panel is not cut: what
    // does not fit scrolls.
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) {
        if (!d->isVisible())
            continue;
        QVERIFY2(d->rect().contains(QRect(d->widget()->pos(), d->widget()->size())), qPrintable(d->objectName()));
    }
    auto* scroll = qobject_cast<QScrollArea*>(dock(w, "regionDock")->widget());
    QVERIFY(scroll);
    QVERIFY2(w.propertyPanel()->width() <= scroll->viewport()->width(), "the Region panel is cut on the right");
    QVERIFY(w.propertyPanel()->height() >= w.propertyPanel()->minimumSizeHint().height());
    // The status bar's totals are not cut.
    auto* totals = w.findChild<QLabel*>(QStringLiteral("totals"));
    QVERIFY2(totals->width() >= totals->sizeHint().width(),
        qPrintable(QStringLiteral("%1 < %2").arg(totals->width()).arg(totals->sizeHint().width())));
    if (QByteArray(QTest::currentDataTag()) == "qcom/hamoa-iot-evk")
        test::screenshot(w, "window-1024x700.png");
}

void TestDesktopGui::toolbarsFit_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1400x900") << QSize(1400, 900);
    QTest::newRow("1024x700") << QSize(1024, 700);
}

void TestDesktopGui::toolbarsFit()
{
    // Issue 18: one row of eleven fields squeezed Memory, Reserve and Loads at 1400 px. Every
    // toolbar widget shown is at least its minimum size and lies inside its bar; what does not
    // fit is in the bar's extension menu, not clipped.
    QFETCH(QSize, size);
    const auto window = test::openWindow(brk1(), size);
    MainWindow& w = *window;
    QApplication::processEvents();
    const auto bars = w.findChildren<QToolBar*>();
    QVERIFY(bars.size() >= 2);
    int shown = 0;
    for (QToolBar* bar : bars) {
        if (!bar->isVisible())
            continue;
        QVERIFY2(bar->width() <= w.width(), qPrintable(bar->objectName()));
        for (QAction* a : bar->actions()) {
            QWidget* c = bar->widgetForAction(a);
            if (!c || !c->isVisible())
                continue;
            ++shown;
            const QString what = QStringLiteral("%1 in %2 at %3: %4 px")
                                     .arg(c->objectName().isEmpty() ? QString::fromLatin1(c->metaObject()->className())
                                                                    : c->objectName(),
                                         bar->objectName())
                                     .arg(size.width())
                                     .arg(c->width());
            QVERIFY2(c->width() >= std::max(c->minimumSizeHint().width(), c->minimumWidth()), qPrintable(what));
            QVERIFY2(bar->rect().contains(c->geometry()), qPrintable(what));
            // A field keeps room for what it is there for: its hint, or at least 120 px.
            if (qobject_cast<QLineEdit*>(c))
                QVERIFY2(c->width() >= std::min(120, c->sizeHint().width()), qPrintable(what));
            if (auto* l = qobject_cast<QLabel*>(c))
                QVERIFY2(c->width() >= l->sizeHint().width(), qPrintable(what)); // the label is whole
        }
    }
    QVERIFY(shown >= 10);
    // At 1400 px everything is on the bars, nothing in an extension menu.
    if (size.width() >= 1400)
        for (QToolBar* bar : bars)
            for (QAction* a : bar->actions())
                if (QWidget* c = bar->widgetForAction(a))
                    QVERIFY2(c->isVisible(), qPrintable(c->objectName()));
    test::screenshot(w, QStringLiteral("toolbars-%1.png").arg(size.width()).toUtf8().constData());
}

void TestDesktopGui::geometryAndDocksRemembered()
{
    double zoom = 0, offset = 0;
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resize(1100, 800); // above the minimum with the Simulation dock open (763)
        dock(w, "captureDock")->hide();
        dock(w, "simulationDock")->show();
        QVERIFY(w.openFile(brk1()));
        w.addressMap()->setSelectedRegion(test::regionNamed(w, QStringLiteral("cdsp")));
        w.addressMap()->zoomToSelection();
        zoom = w.addressMap()->scale().zoom();
        offset = w.addressMap()->scale().offset();
        QVERIFY(w.close());
    }
    MainWindow again;
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1100, 800));
    QVERIFY(!dock(again, "captureDock")->isVisible());
    QVERIFY(dock(again, "simulationDock")->isVisible());
    QVERIFY(dock(again, "regionDock")->isVisible());
    // The board of the last session comes back as it was shown; another one fitted.
    QVERIFY(again.openFile(brk1()));
    QCOMPARE(again.addressMap()->scale().zoom(), zoom);
    QCOMPARE(again.addressMap()->scale().offset(), offset);
    QVERIFY(again.openFile(test::samplesDir() + QStringLiteral("/sim/sim-board.dts")));
    QVERIFY(again.addressMap()->scale().zoom() < zoom);
}

void TestDesktopGui::zoomSurvivesSave()
{
    QTemporaryDir dir;
    for (const auto& f : QDir(test::samplesDir() + QStringLiteral("/broken")).entryList(QDir::Files))
        QFile::copy(test::samplesDir() + QStringLiteral("/broken/") + f, dir.filePath(f));
    const auto window = test::openWindow(dir.filePath(QStringLiteral("brk1-board.dts")));
    MainWindow& w = *window;
    AddressMap* map = w.addressMap();
    const double fitted = map->scale().zoom();
    const int adsp = test::regionNamed(w, QStringLiteral("adsp@"));
    map->setSelectedRegion(adsp);
    map->zoomToSelection();
    const double zoom = map->scale().zoom(), offset = map->scale().offset();
    QVERIFY(zoom > fitted * 2);
    for (int i = 0; i < 0x10; ++i) // shrink by 64 KiB, one page at a time
        QTest::keyClick(map, Qt::Key_Left, Qt::ShiftModifier);
    EditDocument doc = *w.document();
    const QString error = w.writePatch(makePatch(doc));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(w.undoStack()->isClean());
    QCOMPARE(map->scale().zoom(), zoom);
    QCOMPARE(map->scale().offset(), offset);
    // Another board is seen whole.
    QVERIFY(w.openFile(test::samplesDir() + QStringLiteral("/broken/brk1-board.dts")));
    QVERIFY(map->scale().zoom() < zoom);
}

void TestDesktopGui::tabVisitsEveryPanel()
{
    const auto window = test::openWindow(brk1());
    MainWindow& w = *window;
    auto* bar = w.findChild<QToolBar*>(QStringLiteral("kernelToolBar"));
    auto* bootBar = w.findChild<QToolBar*>(QStringLiteral("bootToolBar"));
    QVERIFY(bar && bootBar);
    QWidget* first = nullptr;
    for (QWidget* c : bar->findChildren<QWidget*>()) {
        if (c->focusPolicy() & Qt::TabFocus && c->isVisible()) {
            first = c;
            break;
        }
    }
    QVERIFY(first);
    dock(w, "simulationDock")->show();
    first->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), first);
    // Where focus goes, panel by panel, until it comes back to where it started.
    QStringList visited;
    const auto panel = [&](QWidget* f) -> QString {
        for (QWidget* p = f; p; p = p->parentWidget()) {
            if (p == bar || p == bootBar)
                return f->objectName() == QLatin1String("includes") ? f->objectName() : QStringLiteral("toolbar");
            if (p == w.addressMap())
                return QStringLiteral("map");
            if (auto* d = qobject_cast<QDockWidget*>(p))
                return d->objectName();
        }
        for (QWidget* p = f; p; p = p->parentWidget()) {
            if (!p->objectName().isEmpty() && !p->objectName().startsWith(QLatin1String("qt_")))
                return p->objectName();
        }
        return QStringLiteral("?");
    };
    for (int i = 0; i < 80; ++i) {
        QWidget* f = QApplication::focusWidget();
        QVERIFY(f);
        if (visited.isEmpty() || visited.last() != panel(f))
            visited << panel(f);
        QTest::keyClick(f, Qt::Key_Tab);
        if (QApplication::focusWidget() == first)
            break;
    }
    QCOMPARE(QApplication::focusWidget(), first);
    const QString path = visited.join(QStringLiteral(" > "));
    QStringList panels = { QStringLiteral("toolbar"), QStringLiteral("includes"), QStringLiteral("map"),
        QStringLiteral("regionFilter"), QStringLiteral("regions"), QStringLiteral("findings"),
        QStringLiteral("source") };
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) {
        if (d->isVisible())
            panels << d->objectName();
    }
    QVERIFY(panels.contains(QLatin1String("simulationDock")));
    for (const QString& p : panels)
        QVERIFY2(visited.contains(p), qPrintable(QStringLiteral("no %1 in %2").arg(p, path)));
    // In reading order: the toolbar, the map, the table and what explains it, then the docks.
    QVERIFY2(visited.indexOf(QStringLiteral("map")) < visited.indexOf(QStringLiteral("regions"))
            && visited.indexOf(QStringLiteral("regions")) < visited.indexOf(QStringLiteral("findings"))
            && visited.indexOf(QStringLiteral("findings")) < visited.indexOf(QStringLiteral("regionDock")),
        qPrintable(path));
}

void TestDesktopGui::mapListsItsRegions()
{
    const auto window = test::openWindow(bigBoard());
    MainWindow& w = *window;
    AddressMap* map = w.addressMap();
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(map);
    QVERIFY(iface && iface->isValid());
    QCOMPARE(iface->role(), QAccessible::List);
    QVERIFY(!iface->text(QAccessible::Name).isEmpty());
    QVERIFY(!iface->text(QAccessible::Description).isEmpty());
    const int n = int(w.layout().regions.size());
    QVERIFY(n > 3);
    QCOMPARE(iface->childCount(), n);
    for (int i = 0; i < n; ++i) {
        QAccessibleInterface* c = iface->child(i);
        QVERIFY(c && c->isValid());
        QCOMPARE(c->parent(), iface);
        QCOMPARE(iface->indexOfChild(c), i);
        QCOMPARE(c->role(), QAccessible::ListItem);
        QCOMPARE(c->text(QAccessible::Name), w.layout().regions[size_t(i)].name);
        const QString d = c->text(QAccessible::Description);
        QVERIFY2(d.contains(formatSize(w.analysis()->place(i).size)), qPrintable(d));
        if (const auto base = w.analysis()->place(i).base)
            QVERIFY2(d.contains(toHex(*base)), qPrintable(d));
        QVERIFY(!c->state().selected);
    }
    // The selection is the map's: a click on a block selects its child.
    const int cdsp = test::regionNamed(w, QStringLiteral("cdsp"));
    const int pick = cdsp >= 0 ? cdsp : 0;
    QTest::mouseClick(map, Qt::LeftButton, {}, map->regionRect(pick).center().toPoint());
    QCOMPARE(map->selectedRegion(), pick);
    QVERIFY(iface->child(pick)->state().selected);
    const QRect global(map->mapToGlobal(QPoint(0, 0)), map->size());
    QVERIFY(global.contains(iface->child(pick)->rect().center()));
    QCOMPARE(iface->childAt(iface->child(pick)->rect().center().x(), iface->child(pick)->rect().center().y()),
        iface->child(pick));
    // Another board: the children follow.
    QVERIFY(w.openFile(brk1()));
    QCOMPARE(iface->childCount(), int(w.layout().regions.size()));
    QCOMPARE(iface->child(0)->text(QAccessible::Name), w.layout().regions[0].name);
    // The Compare window's maps list theirs.
    w.findChild<QAction*>(QStringLiteral("compareWith"))->trigger();
    CompareWindow* compare = w.compareWindow();
    QVERIFY(QTest::qWaitForWindowExposed(compare));
    auto* mapA = compare->findChild<AddressMap*>(QStringLiteral("mapA"));
    QAccessibleInterface* a = QAccessible::queryAccessibleInterface(mapA);
    QCOMPARE(a->role(), QAccessible::List);
    QVERIFY(!a->text(QAccessible::Name).isEmpty());
    QCOMPARE(a->childCount(), mapA->data().regionCount());
    QVERIFY(a->childCount() > 0);
    QCOMPARE(a->child(0)->text(QAccessible::Name), mapA->data().region(0).name);
    compare->close();
}

QTEST_MAIN(TestDesktopGui)
#include "tst_desktopgui.moc"
