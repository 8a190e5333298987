#include "webhookrequest.h"

#include "webhooksigner.h"

#include <QDateTime>

namespace Pyrite::Internal {

QNetworkRequest WebhookRequest::build(const WebhookEndpoint &endpoint, const QByteArray &messageId,
                                      qint64 timestampSeconds, const WebhookPayload &payload)
{
    QNetworkRequest request(endpoint.url);
    // Raw headers: the "known header" setters go through QVariant for nothing here.
    request.setRawHeader(QByteArrayLiteral("Content-Type"), payload.contentType);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), QByteArrayLiteral("pyrite-eventbus"));
    for (const auto &[name, value] : endpoint.headers)
        request.setRawHeader(name, value);
    request.setRawHeader("webhook-id", messageId);
    request.setRawHeader("webhook-timestamp", QByteArray::number(timestampSeconds));
    // The clock, not the timestamp's whole seconds: a grace period may end within this second.
    const QList<QByteArray> secrets = endpoint.signingSecrets(QDateTime::currentMSecsSinceEpoch());
    if (!secrets.isEmpty())
        request.setRawHeader(
                "webhook-signature",
                WebhookSigner::sign(messageId, timestampSeconds, payload.body, secrets));
    // A webhook is not a browser: no cookies in or out (one receiver's cookie would otherwise
    // travel to another endpoint on the same host).
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    return request;
}

} // namespace Pyrite::Internal
