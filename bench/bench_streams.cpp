// Stream fan-out (streams issue), measured by wsblast (bench/wsblast.c) in a separate process so
// the client is not the bottleneck. The plugin's path: bus -> event log (SQLite) -> stream server.
//  - idle: 10,000 connections that only stay open: RSS and KB per connection (target <= 25 KB);
//  - steady: 1,000 clients, 200 events/s (200,000 frames/s offered): frames/s delivered and
//    publish-to-receive p50/p99 (target: everything delivered, p99 <= 50 ms);
//  - burst: events published as fast as the bus takes them: frames/s delivered (>= 400,000);
//  - stalled: the burst again with one of the clients never reading: the others' frames/s as a
//    ratio of the burst's (target >= 0.9) and the server's peak RSS;
//  - selective: 10,000 connections, each event matching 1% of them: dispatch cost per event and
//    frames/s delivered at saturation, then the p99 offered half that rate.
//  - bridge: the write path a user drives: the real pyrite-host, events sent as hook calls through
//    its bridge by another process (bench/bridgeload.py, Pyrite's bridge client); 1,000 clients
//    at 200 calls/s, then at saturation on /ws (Pyrite's legacy frames) and on /stream
//    (CloudEvents, one subscription per client), taking turns over three rounds: the medians of
//    frames/s, p99 and their ratio (target >= 0.9).
// usage: bench_streams [--wsblast PATH] [--clients N] [--seconds S] [--phases idle,steady,...]

#include "eventloopwait.h"
#include "hostprocess.h"
#include "latencystats.h"
#include "processmemory.h"
#include "stalledpeer.h"
#include "roomwiring.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>

#include <sys/resource.h>
#include <unistd.h>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
constexpr int SelectiveGroups = 100; // each event matches one group: 1% of the connections

double figure(const QByteArray &output, const char *name)
{
    const QRegularExpression pattern(QStringLiteral("%1: ([-0-9.]+)").arg(QLatin1String(name)));
    return pattern.match(QString::fromLatin1(output)).captured(1).toDouble();
}

// The server under load, with what it takes to publish to it.
class Harness
{
public:
    bool start(int maxConnections, QString *error)
    {
        EventLogSettings logSettings;
        logSettings.path = m_dir.filePath(QStringLiteral("events.sqlite"));
        m_rooms = std::make_unique<RoomWiring>(logSettings);
        if (!m_rooms->openLog({}, error))
            return false;
        StreamSettings settings;
        settings.maxConnections = maxConnections + 10;
        settings.maxConnectionsPerAddress = maxConnections + 10;
        return m_rooms->listen(settings, {}, error);
    }

    StreamServer &server() { return *m_rooms->stream; }
    EventBus &bus() { return m_rooms->bus; }
    quint16 port() const { return m_rooms->port(); }

