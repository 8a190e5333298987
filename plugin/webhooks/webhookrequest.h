#pragma once

#include "webhookstr.h"
#include "webhookendpoint.h"
#include "webhookpayload.h"

#include <QCoreApplication>
#include <QNetworkRequest>

namespace Pyrite::Internal {

// The HTTP request for one attempt: the endpoint's URL and extra headers, the body's content
// type, and the Standard Webhooks headers (webhook-id stays the same across retries; a signature
// per secret). WebhookAttempt sends it.
class WebhookRequest
{

public:
    static QNetworkRequest build(const WebhookEndpoint &endpoint, const QByteArray &messageId,
                                 qint64 timestampSeconds, const WebhookPayload &payload);

    // Why an attempt failed, in the words the history and the tools show.
    static QString noAnswer(int timeoutMs)
    {
        return WebhooksTr::tr("no answer within %1 ms").arg(timeoutMs);
    }
    static QString httpStatus(int status) { return WebhooksTr::tr("HTTP %1").arg(status); }
};

} // namespace Pyrite::Internal
