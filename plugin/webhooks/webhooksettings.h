#pragma once

#include "webhookendpoint.h"

#include <QList>
#include <QString>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// The "webhooks:" settings: endpoints from pyrite.yaml and every kb.yaml, and how deliveries are
// retried (docs/webhooks.md).
struct WebhookSettings
{
    QList<WebhookEndpoint> endpoints;
    // Delay before the 2nd, 3rd, ... attempt; the last entry repeats while attempts remain.
    // Standard Webhooks' / Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (~28 h).
    QList<qint64> retryScheduleMs{5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000};
    double jitter = 0.2;                // each delay is scaled by a random factor in [1-j, 1+j]
    int concurrencyPerEndpoint = 4;     // requests in flight per endpoint
    int maxResponseBytes = 4096;        // of a response body kept in the history
    int breakerFailures = 5;            // consecutive failures that pause an endpoint
    qint64 breakerPauseMs = 60000;      // before a paused endpoint is probed again
    QString baseUrl;                    // links in Slack messages: <base_url>/<kb>/<entry id>
    qint64 historyMs = 30LL * 86400000; // finished deliveries and their attempts are kept so long

    bool isEmpty() const { return endpoints.isEmpty(); }

    // Reads the "webhooks:" value of pyrite.yaml (a map with "endpoints" and the options above)
    // into *this. Errors and warnings go to the reader.
    void read(ConfigReader &webhooks);
    // Reads the "webhooks:" list of a kb.yaml's eventbus section: endpoints scoped to that KB.
    void readKbEndpoints(ConfigReader &eventbus, const QString &kb);

private:
    void readEndpoints(ConfigReader &reader, const QString &key, const QString &scopeKb);
};

} // namespace Pyrite::Internal
