// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// Qt
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

// std
#include <cstdint>
#include <vector>

namespace carveout::ui {

/** Plays a workload's time axis: the position is the number of operations done (0..length).
 *  Stopped at 0 after reset, Playing while the timer runs, Paused, Finished at the end. Speed
 *  is in operations per second; a tick advances by the real time since the last one, so a slow
 *  paint never slows the clock. */
class WorkloadPlayer : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Playing, Paused, Finished };
    Q_ENUM(State)

    explicit WorkloadPlayer(QObject* parent = nullptr);

    /** A new workload (or a new run of it): keeps the position when it still fits. */
    void setLength(uint64_t operations);
    uint64_t length() const { return m_length; }
    uint64_t position() const { return m_position; }
    State state() const { return m_state; }
    double speed() const { return m_speed; }
    void setSpeed(double operationsPerSecond);
    /** The operations that failed, sorted: "next failure" jumps to the one after the position. */
    void setFailures(std::vector<uint64_t> ops) { m_failures = std::move(ops); }

    void play();
    void pause();
    void togglePlay();
    /** One operation forward (pauses a playing workload). */
    void step();
    /** To just after the next failed operation (after the last, the first); false when there
     *  is none. */
    bool nextFailure();
    void reset();
    /** Moves the position (the heatmap's time cursor); a finished player becomes paused. */
    void seek(uint64_t position);
    /** Advances as if `ms` milliseconds had passed while playing (the timer's tick). */
    void advance(double ms);

    static constexpr int kTickMs = 33;

signals:
    void positionChanged(uint64_t position);
    void stateChanged(carveout::ui::WorkloadPlayer::State state);

private:
    void setState(State s);
    void setPosition(uint64_t p);
    void tick();

    uint64_t m_length = 0;
    uint64_t m_position = 0;
    double m_carry = 0; // fractions of an operation between ticks
    double m_speed = 100;
    State m_state = State::Stopped;
    std::vector<uint64_t> m_failures;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

} // namespace carveout::ui
