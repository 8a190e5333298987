#include "streams/streamprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

class tst_StreamProtocol : public QObject
{
    Q_OBJECT

private slots:
    void subscribe();
    void otherOps();
    void badMessages_data();
    void badMessages();
    void frames();
    void legacyFrames_data();
    void legacyFrames();
};

void tst_StreamProtocol::subscribe()
{
    StreamError error;
    const auto request = StreamProtocol::parse(
            R"({"op":"subscribe","id":"s1","types":["entry.*","kb.indexed"],"filter":{"kb":"research","entry_type":"note","entry_id":"n1"},"since":1200,"epoch":"e7"})",
            &error);
    QVERIFY2(request, qPrintable(error.message));
    QCOMPARE(request->op, StreamRequest::Op::Subscribe);
    QCOMPARE(request->id, QStringLiteral("s1"));
    QCOMPARE(request->filter.typePatterns(), (QStringList{"entry.*", "kb.indexed"}));
    QCOMPARE(request->filter.kb(), QStringLiteral("research"));
    QCOMPARE(request->filter.entryType(), QStringLiteral("note"));
    QCOMPARE(request->filter.entryId(), QStringLiteral("n1"));
    QCOMPARE(request->since, 1200);
    QCOMPARE(request->epoch, QStringLiteral("e7"));

    const auto minimal = StreamProtocol::parse(R"({"op":"subscribe","id":"all"})", &error);
    QVERIFY(minimal);
    QCOMPARE(minimal->filter.typePatterns(), QStringList{"*"});
    QCOMPARE(minimal->since, -1);
}

void tst_StreamProtocol::otherOps()
{
    StreamError error;
    const auto unsubscribe = StreamProtocol::parse(R"({"op":"unsubscribe","id":"s1"})", &error);
    QVERIFY(unsubscribe);
    QCOMPARE(unsubscribe->op, StreamRequest::Op::Unsubscribe);
    const auto ping = StreamProtocol::parse(R"({"op":"ping"})", &error);
    QVERIFY(ping);
    QCOMPARE(ping->op, StreamRequest::Op::Ping);
}

void tst_StreamProtocol::badMessages_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("id");

    QTest::addRow("not json") << QByteArray("{op: subscribe}") << "bad_json"
                              << "not valid JSON"
                              << "";
    QTest::addRow("empty") << QByteArray("") << "bad_json"
                           << "not valid JSON"
                           << "";
    QTest::addRow("array") << QByteArray("[]") << "bad_request"
                           << "must be a JSON object"
                           << "";
    QTest::addRow("no op") << QByteArray(R"({"id":"x"})") << "bad_request"
                           << "\"op\" is missing"
                           << "x";
    QTest::addRow("op a number") << QByteArray(R"({"op":3})") << "bad_request"
                                 << "\"op\" is missing or not a string"
                                 << "";
    QTest::addRow("unknown op") << QByteArray(R"({"op":"publish","id":"x"})") << "unknown_op"
                                << "unknown op \"publish\""
                                << "x";
    QTest::addRow("id a number") << QByteArray(R"({"op":"subscribe","id":5})") << "bad_request"
                                 << "\"id\" must be a string"
                                 << "";
    QTest::addRow("id missing") << QByteArray(R"({"op":"subscribe"})") << "bad_request"
                                << "subscribe needs a non-empty \"id\""
                                << "";
    QTest::addRow("id too long") << QByteArray("{\"op\":\"subscribe\",\"id\":\"" +
                                               QByteArray(65, 'x') + "\"}")
                                 << "bad_request"
                                 << "longer than 64"
                                 << "";
    QTest::addRow("unsubscribe without id")
            << QByteArray(R"({"op":"unsubscribe"})") << "bad_request"
            << "unsubscribe needs"
            << "";
    QTest::addRow("types a string")
            << QByteArray(R"({"op":"subscribe","id":"s","types":"entry.*"})") << "bad_request"
            << "\"types\" must be a list"
            << "s";
    QTest::addRow("types with a number")
            << QByteArray(R"({"op":"subscribe","id":"s","types":[1]})") << "bad_request"
            << "list of strings"
            << "s";
    QTest::addRow("invalid pattern")
            << QByteArray(R"({"op":"subscribe","id":"s","types":["Entry.*"]})") << "invalid_pattern"
            << "\"Entry.*\""
            << "s";
    QTest::addRow("too many patterns")
            << QByteArray("{\"op\":\"subscribe\",\"id\":\"s\",\"types\":[" +
                          QByteArray("\"a\",").repeated(33) + "\"a\"]}")
            << "bad_request"
            << "more than 32 patterns"
            << "s";
    QTest::addRow("filter a list")
            << QByteArray(R"({"op":"subscribe","id":"s","filter":[]})") << "bad_request"
            << "\"filter\" must be an object"
            << "s";
    QTest::addRow("unknown filter field")
            << QByteArray(R"({"op":"subscribe","id":"s","filter":{"tag":"x"}})") << "bad_request"
            << "unknown filter field \"tag\""
            << "s";
    QTest::addRow("kb a number") << QByteArray(R"({"op":"subscribe","id":"s","filter":{"kb":1}})")
                                 << "bad_request"
                                 << "\"filter.kb\" must be a string"
                                 << "s";
    QTest::addRow("since negative")
            << QByteArray(R"({"op":"subscribe","id":"s","since":-1})") << "bad_request"
            << "\"since\" must be a sequence number"
            << "s";
    QTest::addRow("since fractional")
            << QByteArray(R"({"op":"subscribe","id":"s","since":1.5})") << "bad_request"
            << "\"since\""
            << "s";
    QTest::addRow("since beyond 2^53")
            << QByteArray(R"({"op":"subscribe","id":"s","since":99999999999999999999999999999})")
            << "bad_request"
            << "\"since\""
            << "s";
    QTest::addRow("since a string")
            << QByteArray(R"({"op":"subscribe","id":"s","since":"12"})") << "bad_request"
            << "\"since\""
            << "s";
    QTest::addRow("epoch a number")
            << QByteArray(R"({"op":"subscribe","id":"s","epoch":5})") << "bad_request"
            << "\"epoch\" must be a string"
            << "s";
}

