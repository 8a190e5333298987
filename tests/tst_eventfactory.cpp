#include "bus/eventbus.h"
#include "bus/eventfactory.h"
#include "bus/hookadapter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Pyrite;
using Pyrite::Internal::EventFactory;

namespace {
QVariantMap note(const QString &title = QStringLiteral("Hello"))
{
    return {{QStringLiteral("id"), QStringLiteral("n1")},
            {QStringLiteral("title"), title},
            {QStringLiteral("type"), QStringLiteral("note")},
            {QStringLiteral("tags"), QStringList{QStringLiteral("a")}},
            {QStringLiteral("body"), QStringLiteral("text")}};
}

HookContext context(const QString &operation, const QVariantMap &previous = {})
{
    HookContext c;
    c.kbName = QStringLiteral("research");
    c.user = QStringLiteral("alice");
    c.operation = operation;
    c.previousEntry = previous;
    return c;
}
} // namespace

class tst_EventFactory : public QObject
{
    Q_OBJECT

private slots:
    void hookTypes_data();
    void hookTypes();
    void hookErrors_data();
    void hookErrors();
    void changedFields();
    void links();
    void wikilinks_data();
    void wikilinks();
    void contextReachesTheEvent();
    void derivedEvents_data();
    void derivedEvents();
    void notifications_data();
    void notifications();
    void redaction();
    void hooksEndWithTheirContext();
};

void tst_EventFactory::hookTypes_data()
{
    QTest::addColumn<int>("hook");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<bool>("withPrevious");
    QTest::addColumn<QString>("type");

    QTest::addRow("after_save create")
            << int(Hook::AfterSave) << "create" << false << "entry.created";
    QTest::addRow("after_save update")
            << int(Hook::AfterSave) << "update" << false << "entry.updated";
    QTest::addRow("after_save no operation")
            << int(Hook::AfterSave) << "" << false << "entry.created";
    QTest::addRow("after_save no operation, previous known")
            << int(Hook::AfterSave) << "" << true << "entry.updated";
    QTest::addRow("after_delete") << int(Hook::AfterDelete) << "delete" << false << "entry.deleted";
    QTest::addRow("before_save makes none") << int(Hook::BeforeSave) << "create" << false << "";
    QTest::addRow("before_delete makes none") << int(Hook::BeforeDelete) << "delete" << false << "";
    QTest::addRow("before_index makes none") << int(Hook::BeforeIndex) << "" << false << "";
}

