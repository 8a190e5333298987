#include "webhooksettings.h"

#include "webhookstr.h"

#include "configreader.h"
#include "bus/event.h"
#include "webhooksigner.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace Pyrite::Internal {

namespace {
// Header names a configuration may not set: the dispatcher owns them.
bool isReservedHeader(const QByteArray &name)
{
    static const QList<QByteArray> reserved{
            "content-type",      "content-length",    "host",
            "webhook-id",        "webhook-timestamp", "webhook-signature",
            "transfer-encoding", "connection"};
    return reserved.contains(name.toLower());
}

// A secret as configured: "env:NAME" is read from the environment; the value is a
// Standard Webhooks secret, "whsec_" + base64 of the key (the prefix is optional).
QByteArray decodeSecret(ConfigReader &reader, const QString &key, const QString &value)
{
    QString text;
    if (!reader.secretValue(key, value, &text))
        return {};
    if (!value.startsWith(QStringLiteral("env:")))
        reader.addWarning(key, WebhooksTr::tr("a literal secret; prefer \"env:NAME\""));
    const std::optional<QByteArray> decoded = WebhookSigner::decodeSecret(text);
    // Never quote the value: it is a secret.
    if (!decoded) {
        reader.addError(
                key, WebhooksTr::tr("not a valid secret: expected \"whsec_\" followed by base64"));
        return {};
    }
    if (decoded->size() < 24 || decoded->size() > 64) {
        reader.addError(key,
                        WebhooksTr::tr("a secret must decode to 24 to 64 bytes, not %1")
                                .arg(decoded->size()));
        return {};
    }
    return *decoded;
}

void readUrl(ConfigReader &item, WebhookEndpoint *endpoint)
{
    const QString url = item.requiredString(QStringLiteral("url"));
    endpoint->url = QUrl(url, QUrl::StrictMode);
    if (!url.isEmpty()) {
        if (!endpoint->url.isValid() || endpoint->url.host().isEmpty()) {
            item.addError(QStringLiteral("url"),
                          WebhooksTr::tr("\"%1\" is not a valid URL").arg(url));
        } else if (endpoint->url.scheme() != u"https" && endpoint->url.scheme() != u"http") {
            item.addError(QStringLiteral("url"),
                          WebhooksTr::tr("the scheme must be https or http, not \"%1\"")
                                  .arg(endpoint->url.scheme()));
        } else if (!endpoint->url.userInfo().isEmpty()) {
            item.addError(QStringLiteral("url"),
                          WebhooksTr::tr("credentials in the URL are not allowed; use headers"));
        }
    }
}

void readFilter(ConfigReader &item, WebhookEndpoint *endpoint)
{
    if (item.contains(QStringLiteral("events"))) {
        const QStringList events = item.stringList(QStringLiteral("events"));
        QString error;
        if (events.isEmpty())
            item.addError(QStringLiteral("events"),
                          WebhooksTr::tr("an empty list matches nothing; leave \"events\" out to "
                                         "receive every event"));
        else if (!endpoint->filter.setTypePatterns(events, &error))
            item.addError(QStringLiteral("events"), error);
    }
    ConfigReader filter = item.section(QStringLiteral("filter"));
    filter.checkKnownKeys({QStringLiteral("kb"), QStringLiteral("type")});
    endpoint->filter.setKb(filter.string(QStringLiteral("kb")));
    endpoint->filter.setEntryType(filter.string(QStringLiteral("type")));
    if (!endpoint->scopeKb.isEmpty() && !endpoint->filter.kb().isEmpty() &&
        endpoint->filter.kb() != endpoint->scopeKb)
        filter.addWarning(QStringLiteral("kb"),
                          WebhooksTr::tr("this endpoint belongs to KB \"%1\" and only sees its "
                                         "events; it will never match \"%2\"")
                                  .arg(endpoint->scopeKb, endpoint->filter.kb()));
}

void readSecrets(ConfigReader &item, WebhookEndpoint *endpoint)
{
    QStringList secrets;
    if (item.contains(QStringLiteral("secret")))
        secrets.append(item.string(QStringLiteral("secret")));
    secrets += item.stringList(QStringLiteral("secrets"));
    for (const QString &secret : std::as_const(secrets)) {
        const QByteArray key =
                decodeSecret(item,
                             item.contains(QStringLiteral("secret")) ? QStringLiteral("secret")
                                                                     : QStringLiteral("secrets"),
                             secret);
        if (!key.isEmpty())
            endpoint->secrets.append(key);
    }
}

void readHeaders(ConfigReader &item, WebhookEndpoint *endpoint)
{
    const QVariant headers = item.values().value(QStringLiteral("headers"));
    if (headers.isValid() && headers.typeId() != QMetaType::QVariantMap) {
        item.addError(QStringLiteral("headers"),
                      WebhooksTr::tr("expected a map of header names to values, got %1")
                              .arg(ConfigReader::typeName(headers)));
    }
    ConfigReader headerReader = item.section(QStringLiteral("headers"));
    const QVariantMap headerMap = headers.toMap();
    static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
    for (auto it = headerMap.cbegin(); it != headerMap.cend(); ++it) {
        const QString value = headerReader.string(it.key());
        if (!token.match(it.key()).hasMatch()) {
            headerReader.addError(it.key(), WebhooksTr::tr("not a valid header name"));
        } else if (isReservedHeader(it.key().toLatin1())) {
            headerReader.addError(it.key(),
                                  WebhooksTr::tr("set by the dispatcher; it cannot be configured"));
        } else if (value.contains(u'\r') || value.contains(u'\n')) {
            headerReader.addError(it.key(), WebhooksTr::tr("a header value cannot span lines"));
        } else {
            endpoint->headers.append({it.key().toLatin1(), value.toUtf8()});
        }
    }
}

void readFormat(ConfigReader &item, WebhookEndpoint *endpoint)
{
    const QString format = item.choice(QStringLiteral("format"),
                                       {QStringLiteral("cloudevents"), QStringLiteral("slack")},
                                       QStringLiteral("cloudevents"));
    endpoint->format = format == u"slack" ? WebhookEndpoint::Format::Slack
                                          : WebhookEndpoint::Format::CloudEvents;
}

void readDelivery(ConfigReader &item, WebhookEndpoint *endpoint)
{
    const QString timeout = item.string(QStringLiteral("timeout"));
    if (!timeout.isEmpty()) {
        const qint64 ms = ConfigReader::parseDurationMs(timeout);
        if (ms <= 0 || ms > 300000)
            item.addError(
                    QStringLiteral("timeout"),
                    WebhooksTr::tr("\"%1\" is not a duration between 1ms and 5m").arg(timeout));
        else
            endpoint->timeoutMs = int(ms);
    }
    endpoint->maxAttempts =
            int(item.integer(QStringLiteral("max_attempts"), endpoint->maxAttempts, 1, 100));
    endpoint->enabled = item.boolean(QStringLiteral("enabled"), true);
    endpoint->allowPrivate = item.boolean(QStringLiteral("allow_private"), false);
    if (endpoint->url.scheme() == u"http")
        item.addWarning(QStringLiteral("url"),
                        WebhooksTr::tr("plain http: payloads and signatures travel unencrypted; "
                                       "prefer https"));
}

} // namespace

