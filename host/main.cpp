#include "hostapplication.h"
#include "translationloader.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using Pyrite::Host::HostApplication;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pyrite-host"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PYRITE_VERSION));

    Pyrite::TranslationLoader translations;
    translations.install(QString());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main",
            "Reference host for Pyrite plugins.\n\n"
            "Commands:\n"
            "  run       load the plugins of pyrite.yaml and serve the bridge (default)\n"
            "  plugins   list the plugins found and configured, and why any did not load\n"
            "  send      send JSON lines (arguments or stdin) to a running host's bridge"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("main", "run, plugins or send"),
                                 QStringLiteral("[command]"));
    const QCommandLineOption configOption(
            {QStringLiteral("c"), QStringLiteral("config")},
            QCoreApplication::translate("main",
                                        "The pyrite.yaml to use (default: $PYRITE_CONFIG)."),
            QStringLiteral("file"));
    const QCommandLineOption pluginDirOption(
            QStringLiteral("plugin-dir"),
            QCoreApplication::translate(
                    "main", "Also look for plugins in this folder (repeatable; searched first)."),
            QStringLiteral("dir"));
    const QCommandLineOption printEventsOption(
            QStringLiteral("print-events"),
            QCoreApplication::translate("main",
                                        "Print every event as a CloudEvents JSON line on stdout."));
    const QCommandLineOption timeoutOption(
            QStringLiteral("timeout"),
            QCoreApplication::translate(
                    "main", "send: give up after this many milliseconds (default 10000)."),
            QStringLiteral("ms"), QStringLiteral("10000"));
    parser.addOptions({configOption, pluginDirOption, printEventsOption, timeoutOption});
    parser.process(app);

    HostApplication::Options options;
    options.configFile = parser.isSet(configOption) ? parser.value(configOption)
                                                    : qEnvironmentVariable("PYRITE_CONFIG");
    options.pluginDirs = parser.values(pluginDirOption);
    options.printEvents = parser.isSet(printEventsOption);
    options.timeoutMs = parser.value(timeoutOption).toInt();

    QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? QStringLiteral("run") : positional.takeFirst();
    HostApplication host;
    if (command == u"run" && positional.isEmpty())
        return host.run(options);
    if (command == u"plugins" && positional.isEmpty())
        return host.listPlugins(options);
    if (command == u"send") {
        options.lines = positional;
        return host.send(options);
    }
    std::fprintf(
            stderr, "%s\n",
            qUtf8Printable(QCoreApplication::translate(
                                   "main", "pyrite-host: unknown command \"%1\"; see --help")
                                   .arg(positional.isEmpty() ? command : positional.join(u' '))));
    return 2;
}
