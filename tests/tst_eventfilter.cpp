#include "bus/event.h"
#include "bus/eventfilter.h"

#include <QTest>

using namespace Pyrite;

class tst_EventFilter : public QObject
{
    Q_OBJECT

private slots:
    void patternMatches_data();
    void patternMatches();
    void invalidPatterns_data();
    void invalidPatterns();
    void fieldFilters_data();
    void fieldFilters();
    void emptyPatternListMatchesAll();
};

void tst_EventFilter::patternMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("matches");

    QTest::addRow("exact") << "entry.created"
                           << "entry.created" << true;
    QTest::addRow("exact other") << "entry.created"
                                 << "entry.updated" << false;
    QTest::addRow("exact is not prefix") << "entry.created"
                                         << "entry.created.x" << false;
    QTest::addRow("prefix star") << "entry.*"
                                 << "entry.deleted" << true;
    QTest::addRow("prefix star other family") << "entry.*"
                                              << "task.claimed" << false;
    QTest::addRow("prefix needs the dot") << "entry.*"
                                          << "entry" << false;
    QTest::addRow("all") << "*"
                         << "schema.changed" << true;
    QTest::addRow("suffix") << "*.failed"
                            << "qa.validation_failed" << false;
    QTest::addRow("suffix with underscore") << "*_failed"
                                            << "qa.validation_failed" << true;
    QTest::addRow("middle") << "task.*ed"
                            << "task.claimed" << true;
    QTest::addRow("middle no match") << "task.*ed"
                                     << "task.claim" << false;
    QTest::addRow("two stars") << "*.*"
                               << "kb.indexed" << true;
    QTest::addRow("two stars no dot") << "*.*"
                                      << "kbindexed" << false;
    QTest::addRow("backtracking") << "e*y.*d"
                                  << "entry.updated" << true;
    QTest::addRow("empty star") << "entry.created*"
                                << "entry.created" << true;
}

void tst_EventFilter::patternMatches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, type);
    QFETCH(bool, matches);
    QVERIFY(EventFilter::isValidPattern(pattern, nullptr));
    QCOMPARE(EventFilter::patternMatches(pattern, type), matches);
}

void tst_EventFilter::invalidPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("empty") << ""
                           << "must not be empty";
    QTest::addRow("upper case") << "Entry.*"
                                << "\"Entry.*\"";
    QTest::addRow("space") << "entry created"
                           << "may only contain";
    QTest::addRow("regex") << "entry.(created|updated)"
                           << "may only contain";
    QTest::addRow("double star") << "entry.**"
                                 << "\"**\"";
    QTest::addRow("too long") << QString(200, u'a') << "longer than 128";
}

void tst_EventFilter::invalidPatterns()
{
    QFETCH(QString, pattern);
    QFETCH(QString, messagePart);
    QString error;
    QVERIFY(!EventFilter::isValidPattern(pattern, &error));
    QVERIFY2(error.contains(messagePart), qPrintable(error));

    EventFilter filter;
    QVERIFY(filter.setTypePatterns({QStringLiteral("entry.*")}, nullptr));
    QVERIFY(!filter.setTypePatterns({QStringLiteral("kb.indexed"), pattern}, &error));
    // A refused list leaves the filter as it was.
    QCOMPARE(filter.typePatterns(), QStringList{QStringLiteral("entry.*")});
}

void tst_EventFilter::fieldFilters_data()
{
    QTest::addColumn<QString>("kb");
    QTest::addColumn<QString>("entryType");
    QTest::addColumn<QString>("entryId");
    QTest::addColumn<bool>("matches");

    QTest::addRow("no fields") << ""
                               << ""
                               << "" << true;
    QTest::addRow("kb matches") << "research"
                                << ""
                                << "" << true;
    QTest::addRow("kb differs") << "tasks"
                                << ""
                                << "" << false;
    QTest::addRow("entry type matches") << ""
                                        << "note"
                                        << "" << true;
    QTest::addRow("entry type differs") << ""
                                        << "paper"
                                        << "" << false;
    QTest::addRow("entry id matches") << ""
                                      << ""
                                      << "n1" << true;
    QTest::addRow("entry id differs") << ""
                                      << ""
                                      << "n2" << false;
    QTest::addRow("all match") << "research"
                               << "note"
                               << "n1" << true;
    QTest::addRow("one of three differs") << "research"
                                          << "note"
                                          << "n9" << false;
}

void tst_EventFilter::fieldFilters()
{
    QFETCH(QString, kb);
    QFETCH(QString, entryType);
    QFETCH(QString, entryId);
    QFETCH(bool, matches);

    Event event;
    event.setType(QStringLiteral("entry.created"));
    event.setKb(QStringLiteral("research"));
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(QStringLiteral("n1"));

    EventFilter filter;
    filter.setKb(kb);
    filter.setEntryType(entryType);
    filter.setEntryId(entryId);
    QCOMPARE(filter.matches(event), matches);
}

void tst_EventFilter::emptyPatternListMatchesAll()
{
    EventFilter filter;
    QVERIFY(filter.setTypePatterns({}, nullptr));
    QCOMPARE(filter.typePatterns(), QStringList{QStringLiteral("*")});
    QVERIFY(filter.matchesType(u"schema.changed"));
}

QTEST_GUILESS_MAIN(tst_EventFilter)
#include "tst_eventfilter.moc"
