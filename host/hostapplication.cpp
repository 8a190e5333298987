#include "hostapplication.h"

#include "consoleoutput.h"
#include "hosttr.h"
#include "webhookendpointcommand.h"

#include "bridgeprotocol.h"
#include "privatepath.h"
#include "bridgeserver.h"
#include "hostlogging.h"
#include "kbwatcher.h"
#include "memorytrimmer.h"
#include "pluginmanager.h"
#include "interface/pyriteplugin.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSysInfo>
#include <QTimer>

#include <cstdio>

namespace Pyrite::Host {

HostApplication::HostApplication(QObject *parent)
    : QObject(parent),
      m_plugins(std::make_unique<PluginManager>())
{ }

HostApplication::~HostApplication()
{
    shutdown();
}

bool HostApplication::loadConfig(const Options &options)
{
    if (options.configFile.isEmpty()) {
        printErr(
                HostTr::tr("pyrite-host: no config file; pass --config FILE or set PYRITE_CONFIG"));
        return false;
    }
    QString error;
    if (!m_config.load(options.configFile, &error)) {
        printErr(HostTr::tr("pyrite-host: the config has errors:\n%1").arg(error));
        return false;
    }
    for (const QString &warning : m_config.warnings())
        qCWarning(lcHost).noquote() << warning;
    m_plugins->setSearchPaths(
            PluginManager::searchPathsFor(options.pluginDirs, m_config.pluginDirs()));
    m_plugins->discover();
    return true;
}

void HostApplication::quitSoon(int signalNumber)
{
    qCInfo(lcHost) << "signal" << signalNumber << "received; shutting down";
    // Queued: the signal may have come before the event loop started.
    QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                              Qt::QueuedConnection);
}

HostContext HostApplication::hostContext(bool readOnly, bool secretsOptional) const
{
    HostContext context;
    context.readOnly = readOnly;
    context.secretsOptional = secretsOptional;
    context.hostName = QStringLiteral("pyrite-host");
    context.hostVersion = QCoreApplication::applicationVersion();
    context.configFile = m_config.fileName();
    context.configLines = m_config.lines();
    context.dataDir = m_config.dataDir();
    context.knowledgeBases = m_config.knowledgeBases();
    return context;
}

int HostApplication::listPlugins(const Options &options)
{
    if (!loadConfig(options))
        return 2;
    if (QString error; !PrivatePath::makeFolder(m_config.dataDir(), &error))
        printErr(HostTr::tr("pyrite-host: the data folder: %1").arg(error));
    QString error;
    const bool ok = m_plugins->loadEnabled(m_config, hostContext(true, true), &error);
    printOut(HostTr::tr("plugin folders searched: %1")
                     .arg(m_plugins->searchPaths().isEmpty()
                                  ? HostTr::tr("(none exists)")
                                  : m_plugins->searchPaths().join(QStringLiteral(", "))));
    const QList<PluginRecord> records = m_plugins->records();
    if (records.isEmpty())
        printOut(HostTr::tr("no plugins found and none configured"));
    for (const PluginRecord &record : records) {
        QString line =
                QStringLiteral("%1 %2  [%3]%4")
                        .arg(record.id,
                             record.version.isEmpty() ? QStringLiteral("-") : record.version,
                             PluginManager::stateName(record.state),
                             record.configured ? HostTr::tr(" enabled in config") : QString());
        printOut(line);
        if (!record.fileName.isEmpty())
            printOut(QStringLiteral("    ") + HostTr::tr("file: %1").arg(record.fileName));
        if (!record.description.isEmpty())
            printOut(QStringLiteral("    ") + record.description);
        if (!record.message.isEmpty())
            printOut(QStringLiteral("    ") +
                     QString(record.message).replace(u'\n', QStringLiteral("\n    ")));
    }
    if (!ok)
        printErr(error);
    m_plugins->unloadAll();
    return ok ? 0 : 1;
}

