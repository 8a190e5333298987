#include "hostapplication.h"
#include "translationloader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>

using Pyrite::Host::HostApplication;

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

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main",
            "Reference host for Pyrite plugins.\n\n"
            "Commands:\n"
            "  run                   load the plugins of pyrite.yaml and serve the bridge "
            "(default)\n"
            "  plugins               list the plugins found and configured, and why any did not "
            "load\n"
            "  send                  send JSON lines (arguments or stdin) to a running host's "
            "bridge\n"
            "  events                print events from the event log as JSON lines\n"
            "  deliveries            webhook deliveries and their attempts, as JSON lines\n"
            "  redeliver ID|--dead   send a delivery (or every dead one) again\n"
            "  webhook-test URL      send a sample event to URL and print the answer"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
            QStringLiteral("command"),
            QCoreApplication::translate(
                    "main", "run, plugins, send, events, deliveries, redeliver or webhook-test"),
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
    const QCommandLineOption watchOption(
            QStringLiteral("watch"),
            QCoreApplication::translate("main",
                                        "run: read the KB folders and turn file changes into hook "
                                        "calls (as \"watch: true\" in the config)."));
    const QCommandLineOption timeoutOption(
            QStringLiteral("timeout"),
            QCoreApplication::translate(
                    "main", "send: give up after this many milliseconds (default 10000)."),
            QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption sinceOption(
            QStringLiteral("since"),
            QCoreApplication::translate("main", "events: only events after this sequence."),
            QStringLiteral("sequence"), QStringLiteral("0"));
    const QCommandLineOption typeOption(
            QStringLiteral("type"),
            QCoreApplication::translate("main",
                                        "events: event type pattern, e.g. entry.* (repeatable)."),
            QStringLiteral("pattern"));
    const QCommandLineOption kbOption(QStringLiteral("kb"),
                                      QCoreApplication::translate("main", "events: only this KB."),
                                      QStringLiteral("name"));
    const QCommandLineOption entryTypeOption(
            QStringLiteral("entry-type"),
            QCoreApplication::translate("main", "events: only entries of this type."),
            QStringLiteral("type"));
    const QCommandLineOption epochOption(
            QStringLiteral("epoch"),
            QCoreApplication::translate(
                    "main",
                    "events: the epoch --since belongs to; refused if the log has another."),
            QStringLiteral("epoch"));
    const QCommandLineOption fromOption(
            QStringLiteral("from"),
            QCoreApplication::translate(
                    "main", "events: from this time on (RFC 3339, e.g. 2026-11-24T10:00:00Z)."),
            QStringLiteral("time"));
    const QCommandLineOption untilOption(
            QStringLiteral("until"),
            QCoreApplication::translate("main", "events: before this time (RFC 3339)."),
            QStringLiteral("time"));
    const QCommandLineOption followOption(
            QStringLiteral("follow"),
            QCoreApplication::translate("main",
                                        "events: keep printing new events until interrupted."));
    const QCommandLineOption endpointOption(
            QStringLiteral("endpoint"),
            QCoreApplication::translate("main", "deliveries: only those to this endpoint id."),
            QStringLiteral("id"));
    const QCommandLineOption stateOption(
            QStringLiteral("state"),
            QCoreApplication::translate("main",
                                        "deliveries: only pending, delivered or dead ones."),
            QStringLiteral("state"));
    const QCommandLineOption limitOption(
            QStringLiteral("limit"),
            QCoreApplication::translate("main", "deliveries: at most this many, newest first."),
            QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption deadOption(
            QStringLiteral("dead"),
            QCoreApplication::translate("main", "redeliver: every dead delivery."));
    parser.addOptions({configOption, pluginDirOption, printEventsOption, watchOption, timeoutOption,
                       sinceOption, typeOption, kbOption, entryTypeOption, epochOption, fromOption,
                       untilOption, followOption, endpointOption, stateOption, limitOption,
                       deadOption});
    parser.process(app);

    HostApplication::Options options;
    options.configFile = parser.isSet(configOption) ? parser.value(configOption)
                                                    : qEnvironmentVariable("PYRITE_CONFIG");
    options.pluginDirs = parser.values(pluginDirOption);
    options.printEvents = parser.isSet(printEventsOption);
    options.watch = parser.isSet(watchOption);
    options.timeoutMs = parser.value(timeoutOption).toInt();

    bool numberOk = false;
    options.since = parser.value(sinceOption).toLongLong(&numberOk);
    if (!numberOk || options.since < 0) {
        std::fprintf(
                stderr, "%s\n",
                qUtf8Printable(QCoreApplication::translate("main",
                                                           "pyrite-host: --since takes a sequence "
                                                           "number (0 or more), not \"%1\"")
                                       .arg(parser.value(sinceOption))));
        return 2;
    }
    options.types = parser.values(typeOption);
    options.kb = parser.value(kbOption);
    options.entryType = parser.value(entryTypeOption);
    options.epoch = parser.value(epochOption);
    options.follow = parser.isSet(followOption);
    options.endpoint = parser.value(endpointOption);
    options.state = parser.value(stateOption);
    options.dead = parser.isSet(deadOption);
    options.limit = parser.value(limitOption).toInt(&numberOk);
    if (!numberOk || options.limit < 1) {
        std::fprintf(stderr, "%s\n",
                     qUtf8Printable(QCoreApplication::translate(
                                            "main",
                                            "pyrite-host: --limit takes a number (1 or "
                                            "more), not \"%1\"")
                                            .arg(parser.value(limitOption))));
        return 2;
    }
    for (const auto &[option, target] : {std::pair{&fromOption, &options.fromMsecs},
                                         std::pair{&untilOption, &options.untilMsecs}}) {
        if (!parser.isSet(*option))
            continue;
        const QDateTime time = QDateTime::fromString(parser.value(*option), Qt::ISODateWithMs);
        if (!time.isValid()) {
            std::fprintf(
                    stderr, "%s\n",
                    qUtf8Printable(
                            QCoreApplication::translate(
                                    "main", "pyrite-host: --%1 takes an RFC 3339 time, not \"%2\"")
                                    .arg(option->names().constFirst(), parser.value(*option))));
            return 2;
        }
        *target = time.toMSecsSinceEpoch();
    }

    QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? QStringLiteral("run") : positional.takeFirst();
    HostApplication host;
    if (command == u"run" && positional.isEmpty())
        return host.run(options);
    if (command == u"plugins" && positional.isEmpty())
        return host.listPlugins(options);
    if (command == u"events" && positional.isEmpty())
        return host.events(options);
    if (command == u"deliveries" && positional.isEmpty())
        return host.deliveries(options);
    if ((command == u"redeliver" || command == u"webhook-test") && positional.size() <= 1) {
        options.target = positional.value(0);
        return command == u"redeliver" ? host.redeliver(options) : host.webhookTest(options);
    }
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
