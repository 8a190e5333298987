// libFuzzer target: any bytes as a webhook receiver's answer, the parts the dispatcher acts on:
// a status (the first two bytes) and a Retry-After header (the rest). The delay must be -1 or
// within [0, a day], whatever the number or date (no overflow: UBSan watches), and a status is
// never both delivered and a reason to disable the endpoint.

#include "webhooks/webhookresponse.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using Pyrite::Internal::WebhookResponse;
    if (size < 2)
        return 0;
    const int status = (data[0] << 8 | data[1]) % 1000;
    const QByteArray retryAfter(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    // A fixed "now" keeps runs reproducible.
    const qint64 delay = WebhookResponse::retryAfterMs(retryAfter, 1795860000000);
    if (delay < -1 || delay > WebhookResponse::MaxRetryAfterMs)
        std::abort();
    if (WebhookResponse::isDelivered(status) &&
        (WebhookResponse::disablesEndpoint(status) || WebhookResponse::honoursRetryAfter(status)))
        std::abort();
    return 0;
}
