// pyrite-host as a user runs it: real processes, real config files, the real plugin.

#include "bridgecaller.h"
#include "postgresserver.h"

#include <QDir>
#include <QLocalSocket>
#include <QSet>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QProcess>
#include <QTemporaryDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

class tst_HostCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void plugins_data();
    void plugins();
    void badConfig_data();
    void badConfig();
    void runSendAndStop();
    void strictRunFails();
    void sendWithoutHost();
    void eventsCommand();
    void webhooksCommand();
    void readingNeedsNoSecrets_data();
    void commandMessages_data();
    void commandMessages();
    void readingNeedsNoSecrets();
    void killedHostKeepsEveryAnsweredEvent_data();
    void killedHostKeepsEveryAnsweredEvent();

private:
    QString writeConfig(const QString &name, const QByteArray &body);
    // Runs pyrite-host with arguments, without the variables named in unset; its stderr, and
    // its exit code in *exitCode (-1 when it did not finish in 30 s).
    static QString runHost(const QStringList &arguments, const QStringList &unset, int *exitCode);
    static QProcessEnvironment environment();
    QTemporaryDir m_dir;
};

QProcessEnvironment tst_HostCli::environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYRITE_PLUGIN_PATH"), QStringLiteral(PYRITE_TEST_PLUGIN_DIR));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.info=true"));
    return env;
}

void tst_HostCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QDir(m_dir.path()).mkpath(QStringLiteral("kb/research"));
}

QString tst_HostCli::runHost(const QStringList &arguments, const QStringList &unset, int *exitCode)
{
    QProcess process;
    QProcessEnvironment env = environment();
    for (const QString &name : unset)
        env.remove(name);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PYRITE_HOST_BINARY), arguments);
    *exitCode = process.waitForFinished(30000) ? process.exitCode() : -1;
    return QString::fromUtf8(process.readAllStandardError());
}

QString tst_HostCli::writeConfig(const QString &name, const QByteArray &body)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write("data_dir: state\nknowledge_bases:\n  - {name: research, path: kb/research}\n" +
               body);
    return path;
}

void tst_HostCli::plugins_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("stdoutParts");

    QTest::addRow("loaded") << QByteArray("plugins: [eventbus]\n") << 0
                            << QStringList{"eventbus 0.1.0  [loaded] enabled in config",
                                           "libpyrite-eventbus.so", "wrongiid 1.0  [available]",
                                           "not enabled in the plugins list"};
    QTest::addRow("missing, lenient")
            << QByteArray("plugins: [nosuch, eventbus]\n") << 0
            << QStringList{"nosuch -  [failed] enabled in config",
                           "plugin \"nosuch\" was not found in", "eventbus 0.1.0  [loaded]"};
    QTest::addRow("wrong iid, strict")
            << QByteArray("strict_plugins: true\nplugins: [wrongiid]\n") << 1
            << QStringList{"wrongiid 1.0  [failed]", "org.example.SomethingElse/1.0"};
    QTest::addRow("refused settings")
            << QByteArray("plugins:\n  - name: eventbus\n    settings: {instance: [x]}\n") << 0
            << QStringList{"eventbus 0.1.0  [failed]", "refused its settings",
                           "pyrite.yaml:6: plugins[0].settings.instance: expected a string, got a "
                           "list"};
}

void tst_HostCli::plugins()
{
    QFETCH(QByteArray, body);
    QFETCH(int, exitCode);
    QFETCH(QStringList, stdoutParts);
    QProcess host;
    host.setProcessEnvironment(environment());
    host.start(QStringLiteral(PYRITE_HOST_BINARY),
               {"plugins", "--config", writeConfig("pyrite.yaml", body)});
    QVERIFY(host.waitForFinished(30000));
    const QString out = QString::fromUtf8(host.readAllStandardOutput());
    const QString err = QString::fromUtf8(host.readAllStandardError());
    QCOMPARE(host.exitCode(), exitCode);
    for (const QString &part : stdoutParts)
        QVERIFY2(out.contains(part), qPrintable(part + QStringLiteral("\n---\n") + out + err));
}

