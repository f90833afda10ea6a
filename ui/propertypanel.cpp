// SPDX-License-Identifier: GPL-2.0-only
#include "propertypanel.h"

// core
#include "report/jsonwriter.h"
#include "report/layoutreport.h"

// Qt
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

// std
#include <algorithm>

namespace carveout::ui {

PropertyPanel::PropertyPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("No region selected"), this);
    m_title->setWordWrap(true);
    // Docks ignore a word-wrapped label's height-for-width: reserve the name and summary lines.
    m_title->setMinimumHeight(2 * m_title->fontMetrics().lineSpacing() + 4);
    layout->addWidget(m_title);

    auto* props = new QGroupBox(tr("Properties"), this);
    auto* form = new QFormLayout(props);
    m_base = new QLineEdit(props);
    m_base->setObjectName(QStringLiteral("base"));
    form->addRow(tr("Base"), m_base);
    m_size = new QLineEdit(props);
    m_size->setObjectName(QStringLiteral("size"));
    m_size->setPlaceholderText(tr("e.g. 0x4000000 or 64M"));
    form->addRow(tr("Size"), m_size);
    m_alignment = new QLineEdit(props);
    m_alignment->setObjectName(QStringLiteral("alignment"));
    m_alignment->setPlaceholderText(tr("dynamic only; empty: none"));
    form->addRow(tr("Alignment"), m_alignment);
    m_allocRanges = new QLineEdit(props);
    m_allocRanges->setObjectName(QStringLiteral("allocRanges"));
    m_allocRanges->setPlaceholderText(tr("base+size, base+size"));
    form->addRow(tr("alloc-ranges"), m_allocRanges);
    m_compatible = new QLineEdit(props);
    m_compatible->setObjectName(QStringLiteral("compatible"));
    m_compatible->setPlaceholderText(tr("shared-dma-pool"));
    form->addRow(tr("Compatible"), m_compatible);
    m_status = new QComboBox(props);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->addItems({ QStringLiteral("okay"), QStringLiteral("disabled") });
    form->addRow(tr("Status"), m_status);
    m_noMap = new QCheckBox(QStringLiteral("no-map"), props);
    m_reusable = new QCheckBox(QStringLiteral("reusable"), props);
    m_cmaDefault = new QCheckBox(QStringLiteral("linux,cma-default"), props);
    form->addRow(m_noMap);
    form->addRow(m_reusable);
    form->addRow(m_cmaDefault);
    layout->addWidget(props);

    auto* users = new QGroupBox(tr("Devices using it (memory-region)"), this);
    auto* ul = new QVBoxLayout(users);
    m_users = new QListWidget(users);
    m_users->setObjectName(QStringLiteral("users"));
    ul->addWidget(m_users);
    m_unbind = new QPushButton(tr("Unbind selected device"), users);
    ul->addWidget(m_unbind);
    m_devices = new QComboBox(users);
    m_devices->setObjectName(QStringLiteral("devices"));
    m_devices->setEditable(true);
    ul->addWidget(m_devices);
    m_bind = new QPushButton(tr("Bind this device"), users);
    ul->addWidget(m_bind);
    layout->addWidget(users);

    // One memory-region entry (picked in the list above or in the overview, where dangling ones
    // are): removed, or pointed at another region, without touching the device's other entries.
    auto* entries = new QGroupBox(tr("memory-region entry"), this);
    auto* el = new QVBoxLayout(entries);
    m_entry = new QLabel(entries);
    m_entry->setObjectName(QStringLiteral("entry"));
    m_entry->setWordWrap(true);
    el->addWidget(m_entry);
    m_retargetTo = new QComboBox(entries);
    m_retargetTo->setObjectName(QStringLiteral("retargetTo"));
    el->addWidget(m_retargetTo);
    auto* entryButtons = new QHBoxLayout;
    m_retarget = new QPushButton(tr("Retarget entry"), entries);
    m_retarget->setObjectName(QStringLiteral("retargetEntry"));
    m_removeEntry = new QPushButton(tr("Remove entry"), entries);
    m_removeEntry->setObjectName(QStringLiteral("removeEntry"));
    entryButtons->addWidget(m_retarget);
    entryButtons->addWidget(m_removeEntry);
    el->addLayout(entryButtons);
    layout->addWidget(entries);
    // Add region: at the first free gap of RAM that holds the size at the alignment the kernel
    // needs (the profile's CMA minimum for a CMA pool, the page size otherwise).
    auto* adding = new QGroupBox(tr("New region"), this);
    auto* addForm = new QFormLayout(adding);
    m_newSize = new QLineEdit(QStringLiteral("1M"), adding);
    m_newSize->setObjectName(QStringLiteral("newSize"));
    addForm->addRow(tr("Size"), m_newSize);
    m_newAlignment = new QLineEdit(adding);
    m_newAlignment->setObjectName(QStringLiteral("newAlignment"));
    m_newAlignment->setPlaceholderText(tr("empty: what the kernel needs"));
    addForm->addRow(tr("Alignment"), m_newAlignment);
    m_newKind = new QComboBox(adding);
    m_newKind->setObjectName(QStringLiteral("newKind"));
    m_newKind->addItem(tr("No-map carve-out"), int(NewRegion::NoMap));
    m_newKind->addItem(tr("CMA pool"), int(NewRegion::Cma));
    m_newKind->addItem(tr("Reserved (mapped)"), int(NewRegion::Reserved));
    addForm->addRow(tr("Kind"), m_newKind);
    m_newFit = new QLabel(adding);
    m_newFit->setObjectName(QStringLiteral("newFit"));
    m_newFit->setWordWrap(true);
    addForm->addRow(m_newFit);
    layout->addWidget(adding);
    connect(m_newSize, &QLineEdit::textChanged, this, &PropertyPanel::updateFit);
    connect(m_newAlignment, &QLineEdit::textChanged, this, &PropertyPanel::updateFit);
    connect(m_newKind, &QComboBox::currentIndexChanged, this, &PropertyPanel::updateFit);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add region"), this);
    m_delete = new QPushButton(tr("Delete region"), this);
    buttons->addWidget(add);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    auto* over = new QGroupBox(tr("Bindings overview"), this);
    auto* ol = new QVBoxLayout(over);
    m_overview = new QListWidget(over);
    m_overview->setObjectName(QStringLiteral("overview"));
    m_overview->setWordWrap(true);
    ol->addWidget(m_overview);
    layout->addWidget(over, 1);

    const auto number = [this](QLineEdit* edit, const char* property) {
        connect(edit, &QLineEdit::editingFinished, this, [this, edit, property] {
            if (m_updating || m_path.isEmpty() || !edit->isModified())
                return;
            edit->setModified(false);
            const QString text = edit->text().trimmed();
            emit propertyRequested(m_path, QString::fromLatin1(property),
                text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text));
        });
    };
    number(m_size, "size");
    connect(m_base, &QLineEdit::editingFinished, this, [this] {
        if (m_updating || m_path.isEmpty() || !m_base->isModified() || !m_base->isEnabled())
            return;
        m_base->setModified(false);
        emit baseRequested(m_path, m_base->text().trimmed());
    });
    number(m_alignment, "alignment");
    connect(m_allocRanges, &QLineEdit::editingFinished, this, [this] {
        if (m_updating || m_path.isEmpty() || !m_allocRanges->isModified())
            return;
        m_allocRanges->setModified(false);
        QJsonArray cells;
        for (const auto& part : m_allocRanges->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto pieces = part.split(QLatin1Char('+'));
            for (const auto& p : pieces)
                cells.append(p.trimmed());
        }
        emit propertyRequested(m_path, QStringLiteral("alloc-ranges"),
            cells.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(cells));
    });
    connect(m_compatible, &QLineEdit::editingFinished, this, [this] {
        if (m_updating || m_path.isEmpty() || !m_compatible->isModified())
            return;
        m_compatible->setModified(false);
        QJsonArray list;
        for (const auto& c : m_compatible->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            list.append(c.trimmed());
        emit propertyRequested(m_path, QStringLiteral("compatible"),
            list.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(list));
    });
    connect(m_status, &QComboBox::currentTextChanged, this, [this](const QString& s) {
        if (!m_updating && !m_path.isEmpty())
            emit propertyRequested(m_path, QStringLiteral("status"),
                s == QLatin1String("okay") ? QJsonValue(QJsonValue::Undefined) : QJsonValue(s));
    });
    connect(m_noMap, &QCheckBox::toggled, this, [this](bool on) { emitFlag("no-map", on); });
    connect(m_reusable, &QCheckBox::toggled, this, [this](bool on) { emitFlag("reusable", on); });
    connect(m_cmaDefault, &QCheckBox::toggled, this, [this](bool on) { emitFlag("linux,cma-default", on); });
    connect(add, &QPushButton::clicked, this, [this] {
        if (const auto r = newRegion())
            emit addRequested(*r);
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (!m_path.isEmpty())
            emit deleteRequested(m_path);
    });
    connect(m_bind, &QPushButton::clicked, this, [this] {
        if (!m_path.isEmpty() && !m_devices->currentText().isEmpty())
            emit bindRequested(m_devices->currentText(), m_path);
    });
    connect(m_unbind, &QPushButton::clicked, this, [this] {
        if (!m_path.isEmpty() && m_users->currentItem())
            emit unbindRequested(m_users->currentItem()->data(Qt::UserRole).toString(), m_path);
    });
    for (QListWidget* list : { m_users, m_overview })
        connect(list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
            if (!m_updating)
                entrySelected(item);
        });
    connect(m_removeEntry, &QPushButton::clicked, this, [this] {
        if (m_entryIndex >= 0)
            emit removeEntryRequested(m_entryDevice, m_entryIndex);
    });
    connect(m_retarget, &QPushButton::clicked, this, [this] {
        if (m_entryIndex >= 0 && !m_retargetTo->currentData().toString().isEmpty())
            emit retargetRequested(m_entryDevice, m_entryIndex, m_retargetTo->currentData().toString());
    });
    setRegion(Analysis(), -1);
}

