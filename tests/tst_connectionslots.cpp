// ConnectionSlots' choices, row by row: who gets in, whose slot a newcomer takes, and when it is
// refused; per address and in all, at given times (no clock: the rows say the milliseconds).

#include "http/connectionslots.h"

#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using Pyrite::Internal::ConnectionSlots;
using State = ConnectionSlots::State;
using Admission = ConnectionSlots::Admission;

struct Held
{
    QString address;
    State state;
    qint64 since;
};
Q_DECLARE_METATYPE(QList<Held>)

class tst_ConnectionSlots : public QObject
{
    Q_OBJECT

private slots:
    void admit_data();
    void admit();
    void bookkeeping();
};

void tst_ConnectionSlots::admit_data()
{
    QTest::addColumn<QList<Held>>("held"); // in the order they entered their state
    QTest::addColumn<QString>("newcomer");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("admission");
    QTest::addColumn<int>("victim"); // index into held, -1 for none
    const QString a = QStringLiteral("127.0.0.2");
    const QString b = QStringLiteral("127.0.0.3");
    const QString c = QStringLiteral("127.0.0.1");
    // The table holds 3 in all and 2 per address.
    QTest::newRow("room") << QList<Held>{{a, State::Busy, 0}} << c << qint64(10)
                          << int(Admission::Admitted) << -1;
    QTest::newRow("full of busy") << QList<Held>{{a, State::Busy, 0},
                                                 {b, State::Busy, 0},
                                                 {b, State::Busy, 0}}
                                  << c << qint64(5000) << int(Admission::Refused) << -1;
    QTest::newRow("full: idle taken")
            << QList<Held>{{a, State::Busy, 0}, {b, State::Idle, 0}, {b, State::Busy, 0}} << c
            << qint64(10) << int(Admission::Evict) << 1;
    QTest::newRow("oldest idle first")
            << QList<Held>{{a, State::Idle, 0}, {b, State::Idle, 0}, {b, State::Busy, 0}} << c
            << qint64(10) << int(Admission::Evict) << 0;
    QTest::newRow("same millisecond: first in")
            << QList<Held>{{b, State::Idle, 7}, {a, State::Idle, 7}, {c, State::Busy, 0}} << c
            << qint64(8) << int(Admission::Evict) << 0;
    QTest::newRow("idle before stalled")
            << QList<Held>{{a, State::Receiving, 0}, {b, State::Idle, 500}, {b, State::Busy, 0}}
            << c << qint64(5000) << int(Admission::Evict) << 1;
    QTest::newRow("receiving within grace")
            << QList<Held>{{a, State::Receiving, 0}, {b, State::Receiving, 0}, {b, State::Busy, 0}}
            << c << qint64(999) << int(Admission::Refused) << -1;
    QTest::newRow("receiving past grace")
            << QList<Held>{{a, State::Receiving, 0}, {b, State::Receiving, 10}, {b, State::Busy, 0}}
            << c << qint64(1000) << int(Admission::Evict) << 0;
    QTest::newRow("address full, own idle")
            << QList<Held>{{b, State::Idle, 0}, {a, State::Idle, 1}, {a, State::Busy, 2}} << a
            << qint64(10) << int(Admission::Evict) << 1;
    QTest::newRow("address full, own busy")
            << QList<Held>{{b, State::Idle, 0}, {a, State::Busy, 1}, {a, State::Receiving, 2}} << a
            << qint64(10) << int(Admission::RefusedForAddress) << -1;
    QTest::newRow("address full, not total")
            << QList<Held>{{a, State::Busy, 0}, {a, State::Busy, 0}} << a << qint64(10)
            << int(Admission::RefusedForAddress) << -1;
    QTest::newRow("v4-mapped is the same address")
            << QList<Held>{{a, State::Busy, 0}, {a, State::Busy, 0}}
            << QStringLiteral("::ffff:127.0.0.2") << qint64(10) << int(Admission::RefusedForAddress)
            << -1;
}

void tst_ConnectionSlots::admit()
{
    QFETCH(QList<Held>, held);
    QFETCH(QString, newcomer);
    QFETCH(qint64, now);
    QFETCH(int, admission);
    QFETCH(int, victim);
    ConnectionSlots table(3, 2);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (const Held &h : held) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        table.add(sockets.back().get(), QHostAddress(h.address), State::Receiving, 0);
        table.setState(sockets.back().get(), h.state, h.since);
    }
    const ConnectionSlots::Decision decision = table.admit(QHostAddress(newcomer), now);
    QCOMPARE(int(decision.admission), admission);
    QCOMPARE(decision.victim, victim < 0 ? nullptr : sockets.at(victim).get());
}

void tst_ConnectionSlots::bookkeeping()
{
    ConnectionSlots table(2, 2);
    QTcpSocket one, two;
    const QHostAddress address(QStringLiteral("127.0.0.2"));
    table.add(&one, address, State::Receiving, 0);
    table.add(&one, address, State::Receiving, 0); // twice: counted once
    table.add(&two, QHostAddress(QStringLiteral("::ffff:127.0.0.2")), State::Busy, 0);
    QCOMPARE(table.count(), 2);
    QCOMPARE(table.countFor(address), 2);
    table.remove(&one);
    table.remove(&one); // twice: a socket closed to make room, then deleted
    QCOMPARE(table.count(), 1);
    QCOMPARE(table.countFor(address), 1);
    QCOMPARE(table.state(&one), State::Busy); // not in: nothing to take from it
    table.setState(&one, State::Idle, 5);     // not in: stays out
    QCOMPARE(table.count(), 1);
    table.remove(&two);
    QCOMPARE(table.countFor(address), 0);
    QCOMPARE(int(table.admit(address, 0).admission), int(Admission::Admitted));
}

QTEST_GUILESS_MAIN(tst_ConnectionSlots)
#include "tst_connectionslots.moc"