void tst_EventFactory::hookTypes()
{
    QFETCH(int, hook);
    QFETCH(QString, operation);
    QFETCH(bool, withPrevious);
    QFETCH(QString, type);
    QString error;
    const Event event = EventFactory::fromHook(
            Hook(hook), note(),
            context(operation, withPrevious ? note(QStringLiteral("Old")) : QVariantMap()), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(event.type(), type);
    if (type.isEmpty())
        return;
    QCOMPARE(event.entryId(), QStringLiteral("n1"));
    QCOMPARE(event.kb(), QStringLiteral("research"));
    QCOMPARE(event.entryType(), QStringLiteral("note"));
    QCOMPARE(event.actor(), QStringLiteral("alice"));
    QCOMPARE(event.subject(), QStringLiteral("research/n1"));
    QCOMPARE(event.entry(), note()); // the hook's entry rides along in-process
    if (withPrevious)
        QCOMPARE(event.changes(), QStringList{QStringLiteral("title")});
}

void tst_EventFactory::hookErrors_data()
{
    QTest::addColumn<QVariantMap>("entry");
    QTest::addColumn<QString>("kb");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("messagePart");

    QVariantMap noId = note();
    noId.remove(QStringLiteral("id"));
    QVariantMap emptyId = note();
    emptyId.insert(QStringLiteral("id"), QString());
    QTest::addRow("no id") << noId << "research"
                           << "create"
                           << "no \"id\"";
    QTest::addRow("empty id") << emptyId << "research"
                              << "create"
                              << "no \"id\"";
    QTest::addRow("no kb") << note() << ""
                           << "create"
                           << "has no KB";
    QTest::addRow("delete operation on save") << note() << "research"
                                              << "delete"
                                              << "\"operation\" is \"delete\"";
}

void tst_EventFactory::hookErrors()
{
    QFETCH(QVariantMap, entry);
    QFETCH(QString, kb);
    QFETCH(QString, operation);
    QFETCH(QString, messagePart);
    HookContext c = context(operation);
    c.kbName = kb;
    QString error;
    QVERIFY(EventFactory::fromHook(Hook::AfterSave, entry, c, &error).isNull());
    QVERIFY2(error.contains(messagePart), qPrintable(error));
    QVERIFY(error.startsWith(QStringLiteral("after_save")));
}

void tst_EventFactory::changedFields()
{
    QVariantMap before = note();
    QVariantMap after = note(QStringLiteral("New"));
    after.remove(QStringLiteral("body"));
    after.insert(QStringLiteral("status"), QStringLiteral("done"));
    QCOMPARE(EventFactory::changedFields(before, after),
             (QStringList{QStringLiteral("body"), QStringLiteral("status"),
                          QStringLiteral("title")}));
    QVERIFY(EventFactory::changedFields(note(), note()).isEmpty());
}

void tst_EventFactory::links()
{
    const QVariantList in{QStringLiteral("n2"),
                          QVariantMap{{QStringLiteral("target"), QStringLiteral("n3")},
                                      {QStringLiteral("relation"), QStringLiteral("cites")}},
                          QVariantMap{{QStringLiteral("target"), QStringLiteral("x")},
                                      {QStringLiteral("kb"), QStringLiteral("tasks")}},
                          QVariantMap{{QStringLiteral("relation"), QStringLiteral("orphan")}}, 42};
    const QVariantList out = EventFactory::normalizedLinks(in);
    QCOMPARE(out.size(), 3);
    // As Pyrite's parse_links makes a bare link (and the KB reader does).
    QCOMPARE(out.at(0).toMap().value(QStringLiteral("relation")).toString(),
             QStringLiteral("related"));
    QCOMPARE(out.at(1).toMap().value(QStringLiteral("relation")).toString(),
             QStringLiteral("cites"));
    QCOMPARE(out.at(2).toMap().value(QStringLiteral("kb")).toString(), QStringLiteral("tasks"));
}

void tst_EventFactory::wikilinks_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("targets"); // "kb:target" where a KB is named
    QTest::addRow("none") << "plain text" << QStringList();
    QTest::addRow("plain") << "See [[n2]] and [[n3]]." << QStringList{"n2", "n3"};
    QTest::addRow("heading, block, display")
            << "[[n2#Intro]] [[n3^b1]] [[n4|the fourth]]" << QStringList{"n2", "n3", "n4"};
    QTest::addRow("kb prefix") << "[[tasks:t1]]" << QStringList{"tasks:t1"};
    QTest::addRow("transclusion") << "![[n2]]" << QStringList{"n2"};
    QTest::addRow("twice, once") << "[[n2]] [[n2]]" << QStringList{"n2"};
    QTest::addRow("self left out") << "[[n1]] [[n2]]" << QStringList{"n2"};
    QTest::addRow("already a link") << "[[n9]]" << QStringList();
    QTest::addRow("inline code") << "write `[[n2]]` to link; [[n3]]" << QStringList{"n3"};
    QTest::addRow("fenced code") << "```\n[[n2]]\n```\n[[n3]]" << QStringList{"n3"};
    QTest::addRow("bad targets") << "[[a/b]] [[a b]] [[]] [[n2" << QStringList();
}

