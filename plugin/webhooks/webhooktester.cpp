#include "webhooktester.h"

#include "webhookstr.h"

#include "bus/event.h"
#include "bus/eventidgenerator.h"
#include "webhookaddresspolicy.h"
#include "webhookpayload.h"
#include "webhookrequest.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

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
    const WebhookEndpoint endpoint = endpointFor(url);
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
    QElapsedTimer elapsed;
    elapsed.start();
    QNetworkReply *reply =
            m_network->post(WebhookRequest::build(endpoint, eventId.toLatin1(),
                                                  QDateTime::currentSecsSinceEpoch(), payload),
                            payload.body);
    auto timedOut = std::make_shared<bool>(false);
    auto refused = std::make_shared<QString>();
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(endpoint.timeoutMs);
    connect(reply, &QNetworkReply::redirected, reply,
            [reply, refused, origin = endpoint.url](const QUrl &to) {
                if (to.host() == origin.host())
                    return Q_EMIT reply->redirectAllowed();
                *refused = WebhookRequest::redirectRefused(to.host());
                reply->abort();
            });
    connect(reply, &QNetworkReply::finished, this,
            [reply, elapsed, timedOut, refused, endpoint, eventId,
             keep = m_settings.maxResponseBytes, answer] {
                reply->deleteLater();
                const int status =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                QJsonObject headers;
                for (const auto &[name, value] : reply->rawHeaderPairs())
                    headers.insert(QString::fromLatin1(name), QString::fromLatin1(value));
                QString error;
                if (*timedOut)
                    error = WebhookRequest::noAnswer(endpoint.timeoutMs);
                else if (!refused->isEmpty())
                    error = *refused;
                else if (status == 0)
                    error = reply->errorString();
                else if (status < 200 || status >= 300)
                    error = WebhookRequest::httpStatus(status);
                answer({{QStringLiteral("status"), status},
                        {QStringLiteral("duration_ms"), int(elapsed.elapsed())},
                        {QStringLiteral("error"), error},
                        {QStringLiteral("response"), QString::fromUtf8(reply->read(keep))},
                        {QStringLiteral("headers"), headers},
                        {QStringLiteral("event_id"), eventId}});
            });
}

} // namespace Pyrite::Internal