int HostApplication::run(const Options &options)
{
    // First thing: a SIGTERM during start-up is acted on once the loop runs, with a clean shutdown.
    SignalWatcher signalWatcher;
    connect(&signalWatcher, &SignalWatcher::terminationRequested, this, &HostApplication::quitSoon);
    if (!loadConfig(options))
        return 2;
    if (options.watch && m_config.knowledgeBases().isEmpty()) {
        printErr(HostTr::tr("pyrite-host: --watch: %1 lists no knowledge base to watch (add "
                            "knowledge_bases)")
                         .arg(m_config.fileName()));
        return 2;
    }
    if (QString error; !PrivatePath::makeFolder(m_config.dataDir(), &error)) {
        printErr(HostTr::tr("pyrite-host: the data folder: %1").arg(error));
        return 2;
    }
    QString error;
    if (!m_plugins->loadEnabled(m_config, hostContext(), &error)) {
        printErr(HostTr::tr("pyrite-host: %1").arg(error));
        return 1;
    }
    for (PyritePlugin *plugin : m_plugins->plugins())
        m_registry.registerPlugin(plugin);

    const QList<EventBusService *> services = m_plugins->services<EventBusService>();
    if (options.printEvents) {
        for (EventBusService *service : services) {
            service->subscribeEvents(
                    {}, {}, {}, this,
                    [](const QJsonObject &event) {
                        printOut(QString::fromUtf8(
                                QJsonDocument(event).toJson(QJsonDocument::Compact)));
                    },
                    nullptr);
        }
    }

    m_bridge = new BridgeServer(&m_registry, this);
    m_bridge->setEventBusServices(services);
    m_bridge->setMetricsServices(m_plugins->services<MetricsService>());
    m_bridge->setMaxLineBytes(m_config.bridgeMaxLineBytes());
    m_bridge->setMaxConnections(m_config.bridgeMaxConnections());
    if (!m_bridge->listen(m_config.bridgeSocket())) {
        printErr(HostTr::tr("pyrite-host: bridge: %1").arg(m_bridge->errorString()));
        shutdown();
        return 1;
    }

    printErr(HostTr::tr("pyrite-host %1 with %2")
                     .arg(QCoreApplication::applicationVersion(), m_config.fileName()));
    for (const PluginRecord &record : m_plugins->records()) {
        if (record.configured) {
            printErr(HostTr::tr("  plugin %1: %2%3")
                             .arg(record.id, PluginManager::stateName(record.state),
                                  record.message.isEmpty() ? QString()
                                                           : QStringLiteral(" (") +
                                                  record.message.section(u'\n', 0, 0) + u')'));
        }
    }
    for (const KnowledgeBase &kb : m_config.knowledgeBases())
        printErr(HostTr::tr("  knowledge base %1: %2").arg(kb.name, kb.path));
    if (!m_config.knowledgeBasesFrom().isEmpty())
        printErr(HostTr::tr("  (knowledge bases from Pyrite's %1)")
                         .arg(m_config.knowledgeBasesFrom()));
    printErr(HostTr::tr("  bridge: %1 (JSON lines, see docs/bridge.md; try: pyrite-host send "
                        "--config %2 "
                        "'{\"op\":\"ping\"}')")
                     .arg(m_bridge->socketPath(), m_config.fileName()));
    if (options.watch || m_config.watch())
        startWatching();
    (new MemoryTrimmer(this))->start(m_config.memoryTrimSeconds() * 1000);
    printErr(HostTr::tr("ready; Ctrl+C stops"));

    const int code = QCoreApplication::exec();
    shutdown();
    return code;
}

void HostApplication::startWatching()
{
    m_watcher = new KbWatcher(&m_registry, this);
    connect(m_watcher, &KbWatcher::problemFound, this,
            [](const QString &message) { printErr(HostTr::tr("  watch: %1").arg(message)); });
    connect(m_watcher, &KbWatcher::problemsChanged, this,
            [this](const QString &kb, const QStringList &problems) {
                // The graph page lists them (the event bus plugin).
                for (KnowledgeBaseProblems *sink : m_plugins->services<KnowledgeBaseProblems>())
                    sink->setKnowledgeBaseProblems(kb, problems);
            });
    connect(m_watcher, &KbWatcher::kbScanned, this,
            [](const QString &kb, int entries, int problems, qint64 milliseconds) {
                printErr(HostTr::tr("  watching knowledge base %1: %2 entries read in %3 ms%4")
                                 .arg(kb)
                                 .arg(entries)
                                 .arg(milliseconds)
                                 .arg(problems > 0 ? HostTr::tr(", %1 files skipped (see above)")
                                                             .arg(problems)
                                                   : QString()));
            });
    connect(m_watcher, &KbWatcher::changeApplied, this,
            [](const QString &kb, const QString &entryId, const QString &operation) {
                qCInfo(lcHost).noquote() << "watch:" << operation << kb + u'/' + entryId;
            });
    connect(m_watcher, &KbWatcher::changeVetoed, this,
            [](const QString &kb, const QString &entryId, const QString &message) {
                printErr(HostTr::tr("  watch: a hook refused the change of %1/%2 on disk: %3")
                                 .arg(kb, entryId, message));
            });
    m_watcher->start(m_config.knowledgeBases());
}

