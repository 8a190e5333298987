// Stream fan-out (streams issue), measured by ../shared/tools/wsblast in a separate process so
// the client is not the bottleneck. The plugin's path: bus -> event log (SQLite) -> stream server.
//  - steady: 1,000 clients, 200 events/s (200,000 frames/s offered): frames/s delivered and
//    publish-to-receive p50/p99 (target: everything delivered, p99 <= 50 ms);
//  - burst: events published as fast as the bus takes them: frames/s delivered (>= 400,000).
// usage: bench_streams WSBLAST [CLIENTS [SECONDS]]

#include "eventbus.h"
#include "eventlog.h"
#include "eventloopwait.h"
#include "latencystats.h"
#include "streamserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
double figure(const QByteArray &output, const char *name)
{
    const QRegularExpression pattern(QStringLiteral("%1: ([-0-9.]+)").arg(QLatin1String(name)));
    return pattern.match(QString::fromLatin1(output)).captured(1).toDouble();
}

// Runs wsblast against the server while `publish` is called every `intervalMs` (0: as fast as
// possible, yielding to the event loop every 200 events). Returns wsblast's report.
QByteArray run(const QString &wsblast, quint16 port, int clients, int seconds, int intervalMs,
               EventBus *bus)
{
    QProcess blast;
    blast.start(wsblast,
                {QStringLiteral("127.0.0.1"), QString::number(port), QStringLiteral("/stream"),
                 QString::number(clients), QString::number(seconds),
                 QStringLiteral(R"({"op":"subscribe","id":"s","types":["entry.*"]})")});
    QByteArray errors;
    if (!waitFor([&] { return (errors += blast.readAllStandardError()).contains("open"); },
                 60000)) {
        std::printf("error: wsblast did not open its connections: %s\n", errors.constData());
        return {};
    }
    int n = 0;
    const auto publishOne = [&] {
        Event event;
        event.setType(QStringLiteral("entry.updated"));
        event.setKb(QStringLiteral("research"));
        event.setEntryType(QStringLiteral("note"));
        event.setEntryId(QStringLiteral("note-%1").arg(n++));
        event.setTitle(QStringLiteral("Note t=%1").arg(QDateTime::currentMSecsSinceEpoch()));
        bus->publish(event);
    };
    QElapsedTimer elapsed;
    elapsed.start();
    if (intervalMs > 0) {
        // A busy event loop coalesces missed timer ticks: publish what is due by now, so the
        // offered rate is exactly one event per interval.
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, bus, [&] {
            const qint64 due = elapsed.elapsed() / intervalMs;
            while (n < due)
                publishOne();
        });
        timer.start(intervalMs);
        waitFor([&] { return blast.state() == QProcess::NotRunning; }, (seconds + 30) * 1000);
    } else {
        while (blast.state() != QProcess::NotRunning && elapsed.elapsed() < (seconds + 30) * 1000) {
            for (int i = 0; i < 200; ++i)
                publishOne();
            QCoreApplication::processEvents();
        }
    }
    blast.waitForFinished(10000);
    return blast.readAllStandardOutput();
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_streams WSBLAST [CLIENTS [SECONDS]]\n");
        return 2;
    }
    const QString wsblast = QString::fromLocal8Bit(argv[1]);
    const int clients = argc > 2 ? QByteArray(argv[2]).toInt() : 1000;
    const int seconds = argc > 3 ? QByteArray(argv[3]).toInt() : 5;
    // Every client is a descriptor here and one in wsblast.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    QTemporaryDir dir;
    EventBus bus;
    EventLogSettings logSettings;
    logSettings.path = dir.filePath(QStringLiteral("events.sqlite"));
    EventLog log(logSettings);
    QString error;
    if (!log.open(false, &error)) {
        std::printf("error: %s\n", qPrintable(error));
        return 1;
    }
    QObject::connect(&bus, &EventBus::eventPublished, &log,
                     [&log](const Event &event) { log.append(event); });
    StreamServer server(&bus, &log);
    StreamSettings settings;
    settings.port = 0;
    settings.maxConnectionsPerAddress = clients + 10;
    if (!server.listen(settings, &error)) {
        std::printf("error: %s\n", qPrintable(error));
        return 1;
    }

    std::printf("# steady: %d clients, 200 events/s, %d s (wsblast in a separate process)\n",
                clients, seconds);
    const QByteArray steady = run(wsblast, server.port(), clients, seconds, 5, &bus);
    LatencyStats::print(QStringLiteral("stream_steady_offered_frames_per_s"), 200.0 * clients,
                        "frames/s");
    LatencyStats::print(QStringLiteral("stream_steady_delivered_frames_per_s"),
                        figure(steady, "frames per s"), "frames/s");
    LatencyStats::print(QStringLiteral("stream_steady_latency_p50"),
                        figure(steady, "latency p50 ms"), "ms");
    LatencyStats::print(QStringLiteral("stream_steady_latency_p99"),
                        figure(steady, "latency p99 ms"), "ms");
    LatencyStats::print(QStringLiteral("stream_steady_closed_early"),
                        figure(steady, "closed early"), "clients");

    std::printf("# burst: %d clients, events as fast as the bus takes them, %d s\n", clients,
                seconds);
    const QByteArray burst = run(wsblast, server.port(), clients, seconds, 0, &bus);
    LatencyStats::print(QStringLiteral("stream_burst_delivered_frames_per_s"),
                        figure(burst, "frames per s"), "frames/s");
    LatencyStats::print(QStringLiteral("stream_burst_closed_early"), figure(burst, "closed early"),
                        "clients");
    const StreamServer::Metrics metrics = server.metrics();
    LatencyStats::print(QStringLiteral("stream_slow_consumer_closes"),
                        double(metrics.slowConsumerCloses), "clients");
    return 0;
}
