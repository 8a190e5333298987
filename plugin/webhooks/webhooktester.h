#pragma once

#include "webhookpayload.h"
#include "webhooksettings.h"

#include "bus/event.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace Pyrite::Internal {

// One sample delivery outside the outbox, for "pyrite-host webhook-test URL": the request a real
// attempt makes (a configured endpoint with that URL lends its format, headers, secrets and
// address policy), sent and read by the same WebhookAttempt (timeout, 1 MiB cap, no
// redirects); reports the answer.
class WebhookTester : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(WebhookTester)

public:
    WebhookTester(const WebhookSettings &settings, const QString &source,
                  QObject *parent = nullptr);

    // done gets: url, status (0 without an answer), duration_ms, error (empty on 2xx), note (a
    // body past 1 MiB that was not read, even on 2xx), response (an excerpt), headers (the
    // answer's), event_id.
    void send(const QUrl &url, QObject *context, std::function<void(const QJsonObject &)> done);
    // The same to this endpoint, as it is (its URL, format, headers, secrets, address policy).
    void sendTo(const WebhookEndpoint &endpoint, QObject *context,
                std::function<void(const QJsonObject &)> done);

private:
    using Answer = std::function<void(QJsonObject answer)>;

    // A configured endpoint with that URL, else a plain one.
    WebhookEndpoint endpointFor(const QUrl &url) const;
    Event sampleEvent() const;
    void post(const WebhookEndpoint &endpoint, const WebhookPayload &payload,
              const QString &eventId, const Answer &answer);

    WebhookSettings m_settings;
    QString m_source;
    QNetworkAccessManager *m_network;
};

} // namespace Pyrite::Internal
