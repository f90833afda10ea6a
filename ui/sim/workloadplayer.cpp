// SPDX-License-Identifier: GPL-2.0-only
#include "sim/workloadplayer.h"

// std
#include <algorithm>
#include <cmath>

namespace carveout::ui {

WorkloadPlayer::WorkloadPlayer(QObject* parent)
    : QObject(parent)
{
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &WorkloadPlayer::tick);
}

void WorkloadPlayer::setLength(uint64_t operations)
{
    m_length = operations;
    if (m_position > m_length)
        setPosition(m_length);
    if (m_state == State::Finished && m_position < m_length)
        setState(State::Paused);
    else if (m_length > 0 && m_position == m_length && m_state != State::Stopped)
        setState(State::Finished);
}

void WorkloadPlayer::setSpeed(double operationsPerSecond)
{
    m_speed = std::clamp(operationsPerSecond, 0.1, 1e9);
}

void WorkloadPlayer::play()
{
    if (m_length == 0)
        return;
    if (m_position >= m_length)
        setPosition(0); // play again from the start
    m_carry = 0;
    m_clock.start();
    m_timer.start();
    setState(State::Playing);
}

void WorkloadPlayer::pause()
{
    if (m_state != State::Playing)
        return;
    m_timer.stop();
    setState(State::Paused);
}

void WorkloadPlayer::togglePlay()
{
    if (m_state == State::Playing)
        pause();
    else
        play();
}

void WorkloadPlayer::step()
{
    m_timer.stop();
    if (m_position < m_length)
        setPosition(m_position + 1);
    setState(m_position >= m_length && m_length > 0 ? State::Finished : State::Paused);
}

bool WorkloadPlayer::nextFailure()
{
    // Position p shows operations [0, p): failure f becomes visible at p = f + 1.
    // Past the last one it starts over from the first.
    auto first = std::lower_bound(m_failures.begin(), m_failures.end(), m_position);
    if (first == m_failures.end())
        first = m_failures.begin();
    if (first == m_failures.end())
        return false;
    m_timer.stop();
    setPosition(std::min(*first + 1, m_length));
    setState(m_position >= m_length ? State::Finished : State::Paused);
    return true;
}

void WorkloadPlayer::reset()
{
    m_timer.stop();
    setPosition(0);
    setState(State::Stopped);
}

void WorkloadPlayer::seek(uint64_t position)
{
    setPosition(std::min(position, m_length));
    if (m_state == State::Finished && m_position < m_length)
        setState(State::Paused);
    else if (m_state == State::Stopped && m_position > 0)
        setState(State::Paused);
}

void WorkloadPlayer::advance(double ms)
{
    if (m_state != State::Playing)
        return;
    m_carry += m_speed * ms / 1000.0;
    const double whole = std::floor(m_carry);
    m_carry -= whole;
    const uint64_t left = m_length - m_position;
    setPosition(whole >= double(left) ? m_length : m_position + uint64_t(whole));
    if (m_position >= m_length) {
        m_timer.stop();
        setState(State::Finished);
    }
}

void WorkloadPlayer::tick()
{
    const double ms = double(m_clock.restart());
    advance(ms);
}

void WorkloadPlayer::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    emit stateChanged(s);
}

void WorkloadPlayer::setPosition(uint64_t p)
{
    if (p == m_position)
        return;
    m_position = p;
    emit positionChanged(p);
}

} // namespace carveout::ui
