#include "bridgeprotocol.h"

#include "hosttr.h"

#include "jsonmessage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace Pyrite::Host {

namespace {
std::optional<BridgeRequest> fail(BridgeError *error, const QString &code, const QString &message)
{
    if (error)
        *error = BridgeError{code, message};
    return std::nullopt;
}

QStringList knownHookNames()
{
    QStringList names;
    for (Hook hook : AllHooks)
        names.append(hookName(hook));
    return names;
}

QStringList knownNotificationNames()
{
    QStringList names;
    for (Notification notification : AllNotifications)
        names.append(notificationName(notification));
    return names;
}

// Reads an optional string member; false (with a message) when present but not a string.
bool optionalString(const QJsonObject &object, const QString &key, const QString &where,
                    QString *out, BridgeError *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        fail(error, QStringLiteral("bad_request"),
             HostTr::tr("\"%1%2\" must be a string").arg(where, key));
        return false;
    }
    *out = value.toString();
    return true;
}

bool optionalObject(const QJsonObject &object, const QString &key, const QString &where,
                    QVariantMap *out, BridgeError *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject()) {
        fail(error, QStringLiteral("bad_request"),
             HostTr::tr("\"%1%2\" must be an object").arg(where, key));
        return false;
    }
    *out = value.toObject().toVariantMap();
    return true;
}

bool parseContext(const QJsonObject &request, HookContext *context, BridgeError *error)
{
    const QJsonValue value = request.value(QLatin1String("context"));
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject()) {
        fail(error, QStringLiteral("bad_request"), HostTr::tr("\"context\" must be an object"));
        return false;
    }
    const QJsonObject object = value.toObject();
    const QString where = QStringLiteral("context.");
    if (!optionalString(object, QStringLiteral("kb_name"), where, &context->kbName, error) ||
        !optionalString(object, QStringLiteral("user"), where, &context->user, error) ||
        !optionalString(object, QStringLiteral("operation"), where, &context->operation, error) ||
        !optionalString(object, QStringLiteral("kb_type"), where, &context->kbType, error) ||
        !optionalObject(object, QStringLiteral("extra"), where, &context->extra, error) ||
        !optionalObject(object, QStringLiteral("kb_schema"), where, &context->kbSchema, error) ||
        !optionalObject(object, QStringLiteral("previous"), where, &context->previousEntry,
                        error)) {
        return false;
    }
    static const QStringList operations{QStringLiteral("create"), QStringLiteral("update"),
                                        QStringLiteral("delete")};
    if (!context->operation.isEmpty() && !operations.contains(context->operation)) {
        fail(error, QStringLiteral("bad_request"),
             HostTr::tr("\"context.operation\" is \"%1\"; expected create, update or delete")
                     .arg(context->operation));
        return false;
    }
    return true;
}

std::optional<BridgeRequest> parseHook(const QJsonObject &object, BridgeRequest request,
                                       BridgeError *error)
{
    const QString name = object.value(QLatin1String("hook")).toString();
    const std::optional<Hook> hook = hookFromName(name);
    if (!hook) {
        return fail(error, QStringLiteral("unknown_hook"),
                    HostTr::tr("unknown hook \"%1\" (known: %2)")
                            .arg(name, knownHookNames().join(QStringLiteral(", "))));
    }
    request.kind = BridgeRequest::Kind::Hook;
    request.hook = *hook;
    const QJsonValue entry = object.value(QLatin1String("entry"));
    if (!entry.isObject())
        return fail(error, QStringLiteral("bad_request"),
                    HostTr::tr("\"entry\" must be an object"));
    request.entry = entry.toObject().toVariantMap();
    const QJsonValue entryId = entry.toObject().value(QLatin1String("id"));
    if (!entryId.isString() || entryId.toString().isEmpty())
        return fail(error, QStringLiteral("bad_entry"),
                    HostTr::tr("the entry has no \"id\" (a non-empty string)"));
    return request;
}

std::optional<BridgeRequest> parseNotification(const QJsonObject &object, BridgeRequest request,
                                               BridgeError *error)
{
    const QString name = object.value(QLatin1String("notify")).toString();
    const std::optional<Notification> notification = notificationFromName(name);
    if (!notification) {
        return fail(error, QStringLiteral("unknown_notification"),
                    HostTr::tr("unknown notification \"%1\" (known: %2)")
                            .arg(name, knownNotificationNames().join(QStringLiteral(", "))));
    }
    request.kind = BridgeRequest::Kind::Notify;
    request.notification = *notification;
    if (!optionalObject(object, QStringLiteral("payload"), QString(), &request.payload, error))
        return std::nullopt;
    return request;
}

