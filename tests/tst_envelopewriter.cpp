#include "bus/envelopewriter.h"
#include "bus/event.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Pyrite;
using Pyrite::Internal::EnvelopeWriter;

// The envelope writer must give the very bytes Qt's JSON writer gives for the same event: the
// log hashes and stores what it writes, and streams, webhooks and replays hand it on.
namespace {
Event plainEvent()
{
    Event event;
    event.setId(QStringLiteral("01M88B09T50R02SZFWAK4CV5EG"));
    event.setType(QStringLiteral("entry.created"));
    event.setSource(QStringLiteral("pyrite://example/kb/research"));
    event.setTimeMsecs(1764040309573);
    event.setKb(QStringLiteral("research"));
    event.setEntryId(QStringLiteral("note-42"));
    event.setEntryType(QStringLiteral("note"));
    event.setActor(QStringLiteral("alice"));
    event.setTitle(QStringLiteral("Event sourcing"));
    return event;
}

QByteArray byQt(const Event &event)
{
    return QJsonDocument(event.toJsonObject()).toJson(QJsonDocument::Compact);
}

QString randomText(QRandomGenerator *random)
{
    // Mostly the characters that need care: controls, quotes, backslashes, DEL, Latin-1, the
    // BMP, surrogates alone and in pairs.
    static const char16_t pool[] = {u'a',   u'Z',   u'0',   u' ',   u'"',   u'\\',  u'/',
                                    0x00,   0x01,   0x08,   0x09,   0x0a,   0x0c,   0x0d,
                                    0x1f,   0x7f,   0x80,   0xe9,   0x7ff,  0x800,  0x20ac,
                                    0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xffff};
    QString text;
    const int length = int(random->bounded(12));
    for (int i = 0; i < length; ++i)
        text += QChar(pool[random->bounded(int(std::size(pool)))]);
    return text;
}
} // namespace

class tst_EnvelopeWriter : public QObject
{
    Q_OBJECT

private slots:
    void sameBytesAsQt_data();
    void sameBytesAsQt();
    void nonAsciiKeysLeftToQt_data();
    void nonAsciiKeysLeftToQt();
    void randomTextSameAsQt();
};

void tst_EnvelopeWriter::sameBytesAsQt_data()
{
    QTest::addColumn<Event>("event");

    QTest::newRow("plain") << plainEvent();
    {
        Event e;
        e.setId(QStringLiteral("x"));
        e.setType(QStringLiteral("kb.indexed"));
        e.setSource(QStringLiteral("pyrite://h/kb/k"));
        QTest::newRow("bare: no data members, no subject") << e;
    }
    {
        Event e = plainEvent();
        e.setSequence(1251);
        e.setEpoch(QStringLiteral("3itk4t6645dzv"));
        e.setHash(QString(64, u'a'));
        e.setPrevHash(QString(64, u'0'));
        QTest::newRow("logged: sequence, epoch, hashes") << e;
    }
    {
        Event e = plainEvent();
        e.setSequence(0);
        e.setEpoch(QStringLiteral("e"));
        QTest::newRow("sequence 0, no hash") << e;
    }
    {
        Event e = plainEvent();
        e.setSequence(std::numeric_limits<qint64>::max());
        QTest::newRow("largest sequence") << e;
    }
    {
        Event e = plainEvent();
        e.setType(QStringLiteral("entry.updated"));
        QTest::newRow("updated without changes: empty list") << e;
        e.setChanges({QStringLiteral("body"), QStringLiteral("title")});
        e.setTags({QStringLiteral("a"), QStringLiteral("b c"), QString()});
        e.setLinks({QVariantMap{{QStringLiteral("target"), QStringLiteral("note-7")},
                                {QStringLiteral("relation"), QStringLiteral("related")}},
                    QVariantMap{{QStringLiteral("target"), QStringLiteral("n")},
                                {QStringLiteral("kb"), QStringLiteral("other")},
                                {QStringLiteral("relation"), QStringLiteral("cites")}}});
        QTest::newRow("updated with changes, tags, links") << e;
    }
    {
        Event e = plainEvent();
        e.setLinks({QVariant(), QVariant(42)});
        QTest::newRow("links that are not maps: empty objects") << e;
    }
    {
        Event e = plainEvent();
        e.setSubject(QStringLiteral("custom/subject"));
        QTest::newRow("subject set") << e;
    }
    {
        Event e = plainEvent();
        e.setTitle(QStringLiteral("\"quoted\" \\ back\tslash\nline\r\b\f\x01\x1f\x7f é € 𝄞 /"));
        e.setActor(QString::fromUtf16(u"lone \xd800 high and \xdc00 low, \xdbff\xdfff pair"));
        QTest::newRow("text that needs escapes and UTF-8") << e;
    }
    {
        Event e = plainEvent();
        e.setTimeMsecs(-1);
        QTest::newRow("time before the epoch") << e;
    }
    {
        Event e = plainEvent();
        e.setExtra({{QStringLiteral("kb_type"), QStringLiteral("research")},
                    {QStringLiteral("Zeta"), QStringLiteral("upper case sorts first")},
                    {QStringLiteral("zz"), QStringLiteral("after every member")},
                    {QStringLiteral("a"), QStringLiteral("before actor")},
                    {QStringLiteral("entry"), QStringLiteral("a prefix of entry_id")},
                    {QStringLiteral("kb2"), 2}});
        QTest::newRow("extra strings and a number, between the members") << e;
    }
    {
        Event e = plainEvent();
        e.setExtra({{QStringLiteral("title"), QStringLiteral("the event's own title wins")},
                    {QStringLiteral("tags"), QStringLiteral("kept: the event has no tags")},
                    {QStringLiteral("changes"), QStringLiteral("kept: not entry.updated")}});
        QTest::newRow("extra members of the same names") << e;
    }
    {
        Event e = plainEvent();
        e.setExtra({{QStringLiteral("empty"), QStringLiteral("")},
                    {QStringLiteral("null"), QString()},
                    {QString(), QStringLiteral("the empty key")},
                    {QStringLiteral("\x01"), QStringLiteral("a control character")},
                    {QStringLiteral("a\"b"), QStringLiteral("a quote")},
                    {QStringLiteral("A_"), QStringLiteral("upper case and underscore")}});
        QTest::newRow("extra keys that need escapes or sort first, empty and null strings") << e;
    }
    {
        Event e = plainEvent();
        e.setType(QStringLiteral("entry.updated"));
        e.setChanges({QStringLiteral("title")});
        e.setLinks({QVariantMap{{QStringLiteral("target"), QStringLiteral("n")}}});
        e.setTags({QStringLiteral("t")});
        e.setExtra({{QStringLiteral("actor"), 1},
                    {QStringLiteral("changes"), QStringLiteral("replaced")},
                    {QStringLiteral("entry_id"), QVariantList{1, 2}},
                    {QStringLiteral("entry_type"), true},
                    {QStringLiteral("kb"), QVariant()},
                    {QStringLiteral("links"), QStringLiteral("replaced")},
                    {QStringLiteral("tags"), 2.5},
                    {QStringLiteral("title"), 5}});
        QTest::newRow("every member set, each replacing an extra of its name") << e;
    }
    {
        Event e = plainEvent();
        e.setLinks({QVariantMap{{QStringLiteral("target"), QVariant()},
                                {QStringLiteral("relation"), 3},
                                {QStringLiteral("kb"), true}}});
        QTest::newRow("link values that are not strings") << e;
    }
    {
        Event e = plainEvent();
        e.setType(QStringLiteral("qa.validation_failed"));
        e.setExtra({{QStringLiteral("issues"),
                     QVariantList{QVariantMap{{QStringLiteral("message"), QStringLiteral("m")},
                                              {QStringLiteral("severity"), QStringLiteral("error")},
                                              {QStringLiteral("line"), 3}}}},
                    {QStringLiteral("count"), qlonglong(1) << 60},
                    {QStringLiteral("ratio"), 0.1},
                    {QStringLiteral("big"), 1e300},
                    {QStringLiteral("yes"), true},
                    {QStringLiteral("nothing"), QVariant()},
                    {QStringLiteral("bytes"), QByteArray("\x01\xff")},
                    {QStringLiteral("list"), QStringList{QStringLiteral("x")}},
                    {QStringLiteral("extra"), QVariantMap{{QStringLiteral("old_status"), 1}}}});
        QTest::newRow("extra values of every kind") << e;
    }
}

