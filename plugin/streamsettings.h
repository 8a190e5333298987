#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace Pyrite::Internal {

// The "stream:" section of the plugin's settings (docs/config.md, docs/protocol.md).
struct StreamSettings
{
    bool enabled = true;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8765;
    QStringList tokens;         // empty: no authentication
    QStringList allowedOrigins; // empty: any origin
    int maxConnections = 10000;
    int maxConnectionsPerAddress = 2000;
    int maxHttpConnections = 512; // HTTP connections on the same port (HttpListener)
    int maxSubscriptionsPerConnection = 64;
    qint64 maxMessageBytes = 64 * 1024;
    qint64 maxPendingBytes = 1024 * 1024; // unsent bytes per client before it is closed as slow
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 8000;
    int maxBadMessages = 20; // bad messages per connection before it is closed
    // Live events held per replaying subscription; past this the replay reads them from the log.
    // Not a config key: it only trades memory for another log read.
    int maxReplayBacklog = 2000;
};

// Close codes the server uses (docs/protocol.md).
namespace CloseCode {
constexpr int Unauthorized = 4001;
constexpr int TooManyBadMessages = 4002;
constexpr int UnknownPath = 4004;
constexpr int SlowConsumer = 4008;
constexpr int PingTimeout = 4009;
constexpr int TooManyConnections = 4013;
} // namespace CloseCode

} // namespace Pyrite::Internal
