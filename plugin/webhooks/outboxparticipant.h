#pragma once

#include "webhookendpoint.h"

#include "eventlog/logparticipant.h"

namespace Pyrite::Internal {

// The webhook outbox's part in the event log: queues one delivery per event and matching endpoint
// in the transaction that stores the event (so a stored event is never without its deliveries, nor
// a delivery without its event), and removes finished deliveries older than the history setting.
class OutboxParticipant final : public LogParticipant
{
public:
    OutboxParticipant(const QList<WebhookEndpoint> &endpoints, qint64 historyMs);

    bool eventsAppended(LogDatabase &database, const QList<Event> &events, qint64 firstSequence,
                        const QList<QByteArray> &json, QString *errorString) override;
    bool prune(LogDatabase &database, int chunk, int *deleted, QString *errorString) override;
    void pruned(int deleted) override;

private:
    QList<WebhookEndpoint> m_endpoints;
    qint64 m_historyMs;
};

} // namespace Pyrite::Internal
