#pragma once

#include "interface/pyritetypes.h"

#include <QJsonObject>
#include <QMetaType>
#include <QSharedDataPointer>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

namespace Pyrite {

class EventData;

// One event in the CloudEvents 1.0 envelope of design.md section 3. Implicitly shared, so passing
// it through signals and queues copies a pointer. The entry and hook context it came from ride
// along in-process (for hook subscribers) but are not part of the serialized form.
class Event
{
public:
    Event();
    Event(const Event &other);
    Event(Event &&other) noexcept;
    ~Event();
    Event &operator=(const Event &other);
    Event &operator=(Event &&other) noexcept;

    bool isNull() const;

    QString id() const;
    void setId(const QString &id);
    QString type() const;
    void setType(const QString &type);
    QString source() const;
    void setSource(const QString &source);
    QString subject() const;
    void setSubject(const QString &subject);
    // Milliseconds since the Unix epoch (UTC); serialized as RFC 3339 "time".
    qint64 timeMsecs() const;
    void setTimeMsecs(qint64 msecs);
    // Position in the event log, -1 until the log stored it.
    qint64 sequence() const;
    void setSequence(qint64 sequence);
    QString epoch() const;
    void setEpoch(const QString &epoch);
    // The log's hash chain (EventChain): this event's hash and the one before it, lowercase hex;
    // empty until the log stored it. Serialized as the extension attributes "hash", "prevhash".
    QString hash() const;
    void setHash(const QString &hash);
    QString prevHash() const;
    void setPrevHash(const QString &prevHash);
    // True when the event came from another instance through a shared log.
    bool isRemote() const;
    void setRemote(bool remote);

    // "data" fields used for filtering.
    QString entryId() const;
    void setEntryId(const QString &entryId);
    QString kb() const;
    void setKb(const QString &kb);
    QString entryType() const;
    void setEntryType(const QString &entryType);
    QString actor() const;
    void setActor(const QString &actor);
    QString title() const;
    void setTitle(const QString &title);
    QStringList tags() const;
    void setTags(const QStringList &tags);
    QVariantList links() const;
    void setLinks(const QVariantList &links);
    QStringList changes() const;
    void setChanges(const QStringList &changes);
    // Further "data" members of notification events (issues, counts, ...).
    QVariantMap extra() const;
    void setExtra(const QVariantMap &extra);

    // In-process only: what the hook saw.
    QVariantMap entry() const;
    void setEntry(const QVariantMap &entry);
    HookContext hookContext() const;
    void setHookContext(const HookContext &context);

    QJsonObject data() const;
    QJsonObject toJsonObject() const;
    QByteArray toJson() const;
    // Reads an envelope written by toJsonObject() (event log, remote instances).
    static Event fromJsonObject(const QJsonObject &object, QString *errorString);

    static QString formatTime(qint64 msecs);

private:
    QSharedDataPointer<EventData> d;
};

} // namespace Pyrite

Q_DECLARE_METATYPE(Pyrite::Event)
Q_DECLARE_METATYPE(QList<Pyrite::Event>)
