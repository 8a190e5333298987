#include "outboxparticipant.h"

#include "outbox.h"

#include "eventlog/logdatabase.h"
#include "logging.h"

#include <QDateTime>

namespace Pyrite::Internal {

OutboxParticipant::OutboxParticipant(const QList<WebhookEndpoint> &endpoints, qint64 historyMs)
    : m_endpoints(endpoints),
      m_historyMs(historyMs)
{ }

bool OutboxParticipant::eventsAppended(LogDatabase &database, const QList<Event> &events,
                                       qint64 firstSequence, const QList<QByteArray> &json,
                                       QString *errorString)
{
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
