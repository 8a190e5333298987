#include "eventfactory.h"

#include "bustr.h"

#include "wikilinks.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Pyrite::Internal {

namespace {
Event failed(QString *errorString, const QString &message)
{
    if (errorString)
        *errorString = message;
    return Event();
}

// Keys as static strings: this is the publish path, a lookup must not allocate.
const QString KeyId = QStringLiteral("id");
const QString KeyTitle = QStringLiteral("title");
const QString KeyType = QStringLiteral("type");
const QString KeyEntryType = QStringLiteral("entry_type");
const QString KeyKbName = QStringLiteral("kb_name");
const QString KeyTags = QStringLiteral("tags");
const QString KeyLinks = QStringLiteral("links");
const QString KeyTarget = QStringLiteral("target");
const QString KeyRelation = QStringLiteral("relation");
const QString KeyKb = QStringLiteral("kb");
// A link without a relation: "related", as Pyrite's parse_links makes it (and the KB reader).
const QString RelationLink = QStringLiteral("related");
const QString KeyBody = QStringLiteral("body");
const QString KeyStatus = QStringLiteral("status");

// QVariant::toString() converts numbers and gives "" for what has no text form; no need for the
// (locking) converter lookup of canConvert().
QString stringField(const QVariantMap &map, const QString &key)
{
    const auto it = map.constFind(key);
    return it == map.cend() ? QString() : it->toString();
}

bool isNormalizedLink(const QVariantMap &link)
{
    for (auto it = link.cbegin(); it != link.cend(); ++it) {
        if (it.value().typeId() != QMetaType::QString || it.value().toString().isEmpty())
            return false;
        if (it.key() != KeyTarget && it.key() != KeyRelation && it.key() != KeyKb)
            return false;
    }
    return link.contains(KeyTarget) && link.contains(KeyRelation);
}
} // namespace