void HostApplication::shutdown()
{
    delete m_watcher; // no hook calls from here on
    m_watcher = nullptr;
    if (m_bridge) {
        m_bridge->close();
        delete m_bridge;
        m_bridge = nullptr;
    }
    m_registry.clear();
    m_plugins->unloadAll();
}

int HostApplication::events(const Options &options)
{
    // First thing: a SIGTERM at any point, even before the loop runs, ends the command cleanly.
    SignalWatcher signalWatcher;
    connect(&signalWatcher, &SignalWatcher::terminationRequested, this, &HostApplication::quitSoon);
    int exitCode = 0;
    EventLogService *log = loadEventLogService(options, &exitCode);
    if (!log)
        return exitCode;
    EventLogService::Query query;
    query.afterSequence = options.since;
    query.epoch = options.epoch;
    query.fromMsecs = options.fromMsecs;
    query.untilMsecs = options.untilMsecs;
    query.types = options.types;
    query.kb = options.kb;
    query.entryType = options.entryType;
    query.limit = 1000;

    // One page after another until the end of the log; with --follow, then every interval.
    bool prunedReported = false;
    if (!printEvents(log, &query, &prunedReported))
        exitCode = 1;
    if (exitCode != 0 || !options.follow) {
        m_plugins->unloadAll();
        return exitCode;
    }
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        if (!printEvents(log, &query, &prunedReported))
            QCoreApplication::exit(1);
    });
    poll.start(options.followIntervalMs);
    exitCode = QCoreApplication::exec();
    m_plugins->unloadAll();
    return exitCode;
}

int HostApplication::verifyEvents(const Options &options)
{
    int exitCode = 0;
    EventLogService *log = loadEventLogService(options, &exitCode);
    if (!log)
        return exitCode;
    EventLogService::ChainReport report;
    QString error;
    const bool read = log->verifyChain(&report, &error);
    m_plugins->unloadAll();
    if (!read) {
        printErr(HostTr::tr("pyrite-host events verify: %1").arg(error));
        return 1;
    }
    QJsonObject result{{QStringLiteral("intact"), report.intact},
                       {QStringLiteral("first_sequence"), report.firstSequence},
                       {QStringLiteral("last_sequence"), report.lastSequence},
                       {QStringLiteral("checked"), report.checked},
                       {QStringLiteral("unchained"), report.unchained}};
    if (!report.intact) {
        result.insert(QStringLiteral("broken_at"), report.brokenAt);
        result.insert(QStringLiteral("problem"), report.problem);
    }
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    if (report.intact) {
        printErr(HostTr::tr("pyrite-host events verify: the chain is intact: %1 events checked "
                            "(%2 to %3)%4")
                         .arg(report.checked)
                         .arg(report.firstSequence)
                         .arg(report.lastSequence)
                         .arg(report.unchained > 0 ? HostTr::tr("; %1 older events have no hash")
                                                             .arg(report.unchained)
                                                   : QString()));
        return 0;
    }
    printErr(HostTr::tr("pyrite-host events verify: the chain breaks at sequence %1: %2")
                     .arg(report.brokenAt)
                     .arg(report.problem));
    return 1;
}

bool HostApplication::loadPluginsForCommand(const Options &options, bool *configFailed,
                                            bool secretsOptional)
{
    *configFailed = !loadConfig(options);
    if (*configFailed)
        return false;
    QString error;
    if (!m_plugins->loadEnabled(m_config, hostContext(true, secretsOptional), &error)) {
        printErr(HostTr::tr("pyrite-host: %1").arg(error));
        return false;
    }
    for (const PluginRecord &record : m_plugins->records()) {
        if (record.state == PluginRecord::State::Failed && record.configured)
            printErr(HostTr::tr("pyrite-host: plugin %1: %2").arg(record.id, record.message));
    }
    return true;
}

EventLogService *HostApplication::loadEventLogService(const Options &options, int *exitCode)
{
    bool configFailed = false;
    if (!loadPluginsForCommand(options, &configFailed)) {
        *exitCode = configFailed ? 2 : 1;
        return nullptr;
    }
    const QList<EventLogService *> logs = m_plugins->services<EventLogService>();
    if (logs.isEmpty()) {
        printErr(HostTr::tr("pyrite-host events: no loaded plugin keeps an event log (enable the "
                            "eventbus "
                            "plugin in %1)")
                         .arg(m_config.fileName()));
        *exitCode = 1;
        return nullptr;
    }
    *exitCode = 0;
    return logs.constFirst();
}