bool WebhookEndpoint::matches(const Event &event) const
{
    if (!scopeKb.isEmpty() && event.kb() != scopeKb)
        return false;
    return filter.matches(event);
}

void WebhookSettings::read(ConfigReader &reader)
{
    const QVariant value = reader.values().value(QStringLiteral("webhooks"));
    if (!value.isValid())
        return;
    // A plain list is the endpoints; a map has them under "endpoints" next to the options.
    if (value.typeId() == QMetaType::QVariantList) {
        readEndpoints(reader, QStringLiteral("webhooks"), QString());
        return;
    }
    if (value.typeId() != QMetaType::QVariantMap) {
        reader.addError(
                QStringLiteral("webhooks"),
                WebhooksTr::tr("expected a list of endpoints or a map with \"endpoints\", got %1")
                        .arg(ConfigReader::typeName(value)));
        return;
    }
    ConfigReader webhooks = reader.section(QStringLiteral("webhooks"));
    webhooks.checkKnownKeys({QStringLiteral("endpoints"), QStringLiteral("retry_schedule"),
                             QStringLiteral("jitter"), QStringLiteral("concurrency_per_endpoint"),
                             QStringLiteral("max_response_bytes"),
                             QStringLiteral("breaker_failures"), QStringLiteral("breaker_pause"),
                             QStringLiteral("base_url"), QStringLiteral("history")});
    if (webhooks.contains(QStringLiteral("retry_schedule"))) {
        QList<qint64> schedule;
        for (const QString &delay : webhooks.stringList(QStringLiteral("retry_schedule"))) {
            const qint64 ms = ConfigReader::parseDurationMs(delay);
            if (ms < 0) {
                webhooks.addError(
                        QStringLiteral("retry_schedule"),
                        WebhooksTr::tr("\"%1\" is not a duration like 250ms, 5s, 5m, 2h or 1d")
                                .arg(delay));
            } else {
                schedule.append(ms);
            }
        }
        if (schedule.isEmpty() && !webhooks.hasErrors())
            webhooks.addError(QStringLiteral("retry_schedule"),
                              WebhooksTr::tr("must list at least one delay"));
        else
            retryScheduleMs = schedule;
    }
    jitter = double(webhooks.integer(QStringLiteral("jitter"), qint64(jitter * 100), 0, 100)) /
            100.0;
    concurrencyPerEndpoint = int(webhooks.integer(QStringLiteral("concurrency_per_endpoint"),
                                                  concurrencyPerEndpoint, 1, 64));
    maxResponseBytes = int(webhooks.integer(QStringLiteral("max_response_bytes"), maxResponseBytes,
                                            0, 1024 * 1024));
    breakerFailures =
            int(webhooks.integer(QStringLiteral("breaker_failures"), breakerFailures, 1, 1000));
    const QString pause = webhooks.string(QStringLiteral("breaker_pause"));
    if (!pause.isEmpty()) {
        const qint64 ms = ConfigReader::parseDurationMs(pause);
        if (ms < 0)
            webhooks.addError(QStringLiteral("breaker_pause"),
                              WebhooksTr::tr("\"%1\" is not a duration like 30s or 5m").arg(pause));
        else
            breakerPauseMs = ms;
    }
    const QString history = webhooks.string(QStringLiteral("history"));
    if (!history.isEmpty()) {
        const qint64 ms = ConfigReader::parseDurationMs(history);
        if (ms < 60000)
            webhooks.addError(
                    QStringLiteral("history"),
                    WebhooksTr::tr("\"%1\" is not a duration of a minute or more, like 7d")
                            .arg(history));
        else
            historyMs = ms;
    }
    baseUrl = webhooks.string(QStringLiteral("base_url"));
    while (baseUrl.endsWith(u'/'))
        baseUrl.chop(1);
    readEndpoints(webhooks, QStringLiteral("endpoints"), QString());
}

