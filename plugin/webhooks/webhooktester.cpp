#include "webhooktester.h"

#include "webhookstr.h"

#include "bus/event.h"
#include "bus/eventidgenerator.h"
#include "webhookaddresspolicy.h"
#include "webhookattempt.h"
#include "webhookpayload.h"
#include "webhookrequest.h"

#include <QDateTime>
#include <QHostInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QPointer>

namespace Pyrite::Internal {

WebhookTester::WebhookTester(const WebhookSettings &settings, const QString &source,
                             QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_source(source),
      m_network(new QNetworkAccessManager(this))
{ }

void WebhookTester::send(const QUrl &url, QObject *context,
                         std::function<void(const QJsonObject &)> done)
{
    sendTo(endpointFor(url), context, std::move(done));
}

void WebhookTester::sendTo(const WebhookEndpoint &endpoint, QObject *context,
                           std::function<void(const QJsonObject &)> done)
{
    const QUrl url = endpoint.url;
    QPointer<QObject> guard(context);
    const Answer answer = [guard, done, url](QJsonObject result) {
        result.insert(QStringLiteral("url"), url.toString(QUrl::RemoveQuery));
        if (guard)
            done(result);
    };
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty()) {
        answer({{QStringLiteral("status"), 0},
                {QStringLiteral("error"),
                 WebhooksTr::tr("\"%1\" is not an http or https URL")
                         .arg(url.toString(QUrl::RemoveQuery))}});
        return;
    }
    const Event event = sampleEvent();
    const WebhookPayload payload =
            WebhookPayload::build(endpoint.format, event, event.toJson(), m_settings.baseUrl);
    const auto post = [this, endpoint, payload, eventId = event.id(), answer] {
        this->post(endpoint, payload, eventId, answer);
    };
    if (endpoint.allowPrivate)
        return post();
    // The same address policy as real deliveries.
    const QString host = url.host();
    QHostInfo::lookupHost(host, this, [host, answer, post](const QHostInfo &info) {
        if (info.error() != QHostInfo::NoError) {
            answer({{QStringLiteral("status"), 0},
                    {QStringLiteral("error"),
                     WebhookAddressPolicy::unresolvable(host, info.errorString())}});
            return;
        }
        for (const QHostAddress &address : info.addresses()) {
            if (!WebhookAddressPolicy::isPublic(address)) {
                answer({{QStringLiteral("status"), 0},
                        {QStringLiteral("error"), WebhookAddressPolicy::refusal(host, address)}});
                return;
            }
        }
        post();
    });
}

WebhookEndpoint WebhookTester::endpointFor(const QUrl &url) const
{
    for (const WebhookEndpoint &configured : std::as_const(m_settings.endpoints)) {
        if (configured.url == url)
            return configured;
    }
    WebhookEndpoint endpoint;
    endpoint.url = url;
    return endpoint;
}

Event WebhookTester::sampleEvent() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Event event;
    event.setId(EventIdGenerator().next(now));
    event.setTimeMsecs(now);
    event.setSource(m_source);
    event.setType(QStringLiteral("entry.created"));
    event.setKb(QStringLiteral("example"));
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(QStringLiteral("webhook-test"));
    event.setTitle(QStringLiteral("Test delivery from pyrite-host"));
    event.setActor(QStringLiteral("pyrite-host"));
    return event;
}

void WebhookTester::post(const WebhookEndpoint &endpoint, const WebhookPayload &payload,
                         const QString &eventId, const Answer &answer)
{
    const QNetworkRequest request = WebhookRequest::build(
            endpoint, eventId.toLatin1(), QDateTime::currentSecsSinceEpoch(), payload);
    WebhookAttempt::post(
            m_network, request, payload.body, endpoint.timeoutMs, m_settings.maxResponseBytes, this,
            [answer, eventId](const WebhookAttempt::Result &result) {
                QJsonObject headers;
                for (const auto &[name, value] : result.headers)
                    headers.insert(QString::fromLatin1(name), QString::fromLatin1(value));
                answer({{QStringLiteral("status"), result.status},
                        {QStringLiteral("duration_ms"), result.durationMs},
                        {QStringLiteral("error"), result.error},
                        {QStringLiteral("note"), result.abandoned},
                        {QStringLiteral("response"), QString::fromUtf8(result.excerpt)},
                        {QStringLiteral("headers"), headers},
                        {QStringLiteral("event_id"), eventId}});
            });
}

} // namespace Pyrite::Internal
