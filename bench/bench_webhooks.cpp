// Webhook delivery (webhooks issue). The plugin's path: bus -> event log (SQLite) with the outbox
// -> dispatcher -> a receiver in another process (webhooksink, Qt HTTP Server on loopback).
//  - one endpoint: deliveries/s from the first publish to the last 2xx (target >= 5,000/s);
//  - ten endpoints, every event to each: deliveries/s (target >= 10,000/s);
//  - 100,000 pending deliveries queued while no dispatcher runs: RSS with them in the outbox and
//    while they drain (the outbox is read in pages, so it stays flat), and their delivery rate;
//  - the publish path with ten endpoints configured: bus publish median and p99 (target: within
//    1 us, as the foundation's figures).
// usage: bench_webhooks [--sink PATH] [--events N]

#include "eventloopwait.h"
#include "latencystats.h"
#include "processmemory.h"
#include "roomwiring.h"
#include "webhooks/outboxparticipant.h"
#include "webhooks/webhookdispatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>

#include <unistd.h>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
void print(const char *name, double value, const char *unit)
{
    LatencyStats::print(QLatin1String(name), value, unit);
}

class Sink
{
public:
    // One port per endpoint: each stands for a receiving host of its own.
    bool start(const QString &program, int ports)
    {
        m_process.start(program, {QString::number(ports)});
        if (!m_process.waitForReadyRead(10000))
            return false;
        for (const QByteArray &port : m_process.readLine().trimmed().split(' '))
            m_ports.append(quint16(port.toUInt()));
        return m_ports.size() == ports && !m_ports.contains(0);
    }
    QString url(int endpoint) const
    {
        return QStringLiteral("http://127.0.0.1:%1/e%2")
                .arg(m_ports.at(endpoint % m_ports.size()))
                .arg(endpoint);
    }
    ~Sink()
    {
        m_process.closeWriteChannel();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
    QList<quint16> m_ports;
};

// The log with the outbox, the bus feeding it, and (when started) a dispatcher.
class Pipeline
{
public:
    Pipeline(const QString &path, const WebhookSettings &settings)
        : m_settings(settings),
          m_rooms(logSettings(path))
    { }
    bool open(QString *error)
    {
        return m_rooms.openLog(
                {std::make_shared<OutboxParticipant>(m_settings.endpoints, m_settings.historyMs)},
                error);
    }
    void startDispatcher()
    {
        m_dispatcher = std::make_unique<WebhookDispatcher>(m_settings, m_rooms.log.get(),
                                                           QStringLiteral("bench"));
        QObject::connect(m_rooms.log.get(), &EventLog::eventsStored, m_dispatcher.get(),
                         &WebhookDispatcher::wake);
        m_dispatcher->start();
    }
    // Publishes `count` events, letting the loop run between chunks; returns publish timings.
    LatencyStats publish(int count)
    {
        LatencyStats stats;
        stats.reserve(size_t(count));
        QElapsedTimer timer;
        for (int i = 0; i < count; ++i) {
            Event event;
            event.setType(QStringLiteral("entry.updated"));
            event.setKb(QStringLiteral("research"));
            event.setEntryType(QStringLiteral("note"));
            event.setEntryId(QStringLiteral("note-%1").arg(i));
            event.setTitle(QStringLiteral("A note about webhooks"));
            timer.start();
            m_rooms.bus.publish(event);
            stats.add(timer.nsecsElapsed());
            if (i % 500 == 499)
                QCoreApplication::processEvents();
        }
        return stats;
    }
    bool waitStored(quint64 count, int timeoutMs)
    {
        return waitFor([&] { return m_rooms.log->stats().stored >= count; }, timeoutMs);
    }
    WebhookDispatcher *dispatcher() { return m_dispatcher.get(); }

private:
    static EventLogSettings logSettings(const QString &path)
    {
        EventLogSettings settings;
        settings.path = path;
        return settings;
    }

