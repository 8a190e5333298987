#include "bus/event.h"
#include "bus/eventfilter.h"
#include "bus/subscriptionindex.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace Pyrite;
using Pyrite::Internal::SubscriptionIndex;

namespace {
const QStringList Types{QStringLiteral("entry.created"), QStringLiteral("entry.updated"),
                        QStringLiteral("entry.deleted"), QStringLiteral("qa.validation_failed"),
                        QStringLiteral("task.claimed"),  QStringLiteral("task.completed"),
                        QStringLiteral("kb.indexed"),    QStringLiteral("schema.changed")};
const QStringList Patterns{QStringLiteral("*"),          QStringLiteral("entry.*"),
                           QStringLiteral("task.*"),     QStringLiteral("entry.created"),
                           QStringLiteral("kb.indexed"), QStringLiteral("*_failed"),
                           QStringLiteral("task.*ed"),   QStringLiteral("*.*d")};
const QStringList Kbs{QString(), QStringLiteral("research"), QStringLiteral("tasks"),
                      QStringLiteral("journal")};
const QStringList EntryTypes{QString(), QStringLiteral("note"), QStringLiteral("paper"),
                             QStringLiteral("task")};

Event makeEvent(const QString &type, const QString &kb, const QString &entryType,
                const QString &entryId)
{
    Event event;
    event.setType(type);
    event.setKb(kb);
    event.setEntryType(entryType);
    event.setEntryId(entryId);
    return event;
}

QList<quint64> bruteForce(const std::map<quint64, EventFilter> &filters, const Event &event)
{
    QList<quint64> ids;
    for (const auto &[id, filter] : filters) {
        if (filter.matches(event))
            ids.append(id);
    }
    return ids;
}

QList<quint64> indexed(const SubscriptionIndex &index, const Event &event)
{
    SubscriptionIndex::MatchList matches;
    index.match(event, &matches);
    QList<quint64> ids;
    for (const SubscriptionIndex::Match &match : matches)
        ids.append(match.id);
    return ids;
}
} // namespace

class tst_SubscriptionIndex : public QObject
{
    Q_OBJECT

private slots:
    void matchesLikeAScan_data();
    void matchesLikeAScan();
    void severalPatternsMatchOnce();
    void removeAndReinsert();
    void orderIsSubscriptionOrder();
};

void tst_SubscriptionIndex::matchesLikeAScan_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("subscriptions");
    for (quint32 seed : {1u, 7u, 42u, 1234u})
        QTest::addRow("seed %u, 500 subscriptions", seed) << seed << 500;
    QTest::addRow("empty index") << 5u << 0;
}

// The index must give exactly the answer a scan over all filters gives, for random filters.
void tst_SubscriptionIndex::matchesLikeAScan()
{
    QFETCH(quint32, seed);
    QFETCH(int, subscriptions);
    QRandomGenerator random(seed);
    SubscriptionIndex index;
    std::map<quint64, EventFilter> filters;
    for (int i = 1; i <= subscriptions; ++i) {
        EventFilter filter;
        QStringList patterns;
        const int count = 1 + random.bounded(3);
        for (int p = 0; p < count; ++p)
            patterns.append(random.bounded(2) ? Patterns.at(random.bounded(Patterns.size()))
                                              : Types.at(random.bounded(Types.size())));
        QVERIFY(filter.setTypePatterns(patterns, nullptr));
        filter.setKb(Kbs.at(random.bounded(Kbs.size())));
        filter.setEntryType(EntryTypes.at(random.bounded(EntryTypes.size())));
        if (random.bounded(10) == 0)
            filter.setEntryId(QStringLiteral("e%1").arg(random.bounded(5)));
        index.insert(quint64(i), filter);
        filters.emplace(quint64(i), filter);
    }
    // Remove a fifth of them again, so that removal is covered by the comparison.
    for (int i = 1; i <= subscriptions; i += 5) {
        QVERIFY(index.remove(quint64(i)));
        filters.erase(quint64(i));
    }
    QCOMPARE(index.size(), int(filters.size()));

    for (int round = 0; round < 400; ++round) {
        const Event event = makeEvent(Types.at(random.bounded(Types.size())),
                                      Kbs.at(1 + random.bounded(Kbs.size() - 1)),
                                      EntryTypes.at(random.bounded(EntryTypes.size())),
                                      QStringLiteral("e%1").arg(random.bounded(5)));
        QCOMPARE(indexed(index, event), bruteForce(filters, event));
    }
}

void tst_SubscriptionIndex::severalPatternsMatchOnce()
{
    SubscriptionIndex index;
    EventFilter filter;
    QVERIFY(filter.setTypePatterns({QStringLiteral("entry.*"), QStringLiteral("entry.created"),
                                    QStringLiteral("*"), QStringLiteral("e*d")},
                                   nullptr));
    index.insert(3, filter);
    const Event event =
            makeEvent(QStringLiteral("entry.created"), QStringLiteral("research"), {}, {});
    QCOMPARE(indexed(index, event), QList<quint64>{3});
}

void tst_SubscriptionIndex::removeAndReinsert()
{
    SubscriptionIndex index;
    EventFilter filter;
    filter.setKb(QStringLiteral("research"));
    index.insert(1, filter);
    const Event event = makeEvent(QStringLiteral("kb.indexed"), QStringLiteral("research"), {}, {});
    QCOMPARE(indexed(index, event).size(), 1);
    QVERIFY(index.remove(1));
    QVERIFY(!index.remove(1));
    QVERIFY(indexed(index, event).isEmpty());
    filter.setKb(QStringLiteral("tasks"));
    index.insert(1, filter); // same id, other filter
    QVERIFY(indexed(index, event).isEmpty());
    QCOMPARE(index.size(), 1);
}

void tst_SubscriptionIndex::orderIsSubscriptionOrder()
{
    SubscriptionIndex index;
    EventFilter any;
    EventFilter byKb;
    byKb.setKb(QStringLiteral("research"));
    EventFilter exact;
    exact.setTypePatterns({QStringLiteral("entry.created")}, nullptr);
    index.insert(5, byKb);
    index.insert(2, exact);
    index.insert(9, any);
    index.insert(4, any);
    const Event event =
            makeEvent(QStringLiteral("entry.created"), QStringLiteral("research"), {}, {});
    QCOMPARE(indexed(index, event), (QList<quint64>{2, 4, 5, 9}));
}

QTEST_GUILESS_MAIN(tst_SubscriptionIndex)
#include "tst_subscriptionindex.moc"
