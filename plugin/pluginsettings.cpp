#include "pluginsettings.h"

#include "configreader.h"
#include "yamldocument.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSysInfo>

#include <limits>

namespace Pyrite::Internal {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(PluginSettings)
};
} // namespace

QStringList PluginSettings::redactableFields()
{
    return {QStringLiteral("title"), QStringLiteral("tags"), QStringLiteral("links"),
            QStringLiteral("actor"), QStringLiteral("changes")};
}

bool PluginSettings::load(const QVariantMap &settings, const HostContext &context,
                          QString *errorString)
{
    m_warnings.clear();
    m_redactedFields.clear();
    m_webhooks = WebhookSettings();

    ConfigReader reader(settings, context.configFile, context.configLines, context.settingsPath);
    reader.checkKnownKeys({QStringLiteral("instance"), QStringLiteral("locale"),
                           QStringLiteral("event_log"), QStringLiteral("stream"),
                           QStringLiteral("webhooks")});
    m_instanceName = reader.string(QStringLiteral("instance"), QSysInfo::machineHostName());
    if (m_instanceName.contains(u'/') || m_instanceName.contains(u' '))
        reader.addError(QStringLiteral("instance"),
                        Tr::tr("\"%1\" cannot be part of a URI authority (no '/' or spaces)")
                                .arg(m_instanceName));
    m_locale = reader.string(QStringLiteral("locale"));
    loadEventLog(reader, context);
    loadStream(reader);
    m_webhooks.read(reader);
    m_webhooksLocation = reader.location(QStringLiteral("webhooks"));

    QStringList errors = reader.errors();
    m_warnings = reader.warnings();
    for (const KnowledgeBase &kb : context.knowledgeBases)
        loadKbFile(kb, &errors);

    // The outbox lives in the event log's database.
    if (errors.isEmpty() && !m_webhooks.isEmpty() &&
        m_eventLog.driver == EventLogSettings::Driver::None) {
        errors.append(Tr::tr("%1: webhooks need the event log for their outbox, but "
                             "event_log.driver is \"none\"")
                              .arg(m_webhooksLocation));
    }
    m_eventLog.webhooks = m_webhooks.endpoints;
    m_eventLog.webhookHistorySeconds = m_webhooks.historyMs / 1000;
    if (!errors.isEmpty()) {
        if (errorString)
            *errorString = errors.join(u'\n');
        return false;
    }
    return true;
}

qint64 PluginSettings::parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([smhd]?)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == u"m" ? 60 : unit == u"h" ? 3600 : unit == u"d" ? 86400 : 1;
    return number * factor;
}

