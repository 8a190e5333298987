// AccessPolicy's Host and Origin rules (docs/http.md), row by row: what a browser, a program, a
// reverse proxy and a DNS-rebinding page send, for each kind of listen address.

#include "accesspolicy.h"

#include <QTest>

using Pyrite::Internal::AccessPolicy;

class tst_AccessPolicy : public QObject
{
    Q_OBJECT

private slots:
    void host_data();
    void host();
    void origin_data();
    void origin();
    void webSocketOrigin_data();
    void webSocketOrigin();
};

namespace {
AccessPolicy policy(const QString &address, quint16 port, const QStringList &hosts = {},
                    const QStringList &origins = {})
{
    AccessPolicy access;
    access.setListenAddress(QHostAddress(address), port);
    access.setAllowedHosts(hosts);
    access.setAllowedOrigins(origins);
    return access;
}
} // namespace

void tst_AccessPolicy::host_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QStringList>("allowedHosts");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("admitted");
    const QStringList none;
    const QStringList proxy{QStringLiteral("events.example.org")};
    QTest::newRow("address and port")
            << "127.0.0.1" << none << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("localhost on loopback")
            << "127.0.0.1" << none << QByteArray("localhost:8765") << true;
    QTest::newRow("LOCALHOST") << "127.0.0.1" << none << QByteArray("LocalHost:8765") << true;
    QTest::newRow("another port") << "127.0.0.1" << none << QByteArray("127.0.0.1:8766") << false;
    QTest::newRow("no port means 80") << "127.0.0.1" << none << QByteArray("127.0.0.1") << false;
    QTest::newRow("port 80") << "127.0.0.1" << none << QByteArray("127.0.0.1:80") << false;
    QTest::newRow("rebinding name")
            << "127.0.0.1" << none << QByteArray("evil.example:8765") << false;
    QTest::newRow("rebinding, no port")
            << "127.0.0.1" << none << QByteArray("evil.example") << false;
    QTest::newRow("another loopback")
            << "127.0.0.1" << none << QByteArray("127.0.0.2:8765") << false;
    QTest::newRow("empty") << "127.0.0.1" << none << QByteArray() << false;
    QTest::newRow("only a port") << "127.0.0.1" << none << QByteArray(":8765") << false;
    QTest::newRow("port not a number")
            << "127.0.0.1" << none << QByteArray("127.0.0.1:87x5") << false;
    QTest::newRow("port too big") << "127.0.0.1" << none << QByteArray("127.0.0.1:74301") << false;
    QTest::newRow("unclosed bracket") << "::1" << none << QByteArray("[::1:8765") << false;
    QTest::newRow("junk after bracket") << "::1" << none << QByteArray("[::1]x8765") << false;
    QTest::newRow("v6 with port") << "::1" << none << QByteArray("[::1]:8765") << true;
    QTest::newRow("v6 other address") << "::1" << none << QByteArray("[::2]:8765") << false;
    QTest::newRow("localhost on v6 loopback")
            << "::1" << none << QByteArray("localhost:8765") << true;
    QTest::newRow("localhost on a LAN address")
            << "192.168.1.5" << none << QByteArray("localhost:8765") << false;
    QTest::newRow("LAN address") << "192.168.1.5" << none << QByteArray("192.168.1.5:8765") << true;
    QTest::newRow("any: an address") << "0.0.0.0" << none << QByteArray("192.168.1.5:8765") << true;
    QTest::newRow("any: localhost") << "0.0.0.0" << none << QByteArray("localhost:8765") << true;
    QTest::newRow("any: a name") << "0.0.0.0" << none << QByteArray("evil.example:8765") << false;
    QTest::newRow("any: wrong port") << "0.0.0.0" << none << QByteArray("10.0.0.1:9") << false;
    QTest::newRow("proxy name, any port")
            << "127.0.0.1" << proxy << QByteArray("events.example.org") << true;
    QTest::newRow("proxy name, case")
            << "127.0.0.1" << proxy << QByteArray("Events.Example.ORG:443") << true;
    QTest::newRow("proxy's neighbour")
            << "127.0.0.1" << proxy << QByteArray("evil.example.org") << false;
    QTest::newRow("proxy suffix") << "127.0.0.1" << proxy << QByteArray("xevents.example.org")
                                  << false;
}