void tst_StreamProtocol::badMessages()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, code);
    QFETCH(QString, messagePart);
    QFETCH(QString, id);
    StreamError error;
    QVERIFY(!StreamProtocol::parse(message, &error));
    QCOMPARE(error.code, code);
    QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
    QCOMPARE(error.id, id);
    // The error frame is valid JSON that carries all of it.
    const QJsonObject frame = QJsonDocument::fromJson(StreamProtocol::error(error)).object();
    QCOMPARE(frame.value("op").toString(), QStringLiteral("error"));
    QCOMPARE(frame.value("code").toString(), code);
    QCOMPARE(frame.value("message").toString(), error.message);
}

void tst_StreamProtocol::frames()
{
    const QByteArray event = R"({"id":"01J","type":"entry.created","sequence":5})";
    const QJsonObject frame =
            QJsonDocument::fromJson(StreamProtocol::eventFrame(QStringLiteral("s\"1"), event))
                    .object();
    QCOMPARE(frame.value("op").toString(), QStringLiteral("event"));
    QCOMPARE(frame.value("sub").toString(), QStringLiteral("s\"1")); // quoted, not pasted
    QCOMPARE(frame.value("event").toObject().value("sequence").toInt(), 5);

    const QJsonObject subscribed =
            QJsonDocument::fromJson(StreamProtocol::subscribed("s1", false, "e1", 100, 250))
                    .object();
    QCOMPARE(subscribed.value("recovered").toBool(true), false);
    QCOMPARE(subscribed.value("log_start").toInt(), 100);
    QCOMPARE(subscribed.value("position").toInt(), 250);
    QCOMPARE(QJsonDocument::fromJson(StreamProtocol::pong("p")).object().value("op").toString(),
             QStringLiteral("pong"));
    QCOMPARE(QJsonDocument::fromJson(StreamProtocol::unsubscribed("s1"))
                     .object()
                     .value("id")
                     .toString(),
             QStringLiteral("s1"));
}

void tst_StreamProtocol::legacyFrames_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("legacy");
    QTest::addRow("created") << "entry.created"
                             << "entry_created";
    QTest::addRow("updated") << "entry.updated"
                             << "entry_updated";
    QTest::addRow("deleted") << "entry.deleted"
                             << "entry_deleted";
    QTest::addRow("indexed") << "kb.indexed"
                             << "kb_synced";
    QTest::addRow("not for old clients") << "task.claimed"
                                         << "";
}

void tst_StreamProtocol::legacyFrames()
{
    QFETCH(QString, type);
    QFETCH(QString, legacy);
    const QByteArray frame = StreamProtocol::legacyFrame(type, "n1", "research");
    if (legacy.isEmpty()) {
        QVERIFY(frame.isEmpty());
        return;
    }
    const QJsonObject object = QJsonDocument::fromJson(frame).object();
    QCOMPARE(object.value("type").toString(), legacy);
    QCOMPARE(object.value("entry_id").toString(), QStringLiteral("n1"));
    QCOMPARE(object.value("kb_name").toString(), QStringLiteral("research"));
}

QTEST_GUILESS_MAIN(tst_StreamProtocol)
#include "tst_streamprotocol.moc"
