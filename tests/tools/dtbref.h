// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// dtbref: an independent reading of a DTB with libfdt alone (no code of carveout_core), for
// checks that must not trust what the core computed (crosscheck.sh, tst_edit).

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <map>

namespace dtbref {

/** Memory, /memreserve/, the /reserved-memory children and the memory-region consumers of a DTB
 *  as the kernel's early boot reads them (format in dtbref.cpp). False when the blob is not a
 *  valid DTB. */
bool read(const QByteArray& blob, QJsonObject* out);

/** Every property of the node at `path` (name -> bytes as in the blob); `found` says whether the
 *  node exists. Empty for an invalid blob. */
std::map<QByteArray, QByteArray> properties(const QByteArray& blob, const QString& path, bool* found);

} // namespace dtbref
