// Filter dispatch with 10,000 subscriptions where 1% match an event: the subscription index
// against a scan over every filter, in the same run. Target (foundation issue): <= 10 us per event.

#include "bus/eventbus.h"
#include "latencystats.h"
#include "bus/subscriptionindex.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>

using namespace Pyrite;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int subscriptions = 10000;
    const int kbs = 100; // 100 subscriptions per KB: an event of one KB matches 1% of them
    const int events = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;
    const QStringList patterns{QStringLiteral("entry.*"), QStringLiteral("*"),
                               QStringLiteral("entry.created"), QStringLiteral("entry.c*")};

    EventBus bus;
    std::vector<EventFilter> filters;
    quint64 delivered = 0;
    for (int i = 0; i < subscriptions; ++i) {
        EventFilter filter;
        filter.setTypePatterns({patterns.at(i % patterns.size())}, nullptr);
        filter.setKb(QStringLiteral("kb%1").arg(i % kbs));
        filters.push_back(filter);
        bus.subscribe(filter, &bus, [&delivered](const Event &) { ++delivered; });
    }
    std::vector<Event> samples;
    for (int k = 0; k < kbs; ++k) {
        Event event;
        event.setType(QStringLiteral("entry.created"));
        event.setKb(QStringLiteral("kb%1").arg(k));
        event.setEntryType(QStringLiteral("note"));
        event.setEntryId(QStringLiteral("n%1").arg(k));
        event.setId(QStringLiteral("01J00000000000000000000000")); // stamped: publish keeps it
        event.setSource(QStringLiteral("pyrite://bench/kb/kb%1").arg(k));
        samples.push_back(event);
    }

    std::printf("# %d subscriptions, %d KBs, each event matches %d (1%%); %d events\n",
                subscriptions, kbs, subscriptions / kbs, events);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i)
        bus.publish(samples[size_t(i % kbs)]);
    const double busSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (delivered != quint64(events) * quint64(subscriptions / kbs))
        std::printf("error: delivered %llu, expected %llu\n", delivered,
                    quint64(events) * quint64(subscriptions / kbs));

    Internal::SubscriptionIndex index;
    for (int i = 0; i < subscriptions; ++i)
        index.insert(quint64(i + 1), filters[size_t(i)]);
    Internal::SubscriptionIndex::MatchList matches;
    timer.restart();
    quint64 indexMatches = 0;
    for (int i = 0; i < events; ++i) {
        index.match(samples[size_t(i % kbs)], &matches);
        indexMatches += quint64(matches.size());
    }
    const double indexSeconds = double(timer.nsecsElapsed()) / 1e9;

    const int scanEvents = std::max(1, events / 20);
    timer.restart();
    quint64 scanMatches = 0;
    for (int i = 0; i < scanEvents; ++i) {
        const Event &event = samples[size_t(i % kbs)];
        for (const EventFilter &filter : filters)
            scanMatches += filter.matches(event) ? 1 : 0;
    }
    const double scanSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (indexMatches / quint64(events) != scanMatches / quint64(scanEvents))
        std::printf("error: index and scan disagree\n");

    const double busPerEvent = busSeconds * 1e6 / events;
    const double indexPerEvent = indexSeconds * 1e6 / events;
    const double scanPerEvent = scanSeconds * 1e6 / scanEvents;
    LatencyStats::print(QStringLiteral("dispatch_per_event_10k_subs_1pct"), busPerEvent, "us");
    LatencyStats::print(QStringLiteral("index_match_per_event_10k_subs_1pct"), indexPerEvent, "us");
    LatencyStats::print(QStringLiteral("scan_match_per_event_10k_subs_1pct"), scanPerEvent, "us");
    LatencyStats::print(QStringLiteral("index_speedup_over_scan"), scanPerEvent / indexPerEvent,
                        "ratio");
    LatencyStats::print(QStringLiteral("dispatch_rate_10k_subs_1pct"), events / busSeconds,
                        "events/s");
    return 0;
}
