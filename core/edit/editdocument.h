// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "model/layout.h"
#include "source/loader.h"

// Qt
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

// std
#include <optional>
#include <vector>

namespace carveout {

/** One operation of an edit script (design.md section 6). */
struct EditOp
{
    QString op; ///< move, resize, set, unset, add, delete, bind, unbind, retarget
    QString node;
    QString parent;
    QString name;
    QString property;
    QString device;
    QString region;
    QJsonValue value;
    QJsonObject properties;
    std::optional<uint64_t> base;
    std::optional<uint64_t> size;
    std::optional<int> entry; ///< unbind, retarget: the position in memory-region (0 = first)
    bool rename = true; ///< move: keep the unit address in step with the base
    int index = 0; ///< position in the script, for messages
};

struct PatchPolicy
{
    /// Patch .dtsi files in place instead of writing overrides into the board file. Either way,
    /// files outside the board's tree (the kernel or rebasing root, or the board's folder) are
    /// never written.
    bool patchShared = false;
};

/** Parses an edit script (a JSON list). Returns false with a sentence naming the entry at fault. */
bool parseEditScript(const QByteArray& json, std::vector<EditOp>* ops, QString* error);

/** A board being edited: the tree as loaded (with its source map) and a working copy that the
 *  operations change. The GUI's undo commands and `carveout-cli edit` scripts use the same
 *  operations; saving diffs the working copy against the original (see patcher.h).
 *  Every operation either applies completely or returns an error and changes nothing. */
class EditDocument
{
public:
    explicit EditDocument(const LoadedTree& loaded, const PatchPolicy& policy = {});

    const PatchPolicy& policy() const { return m_policy; }
    /** Changes where values are written from now on (names already kept stay kept). */
    void setPolicy(const PatchPolicy& policy) { m_policy = policy; }
    /** Whether a save may write this file: the board file always; other files of the board's
     *  tree only when the policy patches shared files; nothing outside the tree. */
    bool writable(const QString& file) const;

    const LoadedTree& original() const { return m_original; }
    const LoadedTree& working() const { return m_working; }
    /** Replaces the working tree (undo and redo restore snapshots taken with working()). */
    void setWorking(const LoadedTree& working) { m_working = working; }
    const DeviceTree& tree() const { return m_working.tree; }
    /** Notes from the operations (what a move renamed, what a delete unbound, ...). */
    const QStringList& notes() const { return m_notes; }

    QString move(const QString& node, uint64_t base, bool rename = true);
    QString resize(const QString& node, uint64_t size);
    QString setProperty(const QString& node, const QString& property, const QJsonValue& value);
    QString unsetProperty(const QString& node, const QString& property);
    QString addNode(const QString& parent, const QString& name, const QJsonObject& properties);
    QString deleteNode(const QString& node);
    QString bind(const QString& device, const QString& region);
    QString unbind(const QString& device, const QString& region);
    /** Removes entry `index` of `device`'s memory-region (and its memory-region-names entry):
     *  a wrong or dangling one the region-based unbind cannot name. */
    QString removeEntry(const QString& device, int index);
    /** Points entry `index` of `device`'s memory-region at `region` (its name is kept); an error
     *  when the device already uses that region in another entry. */
    QString retarget(const QString& device, int index, const QString& region);
    QString apply(const EditOp& op);
    /** Applies a whole script; on the first error nothing of it stays applied. */
    QString applyAll(const std::vector<EditOp>& ops);

    /** Property bytes for a JSON value, in the cells the kernel reads for that property. */
    QString encode(const QString& property, const QJsonValue& value, QByteArray* out) const;

private:
    int findNode(const QString& path, QString* error) const;
    /** Finds a device and a region node; an error sentence when either is missing. */
    QString findPair(const QString& device, const QString& region, int* d, int* r) const;
    DtProperty* mutableProperty(int node, const char* name);
    /** The node's phandle, given one (as dtc would) when nothing referenced it yet. */
    uint32_t ensurePhandle(int node);
    void setBytes(int node, const QByteArray& name, const QByteArray& value);
    /** Points /__symbols__ entries at a renamed node's new path (empty: drops them). */
    void followSymbols(const QString& oldPath, const QString& newPath);
    int rootAddressCells() const;
    int rootSizeCells() const;

    LoadedTree m_original;
    LoadedTree m_working;
    PatchPolicy m_policy;
    QString m_board;
    QString m_root;
    QStringList m_notes;
};

} // namespace carveout