void tst_EnvelopeWriter::sameBytesAsQt()
{
    QFETCH(Event, event);
    QByteArray written;
    QVERIFY(EnvelopeWriter::write(event, &written));
    QCOMPARE(written, byQt(event));
    QCOMPARE(event.toJson(), byQt(event));
}

void tst_EnvelopeWriter::nonAsciiKeysLeftToQt_data()
{
    QTest::addColumn<Event>("event");
    {
        Event e = plainEvent();
        e.setExtra({{QStringLiteral("é"), QStringLiteral("x")},
                    {QString::fromUtf16(u"\xd83d\xde00"), QStringLiteral("y")},
                    {QString::fromUtf16(u"\xe000"), QStringLiteral("z")}});
        QTest::newRow("extra") << e;
    }
    {
        Event e = plainEvent();
        e.setLinks({QVariantMap{{QStringLiteral("ziel"), QStringLiteral("a")},
                                {QStringLiteral("ü"), QStringLiteral("b")}}});
        QTest::newRow("link") << e;
    }
}

void tst_EnvelopeWriter::nonAsciiKeysLeftToQt()
{
    QFETCH(Event, event);
    QByteArray written = "untouched";
    QVERIFY(!EnvelopeWriter::write(event, &written));
    QCOMPARE(written, QByteArray("untouched"));
    QCOMPARE(event.toJson(), byQt(event)); // Qt wrote it
}

void tst_EnvelopeWriter::randomTextSameAsQt()
{
    QRandomGenerator random(22);
    for (int i = 0; i < 2000; ++i) {
        Event event = plainEvent();
        event.setTitle(randomText(&random));
        event.setEntryId(randomText(&random));
        event.setTags({randomText(&random), randomText(&random)});
        QVariantMap extra;
        for (int k = 0; k < 4; ++k) {
            // Random ASCII keys, so that the merge with the event's own members is exercised.
            QString name;
            for (int length = int(random.bounded(1, 4)); length > 0; --length)
                name += QChar(char16_t(random.bounded(0x20, 0x7f)));
            extra.insert(name, randomText(&random));
        }
        event.setExtra(extra);
        QByteArray written;
        QVERIFY(EnvelopeWriter::write(event, &written));
        QCOMPARE(written, byQt(event));
    }
}

QTEST_GUILESS_MAIN(tst_EnvelopeWriter)
#include "tst_envelopewriter.moc"