QVariantList EventFactory::normalizedLinks(const QVariant &links)
{
    if (links.typeId() != QMetaType::QVariantList)
        return {};
    const QVariantList items = links.toList();
    // Pyrite's links are usually in shape already: then the list is shared, not rebuilt.
    const bool allNormalized = std::all_of(items.cbegin(), items.cend(), [](const QVariant &item) {
        return item.typeId() == QMetaType::QVariantMap &&
                isNormalizedLink(*static_cast<const QVariantMap *>(item.constData()));
    });
    if (allNormalized)
        return items;

    QVariantList result;
    result.reserve(items.size());
    for (const QVariant &item : items) {
        if (item.typeId() == QMetaType::QString) {
            result.append(QVariantMap{{KeyTarget, item}, {KeyRelation, RelationLink}});
            continue;
        }
        if (item.typeId() != QMetaType::QVariantMap)
            continue;
        const QVariantMap link = item.toMap();
        const QString target = stringField(link, KeyTarget);
        if (target.isEmpty())
            continue;
        const QString relation = stringField(link, KeyRelation);
        QVariantMap normalized{{KeyTarget, target},
                               {KeyRelation, relation.isEmpty() ? RelationLink : relation}};
        const QString kb = stringField(link, KeyKb);
        if (!kb.isEmpty())
            normalized.insert(KeyKb, kb);
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

Event EventFactory::fromHook(Hook hook, const QVariantMap &entry, const HookContext &context,
                             QString *errorString)
{
    QString type;
    switch (hook) {
    case Hook::AfterSave:
        if (context.operation == u"update" ||
            (context.operation.isEmpty() && !context.previousEntry.isEmpty()))
            type = QStringLiteral("entry.updated");
        else if (context.operation == u"create" || context.operation.isEmpty())
            type = QStringLiteral("entry.created");
        else
            return failed(
                    errorString,
                    BusTr::tr("after_save: context \"operation\" is \"%1\"; expected \"create\" "
                              "or \"update\"")
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

    const QString entryId = stringField(entry, KeyId);
    if (entryId.isEmpty())
        return failed(errorString, BusTr::tr("%1: the entry has no \"id\"").arg(hookName(hook)));
    QString kb = context.kbName;
    if (kb.isEmpty())
        kb = stringField(entry, KeyKbName);
    if (kb.isEmpty())
        return failed(errorString,
                      BusTr::tr("%1: entry \"%2\" has no KB (context \"kb_name\" is empty)")
                              .arg(hookName(hook), entryId));

    Event event;
    event.setType(type);
    event.setEntryId(entryId);
    event.setKb(kb);
    QString entryType = stringField(entry, KeyType);
    if (entryType.isEmpty())
        entryType = stringField(entry, KeyEntryType);
    event.setEntryType(entryType);
    event.setActor(context.user);
    event.setTitle(stringField(entry, KeyTitle));
    event.setTags(entry.value(KeyTags).toStringList());
    QVariantList links = normalizedLinks(entry.value(KeyLinks));
    // Links of the body, as Pyrite's index has them.
    links += WikiLinks::asLinks(stringField(entry, KeyBody), entryId, links);
    event.setLinks(links);
    if (type == u"entry.updated" && !context.previousEntry.isEmpty())
        event.setChanges(changedFields(context.previousEntry, entry));
    QVariantMap extra;
    if (!context.kbType.isEmpty())
        extra.insert(QStringLiteral("kb_type"), context.kbType);
    if (!context.extra.isEmpty())
        extra.insert(QStringLiteral("extra"), context.extra);
    event.setExtra(extra);
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
        return failed(errorString,
                      BusTr::tr("%1: no KB (payload \"kb\" and context \"kb_name\" are empty)")
                              .arg(type));
    QString actor = extra.take(QStringLiteral("actor")).toString();
    if (actor.isEmpty())
        actor = context.user;
    const QString entryId = extra.take(QStringLiteral("entry_id")).toString();
    const bool needsEntry = notification == Notification::QaValidationFailed ||
            notification == Notification::TaskClaimed ||
            notification == Notification::TaskCompleted;
    if (needsEntry && entryId.isEmpty())
        return failed(errorString, BusTr::tr("%1: payload has no \"entry_id\"").arg(type));

    if (notification == Notification::QaValidationFailed) {
        const QVariant issues = extra.value(QStringLiteral("issues"));
        if (issues.isValid() && issues.typeId() != QMetaType::QVariantList)
            return failed(errorString,
                          BusTr::tr("%1: payload \"issues\" must be a list").arg(type));
        if (!issues.isValid())
            extra.insert(QStringLiteral("issues"), QVariantList());
    }
    if (notification == Notification::KbIndexed) {
        for (const char *count : {"entries", "added", "updated", "removed", "duration_ms"}) {
            const QVariant value = extra.value(QLatin1String(count));
            bool ok = true;
            // JSON numbers arrive as doubles: check the range before any conversion to an integer
            // (converting one beyond qint64 is undefined).
            if (value.typeId() == QMetaType::Double) {
                const double number = value.toDouble();
                ok = number >= 0 && number <= 9007199254740992.0 && number == std::floor(number);
            }
            if (value.isValid() && (!ok || value.toLongLong(&ok) < 0 || !ok))
                return failed(errorString,
                              BusTr::tr("%1: payload \"%2\" must be a whole number of at least 0")
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
    event.setExtra(extra);
    event.setHookContext(context);
    return event;
}

QList<Event> EventFactory::derivedFromHook(const Event &event, const QVariantMap &entry,
                                           const HookContext &context)
{
    QList<Event> derived;
    const auto derive = [&](const QString &type, const QVariantMap &extra) {
        Event next;
        next.setType(type);
        next.setKb(event.kb());
        next.setEntryId(event.entryId());
        next.setEntryType(event.entryType());
        next.setActor(event.actor());
        next.setTitle(event.title());
        next.setExtra(extra);
        next.setHookContext(context);
        derived.append(next);
    };
    if (event.type() == u"entry.deleted")
        return derived;
    // A task's status transition (Pyrite passes the old status in the context's extra).
    const QString status = stringField(entry, KeyStatus);
    const QString oldStatus = context.extra.value(QStringLiteral("old_status")).toString();
    if (event.entryType() == u"task" && status != oldStatus &&
        (status == u"claimed" || status == u"done")) {
        QVariantMap extra{{QStringLiteral("status"), status},
                          {QStringLiteral("old_status"), oldStatus}};
        const QString assignee = stringField(entry, QStringLiteral("assignee"));
        if (!assignee.isEmpty())
            extra.insert(QStringLiteral("assignee"), assignee);
        derive(status == u"claimed" ? QStringLiteral("task.claimed")
                                    : QStringLiteral("task.completed"),
               extra);
    }
    // A failed QA assessment is about its target entry.
    if (event.entryType() == u"qa_assessment" &&
        stringField(entry, QStringLiteral("qa_status")) == u"fail") {
        const QVariant issues = entry.value(QStringLiteral("issues"));
        QVariantMap extra{
                {QStringLiteral("issues"),
                 issues.typeId() == QMetaType::QVariantList ? issues : QVariant(QVariantList())},
                {QStringLiteral("assessment_id"), event.entryId()},
                {QStringLiteral("qa_status"), QStringLiteral("fail")}};
        const QString target = stringField(entry, QStringLiteral("target_entry"));
        derive(QStringLiteral("qa.validation_failed"), extra);
        derived.last().setEntryId(target.isEmpty() ? event.entryId() : target);
        derived.last().setEntryType(QString());
        const QString targetKb = stringField(entry, QStringLiteral("target_kb"));
        if (!targetKb.isEmpty())
            derived.last().setKb(targetKb);
    }
    return derived;
}

} // namespace Pyrite::Internal
