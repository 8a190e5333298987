#pragma once

#include "bus/eventfilter.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace Pyrite::Internal {

// One webhook receiver (docs/webhooks.md), validated: configured in pyrite.yaml or a KB's kb.yaml,
// or made at run time through the HTTP API and kept in the event log's database.
struct WebhookEndpoint
{
    enum class Format { CloudEvents, Slack };
    enum class Origin { Config, Runtime };

    // Stable across restarts: deliveries in the outbox refer to it. The configured `id`, or the
    // URL (prefixed with "kb:<name>:" for a KB's endpoint).
    QString id;
    QString scopeKb; // a kb.yaml endpoint only sees events of its KB; empty for pyrite.yaml's
    QUrl url;
    EventFilter filter;
    QList<QByteArray> secrets; // raw HMAC keys (decoded from whsec_...); one signature each
    // After a rotation the previous secret keeps signing until then (Standard Webhooks: a
    // receiver that still has it keeps accepting during the grace period).
    QByteArray previousSecret;
    qint64 previousSecretUntilMs = 0;
    Format format = Format::CloudEvents;
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 15000;
    int maxAttempts = 8;
    bool enabled = true;
    bool allowPrivate = false;
    QString location; // "pyrite.yaml:40: plugins[0].settings.webhooks[1]", for messages
    Origin origin = Origin::Config;

    bool matches(const class Event &event) const;
    // The keys a request made at timeMs is signed with.
    QList<QByteArray> signingSecrets(qint64 timeMs) const;
};

} // namespace Pyrite::Internal
