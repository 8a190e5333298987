#pragma once

#include "hookregistry.h"
#include "hostconfig.h"
#include "interface/pyritetypes.h"

#include <QObject>

#include <memory>

namespace Pyrite {
class EventBusService;
class EventLogService;
class WebhookService;
namespace Host {
class PluginManager;
}
} // namespace Pyrite

namespace Pyrite::Python {

class MessageQueue;

// What the in-process host is told about Pyrite's process when it starts.
struct HostOptions
{
    QString configFile; // the plugin's pyrite.yaml; a missing file means defaults
    QString dataDir;    // Pyrite's data folder (the log lives below it unless the file says)
    QList<KnowledgeBase> knowledgeBases; // Pyrite's own, from its config
    QStringList pluginDirs;              // searched first (the package's own folder)
    QString hostVersion;                 // Pyrite's version, for the plugin's context
    // For a command that only reads (pyrite events, pyrite webhooks): the log is opened
    // read-only and nothing is served, as for pyrite-host's commands.
    bool readOnly = false;
    bool secretsOptional = false; // HostContext::secretsOptional: a command that signs nothing
};

// Pyrite's process as a host of Qt plugins (docs/python.md): reads pyrite.yaml the way
// pyrite-host does, loads the enabled plugins (the event bus above all) and runs hook calls over
// them with Pyrite's semantics. Lives on the bus thread; every call comes from there.
class InProcessHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(InProcessHost)

public:
    explicit InProcessHost(QObject *parent = nullptr);
    ~InProcessHost() override;

    bool start(const HostOptions &options, QString *errorString);
    // Shuts the plugins down (the event log writes what is still queued) and unloads them.
    void stop();

    Host::HookOutcome runHook(Hook hook, const QVariantMap &entry, const HookContext &context);
    // Errors come back as "plugin: message".
    QStringList notify(Notification notification, const QVariantMap &payload,
                       const HookContext &context);

    // Stored events matching the filter go into queue as CloudEvents JSON, in sequence order.
    // Returns 0 with *errorString for a bad pattern or when no event bus plugin is loaded.
    quint64 subscribe(const QStringList &types, const QString &kb, const QString &entryType,
                      std::shared_ptr<MessageQueue> queue, QString *errorString);
    void unsubscribe(quint64 id);

    // The event bus plugin's read and webhook services; nullptr (with *errorString) when no
    // loaded plugin has one.
    EventLogService *eventLog(QString *errorString) const;
    WebhookService *webhooks(QString *errorString) const;

    // Each configured plugin: "name: state (message)".
    QStringList pluginStates() const;
    QString configFile() const { return m_config.fileName(); }

private:
    bool loadConfig(const HostOptions &options, QString *errorString);

    Host::HostConfig m_config;
    std::unique_ptr<Host::PluginManager> m_plugins;
    Host::HookRegistry m_registry;
    EventBusService *m_bus = nullptr;
};

} // namespace Pyrite::Python
