// Pyrite's hook semantics must not change when hooks run as bus subscribers. The same table of
// scenarios runs twice: with the bus off (callables registered straight in the host's registry,
// as Pyrite does) and with the bus on (callables registered in the real plugin, loaded with
// QPluginLoader, which the registry calls as one plugin). The outcomes must be identical.

#include "hookregistry.h"
#include "loadedplugin.h"

#include <QDir>
#include <QTest>

#include <stdexcept>

using namespace Pyrite;
using Pyrite::Host::HookOutcome;
using Pyrite::Host::HookRegistry;

namespace {

QStringList *g_logged = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void recordWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (g_logged && type == QtWarningMsg)
        g_logged->append(message);
    else if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// What one scenario came to; compared field by field between the two runs.
struct Outcome
{
    QStringList calls; // "owner@hook:title" in call order
    bool aborted = false;
    bool raised = false;
    QString message;
    QString stoppedBy;
    bool written = false;
    QVariantMap stored;         // what the storage holds afterwards
    QStringList loggedFailures; // owners whose after_* failure was logged

    bool operator==(const Outcome &o) const
    {
        return calls == o.calls && aborted == o.aborted && raised == o.raised &&
                message == o.message && stoppedBy == o.stoppedBy && written == o.written &&
                stored == o.stored && loggedFailures == o.loggedFailures;
    }
};

char *toString(const Outcome &o)
{
    QString text;
    QDebug(&text) << "calls" << o.calls << "aborted" << o.aborted << "raised" << o.raised
                  << "message" << o.message << "by" << o.stoppedBy << "written" << o.written
                  << "stored" << o.stored << "logged" << o.loggedFailures;
    return qstrdup(qPrintable(text));
}

// "hook|owner|action[|argument]": continue, replace (argument "field=value"), veto (argument:
// message), raise (throws; argument: message), fail (returns Fail; argument: message).
struct HookSpec
{
    Hook hook;
    QString owner;
    QString action;
    QString argument;
};

HookSpec parseSpec(const QString &text)
{
    const QStringList parts = text.split(u'|');
    return {*hookFromName(parts.value(0)), parts.value(1), parts.value(2), parts.value(3)};
}

HookCallback makeCallback(const HookSpec &spec, QStringList *calls)
{
    return [spec, calls](const QVariantMap &entry, const HookContext &) -> HookResult {
        calls->append(spec.owner + u'@' + hookName(spec.hook) + u':' +
                      entry.value(QStringLiteral("title")).toString());
        if (spec.action == u"replace") {
            QVariantMap replaced = entry;
            replaced.insert(spec.argument.section(u'=', 0, 0), spec.argument.section(u'=', 1));
            return HookResult::replace(replaced);
        }
        if (spec.action == u"veto")
            return HookResult::veto(spec.argument);
        if (spec.action == u"raise")
            throw std::runtime_error(spec.argument.toStdString());
        if (spec.action == u"fail")
            return HookResult::fail(spec.argument);
        return HookResult::proceed();
    };
}

// Pyrite's storage flow around the hooks: before_* may abort (nothing written), then the write,
// then after_*.
Outcome runOperation(const HookRegistry &registry, const QString &operation,
                     const QVariantMap &entry, QStringList *calls, const QStringList &failingOwners)
{
    Outcome outcome;
    QStringList logged;
    g_logged = &logged;
    g_previousHandler = qInstallMessageHandler(recordWarnings);

    HookContext context;
    context.kbName = QStringLiteral("research");
    context.user = QStringLiteral("alice");
    context.operation = operation == u"index" ? QString() : operation;
    if (operation == u"update")
        context.previousEntry =
                QVariantMap{{QStringLiteral("id"), entry.value(QStringLiteral("id"))},
                            {QStringLiteral("title"), QStringLiteral("Before")}};

    const Hook before = operation == u"delete" ? Hook::BeforeDelete
            : operation == u"index"            ? Hook::BeforeIndex
                                               : Hook::BeforeSave;
    const HookOutcome first = registry.run(before, entry, context);
    outcome.aborted = first.aborted;
    outcome.raised = first.raised;
    outcome.message = first.message;
    outcome.stoppedBy = first.stoppedBy;
    if (!first.aborted) {
        outcome.written = true;
        outcome.stored = operation == u"delete" ? QVariantMap() : first.entry;
        if (operation != u"index")
            registry.run(operation == u"delete" ? Hook::AfterDelete : Hook::AfterSave, first.entry,
                         context);
    }

    qInstallMessageHandler(g_previousHandler);
    g_logged = nullptr;
    for (const QString &owner : failingOwners) {
        const bool wasLogged =
                std::any_of(logged.cbegin(), logged.cend(),
                            [&owner](const QString &line) { return line.contains(owner); });
        if (wasLogged)
            outcome.loggedFailures.append(owner);
    }
    outcome.calls = *calls;
    return outcome;
}

} // namespace

