#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace Pyrite::Internal {

// What a webhook receiver's answer means for the delivery: the rules the dispatcher applies to
// the status and the Retry-After header, kept apart from the network code so that they can be
// tested and fuzzed on their own.
class WebhookResponse
{
public:
    // Retry-After is honoured up to a day; a receiver cannot park a delivery for longer.
    static constexpr qint64 MaxRetryAfterMs = 86400000;

    static bool isDelivered(int status) { return status >= 200 && status < 300; }
    // 410 Gone: the receiver is gone for good, the endpoint is disabled.
    static bool disablesEndpoint(int status) { return status == 410; }
    // The statuses whose Retry-After replaces the backoff schedule.
    static bool honoursRetryAfter(int status) { return status == 429 || status == 503; }

    // Retry-After as delay-seconds or an HTTP date, in milliseconds from nowMs, within
    // [0, MaxRetryAfterMs]; -1 when absent or unreadable.
    static qint64 retryAfterMs(const QByteArray &value, qint64 nowMs);
};

} // namespace Pyrite::Internal
