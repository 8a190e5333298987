#pragma once

#include "interface/pyriteplugin.h"

#include <QStringList>

namespace Pyrite::Host {

// "pyrite-host webhooks ...": the endpoints made at run time, the same operations as the HTTP API
// (docs/webhooks.md), on the event log a config names, with or without a host serving it:
//   webhooks [list]                    every endpoint, configured and runtime, as JSON lines
//   webhooks create JSON|-             the definition as a JSON object (- reads stdin)
//   webhooks update ID JSON|-          the keys to change (null: back to the default)
//   webhooks delete ID
//   webhooks rotate-secret ID          a new secret; the old one signs for --grace as well
// A made or rotated secret is printed once, with a line on stderr that says so.
class WebhookEndpointCommand
{
public:
    // Arguments after "webhooks"; graceMs for rotate-secret.
    WebhookEndpointCommand(const QStringList &arguments, qint64 graceMs);

    // Whether the arguments name an operation this command has, with its number of arguments.
    bool isValid() const;
    static QString usage();
    // The exit code: 0 done, 1 refused or failed (the message says why).
    int run(WebhookService *service) const;

private:
    // The JSON object of an argument, or of stdin for "-"; false with a message otherwise.
    static bool readObject(const QString &argument, QJsonObject *object, QString *errorString);
    int answer(const WebhookService::EndpointAnswer &answer) const;

    QString m_operation;
    QStringList m_arguments;
    qint64 m_graceMs;
};

} // namespace Pyrite::Host
