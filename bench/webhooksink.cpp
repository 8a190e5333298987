// A webhook receiver for bench_webhooks, in its own process so that it does not share the
// dispatcher's event loop: Qt HTTP Server on 127.0.0.1, answers 204 to every POST. It listens on
// PORTS ports (argument, default 1), each standing for one receiving host: a client keeps a pool of
// connections per host and port. Prints the ports on the first line, then "received: N" whenever
// a line arrives on stdin.

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QSocketNotifier>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    quint64 received = 0;
    server.route(QStringLiteral("/<arg>"),
                 [&received](const QString &, const QHttpServerRequest &) {
                     ++received;
                     return QHttpServerResponse(QHttpServerResponder::StatusCode::NoContent);
                 });
    const int ports = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
    for (int i = 0; i < ports; ++i) {
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        if (port == 0) {
            std::fprintf(stderr, "webhooksink: cannot listen\n");
            return 1;
        }
        std::printf(i == 0 ? "%u" : " %u", unsigned(port));
    }
    std::printf("\n");
    std::fflush(stdout);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
            QCoreApplication::quit(); // the benchmark went away
        std::printf("received: %llu\n", static_cast<unsigned long long>(received));
        std::fflush(stdout);
    });
    return QCoreApplication::exec();
}
