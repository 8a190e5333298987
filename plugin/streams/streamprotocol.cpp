#include "streamprotocol.h"

#include "streamstr.h"

#include "jsonmessage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace Pyrite::Internal {

namespace {
std::optional<StreamRequest> fail(StreamError *error, const QString &code, const QString &message,
                                  const QString &id = QString())
{
    if (error)
        *error = StreamError{code, message, id};
    return std::nullopt;
}

bool refuse(StreamError *error, const QString &code, const QString &message, const QString &id)
{
    fail(error, code, message, id);
    return false;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// JSON string literal of a plain value, for frames built by concatenation.
QByteArray quoted(const QString &text)
{
    QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return json.mid(1, json.size() - 2); // strip [ ]
}
// The parts of a subscribe message; each returns false with *error filled in.
bool readTypes(const QJsonObject &object, StreamRequest *request, StreamError *error)
{
    const QJsonValue types = object.value(QLatin1String("types"));
    QStringList patterns;
    if (!types.isUndefined()) {
        if (!types.isArray())
            return refuse(error, QStringLiteral("bad_request"),
                          StreamsTr::tr("\"types\" must be a list of event type patterns"),
                          request->id);
        const QJsonArray array = types.toArray();
        if (array.size() > StreamProtocol::MaxPatterns)
            return refuse(error, QStringLiteral("bad_request"),
                          StreamsTr::tr("\"types\" has more than %1 patterns")
                                  .arg(StreamProtocol::MaxPatterns),
                          request->id);
        for (const QJsonValue &type : array) {
            if (!type.isString())
                return refuse(error, QStringLiteral("bad_request"),
                              StreamsTr::tr("\"types\" must be a list of strings"), request->id);
            patterns.append(type.toString());
        }
    }
    QString patternError;
    if (!request->filter.setTypePatterns(patterns, &patternError))
        return refuse(error, QStringLiteral("invalid_pattern"),
                      StreamsTr::tr("\"types\": %1").arg(patternError), request->id);

    return true;
}

bool readFilter(const QJsonObject &object, StreamRequest *request, StreamError *error)
{
    const QJsonValue filter = object.value(QLatin1String("filter"));
    if (!filter.isUndefined() && !filter.isObject())
        return refuse(error, QStringLiteral("bad_request"),
                      StreamsTr::tr("\"filter\" must be an object"), request->id);
    const QJsonObject fields = filter.toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString key = it.key();
        if (key != u"kb" && key != u"entry_type" && key != u"entry_id") {
            return refuse(
                    error, QStringLiteral("bad_request"),
                    StreamsTr::tr("unknown filter field \"%1\" (known: kb, entry_type, entry_id)")
                            .arg(key.left(StreamProtocol::MaxIdLength)),
                    request->id);
        }
        if (!it.value().isString())
            return refuse(error, QStringLiteral("bad_request"),
                          StreamsTr::tr("\"filter.%1\" must be a string").arg(key), request->id);
    }
    request->filter.setKb(fields.value(QLatin1String("kb")).toString());
    request->filter.setEntryType(fields.value(QLatin1String("entry_type")).toString());
    request->filter.setEntryId(fields.value(QLatin1String("entry_id")).toString());

    return true;
}

bool readPosition(const QJsonObject &object, StreamRequest *request, StreamError *error)
{
    const QJsonValue since = object.value(QLatin1String("since"));
    if (!since.isUndefined()) {
        // Range first: converting a double beyond qint64 is undefined (found by the fuzzer).
        // 2^53 is the largest whole number a JSON double holds exactly.
        const double value = since.toDouble(-1);
        if (!since.isDouble() || !(value >= 0 && value <= 9007199254740992.0) ||
            value != std::floor(value))
            return refuse(
                    error, QStringLiteral("bad_request"),
                    StreamsTr::tr(
                            "\"since\" must be a sequence number (a whole number of at least 0)"),
                    request->id);
        request->since = qint64(value);
    }
    const QJsonValue epoch = object.value(QLatin1String("epoch"));
    if (!epoch.isUndefined() && !epoch.isString())
        return refuse(error, QStringLiteral("bad_request"),
                      StreamsTr::tr("\"epoch\" must be a string"), request->id);
    request->epoch = epoch.toString();
    return true;
}

} // namespace