std::optional<BridgeRequest> parseOp(const QJsonObject &object, BridgeRequest request,
                                     BridgeError *error)
{
    const QString op = object.value(QLatin1String("op")).toString();
    if (op == u"ping") {
        request.kind = BridgeRequest::Kind::Ping;
        return request;
    }
    if (op == u"metrics") {
        request.kind = BridgeRequest::Kind::Metrics;
        return request;
    }
    if (op == u"watch") {
        request.kind = BridgeRequest::Kind::Watch;
        const QJsonValue types = object.value(QLatin1String("types"));
        if (!types.isUndefined() && !types.isArray())
            return fail(error, QStringLiteral("bad_request"),
                        HostTr::tr("\"types\" must be a list of event type patterns"));
        for (const QJsonValue &type : types.toArray()) {
            if (!type.isString())
                return fail(error, QStringLiteral("bad_request"),
                            HostTr::tr("\"types\" must be a list of strings"));
            request.types.append(type.toString());
        }
        if (!optionalString(object, QStringLiteral("kb"), QString(), &request.kb, error) ||
            !optionalString(object, QStringLiteral("entry_type"), QString(), &request.entryType,
                            error)) {
            return std::nullopt;
        }
        return request;
    }
    return fail(error, QStringLiteral("unknown_op"),
                HostTr::tr("unknown op \"%1\" (known: metrics, ping, watch)").arg(op));
}
} // namespace

std::optional<BridgeRequest> BridgeProtocol::parse(QByteArrayView line, QJsonValue *id,
                                                   BridgeError *error)
{
    if (id)
        *id = QJsonValue::Null;
    JsonMessage::Error jsonError;
    const std::optional<QJsonObject> message = JsonMessage::parseObject(
            line, HostTr::tr("a request must be a JSON object"), &jsonError);
    if (!message)
        return fail(error, jsonError.code, jsonError.message);
    const QJsonObject &object = *message;
    BridgeRequest request;
    request.id = object.value(QLatin1String("id"));
    if (request.id.isUndefined())
        request.id = QJsonValue::Null;
    if (id)
        *id = request.id;

    const bool hasHook = object.contains(QLatin1String("hook"));
    const bool hasNotify = object.contains(QLatin1String("notify"));
    const bool hasOp = object.contains(QLatin1String("op"));
    if (int(hasHook) + int(hasNotify) + int(hasOp) != 1) {
        return fail(error, QStringLiteral("bad_request"),
                    HostTr::tr("a request needs exactly one of \"hook\", \"notify\" or \"op\""));
    }

    if (!parseContext(object, &request.context, error))
        return std::nullopt;

    if (hasHook)
        return parseHook(object, request, error);
    if (hasNotify)
        return parseNotification(object, request, error);
    return parseOp(object, request, error);
}

static QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray BridgeProtocol::hookReply(const QJsonValue &id, Hook hook, const HookOutcome &outcome)
{
    QJsonObject reply{{QLatin1String("id"), id}, {QLatin1String("ok"), true}};
    if (outcome.aborted) {
        reply.insert(QLatin1String("action"),
                     outcome.raised ? QStringLiteral("abort") : QStringLiteral("veto"));
        reply.insert(QLatin1String("message"), outcome.message);
        reply.insert(QLatin1String("by"), outcome.stoppedBy);
    } else if (outcome.replaced) {
        reply.insert(QLatin1String("action"), QStringLiteral("replace"));
        reply.insert(QLatin1String("entry"), QJsonObject::fromVariantMap(outcome.entry));
    } else {
        reply.insert(QLatin1String("action"), QStringLiteral("continue"));
    }
    if (!isBeforeHook(hook) && !outcome.failures.isEmpty())
        reply.insert(QLatin1String("failures"), QJsonArray::fromStringList(outcome.failures));
    return line(reply);
}

QByteArray BridgeProtocol::okReply(const QJsonValue &id, const QJsonObject &fields)
{
    QJsonObject reply = fields;
    reply.insert(QLatin1String("id"), id);
    reply.insert(QLatin1String("ok"), true);
    return line(reply);
}

QByteArray BridgeProtocol::errorReply(const QJsonValue &id, const QString &code,
                                      const QString &message)
{
    return line(QJsonObject{
            {QLatin1String("id"), id},
            {QLatin1String("ok"), false},
            {QLatin1String("error"),
             QJsonObject{{QLatin1String("code"), code}, {QLatin1String("message"), message}}}});
}

QByteArray BridgeProtocol::eventLine(const QJsonValue &id, const QJsonObject &event)
{
    return line(QJsonObject{{QLatin1String("watch"), id}, {QLatin1String("event"), event}});
}

} // namespace Pyrite::Host