    WebhookSettings m_settings;
    RoomWiring m_rooms;
    std::unique_ptr<WebhookDispatcher> m_dispatcher;
};

WebhookSettings settingsFor(const Sink &sink, int endpoints)
{
    WebhookSettings settings;
    settings.concurrencyPerEndpoint = 8;
    for (int i = 0; i < endpoints; ++i) {
        WebhookEndpoint endpoint;
        endpoint.url = QUrl(sink.url(i));
        endpoint.id = endpoint.url.toString();
        endpoint.allowPrivate = true;
        endpoint.secrets = {QByteArray(32, char('k' + i))};
        settings.endpoints.append(endpoint);
    }
    return settings;
}

// Publishes `events` and returns deliveries per second, from the first publish to the last 2xx.
double throughput(const QString &path, const Sink &sink, int endpoints, int events)
{
    Pipeline pipeline(path, settingsFor(sink, endpoints));
    QString error;
    if (!pipeline.open(&error)) {
        std::printf("error: %s\n", qPrintable(error));
        return 0;
    }
    pipeline.startDispatcher();
    QElapsedTimer elapsed;
    elapsed.start();
    pipeline.publish(events);
    const quint64 expected = quint64(events) * quint64(endpoints);
    if (!waitFor([&] { return pipeline.dispatcher()->metrics().delivered >= expected; }, 300000)) {
        std::printf("error: %llu of %llu deliveries after 5 minutes\n",
                    static_cast<unsigned long long>(pipeline.dispatcher()->metrics().delivered),
                    static_cast<unsigned long long>(expected));
        return 0;
    }
    const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
    if (pipeline.dispatcher()->metrics().failed > 0)
        std::printf("# %llu failed attempts on the way\n",
                    static_cast<unsigned long long>(pipeline.dispatcher()->metrics().failed));
    return double(expected) / seconds;
}
} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1"); // as pyrite-host (host/main.cpp)
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Webhook delivery benchmarks."));
    parser.addHelpOption();
    const QCommandLineOption sinkOption(
            QStringLiteral("sink"), QStringLiteral("The receiver (default: next to this)."),
            QStringLiteral("path"),
            QDir(app.applicationDirPath()).filePath(QStringLiteral("webhooksink")));
    const QCommandLineOption eventsOption(QStringLiteral("events"),
                                          QStringLiteral("Events for the throughput phases."),
                                          QStringLiteral("n"), QStringLiteral("20000"));
    const QCommandLineOption pendingOption(QStringLiteral("pending"),
                                           QStringLiteral("Deliveries for the backlog phase."),
                                           QStringLiteral("n"), QStringLiteral("100000"));
    parser.addOptions({sinkOption, eventsOption, pendingOption});
    parser.process(app);
    const int events = parser.value(eventsOption).toInt();
    const int pending = parser.value(pendingOption).toInt();

    Sink sink;
    if (!sink.start(parser.value(sinkOption), 10)) {
        std::fprintf(stderr, "error: cannot start the receiver %s (--sink)\n",
                     qPrintable(parser.value(sinkOption)));
        return 2;
    }
    QTemporaryDir dir;

    std::printf("# one endpoint, %d events\n", events);
    print("webhook_one_endpoint_deliveries_per_s",
          throughput(dir.filePath(QStringLiteral("one.sqlite")), sink, 1, events), "deliveries/s");

    std::printf("# ten endpoints, %d events to each\n", events / 4);
    print("webhook_ten_endpoints_deliveries_per_s",
          throughput(dir.filePath(QStringLiteral("ten.sqlite")), sink, 10, events / 4),
          "deliveries/s");

    std::printf("# backlog: %d deliveries queued with no dispatcher, then drained\n", pending);
    {
        const double before = Pyrite::residentMegabytes();
        Pipeline pipeline(dir.filePath(QStringLiteral("backlog.sqlite")), settingsFor(sink, 10));
        QString error;
        if (!pipeline.open(&error)) {
            std::printf("error: %s\n", qPrintable(error));
            return 1;
        }
        LatencyStats publish = pipeline.publish(pending / 10);
        if (!pipeline.waitStored(quint64(pending / 10), 120000)) {
            std::printf("error: the log did not store the events\n");
            return 1;
        }
        print("webhook_publish_median_ten_endpoints", publish.percentileMicros(50), "us");
        print("webhook_publish_p99_ten_endpoints", publish.percentileMicros(99), "us");
        const double queued = Pyrite::residentMegabytes();
        double peak = queued;
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout,
                         [&] { peak = std::max(peak, Pyrite::residentMegabytes()); });
        sampler.start(50);
        QElapsedTimer elapsed;
        elapsed.start();
        pipeline.startDispatcher();
        if (!waitFor([&] { return pipeline.dispatcher()->metrics().delivered >= quint64(pending); },
                     600000)) {
            std::printf("error: the backlog did not drain\n");
            return 1;
        }
        const double seconds = double(elapsed.nsecsElapsed()) / 1e9;
        print("webhook_backlog_pending", pending, "deliveries");
        print("webhook_backlog_rss_before", before, "MB");
        print("webhook_backlog_rss_queued", queued, "MB");
        print("webhook_backlog_rss_peak_draining", peak, "MB");
        print("webhook_backlog_drain_deliveries_per_s", double(pending) / seconds, "deliveries/s");
    }
    return 0;
}
