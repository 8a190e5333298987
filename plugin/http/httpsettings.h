#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// The plugin's listen address and who may use it: keys of the "stream:" section (docs/config.md),
// where they have always been, though the address serves HTTP (the graph page, the API, /metrics)
// whether or not streams are enabled.
struct HttpSettings
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8765;
    QStringList tokens;                     // empty: no authentication
    QStringList allowedOrigins;             // browser pages besides the plugin's own
    QStringList allowedHosts;               // Host names besides the listen address (a proxy's)
    int maxHttpConnections = 512;           // HTTP connections at once (HttpListener)
    int maxHttpConnectionsPerAddress = 128; // of them from one address
    QString entryUrl; // Pyrite's web UI address of an entry: "{kb}" and "{id}" are replaced

    static constexpr int MinTokenLength = 16;

    // The keys read() takes.
    static QStringList keys();
    // Reads them from the "stream:" section; errors go to the reader.
    void read(ConfigReader &stream);

private:
    void readTokens(ConfigReader &stream);
    void readEntryUrl(ConfigReader &stream);
};

} // namespace Pyrite::Internal
