#pragma once

// The real event bus plugin, loaded from the build tree with QPluginLoader as the host does,
// initialized, and shut down and unloaded again when this goes out of scope.

#include "interface/pyriteplugin.h"

#include <QDir>
#include <QPluginLoader>

class LoadedPlugin
{
public:
    LoadedPlugin()
        : loader(QDir(QStringLiteral(PYRITE_PLUGIN_DIR))
                         .filePath(QStringLiteral("libpyrite-eventbus.so")))
    { }
    ~LoadedPlugin()
    {
        if (plugin)
            plugin->shutdown();
        loader.unload();
    }
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    // Loads and initializes; on failure *error says why (the loader's or the plugin's message).
    // Unless the settings say otherwise the event log, the stream server and the HTTP side are
    // off, so that no test writes outside its temporary folders or takes a fixed port.
    bool load(QVariantMap settings = {}, const Pyrite::HostContext &context = {},
              QString *error = nullptr)
    {
        // The address serves HTTP whether or not streams are on: nothing listens unless asked.
        if (!settings.contains(QStringLiteral("stream"))) {
            settings.insert(QStringLiteral("stream"),
                            QVariantMap{{QStringLiteral("enabled"), false}});
            settings.insert(QStringLiteral("serve"), QStringLiteral("never"));
        }
        if (!settings.contains(QStringLiteral("event_log")))
            settings.insert(QStringLiteral("event_log"),
                            QVariantMap{{QStringLiteral("driver"), QStringLiteral("none")}});
        if (!loader.load()) {
            if (error)
                *error = loader.errorString();
            return false;
        }
        plugin = qobject_cast<Pyrite::PyritePlugin *>(loader.instance());
        service = qobject_cast<Pyrite::EventBusService *>(loader.instance());
        if (!plugin || !service) {
            if (error)
                *error = QStringLiteral("the library does not implement the plugin interfaces");
            return false;
        }
        if (!plugin->initialize(settings, context, error)) {
            plugin = nullptr; // nothing to shut down
            return false;
        }
        return true;
    }

    QPluginLoader loader;
    Pyrite::PyritePlugin *plugin = nullptr;
    Pyrite::EventBusService *service = nullptr;
};
