#pragma once

#include "event.h"

namespace Pyrite::Internal {

// Turns hook calls and host notifications into events. Validates what it reads: an entry
// without an id, an unknown operation or a notification missing a required field gives a
// message naming the field, and a null event.
class EventFactory
{
public:
    // after_save -> entry.created / entry.updated, after_delete -> entry.deleted; before_* hooks
    // make no event (nothing has happened yet): a null event and no error.
    static Event fromHook(Hook hook, const QVariantMap &entry, const HookContext &context,
                          QString *errorString);
    static Event fromNotification(Notification notification, const QVariantMap &payload,
                                  const HookContext &context, QString *errorString);
    // What else the write of `event` (built by fromHook) means: a task whose status became
    // "claimed" or "done" (task.claimed, task.completed, from the context's extra.old_status),
    // a qa_assessment entry with qa_status "fail" (qa.validation_failed).
    static QList<Event> derivedFromHook(const Event &event, const QVariantMap &entry,
                                        const HookContext &context);

    // Names of the fields whose values differ, sorted.
    static QStringList changedFields(const QVariantMap &before, const QVariantMap &after);
    // Pyrite links as [{target, relation[, kb]}]; a bare string is a target with relation "link".
    static QVariantList normalizedLinks(const QVariant &links);
};

} // namespace Pyrite::Internal