void tst_AccessPolicy::host()
{
    QFETCH(QString, listen);
    QFETCH(QStringList, allowedHosts);
    QFETCH(QByteArray, host);
    QFETCH(bool, admitted);
    QCOMPARE(policy(listen, 8765, allowedHosts).admitsHost(host), admitted);
}

void tst_AccessPolicy::origin_data()
{
    QTest::addColumn<QStringList>("allowedOrigins");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("admitted");
    const QStringList none;
    const QStringList trusted{QStringLiteral("https://trusted.example")};
    QTest::newRow("no origin: a program")
            << none << QByteArray() << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("own page") << none << QByteArray("http://127.0.0.1:8765")
                              << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("own page by name")
            << none << QByteArray("http://localhost:8765") << QByteArray("localhost:8765") << true;
    QTest::newRow("own page through TLS proxy") << none << QByteArray("https://events.example.org")
                                                << QByteArray("events.example.org") << true;
    QTest::newRow("another port, same address")
            << none << QByteArray("http://127.0.0.1:8782") << QByteArray("127.0.0.1:8765") << false;
    QTest::newRow("localhost page, address host")
            << none << QByteArray("http://localhost:8765") << QByteArray("127.0.0.1:8765") << false;
    QTest::newRow("foreign") << none << QByteArray("https://evil.example")
                             << QByteArray("127.0.0.1:8765") << false;
    QTest::newRow("null (sandboxed, file:)")
            << none << QByteArray("null") << QByteArray("127.0.0.1:8765") << false;
    QTest::newRow("allowed") << trusted << QByteArray("https://trusted.example")
                             << QByteArray("127.0.0.1:8765") << true;
    QTest::newRow("allowed is exact") << trusted << QByteArray("https://trusted.example.evil")
                                      << QByteArray("127.0.0.1:8765") << false;
    QTest::newRow("own page with path") << none << QByteArray("http://127.0.0.1:8765/x")
                                        << QByteArray("127.0.0.1:8765") << false;
}

void tst_AccessPolicy::origin()
{
    QFETCH(QStringList, allowedOrigins);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, host);
    QFETCH(bool, admitted);
    const AccessPolicy access = policy(QStringLiteral("127.0.0.1"), 8765, {}, allowedOrigins);
    QCOMPARE(access.admitsOrigin(origin, host), admitted);
}

void tst_AccessPolicy::webSocketOrigin_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QStringList>("allowedOrigins");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("admitted");
    const QStringList none;
    const QStringList trusted{QStringLiteral("https://trusted.example")};
    QTest::newRow("program") << "127.0.0.1" << none << QString() << true;
    QTest::newRow("own page") << "127.0.0.1" << none << "http://127.0.0.1:8765" << true;
    QTest::newRow("own page by name") << "127.0.0.1" << none << "http://localhost:8765" << true;
    QTest::newRow("v6 own page") << "::1" << none << "http://[::1]:8765" << true;
    // Before: no allowed_origins meant every page, so any site the user opened read the log.
    QTest::newRow("foreign, nothing allowed")
            << "127.0.0.1" << none << "http://localhost:8782" << false;
    QTest::newRow("foreign, some allowed")
            << "127.0.0.1" << trusted << "https://evil.example" << false;
    QTest::newRow("allowed") << "127.0.0.1" << trusted << "https://trusted.example" << true;
    QTest::newRow("https on the own port")
            << "127.0.0.1" << none << "https://127.0.0.1:8765" << false;
    QTest::newRow("own origin with a path")
            << "127.0.0.1" << none << "http://127.0.0.1:8765/a" << false;
    QTest::newRow("garbage") << "127.0.0.1" << none << "::::" << false;
}

void tst_AccessPolicy::webSocketOrigin()
{
    QFETCH(QString, listen);
    QFETCH(QStringList, allowedOrigins);
    QFETCH(QString, origin);
    QFETCH(bool, admitted);
    QCOMPARE(policy(listen, 8765, {}, allowedOrigins).admitsWebSocketOrigin(origin), admitted);
}

QTEST_GUILESS_MAIN(tst_AccessPolicy)
#include "tst_accesspolicy.moc"
