#include "webhookendpointcommand.h"

#include "consoleoutput.h"
#include "hosttr.h"

#include <QFile>
#include <QJsonDocument>

namespace Pyrite::Host {

namespace {
constexpr qint64 MaxDefinitionBytes = 64 * 1024;
} // namespace

WebhookEndpointCommand::WebhookEndpointCommand(const QStringList &arguments, qint64 graceMs)
    : m_operation(arguments.value(0, QStringLiteral("list"))),
      m_arguments(arguments.mid(1)),
      m_graceMs(graceMs)
{ }

bool WebhookEndpointCommand::isValid() const
{
    const qsizetype count = m_arguments.size();
    if (m_operation == u"list" || m_operation == u"create")
        return count == (m_operation == u"list" ? 0 : 1);
    if (m_operation == u"update")
        return count == 2;
    if (m_operation == u"delete" || m_operation == u"rotate-secret")
        return count == 1;
    return false;
}

QString WebhookEndpointCommand::usage()
{
    return HostTr::tr("pyrite-host webhooks: give list, create JSON, update ID JSON, delete ID or "
                      "rotate-secret ID [--grace 24h] (JSON may be - for stdin; docs/webhooks.md)");
}

bool WebhookEndpointCommand::readObject(const QString &argument, QJsonObject *object,
                                        QString *errorString)
{
    QByteArray text = argument.toUtf8();
    if (argument == u"-") {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            *errorString = HostTr::tr("cannot read stdin");
            return false;
        }
        text = in.read(MaxDefinitionBytes + 1);
        if (text.size() > MaxDefinitionBytes) {
            *errorString = HostTr::tr("the definition on stdin is larger than %1 bytes")
                                   .arg(MaxDefinitionBytes);
            return false;
        }
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        *errorString = HostTr::tr("the definition is not valid JSON: %1 at byte %2")
                               .arg(error.errorString())
                               .arg(error.offset);
        return false;
    }
    if (!document.isObject()) {
        *errorString = HostTr::tr("the definition must be a JSON object, like "
                                  "'{\"url\": \"https://hooks.example.com/pyrite\"}'");
        return false;
    }
    *object = document.object();
    return true;
}

int WebhookEndpointCommand::answer(const WebhookService::EndpointAnswer &answer) const
{
    for (const QString &warning : answer.warnings)
        printErr(HostTr::tr("pyrite-host webhooks: warning: %1").arg(warning));
    if (answer.failure != WebhookService::Failure::None) {
        printErr(HostTr::tr("pyrite-host webhooks %1: %2").arg(m_operation, answer.error));
        return 1;
    }
    printOut(QString::fromUtf8(QJsonDocument(answer.endpoint).toJson(QJsonDocument::Compact)));
    if (answer.endpoint.contains(QLatin1String("secret")))
        printErr(HostTr::tr("pyrite-host webhooks: the secret is shown only now; give it to the "
                            "receiver to verify signatures"));
    return 0;
}

int WebhookEndpointCommand::run(WebhookService *service) const
{
    QString error;
    if (m_operation == u"list") {
        QList<QJsonObject> endpoints;
        if (!service->listWebhookEndpoints(&endpoints, &error)) {
            printErr(HostTr::tr("pyrite-host webhooks: %1").arg(error));
            return 1;
        }
        for (const QJsonObject &endpoint : std::as_const(endpoints))
            printOut(QString::fromUtf8(QJsonDocument(endpoint).toJson(QJsonDocument::Compact)));
        return 0;
    }
    if (m_operation == u"delete")
        return answer(service->deleteWebhookEndpoint(m_arguments.at(0)));
    if (m_operation == u"rotate-secret")
        return answer(service->rotateWebhookSecret(m_arguments.at(0), m_graceMs));
    QJsonObject definition;
    if (!readObject(m_arguments.constLast(), &definition, &error)) {
        printErr(HostTr::tr("pyrite-host webhooks %1: %2").arg(m_operation, error));
        return 1;
    }
    return answer(m_operation == u"create"
                          ? service->createWebhookEndpoint(definition)
                          : service->updateWebhookEndpoint(m_arguments.at(0), definition));
}

} // namespace Pyrite::Host