void tst_HostCli::badConfig_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("stderrPart");

    QTest::addRow("malformed yaml")
            << QStringList{"--config"} << QByteArray("plugins: [eventbus\n")
            << "pyrite.yaml:5:1: invalid YAML: end of sequence flow not found";
    QTest::addRow("wrong type") << QStringList{"plugins", "--config"}
                                << QByteArray("strict_plugins: 3\n")
                                << "pyrite.yaml:4: strict_plugins: expected true or false";
    QTest::addRow("no config") << QStringList{} << QByteArray()
                               << "no config file; pass --config FILE";
    QTest::addRow("unknown command") << QStringList{"frobnicate", "--config"} << QByteArray()
                                     << "unknown command \"frobnicate\"";
}

void tst_HostCli::badConfig()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, body);
    QFETCH(QString, stderrPart);
    if (arguments.contains(QStringLiteral("--config")))
        arguments.append(writeConfig("bad.yaml", body)
                                 .replace(QStringLiteral("bad.yaml"), QStringLiteral("bad.yaml")));
    QProcessEnvironment env = environment();
    env.remove(QStringLiteral("PYRITE_CONFIG"));
    QProcess host;
    host.setProcessEnvironment(env);
    host.start(QStringLiteral(PYRITE_HOST_BINARY), arguments);
    QVERIFY(host.waitForFinished(30000));
    QCOMPARE(host.exitCode(), 2);
    const QString err = QString::fromUtf8(host.readAllStandardError())
                                .replace(QStringLiteral("bad.yaml"), QStringLiteral("pyrite.yaml"));
    QVERIFY2(err.contains(stderrPart), qPrintable(err));
}

void tst_HostCli::runSendAndStop()
{
    const QString config = writeConfig(
            "run.yaml",
            "plugins:\n  - name: eventbus\n    settings: {instance: cli, stream: {port: 0}}\n");
    QProcess host;
    host.setProcessEnvironment(environment());
    host.start(QStringLiteral(PYRITE_HOST_BINARY), {"--config", config, "--print-events"});
    QVERIFY(host.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += host.readAllStandardError()).contains("ready; Ctrl+C stops"),
                             20000);
    QVERIFY(err.contains("plugin eventbus: loaded"));
    const QString socketPath = m_dir.filePath(QStringLiteral("state/bridge.sock"));
    QVERIFY(QFile::exists(socketPath));

    QProcess send;
    send.setProcessEnvironment(environment());
    send.start(
            QStringLiteral(PYRITE_HOST_BINARY),
            {"send", "--config", config,
             R"({"id":1,"hook":"before_save","entry":{"id":"n1","title":"Hi"},"context":{"kb_name":"research","operation":"create"}})",
             R"({"id":2,"hook":"after_save","entry":{"id":"n1","title":"Hi","type":"note"},"context":{"kb_name":"research","user":"ann","operation":"create"}})"});
    QVERIFY(send.waitForFinished(30000));
    QCOMPARE(send.exitCode(), 0);
    const QList<QByteArray> replies = send.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(replies.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(replies.at(1)).object().value("action").toString(),
             QStringLiteral("continue"));

    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += host.readAllStandardOutput()).contains('\n'), 10000);
    const QJsonObject event = QJsonDocument::fromJson(out.trimmed()).object();
    QCOMPARE(event.value("specversion").toString(), QStringLiteral("1.0"));
    QCOMPARE(event.value("type").toString(), QStringLiteral("entry.created"));
    QCOMPARE(event.value("source").toString(), QStringLiteral("pyrite://cli/kb/research"));
    QCOMPARE(event.value("data").toObject().value("actor").toString(), QStringLiteral("ann"));

    // A bad line over the CLI: error reply, exit code 1, the host keeps running.
    QProcess bad;
    bad.start(QStringLiteral(PYRITE_HOST_BINARY), {"send", "--config", config, "not json"});
    QVERIFY(bad.waitForFinished(30000));
    QCOMPARE(bad.exitCode(), 1);
    QVERIFY(bad.readAllStandardOutput().contains("bad_json"));
    QCOMPARE(host.state(), QProcess::Running);

    ::kill(pid_t(host.processId()), SIGTERM);
    QVERIFY(host.waitForFinished(20000));
    QCOMPARE(host.exitStatus(), QProcess::NormalExit);
    QCOMPARE(host.exitCode(), 0);
    err += host.readAllStandardError();
    QVERIFY2(err.contains("event bus stopping after 1 events"), err.constData());
    QVERIFY(!QFile::exists(socketPath));
}