    // KBs rotate over `kbs` (kb-0 .. kb-<kbs-1>); titles carry wsblast's "t=<epoch ms>" marker.
    void publishOne(int kbs)
    {
        Event event;
        event.setType(QStringLiteral("entry.updated"));
        event.setKb(QStringLiteral("kb-%1").arg(m_published % kbs));
        event.setEntryType(QStringLiteral("note"));
        event.setEntryId(QStringLiteral("note-%1").arg(m_published));
        event.setTitle(QStringLiteral("Note t=%1").arg(QDateTime::currentMSecsSinceEpoch()));
        m_rooms->bus.publish(event);
        ++m_published;
    }
    qint64 published() const { return m_published; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RoomWiring> m_rooms;
    qint64 m_published = 0;
};

struct Blast
{
    int clients = 1000;
    int seconds = 5;
    QByteArray firstFrame;      // empty: idle connections
    double eventsPerSecond = 0; // 0: as fast as possible
    int kbs = 1;
    // Called once all of wsblast's connections are open and admitted, before publishing starts.
    std::function<void()> whenOpen;
};

// Runs wsblast against the server while publishing as `blast` says. Returns wsblast's report.
QByteArray run(const QString &wsblast, Harness &harness, const Blast &blast)
{
    QProcess process;
    QStringList arguments{QStringLiteral("127.0.0.1"), QString::number(harness.port()),
                          QStringLiteral("/stream"), QString::number(blast.clients),
                          QString::number(blast.seconds)};
    if (!blast.firstFrame.isEmpty())
        arguments.append(QString::fromUtf8(blast.firstFrame));
    const int connectionsBefore = harness.server().metrics().connections;
    const int subscriptionsBefore = harness.server().metrics().subscriptions;
    process.start(wsblast, arguments);
    QByteArray errors;
    if (!waitFor(
                [&] {
                    errors += process.readAllStandardError();
                    return errors.contains("open") &&
                            harness.server().metrics().connections >=
                            connectionsBefore + blast.clients;
                },
                120000)) {
        std::printf("error: wsblast did not open its connections (%d admitted): %s\n",
                    harness.server().metrics().connections - connectionsBefore, errors.constData());
        process.kill();
        process.waitForFinished();
        return {};
    }
    // Subscribed, too, before the first event.
    if (!blast.firstFrame.isEmpty())
        waitFor(
                [&] {
                    return harness.server().metrics().subscriptions >=
                            subscriptionsBefore + blast.clients;
                },
                30000);
    if (blast.whenOpen)
        blast.whenOpen();
    QElapsedTimer elapsed;
    elapsed.start();
    const qint64 start = harness.published();
    if (blast.eventsPerSecond > 0) {
        // A tick per event's interval (at least a millisecond), and as a busy event loop
        // coalesces missed ticks, each publishes what is due by now: the offered rate is exactly
        // the one asked for.
        const double perMs = blast.eventsPerSecond / 1000.0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, [&] {
            const qint64 due = start + qint64(double(elapsed.elapsed()) * perMs);
            while (harness.published() < due)
                harness.publishOne(blast.kbs);
        });
        timer.start(std::max(1, int(1000 / blast.eventsPerSecond)));
        waitFor([&] { return process.state() == QProcess::NotRunning; },
                (blast.seconds + 30) * 1000);
    } else if (!blast.firstFrame.isEmpty()) {
        // As fast as the pipeline takes them, from the event loop as a host would publish: a
        // zero-interval timer publishes whenever the loop is idle, while at most MaxInFlight
        // events are published but not yet handed to the clients (the log commits, then the server
        // dispatches), so that a publisher outrunning the log does not turn the run into a
        // backlog released in big late bursts.
        constexpr qint64 MaxInFlight = 2000;
        const quint64 dispatchedBefore = harness.server().metrics().eventsDispatched;
        QTimer publisher;
        QObject::connect(&publisher, &QTimer::timeout, [&] {
            const qint64 inFlight = harness.published() - start -
                    qint64(harness.server().metrics().eventsDispatched - dispatchedBefore);
            if (inFlight < MaxInFlight) {
                for (int i = 0; i < 200; ++i)
                    harness.publishOne(blast.kbs);
            }
        });
        publisher.start(0);
        waitFor([&] { return process.state() == QProcess::NotRunning; },
                (blast.seconds + 30) * 1000);
    } else {
        waitFor([&] { return process.state() == QProcess::NotRunning; },
                (blast.seconds + 30) * 1000);
    }
    process.waitForFinished(10000);
    // Its connections are gone before the next phase starts.
    waitFor([&] { return harness.server().metrics().connections <= connectionsBefore; }, 30000);
    return process.readAllStandardOutput();
}

QByteArray subscribeAll()
{
    return QByteArrayLiteral(R"({"op":"subscribe","id":"s","types":["entry.*"]})");
}

void print(const char *name, double value, const char *unit)
{
    LatencyStats::print(QLatin1String(name), value, unit);
}

