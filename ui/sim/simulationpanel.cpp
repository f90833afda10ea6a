// SPDX-License-Identifier: GPL-2.0-only
#include "sim/simulationpanel.h"

// ui
#include "mapstyle.h"
#include "sim/heatmapview.h"
#include "sim/simcharts.h"
#include "sim/workloadplayer.h"

// core
#include "edit/safesave.h"
#include "report/jsonwriter.h"
#include "report/layoutreport.h"
#include "sim/timeline.h"

// Qt
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QBuffer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBlock>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

namespace {

QString shortPath(const QString& path)
{
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}
} // namespace

SimulationPanel::SimulationPanel(QWidget* parent)
    : QWidget(parent)
{
    m_player = new WorkloadPlayer(this);
    buildUi();
}

SimulationPanel::~SimulationPanel()
{
    if (m_search) {
        *m_cancel = true;
        m_search->wait();
    }
}

void SimulationPanel::buildUi()
{
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(4, 4, 4, 4);
    box->setSpacing(4);

    // Row 1: the workload and what to watch.
    auto* row1 = new QHBoxLayout;
    m_name = new QLabel(tr("No workload"), this);
    m_name->setObjectName(QStringLiteral("workloadName"));
    auto* open = new QPushButton(tr("Open workload..."), this);
    connect(open, &QPushButton::clicked, this, &SimulationPanel::openDialog);
    auto* save = new QPushButton(tr("Save as..."), this);
    connect(save, &QPushButton::clicked, this, &SimulationPanel::saveAsDialog);
    m_poolBox = new QComboBox(this);
    m_poolBox->setObjectName(QStringLiteral("poolBox"));
    m_poolBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_poolBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (!m_updatingPools && i >= 0)
            setWatchedPool(m_poolBox->itemData(i).toInt());
    });
    m_colourBox = new QComboBox(this);
    m_colourBox->addItem(tr("by occupancy"));
    m_colourBox->addItem(tr("by device"));
    connect(m_colourBox, &QComboBox::currentIndexChanged, this,
        [this](int i) { m_heatmap->setColour(i == 1 ? HeatmapView::Colour::Device : HeatmapView::Colour::Occupancy); });
    row1->addWidget(open);
    row1->addWidget(save);
    row1->addWidget(m_name, 1);
    row1->addWidget(new QLabel(tr("Pool"), this));
    row1->addWidget(m_poolBox);
    row1->addWidget(new QLabel(tr("Colour"), this));
    row1->addWidget(m_colourBox);
    box->addLayout(row1);

    // Row 2: the player, the search, the exports.
    auto* row2 = new QHBoxLayout;
    auto tool = [this](const QString& text, const QString& tip, QStyle::StandardPixmap icon) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setIcon(style()->standardIcon(icon));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return b;
    };
    auto* reset = tool(tr("Reset"), tr("Back to operation 0"), QStyle::SP_MediaSkipBackward);
    m_playButton = tool(tr("Play"), tr("Play or pause the workload (Space)"), QStyle::SP_MediaPlay);
    m_playButton->setObjectName(QStringLiteral("play"));
    auto* step = tool(tr("Step"), tr("One operation forward"), QStyle::SP_MediaSeekForward);
    auto* next
        = tool(tr("Next failure"), tr("Jump just past the next failed allocation"), QStyle::SP_MessageBoxWarning);
    connect(reset, &QToolButton::clicked, m_player, &WorkloadPlayer::reset);
    connect(m_playButton, &QToolButton::clicked, m_player, &WorkloadPlayer::togglePlay);
    connect(step, &QToolButton::clicked, m_player, &WorkloadPlayer::step);
    connect(next, &QToolButton::clicked, m_player, &WorkloadPlayer::nextFailure);
    m_speed = new QSlider(Qt::Horizontal, this);
    m_speed->setObjectName(QStringLiteral("speed"));
    m_speed->setRange(0, 120); // 10^(v/20) operations per second: 1 .. 1,000,000
    m_speed->setFixedWidth(120);
    m_speedLabel = new QLabel(this);
    connect(m_speed, &QSlider::valueChanged, this, [this](int v) {
        m_player->setSpeed(std::pow(10.0, v / 20.0));
        updateSpeedLabel();
    });
    m_position = new QLabel(this);
    m_position->setObjectName(QStringLiteral("position"));
    m_minSizeButton = new QPushButton(tr("Smallest size..."), this);
    m_minSizeButton->setToolTip(tr("Search the smallest size of the watched pool (base kept) for which nothing fails"));
    connect(m_minSizeButton, &QPushButton::clicked, this, &SimulationPanel::findMinimumSize);
    auto* png = new QPushButton(tr("PNG..."), this);
    png->setToolTip(tr("Export the heatmap as shown"));
    connect(png, &QPushButton::clicked, this, &SimulationPanel::exportPngDialog);
    auto* csv = new QPushButton(tr("CSV..."), this);
    csv->setToolTip(tr("Export every pool's metrics over time"));
    connect(csv, &QPushButton::clicked, this, &SimulationPanel::exportCsvDialog);
    for (QWidget* w : std::initializer_list<QWidget*> { reset, m_playButton, step, next })
        row2->addWidget(w);
    row2->addWidget(new QLabel(tr("Speed"), this));
    row2->addWidget(m_speed);
    row2->addWidget(m_speedLabel);
    row2->addWidget(m_position, 1);
    row2->addWidget(m_minSizeButton);
    row2->addWidget(png);
    row2->addWidget(csv);
    box->addLayout(row2);

    // Heatmap and charts | the workload's JSON.
    m_tabs = new QTabWidget(this);
    auto* split = new QSplitter(Qt::Horizontal, m_tabs);
    m_heatmap = new HeatmapView(split);
    m_charts = new SimCharts(split);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({ 600, 400 });
    m_tabs->addTab(split, tr("Heatmap and charts"));
    // Space plays and pauses where it cannot mean typing (not in the workload editor).
    auto* space = new QShortcut(QKeySequence(Qt::Key_Space), split);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, m_player, &WorkloadPlayer::togglePlay);
    auto* editorPage = new QWidget(m_tabs);
    auto* editorBox = new QVBoxLayout(editorPage);
    editorBox->setContentsMargins(0, 0, 0, 0);
    m_editor = new QPlainTextEdit(editorPage);
    m_editor->setObjectName(QStringLiteral("workloadEditor"));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("A workload in JSON (docs/workloads.md). Ctrl+Return runs it."));
    m_editorError = new QLabel(editorPage);
    m_editorError->setWordWrap(true);
    m_editorError->setStyleSheet(QStringLiteral("color: %1").arg(style::errorText(palette()).name()));
    auto* editorButtons = new QHBoxLayout;
    auto* apply = new QPushButton(tr("Run (Ctrl+Return)"), editorPage);
    connect(apply, &QPushButton::clicked, this, [this] { applyText(); });
    auto* saveHere = new QPushButton(tr("Save"), editorPage);
    connect(saveHere, &QPushButton::clicked, this, [this] {
        if (m_file.isEmpty())
            return saveAsDialog();
        if (const QString e = saveWorkload(m_file); !e.isEmpty())
            QMessageBox::warning(this, tr("Workload not saved"), e);
    });
    editorButtons->addWidget(apply);
    editorButtons->addWidget(saveHere);
    editorButtons->addWidget(m_editorError, 1);
    editorBox->addWidget(m_editor, 1);
    editorBox->addLayout(editorButtons);
    auto* run = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_editor);
    connect(run, &QShortcut::activated, this, [this] { applyText(); });
    m_tabs->addTab(editorPage, tr("Workload"));
    box->addWidget(m_tabs, 1);

    // The verdict, and the smallest size with its Apply button.
    auto* row3 = new QHBoxLayout;
    m_status = new QLabel(tr("Open a workload to see how the pools serve it."), this);
    m_status->setObjectName(QStringLiteral("simStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_minSizeLabel = new QLabel(this);
    m_apply = new QPushButton(this);
    m_apply->setObjectName(QStringLiteral("applyMinSize"));
    m_apply->hide();
    connect(m_apply, &QPushButton::clicked, this, [this] {
        const sim::SimResult* r = result();
        if (!r || m_minSize.minimum == 0)
            return;
        for (const auto& p : r->pools) {
            if (p.path == m_minSizePath && p.region >= 0) {
                emit resizeRequested(p.region, m_minSize.minimum);
                break;
            }
        }
        m_apply->hide();
    });
    row3->addWidget(m_status, 1);
    row3->addWidget(m_minSizeLabel);
    row3->addWidget(m_apply);
    box->addLayout(row3);

    connect(m_player, &WorkloadPlayer::positionChanged, this, [this](uint64_t p) {
        m_heatmap->setCursor(p);
        m_charts->setCursor(p);
        updatePositionLabel();
    });
    connect(m_player, &WorkloadPlayer::stateChanged, this, [this](WorkloadPlayer::State s) {
        const bool playing = s == WorkloadPlayer::State::Playing;
        m_playButton->setText(playing ? tr("Pause") : tr("Play"));
        m_playButton->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        updatePositionLabel();
    });
    connect(m_heatmap, &HeatmapView::cursorRequested, m_player, &WorkloadPlayer::seek);
    connect(m_heatmap, &HeatmapView::timeWindowChanged, m_charts, &SimCharts::setTimeWindow);
    m_speed->setValue(40);
    updatePositionLabel();
}

bool SimulationPanel::openWorkload(const QString& file)
{
    // As the CLI reads it: special files, links and sizes past 64 MiB get their own sentence.
    QByteArray content;
    QString error;
    if (!readUserFile(file, 64 << 20, &content, &error)) {
        m_editorError->setText(error);
        emit statusChanged(error);
        return false;
    }
    m_file = QFileInfo(file).absoluteFilePath();
    m_fileContent = content;
    m_editor->setPlainText(QString::fromUtf8(m_fileContent));
    m_editor->document()->setModified(false);
    const QString e = applyText();
    if (!e.isEmpty())
        m_tabs->setCurrentIndex(1); // show the text at fault
    return e.isEmpty();
}

QString SimulationPanel::applyText()
{
    QString error;
    auto parsed = sim::parseWorkload(m_editor->toPlainText().toUtf8(), &error);
    if (!parsed) {
        const QString where = m_file.isEmpty() ? tr("workload") : QFileInfo(m_file).fileName();
        m_editorError->setText(QStringLiteral("%1:%2").arg(where, error));
        // JSON syntax errors start with line:column: put the cursor there.
        const auto m = QRegularExpression(QStringLiteral("^(\\d+):(\\d+):")).match(error);
        if (m.hasMatch()) {
            QTextCursor c(m_editor->document()->findBlockByNumber(m.captured(1).toInt() - 1));
            c.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, m.captured(2).toInt() - 1);
            m_editor->setTextCursor(c);
        }
        return error;
    }
    m_editorError->clear();
    const QString title = parsed->name.isEmpty() ? QFileInfo(m_file).completeBaseName() : parsed->name;
    m_name->setText(QStringLiteral("<b>%1</b> &middot; %2 operations, %3 device(s)")
                        .arg(title.toHtmlEscaped())
                        .arg(parsed->ops.size())
                        .arg(parsed->devices.size()));
    m_name->setToolTip(m_file);
    m_workload = std::make_shared<const sim::Workload>(*parsed);
    m_watchedPath.clear(); // a new workload: watch the pool that fails, else the busiest
    sim::SimOptions options;
    options.timeBins = 512; // the charts' resolution; the heatmap computes its own cells
    options.addressBins = 1;
    m_sim = std::make_unique<sim::Simulator>(std::move(*parsed), options);
    // A new workload plays from the start in about ten seconds; until then the whole run shows.
    const double speed = std::max(1.0, double(m_workload->ops.size()) / 10.0);
    m_speed->setValue(int(std::lround(20 * std::log10(speed))));
    m_player->reset();
    run(m_tree, *m_analysis);
    m_player->seek(m_workload->ops.size());
    return {};
}

