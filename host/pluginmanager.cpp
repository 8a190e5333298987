#include "pluginmanager.h"

#include "hosttr.h"

#include "hostconfig.h"
#include "hostlogging.h"
#include "interface/pyriteplugin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLibrary>
#include <QPluginLoader>

namespace Pyrite::Host {

namespace {
constexpr int SupportedInterfaceVersion = 1;
}

PluginManager::PluginManager(QObject *parent)
    : QObject(parent)
{ }

PluginManager::~PluginManager()
{
    unloadAll();
}

QStringList PluginManager::searchPathsFor(const QStringList &commandLineDirs,
                                          const QStringList &configDirs)
{
    QStringList paths = commandLineDirs;
    const QString fromEnvironment = qEnvironmentVariable("PYRITE_PLUGIN_PATH");
    if (!fromEnvironment.isEmpty())
        paths += fromEnvironment.split(u':', Qt::SkipEmptyParts);
    paths += configDirs;
#ifdef PYRITE_BUILD_PLUGIN_DIR
    // The build tree's plugins only for binaries that run from the build tree: an installed host
    // must not pick up a developer's build.
    if (QDir(QCoreApplication::applicationDirPath()) == QDir(QStringLiteral(PYRITE_BUILD_BIN_DIR)))
        paths.append(QStringLiteral(PYRITE_BUILD_PLUGIN_DIR));
#endif
#ifdef PYRITE_INSTALL_PLUGIN_DIR
    paths.append(QDir(QCoreApplication::applicationDirPath())
                         .absoluteFilePath(QStringLiteral("../" PYRITE_INSTALL_PLUGIN_DIR)));
#endif
    QStringList existing;
    for (const QString &path : std::as_const(paths)) {
        const QString clean = QDir::cleanPath(QDir(path).absolutePath());
        if (QFileInfo(clean).isDir() && !existing.contains(clean))
            existing.append(clean);
    }
    return existing;
}

void PluginManager::discover()
{
    m_candidates.clear();
    m_records.clear();
    for (const QString &path : std::as_const(m_searchPaths)) {
        const QFileInfoList files =
                QDir(path).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &file : files) {
            if (!QLibrary::isLibrary(file.fileName()))
                continue;
            QPluginLoader loader(file.absoluteFilePath());
            const QJsonObject metaData = loader.metaData();
            if (metaData.isEmpty()) {
                qCDebug(lcHostPlugins).noquote()
                        << file.absoluteFilePath() << "is not a Qt plugin; skipped";
                continue;
            }
            const QJsonObject pyrite = metaData.value(QLatin1String("MetaData"))
                                               .toObject()
                                               .value(QLatin1String("Pyrite"))
                                               .toObject();
            const QString id = pyrite.value(QLatin1String("Id")).toString();
            if (id.isEmpty()) {
                qCDebug(lcHostPlugins).noquote()
                        << file.absoluteFilePath() << "has no Pyrite metadata; skipped";
                continue;
            }
            if (recordFor(id)) {
                qCInfo(lcHostPlugins).noquote()
                        << "plugin" << id << "in" << file.absoluteFilePath()
                        << "is shadowed by one found earlier in the search path";
                continue;
            }
            m_candidates.append(Candidate{file.absoluteFilePath(),
                                          metaData.value(QLatin1String("IID")).toString(), pyrite});
            PluginRecord record;
            record.id = id;
            record.name = pyrite.value(QLatin1String("Name")).toString(id);
            record.version = pyrite.value(QLatin1String("Version")).toString();
            record.description = pyrite.value(QLatin1String("Description")).toString();
            record.fileName = file.absoluteFilePath();
            record.message = HostTr::tr("not enabled in the plugins list");
            m_records.append(record);
        }
    }
}

PluginRecord *PluginManager::recordFor(const QString &id)
{
    for (PluginRecord &record : m_records) {
        if (record.id == id)
            return &record;
    }
    return nullptr;
}

