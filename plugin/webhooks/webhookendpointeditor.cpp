#include "webhookendpointeditor.h"

#include "webhookaddresspolicy.h"
#include "webhookendpointreader.h"
#include "webhookendpointstore.h"
#include "webhooksigner.h"
#include "webhookstr.h"

#include "bus/event.h"
#include "configreader.h"
#include "eventlog/eventlog.h"
#include "eventlog/logdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

namespace Pyrite::Internal {

namespace {
constexpr qint64 MaxGraceMs = 30LL * 86400000;

using Answer = WebhookEndpointEditor::Answer;
using Failure = WebhookEndpointEditor::Failure;
using Status = WebhookEndpointStore::Status;

Answer failed(Failure failure, const QString &error)
{
    Answer answer;
    answer.failure = failure;
    answer.error = error;
    return answer;
}

QString makeId()
{
    return QStringLiteral("ep_%1").arg(QRandomGenerator::system()->generate64(), 16, 16,
                                       QLatin1Char('0'));
}

// Runtime endpoints carry when they were made and changed, and a rotation's grace period.
QJsonObject rowJson(const WebhookEndpoint &endpoint, const WebhookEndpointStore::Row &row)
{
    QJsonObject json = WebhookEndpointEditor::toJson(endpoint);
    json.insert(QStringLiteral("created"), Event::formatTime(row.createdMs));
    json.insert(QStringLiteral("updated"), Event::formatTime(row.updatedMs));
    if (!row.previousSecret.isEmpty() && row.previousUntilMs > QDateTime::currentMSecsSinceEpoch())
        json.insert(QStringLiteral("previous_secret_until"),
                    Event::formatTime(row.previousUntilMs));
    return json;
}
} // namespace

WebhookEndpointEditor::WebhookEndpointEditor(const QList<WebhookEndpoint> &configured,
                                             EventLog *log)
    : m_configured(configured),
      m_log(log)
{ }

QJsonObject WebhookEndpointEditor::toJson(const WebhookEndpoint &endpoint)
{
    QJsonArray headers;
    for (const auto &header : endpoint.headers)
        headers.append(QString::fromLatin1(header.first));
    const bool runtime = endpoint.origin == WebhookEndpoint::Origin::Runtime;
    return QJsonObject{
            {QStringLiteral("id"), endpoint.id},
            {QStringLiteral("url"), endpoint.url.toString(QUrl::RemoveQuery)},
            {QStringLiteral("events"), QJsonArray::fromStringList(endpoint.filter.typePatterns())},
            {QStringLiteral("kb"), endpoint.filter.kb()},
            {QStringLiteral("entry_type"), endpoint.filter.entryType()},
            {QStringLiteral("scope_kb"), endpoint.scopeKb},
            {QStringLiteral("format"),
             endpoint.format == WebhookEndpoint::Format::Slack ? QStringLiteral("slack")
                                                               : QStringLiteral("cloudevents")},
            {QStringLiteral("headers"), headers},
            {QStringLiteral("timeout_ms"), endpoint.timeoutMs},
            {QStringLiteral("max_attempts"), endpoint.maxAttempts},
            {QStringLiteral("enabled"), endpoint.enabled},
            {QStringLiteral("allow_private"), endpoint.allowPrivate},
            {QStringLiteral("origin"),
             runtime ? QStringLiteral("runtime") : QStringLiteral("config")},
            {QStringLiteral("read_only"), !runtime},
            {QStringLiteral("signed"), !endpoint.secrets.isEmpty()}};
}

const WebhookEndpoint *WebhookEndpointEditor::configured(const QString &id) const
{
    for (const WebhookEndpoint &endpoint : m_configured) {
        if (endpoint.id == id)
            return &endpoint;
    }
    return nullptr;
}

Answer WebhookEndpointEditor::readOnly(const QString &id) const
{
    return failed(Failure::Conflict,
                  WebhooksTr::tr("endpoint \"%1\" is configured in %2 and read-only here; change "
                                 "it there")
                          .arg(id, configured(id)->location));
}

bool WebhookEndpointEditor::list(QList<QJsonObject> *endpoints, QString *errorString) const
{
    for (const WebhookEndpoint &endpoint : m_configured)
        endpoints->append(toJson(endpoint));
    if (!m_log)
        return true;
    QList<WebhookEndpointStore::Row> rows;
    if (!m_log->withDatabase(
                [&](LogDatabase &database) {
                    return WebhookEndpointStore(database.database()).list(&rows, errorString);
                },
                errorString))
        return false;
    for (const WebhookEndpointStore::Row &row : std::as_const(rows)) {
        QString error;
        if (const auto endpoint = WebhookEndpointStore::endpoint(row, &error)) {
            endpoints->append(rowJson(*endpoint, row));
        } else {
            endpoints->append(QJsonObject{{QStringLiteral("id"), row.id},
                                          {QStringLiteral("origin"), QStringLiteral("runtime")},
                                          {QStringLiteral("error"), error}});
        }
    }
    return true;
}

bool WebhookEndpointEditor::validate(const QString &id, const QString &label,
                                     const QJsonObject &definition, WebhookEndpoint *endpoint,
                                     Answer *answer) const
{
    ConfigReader reader(definition.toVariantMap(), label, {});
    *endpoint =
            WebhookEndpointReader::read(reader, QString(), WebhookEndpointReader::Source::Request);
    endpoint->id = id;
    answer->warnings += reader.warnings();
    if (reader.hasErrors()) {
        answer->failure = Failure::Invalid;
        answer->error = reader.errors().join(QStringLiteral("; "));
        return false;
    }
    if (endpoint->allowPrivate)
        return true;
    QString refusal;
    QString warning;
    if (!WebhookAddressPolicy::admitsAtSave(endpoint->url, &refusal, &warning)) {
        answer->failure = Failure::Invalid;
        answer->error = QStringLiteral("%1: url: %2").arg(label, refusal);
        return false;
    }
    if (!warning.isEmpty())
        answer->warnings.append(QStringLiteral("%1: url: %2").arg(label, warning));
    return true;
}

WebhookEndpointStore::Status WebhookEndpointEditor::withStore(
        const std::function<Status(WebhookEndpointStore &store, QString *errorString)> &work,
        QString *errorString) const
{
    Status status = Status::Failed;
    m_log->withDatabase(
            [&](LogDatabase &database) {
                WebhookEndpointStore store(database.database());
                status = work(store, errorString);
                return status == Status::Ok;
            },
            errorString);
    return status;
}

Answer WebhookEndpointEditor::notFound(const QString &id) const
{
    return failed(Failure::NotFound, WebhooksTr::tr("no endpoint \"%1\"").arg(id));
}

Answer WebhookEndpointEditor::create(const QJsonObject &definition) const
{
    if (!m_log)
        return failed(Failure::Unavailable,
                      WebhooksTr::tr("endpoints made at run time need the event log "
                                     "(event_log.driver is \"none\")"));
    const QJsonValue idValue = definition.value(QLatin1String("id"));
    if (!idValue.isUndefined() && !idValue.isString())
        return failed(Failure::Invalid, WebhooksTr::tr("id: expected a string"));
    const QString id = idValue.isString() ? idValue.toString() : makeId();
    if (!WebhookEndpointReader::isValidRuntimeId(id))
        return failed(Failure::Invalid,
                      WebhooksTr::tr("id: \"%1\" is not valid: 1 to 64 letters, digits and . _ : "
                                     "-, starting with a letter or digit")
                              .arg(id.left(80)));
    if (configured(id))
        return readOnly(id);
    QJsonObject stored = definition;
    stored.remove(QLatin1String("id"));
    Answer answer;
    WebhookEndpoint endpoint;
    // A made-up id in a message would read like one the user gave.
    const QString label = idValue.isString() ? QStringLiteral("endpoint %1").arg(id)
                                             : QStringLiteral("new endpoint");
    if (!validate(id, label, stored, &endpoint, &answer))
        return answer;
    WebhookEndpointStore::Row row;
    row.id = id;
    row.definition = stored;
    row.secret = WebhookEndpointStore::generateSecret();
    row.createdMs = row.updatedMs = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const Status status = withStore(
            [&](WebhookEndpointStore &store, QString *error) { return store.insert(row, error); },
            &error);
    if (status == Status::Exists)
        return failed(Failure::Conflict,
                      WebhooksTr::tr("an endpoint with the id \"%1\" exists already").arg(id));
    if (status != Status::Ok)
        return failed(Failure::Unavailable, error);
    endpoint.secrets = {WebhookSigner::decodeSecret(row.secret).value_or(QByteArray())};
    answer.endpoint = rowJson(endpoint, row);
    answer.endpoint.insert(QStringLiteral("secret"), row.secret);
    return answer;
}

Answer WebhookEndpointEditor::update(const QString &id, const QJsonObject &changes) const
{
    if (configured(id))
        return readOnly(id);
    if (!m_log)
        return notFound(id);
    if (changes.contains(QLatin1String("id")) && changes.value(QLatin1String("id")) != id)
        return failed(Failure::Invalid,
                      WebhooksTr::tr("id: an endpoint's id cannot change; make a new one"));
    WebhookEndpointStore::Row row;
    QString error;
    const Status found = withStore([&](WebhookEndpointStore &store,
                                       QString *error) { return store.find(id, &row, error); },
                                   &error);
    if (found == Status::NotFound)
        return notFound(id);
    if (found != Status::Ok)
        return failed(Failure::Unavailable, error);
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (it.key() == u"id")
            continue;
        if (it.value().isNull())
            row.definition.remove(it.key());
        else
            row.definition.insert(it.key(), it.value());
    }
    // Checked here, not on the log's thread: the address check may wait for DNS.
    Answer answer;
    WebhookEndpoint endpoint;
    if (!validate(id, QStringLiteral("endpoint %1").arg(id), row.definition, &endpoint, &answer))
        return answer;
    const qint64 readUpdatedMs = row.updatedMs;
    row.updatedMs = std::max(QDateTime::currentMSecsSinceEpoch(), readUpdatedMs + 1);
    // Written only if nobody changed it since it was read: two edits of different keys must not
    // silently undo each other.
    const Status status = withStore(
            [&](WebhookEndpointStore &store, QString *error) {
                return store.update(id, row.definition, row.updatedMs, readUpdatedMs, error);
            },
            &error);
    if (status == Status::NotFound)
        return failed(Failure::Conflict,
                      WebhooksTr::tr("endpoint \"%1\" was changed or deleted meanwhile; read it "
                                     "again")
                              .arg(id));
    if (status != Status::Ok)
        return failed(Failure::Unavailable, error);
    const auto stored = WebhookEndpointStore::endpoint(row, &error);
    answer.endpoint = rowJson(stored.value_or(endpoint), row);
    return answer;
}

