#include "commandline.h"
#include "hostapplication.h"
#include "translationloader.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Qt's GLib event dispatcher finds socket notifiers by walking a list, so every write to one of
    // N stream clients costs O(N); Qt's own UNIX dispatcher keeps them in a hash. With thousands of
    // WebSocket clients that is 2.5x the throughput (docs/performance.md). Set before the
    // application object exists; an explicit QT_NO_GLIB=0 in the environment still wins.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pyrite-host"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PYRITE_VERSION));

    Pyrite::TranslationLoader translations;
    translations.install(QString());

    Pyrite::Host::CommandLine commandLine;
    commandLine.process(app);
    Pyrite::Host::HostApplication::Options options;
    QString error;
    if (!commandLine.read(&options, &error)) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(error));
        return 2;
    }
    Pyrite::Host::HostApplication host;
    return commandLine.runCommand(host, options);
}