// pyrite-host with the event bus plugin, as an operator runs it, taking hook calls on its bridge.
class BridgedHost
{
public:
    BridgedHost()
        : m_host([] {
              QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
              environment.insert(QStringLiteral("PYRITE_PLUGIN_PATH"),
                                 QStringLiteral(PYRITE_PLUGIN_DIR));
              environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                                 QStringLiteral("pyrite.*.info=true"));
              return environment;
          }())
    { }

    bool start(int maxConnections, QString *error)
    {
        const QString kb = m_dir.filePath(QStringLiteral("kb"));
        QDir().mkpath(kb);
        QFile config(m_dir.filePath(QStringLiteral("pyrite.yaml")));
        if (!config.open(QIODevice::WriteOnly)) {
            *error = config.errorString();
            return false;
        }
        config.write(QStringLiteral("data_dir: %1\n"
                                    "knowledge_bases:\n  - {name: bench, path: %2}\n"
                                    "bridge: {socket: %3}\n"
                                    "plugins:\n  - name: eventbus\n    settings:\n"
                                    "      event_log: {driver: sqlite, path: events.sqlite}\n"
                                    "      stream: {address: 127.0.0.1, port: 0, "
                                    "max_connections: %4, max_connections_per_address: %4}\n")
                             .arg(m_dir.path(), kb, socketPath())
                             .arg(maxConnections + 10)
                             .toUtf8());
        config.close();
        if (!m_host.start(config.fileName()) || m_host.port() == 0) {
            *error = QStringLiteral("pyrite-host did not start: %1")
                             .arg(QString::fromUtf8(m_host.log().right(2000)));
            return false;
        }
        return true;
    }
    quint16 port() const { return m_host.port(); }
    // CPU time of all the host's threads so far, from /proc/<pid>/stat (utime + stime).
    double cpuSeconds() const
    {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(m_host.processId()));
        if (!stat.open(QIODevice::ReadOnly))
            return 0;
        // Fields after the command name, which is in parentheses and may hold spaces.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 13)
            return 0;
        const double ticks = double(sysconf(_SC_CLK_TCK));
        return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
    }
    QString socketPath() const { return m_dir.filePath(QStringLiteral("bridge.sock")); }
    ~BridgedHost() { m_host.stop(); }

private:
    QTemporaryDir m_dir;
    HostProcess m_host;
};

// wsblast on path with `clients` connections while bridgeload sends hook calls at `rate` calls/s
// (0: as fast as the host answers). The load starts first and stops after wsblast, so that
// wsblast's window (from the moment all its connections are open) sees it throughout. Returns
// wsblast's report.
QByteArray runThroughBridge(const QString &wsblast, const BridgedHost &host, const QString &path,
                            const QByteArray &firstFrame, int clients, int seconds, int rate)
{
    // Eight writers keep calls in flight while the host's loop is busy with the fan-out (each
    // waits for its call's answer, as Pyrite's writers do).
    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral("python3"),
               {QStringLiteral(PYRITE_SOURCE_DIR "/bench/bridgeload.py"), host.socketPath(),
                QString::number(seconds + 120), QStringLiteral("--rate"), QString::number(rate),
                QStringLiteral("--writers"), QString::number(rate > 0 ? 2 : 8)});
    QByteArray said;
    if (!waitFor(
                [&] {
                    said += load.readAllStandardOutput();
                    return said.contains("ready") || load.state() == QProcess::NotRunning;
                },
                60000) ||
        !said.contains("ready")) {
        std::printf("error: bridgeload did not start calling\n");
        return {};
    }
    QProcess blast;
    QStringList arguments{QStringLiteral("127.0.0.1"), QString::number(host.port()), path,
                          QString::number(clients), QString::number(seconds)};
    if (!firstFrame.isEmpty())
        arguments.append(QString::fromUtf8(firstFrame));
    blast.start(wsblast, arguments);
    waitFor([&] { return blast.state() == QProcess::NotRunning; }, (seconds + 60) * 1000);
    load.terminate();
    load.waitForFinished(10000);
    const QByteArray report = blast.readAllStandardOutput();
    if (!report.contains("frames per s"))
        std::printf("error: wsblast did not report: %s\n",
                    blast.readAllStandardError().constData());
    return report;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2;
}

