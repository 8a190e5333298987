#include "outboxparticipant.h"

#include "outbox.h"
#include "webhookendpointstore.h"

#include "eventlog/logdatabase.h"
#include "logging.h"

#include <QDateTime>

namespace Pyrite::Internal {

OutboxParticipant::OutboxParticipant(const QList<WebhookEndpoint> &configured, qint64 historyMs)
    : m_configured(configured),
      m_endpoints(configured),
      m_historyMs(historyMs)
{ }

bool OutboxParticipant::refreshRuntimeEndpoints(LogDatabase &database, QString *errorString)
{
    WebhookEndpointStore store(database.database());
    qint64 revision = 0;
    if (!store.revision(&revision, errorString))
        return false;
    if (revision == m_revision)
        return true;
    QList<WebhookEndpointStore::Row> rows;
    if (!store.list(&rows, errorString))
        return false;
    QList<WebhookEndpoint> endpoints = m_configured;
    for (const WebhookEndpointStore::Row &row : std::as_const(rows)) {
        QString error;
        if (const std::optional<WebhookEndpoint> endpoint =
                    WebhookEndpointStore::endpoint(row, &error))
            endpoints.append(*endpoint);
        else
            qCWarning(lcWebhooks).noquote() << error << "; no deliveries are queued for it";
    }
    m_endpoints = endpoints;
    m_revision = revision;
    return true;
}

bool OutboxParticipant::eventsAppended(LogDatabase &database, const QList<Event> &events,
                                       qint64 firstSequence, const QList<QByteArray> &json,
                                       QString *errorString)
{
    // One small read per transaction: an endpoint made by any process gets the events stored
    // after its creation committed, and none before.
    if (!refreshRuntimeEndpoints(database, errorString))
        return false;
    // Deliveries carry the envelope as replay returns it, with its position and hashes.
    Outbox outbox(database.database(), database.isPostgres());
    return outbox.enqueue(events, firstSequence, json, m_endpoints,
                          QDateTime::currentMSecsSinceEpoch(), errorString);
}

bool OutboxParticipant::prune(LogDatabase &database, int chunk, int *deleted, QString *errorString)
{
    Outbox outbox(database.database(), database.isPostgres());
    return outbox.pruneFinished(QDateTime::currentMSecsSinceEpoch() - m_historyMs, chunk, deleted,
                                errorString);
}

void OutboxParticipant::pruned(int deleted)
{
    if (deleted > 0)
        qCInfo(lcWebhooks).noquote()
                << "webhook history: removed" << deleted << "finished deliveries";
}

} // namespace Pyrite::Internal