std::optional<StreamRequest> StreamProtocol::parse(QByteArrayView message, StreamError *error)
{
    JsonMessage::Error jsonError;
    const std::optional<QJsonObject> parsed = JsonMessage::parseObject(
            message, StreamsTr::tr("a message must be a JSON object"), &jsonError);
    if (!parsed)
        return fail(error, jsonError.code, jsonError.message);
    const QJsonObject &object = *parsed;

    StreamRequest request;
    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isUndefined() && !id.isString())
        return fail(error, QStringLiteral("bad_request"), StreamsTr::tr("\"id\" must be a string"));
    request.id = id.toString();
    if (request.id.size() > StreamProtocol::MaxIdLength)
        return fail(error, QStringLiteral("bad_request"),
                    StreamsTr::tr("\"id\" is longer than %1 characters")
                            .arg(StreamProtocol::MaxIdLength));

    const QJsonValue op = object.value(QLatin1String("op"));
    if (!op.isString())
        return fail(error, QStringLiteral("bad_request"),
                    StreamsTr::tr("\"op\" is missing or not a string"), request.id);
    const QString name = op.toString();
    if (name == u"ping") {
        request.op = StreamRequest::Op::Ping;
        return request;
    }
    if (name != u"subscribe" && name != u"unsubscribe") {
        return fail(error, QStringLiteral("unknown_op"),
                    StreamsTr::tr("unknown op \"%1\" (known: subscribe, unsubscribe, ping)")
                            .arg(name.left(StreamProtocol::MaxIdLength)),
                    request.id);
    }
    if (request.id.isEmpty())
        return fail(error, QStringLiteral("bad_request"),
                    StreamsTr::tr("%1 needs a non-empty \"id\"").arg(name));
    if (name == u"unsubscribe") {
        request.op = StreamRequest::Op::Unsubscribe;
        return request;
    }

    request.op = StreamRequest::Op::Subscribe;
    if (!readTypes(object, &request, error) || !readFilter(object, &request, error) ||
        !readPosition(object, &request, error))
        return std::nullopt;
    return request;
}

QByteArray StreamProtocol::subscribed(const QString &id, bool recovered, const QString &epoch,
                                      qint64 logStart, qint64 position)
{
    QJsonObject object{{QLatin1String("op"), QStringLiteral("subscribed")},
                       {QLatin1String("id"), id},
                       {QLatin1String("recovered"), recovered}};
    if (!epoch.isEmpty()) {
        object.insert(QLatin1String("epoch"), epoch);
        object.insert(QLatin1String("log_start"), logStart);
        object.insert(QLatin1String("position"), position);
    }
    return compact(object);
}

QByteArray StreamProtocol::unsubscribed(const QString &id)
{
    return compact(
            {{QLatin1String("op"), QStringLiteral("unsubscribed")}, {QLatin1String("id"), id}});
}

QByteArray StreamProtocol::pong(const QString &id)
{
    QJsonObject object{{QLatin1String("op"), QStringLiteral("pong")}};
    if (!id.isEmpty())
        object.insert(QLatin1String("id"), id);
    return compact(object);
}

QByteArray StreamProtocol::error(const StreamError &error)
{
    QJsonObject object{{QLatin1String("op"), QStringLiteral("error")},
                       {QLatin1String("code"), error.code},
                       {QLatin1String("message"), error.message}};
    if (!error.id.isEmpty())
        object.insert(QLatin1String("id"), error.id);
    return compact(object);
}

QByteArray StreamProtocol::eventFrame(const QString &subscriptionId, const QByteArray &eventJson)
{
    return "{\"op\":\"event\",\"sub\":" + quoted(subscriptionId) + ",\"event\":" + eventJson + '}';
}

QByteArray StreamProtocol::legacyFrame(const QString &eventType, const QString &entryId,
                                       const QString &kb)
{
    QString type;
    if (eventType == u"entry.created")
        type = QStringLiteral("entry_created");
    else if (eventType == u"entry.updated")
        type = QStringLiteral("entry_updated");
    else if (eventType == u"entry.deleted")
        type = QStringLiteral("entry_deleted");
    else if (eventType == u"kb.indexed")
        type = QStringLiteral("kb_synced");
    else
        return QByteArray();
    QJsonObject object{{QLatin1String("type"), type}, {QLatin1String("kb_name"), kb}};
    if (!entryId.isEmpty())
        object.insert(QLatin1String("entry_id"), entryId);
    return compact(object);
}

} // namespace Pyrite::Internal