Answer WebhookEndpointEditor::remove(const QString &id) const
{
    if (configured(id))
        return readOnly(id);
    if (!m_log)
        return notFound(id);
    int deliveries = 0;
    QString error;
    const Status status =
            withStore([&](WebhookEndpointStore &store,
                          QString *error) { return store.remove(id, &deliveries, error); },
                      &error);
    if (status == Status::NotFound)
        return notFound(id);
    if (status != Status::Ok)
        return failed(Failure::Unavailable, error);
    Answer answer;
    answer.endpoint = QJsonObject{{QStringLiteral("id"), id},
                                  {QStringLiteral("deleted"), true},
                                  {QStringLiteral("deliveries_removed"), deliveries}};
    return answer;
}

Answer WebhookEndpointEditor::rotateSecret(const QString &id, qint64 graceMs) const
{
    if (const WebhookEndpoint *endpoint = configured(id))
        return failed(Failure::Conflict,
                      WebhooksTr::tr("endpoint \"%1\" is configured in %2: rotate its secret there "
                                     "(list the new and the old one under \"secrets\")")
                              .arg(id, endpoint->location));
    if (!m_log)
        return notFound(id);
    if (graceMs < 0 || graceMs > MaxGraceMs)
        return failed(Failure::Invalid,
                      WebhooksTr::tr("grace: at most 30 days, not %1 ms").arg(graceMs));
    const QString secret = WebhookEndpointStore::generateSecret();
    WebhookEndpointStore::Row row;
    QString error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Status status = withStore(
            [&](WebhookEndpointStore &store, QString *error) {
                const Status rotated = store.rotate(id, secret, now + graceMs, now, error);
                return rotated == Status::Ok ? store.find(id, &row, error) : rotated;
            },
            &error);
    if (status == Status::NotFound)
        return notFound(id);
    if (status != Status::Ok)
        return failed(Failure::Unavailable, error);
    Answer answer;
    const auto endpoint = WebhookEndpointStore::endpoint(row, &error);
    answer.endpoint = endpoint ? rowJson(*endpoint, row) : QJsonObject{{QStringLiteral("id"), id}};
    answer.endpoint.insert(QStringLiteral("secret"), secret);
    return answer;
}

} // namespace Pyrite::Internal
