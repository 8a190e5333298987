#include "httpreply.h"

#include <QHttpServerResponder>
#include <QJsonObject>
#include <QTcpSocket>

namespace Pyrite::Internal {

namespace {
QString errorCode(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("bad_request");
    case 401:
        return QStringLiteral("unauthorized");
    case 403:
        return QStringLiteral("forbidden");
    case 404:
        return QStringLiteral("not_found");
    case 405:
        return QStringLiteral("method_not_allowed");
    case 409:
        return QStringLiteral("conflict");
    case 415:
        return QStringLiteral("unsupported_media_type");
    case 503:
        return QStringLiteral("unavailable");
    default:
        return status >= 500 ? QStringLiteral("internal_error") : QStringLiteral("error");
    }
}
} // namespace

HttpReply::HttpReply(QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_state(std::make_shared<State>())
{
    m_state->responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    m_state->socket = socket;
}

void HttpReply::send(int status, const QByteArray &body, const QByteArray &contentType,
                     const QList<std::pair<QByteArray, QByteArray>> &headers) const
{
    if (m_state->sent)
        return;
    m_state->sent = true;
    if (!m_state->socket || !m_state->socket->isOpen())
        return; // the client went away while the answer was being made
    QHttpServerResponder &responder = *m_state->responder;
    responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(body.size()));
    responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    responder.writeHeader(QByteArrayLiteral("X-Content-Type-Options"),
                          QByteArrayLiteral("nosniff"));
    for (const auto &header : headers)
        responder.writeHeader(header.first, header.second);
    responder.writeBody(body);
}

void HttpReply::sendJson(const QJsonDocument &document, int status) const
{
    send(status, document.toJson(QJsonDocument::Compact), QByteArrayLiteral("application/json"));
}

void HttpReply::sendError(int status, const QString &message) const
{
    sendJson(QJsonDocument(QJsonObject{{QStringLiteral("error"), errorCode(status)},
                                       {QStringLiteral("message"), message}}),
             status);
}

} // namespace Pyrite::Internal
