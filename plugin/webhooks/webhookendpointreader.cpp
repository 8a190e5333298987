#include "webhookendpointreader.h"

#include "webhookstr.h"

#include "configreader.h"
#include "interface/pyritetypes.h"
#include "webhooksigner.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace Pyrite::Internal {

namespace {
constexpr int MaxHeaders = 32;
constexpr int MaxHeaderNameBytes = 128;
constexpr int MaxHeaderValueBytes = 4096;

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
    if (headerMap.size() > MaxHeaders) {
        item.addError(QStringLiteral("headers"),
                      WebhooksTr::tr("%1 headers; at most %2 are allowed")
                              .arg(headerMap.size())
                              .arg(MaxHeaders));
        return;
    }
    static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
    for (auto it = headerMap.cbegin(); it != headerMap.cend(); ++it) {
        const QString value = headerReader.string(it.key());
        if (!token.match(it.key()).hasMatch()) {
            headerReader.addError(it.key(), WebhooksTr::tr("not a valid header name"));
        } else if (isReservedHeader(it.key().toLatin1())) {
            headerReader.addError(it.key(),
                                  WebhooksTr::tr("set by the dispatcher; it cannot be configured"));
        } else if (it.key().size() > MaxHeaderNameBytes ||
                   value.toUtf8().size() > MaxHeaderValueBytes) {
            headerReader.addError(it.key(),
                                  WebhooksTr::tr("too long: names may have %1 bytes, values %2")
                                          .arg(MaxHeaderNameBytes)
                                          .arg(MaxHeaderValueBytes));
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

// A pattern that matches none of the eight event types is a typo ("entry.create"): an error in a
// request, a warning in a file that has been loading so far.
void checkPatternsMatchSomething(ConfigReader &item, const WebhookEndpoint &endpoint, bool strict)
{
    if (!item.contains(QStringLiteral("events")))
        return;
    QStringList types{QStringLiteral("entry.created"), QStringLiteral("entry.updated"),
                      QStringLiteral("entry.deleted")};
    for (const Notification notification : AllNotifications)
        types.append(notificationName(notification));
    for (const QString &pattern : endpoint.filter.typePatterns()) {
        const bool matches = std::any_of(types.cbegin(), types.cend(), [&](const QString &type) {
            return EventFilter::patternMatches(pattern, type);
        });
        if (matches)
            continue;
        const QString message = WebhooksTr::tr("\"%1\" matches none of the event types: %2")
                                        .arg(pattern, types.join(QStringLiteral(", ")));
        if (strict)
            item.addError(QStringLiteral("events"), message);
        else
            item.addWarning(QStringLiteral("events"), message);
    }
}

} // namespace

QStringList WebhookEndpointReader::keys(Source source)
{
    QStringList keys{QStringLiteral("url"),          QStringLiteral("events"),
                     QStringLiteral("filter"),       QStringLiteral("format"),
                     QStringLiteral("headers"),      QStringLiteral("timeout"),
                     QStringLiteral("max_attempts"), QStringLiteral("enabled"),
                     QStringLiteral("allow_private")};
    if (source != Source::Stored)
        keys.prepend(QStringLiteral("id"));
    if (source == Source::Config)
        keys << QStringLiteral("secret") << QStringLiteral("secrets");
    return keys;
}

WebhookEndpoint WebhookEndpointReader::read(ConfigReader &item, const QString &scopeKb,
                                            Source source)
{
    if (source == Source::Request) {
        // A request with a key the server does not know would silently do less than asked.
        const QStringList known = keys(source);
        const QVariantMap values = item.values();
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            if (it.key() == u"secret" || it.key() == u"secrets")
                item.addError(it.key(),
                              WebhooksTr::tr("the server makes the secret and shows it once; "
                                             "rotate it to get a new one"));
            else if (!known.contains(it.key()))
                item.addError(it.key(),
                              WebhooksTr::tr("unknown key; known are: %1")
                                      .arg(known.join(QStringLiteral(", "))));
        }
    } else {
        item.checkKnownKeys(keys(source));
    }
    WebhookEndpoint endpoint;
    endpoint.scopeKb = scopeKb;
    endpoint.location = item.location(QString());
    endpoint.origin = source == Source::Config ? WebhookEndpoint::Origin::Config
                                               : WebhookEndpoint::Origin::Runtime;
    readUrl(item, &endpoint);
    readFilter(item, &endpoint);
    checkPatternsMatchSomething(item, endpoint, source == Source::Request);
    if (source == Source::Config)
        readSecrets(item, &endpoint);
    readFormat(item, &endpoint);
    readHeaders(item, &endpoint);
    readDelivery(item, &endpoint);
    return endpoint;
}

bool WebhookEndpointReader::isValidRuntimeId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"));
    return pattern.match(id).hasMatch();
}

} // namespace Pyrite::Internal
