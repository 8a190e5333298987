#include "streamsettings.h"

#include "streamstr.h"

#include "configreader.h"

namespace Pyrite::Internal {

QStringList StreamSettings::keys()
{
    return {QStringLiteral("enabled"),
            QStringLiteral("max_connections"),
            QStringLiteral("max_connections_per_address"),
            QStringLiteral("max_subscriptions_per_connection"),
            QStringLiteral("max_message_bytes"),
            QStringLiteral("max_pending_bytes"),
            QStringLiteral("ping_interval"),
            QStringLiteral("ping_timeout"),
            QStringLiteral("max_bad_messages")};
}

void StreamSettings::read(ConfigReader &stream)
{
    enabled = stream.boolean(QStringLiteral("enabled"), true);
    maxConnections =
            int(stream.integer(QStringLiteral("max_connections"), maxConnections, 1, 1000000));
    maxConnectionsPerAddress = int(stream.integer(QStringLiteral("max_connections_per_address"),
                                                  maxConnectionsPerAddress, 1, 1000000));
    maxSubscriptionsPerConnection =
            int(stream.integer(QStringLiteral("max_subscriptions_per_connection"),
                               maxSubscriptionsPerConnection, 1, 10000));
    maxMessageBytes = stream.integer(QStringLiteral("max_message_bytes"), maxMessageBytes, 128,
                                     16 * 1024 * 1024);
    maxPendingBytes = stream.integer(QStringLiteral("max_pending_bytes"), maxPendingBytes, 4096,
                                     qint64(1) << 32);
    maxBadMessages =
            int(stream.integer(QStringLiteral("max_bad_messages"), maxBadMessages, 0, 1000000));
    const auto duration = [&stream](const QString &key, int defaultMs) {
        const QString text = stream.string(key);
        if (text.isEmpty())
            return defaultMs;
        const qint64 seconds = ConfigReader::parseDurationSeconds(text);
        if (seconds <= 0 || seconds > 3600) {
            stream.addError(key,
                            StreamsTr::tr("\"%1\" is not a duration between 1s and 1h").arg(text));
            return defaultMs;
        }
        return int(seconds * 1000);
    };
    pingIntervalMs = duration(QStringLiteral("ping_interval"), pingIntervalMs);
    pingTimeoutMs = duration(QStringLiteral("ping_timeout"), pingTimeoutMs);
}

} // namespace Pyrite::Internal
