// libFuzzer target: any bytes as a client message of the stream protocol. The parser must answer
// with a request or an error (with a code and message), and the error frame must be valid JSON.

#include "streams/streamprotocol.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Pyrite::Internal;
    const QByteArrayView message(reinterpret_cast<const char *>(data), qsizetype(size));
    StreamError error;
    const std::optional<StreamRequest> request = StreamProtocol::parse(message, &error);
    if (!request) {
        if (error.code.isEmpty() || error.message.isEmpty())
            std::abort();
        if (QJsonDocument::fromJson(StreamProtocol::error(error)).isNull())
            std::abort();
        return 0;
    }
    if (request->op != StreamRequest::Op::Ping && request->id.isEmpty())
        std::abort();
    if (QJsonDocument::fromJson(StreamProtocol::eventFrame(request->id, "{}")).isNull())
        std::abort();
    return 0;
}
