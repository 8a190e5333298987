// The HTTP side of the plugin with real requests on 127.0.0.1: the page and its assets, /api/graph,
// /api/events, /healthz, /metrics and the webhook operations; the token where one is configured;
// a 400 naming the parameter for every bad query; and WebSocket streams on the same port.

#include "httpclient.h"
#include "loadedplugin.h"
#include "testfiles.h"
#include "webhookreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace Pyrite;

namespace {

using Answer = HttpAnswer;

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

const QByteArray Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

} // namespace

class tst_HttpApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void pageAndAssets();
    void graph();
    void linksPerEntryAreCapped();
    void events();
    void eventsNewestFirst();
    void entryEvents();
    void problemsFromTheHost();
    void entryUrl();
    void badParameters_data();
    void badParameters();
    void unknownPathAndMethod();
    void token_data();
    void token();
    void metricsWithoutSecrets();
    void webhookOperations();
    void webhookEndpointsAtRunTime();
    void webhookEndpointRequestsAreChecked_data();
    void webhookEndpointRequestsAreChecked();
    void webhookTestIsBounded_data();
    void webhookTestIsBounded();
    void streamsOnTheSamePort();
    void oversizeRequestHead();
    void foreignOrigin_data();
    void foreignOrigin();

private:
    bool start(const QVariantMap &extra = {});
    Answer request(const QByteArray &method, const QString &path, const QByteArray &token = {},
                   const QByteArray &origin = {}, const QByteArray &body = {},
                   const QByteArray &contentType = "application/json");
    void publish(const QString &id, const QString &kb = "notes", const QVariantList &links = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LoadedPlugin> m_plugin;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
};

void tst_HttpApi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    writeFile(m_dir->filePath("kb/notes/a.md"),
              "---\nid: a\ntitle: A\nlinks: [b, tasks/t1]\n---\n");
    writeFile(m_dir->filePath("kb/notes/b.md"), "---\nid: b\ntitle: B\ntype: paper\n---\n");
    writeFile(m_dir->filePath("kb/notes/bad.md"), "---\nid: [\n---\n");
    writeFile(m_dir->filePath("kb/tasks/t1.md"), "---\nid: t1\ntype: task\n---\n");
}

void tst_HttpApi::cleanup()
{
    m_plugin.reset();
    m_dir.reset();
}

bool tst_HttpApi::start(const QVariantMap &extra)
{
    m_port = freePort();
    QVariantMap stream{{"port", m_port}};
    QVariantMap settings{
            {"instance", "http-test"},
            {"event_log",
             QVariantMap{{"driver", "sqlite"}, {"path", m_dir->filePath("log.sqlite")}}}};
    for (auto it = extra.cbegin(); it != extra.cend(); ++it) {
        if (it.key() == "tokens" || it.key() == "entry_url")
            stream.insert(it.key(), it.value());
        else if (it.key() == "stream_origins")
            stream.insert("allowed_origins", it.value());
        else
            settings.insert(it.key(), it.value());
    }
    settings.insert("stream", stream);
    HostContext context;
    context.dataDir = m_dir->path();
    context.knowledgeBases = {{"notes", m_dir->filePath("kb/notes")},
                              {"tasks", m_dir->filePath("kb/tasks")}};
    m_plugin = std::make_unique<LoadedPlugin>();
    QString error;
    if (!m_plugin->load(settings, context, &error)) {
        qWarning() << error;
        return false;
    }
    // The graph is read on a pool thread.
    for (int i = 0; i < 200; ++i) {
        if (request("GET", "/healthz").json().value("graph_loaded").toBool())
            return true;
        QTest::qWait(10);
    }
    return false;
}

Answer tst_HttpApi::request(const QByteArray &method, const QString &path, const QByteArray &token,
                            const QByteArray &origin, const QByteArray &body,
                            const QByteArray &contentType)
{
    return httpRequest(m_network, m_port, method, path, token, origin, body, contentType);
}

void tst_HttpApi::publish(const QString &id, const QString &kb, const QVariantList &links)
{
    HookContext context;
    context.kbName = kb;
    context.user = "tester";
    context.operation = "create";
    m_plugin->plugin->callHook(
            Hook::AfterSave,
            {{"id", id}, {"title", id.toUpper()}, {"type", "note"}, {"links", links}}, context);
}

void tst_HttpApi::pageAndAssets()
{
    QVERIFY(start());
    const Answer page = request("GET", "/");
    QCOMPARE(page.status, 200);
    QVERIFY(page.contentType.startsWith("text/html"));
    QVERIFY(page.body.contains("Pyrite live graph"));
    for (const char *asset : {"app.js", "app.css", "cytoscape.min.js", "layout-base.js",
                              "cose-base.js", "cytoscape-cose-bilkent.js"}) {
        const Answer answer = request("GET", QString("/assets/") + asset);
        QVERIFY2(answer.status == 200 && answer.body.size() > 500, asset);
    }
    QCOMPARE(request("GET", "/assets/nothing.js").status, 404);
    QCOMPARE(request("GET", "/assets/../index.html").status, 404);
}