Q_DECLARE_METATYPE(Outcome)

class tst_HookCompat : public QObject
{
    Q_OBJECT

private slots:
    void sameOutcomeWithBusOffAndOn_data();
    void sameOutcomeWithBusOffAndOn();
    void busOnPublishesTheEvent();
};

void tst_HookCompat::sameOutcomeWithBusOffAndOn_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QStringList>("hooks");
    QTest::addColumn<Outcome>("expected");

    auto outcome = [](QStringList calls, bool aborted, bool raised, QString message, QString by,
                      bool written, QVariantMap stored, QStringList logged = {}) {
        Outcome o;
        o.calls = calls;
        o.aborted = aborted;
        o.raised = raised;
        o.message = message;
        o.stoppedBy = by;
        o.written = written;
        o.stored = stored;
        o.loggedFailures = logged;
        return o;
    };
    const QVariantMap original{{QStringLiteral("id"), QStringLiteral("n1")},
                               {QStringLiteral("title"), QStringLiteral("T")}};
    auto with = [&original](const QString &key, const QString &value) {
        QVariantMap m = original;
        m.insert(key, value);
        return m;
    };

    QTest::addRow("no hooks") << "create" << QStringList()
                              << outcome({}, false, false, {}, {}, true, original);
    QTest::addRow("before_save replacements chain")
            << "create"
            << QStringList{"before_save|a|replace|title=A", "before_save|b|continue",
                           "before_save|c|replace|status=ok", "after_save|d|continue"}
            << outcome({"a@before_save:T", "b@before_save:A", "c@before_save:A", "d@after_save:A"},
                       false, false, {}, {}, true,
                       QVariantMap{{"id", "n1"}, {"title", "A"}, {"status", "ok"}});
    QTest::addRow("before_save veto stops the chain and the write")
            << "create"
            << QStringList{"before_save|a|continue", "before_save|b|veto|drafts are not allowed",
                           "before_save|c|continue", "after_save|d|continue"}
            << outcome({"a@before_save:T", "b@before_save:T"}, true, false,
                       "drafts are not allowed", "b", false, {});
    QTest::addRow("before_save raising aborts")
            << "update"
            << QStringList{"before_save|a|replace|title=A", "before_save|b|raise|boom",
                           "after_save|c|continue"}
            << outcome({"a@before_save:T", "b@before_save:A"}, true, true, "boom", "b", false, {});
    QTest::addRow("before_save returning fail aborts")
            << "create" << QStringList{"before_save|a|fail|schema says no"}
            << outcome({"a@before_save:T"}, true, true, "schema says no", "a", false, {});
    QTest::addRow("after_save failures are isolated")
            << "create"
            << QStringList{"after_save|x|raise|smtp down", "after_save|y|continue",
                           "after_save|z|fail|quota", "after_save|w|continue"}
            << outcome({"x@after_save:T", "y@after_save:T", "z@after_save:T", "w@after_save:T"},
                       false, false, {}, {}, true, original, {"x", "z"});
    QTest::addRow("update runs the same hooks")
            << "update" << QStringList{"before_save|a|replace|title=U", "after_save|b|continue"}
            << outcome({"a@before_save:T", "b@after_save:U"}, false, false, {}, {}, true,
                       with("title", "U"));
    QTest::addRow("before_delete veto keeps the entry")
            << "delete"
            << QStringList{"before_delete|a|veto|entry is referenced", "after_delete|b|continue"}
            << outcome({"a@before_delete:T"}, true, false, "entry is referenced", "a", false, {});
    QTest::addRow("delete with a raising after_delete")
            << "delete"
            << QStringList{"before_delete|a|continue", "after_delete|b|raise|index busy",
                           "after_delete|c|continue"}
            << outcome({"a@before_delete:T", "b@after_delete:T", "c@after_delete:T"}, false, false,
                       {}, {}, true, {}, {"b"});
    QTest::addRow("before_index replaces")
            << "index"
            << QStringList{"before_index|a|replace|title=Indexed", "before_index|b|continue"}
            << outcome({"a@before_index:T", "b@before_index:Indexed"}, false, false, {}, {}, true,
                       with("title", "Indexed"));
    QTest::addRow("hooks of other names are not called")
            << "create"
            << QStringList{"before_delete|a|veto|no", "after_delete|b|raise|x",
                           "before_index|c|veto|no"}
            << outcome({}, false, false, {}, {}, true, original);
}

