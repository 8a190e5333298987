#pragma once

#include "eventlog/eventlogsettings.h"
#include "http/httpsettings.h"
#include "interface/pyritetypes.h"
#include "streams/streamsettings.h"
#include "webhooks/webhooksettings.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// The plugin's settings from pyrite.yaml and the "eventbus:" section of each KB's kb.yaml,
// validated (docs/config.md). Reads the top-level keys and hands each room its section to read.
class PluginSettings
{
public:
    // Whether this process serves (streams, HTTP, webhook dispatch) or only writes to the log.
    enum class Serve {
        Always, // bind the address at start; a port in use is an error (pyrite-host's default)
        Auto,   // bind it once free, after serveAfterMs (default in Pyrite's own processes)
        Never   // only write
    };

    bool load(const QVariantMap &settings, const HostContext &context, QString *errorString);
    QStringList warnings() const { return m_warnings; }

    QString instanceName() const { return m_instanceName; }
    QString locale() const { return m_locale; }
    Serve serve() const { return m_serve; }
    int serveAfterMs() const { return m_serveAfterMs; }
    // KB name -> event data fields left out of published events.
    QHash<QString, QStringList> redactedFields() const { return m_redactedFields; }
    const EventLogSettings &eventLog() const { return m_eventLog; }
    const StreamSettings &stream() const { return m_stream; }
    // The listen address and its access rules (keys of "stream:").
    const HttpSettings &http() const { return m_http; }
    // Endpoints of pyrite.yaml and of every kb.yaml, with the delivery options.
    const WebhookSettings &webhooks() const { return m_webhooks; }
    // "pyrite.yaml:12: plugins[0].settings.stream": where errors about the address point.
    QString streamLocation() const { return m_streamLocation; }

    static QStringList redactableFields();
    // Pyrite functions the Python package wraps for events Pyrite has no hook for (docs/pyrite.md).
    static QStringList wrapperNames();
    QStringList wrappersOff() const { return m_wrappersOff; }

private:
    // secretsOptional: a read-only command's (ConfigReader::setSecretsOptional).
    bool loadKbFile(const KnowledgeBase &kb, bool secretsOptional, QStringList *errors);
    void loadStream(ConfigReader &reader);
    void loadServe(ConfigReader &reader, bool inProcess);
    void loadWrappers(ConfigReader &reader);

    QString m_instanceName;
    QString m_locale;
    Serve m_serve = Serve::Always;
    int m_serveAfterMs = 0;
    QHash<QString, QStringList> m_redactedFields;
    QStringList m_warnings;
    QStringList m_wrappersOff;
    EventLogSettings m_eventLog;
    StreamSettings m_stream;
    HttpSettings m_http;
    WebhookSettings m_webhooks;
    QString m_streamLocation;
};

} // namespace Pyrite::Internal
