// libFuzzer target: any bytes as the start of a connection, as HttpListener sniffs them before
// anyone else parses the request: where the head ends, the headers that decide where it goes,
// and the Host and Origin rules judged on whatever those headers hold. Nothing may crash, read
// outside the bytes or hang; a Host that passes must name the listen address or port.

#include "accesspolicy.h"
#include "http/requesthead.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Pyrite::Internal;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype end = RequestHead::endIn(bytes);
    const RequestHead head(end < 0 ? bytes : bytes.left(end + 2));
    head.isWebSocketUpgrade();
    head.value("content-length").toLongLong();
    head.value("transfer-encoding");
    const QByteArray host = head.value("host");
    for (const char *listen : {"127.0.0.1", "::1", "0.0.0.0"}) {
        AccessPolicy policy;
        policy.setListenAddress(QHostAddress(QString::fromLatin1(listen)), 8765);
        policy.setAllowedHosts({QStringLiteral("events.example.org")});
        policy.setAllowedOrigins({QStringLiteral("https://trusted.example")});
        if (policy.admitsHost(host)) {
            // Admitted without the proxy's name means this port, said or implied.
            if (!host.contains("8765") && !host.toLower().contains("events.example.org"))
                std::abort();
            policy.admitsOrigin(head.value("origin"), host);
        }
        policy.admitsWebSocketOrigin(QString::fromLatin1(head.value("origin")));
    }
    return 0;
}
