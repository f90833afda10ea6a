// SPDX-License-Identifier: GPL-2.0-only
#include "diagnostic.h"

namespace carveout {

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        break;
    }
    return QStringLiteral("error");
}

QString Diagnostic::toString() const
{
    QString out;
    if (!file.isEmpty()) {
        out += file;
        if (line > 0) {
            out += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                out += QLatin1Char(':') + QString::number(column);
        }
        out += QLatin1String(": ");
    }
    out += severityName(severity);
    if (!code.isEmpty())
        out += QLatin1String(" [") + code + QLatin1Char(']');
    out += QLatin1String(": ");
    if (!nodePath.isEmpty())
        out += nodePath + QLatin1String(": ");
    out += message;
    return out;
}

} // namespace carveout
