#include "httpsettings.h"

#include "httptr.h"

#include "configreader.h"

namespace Pyrite::Internal {

QStringList HttpSettings::keys()
{
    return {QStringLiteral("address"),
            QStringLiteral("port"),
            QStringLiteral("tokens"),
            QStringLiteral("allowed_origins"),
            QStringLiteral("allowed_hosts"),
            QStringLiteral("max_http_connections"),
            QStringLiteral("max_http_connections_per_address")};
}

void HttpSettings::read(ConfigReader &stream)
{
    const QString text = stream.string(QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    if (!address.setAddress(text))
        stream.addError(QStringLiteral("address"),
                        HttpTr::tr("\"%1\" is not an IP address").arg(text));
    port = quint16(stream.integer(QStringLiteral("port"), 8765, 0, 65535));
    for (const QString &token : stream.stringList(QStringLiteral("tokens"))) {
        if (token.startsWith(QStringLiteral("env:"))) {
            const QByteArray variable = token.mid(4).toLocal8Bit();
            if (qEnvironmentVariableIsEmpty(variable.constData()))
                stream.addError(QStringLiteral("tokens"),
                                HttpTr::tr("environment variable %1 is not set")
                                        .arg(QString::fromLocal8Bit(variable)));
            else
                tokens.append(qEnvironmentVariable(variable.constData()));
        } else if (token.size() < 16) {
            stream.addError(QStringLiteral("tokens"),
                            HttpTr::tr("a token must have at least 16 characters"));
        } else {
            tokens.append(token);
        }
    }
    allowedOrigins = stream.stringList(QStringLiteral("allowed_origins"));
    allowedHosts = stream.stringList(QStringLiteral("allowed_hosts"));
    maxHttpConnections = int(
            stream.integer(QStringLiteral("max_http_connections"), maxHttpConnections, 1, 1000000));
    maxHttpConnectionsPerAddress =
            int(stream.integer(QStringLiteral("max_http_connections_per_address"),
                               maxHttpConnectionsPerAddress, 1, 1000000));
}

} // namespace Pyrite::Internal
