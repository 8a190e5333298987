#include "httpsettings.h"

#include "httptr.h"

#include "configreader.h"

#include <QUrl>

namespace Pyrite::Internal {

QStringList HttpSettings::keys()
{
    return {QStringLiteral("address"),
            QStringLiteral("port"),
            QStringLiteral("tokens"),
            QStringLiteral("allowed_origins"),
            QStringLiteral("allowed_hosts"),
            QStringLiteral("max_http_connections"),
            QStringLiteral("max_http_connections_per_address"),
            QStringLiteral("entry_url")};
}

void HttpSettings::readTokens(ConfigReader &stream)
{
    const QString key = QStringLiteral("tokens");
    const QStringList listed = stream.stringList(key);
    if (stream.contains(key) && listed.isEmpty()) {
        stream.addWarning(key,
                          HttpTr::tr("the list is empty: there is no authentication (leave "
                                     "the key out to say so)"));
    }
    for (const QString &token : listed) {
        QString value;
        if (!stream.secretValue(key, token, &value))
            continue;
        const QString variable =
                token.startsWith(QStringLiteral("env:")) ? token.mid(4) : QString();
        if (value.size() < MinTokenLength) {
            // Never the token itself: only where it came from and how long it is.
            stream.addError(key,
                            variable.isEmpty()
                                    ? HttpTr::tr("a token must have at least %1 characters")
                                              .arg(MinTokenLength)
                                    : HttpTr::tr("environment variable %1 holds a token of %2 "
                                                 "characters; a token must have at least %3")
                                              .arg(variable)
                                              .arg(value.size())
                                              .arg(MinTokenLength));
            continue;
        }
        tokens.append(value);
    }
}

void HttpSettings::read(ConfigReader &stream)
{
    const QString text = stream.string(QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    if (!address.setAddress(text))
        stream.addError(QStringLiteral("address"),
                        HttpTr::tr("\"%1\" is not an IP address").arg(text));
    port = quint16(stream.integer(QStringLiteral("port"), 8765, 0, 65535));
    readTokens(stream);
    if (tokens.isEmpty() && !stream.hasErrors() && !address.isLoopback()) {
        stream.addWarning(QStringLiteral("tokens"),
                          HttpTr::tr("the plugin listens on %1 without tokens: anyone who can "
                                     "reach it may read every event and use the API")
                                  .arg(address.toString()));
    }
    allowedOrigins = stream.stringList(QStringLiteral("allowed_origins"));
    allowedHosts = stream.stringList(QStringLiteral("allowed_hosts"));
    maxHttpConnections = int(
            stream.integer(QStringLiteral("max_http_connections"), maxHttpConnections, 1, 1000000));
    maxHttpConnectionsPerAddress =
            int(stream.integer(QStringLiteral("max_http_connections_per_address"),
                               maxHttpConnectionsPerAddress, 1, 1000000));
    readEntryUrl(stream);
}

void HttpSettings::readEntryUrl(ConfigReader &stream)
{
    const QString key = QStringLiteral("entry_url");
    const QString text = stream.string(key);
    if (text.isEmpty())
        return;
    // The placeholders are replaced by the page; the rest must be a web address already.
    QString sample = text;
    sample.replace(QLatin1String("{kb}"), QLatin1String("kb"))
            .replace(QLatin1String("{id}"), QLatin1String("id"));
    const QUrl url(sample, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty())
        stream.addError(key, HttpTr::tr("\"%1\" is not an http or https address").arg(text));
    else if (!text.contains(QLatin1String("{id}")))
        stream.addError(key, HttpTr::tr("\"%1\" has no {id} for the entry's id").arg(text));
    else
        entryUrl = text;
}

} // namespace Pyrite::Internal