void tst_HttpApi::graph()
{
    QVERIFY(start());
    Answer answer = request("GET", "/api/graph");
    QCOMPARE(answer.status, 200);
    QJsonObject graph = answer.json();
    QCOMPARE(graph.value("nodes").toArray().size(), 3);
    // a -> b in its KB, a -> tasks/t1 across KBs.
    QCOMPARE(graph.value("edges").toArray().size(), 2);
    QCOMPARE(graph.value("dangling").toArray().size(), 0);
    QCOMPARE(graph.value("problems").toArray().size(), 1);
    QVERIFY(graph.value("problems").toArray().at(0).toString().contains("bad.md:"));

    // Events change it, and the sequence tells the page where to resume.
    publish("c", "notes", {QVariantMap{{"target", "a"}}});
    QTRY_COMPARE(request("GET", "/api/graph").json().value("nodes").toArray().size(), 4);
    graph = request("GET", "/api/graph").json();
    QCOMPARE(graph.value("edges").toArray().size(), 3);
    // A link to no entry is named, to be drawn once the entry appears.
    publish("d", "notes", {QVariantMap{{"target", "later"}, {"relation", "cites"}}});
    QTRY_COMPARE(request("GET", "/api/graph").json().value("dangling").toArray().size(), 1);
    QCOMPARE(request("GET", "/api/graph").json().value("dangling").toArray().at(0).toObject(),
             (QJsonObject{{"source", "notes/d"}, {"target", "later"}, {"relation", "cites"}}));
    publish("later");
    QTRY_COMPARE(request("GET", "/api/graph").json().value("dangling").toArray().size(), 0);
    graph = request("GET", "/api/graph").json();
    QCOMPARE(graph.value("edges").toArray().size(), 4);
    QVERIFY(graph.value("sequence").toInteger() >= 1);

    // kb.indexed reads the KB again: its problems replace the last read's.
    const qint64 before = graph.value("sequence").toInteger();
    QString error;
    HookContext notes;
    notes.kbName = "notes";
    QVERIFY2(m_plugin->plugin->notify(Notification::KbIndexed,
                                      {{"entries", 2},
                                       {"added", 0},
                                       {"updated", 0},
                                       {"removed", 0},
                                       {"duration_ms", 1}},
                                      notes, &error),
             qPrintable(error));
    // Applied (its sequence is in) and the folder read again (no longer loading).
    QTRY_VERIFY([&] {
        const QJsonObject now = request("GET", "/api/graph").json();
        return now.value("sequence").toInteger() > before && !now.value("loading").toBool();
    }());
    graph = request("GET", "/api/graph").json();
    QCOMPARE(graph.value("problems").toArray().size(), 1);
    // After a reindex the folder is what counts: "c", "d" and "later" came from events only.
    QCOMPARE(graph.value("nodes").toArray().size(), 3);

    answer = request("GET", "/api/graph?kb=tasks");
    QCOMPARE(answer.json().value("nodes").toArray().size(), 1);
    answer = request("GET", "/api/graph?entry_type=paper");
    QCOMPARE(answer.json().value("nodes").toArray().at(0).toObject().value("entry_id").toString(),
             "b");
}

// Before: 20 entries with 40,000 links each kept 266 MiB in the graph.
void tst_HttpApi::linksPerEntryAreCapped()
{
    QByteArray hub = "---\nid: hub\nlinks:\n";
    for (int i = 0; i < 1500; ++i)
        hub += "  - target: e" + QByteArray::number(i) + "\n";
    writeFile(m_dir->filePath("kb/notes/hub.md"), hub + "---\n[[a]] [[b]]\n");
    writeFile(m_dir->filePath("kb/notes/e5.md"), "---\nid: e5\n---\n");
    writeFile(m_dir->filePath("kb/notes/e1400.md"), "---\nid: e1400\n---\n");
    QVERIFY(start());
    const auto edgesFrom = [this](const QString &source) {
        int count = 0;
        for (const QJsonValue &edge : request("GET", "/api/graph").json().value("edges").toArray())
            count += edge["source"].toString() == source;
        return count;
    };
    const auto problems = [this] {
        QStringList all;
        for (const QJsonValue &problem :
             request("GET", "/api/graph").json().value("problems").toArray())
            all += problem.toString();
        return all.join(u'\n');
    };
    // The first 1000 links are kept: e5 is drawn, e1400 and the wikilinks after them are not.
    QCOMPARE(edgesFrom("notes/hub"), 1);
    QVERIFY2(problems().contains("notes/hub has 1502 links; the graph draws the first 1000"),
             qPrintable(problems()));
    // From a hook call the same.
    QVariantList links;
    for (int i = 0; i < 40000; ++i)
        links.append(QVariantMap{{"target", QString("a%1").arg(i)}});
    links.prepend(QVariantMap{{"target", "b"}});
    publish("many", "notes", links);
    QTRY_VERIFY2(problems().contains("notes/many has 40001 links; the graph draws the first 1000"),
                 qPrintable(problems()));
    QCOMPARE(edgesFrom("notes/many"), 1);
    // Fewer links later: the problem is gone.
    publish("many", "notes", {QVariantMap{{"target", "a"}}});
    QTRY_VERIFY(!problems().contains("notes/many"));
}