void tst_EventFactory::wikilinks()
{
    QFETCH(QString, body);
    QFETCH(QStringList, targets);
    QVariantMap entry = note();
    entry.insert(QStringLiteral("body"), body);
    entry.insert(QStringLiteral("links"), QVariantList{QStringLiteral("n9")});
    const Event event = EventFactory::fromHook(Hook::AfterSave, entry,
                                               context(QStringLiteral("create")), nullptr);
    QStringList found;
    for (const QVariant &item : event.links()) {
        const QVariantMap link = item.toMap();
        if (link.value(QStringLiteral("relation")) != QStringLiteral("wikilink"))
            continue;
        const QString kb = link.value(QStringLiteral("kb")).toString();
        found.append(kb.isEmpty() ? link.value(QStringLiteral("target")).toString()
                                  : kb + u':' + link.value(QStringLiteral("target")).toString());
    }
    QCOMPARE(found, targets);
    QCOMPARE(event.links().constFirst().toMap().value(QStringLiteral("target")).toString(),
             QStringLiteral("n9")); // the front matter's links come first
}

void tst_EventFactory::contextReachesTheEvent()
{
    HookContext c = context(QStringLiteral("update"));
    c.kbType = QStringLiteral("task");
    c.extra = {{QStringLiteral("old_status"), QStringLiteral("open")}};
    const Event event = EventFactory::fromHook(Hook::AfterSave, note(), c, nullptr);
    const QJsonObject data = event.data();
    QCOMPARE(data.value(QLatin1String("kb_type")).toString(), QStringLiteral("task"));
    QCOMPARE(data.value(QLatin1String("extra")).toObject().value(QLatin1String("old_status")),
             QJsonValue(QStringLiteral("open")));
    QVERIFY(!EventFactory::fromHook(Hook::AfterSave, note(), context(QStringLiteral("create")),
                                    nullptr)
                     .data()
                     .contains(QLatin1String("extra")));
}

void tst_EventFactory::derivedEvents_data()
{
    QTest::addColumn<QVariantMap>("entry");
    QTest::addColumn<QString>("oldStatus");
    QTest::addColumn<QStringList>("types");
    const auto task = [](const QString &status) {
        return QVariantMap{{QStringLiteral("id"), QStringLiteral("t1")},
                           {QStringLiteral("title"), QStringLiteral("Task")},
                           {QStringLiteral("type"), QStringLiteral("task")},
                           {QStringLiteral("status"), status},
                           {QStringLiteral("assignee"), QStringLiteral("agent-1")}};
    };
    QTest::addRow("claimed") << task("claimed") << "open" << QStringList{"task.claimed"};
    QTest::addRow("done") << task("done") << "in_progress" << QStringList{"task.completed"};
    QTest::addRow("in progress") << task("in_progress") << "claimed" << QStringList();
    QTest::addRow("still claimed") << task("claimed") << "claimed" << QStringList();
    QTest::addRow("a note") << note() << "open" << QStringList();
    QVariantMap assessment{
            {QStringLiteral("id"), QStringLiteral("qa-n1-1")},
            {QStringLiteral("type"), QStringLiteral("qa_assessment")},
            {QStringLiteral("qa_status"), QStringLiteral("fail")},
            {QStringLiteral("target_entry"), QStringLiteral("n1")},
            {QStringLiteral("issues"),
             QVariantList{QVariantMap{{QStringLiteral("rule"), QStringLiteral("r")}}}}};
    QTest::addRow("qa fail") << assessment << "" << QStringList{"qa.validation_failed"};
    assessment.insert(QStringLiteral("qa_status"), QStringLiteral("warn"));
    QTest::addRow("qa warn") << assessment << "" << QStringList();
}