void bridgePhases(const QString &wsblast, int clients, int seconds)
{
    std::printf("# bridge: pyrite-host, %d clients, hook calls through the bridge from another "
                "process, %d s each\n",
                clients, seconds);
    BridgedHost host;
    QString error;
    if (!host.start(clients, &error)) {
        std::printf("error: %s\n", qPrintable(error));
        return;
    }
    const QByteArray steady = runThroughBridge(wsblast, host, QStringLiteral("/stream"),
                                               subscribeAll(), clients, seconds, 200);
    print("stream_bridge_steady_offered_frames_per_s", 200.0 * clients, "frames/s");
    print("stream_bridge_steady_delivered_frames_per_s", figure(steady, "frames per s"),
          "frames/s");
    print("stream_bridge_steady_latency_p99", figure(steady, "latency p99 ms"), "ms");
    // The host's CPU time per frame received, load and connection set-up included: what a frame
    // costs the server, apart from what the clients and the kernel's copies of more bytes cost on
    // the same two cores.
    const auto framesAndCost = [&](const QString &path, const QByteArray &firstFrame,
                                   double *microsecondsPerFrame) {
        const double cpuBefore = host.cpuSeconds();
        const QByteArray report =
                runThroughBridge(wsblast, host, path, firstFrame, clients, seconds, 0);
        const double frames = figure(report, "frames");
        *microsecondsPerFrame = frames > 0 ? (host.cpuSeconds() - cpuBefore) * 1e6 / frames : 0;
        return report;
    };
    // Saturation on two shared cores swings from one window to the next, so the two paths take
    // turns over several rounds (each starting with the other one in turn), and the figures are
    // the medians: the rates, and the ratio of each round's pair, taken minutes apart at most.
    struct Path
    {
        QList<double> rates, p99s, costs;
    } legacy, stream;
    QList<double> ratios;
    double closedEarly = figure(steady, "closed early");
    const auto measure = [&](const QString &path, const QByteArray &firstFrame, Path *into) {
        double cost = 0;
        const QByteArray report = framesAndCost(path, firstFrame, &cost);
        into->rates.append(figure(report, "frames per s"));
        into->p99s.append(figure(report, "latency p99 ms"));
        into->costs.append(cost);
        closedEarly += figure(report, "closed early");
    };
    constexpr int Rounds = 3;
    for (int round = 0; round < Rounds; ++round) {
        if (round % 2 == 0) {
            measure(QStringLiteral("/ws"), {}, &legacy);
            measure(QStringLiteral("/stream"), subscribeAll(), &stream);
        } else {
            measure(QStringLiteral("/stream"), subscribeAll(), &stream);
            measure(QStringLiteral("/ws"), {}, &legacy);
        }
        const double ratio = legacy.rates.constLast() > 0
                ? stream.rates.constLast() / legacy.rates.constLast()
                : 0;
        ratios.append(ratio);
        std::printf(
                "# round %d: /ws %.0f frames/s (%.2f us host CPU each), /stream %.0f (%.2f us): "
                "%.3f x\n",
                round + 1, legacy.rates.constLast(), legacy.costs.constLast(),
                stream.rates.constLast(), stream.costs.constLast(), ratio);
    }
    // Events per second each client got.
    print("stream_bridge_ws_events_per_s", median(legacy.rates) / clients, "events/s");
    print("stream_bridge_ws_frames_per_s", median(legacy.rates), "frames/s");
    print("stream_bridge_ws_latency_p99", median(legacy.p99s), "ms");
    print("stream_bridge_stream_events_per_s", median(stream.rates) / clients, "events/s");
    print("stream_bridge_stream_frames_per_s", median(stream.rates), "frames/s");
    print("stream_bridge_stream_latency_p99", median(stream.p99s), "ms");
    print("stream_bridge_stream_to_ws_ratio", median(ratios), "x");
    print("stream_bridge_ws_host_cpu_per_frame", median(legacy.costs), "us");
    print("stream_bridge_stream_host_cpu_per_frame", median(stream.costs), "us");
    print("stream_bridge_closed_early", closedEarly, "clients");
}
} // namespace

