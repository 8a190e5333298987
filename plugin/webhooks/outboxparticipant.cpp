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
    qint64 revision = 0;
    bool changed = false;
    QList<WebhookEndpoint> runtime;
    if (!WebhookEndpointStore(database.database())
                 .endpointsIfChanged(m_revision, &revision, &changed, &runtime, errorString))
        return false;
    if (changed) {
        m_endpoints = m_configured + runtime;
        m_revision = revision;
    }
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
