#include "eventfactory.h"

#include <QCoreApplication>
#include <QSet>

namespace Pyrite::Internal {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(EventFactory)
};

Event failed(QString *errorString, const QString &message)
{
    if (errorString)
        *errorString = message;
    return Event();
}

QString stringField(const QVariantMap &map, const char *key)
{
    const QVariant value = map.value(QLatin1String(key));
    return value.canConvert<QString>() ? value.toString() : QString();
}
} // namespace

QVariantList EventFactory::normalizedLinks(const QVariant &links)
{
    QVariantList result;
    const QVariantList items = links.toList();
    for (const QVariant &item : items) {
        if (item.typeId() == QMetaType::QString) {
            result.append(QVariantMap{{QStringLiteral("target"), item},
                                      {QStringLiteral("relation"), QStringLiteral("link")}});
            continue;
        }
        const QVariantMap link = item.toMap();
        const QString target = stringField(link, "target");
        if (target.isEmpty())
            continue;
        QVariantMap normalized{{QStringLiteral("target"), target},
                               {QStringLiteral("relation"), stringField(link, "relation")}};
        if (normalized.value(QStringLiteral("relation")).toString().isEmpty())
            normalized.insert(QStringLiteral("relation"), QStringLiteral("link"));
        const QString kb = stringField(link, "kb");
        if (!kb.isEmpty())
            normalized.insert(QStringLiteral("kb"), kb);
        result.append(normalized);
    }
    return result;
}

QStringList EventFactory::changedFields(const QVariantMap &before, const QVariantMap &after)
{
    QSet<QString> keys;
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        keys.insert(it.key());
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        keys.insert(it.key());
    QStringList changed;
    for (const QString &key : std::as_const(keys)) {
        if (before.value(key) != after.value(key))
            changed.append(key);
    }
    changed.sort();
    return changed;
}

Event EventFactory::fromHook(Hook hook, const QVariantMap &entry, const HookContext &context, QString *errorString)
{
    QString type;
    switch (hook) {
    case Hook::AfterSave:
        if (context.operation == u"update" || (context.operation.isEmpty() && !context.previousEntry.isEmpty()))
            type = QStringLiteral("entry.updated");
        else if (context.operation == u"create" || context.operation.isEmpty())
            type = QStringLiteral("entry.created");
        else
            return failed(errorString, Tr::tr("after_save: context \"operation\" is \"%1\"; expected \"create\" or \"update\"")
                                               .arg(context.operation));
        break;
    case Hook::AfterDelete:
        type = QStringLiteral("entry.deleted");
        break;
    case Hook::BeforeSave:
    case Hook::BeforeDelete:
    case Hook::BeforeIndex:
        return Event();
    }

    const QString entryId = stringField(entry, "id");
    if (entryId.isEmpty())
        return failed(errorString, Tr::tr("%1: the entry has no \"id\"").arg(hookName(hook)));
    QString kb = context.kbName;
    if (kb.isEmpty())
        kb = stringField(entry, "kb_name");
    if (kb.isEmpty())
        return failed(errorString, Tr::tr("%1: entry \"%2\" has no KB (context \"kb_name\" is empty)")
                                           .arg(hookName(hook), entryId));

    Event event;
    event.setType(type);
    event.setEntryId(entryId);
    event.setKb(kb);
    event.setSubject(kb + u'/' + entryId);
    QString entryType = stringField(entry, "type");
    if (entryType.isEmpty())
        entryType = stringField(entry, "entry_type");
    event.setEntryType(entryType);
    event.setActor(context.user);
    event.setTitle(stringField(entry, "title"));
    event.setTags(entry.value(QStringLiteral("tags")).toStringList());
    event.setLinks(normalizedLinks(entry.value(QStringLiteral("links"))));
    if (type == u"entry.updated" && !context.previousEntry.isEmpty())
        event.setChanges(changedFields(context.previousEntry, entry));
    event.setEntry(entry);
    event.setHookContext(context);
    return event;
}

Event EventFactory::fromNotification(Notification notification, const QVariantMap &payload,
                                     const HookContext &context, QString *errorString)
{
    const QString type = notificationName(notification);
    QVariantMap extra = payload;
    QString kb = extra.take(QStringLiteral("kb")).toString();
    if (kb.isEmpty())
        kb = context.kbName;
    if (kb.isEmpty())
        return failed(errorString, Tr::tr("%1: no KB (payload \"kb\" and context \"kb_name\" are empty)").arg(type));
    QString actor = extra.take(QStringLiteral("actor")).toString();
    if (actor.isEmpty())
        actor = context.user;
    const QString entryId = extra.take(QStringLiteral("entry_id")).toString();
    const bool needsEntry = notification == Notification::QaValidationFailed
            || notification == Notification::TaskClaimed || notification == Notification::TaskCompleted;
    if (needsEntry && entryId.isEmpty())
        return failed(errorString, Tr::tr("%1: payload has no \"entry_id\"").arg(type));

    if (notification == Notification::QaValidationFailed) {
        const QVariant issues = extra.value(QStringLiteral("issues"));
        if (issues.isValid() && issues.typeId() != QMetaType::QVariantList)
            return failed(errorString, Tr::tr("%1: payload \"issues\" must be a list").arg(type));
        if (!issues.isValid())
            extra.insert(QStringLiteral("issues"), QVariantList());
    }
    if (notification == Notification::KbIndexed) {
        for (const char *count : {"entries", "added", "updated", "removed", "duration_ms"}) {
            const QVariant value = extra.value(QLatin1String(count));
            bool ok = true;
            if (value.isValid() && (value.toLongLong(&ok) < 0 || !ok))
                return failed(errorString, Tr::tr("%1: payload \"%2\" must be a whole number of at least 0")
                                                   .arg(type, QLatin1String(count)));
            if (value.isValid())
                extra.insert(QLatin1String(count), value.toLongLong());
        }
    }

    Event event;
    event.setType(type);
    event.setKb(kb);
    event.setActor(actor);
    event.setEntryId(entryId);
    event.setEntryType(extra.take(QStringLiteral("entry_type")).toString());
    if (notification == Notification::TaskClaimed || notification == Notification::TaskCompleted) {
        if (event.entryType().isEmpty())
            event.setEntryType(QStringLiteral("task"));
    }
    event.setTitle(extra.take(QStringLiteral("title")).toString());
    event.setSubject(entryId.isEmpty() ? kb : kb + u'/' + entryId);
    event.setExtra(extra);
    event.setHookContext(context);
    return event;
}

} // namespace Pyrite::Internal