bool HostApplication::printEvents(EventLogService *log, EventLogService::Query *query,
                                  bool *prunedReported)
{
    for (;;) {
        EventLogService::Page page;
        QString readError;
        if (!log->readEvents(*query, &page, &readError)) {
            printErr(HostTr::tr("pyrite-host events: %1").arg(readError));
            return false;
        }
        // Asked for a position retention already removed: say so, then go on from the start.
        if (!*prunedReported && query->afterSequence > 0 &&
            query->afterSequence + 1 < page.oldestSequence) {
            printErr(HostTr::tr("pyrite-host events: events %1 to %2 were pruned; the log "
                                "starts at %3")
                             .arg(query->afterSequence + 1)
                             .arg(page.oldestSequence - 1)
                             .arg(page.oldestSequence));
            *prunedReported = true;
        }
        for (const QByteArray &event : std::as_const(page.events)) {
            std::fwrite(event.constData(), 1, size_t(event.size()), stdout);
            std::fputc('\n', stdout);
        }
        std::fflush(stdout);
        query->afterSequence = page.lastSequence;
        query->epoch = page.epoch; // from here on, positions are this log's
        if (!page.more)
            return true;
    }
}

WebhookService *HostApplication::loadWebhookService(const Options &options, const QString &command)
{
    bool configFailed = false;
    // webhook-test signs its sample as deliveries do: it needs the secrets.
    if (!loadPluginsForCommand(options, &configFailed, command != u"webhook-test"))
        return nullptr;
    const QList<WebhookService *> services = m_plugins->services<WebhookService>();
    if (services.isEmpty()) {
        printErr(HostTr::tr("pyrite-host %1: no loaded plugin sends webhooks (enable the eventbus "
                            "plugin "
                            "in %2)")
                         .arg(command, m_config.fileName()));
        return nullptr;
    }
    return services.constFirst();
}

int HostApplication::deliveries(const Options &options)
{
    WebhookService *service = loadWebhookService(options, QStringLiteral("deliveries"));
    if (!service)
        return m_config.fileName().isEmpty() ? 2 : 1;
    // Say why there is nothing rather than print nothing.
    QList<QJsonObject> endpoints;
    QString error;
    if (!service->listWebhookEndpoints(&endpoints, &error)) {
        printErr(HostTr::tr("pyrite-host deliveries: %1").arg(error));
        m_plugins->unloadAll();
        return 1;
    }
    if (endpoints.isEmpty()) {
        printErr(HostTr::tr("pyrite-host deliveries: no webhooks configured (add endpoints under "
                            "webhooks: in %1 or a kb.yaml, or with \"pyrite-host webhooks "
                            "create\"; docs/webhooks.md)")
                         .arg(m_config.fileName()));
        m_plugins->unloadAll();
        return 1;
    }
    WebhookService::DeliveryQuery query;
    query.endpoint = options.endpoint;
    query.state = options.state;
    query.limit = options.limit;
    QList<QJsonObject> deliveries;
    const bool ok = service->listDeliveries(query, &deliveries, &error);
    if (!ok)
        printErr(HostTr::tr("pyrite-host deliveries: %1").arg(error));
    for (const QJsonObject &delivery : std::as_const(deliveries))
        printOut(QString::fromUtf8(QJsonDocument(delivery).toJson(QJsonDocument::Compact)));
    m_plugins->unloadAll();
    return ok ? 0 : 1;
}

int HostApplication::redeliver(const Options &options)
{
    bool isNumber = false;
    const qint64 id = options.target.toLongLong(&isNumber);
    if (options.dead == !options.target.isEmpty() || (!options.dead && (!isNumber || id <= 0))) {
        printErr(
                HostTr::tr("pyrite-host redeliver: give a delivery id (a number from \"pyrite-host "
                           "deliveries\") or --dead"));
        return 2;
    }
    WebhookService *service = loadWebhookService(options, QStringLiteral("redeliver"));
    if (!service)
        return 1;
    int count = 0;
    QString error;
    // --dead --endpoint ID: that endpoint's dead ones only.
    bool ok = options.dead && !options.endpoint.isEmpty()
            ? service->redeliverDeadOf(options.endpoint, &count, &error)
            : service->redeliver(options.dead ? 0 : id, &count, &error);
    if (ok && !options.dead && count == 0) {
        ok = false;
        error = HostTr::tr("no delivery %1").arg(id);
    }
    if (ok)
        printOut(
                HostTr::tr("deliveries pending again: %1; a running host sends them within seconds")
                        .arg(count));
    else
        printErr(HostTr::tr("pyrite-host redeliver: %1").arg(error));
    m_plugins->unloadAll();
    return ok ? 0 : 1;
}

