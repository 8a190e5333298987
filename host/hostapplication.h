#pragma once

#include "hostconfig.h"
#include "hookregistry.h"

#include "interface/pyriteplugin.h"

#include <QObject>
#include <QStringList>

#include <memory>

class QTextStream;

namespace Pyrite {
class WebhookService;
}

namespace Pyrite::Host {

class BridgeServer;
class PluginManager;
class KbWatcher;

// The reference host: what Pyrite's plugin host does, as commands (docs in README and --help).
class HostApplication : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(HostApplication)

public:
    struct Options
    {
        QString configFile;
        QStringList pluginDirs;
        bool printEvents = false;
        bool watch = false; // also on with "watch: true" in the config
        QStringList lines;  // for "send"
        int timeoutMs = 10000;
        // for "events"
        qint64 since = 0;
        QStringList types;
        QString kb;
        QString entryType;
        QString epoch;
        qint64 fromMsecs = -1;
        qint64 untilMsecs = -1;
        bool follow = false;
        bool verbose = false; // commands: the plugins' lifecycle lines too
        int followIntervalMs = 250;
        // for "deliveries", "redeliver", "webhook-test"
        QString endpoint;
        QString state;
        int limit = 100;
        bool dead = false;
        QString target; // a delivery id or a URL
        // for "webhooks"
        QStringList webhookArguments; // the operation and its arguments
        qint64 graceMs = 24LL * 3600000;
    };

    explicit HostApplication(QObject *parent = nullptr);
    ~HostApplication() override;

    // Each returns the process exit code; run() and send() start the event loop themselves.
    int run(const Options &options);
    int listPlugins(const Options &options);
    int send(const Options &options);
    int events(const Options &options);
    // "events verify": 0 when the chain is intact, 1 when it is broken or cannot be read.
    int verifyEvents(const Options &options);
    int deliveries(const Options &options);
    int redeliver(const Options &options);
    int webhookTest(const Options &options);
    // "webhooks [list|create|update|delete|rotate-secret]" (WebhookEndpointCommand).
    int webhookEndpoints(const Options &options);

private:
    bool loadConfig(const Options &options);
    void quitSoon(int signalNumber);
    HostContext hostContext(bool readOnly = false, bool secretsOptional = false) const;
    // Loads the plugins for a command that only looks (or makes one explicit change); false, with
    // the reason printed, when the config (*configFailed) or a strict plugin fails. A plugin that
    // fails otherwise is said and left out.
    // secretsOptional: the command signs nothing (HostContext::secretsOptional).
    bool loadPluginsForCommand(const Options &options, bool *configFailed,
                               bool secretsOptional = true);
    // The same, and the webhook service; null, with the reason printed, when none offers it.
    WebhookService *loadWebhookService(const Options &options, const QString &command);
    // The same for "events"; null with *exitCode set (2: bad config, 1: no log) when none.
    EventLogService *loadEventLogService(const Options &options, int *exitCode);
    // Prints the pages after query's position until the end; false (said) when a read fails.
    bool printEvents(EventLogService *log, EventLogService::Query *query, bool *prunedReported);
    void shutdown();
    void startWatching();

    HostConfig m_config;
    std::unique_ptr<PluginManager> m_plugins;
    HookRegistry m_registry;
    BridgeServer *m_bridge = nullptr;
    KbWatcher *m_watcher = nullptr;
};

} // namespace Pyrite::Host
