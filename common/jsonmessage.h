#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pyrite {

// The first step of reading a message of a JSON protocol (the bridge's lines, the stream's
// frames): it must be valid JSON and an object. Errors come as the protocols report them: a code
// ("bad_json" naming the byte, "bad_request") and a message.
class JsonMessage
{
public:
    struct Error
    {
        QString code;
        QString message;
    };

    // notAnObject: the message for valid JSON that is not an object, in the protocol's words.
    static std::optional<QJsonObject> parseObject(QByteArrayView text, const QString &notAnObject,
                                                  Error *error);
};

} // namespace Pyrite
