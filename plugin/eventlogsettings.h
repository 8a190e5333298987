#pragma once

#include "webhookendpoint.h"

#include <QList>
#include <QString>

namespace Pyrite::Internal {

// The "event_log:" section of the plugin's settings (docs/config.md).
struct EventLogSettings
{
    enum class Driver { None, Sqlite, Postgresql };
    enum class Durability { Async, Sync };

    Driver driver = Driver::Sqlite;
    QString path; // SQLite file
    Durability durability = Durability::Async;
    int syncTimeoutMs = 5000;
    int batchMaxEvents = 500;
    int batchMaxDelayMs = 1;
    int queueLimit = 100000;

    qint64 retentionMaxAgeSeconds = 0; // 0: keep
    qint64 retentionMaxEvents = 0;     // 0: no limit
    int retentionIntervalSeconds = 60;

    // PostgreSQL
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QString password; // resolved from env:NAME; never logged
    QString connectOptions;
    QString channel = QStringLiteral("pyrite_events");

    // Webhook endpoints whose deliveries the log queues in the transaction of their events
    // (the outbox); empty: none.
    QList<WebhookEndpoint> webhooks;
    qint64 webhookHistorySeconds = 30 * 86400; // finished deliveries are kept this long

    // "sqlite:/path" or "postgresql://user@host:port/db" — for messages, without the password.
    QString describe() const
    {
        if (driver == Driver::Sqlite)
            return QStringLiteral("sqlite:") + path;
        if (driver == Driver::Postgresql)
            return QStringLiteral("postgresql://%1@%2:%3/%4")
                    .arg(user, host)
                    .arg(port)
                    .arg(database);
        return QStringLiteral("none");
    }
};

} // namespace Pyrite::Internal
