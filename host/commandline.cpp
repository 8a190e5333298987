#include "commandline.h"

#include "configreader.h"
#include "hosttr.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace Pyrite::Host {

CommandLine::CommandLine()
{
    m_parser.setApplicationDescription(HostTr::tr(
            "Reference host for Pyrite plugins.\n\n"
            "Commands:\n"
            "  run                   load the plugins of pyrite.yaml and serve the bridge "
            "(default)\n"
            "  serve                 the same: the standalone server of Pyrite's event log "
            "(streams, HTTP, webhooks)\n"
            "  plugins               list the plugins found and configured, and why any did not "
            "load\n"
            "  send                  send JSON lines (arguments or stdin) to a running host's "
            "bridge\n"
            "  events                print events from the event log as JSON lines\n"
            "  events verify         check the event log's hash chain; names the first event "
            "that does not match\n"
            "  deliveries            webhook deliveries and their attempts, as JSON lines\n"
            "  redeliver ID|--dead   send a delivery (or every dead one, of --endpoint ID) again\n"
            "  webhook-test URL|ID   send a sample event to URL or an endpoint and print the "
            "answer\n"
            "  webhooks [list]       webhook endpoints, configured and made at run time\n"
            "  webhooks create JSON  make an endpoint (prints its secret once); also update ID "
            "JSON, delete ID, rotate-secret ID"));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addPositionalArgument(
            QStringLiteral("command"),
            HostTr::tr("run, serve, plugins, send, events, deliveries, redeliver, webhook-test or "
                       "webhooks"),
            QStringLiteral("[command]"));
    addRunOptions();
    addEventOptions();
    addWebhookOptions();
}

QCommandLineOption &CommandLine::add(const QString &name, const QString &description,
                                     const QString &valueName, const QString &defaultValue)
{
    QStringList names{name};
    if (name == u"config")
        names.prepend(QStringLiteral("c"));
    m_options.push_back(
            std::make_unique<QCommandLineOption>(names, description, valueName, defaultValue));
    m_parser.addOption(*m_options.back());
    return *m_options.back();
}

const QCommandLineOption &CommandLine::option(const QString &name) const
{
    for (const auto &option : m_options) {
        if (option->names().constLast() == name)
            return *option;
    }
    Q_UNREACHABLE();
}

void CommandLine::addRunOptions()
{
    add(QStringLiteral("config"), HostTr::tr("The pyrite.yaml to use (default: $PYRITE_CONFIG)."),
        QStringLiteral("file"));
    add(QStringLiteral("plugin-dir"),
        HostTr::tr("Also look for plugins in this folder (repeatable; searched first)."),
        QStringLiteral("dir"));
    add(QStringLiteral("print-events"),
        HostTr::tr("Print every event as a CloudEvents JSON line on stdout."));
    add(QStringLiteral("watch"),
        HostTr::tr("run: read the KB folders and turn file changes into hook calls (as \"watch: "
                   "true\" in the config)."));
    add(QStringLiteral("timeout"),
        HostTr::tr("send: give up after this many milliseconds (default 10000)."),
        QStringLiteral("ms"), QStringLiteral("10000"));
}

void CommandLine::addEventOptions()
{
    add(QStringLiteral("since"), HostTr::tr("events: only events after this sequence."),
        QStringLiteral("sequence"), QStringLiteral("0"));
    add(QStringLiteral("type"),
        HostTr::tr("events: event type pattern, e.g. entry.* (repeatable)."),
        QStringLiteral("pattern"));
    add(QStringLiteral("kb"), HostTr::tr("events: only this KB."), QStringLiteral("name"));
    add(QStringLiteral("entry-type"), HostTr::tr("events: only entries of this type."),
        QStringLiteral("type"));
    add(QStringLiteral("epoch"),
        HostTr::tr("events: the epoch --since belongs to; refused if the log has another."),
        QStringLiteral("epoch"));
    add(QStringLiteral("from"),
        HostTr::tr("events: from this time on (RFC 3339, e.g. 2026-11-24T10:00:00Z)."),
        QStringLiteral("time"));
    add(QStringLiteral("until"), HostTr::tr("events: before this time (RFC 3339)."),
        QStringLiteral("time"));
    add(QStringLiteral("follow"),
        HostTr::tr("events: keep printing new events until interrupted."));
    add(QStringLiteral("verbose"),
        HostTr::tr("events, deliveries, redeliver, webhook-test, webhooks: also print what the "
                   "plugins say while they load and unload."));
}

void CommandLine::addWebhookOptions()
{
    add(QStringLiteral("endpoint"),
        HostTr::tr("deliveries, redeliver --dead: only those to this endpoint id."),
        QStringLiteral("id"));
    add(QStringLiteral("state"), HostTr::tr("deliveries: only pending, delivered or dead ones."),
        QStringLiteral("state"));
    add(QStringLiteral("limit"), HostTr::tr("deliveries: at most this many, newest first."),
        QStringLiteral("n"), QStringLiteral("100"));
    add(QStringLiteral("dead"), HostTr::tr("redeliver: every dead delivery."));
    add(QStringLiteral("grace"),
        HostTr::tr("webhooks rotate-secret: how long the old secret signs as well (default 24h)."),
        QStringLiteral("duration"), QStringLiteral("24h"));
}

