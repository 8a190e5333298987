#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace Pyrite {
class EventBusService;
class MetricsService;
} // namespace Pyrite

namespace Pyrite::Host {

class HookRegistry;

// The JSON-lines bridge on a local socket: Pyrite (through host/pyrite_eventbus_bridge.py) or any
// script sends hook calls and notifications; the host runs them and answers each line.
class BridgeServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(BridgeServer)

public:
    explicit BridgeServer(const HookRegistry *registry, QObject *parent = nullptr);
    ~BridgeServer() override;

    void setEventBusServices(const QList<EventBusService *> &services) { m_services = services; }
    void setMetricsServices(const QList<MetricsService *> &services) { m_metrics = services; }
    void setMaxLineBytes(qint64 bytes) { m_maxLineBytes = bytes; }
    void setMaxConnections(int connections) { m_maxConnections = connections; }

    // Listens on the socket path. A stale socket file left by a crashed host is replaced; a live
    // one (another host running) is an error.
    bool listen(const QString &socketPath);
    void close();
    QString errorString() const { return m_errorString; }
    QString socketPath() const;
    int connectionCount() const { return m_connectionCount; }

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();

private:
    void acceptConnections();

    const HookRegistry *m_registry;
    QList<EventBusService *> m_services;
    QList<MetricsService *> m_metrics;
    QLocalServer *m_server;
    QString m_errorString;
    qint64 m_maxLineBytes = 1024 * 1024;
    int m_maxConnections = 64;
    int m_connectionCount = 0;
};

} // namespace Pyrite::Host