void tst_EventFactory::derivedEvents()
{
    QFETCH(QVariantMap, entry);
    QFETCH(QString, oldStatus);
    QFETCH(QStringList, types);
    HookContext c = context(QStringLiteral("update"));
    if (!oldStatus.isEmpty())
        c.extra = {{QStringLiteral("old_status"), oldStatus}};
    const Event event = EventFactory::fromHook(Hook::AfterSave, entry, c, nullptr);
    const QList<Event> derived = EventFactory::derivedFromHook(event, entry, c);
    QStringList found;
    for (const Event &next : derived)
        found.append(next.type());
    QCOMPARE(found, types);
    if (types == QStringList{QStringLiteral("task.claimed")}) {
        const QJsonObject data = derived.constFirst().data();
        QCOMPARE(data.value(QLatin1String("assignee")).toString(), QStringLiteral("agent-1"));
        QCOMPARE(data.value(QLatin1String("old_status")).toString(), QStringLiteral("open"));
        QCOMPARE(derived.constFirst().kb(), QStringLiteral("research"));
    }
    if (types == QStringList{QStringLiteral("qa.validation_failed")}) {
        const Event &qa = derived.constFirst();
        QCOMPARE(qa.entryId(), QStringLiteral("n1")); // about the assessed entry
        QCOMPARE(qa.data().value(QLatin1String("assessment_id")).toString(),
                 QStringLiteral("qa-n1-1"));
        QCOMPARE(qa.data().value(QLatin1String("issues")).toArray().size(), 1);
    }
}

void tst_EventFactory::notifications_data()
{
    QTest::addColumn<int>("notification");
    QTest::addColumn<QVariantMap>("payload");
    QTest::addColumn<QString>("kb");
    QTest::addColumn<QString>("messagePart"); // empty: accepted

    const QVariantMap withEntry{{QStringLiteral("entry_id"), QStringLiteral("t1")}};
    QTest::addRow("task claimed") << int(Notification::TaskClaimed) << withEntry << "tasks"
                                  << "";
    QTest::addRow("task claimed without entry")
            << int(Notification::TaskClaimed) << QVariantMap() << "tasks"
            << "no \"entry_id\"";
    QTest::addRow("task completed") << int(Notification::TaskCompleted) << withEntry << "tasks"
                                    << "";
    QTest::addRow("qa without issues")
            << int(Notification::QaValidationFailed) << withEntry << "research"
            << "";
    QTest::addRow("qa issues not a list")
            << int(Notification::QaValidationFailed)
            << QVariantMap{{QStringLiteral("entry_id"), QStringLiteral("n1")},
                           {QStringLiteral("issues"), QStringLiteral("bad")}}
            << "research"
            << "\"issues\" must be a list";
    QTest::addRow("kb indexed") << int(Notification::KbIndexed)
                                << QVariantMap{{QStringLiteral("entries"), 30}} << "research"
                                << "";
    QTest::addRow("kb indexed negative count")
            << int(Notification::KbIndexed) << QVariantMap{{QStringLiteral("added"), -1}}
            << "research"
            << "\"added\"";
    QTest::addRow("kb indexed count beyond any integer")
            << int(Notification::KbIndexed) << QVariantMap{{"entries", 1e300}} << "research"
            << "\"entries\"";
    QTest::addRow("kb indexed count fractional")
            << int(Notification::KbIndexed) << QVariantMap{{"entries", 2.5}} << "research"
            << "\"entries\"";
    QTest::addRow("kb indexed count as JSON gives it")
            << int(Notification::KbIndexed) << QVariantMap{{"entries", 30.0}} << "research"
            << "";
    QTest::addRow("kb indexed count not a number")
            << int(Notification::KbIndexed)
            << QVariantMap{{QStringLiteral("entries"), QStringLiteral("many")}} << "research"
            << "\"entries\"";
    QTest::addRow("kb from payload")
            << int(Notification::SchemaChanged)
            << QVariantMap{{QStringLiteral("kb"), QStringLiteral("research")}} << ""
            << "";
    QTest::addRow("no kb anywhere") << int(Notification::SchemaChanged) << QVariantMap() << ""
                                    << "no KB";
}

