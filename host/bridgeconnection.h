#pragma once

#include "bridgeprotocol.h"

#include <QObject>
#include <QPointer>

class QLocalSocket;

namespace Pyrite {
class EventBusService;
class MetricsService;
} // namespace Pyrite

namespace Pyrite::Host {

class HookRegistry;

// One client of the bridge: splits its input into lines (each at most maxLineBytes), answers
// every line with one reply line, and streams events to it after a "watch". A bad line gets an
// error reply naming the line; the connection stays usable.
class BridgeConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(BridgeConnection)

public:
    BridgeConnection(QLocalSocket *socket, const HookRegistry *registry,
                     QList<EventBusService *> services, QList<MetricsService *> metrics,
                     qint64 maxLineBytes, QObject *parent = nullptr);
    ~BridgeConnection() override;

    // A peer that stops reading is dropped once this much output is waiting.
    static constexpr qint64 MaxPendingOutput = 16 * 1024 * 1024;

Q_SIGNALS:
    void closed();

private:
    void readLines();
    void handleLine(QByteArrayView line);
    void reply(const QByteArray &line);
    QByteArray serve(const BridgeRequest &request);

    QLocalSocket *m_socket;
    const HookRegistry *m_registry;
    QList<EventBusService *> m_services;
    QList<MetricsService *> m_metrics;
    qint64 m_maxLineBytes;
    QByteArray m_buffer;
    bool m_discarding = false; // inside a line that was too long, until its newline
    quint64 m_lineNumber = 0;
};

} // namespace Pyrite::Host