void tst_HttpApi::events()
{
    QVERIFY(start());
    for (int i = 0; i < 5; ++i)
        publish(QString("e%1").arg(i), i % 2 ? "tasks" : "notes");
    QTRY_COMPARE(request("GET", "/api/events").json().value("events").toArray().size(), 5);
    QJsonObject page = request("GET", "/api/events?since=2&limit=2").json();
    QCOMPARE(page.value("events").toArray().size(), 2);
    QCOMPARE(page.value("events").toArray().at(0).toObject().value("sequence").toInteger(), 3);
    QCOMPARE(page.value("last_sequence").toInteger(), 4);
    QCOMPARE(page.value("more").toBool(), true);
    const QString epoch = page.value("epoch").toString();
    QVERIFY(!epoch.isEmpty());
    page = request("GET", "/api/events?kb=tasks&type=entry.*").json();
    QCOMPARE(page.value("events").toArray().size(), 2);
    page = request("GET", "/api/events?since=4&epoch=" + epoch).json();
    QCOMPARE(page.value("events").toArray().size(), 1);
    const Answer otherEpoch = request("GET", "/api/events?since=4&epoch=zzz");
    QCOMPARE(otherEpoch.status, 400);
    QVERIFY(otherEpoch.json().value("message").toString().contains("epoch"));
}

// The page's feed opens with the latest events and pages back through older ones.
void tst_HttpApi::eventsNewestFirst()
{
    QVERIFY(start());
    for (int i = 1; i <= 7; ++i)
        publish(QString("e%1").arg(i), i % 2 ? "notes" : "tasks");
    QTRY_COMPARE(request("GET", "/api/events").json().value("events").toArray().size(), 7);
    const auto sequences = [](const QJsonObject &page) {
        QList<qint64> all;
        for (const QJsonValue &event : page.value("events").toArray())
            all += event["sequence"].toInteger();
        return all;
    };
    QJsonObject page = request("GET", "/api/events?order=newest&limit=3").json();
    QCOMPARE(sequences(page), (QList<qint64>{7, 6, 5}));
    QCOMPARE(page.value("last_sequence").toInteger(), 5);
    QCOMPARE(page.value("more").toBool(), true);
    page = request("GET", "/api/events?order=newest&limit=3&before=5").json();
    QCOMPARE(sequences(page), (QList<qint64>{4, 3, 2}));
    page = request("GET", "/api/events?order=newest&limit=3&before=2").json();
    QCOMPARE(sequences(page), (QList<qint64>{1}));
    QCOMPARE(page.value("more").toBool(), false);
    // An empty page says where it started.
    page = request("GET", "/api/events?order=newest&before=1").json();
    QCOMPARE(sequences(page), QList<qint64>{});
    QCOMPARE(page.value("last_sequence").toInteger(), 1);
    // Filters and the lower bound still apply.
    page = request("GET", "/api/events?order=newest&kb=tasks").json();
    QCOMPARE(sequences(page), (QList<qint64>{6, 4, 2}));
    page = request("GET", "/api/events?order=newest&since=4").json();
    QCOMPARE(sequences(page), (QList<qint64>{7, 6, 5}));
    // Oldest first is the default, and may be said.
    page = request("GET", "/api/events?order=oldest&limit=2").json();
    QCOMPARE(sequences(page), (QList<qint64>{1, 2}));
}

// The entry panel shows the latest events of one entry.
void tst_HttpApi::entryEvents()
{
    QVERIFY(start());
    publish("x");
    publish("y");
    publish("x", "tasks");
    publish("x");
    QTRY_COMPARE(request("GET", "/api/events").json().value("events").toArray().size(), 4);
    const QJsonArray events = request("GET", "/api/events?kb=notes&entry_id=x&order=newest")
                                      .json()["events"]
                                      .toArray();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0)["sequence"].toInteger(), 4);
    QCOMPARE(events.at(1)["sequence"].toInteger(), 1);
    QCOMPARE(events.at(0)["subject"].toString(), "notes/x");
}

