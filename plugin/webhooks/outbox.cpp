#include "outbox.h"

#include "webhookstr.h"

#include "eventlog/sqlselect.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace Pyrite::Internal {

namespace {
constexpr int RowsPerInsert = 100;

QString stateName(Outbox::Outcome outcome)
{
    switch (outcome) {
    case Outbox::Outcome::Delivered:
        return QStringLiteral("delivered");
    case Outbox::Outcome::Dead:
        return QStringLiteral("dead");
    case Outbox::Outcome::Retry:
        break;
    }
    return QStringLiteral("pending");
}
} // namespace

Outbox::Outbox(QSqlDatabase database, bool postgres)
    : m_db(std::move(database)),
      m_postgres(postgres)
{ }

QString Outbox::failure(const QString &what, const QSqlQuery &query) const
{
    return failure(what, SqlSelect::cause(query.lastError()));
}

QString Outbox::failure(const QString &what, const QString &cause) const
{
    return WebhooksTr::tr("webhook outbox: %1: %2").arg(what, cause);
}

bool Outbox::enqueue(const QList<Event> &events, qint64 firstSequence,
                     const QList<QByteArray> &json, const QList<WebhookEndpoint> &endpoints,
                     qint64 nowMs, QString *errorString)
{
    QList<DeliveryRow> rows;
    QList<qsizetype> withDeliveries; // events that need their payload stored
    for (qsizetype i = 0; i < events.size(); ++i) {
        const qsizetype before = rows.size();
        for (const WebhookEndpoint &endpoint : endpoints) {
            if (endpoint.enabled && endpoint.matches(events.at(i)))
                rows.append({i, &endpoint.id});
        }
        if (rows.size() > before)
            withDeliveries.append(i);
    }
    return insertPayloads(withDeliveries, firstSequence, json, errorString) &&
            insertDeliveries(rows, events, firstSequence, nowMs, errorString);
}

bool Outbox::insertPayloads(const QList<qsizetype> &withDeliveries, qint64 firstSequence,
                            const QList<QByteArray> &json, QString *errorString)
{
    // One payload per event, shared by its deliveries (schema version 3).
    QSqlQuery payloads(m_db);
    int preparedPayloads = 0;
    for (qsizetype start = 0; start < withDeliveries.size(); start += RowsPerInsert) {
        const int count = int(std::min<qsizetype>(RowsPerInsert, withDeliveries.size() - start));
        if (count != preparedPayloads) {
            QStringList values;
            for (int i = 0; i < count; ++i)
                values.append(QStringLiteral("(?, ?)"));
            if (!payloads.prepare(
                        QStringLiteral("INSERT INTO webhook_payloads (seq, payload) VALUES %1")
                                .arg(values.join(QStringLiteral(", "))))) {
                if (errorString)
                    *errorString = failure(WebhooksTr::tr("cannot prepare the insert"), payloads);
                return false;
            }
            preparedPayloads = count;
        }
        int bind = 0;
        for (int i = 0; i < count; ++i) {
            const qsizetype event = withDeliveries.at(start + i);
            payloads.bindValue(bind++, firstSequence + event);
            payloads.bindValue(bind++, QString::fromUtf8(json.at(event)));
        }
        if (!payloads.exec()) {
            if (errorString)
                *errorString =
                        failure(WebhooksTr::tr("cannot queue %1 deliveries").arg(count), payloads);
            return false;
        }
    }
    return true;
}

bool Outbox::insertDeliveries(const QList<DeliveryRow> &rows, const QList<Event> &events,
                              qint64 firstSequence, qint64 nowMs, QString *errorString)
{
    QSqlQuery insert(m_db);
    int prepared = 0;
    for (qsizetype start = 0; start < rows.size(); start += RowsPerInsert) {
        const int count = int(std::min<qsizetype>(RowsPerInsert, rows.size() - start));
        if (count != prepared) {
            QString sql = QStringLiteral("INSERT INTO webhook_deliveries (seq, event_id, endpoint, "
                                         "next_at_ms, created_ms, updated_ms, payload) VALUES ");
            for (int i = 0; i < count; ++i)
                sql += i == 0 ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?)")
                              : QStringLiteral(", (?, ?, ?, ?, ?, ?, ?)");
            if (!insert.prepare(sql)) {
                if (errorString)
                    *errorString = failure(WebhooksTr::tr("cannot prepare the insert"), insert);
                return false;
            }
            prepared = count;
        }
        int bind = 0;
        for (int i = 0; i < count; ++i) {
            const DeliveryRow &row = rows.at(start + i);
            const Event &event = events.at(row.event);
            insert.bindValue(bind++, firstSequence + row.event);
            insert.bindValue(bind++, event.id());
            insert.bindValue(bind++, *row.endpoint);
            insert.bindValue(bind++, nowMs);
            insert.bindValue(bind++, nowMs);
            insert.bindValue(bind++, nowMs);
            insert.bindValue(bind++, QStringLiteral("")); // in webhook_payloads
        }
        if (!insert.exec()) {
            if (errorString)
                *errorString =
                        failure(WebhooksTr::tr("cannot queue %1 deliveries").arg(count), insert);
            return false;
        }
    }
    return true;
}