void tst_HostCli::strictRunFails()
{
    const QString config = writeConfig("strict.yaml", "strict_plugins: true\nplugins: [nosuch]\n");
    QProcess host;
    host.setProcessEnvironment(environment());
    host.start(QStringLiteral(PYRITE_HOST_BINARY), {"--config", config});
    QVERIFY(host.waitForFinished(30000));
    QCOMPARE(host.exitCode(), 1);
    const QString err = QString::fromUtf8(host.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("plugin \"nosuch\" was not found")) &&
                     err.contains(QStringLiteral("strict_plugins is on")),
             qPrintable(err));
}

void tst_HostCli::sendWithoutHost()
{
    const QString config = writeConfig("nohost.yaml", "bridge: {socket: nohost.sock}\n");
    QProcess send;
    send.start(QStringLiteral(PYRITE_HOST_BINARY),
               {"send", "--config", config, R"({"op":"ping"})"});
    QVERIFY(send.waitForFinished(30000));
    QCOMPARE(send.exitCode(), 1);
    QVERIFY(send.readAllStandardError().contains("cannot reach the bridge"));
}

// Runs "pyrite-host events" and returns its stdout lines (exit code in *exitCode).
static QList<QByteArray> runEvents(const QStringList &arguments, int *exitCode,
                                   QByteArray *errors = nullptr)
{
    QProcess events;
    events.start(QStringLiteral(PYRITE_HOST_BINARY),
                 QStringList{QStringLiteral("events")} + arguments);
    events.waitForFinished(30000);
    *exitCode = events.exitCode();
    if (errors)
        *errors = events.readAllStandardError();
    QList<QByteArray> lines = events.readAllStandardOutput().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

void tst_HostCli::eventsCommand()
{
    const QString config = writeConfig(
            "events.yaml",
            "data_dir: events-data\nbridge: {socket: events.sock}\nplugins:\n  - name: eventbus\n"
            "    settings: {event_log: {path: events-command.sqlite}, stream: {port: 0}}\n");
    QProcess host;
    host.setProcessEnvironment(environment());
    host.start(QStringLiteral(PYRITE_HOST_BINARY), {"--config", config});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += host.readAllStandardError()).contains("ready; Ctrl+C stops"),
                             20000);
    QProcess send;
    send.start(
            QStringLiteral(PYRITE_HOST_BINARY),
            {"send", "--config", config,
             R"({"hook":"after_save","entry":{"id":"a","type":"note"},"context":{"kb_name":"research","operation":"create"}})",
             R"({"hook":"after_save","entry":{"id":"b","type":"task"},"context":{"kb_name":"tasks","operation":"create"}})",
             R"({"hook":"after_delete","entry":{"id":"a"},"context":{"kb_name":"research","operation":"delete"}})",
             R"({"notify":"kb.indexed","context":{"kb_name":"research"}})"});
    QVERIFY(send.waitForFinished(30000));
    QCOMPARE(send.exitCode(), 0);

    int code = -1;
    QTRY_COMPARE_WITH_TIMEOUT(runEvents({"--config", config}, &code).size(), 4, 5000);
    const QList<QByteArray> all = runEvents({"--config", config}, &code);
    QCOMPARE(code, 0);
    const QJsonObject first = QJsonDocument::fromJson(all.at(0)).object();
    QCOMPARE(first.value("sequence").toInt(), 1);
    const QString epoch = first.value("epoch").toString();
    QVERIFY(!epoch.isEmpty());
    QCOMPARE(runEvents({"--config", config, "--type", "entry.*"}, &code).size(), 3);
    QCOMPARE(runEvents({"--config", config, "--kb", "tasks"}, &code).size(), 1);
    QCOMPARE(runEvents({"--config", config, "--since", "2", "--epoch", epoch}, &code).size(), 2);
    QCOMPARE(runEvents({"--config", config, "--entry-type", "note"}, &code).size(), 1);
    QCOMPARE(runEvents({"--config", config, "--until", "2000-01-01T00:00:00Z"}, &code).size(), 0);

    QByteArray errors;
    QVERIFY(runEvents({"--config", config, "--since", "2", "--epoch", "other"}, &code, &errors)
                    .isEmpty());
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains("epoch \"other\" is not this log's"), errors.constData());
    QVERIFY(runEvents({"--config", config, "--type", "Entry.*"}, &code, &errors).isEmpty());
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains("\"Entry.*\" may only contain"), errors.constData());
    QVERIFY(runEvents({"--config", config, "--since", "-3"}, &code, &errors).isEmpty());
    QCOMPARE(code, 2);
    QVERIFY(runEvents({"--config", config, "--from", "yesterday"}, &code, &errors).isEmpty());
    QCOMPARE(code, 2);
    QVERIFY2(errors.contains("--from takes an RFC 3339 time"), errors.constData());

    // --follow prints what arrives later.
    QProcess follow;
    follow.start(QStringLiteral(PYRITE_HOST_BINARY),
                 {"events", "--config", config, "--follow", "--since", "4"});
    QVERIFY(follow.waitForStarted());
    QProcess more;
    more.start(QStringLiteral(PYRITE_HOST_BINARY),
               {"send", "--config", config,
                R"({"hook":"after_save","entry":{"id":"c"},"context":{"kb_name":"research"}})"});
    QVERIFY(more.waitForFinished(30000));
    QByteArray followed;
    QTRY_VERIFY_WITH_TIMEOUT(
            (followed += follow.readAllStandardOutput()).contains("\"sequence\":5"), 10000);
    follow.terminate(); // SIGTERM: a clean stop
    QVERIFY(follow.waitForFinished(10000));
    QCOMPARE(follow.exitCode(), 0);

    ::kill(pid_t(host.processId()), SIGTERM);
    QVERIFY(host.waitForFinished(20000));

    // events verify: intact, then after an edit with SQL, broken at that sequence (exit 1).
    QList<QByteArray> verdict = runEvents({"verify", "--config", config}, &code, &errors);
    QCOMPARE(code, 0);
    QVERIFY2(errors.contains("the chain is intact: 5 events checked (1 to 5)"), errors.constData());
    QCOMPARE(QJsonDocument::fromJson(verdict.value(0)).object().value("intact").toBool(), true);
    {
        QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("edit"));
        db.setDatabaseName(m_dir.filePath(QStringLiteral("events-data/events-command.sqlite")));
        QVERIFY(db.open());
        QSqlQuery edit(db);
        QVERIFY(edit.exec(QStringLiteral(
                "UPDATE events SET envelope = replace(envelope, 'tasks', 'notes') WHERE seq = 2")));
        QCOMPARE(edit.numRowsAffected(), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("edit"));
    verdict = runEvents({"verify", "--config", config}, &code, &errors);
    QCOMPARE(code, 1);
    const QJsonObject broken = QJsonDocument::fromJson(verdict.value(0)).object();
    QCOMPARE(broken.value("intact").toBool(), false);
    QCOMPARE(broken.value("broken_at").toInteger(), 2);
    QVERIFY2(errors.contains("the chain breaks at sequence 2: its content does not match its hash"),
             errors.constData());
}

