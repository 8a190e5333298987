#include "jsonmessage.h"

#include "commontr.h"

#include <QJsonDocument>

namespace Pyrite {

std::optional<QJsonObject> JsonMessage::parseObject(QByteArrayView text, const QString &notAnObject,
                                                    Error *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = {QStringLiteral("bad_json"),
                  CommonTr::tr("not valid JSON: %1 at byte %2")
                          .arg(parseError.errorString())
                          .arg(parseError.offset)};
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = {QStringLiteral("bad_request"), notAnObject};
        return std::nullopt;
    }
    return document.object();
}

} // namespace Pyrite
