#include "inprocesshost.h"

#include "privatepath.h"
#include "messagequeue.h"
#include "pythontr.h"

#include "interface/pyriteplugin.h"
#include "pluginmanager.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace Pyrite::Python {

InProcessHost::InProcessHost(QObject *parent)
    : QObject(parent),
      m_plugins(std::make_unique<Host::PluginManager>())
{ }

InProcessHost::~InProcessHost()
{
    stop();
}

bool InProcessHost::loadConfig(const HostOptions &options, QString *errorString)
{
    m_config.setDefaultDataDir(options.dataDir);
    if (!options.configFile.isEmpty() && QFileInfo::exists(options.configFile)) {
        if (!m_config.load(options.configFile, errorString))
            return false;
    } else if (!m_config.read({}, options.configFile, {}, errorString)) {
        return false;
    }
    // The bus is what this host is for: listed or not, it is loaded (unless listed as disabled).
    const QList<Host::PluginConfig> plugins = m_config.plugins();
    if (std::none_of(plugins.cbegin(), plugins.cend(),
                     [](const Host::PluginConfig &p) { return p.name == u"eventbus"; }))
        m_config.addPlugin(QStringLiteral("eventbus"));
    return true;
}

bool InProcessHost::start(const HostOptions &options, QString *errorString)
{
    if (!loadConfig(options, errorString))
        return false;
    if (QString error; !PrivatePath::makeFolder(m_config.dataDir(), &error)) {
        if (errorString)
            *errorString = PythonTr::tr("the data folder: %1").arg(error);
        return false;
    }
    HostContext context;
    context.hostName = QStringLiteral("pyrite");
    context.hostVersion = options.hostVersion;
    context.configFile = m_config.fileName();
    context.configLines = m_config.lines();
    context.dataDir = m_config.dataDir();
    // Pyrite's own list: the one a user keeps; the file's, if any, is not a second copy to sync.
    context.knowledgeBases = options.knowledgeBases;
    context.inProcess = true;
    context.readOnly = options.readOnly;
    context.secretsOptional = options.secretsOptional;
    m_plugins->setSearchPaths(
            Host::PluginManager::searchPathsFor(options.pluginDirs, m_config.pluginDirs()));
    m_plugins->discover();
    if (!m_plugins->loadEnabled(m_config, context, errorString))
        return false;
    for (PyritePlugin *plugin : m_plugins->plugins())
        m_registry.registerPlugin(plugin);
    m_bus = m_plugins->services<EventBusService>().value(0);
    // Other plugins may fail and be left out, as pyrite-host does; the bus is what this host is
    // for.
    for (const Host::PluginRecord &record : m_plugins->records()) {
        if (record.id == u"eventbus" && record.configured &&
            record.state == Host::PluginRecord::State::Failed) {
            if (errorString)
                *errorString = record.message;
            stop();
            return false;
        }
    }
    return true;
}

void InProcessHost::stop()
{
    m_bus = nullptr;
    m_registry.clear();
    m_plugins->unloadAll();
}

Host::HookOutcome InProcessHost::runHook(Hook hook, const QVariantMap &entry,
                                         const HookContext &context)
{
    return m_registry.run(hook, entry, context);
}

QStringList InProcessHost::notify(Notification notification, const QVariantMap &payload,
                                  const HookContext &context)
{
    return m_registry.notify(notification, payload, context);
}

quint64 InProcessHost::subscribe(const QStringList &types, const QString &kb,
                                 const QString &entryType, std::shared_ptr<MessageQueue> queue,
                                 QString *errorString)
{
    if (!m_bus) {
        if (errorString)
            *errorString =
                    PythonTr::tr("no event bus plugin is loaded (see pyrite.yaml's plugins)");
        return 0;
    }
    return m_bus->subscribeStoredEvents(
            types, kb, entryType, this,
            [queue](const QJsonObject &event) {
                queue->push(QJsonDocument(event).toJson(QJsonDocument::Compact));
            },
            errorString);
}

void InProcessHost::unsubscribe(quint64 id)
{
    if (m_bus)
        m_bus->unsubscribeEvents(id);
}

EventLogService *InProcessHost::eventLog(QString *errorString) const
{
    EventLogService *log = m_plugins->services<EventLogService>().value(0);
    if (!log && errorString)
        *errorString = PythonTr::tr("no loaded plugin keeps an event log (is event_log.driver "
                                    "\"none\" in %1?)")
                               .arg(m_config.fileName());
    return log;
}

WebhookService *InProcessHost::webhooks(QString *errorString) const
{
    WebhookService *service = m_plugins->services<WebhookService>().value(0);
    if (!service && errorString)
        *errorString =
                PythonTr::tr("no loaded plugin sends webhooks (see %1)").arg(m_config.fileName());
    return service;
}

QStringList InProcessHost::pluginStates() const
{
    QStringList states;
    for (const Host::PluginRecord &record : m_plugins->records()) {
        if (!record.configured)
            continue;
        QString line =
                record.id + QStringLiteral(": ") + Host::PluginManager::stateName(record.state);
        if (!record.message.isEmpty())
            line += QStringLiteral(" (") + record.message.section(u'\n', 0, 0) + u')';
        states.append(line);
    }
    return states;
}

} // namespace Pyrite::Python
