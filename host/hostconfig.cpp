#include "hostconfig.h"

#include "hosttr.h"

#include "configreader.h"
#include "yamldocument.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Pyrite::Host {

namespace {
bool isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return pattern.match(name).hasMatch();
}
} // namespace

QString HostConfig::resolvePath(const QString &path) const
{
    if (path.isEmpty())
        return path;
    QString expanded = path;
    if (expanded == u"~" || expanded.startsWith(QStringLiteral("~/")))
        expanded = QDir::homePath() + expanded.mid(1);
    const QDir base = QFileInfo(m_fileName).absoluteDir();
    return QDir::cleanPath(base.absoluteFilePath(expanded));
}

bool HostConfig::load(const QString &fileName, QString *errorString)
{
    YamlDocument document;
    if (!document.load(fileName, errorString))
        return false;
    if (document.root().isValid() && document.root().typeId() != QMetaType::QVariantMap) {
        if (errorString)
            *errorString =
                    HostTr::tr("%1: expected a map of settings at the top level").arg(fileName);
        return false;
    }
    return read(document.root().toMap(), QFileInfo(fileName).absoluteFilePath(), document.lines(),
                errorString);
}

bool HostConfig::read(const QVariantMap &root, const QString &fileName,
                      const QHash<QString, int> &lines, QString *errorString)
{
    m_fileName = fileName;
    m_lines = lines;
    ConfigReader reader(root, fileName, m_lines);
    reader.checkKnownKeys({QStringLiteral("data_dir"), QStringLiteral("strict_plugins"),
                           QStringLiteral("plugin_dirs"), QStringLiteral("plugins"),
                           QStringLiteral("knowledge_bases"), QStringLiteral("bridge"),
                           QStringLiteral("watch"), QStringLiteral("memory_trim_seconds"),
                           QStringLiteral("webhooks")});
    m_dataDir = resolvePath(reader.string(QStringLiteral("data_dir"),
                                          m_defaultDataDir.isEmpty() ? QStringLiteral("~/.pyrite")
                                                                     : m_defaultDataDir));
    m_strictPlugins = reader.boolean(QStringLiteral("strict_plugins"), false);
    m_watch = reader.boolean(QStringLiteral("watch"), false);
    m_memoryTrimSeconds = int(reader.integer(QStringLiteral("memory_trim_seconds"), 10, 0, 3600));
    m_pluginDirs.clear();
    for (const QString &dir : reader.stringList(QStringLiteral("plugin_dirs")))
        m_pluginDirs.append(resolvePath(dir));
    readBridge(reader);
    readKnowledgeBases(reader);
    // Watching nothing is a mistake (a misspelt "knowledge_base:" was a warning, and the host
    // ran watching no KB at all).
    if (m_watch && m_knowledgeBases.isEmpty() && !reader.hasErrors())
        reader.addError(QStringLiteral("watch"),
                        HostTr::tr("watch is on, but there is no knowledge base to watch: "
                                   "knowledge_bases is missing or empty"));
    readPlugins(reader);
    readTopLevelWebhooks(reader);
    m_warnings = reader.warnings();
    if (reader.hasErrors()) {
        if (errorString)
            *errorString = reader.errors().join(u'\n');
        return false;
    }
    return true;
}

void HostConfig::readBridge(ConfigReader &reader)
{
    ConfigReader bridge = reader.section(QStringLiteral("bridge"));
    bridge.checkKnownKeys({QStringLiteral("socket"), QStringLiteral("max_line_bytes"),
                           QStringLiteral("max_connections")});
    m_bridgeSocket = bridge.string(QStringLiteral("socket"));
    m_bridgeSocket = m_bridgeSocket.isEmpty()
            ? QDir(m_dataDir).filePath(QStringLiteral("bridge.sock"))
            : resolvePath(m_bridgeSocket);
    m_bridgeMaxLineBytes =
            bridge.integer(QStringLiteral("max_line_bytes"), 1024 * 1024, 1024, 64 * 1024 * 1024);
    m_bridgeMaxConnections = int(bridge.integer(QStringLiteral("max_connections"), 64, 1, 10000));
}

void HostConfig::readKnowledgeBases(ConfigReader &reader)
{
    m_knowledgeBases.clear();
    m_knowledgeBasesFrom.clear();
    if (!reader.contains(QStringLiteral("knowledge_bases"))) {
        readPyriteKnowledgeBases(reader);
        return;
    }
    QSet<QString> kbNames;
    const QVariantList kbs = reader.list(QStringLiteral("knowledge_bases"));
    for (int i = 0; i < kbs.size(); ++i) {
        const QString key = QStringLiteral("knowledge_bases[%1]").arg(i);
        if (kbs.at(i).typeId() != QMetaType::QVariantMap) {
            reader.addError(key,
                            HostTr::tr("expected {name, path}, got %1")
                                    .arg(ConfigReader::typeName(kbs.at(i))));
            continue;
        }
        ConfigReader kb = reader.listItem(QStringLiteral("knowledge_bases"), i);
        kb.checkKnownKeys(
                {QStringLiteral("name"), QStringLiteral("path"), QStringLiteral("description")});
        KnowledgeBase knowledgeBase{kb.requiredString(QStringLiteral("name")),
                                    kb.requiredString(QStringLiteral("path"))};
        if (knowledgeBase.name.isEmpty())
            continue;
        if (!isValidName(knowledgeBase.name))
            kb.addError(QStringLiteral("name"),
                        HostTr::tr("\"%1\" is not a valid KB name (letters, digits, '_', '.', '-')")
                                .arg(knowledgeBase.name));
        if (kbNames.contains(knowledgeBase.name))
            kb.addError(QStringLiteral("name"),
                        HostTr::tr("KB \"%1\" is listed twice").arg(knowledgeBase.name));
        kbNames.insert(knowledgeBase.name);
        knowledgeBase.path = resolvePath(knowledgeBase.path);
        if (!knowledgeBase.path.isEmpty() && !QFileInfo(knowledgeBase.path).isDir())
            kb.addWarning(QStringLiteral("path"),
                          HostTr::tr("folder %1 does not exist").arg(knowledgeBase.path));
        m_knowledgeBases.append(knowledgeBase);
    }
}

