// libFuzzer target: any bytes as a bridge request line. The parser must answer with a request or
// an error (with a code and message), and the error reply must be one line of valid JSON.

#include "bridgeprotocol.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Pyrite::Host;
    const QByteArrayView line(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonValue id;
    BridgeError error;
    const std::optional<BridgeRequest> request = BridgeProtocol::parse(line, &id, &error);
    if (request)
        return 0;
    if (error.code.isEmpty() || error.message.isEmpty())
        std::abort();
    const QByteArray reply = BridgeProtocol::errorReply(id, error.code, error.message);
    if (!reply.endsWith('\n') || reply.count('\n') != 1 || QJsonDocument::fromJson(reply).isNull())
        std::abort();
    return 0;
}
