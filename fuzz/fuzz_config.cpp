// libFuzzer target: any bytes as the event bus plugin's settings in YAML (what pyrite.yaml's
// plugins[0].settings holds: event_log, stream, webhooks, ...). Loading must either succeed or
// fail with messages that each name the file, and never crash or hang, whatever the nesting,
// types or values.

#include "pluginsettings.h"
#include "yamldocument.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Pyrite;
    const QByteArray yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString fileName = QStringLiteral("pyrite.yaml");
    YamlDocument document;
    QString error;
    if (!document.loadFromData(yaml, fileName, &error)) {
        if (!error.startsWith(fileName))
            std::abort();
        return 0;
    }
    HostContext context;
    context.configFile = fileName;
    context.configLines = document.lines();
    context.dataDir = QStringLiteral("/nonexistent/pyrite-fuzz");
    Internal::PluginSettings settings;
    if (settings.load(document.root().toMap(), context, &error))
        return 0;
    if (error.isEmpty())
        std::abort();
    for (const QString &line : error.split(u'\n')) {
        if (!line.startsWith(fileName))
            std::abort();
    }
    return 0;
}
