// SPDX-License-Identifier: GPL-2.0-only
#include "model/sourcelocation.h"

// core
#include "model/devicetree.h"

// Qt
#include <QDir>

namespace carveout {

QString displayPath(const QString& absolutePath)
{
    if (absolutePath.isEmpty() || !QDir::isAbsolutePath(absolutePath))
        return absolutePath;
    const QString rel = QDir::current().relativeFilePath(absolutePath);
    return rel.startsWith(QLatin1String("../")) ? absolutePath : rel;
}

QString displayFile(const DeviceTree& tree, const SourceSpan& span)
{
    return displayPath(tree.fileName(span));
}

} // namespace carveout