// "pyrite-host webhooks": the runtime endpoint operations on the log a config names, without a
// host running (the log's database is what they change).
void tst_HostCli::webhooksCommand()
{
    const QString config = writeConfig(
            "hooks.yaml",
            "data_dir: hooks-data\nbridge: {socket: hooks.sock}\nplugins:\n  - name: eventbus\n"
            "    settings:\n      stream: {port: 0}\n      webhooks:\n        endpoints:\n"
            "          - {id: configured-one, url: 'https://hooks.example/x'}\n");
    const auto run = [&](const QStringList &arguments, int *code, QString *err,
                         const QByteArray &input = {}) {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(PYRITE_HOST_BINARY),
                      QStringList{"webhooks"} + arguments + QStringList{"--config", config});
        process.write(input);
        process.closeWriteChannel();
        *code = process.waitForFinished(30000) ? process.exitCode() : -1;
        *err = QString::fromUtf8(process.readAllStandardError());
        QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
        lines.removeAll(QByteArray());
        return lines;
    };
    int code = -1;
    QString err;
    // A literal public address: saving checks the address, and tests have no DNS.
    QList<QByteArray> out =
            run({"create",
                 R"({"id":"cli-hook","url":"https://93.184.216.34/hook","events":["entry.*"]})"},
                &code, &err);
    QCOMPARE(code, 0);
    const QJsonObject created = QJsonDocument::fromJson(out.value(0)).object();
    const QString secret = created.value("secret").toString();
    QVERIFY2(secret.startsWith("whsec_"), out.value(0).constData());
    QVERIFY2(err.contains("the secret is shown only now"), qPrintable(err));

    out = run({}, &code, &err);
    QCOMPARE(code, 0);
    QCOMPARE(out.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(out.at(0)).object().value("origin").toString(), "config");
    QCOMPARE(QJsonDocument::fromJson(out.at(1)).object().value("id").toString(), "cli-hook");
    QVERIFY(!out.join().contains(secret.toUtf8()));

    out = run({"update", "cli-hook", "-"}, &code, &err, R"({"enabled": false})");
    QCOMPARE(code, 0);
    QCOMPARE(QJsonDocument::fromJson(out.value(0)).object().value("enabled").toBool(), false);
    run({"update", "cli-hook", "{nope"}, &code, &err);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("the definition is not valid JSON"), qPrintable(err));
    run({"update", "cli-hook", R"({"url":"http://127.0.0.1/x"})"}, &code, &err);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("url: refused: 127.0.0.1"), qPrintable(err));

    out = run({"rotate-secret", "cli-hook", "--grace", "1h"}, &code, &err);
    QCOMPARE(code, 0);
    const QJsonObject rotated = QJsonDocument::fromJson(out.value(0)).object();
    QVERIFY(rotated.value("secret").toString().startsWith("whsec_"));
    QVERIFY(rotated.value("secret").toString() != secret);
    QVERIFY(rotated.contains("previous_secret_until"));
    run({"rotate-secret", "configured-one"}, &code, &err);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("is configured in"), qPrintable(err));
    run({"rotate-secret", "cli-hook", "--grace", "soon"}, &code, &err);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("--grace takes a duration"), qPrintable(err));

    // A test to it by id sends to it as it is: a loopback endpoint that allows it is tried
    // (and refuses the connection), where the same URL given as a URL is refused by the policy.
    run({"create", R"({"id":"local","url":"http://127.0.0.1:1/x","allow_private":true})"}, &code,
        &err);
    QCOMPARE(code, 0);
    // Its answer on stdout.
    const auto runHostCommand = [&](const QStringList &arguments) {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(PYRITE_HOST_BINARY),
                      arguments + QStringList{"--config", config});
        code = process.waitForFinished(30000) ? process.exitCode() : -1;
        return QString::fromUtf8(process.readAllStandardOutput());
    };
    QString said = runHostCommand({"webhook-test", "local"});
    QCOMPARE(code, 1);
    QVERIFY2(said.contains("http://127.0.0.1:1/x") && !said.contains("allow_private"),
             qPrintable(said));
    said = runHostCommand({"webhook-test", "http://127.0.0.1:1/x"});
    QCOMPARE(code, 1);
    QVERIFY2(said.contains("allow_private"), qPrintable(said));
    said = runHostCommand({"webhook-test", "nobody"});
    QCOMPARE(code, 1);
    QVERIFY2(said.contains("no endpoint \\\"nobody\\\""), qPrintable(said));
    said = runHostCommand({"redeliver", "--dead", "--endpoint", "local"});
    QCOMPARE(code, 0);
    QVERIFY2(said.contains("deliveries pending again: 0"), qPrintable(said));
    run({"delete", "local"}, &code, &err);
    QCOMPARE(code, 0);

    run({"delete", "cli-hook"}, &code, &err);
    QCOMPARE(code, 0);
    run({"delete", "cli-hook"}, &code, &err);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("no endpoint \"cli-hook\""), qPrintable(err));
    run({"frobnicate"}, &code, &err);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("give list, create JSON"), qPrintable(err));
    QCOMPARE(run({}, &code, &err).size(), 1);
}

