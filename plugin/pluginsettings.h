#pragma once

#include "eventlogsettings.h"
#include "streamsettings.h"
#include "webhooksettings.h"
#include "pyritetypes.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// The plugin's settings from pyrite.yaml and the "eventbus:" section of each KB's kb.yaml,
// validated. Documented key by key in docs/config.md.
class PluginSettings
{
public:
    bool load(const QVariantMap &settings, const HostContext &context, QString *errorString);
    QStringList warnings() const { return m_warnings; }

    QString instanceName() const { return m_instanceName; }
    QString locale() const { return m_locale; }
    // KB name -> event data fields left out of published events.
    QHash<QString, QStringList> redactedFields() const { return m_redactedFields; }
    const EventLogSettings &eventLog() const { return m_eventLog; }
    const StreamSettings &stream() const { return m_stream; }
    // Endpoints of pyrite.yaml and of every kb.yaml, with the delivery options.
    const WebhookSettings &webhooks() const { return m_webhooks; }
    // "pyrite.yaml:12: plugins[0].settings.event_log": where errors about the log point.
    QString eventLogLocation() const { return m_eventLogLocation; }
    QString streamLocation() const { return m_streamLocation; }
    QString webhooksLocation() const { return m_webhooksLocation; }

    // "90", "90s", "15m", "12h", "30d" -> seconds; -1 when it is none of these.
    static qint64 parseDuration(const QString &text);

    static QStringList redactableFields();

private:
    bool loadKbFile(const KnowledgeBase &kb, QStringList *errors);
    void loadEventLog(ConfigReader &reader, const HostContext &context);
    void loadStream(ConfigReader &reader);

    QString m_instanceName;
    QString m_locale;
    QHash<QString, QStringList> m_redactedFields;
    QStringList m_warnings;
    EventLogSettings m_eventLog;
    StreamSettings m_stream;
    WebhookSettings m_webhooks;
    QString m_eventLogLocation;
    QString m_streamLocation;
    QString m_webhooksLocation;
};

} // namespace Pyrite::Internal
