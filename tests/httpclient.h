#pragma once

// One HTTP request to the plugin's address on 127.0.0.1, for the tests that talk to its HTTP side
// (tst_httpapi, tst_security): a token as a Bearer header and an Origin when given, the answer's
// status, body and content type; status 0 when nothing came within 10 s.

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>

#include <memory>

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// A body goes with its content type (JSON unless told otherwise; none: no header).
inline HttpAnswer httpRequest(QNetworkAccessManager &network, quint16 port,
                              const QByteArray &method, const QString &path,
                              const QByteArray &token = {}, const QByteArray &origin = {},
                              const QByteArray &body = {},
                              const QByteArray &contentType = "application/json")
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!origin.isEmpty())
        request.setRawHeader("Origin", origin);
    if (!body.isEmpty() && !contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->header(QNetworkRequest::ContentTypeHeader).toByteArray()};
}