void tst_HostCli::readingNeedsNoSecrets_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrHas");
    // Before: each of these failed with "environment variable ... is not set" unless the host's
    // secrets were exported in the same shell (the README's second-terminal "events --follow").
    QTest::newRow("events") << QStringList{"events"} << 0 << "";
    QTest::newRow("events verify") << QStringList{"events", "verify"} << 0 << "the chain is intact";
    QTest::newRow("deliveries") << QStringList{"deliveries"} << 0 << "";
    QTest::newRow("plugins") << QStringList{"plugins"} << 0 << "";
    // Signing needs the secret: webhook-test still says which variable is missing.
    QTest::newRow("webhook-test") << QStringList{"webhook-test", "https://hooks.example/x"} << 1
                                  << "environment variable CLI_UNSET_WEBHOOK_SECRET is not set";
}

void tst_HostCli::readingNeedsNoSecrets()
{
    QFETCH(QStringList, command);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrHas);
    const QString config = writeConfig(
            "secrets.yaml",
            "data_dir: secrets-data\nbridge: {socket: secrets.sock}\nplugins:\n  - name: eventbus\n"
            "    settings:\n      stream: {port: 0, tokens: [env:CLI_UNSET_STREAM_TOKEN]}\n"
            "      webhooks:\n        endpoints:\n          - {url: 'https://hooks.example/x', "
            "secret: env:CLI_UNSET_WEBHOOK_SECRET}\n");
    int code = -1;
    const QString err = runHost(command + QStringList{"--config", config},
                                {"CLI_UNSET_STREAM_TOKEN", "CLI_UNSET_WEBHOOK_SECRET"}, &code);
    QCOMPARE(code, exitCode);
    QVERIFY2(err.contains(stderrHas), qPrintable(err));
    if (exitCode == 0)
        QVERIFY2(!err.contains(u"is not set"), qPrintable(err));
}

