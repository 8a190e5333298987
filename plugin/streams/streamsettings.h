#pragma once

#include <QString>
#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// The stream keys of the "stream:" section of the plugin's settings (docs/config.md,
// docs/protocol.md). The section's listen address and access keys are the HTTP side's
// (HttpSettings): streams are served on that address.
struct StreamSettings
{
    bool enabled = true;
    int maxConnections = 10000;
    int maxConnectionsPerAddress = 2000;
    int maxSubscriptionsPerConnection = 64;
    qint64 maxMessageBytes = 64 * 1024;
    qint64 maxPendingBytes = 1024 * 1024; // unsent bytes per client before it is closed as slow
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 8000;
    int maxBadMessages = 20; // bad messages per connection before it is closed
    // Live events held per replaying subscription; past this the replay reads them from the log.
    // Not a config key: it only trades memory for another log read.
    int maxReplayBacklog = 2000;

    // The keys read() takes.
    static QStringList keys();
    // Reads them from the "stream:" section; errors go to the reader.
    void read(ConfigReader &stream);
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
