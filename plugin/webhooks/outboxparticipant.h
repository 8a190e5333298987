#pragma once

#include "webhookendpoint.h"

#include "eventlog/logparticipant.h"

namespace Pyrite::Internal {

// The webhook outbox's part in the event log: queues one delivery per event and matching endpoint
// in the transaction that stores the event (so a stored event is never without its deliveries, nor
// a delivery without its event), and removes finished deliveries older than the history setting.
// The endpoints are the configured ones and those made at run time (WebhookEndpointStore), read
// again in the first transaction after any process changed them.
class OutboxParticipant final : public LogParticipant
{
public:
    OutboxParticipant(const QList<WebhookEndpoint> &configured, qint64 historyMs);

    bool eventsAppended(LogDatabase &database, const QList<Event> &events, qint64 firstSequence,
                        const QList<QByteArray> &json, QString *errorString) override;
    bool prune(LogDatabase &database, int chunk, int *deleted, QString *errorString) override;
    void pruned(int deleted) override;

private:
    bool refreshRuntimeEndpoints(LogDatabase &database, QString *errorString);

    QList<WebhookEndpoint> m_configured;
    QList<WebhookEndpoint> m_endpoints; // configured and runtime
    qint64 m_revision = -1;             // of the runtime endpoints in m_endpoints
    qint64 m_historyMs;
};

} // namespace Pyrite::Internal
