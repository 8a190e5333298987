#pragma once

#include "bus/eventfilter.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace Pyrite::Internal {

// One configured webhook receiver (docs/webhooks.md), from the plugin settings of pyrite.yaml or
// from a KB's kb.yaml, validated.
struct WebhookEndpoint
{
    enum class Format { CloudEvents, Slack };

    // Stable across restarts: deliveries in the outbox refer to it. The configured `id`, or the
    // URL (prefixed with "kb:<name>:" for a KB's endpoint).
    QString id;
    QString scopeKb; // a kb.yaml endpoint only sees events of its KB; empty for pyrite.yaml's
    QUrl url;
    EventFilter filter;
    QList<QByteArray> secrets; // raw HMAC keys (decoded from whsec_...); one signature each
    Format format = Format::CloudEvents;
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 15000;
    int maxAttempts = 8;
    bool enabled = true;
    bool allowPrivate = false;
    QString location; // "pyrite.yaml:40: plugins[0].settings.webhooks[1]", for messages

    bool matches(const class Event &event) const;
};

} // namespace Pyrite::Internal
