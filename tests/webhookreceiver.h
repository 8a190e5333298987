#pragma once

// A real HTTP receiver for webhook tests, on 127.0.0.1 with a free port: Qt HTTP Server answers
// each request from a script per path (status, headers, body), and a plain QTcpServer plays the
// peers that misbehave below HTTP (never answers, or closes the connection).

#include <QDateTime>
#include <QHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>

class WebhookReceiver : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };
    struct Request
    {
        QString path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 atMs = 0;
        int status = 0; // how it was answered
        QByteArray header(const QByteArray &name) const
        {
            for (const auto &[key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
    };

    bool listen()
    {
        m_server.route("/<arg>", [this](const QString &path, const QHttpServerRequest &request) {
            Request seen;
            seen.path = path;
            seen.headers = request.headers();
            seen.body = request.body();
            seen.atMs = QDateTime::currentMSecsSinceEpoch();
            QList<Answer> &script = scripts[path];
            const Answer answer =
                    script.size() > 1 ? script.takeFirst() : script.value(0, Answer{});
            seen.status = answer.status;
            requests.append(seen);
            QHttpServerResponse response(
                    "text/plain", answer.body,
                    static_cast<QHttpServerResponder::StatusCode>(answer.status));
            for (const auto &[name, value] : answer.headers)
                response.addHeader(name, value);
            return response;
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        if (m_port == 0)
            return false;
        // Peers that read a request and then never answer, or hang up.
        connect(&m_raw, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_raw.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    ++rawRequests;
                    if (rawMode == RawMode::HangUp)
                        socket->abort();
                    else if (rawMode == RawMode::Garbage)
                        socket->write(QByteArray("\x16\x03\x01 this is not HTTP\r\n\r\n") +
                                      QByteArray(5000, '\xff'));
                });
            }
        });
        return m_raw.listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(path);
    }
    QString rawUrl() const
    {
        return QStringLiteral("http://127.0.0.1:%1/raw").arg(m_raw.serverPort());
    }
    QList<Request> requestsTo(const QString &path) const
    {
        QList<Request> result;
        for (const Request &request : requests) {
            if (request.path == path)
                result.append(request);
        }
        return result;
    }

    // path -> answers in order; the last one repeats. No script: 200.
    QHash<QString, QList<Answer>> scripts;
    QList<Request> requests;
    int rawRequests = 0;
    // What raw peers do with a request: never answer, hang up, or answer something that is not
    // HTTP.
    enum class RawMode { Silent, HangUp, Garbage };
    RawMode rawMode = RawMode::Silent;

private:
    QHttpServer m_server;
    QTcpServer m_raw;
    quint16 m_port = 0;
};