QString SimulationPanel::saveWorkload(const QString& file)
{
    // Never clobber a file someone changed since we read it.
    QFile current(file);
    const QString abs = QFileInfo(file).absoluteFilePath();
    if (abs == m_file && current.exists()) {
        if (!current.open(QIODevice::ReadOnly))
            return tr("cannot read %1 to check it: %2").arg(file, current.errorString());
        if (current.readAll() != m_fileContent)
            return tr("%1 changed on disk since it was opened; nothing was written. Save under another name, or "
                      "open it again to see the new content.")
                .arg(file);
    }
    const QByteArray text = m_editor->toPlainText().toUtf8();
    if (const QString e = writeFileAtomically(file, text); !e.isEmpty())
        return e;
    m_file = abs;
    m_fileContent = text;
    m_editor->document()->setModified(false);
    return {};
}

void SimulationPanel::boardChanged(const LoadedTree& tree, const AnalysisPtr& analysis, bool live)
{
    // A drag's previews only re-run; the board is kept (for a workload opened later) when the
    // window settles, so no copy is made on every mouse move.
    if (!live) {
        m_tree = tree;
        m_analysis = analysis;
        m_haveBoard = true;
    }
    run(tree, *analysis);
}

const sim::SimResult* SimulationPanel::result() const
{
    return m_sim && m_haveBoard ? &m_sim->result() : nullptr;
}