// pyrite-host --watch reports files it cannot use; the page lists them until they are mended.
void tst_HttpApi::problemsFromTheHost()
{
    QVERIFY(start());
    auto *sink = qobject_cast<KnowledgeBaseProblems *>(m_plugin->loader.instance());
    QVERIFY(sink);
    const auto problems = [this] {
        QStringList all;
        for (const QJsonValue &problem :
             request("GET", "/api/problems").json()["problems"].toArray())
            all += problem.toString();
        return all;
    };
    // The plugin's own read of the folders found bad.md.
    QCOMPARE(problems().size(), 1);
    const QString scanned = problems().constFirst();
    QVERIFY2(scanned.contains("bad.md:"), qPrintable(scanned));
    // The host finds the same file (said once) and another one.
    sink->setKnowledgeBaseProblems("notes", {scanned, "/kb/notes/c.md:2: invalid YAML"});
    QCOMPARE(problems(), (QStringList{scanned, "/kb/notes/c.md:2: invalid YAML"}));
    QCOMPARE(request("GET", "/api/graph").json()["problems"].toArray().size(), 2);
    sink->setKnowledgeBaseProblems("tasks", {"/kb/tasks/t2.md:1: cannot read"});
    QCOMPARE(problems().size(), 3);
    // Mended: the host's next report is empty.
    sink->setKnowledgeBaseProblems("notes", {});
    sink->setKnowledgeBaseProblems("tasks", {});
    QCOMPARE(problems(), QStringList{scanned});
    QCOMPARE(request("GET", "/api/problems?x=1").status, 400);
}

void tst_HttpApi::entryUrl()
{
    QVERIFY(start({{"entry_url", "http://localhost:8088/entries/{id}?kb={kb}"}}));
    const QJsonObject graph = request("GET", "/api/graph").json();
    QCOMPARE(graph["entry_url"].toString(), "http://localhost:8088/entries/{id}?kb={kb}");
    // Each node names its file, relative to the KB folder: read from the folder, or given by a
    // hook call (Pyrite's file_path is absolute).
    for (const QJsonValue &node : graph["nodes"].toArray()) {
        if (node["id"] == "notes/a")
            QCOMPARE(node["path"].toString(), "a.md");
    }
    HookContext context;
    context.kbName = "notes";
    context.operation = "create";
    const auto pathOf = [this](const QString &id) {
        for (const QJsonValue &node : request("GET", "/api/graph").json()["nodes"].toArray()) {
            if (node["id"] == id)
                return node["path"].toString();
        }
        return QStringLiteral("(none)");
    };
    m_plugin->plugin->callHook(Hook::AfterSave,
                               {{"id", "p"}, {"file_path", m_dir->filePath("kb/notes/sub/p.md")}},
                               context);
    QTRY_COMPARE(pathOf("notes/p"), "sub/p.md");
    m_plugin->plugin->callHook(Hook::AfterSave, {{"id", "q"}, {"file_path", "/elsewhere/q.md"}},
                               context);
    QTRY_COMPARE(pathOf("notes/q"), "/elsewhere/q.md");
    cleanup();
    init();
    QVERIFY(start());
    QVERIFY(!request("GET", "/api/graph").json().contains("entry_url"));
}

void tst_HttpApi::badParameters_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown parameter") << "/api/events?sinse=3"
                                       << "unknown parameter \"sinse\"";
    QTest::newRow("since not a number") << "/api/events?since=abc"
                                        << "parameter \"since\"";
    QTest::newRow("negative since") << "/api/events?since=-1"
                                    << "parameter \"since\"";
    QTest::newRow("limit too large") << "/api/events?limit=5000"
                                     << "parameter \"limit\"";
    QTest::newRow("limit zero") << "/api/events?limit=0"
                                << "parameter \"limit\"";
    QTest::newRow("bad time") << "/api/events?from=yesterday"
                              << "parameter \"from\"";
    QTest::newRow("bad type pattern") << "/api/events?type=entry.**x"
                                      << "parameter \"type\"";
    // Before: any number of them, each matched against every stored event.
    QTest::newRow("33 type patterns")
            << "/api/events?type=" + QStringList(33, QStringLiteral("entry.*")).join(u',')
            << "parameter \"type\": more than 32 patterns";
    QTest::newRow("33 type parameters")
            << "/api/events?type=" + QStringList(33, QStringLiteral("entry.*")).join("&type=")
            << "parameter \"type\": more than 32 patterns";
    QTest::newRow("time range backwards")
            << "/api/events?from=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"
            << "time range";
    QTest::newRow("order unknown") << "/api/events?order=random"
                                   << "parameter \"order\": \"random\" is neither";
    QTest::newRow("before without newest") << "/api/events?before=5"
                                           << "parameter \"before\" pages newest first";
    QTest::newRow("before zero") << "/api/events?order=newest&before=0"
                                 << "parameter \"before\" must be a number from 1";
    QTest::newRow("entry without kb") << "/api/events?entry_id=x"
                                      << "an entry id needs its knowledge base";
    QTest::newRow("graph parameter") << "/api/graph?kind=note"
                                     << "unknown parameter \"kind\"";
}

void tst_HttpApi::badParameters()
{
    QFETCH(QString, path);
    QFETCH(QString, message);
    QVERIFY(start());
    const Answer answer = request("GET", path);
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.json().value("error").toString(), "bad_request");
    QVERIFY2(answer.json().value("message").toString().contains(message), answer.body.constData());
    // The server goes on.
    QCOMPARE(request("GET", "/healthz").status, 200);
}