void WebhookSettings::readKbEndpoints(ConfigReader &eventbus, const QString &kb)
{
    readEndpoints(eventbus, QStringLiteral("webhooks"), kb);
}

void WebhookSettings::readEndpoints(ConfigReader &reader, const QString &key,
                                    const QString &scopeKb)
{
    const QVariantList items = reader.list(key);
    QSet<QString> ids;
    for (const WebhookEndpoint &known : std::as_const(endpoints))
        ids.insert(known.id);
    for (int i = 0; i < items.size(); ++i) {
        if (items.at(i).typeId() != QMetaType::QVariantMap) {
            reader.addError(QStringLiteral("%1[%2]").arg(key).arg(i),
                            WebhooksTr::tr("expected an endpoint (a map with \"url\"), got %1")
                                    .arg(ConfigReader::typeName(items.at(i))));
            continue;
        }
        ConfigReader item = reader.listItem(key, i);
        item.checkKnownKeys({QStringLiteral("id"), QStringLiteral("url"), QStringLiteral("events"),
                             QStringLiteral("filter"), QStringLiteral("secret"),
                             QStringLiteral("secrets"), QStringLiteral("format"),
                             QStringLiteral("headers"), QStringLiteral("timeout"),
                             QStringLiteral("max_attempts"), QStringLiteral("enabled"),
                             QStringLiteral("allow_private")});
        WebhookEndpoint endpoint;
        endpoint.scopeKb = scopeKb;
        endpoint.location = item.location(QString());
        readUrl(item, &endpoint);
        const QString id = item.string(QStringLiteral("id"));
        endpoint.id = !id.isEmpty() ? id
                : scopeKb.isEmpty()
                ? endpoint.url.toString(QUrl::RemoveQuery)
                : QStringLiteral("kb:%1:%2").arg(scopeKb, endpoint.url.toString(QUrl::RemoveQuery));
        if (ids.contains(endpoint.id))
            item.addError(id.isEmpty() ? QStringLiteral("url") : QStringLiteral("id"),
                          WebhooksTr::tr("another endpoint has the id \"%1\"; give each an \"id\"")
                                  .arg(endpoint.id));
        ids.insert(endpoint.id);
        readFilter(item, &endpoint);
        readSecrets(item, &endpoint);
        readFormat(item, &endpoint);
        readHeaders(item, &endpoint);
        readDelivery(item, &endpoint);
        endpoints.append(endpoint);
    }
}

} // namespace Pyrite::Internal
