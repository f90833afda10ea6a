// SPDX-License-Identifier: GPL-2.0-only
#include <QTest>
class TestEditDefects : public QObject
{
    Q_OBJECT
};
QTEST_MAIN(TestEditDefects)
#include "tst_editdefects.moc"