void tst_HttpApi::unknownPathAndMethod()
{
    QVERIFY(start());
    Answer answer = request("GET", "/nothing/here");
    QCOMPARE(answer.status, 404);
    QVERIFY(answer.json().value("message").toString().contains("/nothing/here"));
    answer = request("DELETE", "/api/graph");
    QCOMPARE(answer.status, 405);
    // No endpoint yet, but one can be made at any time: an empty history, not an error.
    answer = request("GET", "/api/webhooks/deliveries");
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value("deliveries").toArray().size(), 0);
    answer = request("GET", "/api/webhooks/endpoints/x/rotate-secret");
    QCOMPARE(answer.status, 405);
    answer = request("POST", "/api/webhooks/endpoints/x/rename", {}, {}, "{}");
    QCOMPARE(answer.status, 404);
}

void tst_HttpApi::token_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("page") << "/";
    QTest::newRow("asset") << "/assets/app.js";
    QTest::newRow("graph") << "/api/graph";
    QTest::newRow("events") << "/api/events";
    QTest::newRow("metrics") << "/metrics";
    QTest::newRow("webhooks") << "/api/webhooks";
}

void tst_HttpApi::token()
{
    QFETCH(QString, path);
    QVERIFY(start({{"tokens", QVariantList{"s3cret-token-for-tests"}}}));
    Answer answer = request("GET", path);
    QCOMPARE(answer.status, 401);
    QVERIFY(answer.json().value("message").toString().contains("token is required"));
    QCOMPARE(request("GET", path, "wrong").status, 401);
    QCOMPARE(request("GET", path, "s3cret-token-for-tests").status, 200);
    const QString withQuery =
            path + (path.contains(u'?') ? "&" : "?") + "token=s3cret-token-for-tests";
    QCOMPARE(request("GET", withQuery).status, 200);
    // Health checks need no token.
    QCOMPARE(request("GET", "/healthz").status, 200);
}

void tst_HttpApi::metricsWithoutSecrets()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    QVERIFY(start({{"tokens", QVariantList{"s3cret-token-for-tests"}},
                   {"webhooks",
                    QVariantMap{{"endpoints",
                                 QVariantList{QVariantMap{{"url", receiver.url("hook")},
                                                          {"secret", QString::fromLatin1(Secret)},
                                                          {"allow_private", true}}}}}}}));
    publish("m1");
    QTRY_COMPARE(receiver.requests.size(), 1);
    const Answer metrics = request("GET", "/metrics", "s3cret-token-for-tests");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.contentType.startsWith("text/plain; version=0.0.4"));
    QVERIFY(metrics.body.contains("# TYPE pyrite_bus_events_published_total counter\n"
                                  "pyrite_bus_events_published_total 1\n"));
    QVERIFY(metrics.body.contains("pyrite_webhook_delivered_total 1\n"));
    QVERIFY(metrics.body.contains("pyrite_http_requests_total"));
    for (const char *path : {"/metrics", "/api/webhooks", "/api/webhooks/deliveries"}) {
        const QByteArray body = request("GET", path, "s3cret-token-for-tests").body;
        QVERIFY2(!body.contains(Secret.mid(6)) && !body.contains("s3cret-token-for-tests"), path);
    }
}

void tst_HttpApi::webhookOperations()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.scripts.insert("hook", {WebhookReceiver::Answer{500, {}, "down"}});
    QVERIFY(start({{"webhooks",
                    QVariantMap{{"endpoints",
                                 QVariantList{QVariantMap{{"id", "main"},
                                                          {"url", receiver.url("hook")},
                                                          {"max_attempts", 1},
                                                          {"allow_private", true}}}}}}}));
    const QJsonArray endpoints =
            request("GET", "/api/webhooks").json().value("endpoints").toArray();
    QCOMPARE(endpoints.size(), 1);
    QCOMPARE(endpoints.at(0).toObject().value("id").toString(), "main");

    publish("w1");
    QJsonArray deliveries;
    QTRY_VERIFY((deliveries = request("GET", "/api/webhooks/deliveries?state=dead")
                                      .json()
                                      .value("deliveries")
                                      .toArray())
                        .size() == 1);
    const QJsonObject dead = deliveries.at(0).toObject();
    QCOMPARE(dead.value("history").toArray().at(0).toObject().value("status").toInt(), 500);
    QCOMPARE(request("GET", "/api/webhooks/deliveries?state=sleeping").status, 400);
    QCOMPARE(request("GET", "/api/webhooks/deliveries?history=maybe").status, 400);

    // Redeliver it, now that the receiver answers.
    receiver.scripts.clear();
    QCOMPARE(request("POST", "/api/webhooks/redeliver").status, 400);
    QCOMPARE(request("POST", "/api/webhooks/redeliver?id=999999").status, 404);
    const Answer redelivered = request(
            "POST", QString("/api/webhooks/redeliver?id=%1").arg(dead.value("id").toInteger()));
    QCOMPARE(redelivered.status, 200);
    QCOMPARE(redelivered.json().value("redelivered").toInt(), 1);
    QTRY_COMPARE(request("GET", "/api/webhooks/deliveries?state=delivered&history=false")
                         .json()
                         .value("deliveries")
                         .toArray()
                         .size(),
                 1);

    // A test event to a URL, answered once the receiver has answered.
    // (The configured endpoint with this URL lends its allow_private.)
    const int before = receiver.requestsTo("hook").size();
    const Answer test = request("POST", "/api/webhooks/test?url=" + receiver.url("hook"));
    QCOMPARE(test.status, 200);
    QVERIFY2(test.json().value("status").toInt() == 200, test.body.constData());
    QCOMPARE(receiver.requestsTo("hook").size(), before + 1);
    // Any other loopback URL is refused, and the answer says why.
    const Answer refused = request("POST", "/api/webhooks/test?url=" + receiver.url("probe"));
    QCOMPARE(refused.status, 200);
    QVERIFY2(refused.json().value("error").toString().contains("allow_private"),
             refused.body.constData());
    QCOMPARE(receiver.requestsTo("probe").size(), 0);
    QCOMPARE(request("POST", "/api/webhooks/test?url=ftp://x").status, 400);
}