int SimulationPanel::lastRerunCount() const
{
    return m_sim ? m_sim->lastRerunCount() : 0;
}

void SimulationPanel::run(const LoadedTree& tree, const Analysis& analysis)
{
    if (!m_sim || !m_haveBoard)
        return;
    const sim::SimResult& r = m_sim->update(tree, analysis);
    // The pool list, keeping the watched pool by path; otherwise the first that fails, else the
    // busiest.
    m_updatingPools = true;
    m_poolBox->clear();
    int watch = -1, failing = -1, busiest = -1;
    uint32_t most = 0;
    for (size_t i = 0; i < r.pools.size(); ++i) {
        const sim::SimPool& p = r.pools[i];
        const sim::PoolRun& run = r.runs[i];
        const uint32_t bad = run.failures + run.fallbacks;
        m_poolBox->addItem(QStringLiteral("%1 (%2, %3)%4")
                               .arg(shortPath(p.path), kindName(p.kind), formatSize(p.size),
                                   bad ? tr(" - %1 failed").arg(bad) : QString()),
            int(i));
        if (p.path == m_watchedPath)
            watch = int(i);
        if (bad && failing < 0)
            failing = int(i);
        if (run.allocs > most) {
            most = run.allocs;
            busiest = int(i);
        }
    }
    if (watch < 0)
        watch = failing >= 0 ? failing : busiest >= 0 ? busiest : (r.pools.empty() ? -1 : 0);
    m_poolBox->setCurrentIndex(m_poolBox->findData(watch));
    m_updatingPools = false;
    m_watched = watch;
    if (m_watched >= 0)
        m_watchedPath = r.pools[size_t(m_watched)].path;
    // An answer for another geometry is stale.
    if (!m_minSizePath.isEmpty()) {
        bool same = false;
        for (const auto& p : r.pools)
            same = same || (p.path == m_minSizePath && p.size == m_minSize.current);
        if (!same) {
            m_minSizeLabel->clear();
            m_apply->hide();
            m_minSizePath.clear();
        }
    }
    showPool();
}