void tst_HostCli::commandMessages_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrHas");
    QTest::addColumn<QString>("stderrLacks");
    // Before: five lifecycle lines on every call; nothing at all from "deliveries" without
    // webhooks (exit 0); Qt's own "Unknown option" wording.
    QTest::newRow("events is quiet") << QStringList{"events"} << 0 << ""
                                     << "event log";
    QTest::newRow("events --verbose") << QStringList{"events", "--verbose"} << 0 << "event log"
                                      << "";
    QTest::newRow("deliveries without webhooks")
            << QStringList{"deliveries"} << 1 << "pyrite-host deliveries: no webhooks configured"
            << "";
    QTest::newRow("a misspelt option")
            << QStringList{"events", "--folow"} << 2
            << "pyrite-host: unknown option --folow (did you mean --follow?); see --help"
            << "Unknown option";
    QTest::newRow("an option far from any") << QStringList{"events", "--zzzzzzzz"} << 2
                                            << "pyrite-host: unknown option --zzzzzzzz; see --help"
                                            << "did you mean";
}

void tst_HostCli::commandMessages()
{
    QFETCH(QStringList, command);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrHas);
    QFETCH(QString, stderrLacks);
    const QString config =
            writeConfig("messages.yaml",
                        "data_dir: messages-data\nbridge: {socket: messages.sock}\n"
                        "plugins:\n  - name: eventbus\n    settings: {stream: {port: 0}}\n");
    int code = -1;
    const QString err =
            runHost(command + QStringList{"--config", config}, {"QT_LOGGING_RULES"}, &code);
    QCOMPARE(code, exitCode);
    QVERIFY2(err.contains(stderrHas), qPrintable(err));
    if (!stderrLacks.isEmpty())
        QVERIFY2(!err.contains(stderrLacks), qPrintable(err));
}

void tst_HostCli::killedHostKeepsEveryAnsweredEvent_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addRow("sqlite") << "sqlite";
    QTest::addRow("postgresql") << "postgresql";
}

