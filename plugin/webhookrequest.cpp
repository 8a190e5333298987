#include "webhookrequest.h"

#include "webhooksigner.h"

namespace Pyrite::Internal {

QNetworkRequest WebhookRequest::build(const WebhookEndpoint &endpoint, const QByteArray &messageId,
                                      qint64 timestampSeconds, const WebhookPayload &payload)
{
    QNetworkRequest request(endpoint.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, payload.contentType);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("pyrite-eventbus"));
    for (const auto &[name, value] : endpoint.headers)
        request.setRawHeader(name, value);
    request.setRawHeader("webhook-id", messageId);
    request.setRawHeader("webhook-timestamp", QByteArray::number(timestampSeconds));
    if (!endpoint.secrets.isEmpty())
        request.setRawHeader(
                "webhook-signature",
                WebhookSigner::sign(messageId, timestampSeconds, payload.body, endpoint.secrets));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::UserVerifiedRedirectPolicy);
    // A webhook is not a browser: no cookies in or out, no cache.
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    return request;
}

} // namespace Pyrite::Internal
