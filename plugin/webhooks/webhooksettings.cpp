#include "webhooksettings.h"

#include "webhookstr.h"

#include "configreader.h"
#include "webhookendpointreader.h"

#include <QSet>

namespace Pyrite::Internal {

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
        WebhookEndpoint endpoint =
                WebhookEndpointReader::read(item, scopeKb, WebhookEndpointReader::Source::Config);
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
        endpoints.append(endpoint);
    }
}

} // namespace Pyrite::Internal