void SimulationPanel::setWatchedPool(int pool)
{
    const sim::SimResult* r = result();
    if (!r || pool < 0 || size_t(pool) >= r->pools.size())
        return;
    m_watched = pool;
    m_watchedPath = r->pools[size_t(pool)].path;
    m_updatingPools = true;
    m_poolBox->setCurrentIndex(m_poolBox->findData(pool));
    m_updatingPools = false;
    showPool();
}

void SimulationPanel::showPool()
{
    const sim::SimResult* r = result();
    const uint64_t ops = m_workload ? m_workload->ops.size() : 0;
    const QString status = statusText();
    if (!r || m_watched < 0 || !r->error.isEmpty()) {
        // The heatmap says why it is empty; the status line below says it in full.
        const QString why = !m_workload ? QString()
            : !r                        ? tr("Open a board to run the workload")
            : !r->error.isEmpty()       ? tr("The workload cannot run on this board (see below)")
                                        : tr("No pool on this board serves the workload");
        m_heatmap->setTimeline({}, m_workload, why);
        m_charts->setRun({}, 0);
        m_player->setLength(ops);
        m_player->setFailures({});
        m_status->setStyleSheet(
            r && !r->error.isEmpty() ? QStringLiteral("color: %1").arg(style::errorText(palette()).name()) : QString());
        m_status->setText(status);
        emit statusChanged(status);
        return;
    }
    const sim::SimPool& pool = r->pools[size_t(m_watched)];
    const sim::PoolRun& run = r->runs[size_t(m_watched)];
    sim::PoolTimeline t = sim::buildTimeline(*m_workload, *r, m_watched);
    std::vector<uint64_t> failures;
    for (const auto& f : t.failures)
        failures.push_back(f.op);
    std::sort(failures.begin(), failures.end());
    m_heatmap->setTimeline(std::move(t), m_workload,
        QStringLiteral("%1 (%2, %3 at %4)")
            .arg(pool.path, kindName(pool.kind), formatSize(pool.size), toHex(pool.base)));
    m_charts->setRun(run, pool.size, failures); // the time axis follows the heatmap's timeWindowChanged
    m_player->setLength(ops);
    m_player->setFailures(std::move(failures));
    m_heatmap->setCursor(m_player->position());
    m_charts->setCursor(m_player->position());
    updatePositionLabel();
    const bool fits = run.failures + run.fallbacks == 0;
    m_status->setStyleSheet(
        QStringLiteral("color: %1").arg((fits ? style::okText(palette()) : style::errorText(palette())).name()));
    m_status->setText(status);
    emit statusChanged(status);
}