void tst_EventFactory::notifications()
{
    QFETCH(int, notification);
    QFETCH(QVariantMap, payload);
    QFETCH(QString, kb);
    QFETCH(QString, messagePart);
    HookContext c;
    c.kbName = kb;
    c.user = QStringLiteral("bob");
    QString error;
    const Event event =
            EventFactory::fromNotification(Notification(notification), payload, c, &error);
    if (!messagePart.isEmpty()) {
        QVERIFY(event.isNull());
        QVERIFY2(error.contains(messagePart), qPrintable(error));
        QVERIFY(error.startsWith(notificationName(Notification(notification))));
        return;
    }
    QVERIFY2(!event.isNull(), qPrintable(error));
    QCOMPARE(event.type(), notificationName(Notification(notification)));
    QCOMPARE(event.actor(), QStringLiteral("bob"));
    QVERIFY(!event.kb().isEmpty());
}

void tst_EventFactory::redaction()
{
    EventBus bus;
    Internal::HookAdapter adapter(&bus);
    adapter.setRedactedFields(
            {{QStringLiteral("research"),
              {QStringLiteral("title"), QStringLiteral("tags"), QStringLiteral("actor")}}});
    QSignalSpy published(&bus, &EventBus::eventPublished);
    QVariantMap seenByHook;
    adapter.registerHook(Hook::AfterSave, QStringLiteral("test"), this,
                         [&](const QVariantMap &entry, const HookContext &) {
                             seenByHook = entry;
                             return HookResult::proceed();
                         });
    QCOMPARE(adapter.handleHook(Hook::AfterSave, note(), context(QStringLiteral("create"))).action,
             HookResult::Action::Continue);
    QCOMPARE(published.size(), 1);
    const QJsonObject data = published.at(0)
                                     .at(0)
                                     .value<Event>()
                                     .toJsonObject()
                                     .value(QLatin1String("data"))
                                     .toObject();
    QVERIFY(!data.contains(QLatin1String("title")));
    QVERIFY(!data.contains(QLatin1String("tags")));
    QVERIFY(!data.contains(QLatin1String("actor")));
    QCOMPARE(data.value(QLatin1String("entry_id")).toString(), QStringLiteral("n1"));
    QCOMPARE(seenByHook, note()); // hooks keep the whole entry

    // Another KB is not redacted.
    HookContext tasks = context(QStringLiteral("create"));
    tasks.kbName = QStringLiteral("tasks");
    adapter.handleHook(Hook::AfterSave, note(), tasks);
    QVERIFY(published.at(1)
                    .at(0)
                    .value<Event>()
                    .toJsonObject()
                    .value(QLatin1String("data"))
                    .toObject()
                    .contains(QLatin1String("title")));
}

void tst_EventFactory::hooksEndWithTheirContext()
{
    EventBus bus;
    Internal::HookAdapter adapter(&bus);
    QStringList calls;
    auto owner = std::make_unique<QObject>();
    adapter.registerHook(Hook::BeforeSave, QStringLiteral("gone"), owner.get(),
                         [&calls](const QVariantMap &, const HookContext &) {
                             calls << QStringLiteral("before");
                             return HookResult::veto(QStringLiteral("no"));
                         });
    adapter.registerHook(Hook::AfterSave, QStringLiteral("gone"), owner.get(),
                         [&calls](const QVariantMap &, const HookContext &) {
                             calls << QStringLiteral("after");
                             return HookResult::proceed();
                         });
    QCOMPARE(adapter.handleHook(Hook::BeforeSave, note(), context(QStringLiteral("create"))).action,
             HookResult::Action::Veto);
    adapter.handleHook(Hook::AfterSave, note(), context(QStringLiteral("create")));
    QCOMPARE(calls, (QStringList{QStringLiteral("before"), QStringLiteral("after")}));

    owner.reset();
    QCOMPARE(adapter.handleHook(Hook::BeforeSave, note(), context(QStringLiteral("create"))).action,
             HookResult::Action::Continue);
    adapter.handleHook(Hook::AfterSave, note(), context(QStringLiteral("create")));
    QCOMPARE(calls.size(), 2);
    QCOMPARE(bus.subscriptionCount(), 0);
}

QTEST_GUILESS_MAIN(tst_EventFactory)
#include "tst_eventfactory.moc"