bool Outbox::claim(const QString &endpoint, const QString &claimant, int limit, qint64 nowMs,
                   qint64 leaseMs, QList<Delivery> *deliveries, QString *errorString)
{
    // One statement, so two dispatchers (two instances on one PostgreSQL) never claim the same
    // delivery: SKIP LOCKED lets each take different rows.
    QSqlQuery query(m_db);
    query.prepare(
            QStringLiteral("UPDATE webhook_deliveries SET next_at_ms = ?, updated_ms = ?, "
                           "claimed_by = ? "
                           "WHERE id IN (SELECT id FROM webhook_deliveries WHERE endpoint = ? "
                           "AND state = 'pending' AND next_at_ms <= ? ORDER BY next_at_ms, "
                           "id LIMIT ?%1) RETURNING id, seq, event_id, attempts, payload")
                    .arg(m_postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString()));
    query.addBindValue(nowMs + leaseMs);
    query.addBindValue(nowMs);
    query.addBindValue(claimant);
    query.addBindValue(endpoint);
    query.addBindValue(nowMs);
    query.addBindValue(limit);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot claim deliveries"), query);
        return false;
    }
    while (query.next()) {
        Delivery delivery;
        delivery.id = query.value(0).toLongLong();
        delivery.sequence = query.value(1).toLongLong();
        delivery.eventId = query.value(2).toString();
        delivery.endpoint = endpoint;
        delivery.attempts = query.value(3).toInt();
        delivery.payload = query.value(4).toString().toUtf8();
        deliveries->append(delivery);
    }
    // RETURNING gives no order; the dispatcher sends oldest first.
    std::sort(deliveries->begin(), deliveries->end(),
              [](const Delivery &a, const Delivery &b) { return a.id < b.id; });
    // Payloads live once per event in webhook_payloads (deliveries queued by schema version 2
    // still carry their own).
    QStringList sequences;
    for (const Delivery &delivery : std::as_const(*deliveries)) {
        if (delivery.payload.isEmpty())
            sequences.append(QString::number(delivery.sequence));
    }
    if (sequences.isEmpty())
        return true;
    QSqlQuery payloads(m_db);
    if (!payloads.exec(QStringLiteral("SELECT seq, payload FROM webhook_payloads WHERE seq IN (%1)")
                               .arg(sequences.join(u',')))) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot claim deliveries"), payloads);
        return false;
    }
    QHash<qint64, QByteArray> bySequence;
    while (payloads.next())
        bySequence.insert(payloads.value(0).toLongLong(), payloads.value(1).toString().toUtf8());
    for (Delivery &delivery : *deliveries) {
        if (delivery.payload.isEmpty())
            delivery.payload = bySequence.value(delivery.sequence);
    }
    return true;
}

bool Outbox::releaseClaims(const QString &claimant, qint64 nowMs, int *count, QString *errorString)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE webhook_deliveries SET next_at_ms = ?, claimed_by = '' "
                                 "WHERE state = 'pending' AND claimed_by = ? AND next_at_ms > ?"));
    query.addBindValue(nowMs);
    query.addBindValue(claimant);
    query.addBindValue(nowMs);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot release claims"), query);
        return false;
    }
    *count = query.numRowsAffected();
    return true;
}

