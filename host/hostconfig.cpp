#include "hostconfig.h"

#include "hosttr.h"

#include "configreader.h"
#include "yamldocument.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

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
    m_fileName = QFileInfo(fileName).absoluteFilePath();
    m_lines = document.lines();
    if (document.root().isValid() && document.root().typeId() != QMetaType::QVariantMap) {
        if (errorString)
            *errorString =
                    HostTr::tr("%1: expected a map of settings at the top level").arg(fileName);
        return false;
    }

    ConfigReader reader(document.root().toMap(), fileName, m_lines);
    reader.checkKnownKeys({QStringLiteral("data_dir"), QStringLiteral("strict_plugins"),
                           QStringLiteral("plugin_dirs"), QStringLiteral("plugins"),
                           QStringLiteral("knowledge_bases"), QStringLiteral("bridge"),
                           QStringLiteral("watch"), QStringLiteral("memory_trim_seconds")});
    m_dataDir = resolvePath(reader.string(QStringLiteral("data_dir"), QStringLiteral("~/.pyrite")));
    m_strictPlugins = reader.boolean(QStringLiteral("strict_plugins"), false);
    m_watch = reader.boolean(QStringLiteral("watch"), false);
    m_memoryTrimSeconds = int(reader.integer(QStringLiteral("memory_trim_seconds"), 10, 0, 3600));
    m_pluginDirs.clear();
    for (const QString &dir : reader.stringList(QStringLiteral("plugin_dirs")))
        m_pluginDirs.append(resolvePath(dir));

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

    m_knowledgeBases.clear();
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

    m_warnings = reader.warnings();
    if (reader.hasErrors()) {
        if (errorString)
            *errorString = reader.errors().join(u'\n');
        return false;
    }
    return true;
}

} // namespace Pyrite::Host