void PluginSettings::loadEventLog(ConfigReader &reader, const HostContext &context)
{
    ConfigReader log = reader.section(QStringLiteral("event_log"));
    m_eventLogLocation = reader.location(QStringLiteral("event_log"));
    log.checkKnownKeys({QStringLiteral("driver"), QStringLiteral("path"),
                        QStringLiteral("durability"), QStringLiteral("sync_timeout_ms"),
                        QStringLiteral("batch_max_events"), QStringLiteral("batch_max_delay_ms"),
                        QStringLiteral("queue_limit"), QStringLiteral("retention"),
                        QStringLiteral("postgresql")});
    EventLogSettings settings;
    const QString driver = log.choice(
            QStringLiteral("driver"),
            {QStringLiteral("sqlite"), QStringLiteral("postgresql"), QStringLiteral("none")},
            QStringLiteral("sqlite"));
    settings.driver = driver == u"postgresql" ? EventLogSettings::Driver::Postgresql
            : driver == u"none"               ? EventLogSettings::Driver::None
                                              : EventLogSettings::Driver::Sqlite;
    const QString dataDir = context.dataDir.isEmpty()
            ? QDir::home().filePath(QStringLiteral(".pyrite"))
            : context.dataDir;
    QString path = log.string(QStringLiteral("path"), QStringLiteral("eventbus/events.sqlite"));
    if (path.startsWith(QStringLiteral("~/")))
        path = QDir::home().filePath(path.mid(2));
    settings.path = QDir::cleanPath(QDir(dataDir).absoluteFilePath(path));
    settings.durability = log.choice(QStringLiteral("durability"),
                                     {QStringLiteral("async"), QStringLiteral("sync")},
                                     QStringLiteral("async")) == u"sync"
            ? EventLogSettings::Durability::Sync
            : EventLogSettings::Durability::Async;
    settings.syncTimeoutMs = int(log.integer(QStringLiteral("sync_timeout_ms"), 5000, 10, 600000));
    settings.batchMaxEvents = int(log.integer(QStringLiteral("batch_max_events"), 500, 1, 100000));
    settings.batchMaxDelayMs = int(log.integer(QStringLiteral("batch_max_delay_ms"), 1, 0, 10000));
    settings.queueLimit = int(log.integer(QStringLiteral("queue_limit"), 100000, 1, 100000000));

    ConfigReader retention = log.section(QStringLiteral("retention"));
    retention.checkKnownKeys(
            {QStringLiteral("max_age"), QStringLiteral("max_events"), QStringLiteral("interval")});
    const auto duration = [&retention](const QString &key, qint64 defaultSeconds) {
        const QString text = retention.string(key);
        if (text.isEmpty())
            return defaultSeconds;
        const qint64 seconds = parseDuration(text);
        if (seconds < 0)
            retention.addError(
                    key,
                    Tr::tr("\"%1\" is not a duration (a number with s, m, h or d, e.g. 30d)")
                            .arg(text));
        return std::max<qint64>(0, seconds);
    };
    settings.retentionMaxAgeSeconds = duration(QStringLiteral("max_age"), 0);
    settings.retentionMaxEvents = retention.integer(QStringLiteral("max_events"), 0, 0,
                                                    std::numeric_limits<qint64>::max());
    settings.retentionIntervalSeconds =
            int(std::max<qint64>(1, duration(QStringLiteral("interval"), 60)));

    ConfigReader postgres = log.section(QStringLiteral("postgresql"));
    postgres.checkKnownKeys({QStringLiteral("host"), QStringLiteral("port"),
                             QStringLiteral("database"), QStringLiteral("user"),
                             QStringLiteral("password"), QStringLiteral("options"),
                             QStringLiteral("channel")});
    if (settings.driver == EventLogSettings::Driver::Postgresql) {
        settings.host = postgres.string(QStringLiteral("host"), QStringLiteral("localhost"));
        settings.port = int(postgres.integer(QStringLiteral("port"), 5432, 1, 65535));
        settings.database = postgres.string(QStringLiteral("database"), QStringLiteral("pyrite"));
        settings.user = postgres.string(QStringLiteral("user"), QStringLiteral("pyrite"));
        settings.connectOptions = postgres.string(QStringLiteral("options"));
        settings.channel =
                postgres.string(QStringLiteral("channel"), QStringLiteral("pyrite_events"));
        static const QRegularExpression identifier(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
        if (!identifier.match(settings.channel).hasMatch())
            postgres.addError(QStringLiteral("channel"),
                              Tr::tr("\"%1\" is not a plain PostgreSQL channel name (a-z, 0-9, _)")
                                      .arg(settings.channel));
        const QString password = postgres.string(QStringLiteral("password"));
        if (password.startsWith(QStringLiteral("env:"))) {
            const QString variable = password.mid(4);
            if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
                postgres.addError(QStringLiteral("password"),
                                  Tr::tr("environment variable %1 is not set").arg(variable));
            settings.password = qEnvironmentVariable(variable.toLocal8Bit().constData());
        } else if (!password.isEmpty()) {
            // Accepted, but a config file is a poor place for a secret (the value is never logged).
            postgres.addWarning(QStringLiteral("password"),
                                Tr::tr("a literal password; prefer \"env:NAME\""));
            settings.password = password;
        }
    } else if (!postgres.values().isEmpty()) {
        postgres.addWarning(QString(), Tr::tr("ignored: driver is \"%1\"").arg(driver));
    }
    m_eventLog = settings;
}

void PluginSettings::loadStream(ConfigReader &reader)
{
    ConfigReader stream = reader.section(QStringLiteral("stream"));
    m_streamLocation = reader.location(QStringLiteral("stream"));
    stream.checkKnownKeys({QStringLiteral("enabled"), QStringLiteral("address"),
                           QStringLiteral("port"), QStringLiteral("tokens"),
                           QStringLiteral("allowed_origins"), QStringLiteral("max_connections"),
                           QStringLiteral("max_connections_per_address"),
                           QStringLiteral("max_http_connections"),
                           QStringLiteral("max_subscriptions_per_connection"),
                           QStringLiteral("max_message_bytes"), QStringLiteral("max_pending_bytes"),
                           QStringLiteral("ping_interval"), QStringLiteral("ping_timeout"),
                           QStringLiteral("max_bad_messages")});
    StreamSettings settings;
    settings.enabled = stream.boolean(QStringLiteral("enabled"), true);
    const QString address = stream.string(QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    if (!settings.address.setAddress(address))
        stream.addError(QStringLiteral("address"),
                        Tr::tr("\"%1\" is not an IP address").arg(address));
    settings.port = quint16(stream.integer(QStringLiteral("port"), 8765, 0, 65535));
    for (const QString &token : stream.stringList(QStringLiteral("tokens"))) {
        if (token.startsWith(QStringLiteral("env:"))) {
            const QByteArray variable = token.mid(4).toLocal8Bit();
            if (qEnvironmentVariableIsEmpty(variable.constData()))
                stream.addError(QStringLiteral("tokens"),
                                Tr::tr("environment variable %1 is not set")
                                        .arg(QString::fromLocal8Bit(variable)));
            else
                settings.tokens.append(qEnvironmentVariable(variable.constData()));
        } else if (token.size() < 16) {
            stream.addError(QStringLiteral("tokens"),
                            Tr::tr("a token must have at least 16 characters"));
        } else {
            settings.tokens.append(token);
        }
    }
    settings.allowedOrigins = stream.stringList(QStringLiteral("allowed_origins"));
    settings.maxConnections = int(
            stream.integer(QStringLiteral("max_connections"), settings.maxConnections, 1, 1000000));
    settings.maxConnectionsPerAddress =
            int(stream.integer(QStringLiteral("max_connections_per_address"),
                               settings.maxConnectionsPerAddress, 1, 1000000));
    settings.maxHttpConnections = int(stream.integer(QStringLiteral("max_http_connections"),
                                                     settings.maxHttpConnections, 1, 1000000));
    settings.maxSubscriptionsPerConnection =
            int(stream.integer(QStringLiteral("max_subscriptions_per_connection"),
                               settings.maxSubscriptionsPerConnection, 1, 10000));
    settings.maxMessageBytes = stream.integer(QStringLiteral("max_message_bytes"),
                                              settings.maxMessageBytes, 128, 16 * 1024 * 1024);
    settings.maxPendingBytes = stream.integer(QStringLiteral("max_pending_bytes"),
                                              settings.maxPendingBytes, 4096, qint64(1) << 32);
    settings.maxBadMessages = int(stream.integer(QStringLiteral("max_bad_messages"),
                                                 settings.maxBadMessages, 0, 1000000));
    const auto duration = [&stream](const QString &key, int defaultMs) {
        const QString text = stream.string(key);
        if (text.isEmpty())
            return defaultMs;
        const qint64 seconds = parseDuration(text);
        if (seconds <= 0 || seconds > 3600) {
            stream.addError(key, Tr::tr("\"%1\" is not a duration between 1s and 1h").arg(text));
            return defaultMs;
        }
        return int(seconds * 1000);
    };
    settings.pingIntervalMs = duration(QStringLiteral("ping_interval"), settings.pingIntervalMs);
    settings.pingTimeoutMs = duration(QStringLiteral("ping_timeout"), settings.pingTimeoutMs);
    m_stream = settings;
}

bool PluginSettings::loadKbFile(const KnowledgeBase &kb, QStringList *errors)
{
    const QString fileName = QDir(kb.path).filePath(QStringLiteral("kb.yaml"));
    if (!QFileInfo::exists(fileName))
        return true; // a KB without kb.yaml simply has no per-KB settings

    YamlDocument document;
    QString error;
    if (!document.load(fileName, &error)) {
        errors->append(error);
        return false;
    }
    ConfigReader file(document.root().toMap(), fileName, document.lines());
    ConfigReader section = file.section(QStringLiteral("eventbus"));
    section.checkKnownKeys({QStringLiteral("redact"), QStringLiteral("webhooks")});
    m_webhooks.readKbEndpoints(section, kb.name);
    const QStringList redact = section.stringList(QStringLiteral("redact"));
    const QStringList allowed = redactableFields();
    for (const QString &field : redact) {
        if (!allowed.contains(field)) {
            section.addError(QStringLiteral("redact"),
                             Tr::tr("\"%1\" cannot be redacted (fields that can: %2)")
                                     .arg(field, allowed.join(u", ")));
        }
    }
    if (!redact.isEmpty())
        m_redactedFields.insert(kb.name, redact);
    errors->append(file.errors());
    m_warnings.append(file.warnings());
    return !file.hasErrors();
}

} // namespace Pyrite::Internal
