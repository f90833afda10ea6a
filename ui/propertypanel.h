// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "model/layout.h"

// Qt
#include <QJsonValue>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace carveout::ui {

/** Edits the selected region's properties and bindings. It only emits requests; the window
 *  applies them as edit operations with one undo command each. */
class PropertyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PropertyPanel(QWidget* parent = nullptr);
    /** Shows region `index` of the analysed layout (-1: nothing selected) and its bindings. */
    void setRegion(const Analysis& analysis, int index);

signals:
    /** Set `property` to `value`; an undefined value means unset. */
    void propertyRequested(const QString& path, const QString& property, const QJsonValue& value);
    void addRequested();
    void deleteRequested(const QString& path);
    void bindRequested(const QString& device, const QString& region);
    void unbindRequested(const QString& device, const QString& region);
    /** Move a static region: `base` as typed (hex or units, e.g. 0x96200000 or 2410M). */
    void baseRequested(const QString& path, const QString& base);
    /** Remove entry `index` of `device`'s memory-region (a wrong or dangling one). */
    void removeEntryRequested(const QString& device, int index);
    /** Point entry `index` of `device`'s memory-region at `region` instead. */
    void retargetRequested(const QString& device, int index, const QString& region);

private:
    void emitFlag(const char* property, bool on);
    /** The memory-region entry selected in the users list or the overview (device, index). */
    void entrySelected(const QListWidgetItem* item);
    QString m_path;
    QString m_entryDevice;
    int m_entryIndex = -1;
    QLabel* m_title = nullptr;
    QLineEdit* m_base = nullptr;
    QLineEdit* m_size = nullptr;
    QLineEdit* m_alignment = nullptr;
    QLineEdit* m_allocRanges = nullptr;
    QLineEdit* m_compatible = nullptr;
    QComboBox* m_status = nullptr;
    QCheckBox* m_noMap = nullptr;
    QCheckBox* m_reusable = nullptr;
    QCheckBox* m_cmaDefault = nullptr;
    QListWidget* m_users = nullptr;
    QComboBox* m_devices = nullptr;
    QPushButton* m_bind = nullptr;
    QPushButton* m_unbind = nullptr;
    QLabel* m_entry = nullptr;
    QComboBox* m_retargetTo = nullptr;
    QPushButton* m_retarget = nullptr;
    QPushButton* m_removeEntry = nullptr;
    QPushButton* m_delete = nullptr;
    QListWidget* m_overview = nullptr;
    bool m_updating = false;
};

} // namespace carveout::ui
