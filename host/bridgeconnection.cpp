#include "bridgeconnection.h"

#include "hosttr.h"

#include "hookregistry.h"
#include "hostlogging.h"
#include "interface/pyriteplugin.h"

#include <QJsonArray>
#include <QLocalSocket>

namespace Pyrite::Host {

BridgeConnection::BridgeConnection(QLocalSocket *socket, const HookRegistry *registry,
                                   QList<EventBusService *> services,
                                   QList<MetricsService *> metrics, qint64 maxLineBytes,
                                   QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_registry(registry),
      m_services(std::move(services)),
      m_metrics(std::move(metrics)),
      m_maxLineBytes(maxLineBytes)
{
    m_socket->setParent(this);
    connect(m_socket, &QLocalSocket::readyRead, this, &BridgeConnection::readLines);
    connect(m_socket, &QLocalSocket::disconnected, this, &BridgeConnection::closed);
}

// Watches end by themselves: this connection is their context object.
BridgeConnection::~BridgeConnection() = default;

void BridgeConnection::reply(const QByteArray &line)
{
    if (m_socket->state() != QLocalSocket::ConnectedState)
        return;
    if (m_socket->bytesToWrite() > MaxPendingOutput) {
        qCWarning(lcHostBridge) << "bridge client does not read its replies ("
                                << m_socket->bytesToWrite()
                                << "bytes waiting); closing the connection";
        m_socket->abort();
        return;
    }
    m_socket->write(line);
}

void BridgeConnection::readLines()
{
    m_buffer.append(m_socket->readAll());
    qsizetype start = 0;
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', start);
        if (newline < 0)
            break;
        ++m_lineNumber;
        if (m_discarding) {
            m_discarding = false; // the tail of an over-long line: already answered
        } else {
            QByteArrayView line(m_buffer.constData() + start, newline - start);
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.size() > m_maxLineBytes) {
                reply(BridgeProtocol::errorReply(
                        QJsonValue::Null, QStringLiteral("line_too_long"),
                        HostTr::tr("line %1: longer than %2 bytes; ignored")
                                .arg(m_lineNumber)
                                .arg(m_maxLineBytes)));
            } else if (!line.trimmed().isEmpty()) {
                handleLine(line);
            }
        }
        start = newline + 1;
    }
    m_buffer.remove(0, start);
    if (!m_discarding && m_buffer.size() > m_maxLineBytes) {
        // No newline within the cap: answer now and drop the rest of this line as it arrives.
        reply(BridgeProtocol::errorReply(QJsonValue::Null, QStringLiteral("line_too_long"),
                                         HostTr::tr("line %1: longer than %2 bytes; ignored")
                                                 .arg(m_lineNumber + 1)
                                                 .arg(m_maxLineBytes)));
        m_discarding = true;
    }
    if (m_discarding)
        m_buffer.clear();
}

void BridgeConnection::handleLine(QByteArrayView line)
{
    QJsonValue id;
    BridgeError error;
    const std::optional<BridgeRequest> request = BridgeProtocol::parse(line, &id, &error);
    if (!request) {
        qCInfo(lcHostBridge).noquote()
                << "bridge line" << m_lineNumber << "refused:" << error.message;
        reply(BridgeProtocol::errorReply(
                id, error.code, HostTr::tr("line %1: %2").arg(m_lineNumber).arg(error.message)));
        return;
    }
    reply(serve(*request));
}

QByteArray BridgeConnection::serve(const BridgeRequest &request)
{
    switch (request.kind) {
    case BridgeRequest::Kind::Hook:
        return BridgeProtocol::hookReply(
                request.id, request.hook,
                m_registry->run(request.hook, request.entry, request.context));
    case BridgeRequest::Kind::Notify: {
        const QStringList errors =
                m_registry->notify(request.notification, request.payload, request.context);
        if (!errors.isEmpty()) {
            return BridgeProtocol::errorReply(request.id, QStringLiteral("bad_payload"),
                                              HostTr::tr("line %1: %2")
                                                      .arg(m_lineNumber)
                                                      .arg(errors.join(QStringLiteral("; "))));
        }
        return BridgeProtocol::okReply(request.id);
    }
    case BridgeRequest::Kind::Ping:
        return BridgeProtocol::okReply(request.id, {{QLatin1String("pong"), true}});
    case BridgeRequest::Kind::Metrics: {
        // One object of name -> value over every plugin that keeps metrics.
        QJsonObject values;
        for (const MetricsService *service : std::as_const(m_metrics)) {
            for (const MetricsService::Metric &metric : service->metrics())
                values.insert(metric.name, metric.value);
        }
        return BridgeProtocol::okReply(request.id, {{QLatin1String("metrics"), values}});
    }
    case BridgeRequest::Kind::Watch: {
        if (m_services.isEmpty()) {
            return BridgeProtocol::errorReply(
                    request.id, QStringLiteral("unavailable"),
                    HostTr::tr("line %1: no loaded plugin offers an event bus to watch")
                            .arg(m_lineNumber));
        }
        EventBusService *service = m_services.constFirst();
        QString error;
        const QJsonValue watchId = request.id;
        const quint64 subscription = service->subscribeEvents(
                request.types, request.kb, request.entryType, this,
                [this, watchId](const QJsonObject &event) {
                    reply(BridgeProtocol::eventLine(watchId, event));
                },
                &error);
        if (subscription == 0) {
            return BridgeProtocol::errorReply(
                    request.id, QStringLiteral("bad_request"),
                    HostTr::tr("line %1: %2").arg(m_lineNumber).arg(error));
        }
        return BridgeProtocol::okReply(request.id, {{QLatin1String("watching"), true}});
    }
    }
    return QByteArray();
}

} // namespace Pyrite::Host
