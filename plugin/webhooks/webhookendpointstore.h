#pragma once

#include "webhookendpoint.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

class QSqlQuery;

namespace Pyrite::Internal {

// Webhook endpoints made at run time, in the event log's database
// (resources/sql/<driver>/005_webhook_endpoints.sql), used on the log thread with the log's
// connection like Outbox. Every process sharing the log reads them from here; each change moves
// a revision on, which is all a process has to read to know whether its copy is current.
class WebhookEndpointStore
{
public:
    struct Row
    {
        QString id;
        QJsonObject definition; // the keys of a configured endpoint, without secrets
        QString secret;         // "whsec_..."
        QString previousSecret; // after a rotation, until previousUntilMs
        qint64 previousUntilMs = 0;
        qint64 createdMs = 0;
        qint64 updatedMs = 0;
    };
    enum class Status { Ok, NotFound, Exists, Failed };

    explicit WebhookEndpointStore(QSqlDatabase database);

    bool revision(qint64 *revision, QString *errorString);
    bool list(QList<Row> *rows, QString *errorString);
    // The endpoints as the outbox and the dispatcher use them, when the revision is no longer
    // `known` (*changed; *revision is the current one). A stored row that does not pass the rules
    // is left out with a warning.
    bool endpointsIfChanged(qint64 known, qint64 *revision, bool *changed,
                            QList<WebhookEndpoint> *endpoints, QString *errorString);
    Status find(const QString &id, Row *row, QString *errorString);
    Status insert(const Row &row, QString *errorString);
    // Only while the row is as it was read (updated at expectedUpdatedMs): NotFound otherwise.
    Status update(const QString &id, const QJsonObject &definition, qint64 nowMs,
                  qint64 expectedUpdatedMs, QString *errorString);
    // The new secret signs from now on; the current one as well until previousUntilMs.
    Status rotate(const QString &id, const QString &secret, qint64 previousUntilMs, qint64 nowMs,
                  QString *errorString);
    // The endpoint with its deliveries and their attempts (nothing would ever send them).
    Status remove(const QString &id, int *deliveriesRemoved, QString *errorString);

    // A stored row as the dispatcher and the outbox use it; nullopt with *errorString when the
    // definition does not pass the rules (written by a newer plugin, say).
    static std::optional<WebhookEndpoint> endpoint(const Row &row, QString *errorString);
    // "whsec_" and the base64 of 32 random bytes.
    static QString generateSecret();

private:
    // Runs steps in one transaction that also moves the revision on.
    Status change(const std::function<Status(QString *errorString)> &steps, QString *errorString);
    QString failure(const QString &what, const QSqlQuery &query) const;

    QSqlDatabase m_db;
};

} // namespace Pyrite::Internal
