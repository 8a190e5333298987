#include "eventlogsettings.h"

#include "eventlogtr.h"

#include "configreader.h"

#include <QDir>
#include <QRegularExpression>

#include <limits>

namespace Pyrite::Internal {

void EventLogSettings::read(ConfigReader &log, const QString &dataDir)
{
    log.checkKnownKeys({QStringLiteral("driver"), QStringLiteral("path"),
                        QStringLiteral("durability"), QStringLiteral("sync_timeout_ms"),
                        QStringLiteral("batch_max_events"), QStringLiteral("batch_max_delay_ms"),
                        QStringLiteral("queue_limit"), QStringLiteral("retention"),
                        QStringLiteral("postgresql")});
    const QString driverName = log.choice(
            QStringLiteral("driver"),
            {QStringLiteral("sqlite"), QStringLiteral("postgresql"), QStringLiteral("none")},
            QStringLiteral("sqlite"));
    driver = driverName == u"postgresql" ? Driver::Postgresql
            : driverName == u"none"      ? Driver::None
                                         : Driver::Sqlite;
    const QString home =
            dataDir.isEmpty() ? QDir::home().filePath(QStringLiteral(".pyrite")) : dataDir;
    QString file = log.string(QStringLiteral("path"), QStringLiteral("eventbus/events.sqlite"));
    if (file.startsWith(QStringLiteral("~/")))
        file = QDir::home().filePath(file.mid(2));
    path = QDir::cleanPath(QDir(home).absoluteFilePath(file));
    durability = log.choice(QStringLiteral("durability"),
                            {QStringLiteral("async"), QStringLiteral("sync")},
                            QStringLiteral("async")) == u"sync"
            ? Durability::Sync
            : Durability::Async;
    syncTimeoutMs = int(log.integer(QStringLiteral("sync_timeout_ms"), 5000, 10, 600000));
    batchMaxEvents = int(log.integer(QStringLiteral("batch_max_events"), 500, 1, 100000));
    batchMaxDelayMs = int(log.integer(QStringLiteral("batch_max_delay_ms"), 1, 0, 10000));
    queueLimit = int(log.integer(QStringLiteral("queue_limit"), 100000, 1, 100000000));
    ConfigReader retention = log.section(QStringLiteral("retention"));
    readRetention(retention);
    ConfigReader postgres = log.section(QStringLiteral("postgresql"));
    readPostgres(postgres, driverName);
}

void EventLogSettings::readRetention(ConfigReader &retention)
{
    retention.checkKnownKeys(
            {QStringLiteral("max_age"), QStringLiteral("max_events"), QStringLiteral("interval")});
    const auto duration = [&retention](const QString &key, qint64 defaultSeconds) {
        const QString text = retention.string(key);
        if (text.isEmpty())
            return defaultSeconds;
        const qint64 seconds = ConfigReader::parseDurationSeconds(text);
        if (seconds < 0)
            retention.addError(
                    key,
                    EventLogTr::tr(
                            "\"%1\" is not a duration (a number with s, m, h or d, e.g. 30d)")
                            .arg(text));
        return std::max<qint64>(0, seconds);
    };
    retentionMaxAgeSeconds = duration(QStringLiteral("max_age"), 0);
    retentionMaxEvents = retention.integer(QStringLiteral("max_events"), 0, 0,
                                           std::numeric_limits<qint64>::max());
    retentionIntervalSeconds = int(std::max<qint64>(1, duration(QStringLiteral("interval"), 60)));
}

void EventLogSettings::readPostgres(ConfigReader &postgres, const QString &driverName)
{
    postgres.checkKnownKeys({QStringLiteral("host"), QStringLiteral("port"),
                             QStringLiteral("database"), QStringLiteral("user"),
                             QStringLiteral("password"), QStringLiteral("options"),
                             QStringLiteral("channel")});
    if (driver != Driver::Postgresql) {
        if (!postgres.values().isEmpty())
            postgres.addWarning(QString(),
                                EventLogTr::tr("ignored: driver is \"%1\"").arg(driverName));
        return;
    }
    host = postgres.string(QStringLiteral("host"), QStringLiteral("localhost"));
    port = int(postgres.integer(QStringLiteral("port"), 5432, 1, 65535));
    database = postgres.string(QStringLiteral("database"), QStringLiteral("pyrite"));
    user = postgres.string(QStringLiteral("user"), QStringLiteral("pyrite"));
    connectOptions = postgres.string(QStringLiteral("options"));
    channel = postgres.string(QStringLiteral("channel"), QStringLiteral("pyrite_events"));
    static const QRegularExpression identifier(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    if (!identifier.match(channel).hasMatch())
        postgres.addError(
                QStringLiteral("channel"),
                EventLogTr::tr("\"%1\" is not a plain PostgreSQL channel name (a-z, 0-9, _)")
                        .arg(channel));
    const QString secret = postgres.string(QStringLiteral("password"));
    if (secret.startsWith(QStringLiteral("env:"))) {
        const QByteArray variable = secret.mid(4).toLocal8Bit();
        if (!qEnvironmentVariableIsSet(variable.constData()))
            postgres.addError(QStringLiteral("password"),
                              EventLogTr::tr("environment variable %1 is not set")
                                      .arg(QString::fromLocal8Bit(variable)));
        password = qEnvironmentVariable(variable.constData());
    } else if (!secret.isEmpty()) {
        // Accepted, but a config file is a poor place for a secret (the value is never logged).
        postgres.addWarning(QStringLiteral("password"),
                            EventLogTr::tr("a literal password; prefer \"env:NAME\""));
        password = secret;
    }
}

} // namespace Pyrite::Internal
