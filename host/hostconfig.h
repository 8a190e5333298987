#pragma once

#include "interface/pyritetypes.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Host {

// One item of the "plugins:" list: either a bare name or {name, enabled, settings}.
struct PluginConfig
{
    QString name;
    bool enabled = true;
    QVariantMap settings;
    QString settingsPath; // where the settings stand in the file, for error messages
    int line = 0;
};

// pyrite.yaml as the host reads it. Paths are made absolute against the file's folder.
class HostConfig
{
public:
    bool load(const QString &fileName, QString *errorString);
    // The same from a map already read (a file's root, or defaults: fileName may be empty, and
    // then relative paths are taken from the current folder).
    bool read(const QVariantMap &root, const QString &fileName, const QHash<QString, int> &lines,
              QString *errorString);
    // The data folder when the file names none (before load() or read()); default ~/.pyrite.
    void setDefaultDataDir(const QString &dir) { m_defaultDataDir = dir; }
    // Adds a plugin with no settings to the end of the list (a host's default).
    void addPlugin(const QString &name);

    QString fileName() const { return m_fileName; }
    QHash<QString, int> lines() const { return m_lines; }
    QStringList warnings() const { return m_warnings; }

    QString dataDir() const { return m_dataDir; }
    bool strictPlugins() const { return m_strictPlugins; }
    // Watch mode (docs/config.md): the KB folders' files become hook calls.
    bool watch() const { return m_watch; }
    // How often the host gives freed heap back to the system (MemoryTrimmer); 0: never.
    int memoryTrimSeconds() const { return m_memoryTrimSeconds; }
    QStringList pluginDirs() const { return m_pluginDirs; }
    QList<PluginConfig> plugins() const { return m_plugins; }
    // The file's knowledge_bases, or, when it lists none, those of Pyrite's config.yaml beside it.
    QList<KnowledgeBase> knowledgeBases() const { return m_knowledgeBases; }
    // Pyrite's config.yaml when the KBs come from there; empty otherwise.
    QString knowledgeBasesFrom() const { return m_knowledgeBasesFrom; }

    QString bridgeSocket() const { return m_bridgeSocket; }
    qint64 bridgeMaxLineBytes() const { return m_bridgeMaxLineBytes; }
    int bridgeMaxConnections() const { return m_bridgeMaxConnections; }

    // "~/x" and relative paths resolved against the config file's folder.
    QString resolvePath(const QString &path) const;

private:
    void readBridge(ConfigReader &reader);
    void readKnowledgeBases(ConfigReader &reader);
    void readPyriteKnowledgeBases(ConfigReader &reader);
    void readPlugins(ConfigReader &reader);
    void readTopLevelWebhooks(ConfigReader &reader);

    QString m_fileName;
    QHash<QString, int> m_lines;
    QStringList m_warnings;
    QString m_dataDir;
    QString m_defaultDataDir;
    bool m_strictPlugins = false;
    bool m_watch = false;
    int m_memoryTrimSeconds = 10;
    QStringList m_pluginDirs;
    QList<PluginConfig> m_plugins;
    QList<KnowledgeBase> m_knowledgeBases;
    QString m_knowledgeBasesFrom;
    QString m_bridgeSocket;
    qint64 m_bridgeMaxLineBytes = 1024 * 1024;
    int m_bridgeMaxConnections = 64;
};

} // namespace Pyrite::Host