// durability: sync promises that an after_save which answered has its event committed. Kill the
// host with SIGKILL at random points while hook calls are in flight; every answered event must be
// in the log afterwards. (With durability: async this test fails: answered events go missing.)
void tst_HostCli::killedHostKeepsEveryAnsweredEvent()
{
    QFETCH(QString, driver);
    std::unique_ptr<PostgresServer> postgres;
    QByteArray logSettings =
            "      event_log: {durability: sync, path: killed-" + driver.toLatin1() + ".sqlite}\n";
    if (driver == u"postgresql") {
        if (PostgresServer::binDir().isEmpty())
            QSKIP("PostgreSQL server binaries not found; scripts/install-deps.sh installs Debian's "
                  "postgresql");
        postgres = std::make_unique<PostgresServer>();
        QString error;
        QVERIFY2(postgres->start(&error), qPrintable(error));
        QVERIFY2(postgres->createDatabase(QStringLiteral("killed"), &error), qPrintable(error));
        logSettings =
                QStringLiteral(
                        "      event_log:\n        driver: postgresql\n        durability: sync\n"
                        "        postgresql: {host: %1, port: %2, database: killed, user: "
                        "postgres}\n")
                        .arg(postgres->socketDir())
                        .arg(postgres->port())
                        .toUtf8();
    }
    const QString config = writeConfig("killed-" + driver + ".yaml",
                                       "bridge: {socket: killed.sock}\nplugins:\n  - name: "
                                       "eventbus\n    settings:\n      stream: {port: 0}\n" +
                                               logSettings);

    QSet<QString> answered;
    int next = 0;
    for (int round = 0; round < 3; ++round) {
        QProcess host;
        host.setProcessEnvironment(environment());
        host.start(QStringLiteral(PYRITE_HOST_BINARY), {"--config", config});
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT(
                (err += host.readAllStandardError()).contains("ready; Ctrl+C stops"), 20000);

        BridgeCaller bridge(&answered);
        QVERIFY(bridge.connectTo(m_dir.filePath(QStringLiteral("killed.sock"))));
        // Keep 20 calls in flight; kill after a random number of answers in this round.
        const int roundStart = int(answered.size());
        const int killAfter = roundStart + 20 + int(QRandomGenerator::global()->bounded(60));
        int sent = 0;
        while (answered.size() < killAfter) {
            while (sent - (int(answered.size()) - roundStart) < 20 && sent < 500) {
                bridge.save(QStringLiteral("k%1").arg(next++));
                ++sent;
            }
            QTest::qWait(1); // let replies in; bounded by killAfter
        }
        ::kill(pid_t(host.processId()), SIGKILL);
        QVERIFY(host.waitForFinished(10000));
        QCOMPARE(host.exitStatus(), QProcess::CrashExit);
        bridge.abort();
    }

    int code = -1;
    QByteArray readErrors;
    const QList<QByteArray> logged = runEvents({"--config", config}, &code, &readErrors);
    QVERIFY2(code == 0, readErrors.constData());
    QSet<QString> inLog;
    qint64 previous = 0;
    for (const QByteArray &line : logged) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        inLog.insert(event.value("data").toObject().value("entry_id").toString());
        QVERIFY(event.value("sequence").toInteger() > previous);
        previous = event.value("sequence").toInteger();
    }
    QVERIFY(answered.size() >= 60);
    const QSet<QString> missing = answered - inLog;
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("answered but not logged: ") +
                        QStringList(missing.begin(), missing.end()).join(u' ')));
    // Three SIGKILLs mid-write: the hash chain is whole (each batch's hashes commit with it).
    QByteArray errors;
    const QList<QByteArray> verdict = runEvents({"verify", "--config", config}, &code, &errors);
    QVERIFY2(code == 0, errors.constData()); // (once seen exiting 6 under ASan, not reproduced)
    QCOMPARE(QJsonDocument::fromJson(verdict.value(0)).object().value("checked").toInteger(),
             logged.size());
}

QTEST_GUILESS_MAIN(tst_HostCli)
#include "tst_hostcli.moc"
