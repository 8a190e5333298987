#pragma once

#include "interface/pyritetypes.h"

#include <QJsonObject>
#include <QObject>
#include <QPluginLoader>
#include <QStringList>

#include <memory>
#include <vector>

namespace Pyrite {
class PyritePlugin;
} // namespace Pyrite

namespace Pyrite::Host {

class HostConfig;

// What the host knows about one plugin, found or configured.
struct PluginRecord
{
    enum class State { Available, Disabled, Loaded, Failed };

    QString id;
    QString name;
    QString version;
    QString description;
    QString fileName;
    bool configured = false;
    State state = State::Available;
    QString message; // why it failed, or a note
};

// Finds plugins in the search paths by reading their metadata (without loading them), then loads,
// checks and initializes the ones pyrite.yaml enables, in the order it lists them.
class PluginManager : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(PluginManager)

public:
    explicit PluginManager(QObject *parent = nullptr);
    ~PluginManager() override;

    // --plugin-dir values, then $PYRITE_PLUGIN_PATH, then the config's plugin_dirs, then the build
    // tree and the installed plugin dir. Folders that do not exist are left out.
    static QStringList searchPathsFor(const QStringList &commandLineDirs,
                                      const QStringList &configDirs);

    void setSearchPaths(const QStringList &paths) { m_searchPaths = paths; }
    QStringList searchPaths() const { return m_searchPaths; }

    // Reads the metadata of every library in the search paths.
    void discover();
    // Loads and initializes the enabled plugins. A plugin that fails is reported and skipped;
    // with strict_plugins the first failure stops loading and is returned as the error.
    bool loadEnabled(const HostConfig &config, const HostContext &context, QString *errorString);
    // shutdown() then unload, in the reverse order of loading.
    void unloadAll();

    QList<PluginRecord> records() const { return m_records; }
    QList<PyritePlugin *> plugins() const;
    // The loaded plugins that also implement an optional interface (EventBusService, ...).
    template<typename Service> QList<Service *> services() const
    {
        QList<Service *> result;
        for (const Loaded &loaded : m_loaded) {
            if (auto *service = qobject_cast<Service *>(loaded.loader->instance()))
                result.append(service);
        }
        return result;
    }

    static QString stateName(PluginRecord::State state);

Q_SIGNALS:
    void pluginLoaded(const QString &id);
    void pluginFailed(const QString &id, const QString &message);

private:
    struct Loaded
    {
        QString id;
        std::unique_ptr<QPluginLoader> loader;
        PyritePlugin *plugin = nullptr;
    };
    struct Candidate
    {
        QString fileName;
        QString iid;
        QJsonObject pyrite; // the "Pyrite" object of the metadata
    };

    bool loadOne(const QString &name, const QVariantMap &settings, const HostContext &context,
                 PluginRecord *record);
    PluginRecord *recordFor(const QString &id);

    QStringList m_searchPaths;
    QList<Candidate> m_candidates;
    QList<PluginRecord> m_records;
    std::vector<Loaded> m_loaded;
};

} // namespace Pyrite::Host
