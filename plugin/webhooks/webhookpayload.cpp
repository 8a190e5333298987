#include "webhookpayload.h"

#include "bus/event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace Pyrite::Internal {

namespace {
// Slack's mrkdwn treats these three as control characters.
QString escaped(const QString &text)
{
    QString result = text;
    result.replace(u'&', QStringLiteral("&amp;"));
    result.replace(u'<', QStringLiteral("&lt;"));
    result.replace(u'>', QStringLiteral("&gt;"));
    return result;
}

QString verb(const QString &type)
{
    if (type == u"entry.created")
        return QStringLiteral("created");
    if (type == u"entry.updated")
        return QStringLiteral("updated");
    if (type == u"entry.deleted")
        return QStringLiteral("deleted");
    if (type == u"qa.validation_failed")
        return QStringLiteral("failed validation");
    if (type == u"task.claimed")
        return QStringLiteral("claimed");
    if (type == u"task.completed")
        return QStringLiteral("completed");
    if (type == u"kb.indexed")
        return QStringLiteral("indexed");
    if (type == u"schema.changed")
        return QStringLiteral("schema changed");
    return type;
}
} // namespace

WebhookPayload WebhookPayload::build(WebhookEndpoint::Format format, const Event &event,
                                     const QByteArray &cloudEventJson, const QString &baseUrl)
{
    if (format == WebhookEndpoint::Format::Slack)
        return {QByteArrayLiteral("application/json"), slackMessage(event, baseUrl)};
    return {QByteArrayLiteral("application/cloudevents+json"), cloudEventJson};
}

QByteArray WebhookPayload::slackMessage(const Event &event, const QString &baseUrl)
{
    // Slack messages are read by people: English, like Slack's own notifications, and built from
    // the event only (no look-ups).
    const QString title = event.title().isEmpty()
            ? (event.entryId().isEmpty() ? event.kb() : event.entryId())
            : event.title();
    QString heading = escaped(title);
    if (!baseUrl.isEmpty() && !event.entryId().isEmpty() && event.type() != u"entry.deleted") {
        const QString link = baseUrl + u'/' +
                QString::fromLatin1(QUrl::toPercentEncoding(event.kb())) + u'/' +
                QString::fromLatin1(QUrl::toPercentEncoding(event.entryId()));
        heading = u'<' + link + u'|' + heading + u'>';
    }
    const QString actor = event.actor().isEmpty() ? QStringLiteral("someone") : event.actor();
    const QString text =
            QStringLiteral("%1 %2 in %3 by %4").arg(title, verb(event.type()), event.kb(), actor);

    QJsonArray context;
    QString details = QStringLiteral("KB *%1*").arg(escaped(event.kb()));
    if (!event.entryType().isEmpty())
        details += QStringLiteral(" · type *%1*").arg(escaped(event.entryType()));
    details += QStringLiteral(" · by *%1* · `%2`").arg(escaped(actor), event.type());
    context.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                               {QStringLiteral("text"), details}});
    const QJsonArray blocks{
            QJsonObject{
                    {QStringLiteral("type"), QStringLiteral("section")},
                    {QStringLiteral("text"),
                     QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                                 {QStringLiteral("text"),
                                  QStringLiteral("*%1* %2").arg(heading, verb(event.type()))}}}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("context")},
                        {QStringLiteral("elements"), context}}};
    return QJsonDocument(
                   QJsonObject{{QStringLiteral("text"), text}, {QStringLiteral("blocks"), blocks}})
            .toJson(QJsonDocument::Compact);
}

} // namespace Pyrite::Internal
