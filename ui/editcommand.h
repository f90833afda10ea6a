// SPDX-License-Identifier: GPL-2.0-only
#pragma once

// core
#include "edit/editdocument.h"

// Qt
#include <QUndoCommand>

// std
#include <functional>

namespace carveout::ui {

/** One user-visible edit: the working tree before and after it. Redo and undo restore the
 *  snapshots through `apply` (the window sets it on the document and refreshes its views).
 *  Consecutive nudges of the same region merge into one command. */
class TreeEditCommand : public QUndoCommand
{
public:
    TreeEditCommand(const QString& text, LoadedTree before, LoadedTree after,
        std::function<void(const LoadedTree&)> apply, int mergeKey = -1)
        : QUndoCommand(text)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_apply(std::move(apply))
        , m_mergeKey(mergeKey)
    {
    }
    void redo() override { m_apply(m_after); }
    void undo() override { m_apply(m_before); }
    int id() const override { return m_mergeKey < 0 ? -1 : 0x4341; }
    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* o = static_cast<const TreeEditCommand*>(other);
        if (o->m_mergeKey != m_mergeKey)
            return false;
        m_after = o->m_after;
        return true;
    }

private:
    LoadedTree m_before;
    LoadedTree m_after;
    std::function<void(const LoadedTree&)> m_apply;
    int m_mergeKey;
};

} // namespace carveout::ui