bool Outbox::record(const QList<Attempt> &attempts, QString *errorString)
{
    if (attempts.isEmpty())
        return true;
    if (!m_db.transaction()) {
        if (errorString)
            *errorString = WebhooksTr::tr("webhook outbox: cannot begin a transaction: %1")
                                   .arg(m_db.lastError().text());
        return false;
    }
    QSqlQuery update(m_db);
    update.prepare(QStringLiteral(
            "UPDATE webhook_deliveries SET state = ?, attempts = ?, "
            "next_at_ms = ?, updated_ms = ?, last_status = ?, last_error = COALESCE(?, ''), "
            "claimed_by = '' WHERE id = ?"));
    QSqlQuery history(m_db);
    // A redelivered delivery counts its attempts again from 1: replace, do not collide.
    history.prepare(
            m_postgres ? QStringLiteral("INSERT INTO webhook_attempts (delivery_id, attempt, "
                                        "time_ms, status, duration_ms, error, response) "
                                        "VALUES (?, ?, ?, ?, ?, COALESCE(?, ''), COALESCE(?, '')) "
                                        "ON CONFLICT "
                                        "(delivery_id, attempt) DO UPDATE SET time_ms = "
                                        "EXCLUDED.time_ms, status = EXCLUDED.status, "
                                        "duration_ms = EXCLUDED.duration_ms, error = "
                                        "EXCLUDED.error, response = EXCLUDED.response")
                       : QStringLiteral("INSERT OR REPLACE INTO webhook_attempts (delivery_id, "
                                        "attempt, time_ms, status, duration_ms, error, "
                                        "response) VALUES (?, ?, ?, ?, ?, COALESCE(?, ''), "
                                        "COALESCE(?, ''))"));
    for (const Attempt &attempt : attempts) {
        update.addBindValue(stateName(attempt.outcome));
        update.addBindValue(attempt.attempt);
        update.addBindValue(attempt.outcome == Outcome::Retry ? attempt.nextAtMs : attempt.timeMs);
        update.addBindValue(attempt.timeMs);
        update.addBindValue(attempt.status);
        update.addBindValue(attempt.error);
        update.addBindValue(attempt.deliveryId);
        history.addBindValue(attempt.deliveryId);
        history.addBindValue(attempt.attempt);
        history.addBindValue(attempt.timeMs);
        history.addBindValue(attempt.status);
        history.addBindValue(attempt.durationMs);
        history.addBindValue(attempt.error);
        history.addBindValue(attempt.response);
        if (!update.exec() || !history.exec()) {
            if (errorString)
                *errorString = failure(WebhooksTr::tr("cannot record attempts"),
                                       update.lastError().isValid() ? update : history);
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        if (errorString)
            *errorString = WebhooksTr::tr("webhook outbox: cannot commit: %1")
                                   .arg(m_db.lastError().text());
        m_db.rollback();
        return false;
    }
    return true;
}

bool Outbox::list(const Filter &filter, QList<Record> *records, QString *errorString)
{
    SqlSelect select(QStringLiteral("SELECT id, seq, event_id, endpoint, state, attempts, "
                                    "next_at_ms, created_ms, updated_ms, last_status, last_error "
                                    "FROM webhook_deliveries WHERE 1 = 1"));
    if (!filter.endpoint.isEmpty())
        select.where(QStringLiteral("endpoint = ?"), filter.endpoint);
    if (!filter.state.isEmpty())
        select.where(QStringLiteral("state = ?"), filter.state);
    select.append(QStringLiteral(" ORDER BY id DESC LIMIT ?"), filter.limit);
    QSqlQuery query(m_db);
    if (!select.exec(&query, errorString, [this](const QString &cause) {
            return failure(WebhooksTr::tr("cannot list deliveries"), cause);
        }))
        return false;
    while (query.next()) {
        Record record;
        record.id = query.value(0).toLongLong();
        record.sequence = query.value(1).toLongLong();
        record.eventId = query.value(2).toString();
        record.endpoint = query.value(3).toString();
        record.state = query.value(4).toString();
        record.attempts = query.value(5).toInt();
        record.nextAtMs = query.value(6).toLongLong();
        record.createdMs = query.value(7).toLongLong();
        record.updatedMs = query.value(8).toLongLong();
        record.lastStatus = query.value(9).toInt();
        record.lastError = query.value(10).toString();
        records->append(record);
    }
    return true;
}

bool Outbox::attemptsOf(qint64 deliveryId, QList<Attempt> *attempts, QString *errorString)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT attempt, time_ms, status, duration_ms, error, response "
                                 "FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt"));
    query.addBindValue(deliveryId);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot read attempts"), query);
        return false;
    }
    while (query.next()) {
        Attempt attempt;
        attempt.deliveryId = deliveryId;
        attempt.attempt = query.value(0).toInt();
        attempt.timeMs = query.value(1).toLongLong();
        attempt.status = query.value(2).toInt();
        attempt.durationMs = query.value(3).toInt();
        attempt.error = query.value(4).toString();
        attempt.response = query.value(5).toString();
        attempts->append(attempt);
    }
    return true;
}

