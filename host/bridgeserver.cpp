#include "bridgeserver.h"

#include "hosttr.h"

#include "bridgeconnection.h"
#include "hostlogging.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>

namespace Pyrite::Host {

BridgeServer::BridgeServer(const HookRegistry *registry, QObject *parent)
    : QObject(parent),
      m_registry(registry),
      m_server(new QLocalServer(this))
{
    connect(m_server, &QLocalServer::newConnection, this, &BridgeServer::acceptConnections);
}

BridgeServer::~BridgeServer()
{
    close();
}

QString BridgeServer::socketPath() const
{
    return m_server->fullServerName();
}

bool BridgeServer::listen(const QString &socketPath)
{
    m_errorString.clear();
    const QFileInfo info(socketPath);
    if (!QDir().mkpath(info.absolutePath())) {
        m_errorString = HostTr::tr("cannot create the folder %1 for the bridge socket")
                                .arg(info.absolutePath());
        return false;
    }
    if (info.exists()) {
        QLocalSocket probe;
        probe.connectToServer(socketPath);
        // A local connect succeeds or fails inside connectToServer(); nothing to wait for.
        if (probe.state() == QLocalSocket::ConnectedState) {
            m_errorString = HostTr::tr("another process is already serving the bridge at %1")
                                    .arg(socketPath);
            return false;
        }
        QLocalServer::removeServer(socketPath);
    }
    // Only the user running the host may talk to it: hooks can veto and rewrite entries.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(socketPath)) {
        m_errorString =
                HostTr::tr("cannot listen on %1: %2").arg(socketPath, m_server->errorString());
        return false;
    }
    return true;
}

void BridgeServer::close()
{
    if (m_server->isListening()) {
        const QString path = m_server->fullServerName();
        m_server->close();
        QLocalServer::removeServer(path);
    }
}

void BridgeServer::acceptConnections()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        if (m_connectionCount >= m_maxConnections) {
            qCWarning(lcHostBridge) << "bridge refused a client: already" << m_connectionCount
                                    << "connections (max_connections)";
            socket->write(BridgeProtocol::errorReply(
                    QJsonValue::Null, QStringLiteral("too_many_connections"),
                    HostTr::tr("the bridge already has %1 connections").arg(m_connectionCount)));
            socket->disconnectFromServer();
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        ++m_connectionCount;
        auto *connection = new BridgeConnection(socket, m_registry, m_services, m_metrics,
                                                m_maxLineBytes, this);
        connect(connection, &BridgeConnection::closed, this, [this, connection] {
            --m_connectionCount;
            connection->deleteLater();
            Q_EMIT clientDisconnected();
        });
        Q_EMIT clientConnected();
    }
}

} // namespace Pyrite::Host