QString SimulationPanel::statusText() const
{
    const sim::SimResult* r = result();
    if (!r)
        return m_workload ? tr("Open a board to run the workload.") : tr("No workload.");
    if (!r->error.isEmpty())
        return r->error;
    if (m_watched < 0)
        return tr("No pool on this board serves the workload.");
    const sim::SimPool& pool = r->pools[size_t(m_watched)];
    const sim::PoolRun& run = r->runs[size_t(m_watched)];
    const QString name = shortPath(pool.path);
    QString others = r->failures + r->fallbacks > run.failures + run.fallbacks
        ? tr("; %1 more in other pools").arg(r->failures + r->fallbacks - run.failures - run.fallbacks)
        : QString();
    if (!pool.busy.empty())
        others += tr("; %1 busy range(s): %2 retries, %3 failed on busy pages")
                      .arg(pool.busy.size())
                      .arg(run.busyRetries)
                      .arg(run.busyFailures);
    if (run.failures + run.fallbacks == 0)
        return tr("%1 fits: peak %2 of %3 (%4%), smallest largest-free block %5%6")
            .arg(name, formatSize(run.peakUsed), formatSize(pool.size))
            .arg(pool.size ? 100.0 * double(run.peakUsed) / double(pool.size) : 0.0, 0, 'f', 1)
            .arg(formatSize(run.minLargestFree == UINT64_MAX ? pool.size : run.minLargestFree), others);
    const uint64_t first = uint64_t(run.firstFailureOp);
    const sim::Op& op = m_workload->ops[size_t(first)];
    const sim::OpResult& res = r->ops[size_t(first)];
    return tr("%1: %2 failed and %3 fell back, the first at op %4 (%5 asked %6; largest free block %7)%8")
        .arg(name)
        .arg(run.failures)
        .arg(run.fallbacks)
        .arg(first)
        .arg(m_workload->bufferName(op), formatSize(op.size), formatSize(res.bytes), others);
}

void SimulationPanel::updatePositionLabel()
{
    const uint64_t n = m_workload ? m_workload->ops.size() : 0;
    const uint64_t p = m_player->position();
    QString phase;
    if (m_workload && p > 0 && p <= n) {
        const uint32_t ph = m_workload->ops[size_t(p - 1)].phase;
        if (ph != 0)
            phase = tr(" - phase %1").arg(m_workload->phases.value(int(ph)));
    }
    m_position->setText(tr("op %1 / %2%3").arg(p).arg(n).arg(phase));
}

void SimulationPanel::updateSpeedLabel()
{
    const double s = m_player->speed();
    m_speedLabel->setText(s >= 1000 ? tr("%1k op/s").arg(s / 1000, 0, 'f', s >= 10000 ? 0 : 1)
                                    : tr("%1 op/s").arg(s, 0, 'f', s >= 10 ? 0 : 1));
}

