#pragma once

#include "webhookendpoint.h"

#include <QByteArray>

namespace Pyrite {
class Event;
}

namespace Pyrite::Internal {

// The request body an endpoint receives for an event, in its format: the CloudEvents envelope as
// stored in the log (structured mode, application/cloudevents+json), or a Slack incoming-webhook
// message (text plus blocks).
struct WebhookPayload
{
    QByteArray contentType;
    QByteArray body;

    // cloudEventJson: the envelope with sequence and epoch, as replay returns it.
    static WebhookPayload build(WebhookEndpoint::Format format, const Event &event,
                                const QByteArray &cloudEventJson, const QString &baseUrl);
    static QByteArray slackMessage(const Event &event, const QString &baseUrl);
};

} // namespace Pyrite::Internal
