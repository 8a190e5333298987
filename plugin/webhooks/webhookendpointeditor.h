#pragma once

#include "webhookendpoint.h"
#include "webhookendpointstore.h"

#include "interface/pyriteplugin.h"

#include <QJsonObject>
#include <QList>

namespace Pyrite::Internal {

class EventLog;

// The operations on endpoints made at run time (docs/webhooks.md, "Endpoints at run time"):
// validated by the rules of configured ones plus the address policy, kept by WebhookEndpointStore
// in the log's database. Each call runs its work on the log's thread and waits for it: call it
// from a worker thread (the HTTP API's) or a command, not from the loop that serves.
class WebhookEndpointEditor
{
public:
    using Answer = WebhookService::EndpointAnswer;
    using Failure = WebhookService::Failure;

    WebhookEndpointEditor(const QList<WebhookEndpoint> &configured, EventLog *log);

    bool list(QList<QJsonObject> *endpoints, QString *errorString) const;
    Answer create(const QJsonObject &definition) const;
    Answer update(const QString &id, const QJsonObject &changes) const;
    Answer remove(const QString &id) const;
    Answer rotateSecret(const QString &id, qint64 graceMs) const;

    // An endpoint as the API lists it: never a secret.
    static QJsonObject toJson(const WebhookEndpoint &endpoint);

private:
    // Checks a runtime definition (without its id): *endpoint on success, else an answer that
    // says why; warnings go to *answer either way. label starts each message ("endpoint x").
    bool validate(const QString &id, const QString &label, const QJsonObject &definition,
                  WebhookEndpoint *endpoint, Answer *answer) const;
    const WebhookEndpoint *configured(const QString &id) const;
    Answer readOnly(const QString &id) const;
    Answer notFound(const QString &id) const;
    // Runs work with the store on the log's thread and waits; Failed with a message when the
    // log is not available.
    WebhookEndpointStore::Status
    withStore(const std::function<WebhookEndpointStore::Status(WebhookEndpointStore &store,
                                                               QString *errorString)> &work,
              QString *errorString) const;

    QList<WebhookEndpoint> m_configured;
    EventLog *m_log;
};

} // namespace Pyrite::Internal