void SimulationPanel::findMinimumSize()
{
    const sim::SimResult* r = result();
    if (!r || m_watched < 0 || m_search)
        return;
    // The search runs on a copy: the window may re-run the simulation meanwhile.
    auto sim = std::make_shared<const sim::Simulator>(*m_sim);
    const int pool = m_watched;
    const QString path = r->pools[size_t(pool)].path;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_progress = new QProgressDialog(
        tr("Searching the smallest size of %1...").arg(shortPath(path)), tr("Cancel"), 0, 2, this);
    m_progress->setWindowTitle(tr("Smallest pool size"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(300);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    auto cancel = m_cancel;
    connect(m_progress, &QProgressDialog::canceled, this, [cancel] { *cancel = true; });
    m_minSizeButton->setEnabled(false);
    m_search = QThread::create([this, sim, pool, path, cancel] {
        const sim::MinSizeResult m = sim->minSize(pool, [this, cancel, path](int done, int expected, uint64_t trying) {
            QMetaObject::invokeMethod(
                this,
                [this, done, expected, trying, path] {
                    if (!m_progress)
                        return;
                    m_progress->setMaximum(expected);
                    m_progress->setValue(done);
                    if (trying)
                        m_progress->setLabelText(tr("Searching the smallest size of %1: trying %2 (run %3 of about %4)")
                                                     .arg(shortPath(path), formatSize(trying))
                                                     .arg(done + 1)
                                                     .arg(expected));
                },
                Qt::QueuedConnection);
            return !*cancel;
        });
        QMetaObject::invokeMethod(
            this, [this, m, path] { minSizeDone(m, path); }, Qt::QueuedConnection);
    });
    connect(m_search, &QThread::finished, m_search, &QObject::deleteLater);
    m_search->start();
}

void SimulationPanel::cancelSearch()
{
    if (m_cancel)
        *m_cancel = true;
}

void SimulationPanel::minSizeDone(const sim::MinSizeResult& r, const QString& poolPath)
{
    if (m_search) {
        m_search->wait();
        m_search = nullptr; // deleted by its finished signal
    }
    if (m_progress) {
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    m_minSizeButton->setEnabled(true);
    m_minSize = r;
    m_minSizePath.clear();
    m_apply->hide();
    if (r.cancelled) {
        m_minSizeLabel->setText(tr("Search cancelled."));
    } else if (!r.error.isEmpty()) {
        m_minSizeLabel->setText(r.error);
    } else {
        m_minSizePath = poolPath;
        QString text = tr("Smallest %1: <b>%2</b> (now %3)")
                           .arg(shortPath(poolPath), formatSize(r.minimum), formatSize(r.current));
        if (r.smaller)
            text += tr("; %1 fails at op %2").arg(formatSize(r.smaller)).arg(r.smallerFirstFailure);
        m_minSizeLabel->setText(text);
        int region = -1;
        if (const sim::SimResult* res = result())
            for (const auto& p : res->pools)
                if (p.path == poolPath)
                    region = p.region;
        if (region >= 0 && r.minimum != r.current) {
            m_apply->setText(tr("Resize to %1").arg(formatSize(r.minimum)));
            m_apply->show();
        } else if (region < 0) {
            m_minSizeLabel->setText(text + tr(" - set cma=%1 on the command line").arg(formatSize(r.minimum)));
        }
    }
    emit searchFinished();
}

QString SimulationPanel::exportPng(const QString& file)
{
    const QImage image = m_heatmap->toImage();
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG"))
        return tr("cannot encode the heatmap as PNG");
    return writeFileAtomically(file, png);
}

QString SimulationPanel::exportCsv(const QString& file)
{
    const sim::SimResult* r = result();
    if (!r)
        return tr("nothing to export: open a board and a workload");
    QByteArray csv = MetricsModel::csvHeader();
    for (size_t i = 0; i < r->pools.size(); ++i)
        csv += MetricsModel::csvRows(r->pools[i].path, r->runs[i], r->pools[i].size);
    return writeFileAtomically(file, csv);
}

QString SimulationPanel::dialogFolder() const
{
    // The last workload's folder, else the board's (workloads sit beside their board), never the
    // folder the program happened to start in.
    if (!m_file.isEmpty())
        return QFileInfo(m_file).absolutePath();
    if (m_haveBoard && !m_tree.absoluteFile.isEmpty())
        return QFileInfo(m_tree.absoluteFile).absolutePath();
    return QString();
}

void SimulationPanel::openDialog()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open workload"), dialogFolder(), tr("Workloads (*.json);;All files (*)"));
    if (!file.isEmpty())
        openWorkload(file);
}

void SimulationPanel::saveAsDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save workload"),
        m_file.isEmpty() ? QDir(dialogFolder()).filePath(QStringLiteral("workload.json")) : m_file,
        tr("Workloads (*.json)"));
    if (file.isEmpty())
        return;
    if (const QString e = saveWorkload(file); !e.isEmpty())
        QMessageBox::warning(this, tr("Workload not saved"), e);
}

void SimulationPanel::exportPngDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export heatmap"),
        QDir(dialogFolder()).filePath(QStringLiteral("heatmap.png")), tr("PNG images (*.png)"));
    if (!file.isEmpty())
        if (const QString e = exportPng(file); !e.isEmpty())
            QMessageBox::warning(this, tr("Export"), e);
}

void SimulationPanel::exportCsvDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export metrics"),
        QDir(dialogFolder()).filePath(QStringLiteral("metrics.csv")), tr("CSV files (*.csv)"));
    if (!file.isEmpty())
        if (const QString e = exportCsv(file); !e.isEmpty())
            QMessageBox::warning(this, tr("Export"), e);
}

} // namespace carveout::ui
