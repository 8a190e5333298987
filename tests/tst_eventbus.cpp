#include "bus/eventbus.h"
#include "bus/eventidgenerator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <stdexcept>

using namespace Pyrite;

namespace {
Event entryEvent(const QString &type, const QString &kb = QStringLiteral("research"),
                 const QString &entryType = QStringLiteral("note"))
{
    Event event;
    event.setType(type);
    event.setKb(kb);
    event.setEntryType(entryType);
    event.setEntryId(QStringLiteral("n1"));
    event.setSubject(kb + QStringLiteral("/n1"));
    return event;
}

EventFilter filterFor(const QStringList &types, const QString &kb = QString())
{
    EventFilter filter;
    filter.setTypePatterns(types, nullptr);
    filter.setKb(kb);
    return filter;
}
} // namespace

class tst_EventBus : public QObject
{
    Q_OBJECT

private slots:
    void stampsEnvelope();
    void idsAreUniqueAndSorted();
    void deliversToMatchingSubscribersInOrder();
    void unsubscribe();
    void contextDestructionEndsSubscription();
    void throwingSubscriberIsIsolated();
    void subscriberChangesSubscriptionsDuringDispatch();
    void nestedPublish();
    void keepsIdOfReplayedEvent();
    void jsonRoundTrip();
    void fromJsonRejects_data();
    void fromJsonRejects();
};

void tst_EventBus::stampsEnvelope()
{
    EventBus bus;
    bus.setInstanceName(QStringLiteral("host1"));
    QSignalSpy published(&bus, &EventBus::eventPublished);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(published.size(), 1);
    const Event event = published.at(0).at(0).value<Event>();
    QVERIFY(Internal::EventIdGenerator::isValid(event.id()));
    QCOMPARE(event.source(), QStringLiteral("pyrite://host1/kb/research"));
    QVERIFY(event.timeMsecs() >= before &&
            event.timeMsecs() <= QDateTime::currentMSecsSinceEpoch());

    const QJsonObject json = event.toJsonObject();
    QCOMPARE(json.value(QLatin1String("specversion")).toString(), QStringLiteral("1.0"));
    QCOMPARE(json.value(QLatin1String("type")).toString(), QStringLiteral("entry.created"));
    QCOMPARE(json.value(QLatin1String("subject")).toString(), QStringLiteral("research/n1"));
    QCOMPARE(json.value(QLatin1String("datacontenttype")).toString(),
             QStringLiteral("application/json"));
    QVERIFY(json.value(QLatin1String("time")).toString().endsWith(u'Z'));
    QVERIFY(!json.contains(QLatin1String("sequence"))); // not logged yet
    QCOMPARE(json.value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("entry_id"))
                     .toString(),
             QStringLiteral("n1"));
    QCOMPARE(bus.publishedCount(), 1u);
}

void tst_EventBus::idsAreUniqueAndSorted()
{
    Internal::EventIdGenerator generator;
    QStringList ids;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Many ids in the same millisecond, then a later one, then a clock step backwards.
    for (int i = 0; i < 10000; ++i)
        ids.append(generator.next(now));
    ids.append(generator.next(now + 1));
    ids.append(generator.next(now - 5000));
    for (int i = 1; i < ids.size(); ++i)
        QVERIFY2(ids.at(i - 1) < ids.at(i),
                 qPrintable(ids.at(i - 1) + QStringLiteral(" >= ") + ids.at(i)));
    for (const QString &id : std::as_const(ids))
        QVERIFY2(Internal::EventIdGenerator::isValid(id), qPrintable(id));
    QVERIFY(!Internal::EventIdGenerator::isValid(u"01M88AMCVN5VHEB5AGBWA4B9D")); // 25 chars
    QVERIFY(!Internal::EventIdGenerator::isValid(
            u"01M88AMCVN5VHEB5AGBWA4B9DU")); // U is not Crockford
}

