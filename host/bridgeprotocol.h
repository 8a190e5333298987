#pragma once

#include "hookregistry.h"
#include "interface/pyritetypes.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace Pyrite::Host {

// One request line of the JSON-lines bridge (docs/bridge.md).
struct BridgeRequest
{
    enum class Kind { Hook, Notify, Ping, Watch, Metrics };

    Kind kind = Kind::Ping;
    QJsonValue id; // echoed in the reply; any JSON value the caller likes
    Hook hook = Hook::AfterSave;
    Notification notification = Notification::KbIndexed;
    QVariantMap entry;
    QVariantMap payload;
    HookContext context;
    // watch
    QStringList types;
    QString kb;
    QString entryType;
};

struct BridgeError
{
    QString code;    // bad_json, bad_request, unknown_hook, unknown_notification, unknown_op,
                     // bad_entry, ...
    QString message; // names the field at fault
};

// Parses request lines and writes reply lines. Stateless, so that it can be fuzzed on its own.
class BridgeProtocol
{
public:
    // On failure returns nullopt, fills *error, and *id with the request's id when it was readable.
    static std::optional<BridgeRequest> parse(QByteArrayView line, QJsonValue *id,
                                              BridgeError *error);

    static QByteArray hookReply(const QJsonValue &id, Hook hook, const HookOutcome &outcome);
    static QByteArray okReply(const QJsonValue &id, const QJsonObject &fields = QJsonObject());
    static QByteArray errorReply(const QJsonValue &id, const QString &code, const QString &message);
    static QByteArray eventLine(const QJsonValue &id, const QJsonObject &event);
};

} // namespace Pyrite::Host