void HostConfig::readPyriteKnowledgeBases(ConfigReader &reader)
{
    // Pyrite's own config.yaml beside this file (both live in Pyrite's data folder): its KB list
    // is the one the user keeps, so it is not copied here.
    if (m_fileName.isEmpty())
        return;
    const QString pyriteConfig =
            QFileInfo(m_fileName).absoluteDir().filePath(QStringLiteral("config.yaml"));
    if (!QFileInfo::exists(pyriteConfig))
        return;
    YamlDocument document;
    QString error;
    if (!document.load(pyriteConfig, &error)) {
        reader.addWarning(QString(),
                          HostTr::tr("Pyrite's %1 cannot be read for its knowledge "
                                     "bases: %2")
                                  .arg(pyriteConfig, error));
        return;
    }
    const QVariantList kbs =
            document.root().toMap().value(QStringLiteral("knowledge_bases")).toList();
    for (const QVariant &item : kbs) {
        const QVariantMap kb = item.toMap();
        const QString name = kb.value(QStringLiteral("name")).toString();
        const QString path = kb.value(QStringLiteral("path")).toString();
        if (isValidName(name) && !path.isEmpty())
            m_knowledgeBases.append({name, resolvePath(path)});
    }
    m_knowledgeBasesFrom = pyriteConfig;
}

void HostConfig::readPlugins(ConfigReader &reader)
{
    m_plugins.clear();
    QSet<QString> pluginNames;
    const QVariantList plugins = reader.list(QStringLiteral("plugins"));
    for (int i = 0; i < plugins.size(); ++i) {
        const QString key = QStringLiteral("plugins[%1]").arg(i);
        PluginConfig plugin;
        plugin.line = m_lines.value(key);
        if (plugins.at(i).typeId() == QMetaType::QString) {
            plugin.name = plugins.at(i).toString();
            plugin.settingsPath = key + QStringLiteral(".settings");
        } else if (plugins.at(i).typeId() == QMetaType::QVariantMap) {
            ConfigReader item = reader.listItem(QStringLiteral("plugins"), i);
            item.checkKnownKeys({QStringLiteral("name"), QStringLiteral("enabled"),
                                 QStringLiteral("settings")});
            plugin.name = item.requiredString(QStringLiteral("name"));
            plugin.enabled = item.boolean(QStringLiteral("enabled"), true);
            plugin.settings = item.section(QStringLiteral("settings")).values();
            plugin.settingsPath = item.path(QStringLiteral("settings"));
        } else {
            reader.addError(
                    key,
                    HostTr::tr("expected a plugin name or {name, enabled, settings}, got %1")
                            .arg(ConfigReader::typeName(plugins.at(i))));
            continue;
        }
        if (plugin.name.isEmpty())
            continue;
        if (pluginNames.contains(plugin.name)) {
            reader.addError(key, HostTr::tr("plugin \"%1\" is listed twice").arg(plugin.name));
            continue;
        }
        pluginNames.insert(plugin.name);
        m_plugins.append(plugin);
    }
}

void HostConfig::readTopLevelWebhooks(ConfigReader &reader)
{
    // The seed's spelling: a top-level "webhooks:" list belongs to the event bus plugin, as if it
    // stood in its settings.
    if (!reader.contains(QStringLiteral("webhooks")))
        return;
    auto eventbus = std::find_if(m_plugins.begin(), m_plugins.end(),
                                 [](const PluginConfig &p) { return p.name == u"eventbus"; });
    if (eventbus == m_plugins.end()) {
        reader.addWarning(QStringLiteral("webhooks"),
                          HostTr::tr("ignored: the eventbus plugin is not in \"plugins\""));
        return;
    }
    if (eventbus->settings.contains(QStringLiteral("webhooks"))) {
        reader.addError(QStringLiteral("webhooks"),
                        HostTr::tr("webhooks are given twice: here and in %1.webhooks; keep one")
                                .arg(eventbus->settingsPath));
        return;
    }
    eventbus->settings.insert(QStringLiteral("webhooks"),
                              reader.values().value(QStringLiteral("webhooks")));
    // Their errors name the lines where they stand.
    const QString prefix = eventbus->settingsPath + QStringLiteral(".webhooks");
    const QHash<QString, int> lines = m_lines;
    for (auto it = lines.cbegin(); it != lines.cend(); ++it) {
        if (it.key() == u"webhooks" || it.key().startsWith(QStringLiteral("webhooks[")) ||
            it.key().startsWith(QStringLiteral("webhooks.")))
            m_lines.insert(prefix + it.key().mid(8), it.value());
    }
}

void HostConfig::addPlugin(const QString &name)
{
    PluginConfig plugin;
    plugin.name = name;
    plugin.settingsPath = QStringLiteral("plugins[%1].settings").arg(m_plugins.size());
    m_plugins.append(plugin);
}

} // namespace Pyrite::Host
