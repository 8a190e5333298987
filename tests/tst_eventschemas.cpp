// Events the bus emits, for every type of the catalogue, validated against the JSON Schemas under
// resources/schemas with python3-jsonschema (Draft 2020-12), and docs/events.md documents each
// type.

#include "hookregistry.h"
#include "loadedplugin.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;

namespace {
const QStringList Catalogue{"entry.created",        "entry.updated", "entry.deleted",
                            "qa.validation_failed", "task.claimed",  "task.completed",
                            "kb.indexed",           "schema.changed"};
}

class tst_EventSchemas : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyTypeHasSchemaAndDocs();
    void emittedEventsValidate();
    void brokenEventsAreRejected_data();
    void brokenEventsAreRejected();

private:
    int validate(const QList<QJsonObject> &events, QString *output);
    QList<QJsonObject> emitAll();
    QTemporaryDir m_dir;
};

void tst_EventSchemas::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        QSKIP("python3 is not installed; scripts/install-deps.sh installs python3-jsonschema");
    QProcess probe;
    probe.start(QStringLiteral("python3"), {"-c", "import jsonschema"});
    QVERIFY(probe.waitForFinished());
    if (probe.exitCode() != 0)
        QSKIP("python3-jsonschema is not installed; scripts/install-deps.sh installs it");
}

void tst_EventSchemas::everyTypeHasSchemaAndDocs()
{
    QFile docs(QStringLiteral(PYRITE_SOURCE_DIR "/docs/events.md"));
    QVERIFY(docs.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(docs.readAll());
    for (const QString &type : Catalogue) {
        QVERIFY2(QFile::exists(
                         QStringLiteral(PYRITE_SOURCE_DIR "/resources/schemas/%1.json").arg(type)),
                 qPrintable(type));
        QVERIFY2(text.contains(QStringLiteral("## `%1`").arg(type)), qPrintable(type));
    }
}

QList<QJsonObject> tst_EventSchemas::emitAll()
{
    QList<QJsonObject> events;
    LoadedPlugin loaded;
    QString error;
    if (!loaded.load({}, {}, &error)) {
        qWarning() << "cannot load the plugin:" << error;
        return events;
    }
    QObject context;
    loaded.service->subscribeEvents(
            {}, {}, {}, &context, [&events](const QJsonObject &e) { events.append(e); }, &error);

    Host::HookRegistry registry;
    registry.registerPlugin(loaded.plugin);
    HookContext c;
    c.kbName = "research";
    c.user = "alice";
    const QVariantMap entry{
            {"id", "n1"},
            {"title", "Hello"},
            {"type", "note"},
            {"tags", QStringList{"a"}},
            {"links", QVariantList{QVariantMap{{"target", "n2"}, {"relation", "related"}}, "n3"}}};
    c.operation = "create";
    registry.run(Hook::AfterSave, entry, c);
    c.operation = "update";
    c.previousEntry = QVariantMap{{"id", "n1"}, {"title", "Old"}};
    registry.run(Hook::AfterSave, entry, c);
    c.previousEntry.clear();
    c.operation = "delete";
    registry.run(Hook::AfterDelete, {{"id", "n1"}}, c);
    c.operation.clear();
    registry.notify(Notification::QaValidationFailed,
                    {{"entry_id", "n1"},
                     {"entry_type", "note"},
                     {"issues",
                      QVariantList{QVariantMap{{"field", "title"},
                                               {"rule", "required"},
                                               {"message", "title is empty"},
                                               {"severity", "error"}}}}},
                    c);
    c.kbName = "tasks";
    registry.notify(Notification::TaskClaimed,
                    {{"entry_id", "t1"}, {"title", "Write docs"}, {"assignee", "bob"}}, c);
    registry.notify(Notification::TaskCompleted, {{"entry_id", "t1"}, {"outcome", "done"}}, c);
    registry.notify(
            Notification::KbIndexed,
            {{"entries", 30}, {"added", 2}, {"updated", 1}, {"removed", 0}, {"duration_ms", 12}},
            c);
    registry.notify(Notification::SchemaChanged,
                    {{"version", 3}, {"changes", QStringList{"added type paper"}}}, c);
    return events;
}

int tst_EventSchemas::validate(const QList<QJsonObject> &events, QString *output)
{
    const QString file = m_dir.filePath(QStringLiteral("events.jsonl"));
    QFile out(file);
    out.open(QIODevice::WriteOnly | QIODevice::Truncate);
    for (const QJsonObject &event : events)
        out.write(QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n');
    out.close();
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(QStringLiteral("python3"),
                 {QStringLiteral(PYRITE_SOURCE_DIR "/tests/validate_events.py"),
                  QStringLiteral(PYRITE_SOURCE_DIR "/resources/schemas"), file});
    if (!python.waitForFinished(60000))
        return -1;
    *output = QString::fromUtf8(python.readAll());
    return python.exitCode();
}

void tst_EventSchemas::emittedEventsValidate()
{
    const QList<QJsonObject> events = emitAll();
    QStringList types;
    for (const QJsonObject &event : events)
        types.append(event.value("type").toString());
    QCOMPARE(types, Catalogue);
    QString output;
    QCOMPARE(validate(events, &output), 0);
    QVERIFY2(output.contains(QStringLiteral("8 valid, 0 invalid")), qPrintable(output));
}

void tst_EventSchemas::brokenEventsAreRejected_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("path"); // "a.b" removed, or "a.b=value" replaced

    QTest::addRow("created without entry_id") << 0 << "data.entry_id";
    QTest::addRow("updated without changes") << 1 << "data.changes";
    QTest::addRow("wrong specversion") << 2 << "specversion=0.3";
    QTest::addRow("id not a ULID") << 3 << "id=42";
    QTest::addRow("claimed without kb") << 4 << "data.kb";
    QTest::addRow("indexed count negative") << 6 << "data.entries=-1";
    QTest::addRow("bad time") << 7 << "time=yesterday";
}

void tst_EventSchemas::brokenEventsAreRejected()
{
    QFETCH(int, index);
    QFETCH(QString, path);
    QJsonObject event = emitAll().value(index);
    const QString key = path.section(u'=', 0, 0);
    const bool replace = path.contains(u'=');
    const QString value = path.section(u'=', 1);
    if (key.startsWith(QStringLiteral("data."))) {
        QJsonObject data = event.value("data").toObject();
        if (replace)
            data.insert(key.mid(5), value.toInt());
        else
            data.remove(key.mid(5));
        event.insert("data", data);
    } else if (replace) {
        event.insert(key, value);
    }
    QString output;
    QCOMPARE(validate({event}, &output), 1);
    QVERIFY2(output.contains(QStringLiteral("0 valid, 1 invalid")), qPrintable(output));
}

QTEST_GUILESS_MAIN(tst_EventSchemas)
#include "tst_eventschemas.moc"
