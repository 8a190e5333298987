#pragma once

#include "bus/event.h"
#include "webhookendpoint.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Pyrite::Internal {

// The webhook outbox in the event log's database (resources/sql/<driver>/002_webhooks.sql), used
// on the log thread with the log's connection. Deliveries are enqueued inside the transaction that
// stores their events; the dispatcher claims due ones with a lease (a claimed delivery is not
// handed out again until the lease runs out, so a crashed dispatcher's work comes back), and
// records each attempt's outcome.
class Outbox
{
public:
    struct Delivery
    {
        qint64 id = 0;
        qint64 sequence = 0;
        QString eventId;
        QString endpoint;
        int attempts = 0;   // made so far
        QByteArray payload; // the CloudEvents envelope with sequence and epoch
    };
    enum class Outcome { Delivered, Retry, Dead };
    struct Attempt
    {
        qint64 deliveryId = 0;
        int attempt = 0; // 1 for the first
        Outcome outcome = Outcome::Retry;
        qint64 timeMs = 0;
        qint64 nextAtMs = 0; // Retry
        int status = 0;      // HTTP status, 0 when there was no answer
        int durationMs = 0;
        QString error;
        QString response; // an excerpt of the body
    };
    struct Record // one row of the history
    {
        qint64 id = 0;
        qint64 sequence = 0;
        QString eventId;
        QString endpoint;
        QString state;
        int attempts = 0;
        qint64 nextAtMs = 0;
        qint64 createdMs = 0;
        qint64 updatedMs = 0;
        int lastStatus = 0;
        QString lastError;
    };
    struct Filter
    {
        QString endpoint; // empty: all
        QString state;    // empty: all
        int limit = 100;
    };

    Outbox(QSqlDatabase database, bool postgres);

    // Inside the caller's transaction: one pending delivery per event and matching endpoint.
    // The events have the sequences firstSequence, firstSequence + 1, ...; json is each one's
    // envelope with its position.
    bool enqueue(const QList<Event> &events, qint64 firstSequence, const QList<QByteArray> &json,
                 const QList<WebhookEndpoint> &endpoints, qint64 nowMs, QString *errorString);
    // Up to `limit` due deliveries of one endpoint, leased to `claimant` until nowMs + leaseMs.
    bool claim(const QString &endpoint, const QString &claimant, int limit, qint64 nowMs,
               qint64 leaseMs, QList<Delivery> *deliveries, QString *errorString);
    // A restarted dispatcher takes back what it had claimed before it stopped: due now.
    bool releaseClaims(const QString &claimant, qint64 nowMs, int *count, QString *errorString);
    bool record(const QList<Attempt> &attempts, QString *errorString);
    bool list(const Filter &filter, QList<Record> *records, QString *errorString);
    bool attemptsOf(qint64 deliveryId, QList<Attempt> *attempts, QString *errorString);
    // Pending again, due now, with a fresh set of attempts: one delivery, or every dead one
    // (deliveryId 0). *count says how many.
    bool redeliver(qint64 deliveryId, qint64 nowMs, int *count, QString *errorString);
    // Every dead delivery of one endpoint.
    bool redeliverDeadOf(const QString &endpoint, qint64 nowMs, int *count, QString *errorString);
    // The soonest next_at_ms of a pending delivery of the endpoint, or -1.
    bool nextDue(const QString &endpoint, qint64 *nextAtMs, QString *errorString);
    bool countByState(QHash<QString, qint64> *counts, QString *errorString);
    // Per endpoint: pending and dead deliveries, and when the soonest pending one is due.
    struct EndpointCounts
    {
        qint64 pending = 0;
        qint64 dead = 0;
        qint64 nextAtMs = -1;
    };
    bool countByEndpoint(QHash<QString, EndpointCounts> *counts, QString *errorString);
    // History of finished deliveries older than the cut-off, at most `chunk` rows per call.
    bool pruneFinished(qint64 beforeMs, int chunk, int *deleted, QString *errorString);

private:
    struct DeliveryRow
    {
        qsizetype event;
        const QString *endpoint;
    };

    // One payload per event, shared by its deliveries (schema version 3).
    bool insertPayloads(const QList<qsizetype> &withDeliveries, qint64 firstSequence,
                        const QList<QByteArray> &json, QString *errorString);
    bool insertDeliveries(const QList<DeliveryRow> &rows, const QList<Event> &events,
                          qint64 firstSequence, qint64 nowMs, QString *errorString);
    QString failure(const QString &what, const class QSqlQuery &query) const;
    QString failure(const QString &what, const QString &cause) const;

    QSqlDatabase m_db;
    bool m_postgres;
};

} // namespace Pyrite::Internal
