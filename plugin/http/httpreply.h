#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QPointer>
#include <QString>

#include <memory>

class QHttpServerResponder;
class QTcpSocket;

namespace Pyrite::Internal {

// The answer to one HTTP request, given now or later (after a log read or a test delivery). A
// copy refers to the same answer; only the first send counts, and nothing is written when the
// client has gone in the meantime.
class HttpReply
{
public:
    HttpReply(QHttpServerResponder &&responder, QTcpSocket *socket);

    void send(int status, const QByteArray &body, const QByteArray &contentType,
              const QList<std::pair<QByteArray, QByteArray>> &headers = {}) const;
    void sendJson(const QJsonDocument &document, int status = 200) const;
    // {"error": code, "message": message}; code is derived from the status (bad_request, ...).
    void sendError(int status, const QString &message) const;

    bool isSent() const { return m_state->sent; }

private:
    struct State
    {
        std::unique_ptr<QHttpServerResponder> responder;
        QPointer<QTcpSocket> socket;
        bool sent = false;
    };
    std::shared_ptr<State> m_state;
};

} // namespace Pyrite::Internal