void PropertyPanel::entrySelected(const QListWidgetItem* item)
{
    const QString device = item ? item->data(Qt::UserRole).toString() : QString();
    const bool has = !device.isEmpty();
    m_entryDevice = device;
    m_entryIndex = has ? item->data(Qt::UserRole + 1).toInt() : -1;
    m_entry->setText(has ? tr("%1, entry %2 of its memory-region").arg(device).arg(m_entryIndex)
                         : tr("Pick a device above, or a dangling entry in the overview."));
    m_retargetTo->setEnabled(has);
    m_retarget->setEnabled(has);
    m_removeEntry->setEnabled(has);
    emit deviceSelected(device);
}

void PropertyPanel::emitFlag(const char* property, bool on)
{
    if (!m_updating && !m_path.isEmpty())
        emit propertyRequested(
            m_path, QString::fromLatin1(property), on ? QJsonValue(true) : QJsonValue(QJsonValue::Undefined));
}

void PropertyPanel::setRegion(const Analysis& analysis, int index)
{
    const Layout& layout = analysis.layout;
    const QStringList& devices = analysis.bindings.devices;
    m_updating = true;
    const bool has = index >= 0 && size_t(index) < layout.regions.size();
    for (QWidget* w : std::initializer_list<QWidget*> { m_base, m_size, m_alignment, m_allocRanges, m_compatible,
             m_status, m_noMap, m_reusable, m_cmaDefault, m_users, m_devices, m_bind, m_unbind, m_delete })
        w->setEnabled(has);
    m_path = has ? layout.regions[size_t(index)].path : QString();
    // The entry picked before the rebuild stays picked (an edit re-shows the panel).
    const QString entryDevice = m_entryDevice;
    const int entryIndex = m_entryIndex;
    QListWidgetItem* keepEntry = nullptr;
    const auto entryItem = [&](QListWidgetItem* item, const Consumer& c) {
        item->setData(Qt::UserRole, c.device);
        item->setData(Qt::UserRole + 1, c.index);
        if (c.device == entryDevice && c.index == entryIndex)
            keepEntry = item;
    };
    m_users->clear();
    if (has) {
        const Region& r = layout.regions[size_t(index)];
        m_title->setText(QStringLiteral("<b>%1</b><br>%2, %3, %4")
                             .arg(r.name.toHtmlEscaped(), placementName(r.placement), kindName(r.kind),
                                 outcomeName(analysis.regionBoot(index).outcome)));
        m_title->setToolTip(r.path);
        m_size->setText(r.placement == Placement::Static && !r.reg.empty() ? toHex(r.reg.front().size)
                : r.size                                                   ? toHex(*r.size)
                                                                           : QString());
        m_alignment->setText(r.alignment ? toHex(*r.alignment) : QString());
        QStringList ranges;
        for (const auto& a : r.allocRanges)
            ranges << toHex(a.base) + QLatin1Char('+') + toHex(a.size);
        m_allocRanges->setText(ranges.join(QStringLiteral(", ")));
        m_alignment->setEnabled(r.placement == Placement::Dynamic);
        m_allocRanges->setEnabled(r.placement == Placement::Dynamic);
        m_compatible->setText(r.compatible.join(QStringLiteral(", ")));
        m_status->setCurrentText(r.enabled ? QStringLiteral("okay") : QStringLiteral("disabled"));
        m_noMap->setChecked(r.noMap);
        m_reusable->setChecked(r.reusable);
        m_cmaDefault->setChecked(r.cmaDefault);
        for (const auto& c : layout.consumers) {
            if (c.region != index)
                continue;
            auto* item = new QListWidgetItem(c.device
                    + (c.name.isEmpty() ? QString() : QStringLiteral(" (\"%1\")").arg(c.name))
                    + (c.deviceEnabled ? QString() : tr(" - disabled")),
                m_users);
            entryItem(item, c);
        }
        // Static regions move here; a dynamic one has no base until the kernel places it.
        const RegionBoot& boot = analysis.regionBoot(index);
        m_base->setEnabled(r.placement == Placement::Static && !r.reg.empty());
        if (m_base->isEnabled()) {
            m_base->setText(toHex(r.reg.front().base));
            m_base->setPlaceholderText(tr("e.g. 0x96200000 or 2402M"));
            m_base->setToolTip(tr("Where the region starts (hex or units); renames the node to match."));
        } else {
            m_base->clear();
            m_base->setPlaceholderText(boot.base
                    ? tr("dynamic: the kernel places it (here at %1)").arg(toHex(*boot.base))
                    : tr("dynamic: the kernel places it"));
            m_base->setToolTip(tr("A dynamic region has no reg: the kernel chooses its base at boot, within "
                                  "alloc-ranges and the alignment. Edit those instead."));
        }
    } else {
        m_title->setText(tr("No region selected"));
        for (QLineEdit* e : { m_base, m_size, m_alignment, m_allocRanges, m_compatible })
            e->clear();
        m_base->setEnabled(false);
        m_base->setPlaceholderText(QString());
    }
    m_retargetTo->clear();
    for (const Region& r : layout.regions)
        m_retargetTo->addItem(r.name, r.path);
    m_retargetTo->setCurrentIndex(has ? index : -1);
    m_free = std::make_shared<const FreeSpace>(freeSpaceOf(analysis));
    m_pageSize = analysis.profile.pageSize;
    m_cmaAlignment = analysis.profile.cmaMinAlignment();
    updateFit();
    const QString current = m_devices->currentText();
    m_devices->clear();
    m_devices->addItems(devices);
    m_devices->setCurrentText(current);

    // Overview: pools nobody uses, users that are disabled, users whose pool the kernel drops
    // (their dma_alloc_coherent falls back to the default CMA area or the page allocator).
    m_overview->clear();
    const Bindings& b = analysis.bindings;
    for (const int i : b.orphans) {
        const Region& r = layout.regions[size_t(i)];
        m_overview->addItem(tr("orphan pool: %1 (%2) has no enabled user").arg(r.name, kindName(r.kind)));
    }
    auto targetOf = [&](const Consumer& c) {
        return c.region >= 0 ? layout.regions[size_t(c.region)].name : (c.target.isEmpty() ? tr("nothing") : c.target);
    };
    // In consumer order (both lists are sorted).
    for (size_t k = 0; k < layout.consumers.size(); ++k) {
        const Consumer& c = layout.consumers[k];
        QString text;
        if (std::binary_search(b.disabledUsers.begin(), b.disabledUsers.end(), int(k)))
            text = tr("disabled user: %1 -> %2").arg(c.device, targetOf(c));
        else if (std::binary_search(b.unattached.begin(), b.unattached.end(), int(k)))
            text = c.behindIommu
                ? tr("not attached: %1 is behind an IOMMU, so the kernel never attaches its restricted pool %2")
                      .arg(c.device, targetOf(c))
                : tr("not attached: %2 is a second restricted pool of %1; only the first is attached")
                      .arg(c.device, targetOf(c));
        else if (!std::binary_search(b.fallbacks.begin(), b.fallbacks.end(), int(k)))
            continue;
        else if (c.region < 0)
            text = tr("falls back: %1 points at %2, not a region").arg(c.device, targetOf(c));
        else
            text = tr("falls back to the default CMA: %1 uses %2, which is %3")
                       .arg(c.device, targetOf(c), outcomeName(analysis.regionBoot(c.region).outcome));
        entryItem(new QListWidgetItem(text, m_overview), c);
    }
    if (m_overview->count() == 0)
        m_overview->addItem(tr("every pool has a user; every user has its pool"));
    if (!b.defaultCmaHeaps.isEmpty())
        m_overview->addItem(tr("default CMA dma-buf heap: /dev/dma_heap/%1 (with CONFIG_DMABUF_HEAPS_CMA)")
                                .arg(b.defaultCmaHeaps.join(QStringLiteral(", /dev/dma_heap/"))));
    if (keepEntry)
        keepEntry->listWidget()->setCurrentItem(keepEntry);
    entrySelected(keepEntry);
    m_updating = false;
}

