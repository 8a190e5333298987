#pragma once

#include "interface/pyritetypes.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

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
    QList<KnowledgeBase> knowledgeBases() const { return m_knowledgeBases; }

    QString bridgeSocket() const { return m_bridgeSocket; }
    qint64 bridgeMaxLineBytes() const { return m_bridgeMaxLineBytes; }
    int bridgeMaxConnections() const { return m_bridgeMaxConnections; }

    // "~/x" and relative paths resolved against the config file's folder.
    QString resolvePath(const QString &path) const;

private:
    QString m_fileName;
    QHash<QString, int> m_lines;
    QStringList m_warnings;
    QString m_dataDir;
    bool m_strictPlugins = false;
    bool m_watch = false;
    int m_memoryTrimSeconds = 10;
    QStringList m_pluginDirs;
    QList<PluginConfig> m_plugins;
    QList<KnowledgeBase> m_knowledgeBases;
    QString m_bridgeSocket;
    qint64 m_bridgeMaxLineBytes = 1024 * 1024;
    int m_bridgeMaxConnections = 64;
};

} // namespace Pyrite::Host