void tst_EventBus::deliversToMatchingSubscribersInOrder()
{
    EventBus bus;
    QStringList calls;
    bus.subscribe(filterFor({QStringLiteral("entry.*")}), this,
                  [&](const Event &e) { calls << QStringLiteral("a:") + e.type(); });
    bus.subscribe(filterFor({QStringLiteral("task.*")}), this,
                  [&](const Event &e) { calls << QStringLiteral("b:") + e.type(); });
    bus.subscribe(filterFor({}, QStringLiteral("research")), this,
                  [&](const Event &e) { calls << QStringLiteral("c:") + e.type(); });
    bus.subscribe(filterFor({QStringLiteral("entry.created")}), this,
                  [&](const Event &e) { calls << QStringLiteral("d:") + e.type(); });

    bus.publish(entryEvent(QStringLiteral("entry.created")));
    bus.publish(entryEvent(QStringLiteral("task.claimed"), QStringLiteral("tasks")));
    QCOMPARE(calls,
             (QStringList{QStringLiteral("a:entry.created"), QStringLiteral("c:entry.created"),
                          QStringLiteral("d:entry.created"), QStringLiteral("b:task.claimed")}));
    QCOMPARE(bus.deliveredCount(), 4u);
}

void tst_EventBus::unsubscribe()
{
    EventBus bus;
    int calls = 0;
    const quint64 id = bus.subscribe(EventFilter(), this, [&](const Event &) { ++calls; });
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QVERIFY(bus.unsubscribe(id));
    QVERIFY(!bus.unsubscribe(id));
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(calls, 1);
    QCOMPARE(bus.subscriptionCount(), 0);
}

void tst_EventBus::contextDestructionEndsSubscription()
{
    EventBus bus;
    int calls = 0;
    auto context = std::make_unique<QObject>();
    bus.subscribe(EventFilter(), context.get(), [&](const Event &) { ++calls; });
    QCOMPARE(bus.subscriptionCount(), 1);
    context.reset();
    QCOMPARE(bus.subscriptionCount(), 0);
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(calls, 0);
}

void tst_EventBus::throwingSubscriberIsIsolated()
{
    EventBus bus;
    QSignalSpy failed(&bus, &EventBus::subscriberFailed);
    QStringList calls;
    bus.subscribe(EventFilter(), this, [&](const Event &) { calls << QStringLiteral("first"); });
    const quint64 bad = bus.subscribe(EventFilter(), this, [&](const Event &) -> void {
        calls << QStringLiteral("bad");
        throw std::runtime_error("disk full");
    });
    bus.subscribe(EventFilter(), this, [&](const Event &) { calls << QStringLiteral("last"); });

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral(
                                 "subscriber .* failed on entry.created .*disk full")));
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(calls,
             (QStringList{QStringLiteral("first"), QStringLiteral("bad"), QStringLiteral("last")}));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toULongLong(), bad);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("disk full"));
    QCOMPARE(bus.failedDeliveryCount(), 1u);
}

void tst_EventBus::subscriberChangesSubscriptionsDuringDispatch()
{
    EventBus bus;
    QStringList calls;
    quint64 second = 0;
    quint64 first = 0;
    first = bus.subscribe(EventFilter(), this, [&](const Event &) {
        calls << QStringLiteral("first");
        bus.unsubscribe(first);  // itself
        bus.unsubscribe(second); // a later one: must not be called any more
        bus.subscribe(EventFilter(), this,
                      [&](const Event &) { calls << QStringLiteral("added"); });
    });
    second = bus.subscribe(EventFilter(), this,
                           [&](const Event &) { calls << QStringLiteral("second"); });
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(calls, QStringList{QStringLiteral("first")});
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(calls, (QStringList{QStringLiteral("first"), QStringLiteral("added")}));
}

