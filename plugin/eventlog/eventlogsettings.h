#pragma once

#include <QString>
#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

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

    // "pyrite.yaml:12: plugins[0].settings.event_log": where errors about the log point.
    QString location;

    // Reads the section; a relative SQLite path is taken from dataDir (default ~/.pyrite).
    // Errors and warnings go to the reader.
    void read(ConfigReader &log, const QString &dataDir);

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

private:
    void readRetention(ConfigReader &retention);
    void readPostgres(ConfigReader &postgres, const QString &driverName);
};

} // namespace Pyrite::Internal
