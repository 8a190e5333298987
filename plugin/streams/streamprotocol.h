#pragma once

#include "bus/eventfilter.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Pyrite::Internal {

// One client message of the stream protocol (docs/protocol.md).
struct StreamRequest
{
    enum class Op { Subscribe, Unsubscribe, Ping };

    Op op = Op::Ping;
    QString id;         // subscription id (subscribe, unsubscribe); echoed for ping
    EventFilter filter; // subscribe: types, kb, entry_type, entry_id
    qint64 since = -1;  // subscribe: resume after this sequence; -1 = live only
    QString epoch;      // subscribe: the epoch `since` belongs to
};

struct StreamError
{
    QString code;    // bad_json, bad_request, unknown_op, invalid_pattern, ...
    QString message; // names the field at fault
    QString id;      // the request's id when it could be read
};

// Parses client messages and builds server frames. Stateless and separate from the server so
// that it can be tested and fuzzed on its own. Event frames embed the event's JSON as bytes: each
// event is serialized once per format and only the small envelope differs per subscription.
class StreamProtocol
{
public:
    static constexpr int MaxIdLength = 64;
    static constexpr int MaxPatterns = EventFilter::MaxPatterns;

    static std::optional<StreamRequest> parse(QByteArrayView message, StreamError *error);

    static QByteArray subscribed(const QString &id, bool recovered, const QString &epoch,
                                 qint64 logStart, qint64 position);
    static QByteArray unsubscribed(const QString &id);
    static QByteArray pong(const QString &id);
    static QByteArray error(const StreamError &error);
    static QByteArray eventFrame(const QString &subscriptionId, const QByteArray &eventJson);
    // Pyrite's legacy frame for /ws: {"type":"entry_created","entry_id":...,"kb_name":...};
    // empty for event types the legacy client does not know.
    static QByteArray legacyFrame(const QString &eventType, const QString &entryId,
                                  const QString &kb);
};

} // namespace Pyrite::Internal