// The HTTP form of the runtime endpoint operations, with a token as a deployment has one.
void tst_HttpApi::webhookEndpointsAtRunTime()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    const QByteArray token = "s3cret-token-for-tests";
    QVERIFY(start({{"tokens", QVariantList{QString::fromLatin1(token)}}}));
    const QByteArray definition = R"({"id":"api-hook","url":")" + receiver.url("hook").toUtf8() +
            R"(","events":["entry.*"],"allow_private":true,"headers":{"X-Team":"docs"}})";
    QCOMPARE(request("POST", "/api/webhooks/endpoints", {}, {}, definition).status, 401);
    QCOMPARE(request("POST", "/api/webhooks/endpoints", "wrong", {}, definition).status, 401);
    const Answer created = request("POST", "/api/webhooks/endpoints", token, {}, definition);
    QCOMPARE(created.status, 201);
    const QString secret = created.json().value("secret").toString();
    QVERIFY2(secret.startsWith("whsec_"), created.body.constData());
    QCOMPARE(created.json().value("warnings").toArray().size(), 1); // plain http
    QCOMPARE(request("POST", "/api/webhooks/endpoints", token, {}, definition).status, 409);

    // Listed, without its secret; and it receives what is written next.
    Answer list = request("GET", "/api/webhooks", token);
    QCOMPARE(list.json().value("endpoints").toArray().size(), 1);
    QCOMPARE(list.json().value("endpoints").toArray().at(0).toObject().value("origin").toString(),
             "runtime");
    QVERIFY(!list.body.contains(secret.toUtf8()));
    publish("made-by-api");
    QTRY_COMPARE(receiver.requestsTo("hook").size(), 1);
    // A test to it by id, as it is (its allow_private, headers and secret).
    const Answer tested = request("POST", "/api/webhooks/test?endpoint=api-hook", token);
    QCOMPARE(tested.status, 200);
    QVERIFY2(tested.json().value("status").toInt() == 200, tested.body.constData());
    QCOMPARE(receiver.requestsTo("hook").size(), 2);
    QCOMPARE(receiver.requestsTo("hook").constLast().header("X-Team"), "docs");
    const Answer unknown = request("POST", "/api/webhooks/test?endpoint=nobody", token);
    QVERIFY2(unknown.json().value("error").toString().contains("no endpoint \"nobody\""),
             unknown.body.constData());
    QCOMPARE(request("POST", "/api/webhooks/test?endpoint=api-hook&url=https://x.example/", token)
                     .status,
             400);
    // Its dead ones only; an endpoint needs dead=true.
    const Answer redelivered =
            request("POST", "/api/webhooks/redeliver?dead=true&endpoint=api-hook", token);
    QCOMPARE(redelivered.status, 200);
    QCOMPARE(redelivered.json().value("redelivered").toInt(), 0);
    QCOMPARE(request("POST", "/api/webhooks/redeliver?id=1&endpoint=api-hook", token).status, 400);
    // Its health: nothing pending or dead, the last success seen by the dispatcher. (The
    // dispatcher knows of a success before the outbox does: attempts are recorded every 50 ms.)
    const auto health = [&] {
        return request("GET", "/api/webhooks", token)
                .json()
                .value("endpoints")
                .toArray()
                .at(0)
                .toObject()
                .value("health")
                .toObject();
    };
    QTRY_VERIFY(health().contains("last_success"));
    QTRY_COMPARE(health().value("pending").toInt(), 0);
    QCOMPARE(health().value("state").toString(), "ok");
    QCOMPARE(health().value("dead").toInt(), 0);

    // Changed; a rotation answers with the new secret once.
    Answer changed = request("PATCH", "/api/webhooks/endpoints/api-hook", token, {},
                             R"({"events":["task.*"],"timeout":"2s"})");
    QCOMPARE(changed.status, 200);
    QCOMPARE(changed.json().value("timeout_ms").toInt(), 2000);
    QCOMPARE(request("PATCH", "/api/webhooks/endpoints/nobody", token, {}, "{}").status, 404);
    const Answer rotated = request("POST", "/api/webhooks/endpoints/api-hook/rotate-secret", token,
                                   {}, R"({"grace":"1h"})");
    QCOMPARE(rotated.status, 200);
    QVERIFY(rotated.json().value("secret").toString().startsWith("whsec_"));
    QVERIFY(rotated.json().value("secret").toString() != secret);
    QVERIFY(rotated.json().contains("previous_secret_until"));
    QCOMPARE(request("POST", "/api/webhooks/endpoints/api-hook/rotate-secret", token, {},
                     R"({"grace":"soon"})")
                     .status,
             400);
    // Without a body the default grace period applies.
    QCOMPARE(request("POST", "/api/webhooks/endpoints/api-hook/rotate-secret", token).status, 200);

    // Deleted with its deliveries.
    const Answer deleted = request("DELETE", "/api/webhooks/endpoints/api-hook", token);
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json().value("deliveries_removed").toInt(), 1);
    QCOMPARE(request("DELETE", "/api/webhooks/endpoints/api-hook", token).status, 404);
    list = request("GET", "/api/webhooks", token);
    QCOMPARE(list.json().value("endpoints").toArray().size(), 0);
}