void CommandLine::process(const QCoreApplication &app)
{
    // parse(), not process(): a mistyped option is said the way our other errors are, with the
    // option it probably meant.
    if (!m_parser.parse(app.arguments())) {
        const QStringList unknown = m_parser.unknownOptionNames();
        const QString message = unknown.isEmpty()
                ? HostTr::tr("pyrite-host: %1; see --help").arg(m_parser.errorText())
                : HostTr::tr("pyrite-host: unknown option --%1%2; see --help")
                          .arg(unknown.constFirst(), suggestionFor(unknown.constFirst()));
        std::fprintf(stderr, "%s\n", qUtf8Printable(message));
        std::exit(2);
    }
    if (m_parser.isSet(QStringLiteral("help")))
        m_parser.showHelp(0);
    if (m_parser.isSet(QStringLiteral("version")))
        m_parser.showVersion();
}

QString CommandLine::suggestionFor(const QString &unknown) const
{
    // The known option at the smallest edit distance, if it is small (a typo, not another word).
    QString best;
    int bestDistance = 3;
    for (const auto &known : m_options) {
        const QString name = known->names().constFirst();
        const int distance = editDistance(unknown, name);
        if (distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    return best.isEmpty() ? QString() : HostTr::tr(" (did you mean --%1?)").arg(best);
}

int CommandLine::editDistance(const QString &a, const QString &b)
{
    // Levenshtein, two rows: option names are short.
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

bool CommandLine::read(HostApplication::Options *options, QString *errorString) const
{
    const auto value = [this](const char *name) {
        return m_parser.value(option(QLatin1String(name)));
    };
    const auto isSet = [this](const char *name) {
        return m_parser.isSet(option(QLatin1String(name)));
    };
    options->configFile = isSet("config") ? value("config") : qEnvironmentVariable("PYRITE_CONFIG");
    options->pluginDirs = m_parser.values(option(QStringLiteral("plugin-dir")));
    options->printEvents = isSet("print-events");
    options->watch = isSet("watch");
    options->verbose = isSet("verbose");
    options->timeoutMs = value("timeout").toInt();
    bool numberOk = false;
    options->since = value("since").toLongLong(&numberOk);
    if (!numberOk || options->since < 0) {
        *errorString = HostTr::tr("pyrite-host: --since takes a sequence number (0 or more), not "
                                  "\"%1\"")
                               .arg(value("since"));
        return false;
    }
    options->types = m_parser.values(option(QStringLiteral("type")));
    options->kb = value("kb");
    options->entryType = value("entry-type");
    options->epoch = value("epoch");
    options->follow = isSet("follow");
    options->endpoint = value("endpoint");
    options->state = value("state");
    options->dead = isSet("dead");
    options->limit = value("limit").toInt(&numberOk);
    if (!numberOk || options->limit < 1) {
        *errorString = HostTr::tr("pyrite-host: --limit takes a number (1 or more), not \"%1\"")
                               .arg(value("limit"));
        return false;
    }
    options->graceMs = ConfigReader::parseDurationMs(value("grace"));
    if (options->graceMs < 0) {
        *errorString = HostTr::tr("pyrite-host: --grace takes a duration like 0s, 30m or 24h, "
                                  "not \"%1\"")
                               .arg(value("grace"));
        return false;
    }
    return readTimes(options, errorString);
}

bool CommandLine::readTimes(HostApplication::Options *options, QString *errorString) const
{
    for (const auto &[name, target] : {std::pair{QStringLiteral("from"), &options->fromMsecs},
                                       std::pair{QStringLiteral("until"), &options->untilMsecs}}) {
        if (!m_parser.isSet(option(name)))
            continue;
        const QString text = m_parser.value(option(name));
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid()) {
            *errorString = HostTr::tr("pyrite-host: --%1 takes an RFC 3339 time, not \"%2\"")
                                   .arg(name, text);
            return false;
        }
        *target = time.toMSecsSinceEpoch();
    }
    return true;
}

int CommandLine::runCommand(HostApplication &host, HostApplication::Options options) const
{
    QStringList positional = m_parser.positionalArguments();
    const QString command = positional.isEmpty() ? QStringLiteral("run") : positional.takeFirst();
    // A command's output is its answer: the plugins' lifecycle lines (log opened, bus ready, ...)
    // only with --verbose. QT_LOGGING_RULES still wins.
    if (command != u"run" && command != u"serve" && command != u"plugins" && !options.verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    if ((command == u"run" || command == u"serve") && positional.isEmpty())
        return host.run(options);
    if (command == u"plugins" && positional.isEmpty())
        return host.listPlugins(options);
    if (command == u"events" && positional.isEmpty())
        return host.events(options);
    if (command == u"events" && positional == QStringList{QStringLiteral("verify")})
        return host.verifyEvents(options);
    if (command == u"deliveries" && positional.isEmpty())
        return host.deliveries(options);
    if ((command == u"redeliver" || command == u"webhook-test") && positional.size() <= 1) {
        options.target = positional.value(0);
        return command == u"redeliver" ? host.redeliver(options) : host.webhookTest(options);
    }
    if (command == u"webhooks") {
        options.webhookArguments = positional;
        return host.webhookEndpoints(options);
    }
    if (command == u"send") {
        options.lines = positional;
        return host.send(options);
    }
    std::fprintf(
            stderr, "%s\n",
            qUtf8Printable(HostTr::tr("pyrite-host: unknown command \"%1\"; see --help")
                                   .arg(positional.isEmpty() ? command : positional.join(u' '))));
    return 2;
}

} // namespace Pyrite::Host