void tst_HookCompat::sameOutcomeWithBusOffAndOn()
{
    QFETCH(QString, operation);
    QFETCH(QStringList, hooks);
    QFETCH(Outcome, expected);
    const QVariantMap entry{{QStringLiteral("id"), QStringLiteral("n1")},
                            {QStringLiteral("title"), QStringLiteral("T")}};
    QStringList failingOwners;
    for (const QString &text : std::as_const(hooks)) {
        const HookSpec spec = parseSpec(text);
        if (!isBeforeHook(spec.hook) && (spec.action == u"raise" || spec.action == u"fail"))
            failingOwners.append(spec.owner);
    }

    // Bus off: Pyrite's registry holds the callables.
    QStringList offCalls;
    HookRegistry off;
    for (const QString &text : std::as_const(hooks)) {
        const HookSpec spec = parseSpec(text);
        off.registerHook(spec.hook, spec.owner, makeCallback(spec, &offCalls));
    }
    const Outcome busOff = runOperation(off, operation, entry, &offCalls, failingOwners);
    QCOMPARE(busOff, expected);

    // Bus on: the callables are bus subscribers inside the real plugin.
    Outcome busOn;
    {
        LoadedPlugin loaded;
        QString error;
        QVERIFY2(loaded.load({}, {}, &error), qPrintable(error));
        QStringList onCalls;
        QObject owner;
        for (const QString &text : std::as_const(hooks)) {
            const HookSpec spec = parseSpec(text);
            loaded.service->registerHook(spec.hook, spec.owner, &owner,
                                         makeCallback(spec, &onCalls));
        }
        HookRegistry on;
        on.registerPlugin(loaded.plugin);
        busOn = runOperation(on, operation, entry, &onCalls, failingOwners);
    } // unloaded here, so the next row starts with a fresh plugin instance

    QCOMPARE(busOn, busOff);
}

void tst_HookCompat::busOnPublishesTheEvent()
{
    LoadedPlugin loaded;
    QString error;
    QVERIFY2(loaded.load({{QStringLiteral("instance"), QStringLiteral("t")}}, {}, &error),
             qPrintable(error));
    PyritePlugin *plugin = loaded.plugin;
    EventBusService *service = loaded.service;
    QList<QJsonObject> events;
    QObject context;
    QVERIFY(service->subscribeEvents(
            {QStringLiteral("entry.*")}, QStringLiteral("research"), {}, &context,
            [&events](const QJsonObject &e) { events.append(e); }, &error));
    QCOMPARE(service->subscribeEvents(
                     {QStringLiteral("Bad Pattern")}, {}, {}, &context, [](const QJsonObject &) {},
                     &error),
             0u);
    QVERIFY2(error.contains(QStringLiteral("Bad Pattern")), qPrintable(error));

    HookRegistry registry;
    registry.registerPlugin(plugin);
    HookContext hookContext;
    hookContext.kbName = QStringLiteral("research");
    hookContext.operation = QStringLiteral("create");
    registry.run(Hook::BeforeSave, {{QStringLiteral("id"), QStringLiteral("n1")}}, hookContext);
    QCOMPARE(events.size(), 0); // nothing happened yet
    registry.run(Hook::AfterSave, {{QStringLiteral("id"), QStringLiteral("n1")}}, hookContext);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).value(QLatin1String("type")).toString(), QStringLiteral("entry.created"));
    QCOMPARE(events.at(0).value(QLatin1String("source")).toString(),
             QStringLiteral("pyrite://t/kb/research"));
    hookContext.kbName = QStringLiteral("tasks");
    registry.run(Hook::AfterSave, {{QStringLiteral("id"), QStringLiteral("t1")}}, hookContext);
    QCOMPARE(events.size(), 1); // filtered by KB
}

QTEST_GUILESS_MAIN(tst_HookCompat)
#include "tst_hookcompat.moc"