int main(int argc, char *argv[])
{
    // As pyrite-host does (host/main.cpp): Qt's UNIX event dispatcher, not GLib's.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Stream fan-out benchmarks."));
    parser.addHelpOption();
    const QCommandLineOption wsblastOption(
            QStringLiteral("wsblast"), QStringLiteral("The load client (default: next to this)."),
            QStringLiteral("path"),
            QDir(app.applicationDirPath()).filePath(QStringLiteral("wsblast")));
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
                                           QStringLiteral("Clients for steady, burst, stalled."),
                                           QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption idleOption(QStringLiteral("idle-connections"),
                                        QStringLiteral("Connections for idle and selective."),
                                        QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Seconds per phase."),
                                           QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption phasesOption(
            QStringLiteral("phases"), QStringLiteral("Phases to run, comma-separated."),
            QStringLiteral("list"), QStringLiteral("idle,steady,burst,stalled,selective,bridge"));
    parser.addOptions({wsblastOption, clientsOption, idleOption, secondsOption, phasesOption});
    parser.process(app);
    const QString wsblast = parser.value(wsblastOption);
    const int clients = parser.value(clientsOption).toInt();
    const int many = parser.value(idleOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    const QStringList phases = parser.value(phasesOption).split(u',');
    if (!QFile::exists(wsblast)) {
        std::fprintf(stderr, "error: no load client at %s (--wsblast)\n", qPrintable(wsblast));
        return 2;
    }
    // Every client is a descriptor here and one in wsblast.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    if (rlim_t(many) + 100 > limit.rlim_cur) {
        std::fprintf(stderr, "error: %d connections need more descriptors than the limit %llu\n",
                     many, static_cast<unsigned long long>(limit.rlim_cur));
        return 2;
    }

    Harness harness;
    QString error;
    if (!harness.start(std::max(clients, many), &error)) {
        std::printf("error: %s\n", qPrintable(error));
        return 1;
    }

    // First, on a fresh heap: what an idle connection costs.
    if (phases.contains(u"idle")) {
        std::printf("# idle: %d connections that only stay open\n", many);
        const double before = Pyrite::residentMegabytes();
        const qint64 heapBefore = Pyrite::heapInUseBytes();
        double during = 0;
        qint64 heapDuring = 0;
        Blast blast;
        blast.clients = many;
        blast.seconds = 2;
        blast.whenOpen = [&] {
            during = Pyrite::residentMegabytes();
            heapDuring = Pyrite::heapInUseBytes();
        };
        run(wsblast, harness, blast);
        print("stream_idle_connections", many, "connections");
        print("stream_idle_rss_before", before, "MB");
        print("stream_idle_rss_open", during, "MB");
        print("stream_idle_kb_per_connection", (during - before) * 1024.0 / many, "KB");
        // Allocated, touched or not: what the resident size tends to once connections come and
        // go and new ones land on pages touched before.
        if (heapBefore >= 0)
            print("stream_idle_heap_kb_per_connection",
                  double(heapDuring - heapBefore) / 1024.0 / many, "KB");
    }

    if (phases.contains(u"steady")) {
        std::printf("# steady: %d clients, 200 events/s, %d s\n", clients, seconds);
        Blast blast;
        blast.clients = clients;
        blast.seconds = seconds;
        blast.firstFrame = subscribeAll();
        blast.eventsPerSecond = 200;
        const QByteArray steady = run(wsblast, harness, blast);
        print("stream_steady_offered_frames_per_s", 200.0 * clients, "frames/s");
        print("stream_steady_delivered_frames_per_s", figure(steady, "frames per s"), "frames/s");
        print("stream_steady_latency_p50", figure(steady, "latency p50 ms"), "ms");
        print("stream_steady_latency_p99", figure(steady, "latency p99 ms"), "ms");
        print("stream_steady_closed_early", figure(steady, "closed early"), "clients");
    }
    // Burst and stalled alternate over two rounds and the best of each counts: on a shared 2-core
    // machine one 5 s window can lose seconds to a neighbour, which says nothing about a stalled
    // client.
    const bool stalledPhase = phases.contains(u"stalled");
    if (phases.contains(u"burst") || stalledPhase) {
        std::printf("# burst: %d clients, events as fast as the pipeline takes them, %d s%s\n",
                    clients, seconds,
                    stalledPhase ? "; stalled: the same with one of them never reading" : "");
        double bestBurst = 0;
        double bestStalled = 0;
        double closedEarly = 0;
        double rssStart = Pyrite::residentMegabytes();
        double rssPeak = rssStart;
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout,
                         [&] { rssPeak = std::max(rssPeak, Pyrite::residentMegabytes()); });
        const quint64 closesBefore = harness.server().metrics().slowConsumerCloses;
        for (int round = 0; round < (stalledPhase ? 2 : 1); ++round) {
            Blast blast;
            blast.clients = clients;
            blast.seconds = seconds;
            blast.firstFrame = subscribeAll();
            const QByteArray burst = run(wsblast, harness, blast);
            bestBurst = std::max(bestBurst, figure(burst, "frames per s"));
            closedEarly += figure(burst, "closed early");
            if (!stalledPhase)
                break;
            if (round == 0) {
                rssStart = Pyrite::residentMegabytes();
                rssPeak = rssStart;
            }
            StalledPeer stalled;
            stalled.open(harness.port(), subscribeAll());
            waitFor([&] { return stalled.isUpgraded(); }, 10000);
            sampler.start(50);
            blast.clients = clients - 1;
            const QByteArray output = run(wsblast, harness, blast);
            sampler.stop();
            bestStalled = std::max(bestStalled, figure(output, "frames per s"));
            stalled.abort();
            waitFor([&] { return harness.server().metrics().connections == 0; }, 10000);
        }
        print("stream_burst_delivered_frames_per_s", bestBurst, "frames/s");
        print("stream_burst_closed_early", closedEarly, "clients");
        if (stalledPhase) {
            print("stream_stalled_others_frames_per_s", bestStalled, "frames/s");
            print("stream_stalled_others_throughput_ratio",
                  bestBurst > 0 ? (bestStalled / (clients - 1)) / (bestBurst / clients) : 0,
                  "x burst per client");
            print("stream_stalled_slow_consumer_closes",
                  double(harness.server().metrics().slowConsumerCloses - closesBefore), "clients");
            print("stream_stalled_rss_start", rssStart, "MB");
            print("stream_stalled_rss_peak", rssPeak, "MB");
        }
    }
    if (phases.contains(u"selective")) {
        std::printf("# selective: %d connections in %d KB groups, each event matching 1%%, %d s\n",
                    many, SelectiveGroups, seconds);
        const StreamServer::Metrics before = harness.server().metrics();
        const qint64 publishedBefore = harness.published();
        int subscriptions = 0;
        Blast blast;
        blast.clients = many;
        blast.seconds = seconds;
        blast.kbs = SelectiveGroups;
        blast.firstFrame =
                QByteArrayLiteral(R"({"op":"subscribe","id":"s","filter":{"kb":"kb-{i%100}"}})");
        blast.whenOpen = [&] {
            subscriptions = harness.server().metrics().subscriptions;
        };
        const QByteArray output = run(wsblast, harness, blast);
        const StreamServer::Metrics after = harness.server().metrics();
        const quint64 events = after.eventsDispatched - before.eventsDispatched;
        print("stream_selective_subscriptions", subscriptions, "subscriptions");
        print("stream_selective_events", double(harness.published() - publishedBefore), "events");
        print("stream_selective_dispatch_per_event",
              events ? double(after.dispatchNanoseconds - before.dispatchNanoseconds) / events /
                              1000.0
                     : 0,
              "us");
        print("stream_selective_delivered_frames_per_s", figure(output, "frames per s"),
              "frames/s");
        print("stream_selective_latency_p99", figure(output, "latency p99 ms"), "ms");
        // At saturation the latency is the queue the publisher keeps filled (up to 2,000 events
        // in flight; Little's law: in flight / rate). Offered half the rate just measured, it is
        // what a client waits for an event on a server with room to spare.
        const double saturated = figure(output, "frames per s");
        Blast paced = blast;
        paced.eventsPerSecond = saturated / 2 / (double(many) / SelectiveGroups);
        paced.whenOpen = nullptr;
        const QByteArray pacedOutput = run(wsblast, harness, paced);
        print("stream_selective_paced_offered_frames_per_s",
              paced.eventsPerSecond * many / SelectiveGroups, "frames/s");
        print("stream_selective_paced_delivered_frames_per_s", figure(pacedOutput, "frames per s"),
              "frames/s");
        print("stream_selective_paced_latency_p99", figure(pacedOutput, "latency p99 ms"), "ms");
        print("stream_selective_closed_early",
              figure(output, "closed early") + figure(pacedOutput, "closed early"), "clients");
    }
    if (phases.contains(u"bridge"))
        bridgePhases(wsblast, clients, seconds);
    return 0;
}
