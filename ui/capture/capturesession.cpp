// SPDX-License-Identifier: GPL-2.0-only
#include "capturesession.h"

// core
#include "model/units.h"

// Qt
#include <QObject>
#include <QRegularExpression>

namespace carveout::ui {

QString CaptureSession::load(const QString& file)
{
    QString error;
    auto c = capture::readCapture(file, &error);
    if (!c)
        return error.isEmpty() ? QObject::tr("%1: not a capture").arg(file) : error;
    m_capture = std::make_shared<const capture::Capture>(std::move(*c));
    // The window keeps the RAM of the sources (or of the toolbar's Memory field) until the user
    // takes the booted /memory: what the bootloader changed then shows on the map as differences.
    m_overridden = { QStringLiteral("memory") };
    return {};
}

void CaptureSession::clear()
{
    m_capture.reset();
    m_overridden.clear();
}

void CaptureSession::userSet(const QStringList& fields)
{
    for (const auto& f : fields) {
        if (!m_overridden.contains(f))
            m_overridden << f;
    }
}

KernelProfile CaptureSession::profile(const KernelProfile& base, QStringList* notes) const
{
    if (!m_capture)
        return base;
    return capture::profileFromCapture(*m_capture, base, m_overridden, notes);
}

std::shared_ptr<const capture::CompareResult> CaptureSession::compare(
    const LoadedTree& board, const AnalysisPtr& analysis) const
{
    if (!m_capture)
        return nullptr;
    return std::make_shared<const capture::CompareResult>(capture::compareCapture(board, analysis, *m_capture));
}

QStringList CaptureSession::changedFields(const ProfileRequest& a, const ProfileRequest& b)
{
    QStringList f;
    if (a.profile != b.profile) // a named profile carries all of these
        f << QStringLiteral("profile") << QStringLiteral("kernel") << QStringLiteral("arch")
          << QStringLiteral("page-size") << QStringLiteral("config");
    if (a.kernel != b.kernel)
        f << QStringLiteral("kernel");
    if (a.arch != b.arch)
        f << QStringLiteral("arch");
    if (a.pageSize != b.pageSize)
        f << QStringLiteral("page-size");
    if (a.cmdline != b.cmdline)
        f << QStringLiteral("cmdline");
    if (a.memory != b.memory)
        f << QStringLiteral("memory");
    if (a.config != b.config)
        f << QStringLiteral("config");
    f.removeDuplicates();
    return f;
}

ProfileRequest CaptureSession::requestShowing(const KernelProfile& p, const ProfileRequest& current)
{
    ProfileRequest r = current;
    r.kernel.clear();
    r.arch.clear();
    r.pageSize.clear();
    if (findProfile(p.name)) {
        r.profile = p.name;
    } else {
        r.profile.clear();
        r.kernel = p.kernel();
        r.arch = p.archString();
        r.pageSize = QStringLiteral("%1K").arg(p.pageSize / 1024);
    }
    r.cmdline = p.cmdline;
    return r;
}

QStringList CaptureSession::memoryArguments(const std::vector<AddrRange>& ranges)
{
    QStringList args;
    for (const auto& r : ranges)
        args << QStringLiteral("%1+%2").arg(toHex(r.base), toHex(r.size));
    return args;
}

QString CaptureSession::reserveArgument(const capture::Unexplained& u)
{
    // --reserve reads NAME@BASE+SIZE: the unit address and what the toolbar splits on go.
    static const QRegularExpression unsafe(QStringLiteral("[@,+\\s]"));
    QString name = u.name.section(QLatin1Char('@'), 0, 0);
    name.replace(unsafe, QStringLiteral("-"));
    if (name.isEmpty())
        name = QStringLiteral("bootloader");
    return QStringLiteral("%1@%2+%3").arg(name, toHex(u.range.base), toHex(u.range.size));
}

QString captureCounts(const capture::CompareResult& c)
{
    return QObject::tr("capture: %1 agree, %2 differ, %3 unknown").arg(c.agree).arg(c.differ).arg(c.unknown);
}

} // namespace carveout::ui