bool Outbox::redeliver(qint64 deliveryId, qint64 nowMs, int *count, QString *errorString)
{
    QSqlQuery query(m_db);
    if (deliveryId > 0) {
        query.prepare(QStringLiteral("UPDATE webhook_deliveries SET state = 'pending', attempts = "
                                     "0, next_at_ms = ?, updated_ms = ? WHERE id = ?"));
        query.addBindValue(nowMs);
        query.addBindValue(nowMs);
        query.addBindValue(deliveryId);
    } else {
        query.prepare(QStringLiteral("UPDATE webhook_deliveries SET state = 'pending', attempts = "
                                     "0, next_at_ms = ?, updated_ms = ? WHERE state = 'dead'"));
        query.addBindValue(nowMs);
        query.addBindValue(nowMs);
    }
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot redeliver"), query);
        return false;
    }
    *count = query.numRowsAffected();
    return true;
}

bool Outbox::redeliverDeadOf(const QString &endpoint, qint64 nowMs, int *count,
                             QString *errorString)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE webhook_deliveries SET state = 'pending', attempts = 0, "
                                 "next_at_ms = ?, updated_ms = ? WHERE state = 'dead' AND "
                                 "endpoint = ?"));
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(endpoint);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot redeliver"), query);
        return false;
    }
    *count = query.numRowsAffected();
    return true;
}

bool Outbox::nextDue(const QString &endpoint, qint64 *nextAtMs, QString *errorString)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT MIN(next_at_ms) FROM webhook_deliveries WHERE endpoint = "
                                 "? AND state = 'pending'"));
    query.addBindValue(endpoint);
    if (!query.exec() || !query.next()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot read the next due delivery"), query);
        return false;
    }
    *nextAtMs = query.value(0).isNull() ? -1 : query.value(0).toLongLong();
    return true;
}

bool Outbox::countByState(QHash<QString, qint64> *counts, QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(
                QStringLiteral("SELECT state, COUNT(*) FROM webhook_deliveries GROUP BY state"))) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot count deliveries"), query);
        return false;
    }
    while (query.next())
        counts->insert(query.value(0).toString(), query.value(1).toLongLong());
    return true;
}

bool Outbox::countByEndpoint(QHash<QString, EndpointCounts> *counts, QString *errorString)
{
    // Through the (state, updated_ms) index: only pending and dead rows are read, not the
    // history of delivered ones.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
                "SELECT endpoint, state, COUNT(*), MIN(next_at_ms) FROM webhook_deliveries WHERE "
                "state IN ('pending', 'dead') GROUP BY endpoint, state"))) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot count deliveries"), query);
        return false;
    }
    while (query.next()) {
        EndpointCounts &endpoint = (*counts)[query.value(0).toString()];
        if (query.value(1).toString() == u"dead") {
            endpoint.dead = query.value(2).toLongLong();
        } else {
            endpoint.pending = query.value(2).toLongLong();
            endpoint.nextAtMs = query.value(3).toLongLong();
        }
    }
    return true;
}

bool Outbox::pruneFinished(qint64 beforeMs, int chunk, int *deleted, QString *errorString)
{
    *deleted = 0;
    QSqlQuery select(m_db);
    select.prepare(QStringLiteral("SELECT id, seq FROM webhook_deliveries WHERE state <> 'pending' "
                                  "AND updated_ms < ? ORDER BY id LIMIT ?"));
    select.addBindValue(beforeMs);
    select.addBindValue(chunk);
    if (!select.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot prune the history"), select);
        return false;
    }
    QStringList ids;
    QStringList sequences;
    while (select.next()) {
        ids.append(QString::number(select.value(0).toLongLong()));
        sequences.append(QString::number(select.value(1).toLongLong()));
    }
    if (ids.isEmpty())
        return true;
    const QString list = ids.join(u',');
    QSqlQuery remove(m_db);
    // A payload goes with the last delivery that needs it.
    if (!remove.exec(QStringLiteral("DELETE FROM webhook_attempts WHERE delivery_id IN (%1)")
                             .arg(list)) ||
        !remove.exec(QStringLiteral("DELETE FROM webhook_deliveries WHERE id IN (%1)").arg(list)) ||
        !remove.exec(QStringLiteral("DELETE FROM webhook_payloads WHERE seq IN (%1) AND NOT EXISTS "
                                    "(SELECT 1 FROM webhook_deliveries d WHERE d.seq = "
                                    "webhook_payloads.seq)")
                             .arg(sequences.join(u',')))) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot prune the history"), remove);
        return false;
    }
    *deleted = int(ids.size());
    return true;
}

} // namespace Pyrite::Internal