void tst_HttpApi::webhookEndpointRequestsAreChecked_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QByteArray json = "application/json";
    QTest::newRow("not JSON") << QByteArray("POST") << "/api/webhooks/endpoints"
                              << QByteArray("{\"url\":") << json << 400 << "not valid JSON";
    QTest::newRow("an array") << QByteArray("POST") << "/api/webhooks/endpoints" << QByteArray("[]")
                              << json << 400 << "must be a JSON object";
    QTest::newRow("form post") << QByteArray("POST") << "/api/webhooks/endpoints"
                               << QByteArray("url=https://a.example/")
                               << QByteArray("application/x-www-form-urlencoded") << 415
                               << "Content-Type: application/json";
    QTest::newRow("no body") << QByteArray("POST") << "/api/webhooks/endpoints" << QByteArray()
                             << json << 415 << "must be JSON";
    QTest::newRow("private target") << QByteArray("POST") << "/api/webhooks/endpoints"
                                    << QByteArray(R"({"url":"http://192.168.1.10/x"})") << json
                                    << 400 << "url: refused: 192.168.1.10";
    QTest::newRow("unknown key") << QByteArray("POST") << "/api/webhooks/endpoints"
                                 << QByteArray(R"({"url":"https://a.example/","retries":3})")
                                 << json << 400 << "retries: unknown key";
    QTest::newRow("unknown event pattern")
            << QByteArray("POST") << "/api/webhooks/endpoints"
            << QByteArray(R"({"url":"https://a.example/","events":["entry.saved"]})") << json << 400
            << "matches none of the event types";
    QTest::newRow("oversize header")
            << QByteArray("POST") << "/api/webhooks/endpoints"
            << QByteArray(R"({"url":"https://a.example/","headers":{"X-A":")") +
                    QByteArray(5000, 'a') + "\"}}"
            << json << 400 << "X-A: too long";
    QTest::newRow("unknown rotate key")
            << QByteArray("POST") << "/api/webhooks/endpoints/x/rotate-secret"
            << QByteArray(R"({"period":"1h"})") << json << 400 << "unknown key \"period\"";
    QTest::newRow("edit unknown endpoint")
            << QByteArray("PATCH") << "/api/webhooks/endpoints/nobody"
            << QByteArray(R"({"enabled":false})") << json << 404 << "no endpoint \"nobody\"";
}

void tst_HttpApi::webhookEndpointRequestsAreChecked()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, message);
    QVERIFY(start());
    const Answer answer = request(method, path, {}, {}, body, contentType);
    QCOMPARE(answer.status, status);
    QVERIFY2(answer.json().value("message").toString().contains(message), answer.body.constData());
    QCOMPARE(request("GET", "/api/webhooks").json().value("endpoints").toArray().size(), 0);
}

namespace {
// A receiver that answers every request with a body that never ends, and counts what it sent.
class FloodServer : public QTcpServer
{
public:
    qint64 sent = 0;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            socket->readAll();
            if (socket->property("answering").toBool())
                return;
            socket->setProperty("answering", true);
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
            more(socket);
        });
        connect(socket, &QTcpSocket::bytesWritten, socket, [this, socket] {
            if (socket->bytesToWrite() < 65536)
                more(socket);
        });
    }

private:
    void more(QTcpSocket *socket)
    {
        if (socket->state() != QAbstractSocket::ConnectedState || sent > (512LL << 20))
            return;
        static const QByteArray chunk(256 * 1024, 'x');
        socket->write(chunk);
        sent += chunk.size();
    }
};
} // namespace