QJsonObject newRegionProperties(const NewRegion& r)
{
    QJsonObject props;
    if (r.base) {
        props.insert(QStringLiteral("reg"), QJsonArray { toHex(*r.base), toHex(r.size) });
    } else {
        props.insert(QStringLiteral("size"), toHex(r.size));
        if (r.alignment > 1)
            props.insert(QStringLiteral("alignment"), toHex(r.alignment));
    }
    if (r.kind == NewRegion::Cma) {
        props.insert(QStringLiteral("compatible"), QStringLiteral("shared-dma-pool"));
        props.insert(QStringLiteral("reusable"), true);
    } else if (r.kind == NewRegion::NoMap) {
        props.insert(QStringLiteral("no-map"), true);
    }
    return props;
}

std::optional<NewRegion> PropertyPanel::newRegion() const
{
    const auto size = parseSize(QStringView(m_newSize->text()).trimmed());
    if (!size || !*size)
        return std::nullopt;
    NewRegion r;
    r.kind = NewRegion::Kind(m_newKind->currentData().toInt());
    r.size = *size;
    const auto asked = parseSize(QStringView(m_newAlignment->text()).trimmed());
    // The kernel frees a CMA pool that is not aligned to its minimum (cma_align); any region
    // needs whole pages.
    const uint64_t least = r.kind == NewRegion::Cma ? m_cmaAlignment : m_pageSize;
    r.alignment = std::max(asked.value_or(0), least);
    if (m_free)
        r.base = m_free->firstFit(r.size, r.alignment);
    return r;
}

void PropertyPanel::updateFit()
{
    const auto r = newRegion();
    if (!r) {
        m_newFit->setText(tr("'%1' is not a size (e.g. 0x100000, 16M).").arg(m_newSize->text()));
        return;
    }
    if (r->base) {
        const auto gap = m_free->gapAt(*r->base, r->size);
        m_newFit->setText(
            tr("Goes at %1, the first free gap that holds %2 aligned to %3 (%4..%5, %6 free).")
                .arg(toHex(*r->base), formatSize(r->size), formatSize(r->alignment), toHex(gap ? gap->base : *r->base),
                    toHex(gap ? gap->end() : *r->base), formatSize(gap ? gap->size : 0)));
        return;
    }
    m_newFit->setText(m_free && !m_free->ram.empty()
            ? tr("No free gap of RAM holds %1 aligned to %2: it is added with a size only, for the kernel to place.")
                  .arg(formatSize(r->size), formatSize(r->alignment))
            : tr("The tree gives no RAM: the region is added with a size only, for the kernel to place."));
}

} // namespace carveout::ui