void tst_EventBus::nestedPublish()
{
    EventBus bus;
    QStringList seen;
    bus.subscribe(filterFor({QStringLiteral("entry.created")}), this, [&](const Event &) {
        seen << QStringLiteral("created-1");
        bus.publish(entryEvent(QStringLiteral("kb.indexed")));
    });
    bus.subscribe(EventFilter(), this,
                  [&](const Event &e) { seen << QStringLiteral("all:") + e.type(); });
    bus.subscribe(filterFor({QStringLiteral("entry.created")}), this,
                  [&](const Event &) { seen << QStringLiteral("created-3"); });
    bus.publish(entryEvent(QStringLiteral("entry.created")));
    QCOMPARE(seen,
             (QStringList{QStringLiteral("created-1"), QStringLiteral("all:kb.indexed"),
                          QStringLiteral("all:entry.created"), QStringLiteral("created-3")}));
}

void tst_EventBus::keepsIdOfReplayedEvent()
{
    EventBus bus;
    QSignalSpy published(&bus, &EventBus::eventPublished);
    Event event = entryEvent(QStringLiteral("entry.deleted"));
    event.setId(QStringLiteral("01J0000000000000000000000A"));
    event.setTimeMsecs(1000);
    event.setSource(QStringLiteral("pyrite://other/kb/research"));
    bus.publish(event);
    const Event out = published.at(0).at(0).value<Event>();
    QCOMPARE(out.id(), event.id());
    QCOMPARE(out.timeMsecs(), 1000);
    QCOMPARE(out.source(), QStringLiteral("pyrite://other/kb/research"));
}

void tst_EventBus::jsonRoundTrip()
{
    EventBus bus;
    QSignalSpy published(&bus, &EventBus::eventPublished);
    Event event = entryEvent(QStringLiteral("entry.updated"));
    event.setTitle(QStringLiteral("Über Qt"));
    event.setActor(QStringLiteral("alice"));
    event.setTags({QStringLiteral("qt"), QStringLiteral("c++")});
    event.setLinks({QVariantMap{{QStringLiteral("target"), QStringLiteral("n7")},
                                {QStringLiteral("relation"), QStringLiteral("related")}}});
    event.setChanges({QStringLiteral("title")});
    event.setExtra({{QStringLiteral("custom"), 5}});
    event.setSequence(1234);
    event.setEpoch(QStringLiteral("e1"));
    bus.publish(event);
    const Event stamped = published.at(0).at(0).value<Event>();

    QString error;
    const Event back =
            Event::fromJsonObject(QJsonDocument::fromJson(stamped.toJson()).object(), &error);
    QVERIFY2(!back.isNull(), qPrintable(error));
    QCOMPARE(back.toJson(), stamped.toJson());
    QCOMPARE(back.timeMsecs(), stamped.timeMsecs());
    QCOMPARE(back.sequence(), 1234);
    QCOMPARE(back.title(), QStringLiteral("Über Qt"));
    QCOMPARE(back.changes(), QStringList{QStringLiteral("title")});
}

void tst_EventBus::fromJsonRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("messagePart");
    const QByteArray good =
            R"({"specversion":"1.0","id":"x","source":"s","type":"t","time":"2026-01-01T00:00:00.000Z"})";
    QTest::addRow("no specversion") << QByteArray(R"({"id":"x"})") << "specversion";
    QTest::addRow("old specversion")
            << QByteArray(good).replace("\"1.0\"", "\"0.3\"") << "specversion";
    QTest::addRow("no id") << QByteArray(good).replace("\"id\":\"x\",", "") << "\"id\"";
    QTest::addRow("id not a string")
            << QByteArray(good).replace("\"id\":\"x\"", "\"id\":5") << "\"id\"";
    QTest::addRow("no type") << QByteArray(good).replace(",\"type\":\"t\"", "") << "\"type\"";
    QTest::addRow("bad time") << QByteArray(good).replace("2026-01-01T00:00:00.000Z", "yesterday")
                              << "RFC 3339";
}

void tst_EventBus::fromJsonRejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, messagePart);
    QString error;
    QVERIFY(Event::fromJsonObject(QJsonDocument::fromJson(json).object(), &error).isNull());
    QVERIFY2(error.contains(messagePart), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_EventBus)
#include "tst_eventbus.moc"
