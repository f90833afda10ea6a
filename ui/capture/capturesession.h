// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "capture/compare.h"
#include "kernel/profileoptions.h"

// Qt
#include <QStringList>

// std
#include <memory>

namespace carveout::ui {

/** An imported capture and what the window takes from it, without widgets: the profile the
 *  capture implies laid over the toolbar's, except for what the user set since the import, and
 *  the comparison of each new analysis with it. */
class CaptureSession
{
public:
    /** Reads a capture file (bundle, kernel log or /proc/iomem, detected from the content).
     *  Returns the reader's sentence on failure (and keeps the capture there was). */
    QString load(const QString& file);
    void clear();
    bool active() const { return bool(m_capture); }
    const capture::Capture& capture() const { return *m_capture; }
    QString file() const { return m_capture ? m_capture->file : QString(); }

    /** The user set these profile fields ("profile", "kernel", "arch", "page-size", "cmdline",
     *  "memory", "config") since the import: the capture no longer overrides them. */
    void userSet(const QStringList& fields);
    const QStringList& overridden() const { return m_overridden; }
    /** The capture's profile over `base` (the toolbar's), with where each value came from. */
    KernelProfile profile(const KernelProfile& base, QStringList* notes) const;
    /** The comparison of an analysis of `board` with the capture. */
    std::shared_ptr<const capture::CompareResult> compare(const LoadedTree& board, const AnalysisPtr& analysis) const;

    /** The fields of the toolbar's request that differ between two requests, as userSet names them. */
    static QStringList changedFields(const ProfileRequest& before, const ProfileRequest& after);
    /** The toolbar's request that shows `p` (a named profile, else its kernel and arch), keeping
     *  the fields of `current` that the profile does not carry. */
    static ProfileRequest requestShowing(const KernelProfile& p, const ProfileRequest& current);
    /** `--memory` arguments for ranges ("0x40000000+0x60000000"). */
    static QStringList memoryArguments(const std::vector<AddrRange>& ranges);
    /** A `--reserve` argument for an unexplained reservation ("bootloader-fw@0x50000000+0x200000"). */
    static QString reserveArgument(const capture::Unexplained& u);

private:
    std::shared_ptr<const capture::Capture> m_capture;
    QStringList m_overridden;
};

/** "capture: 5 agree, 0 differ, 0 unknown". */
QString captureCounts(const capture::CompareResult& c);

} // namespace carveout::ui
