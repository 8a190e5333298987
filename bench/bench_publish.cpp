// Hook call to event on the bus, on the host thread, event log off: the path every Pyrite write
// takes. HookAdapter::handleHook is what EventBusPlugin::callHook forwards to. Printed for 0, 1
// and 100 in-process subscribers (EventBus::subscribe), and for subscribers that take the event
// as CloudEvents JSON (EventBusService::subscribeEvents, one conversion per event).
// Targets (foundation issue): median <= 5 us, p99 <= 50 us, >= 200,000 events/s on one core.

#include "bus/eventbus.h"
#include "bus/hookadapter.h"
#include "latencystats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>

#include <chrono>

using namespace Pyrite;

namespace {
QVariantMap makeEntry(int i)
{
    QVariantList links;
    for (int l = 0; l < 3; ++l)
        links.append(
                QVariantMap{{QStringLiteral("target"), QStringLiteral("note-%1").arg(i + l + 1)},
                            {QStringLiteral("relation"), QStringLiteral("related")}});
    return {{QStringLiteral("id"), QStringLiteral("note-%1").arg(i)},
            {QStringLiteral("title"), QStringLiteral("A note about event buses, number %1").arg(i)},
            {QStringLiteral("type"), QStringLiteral("note")},
            {QStringLiteral("tags"),
             QStringList{QStringLiteral("architecture"), QStringLiteral("qt")}},
            {QStringLiteral("links"), links},
            {QStringLiteral("body"), QString(1024, u'x')}};
}

void run(const QString &label, int subscribers, bool json, int iterations)
{
    EventBus bus;
    Internal::HookAdapter adapter(&bus);
    quint64 touched = 0;
    QJsonObject cached;
    QString cachedId;
    for (int s = 0; s < subscribers; ++s) {
        if (json) {
            // What EventBusPlugin::subscribeEvents does, with the per-event conversion shared.
            bus.subscribe(EventFilter(), &bus, [&](const Event &e) {
                if (cachedId != e.id()) {
                    cached = e.toJsonObject();
                    cachedId = e.id();
                }
                touched += quint64(cached.size());
            });
        } else {
            bus.subscribe(EventFilter(), &bus,
                          [&touched](const Event &e) { touched += quint64(e.id().size()); });
        }
    }
    QList<QVariantMap> entries;
    for (int i = 0; i < 1000; ++i)
        entries.append(makeEntry(i));
    HookContext context;
    context.kbName = QStringLiteral("research");
    context.user = QStringLiteral("alice");
    context.operation = QStringLiteral("create");

    for (int i = 0; i < iterations / 10; ++i) // warm-up
        adapter.handleHook(Hook::AfterSave, entries.at(i % 1000), context);

    LatencyStats stats;
    stats.reserve(size_t(iterations));
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        adapter.handleHook(Hook::AfterSave, entries.at(i % 1000), context);
        stats.add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    const double seconds = double(total.nsecsElapsed()) / 1e9;
    // Throughput without the per-call clock reads.
    QElapsedTimer bulk;
    bulk.start();
    for (int i = 0; i < iterations; ++i)
        adapter.handleHook(Hook::AfterSave, entries.at(i % 1000), context);
    const double bulkSeconds = double(bulk.nsecsElapsed()) / 1e9;

    LatencyStats::print(QStringLiteral("publish_median_%1").arg(label), stats.percentileMicros(50),
                        "us");
    LatencyStats::print(QStringLiteral("publish_p99_%1").arg(label), stats.percentileMicros(99),
                        "us");
    LatencyStats::print(QStringLiteral("publish_rate_%1").arg(label),
                        double(iterations) / bulkSeconds, "events/s");
    Q_UNUSED(seconds);
    if (touched == 0 && subscribers > 0)
        std::printf("error: subscribers were not called\n");
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    // usage: bench_publish [CALLS [CASE]]; CASE picks one of the labels below (for profiling).
    const int iterations = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    const QString only = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    std::printf("# hook call -> event on the bus, %d calls per case, one thread\n", iterations);
    const struct
    {
        const char *label;
        int subscribers;
        bool json;
    } cases[] = {{"0subs", 0, false},
                 {"1subs", 1, false},
                 {"100subs", 100, false},
                 {"1json_subs", 1, true},
                 {"100json_subs", 100, true}};
    for (const auto &c : cases) {
        if (only.isEmpty() || only == QLatin1String(c.label))
            run(QLatin1String(c.label), c.subscribers, c.json, iterations);
    }
    return 0;
}