void tst_HttpApi::webhookTestIsBounded_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("error");
    // Before: the test call read the whole answer (a 300 MB one took the host from 24 to
    // 311 MiB) and followed redirects on the same host, to another port too, with the
    // endpoint's headers and signature.
    QTest::newRow("endless answer") << "flood"
                                    << "the response was larger than 1048576 bytes";
    QTest::newRow("307 to another port") << "elsewhere"
                                         << "webhooks follow no redirects";
    QTest::newRow("302 same host") << "moved"
                                   << "webhooks follow no redirects";
}

void tst_HttpApi::webhookTestIsBounded()
{
    QFETCH(QString, path);
    QFETCH(QString, error);
    FloodServer flood;
    QVERIFY(flood.listen(QHostAddress::LocalHost));
    const QString floodUrl = QString("http://127.0.0.1:%1/flood").arg(flood.serverPort());
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.scripts.insert("elsewhere", {{307, {{"Location", floodUrl.toLatin1()}}, {}}});
    receiver.scripts.insert("moved", {{302, {{"Location", receiver.url("fine").toLatin1()}}, {}}});
    const QString url = path == "flood" ? floodUrl : receiver.url(path);
    // The configured endpoint with this URL lends its allow_private to the test call.
    QVERIFY(start(
            {{"webhooks",
              QVariantMap{{"endpoints",
                           QVariantList{QVariantMap{{"url", url}, {"allow_private", true}}}}}}}));
    const Answer test = request("POST", "/api/webhooks/test?url=" + url);
    QCOMPARE(test.status, 200);
    const QJsonObject answer = test.json();
    QVERIFY2(QString(answer.value("error").toString() + answer.value("note").toString())
                     .contains(error),
             test.body.constData());
    QVERIFY(answer.value("response").toString().size() <= 4096); // max_response_bytes
    // Read up to the cap, then stopped: what the flood got out is the cap and the socket buffers.
    QVERIFY2(flood.sent < (32LL << 20), QByteArray::number(flood.sent).constData());
    QCOMPARE(receiver.requestsTo("fine").size(), 0);
}

void tst_HttpApi::streamsOnTheSamePort()
{
    QVERIFY(start());
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/stream").arg(m_port)));
    QVERIFY(connected.wait(5000));
    socket.sendTextMessage(R"({"op":"subscribe","id":"s","types":["entry.*"]})");
    QTRY_COMPARE(messages.size(), 1);
    publish("live");
    QTRY_COMPARE(messages.size(), 2);
    QVERIFY(messages.at(1).at(0).toString().contains("\"entry_id\":\"live\""));
    // HTTP keeps working next to it.
    QCOMPARE(request("GET", "/api/graph").status, 200);
}

void tst_HttpApi::oversizeRequestHead()
{
    QVERIFY(start());
    // A request head that never ends: refused with 431 and closed, not buffered.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 2000; ++i)
        socket.write("X-Filler-" + QByteArray::number(i) + ": " + QByteArray(100, 'y') + "\r\n");
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    QVERIFY(closed.wait(10000));
    const QByteArray answer = socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 431 "), answer.constData());
    QVERIFY(answer.contains("larger than 16384 bytes"));

    // A body larger than any API call takes.
    QTcpSocket big;
    big.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(big.waitForConnected(5000));
    big.write("POST /api/webhooks/test HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
    QSignalSpy bigClosed(&big, &QTcpSocket::disconnected);
    QVERIFY(bigClosed.wait(10000));
    QVERIFY(big.readAll().startsWith("HTTP/1.1 413 "));
    // Everyone else is still served.
    QCOMPARE(request("GET", "/healthz").status, 200);
}

void tst_HttpApi::foreignOrigin_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("graph") << QByteArray("GET") << "/api/graph";
    QTest::newRow("redeliver") << QByteArray("POST") << "/api/webhooks/redeliver?dead=true";
    QTest::newRow("test webhook") << QByteArray("POST")
                                  << "/api/webhooks/test?url=https://x.example/";
    QTest::newRow("create endpoint") << QByteArray("POST") << "/api/webhooks/endpoints";
    QTest::newRow("delete endpoint") << QByteArray("DELETE") << "/api/webhooks/endpoints/x";
    QTest::newRow("rotate secret")
            << QByteArray("POST") << "/api/webhooks/endpoints/x/rotate-secret";
}

// A page on another site must not make the API act on a host the browser can reach (no token
// configured: the loopback default).
void tst_HttpApi::foreignOrigin()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QVERIFY(start({{"stream_origins", QVariantList{"https://trusted.example"}}}));
    const Answer refused = request(method, path, {}, "https://evil.example");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json().value("error").toString(), "forbidden");
    QVERIFY(refused.json().value("message").toString().contains("https://evil.example"));
    // The page's own origin and the allowed one pass the origin check.
    const QByteArray self = "http://127.0.0.1:" + QByteArray::number(m_port);
    QVERIFY(request(method, path, {}, self).status != 403);
    QVERIFY(request(method, path, {}, "https://trusted.example").status != 403);
    // Without an Origin (curl, scripts) nothing changes.
    QVERIFY(request(method, path).status != 403);
}

QTEST_GUILESS_MAIN(tst_HttpApi)
#include "tst_httpapi.moc"