bool PluginManager::loadOne(const QString &name, const QVariantMap &settings,
                            const HostContext &context, PluginRecord *record)
{
    const auto candidate =
            std::find_if(m_candidates.cbegin(), m_candidates.cend(), [&name](const Candidate &c) {
                return c.pyrite.value(QLatin1String("Id")).toString() == name;
            });
    if (candidate == m_candidates.cend()) {
        record->message = m_searchPaths.isEmpty()
                ? HostTr::tr("plugin \"%1\" was not found: no plugin folder exists (use "
                             "--plugin-dir or "
                             "PYRITE_PLUGIN_PATH)")
                          .arg(name)
                : HostTr::tr("plugin \"%1\" was not found in %2")
                          .arg(name, m_searchPaths.join(QStringLiteral(", ")));
        return false;
    }
    if (candidate->iid != QLatin1String(PyritePlugin_iid)) {
        record->message =
                HostTr::tr("%1 implements interface \"%2\", but this host loads \"%3\"")
                        .arg(candidate->fileName, candidate->iid, QLatin1String(PyritePlugin_iid));
        return false;
    }
    const int interfaceVersion =
            candidate->pyrite.value(QLatin1String("InterfaceVersion")).toInt(-1);
    if (interfaceVersion != SupportedInterfaceVersion) {
        record->message =
                HostTr::tr("%1 declares InterfaceVersion %2 in its metadata; this host supports %3")
                        .arg(candidate->fileName)
                        .arg(interfaceVersion)
                        .arg(SupportedInterfaceVersion);
        return false;
    }
    if (record->version.isEmpty()) {
        record->message =
                HostTr::tr("%1 has no \"Version\" in its metadata").arg(candidate->fileName);
        return false;
    }

    auto loader = std::make_unique<QPluginLoader>(candidate->fileName);
    if (!loader->load()) {
        record->message =
                HostTr::tr("cannot load %1: %2").arg(candidate->fileName, loader->errorString());
        return false;
    }
    PyritePlugin *plugin = qobject_cast<PyritePlugin *>(loader->instance());
    if (!plugin) {
        record->message = HostTr::tr("%1 does not implement the Pyrite plugin interface")
                                  .arg(candidate->fileName);
        loader->unload();
        return false;
    }
    QString error;
    if (!plugin->initialize(settings, context, &error)) {
        record->message = HostTr::tr("plugin \"%1\" refused its settings:\n%2").arg(name, error);
        loader->unload();
        return false;
    }
    m_loaded.push_back(Loaded{name, std::move(loader), plugin});
    return true;
}

bool PluginManager::loadEnabled(const HostConfig &config, const HostContext &context,
                                QString *errorString)
{
    for (const PluginConfig &pluginConfig : config.plugins()) {
        PluginRecord *record = recordFor(pluginConfig.name);
        if (!record) {
            m_records.append(PluginRecord{pluginConfig.name,
                                          pluginConfig.name,
                                          {},
                                          {},
                                          {},
                                          true,
                                          PluginRecord::State::Failed,
                                          {}});
            record = &m_records.last();
        }
        record->configured = true;
        if (!pluginConfig.enabled) {
            record->state = PluginRecord::State::Disabled;
            record->message = HostTr::tr("disabled in %1 (enabled: false)").arg(config.fileName());
            continue;
        }
        HostContext pluginContext = context;
        pluginContext.settingsPath = pluginConfig.settingsPath;
        if (loadOne(pluginConfig.name, pluginConfig.settings, pluginContext, record)) {
            record->state = PluginRecord::State::Loaded;
            record->message.clear();
            qCInfo(lcHostPlugins).noquote() << "loaded plugin" << record->id << record->version
                                            << "from" << record->fileName;
            Q_EMIT pluginLoaded(record->id);
            continue;
        }
        record->state = PluginRecord::State::Failed;
        Q_EMIT pluginFailed(record->id, record->message);
        if (config.strictPlugins()) {
            if (errorString)
                *errorString = HostTr::tr("%1\nstrict_plugins is on in %2, so the host stops.")
                                       .arg(record->message, config.fileName());
            return false;
        }
        qCWarning(lcHostPlugins).noquote() << record->message;
        qCWarning(lcHostPlugins).noquote() << "the host goes on without plugin" << record->id;
    }
    return true;
}

void PluginManager::unloadAll()
{
    while (!m_loaded.empty()) {
        Loaded &loaded = m_loaded.back();
        loaded.plugin->shutdown();
        loaded.loader->unload();
        m_loaded.pop_back();
    }
}

QList<PyritePlugin *> PluginManager::plugins() const
{
    QList<PyritePlugin *> result;
    for (const Loaded &loaded : m_loaded)
        result.append(loaded.plugin);
    return result;
}

QString PluginManager::stateName(PluginRecord::State state)
{
    switch (state) {
    case PluginRecord::State::Available:
        return HostTr::tr("available");
    case PluginRecord::State::Disabled:
        return HostTr::tr("disabled");
    case PluginRecord::State::Loaded:
        return HostTr::tr("loaded");
    case PluginRecord::State::Failed:
        return HostTr::tr("failed");
    }
    return QString();
}

} // namespace Pyrite::Host