int HostApplication::webhookEndpoints(const Options &options)
{
    const WebhookEndpointCommand command(options.webhookArguments, options.graceMs);
    if (!command.isValid()) {
        printErr(WebhookEndpointCommand::usage());
        return 2;
    }
    WebhookService *service = loadWebhookService(options, QStringLiteral("webhooks"));
    if (!service)
        return m_config.fileName().isEmpty() ? 2 : 1;
    const int exitCode = command.run(service);
    m_plugins->unloadAll();
    return exitCode;
}

int HostApplication::webhookTest(const Options &options)
{
    // A URL, or the id of an endpoint (configured or made at run time), sent to as it is.
    const QUrl url(options.target, QUrl::StrictMode);
    const bool byUrl = url.scheme() == u"http" || url.scheme() == u"https";
    if (options.target.isEmpty() || (byUrl && !url.isValid())) {
        printErr(HostTr::tr("pyrite-host webhook-test: give the URL or the endpoint id to send a "
                            "sample event to"));
        return 2;
    }
    WebhookService *service = loadWebhookService(options, QStringLiteral("webhook-test"));
    if (!service)
        return 1;
    int exitCode = 1;
    bool answered = false;
    const auto done = [&](const QJsonObject &answer) {
        printOut(
                QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Indented)).trimmed());
        exitCode = answer.value(QLatin1String("error")).toString().isEmpty() ? 0 : 1;
        answered = true;
        QCoreApplication::exit(exitCode);
    };
    if (byUrl)
        service->sendTestWebhook(url, this, done);
    else
        service->sendTestToEndpoint(options.target, this, done);
    if (!answered) // a refusal can answer before the loop runs
        QCoreApplication::exec();
    m_plugins->unloadAll();
    return exitCode;
}

int HostApplication::send(const Options &options)
{
    QString error;
    if (options.configFile.isEmpty() || !m_config.load(options.configFile, &error)) {
        printErr(error.isEmpty() ? HostTr::tr("pyrite-host: no config file; pass --config FILE or "
                                              "set PYRITE_CONFIG")
                                 : error);
        return 2;
    }
    QStringList lines = options.lines;
    if (lines.isEmpty()) {
        QTextStream in(stdin);
        while (!in.atEnd()) {
            const QString line = in.readLine();
            if (!line.trimmed().isEmpty())
                lines.append(line);
        }
    }
    if (lines.isEmpty()) {
        printErr(HostTr::tr(
                "pyrite-host send: nothing to send (give JSON lines as arguments or on stdin)"));
        return 2;
    }

    QLocalSocket socket;
    int exitCode = 0;
    // Queued: a failed connect reports itself inside connectToServer(), before exec() runs.
    const auto finish = [] {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
    };
    qsizetype answered = 0;
    QByteArray buffer;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, this, [&] {
        printErr(HostTr::tr("pyrite-host send: no answer from %1 within %2 ms")
                         .arg(m_config.bridgeSocket())
                         .arg(options.timeoutMs));
        exitCode = 1;
        finish();
    });
    connect(&socket, &QLocalSocket::connected, this, [&] {
        for (const QString &line : std::as_const(lines))
            socket.write(line.toUtf8() + '\n');
    });
    connect(&socket, &QLocalSocket::errorOccurred, this, [&] {
        printErr(HostTr::tr("pyrite-host send: cannot reach the bridge at %1: %2 (is pyrite-host "
                            "running?)")
                         .arg(m_config.bridgeSocket(), socket.errorString()));
        exitCode = 1;
        finish();
    });
    connect(&socket, &QLocalSocket::readyRead, this, [&] {
        buffer.append(socket.readAll());
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const QByteArray reply = buffer.left(newline);
            buffer.remove(0, newline + 1);
            printOut(QString::fromUtf8(reply));
            const QJsonObject object = QJsonDocument::fromJson(reply).object();
            if (object.contains(QLatin1String("watch")))
                continue; // an event, not an answer
            if (!object.value(QLatin1String("ok")).toBool())
                exitCode = 1;
            if (++answered == lines.size() && !object.value(QLatin1String("watching")).toBool())
                finish();
        }
    });
    timeout.start(options.timeoutMs);
    socket.connectToServer(m_config.bridgeSocket());
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Pyrite::Host
