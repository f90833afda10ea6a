// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "analysis/analysis.h"
#include "analysis/freespace.h"
#include "model/layout.h"

// Qt
#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

// std
#include <cstdint>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace carveout::ui {

/** A region the panel's Add region asks for. */
struct NewRegion
{
    enum Kind { NoMap, Cma, Reserved };
    Kind kind = NoMap;
    uint64_t size = 0;
    /// The first free gap of RAM that holds it, aligned; empty: none does, so it is added with
    /// a size only and the kernel places it.
    std::optional<uint64_t> base;
    uint64_t alignment = 0; ///< what the base was aligned to (for a size-only region: its alignment)
};

/** The properties of the node Add region makes: reg at the base (else size and alignment, for the
 *  kernel to place), and what the kind needs (shared-dma-pool + reusable, or no-map). */
QJsonObject newRegionProperties(const NewRegion& region);

/** Edits the selected region's properties and bindings. It only emits requests; the window
 *  applies them as edit operations with one undo command each. */
class PropertyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PropertyPanel(QWidget* parent = nullptr);
    /** Shows region `index` of the analysed layout (-1: nothing selected) and its bindings. */
    void setRegion(const Analysis& analysis, int index);
    /** What Add region would add now (empty: the size is not a size). */
    std::optional<NewRegion> newRegion() const;

signals:
    /** Set `property` to `value`; an undefined value means unset. */
    void propertyRequested(const QString& path, const QString& property, const QJsonValue& value);
    /** Add region: the size, alignment and kind the panel holds, at the first gap that fits. */
    void addRequested(const carveout::ui::NewRegion& region);
    void deleteRequested(const QString& path);
    void bindRequested(const QString& device, const QString& region);
    void unbindRequested(const QString& device, const QString& region);
    /** Move a static region: `base` as typed (hex or units, e.g. 0x96200000 or 2410M). */
    void baseRequested(const QString& path, const QString& base);
    /** Remove entry `index` of `device`'s memory-region (a wrong or dangling one). */
    void removeEntryRequested(const QString& device, int index);
    /** Point entry `index` of `device`'s memory-region at `region` instead. */
    void retargetRequested(const QString& device, int index, const QString& region);
    /** A device was picked in the users list or the overview (empty: none). */
    void deviceSelected(const QString& device);

private:
    void emitFlag(const char* property, bool on);
    /** The memory-region entry selected in the users list or the overview (device, index). */
    void entrySelected(const QListWidgetItem* item);
    /** The line under Add region: where the first fitting gap is, or why there is none. */
    void updateFit();
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
    QLineEdit* m_newSize = nullptr;
    QLineEdit* m_newAlignment = nullptr;
    QComboBox* m_newKind = nullptr;
    QLabel* m_newFit = nullptr;
    std::shared_ptr<const FreeSpace> m_free; ///< of the analysis shown
    uint64_t m_pageSize = 4096;
    uint64_t m_cmaAlignment = 0x200000;
    bool m_updating = false;
};

} // namespace carveout::ui
