#include "event.h"

#include "bustr.h"
#include "envelopewriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace Pyrite {

namespace {
const QString SpecVersion = QStringLiteral("1.0");
const QString ContentType = QStringLiteral("application/json");
} // namespace

class EventData : public QSharedData
{
public:
    QString id;
    QString type;
    QString source;
    QString subject;
    qint64 timeMsecs = 0;
    qint64 sequence = -1;
    QString epoch;
    QString hash;
    QString prevHash;
    bool remote = false;

    QString entryId;
    QString kb;
    QString entryType;
    QString actor;
    QString title;
    QStringList tags;
    QVariantList links;
    QStringList changes;
    QVariantMap extra;

    QVariantMap entry;
    HookContext hookContext;
};

Event::Event()
    : d(new EventData)
{ }
Event::Event(const Event &other) = default;
Event::Event(Event &&other) noexcept = default;
Event::~Event() = default;
Event &Event::operator=(const Event &other) = default;
Event &Event::operator=(Event &&other) noexcept = default;

bool Event::isNull() const
{
    return d->type.isEmpty();
}

#define PYRITE_EVENT_PROPERTY(Type, getter, setter) \
    Type Event::getter() const \
    { \
        return d->getter; \
    } \
    void Event::setter(const Type &value) \
    { \
        d->getter = value; \
    }

PYRITE_EVENT_PROPERTY(QString, id, setId)
PYRITE_EVENT_PROPERTY(QString, type, setType)
PYRITE_EVENT_PROPERTY(QString, source, setSource)
PYRITE_EVENT_PROPERTY(QString, epoch, setEpoch)
PYRITE_EVENT_PROPERTY(QString, hash, setHash)
PYRITE_EVENT_PROPERTY(QString, prevHash, setPrevHash)
PYRITE_EVENT_PROPERTY(QString, entryId, setEntryId)
PYRITE_EVENT_PROPERTY(QString, kb, setKb)
PYRITE_EVENT_PROPERTY(QString, entryType, setEntryType)
PYRITE_EVENT_PROPERTY(QString, actor, setActor)
PYRITE_EVENT_PROPERTY(QString, title, setTitle)
PYRITE_EVENT_PROPERTY(QStringList, tags, setTags)
PYRITE_EVENT_PROPERTY(QVariantList, links, setLinks)
PYRITE_EVENT_PROPERTY(QStringList, changes, setChanges)
PYRITE_EVENT_PROPERTY(QVariantMap, extra, setExtra)
PYRITE_EVENT_PROPERTY(QVariantMap, entry, setEntry)
PYRITE_EVENT_PROPERTY(HookContext, hookContext, setHookContext)

#undef PYRITE_EVENT_PROPERTY

// Derived unless set: <kb>/<entry_id>, or <kb> for KB-wide events. Kept off the publish path.
QString Event::subject() const
{
    if (!d->subject.isEmpty() || d->kb.isEmpty())
        return d->subject;
    return d->entryId.isEmpty() ? d->kb : d->kb + u'/' + d->entryId;
}

void Event::setSubject(const QString &subject)
{
    d->subject = subject;
}

qint64 Event::timeMsecs() const
{
    return d->timeMsecs;
}
void Event::setTimeMsecs(qint64 msecs)
{
    d->timeMsecs = msecs;
}
qint64 Event::sequence() const
{
    return d->sequence;
}
void Event::setSequence(qint64 sequence)
{
    d->sequence = sequence;
}
bool Event::isRemote() const
{
    return d->remote;
}
void Event::setRemote(bool remote)
{
    d->remote = remote;
}

QString Event::formatTime(qint64 msecs)
{
    // Fixed fields instead of QDateTime::toString(), which is the slow part of serializing.
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    const QDate date = time.date();
    const QTime clock = time.time();
    return QString::asprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year(), date.month(),
                             date.day(), clock.hour(), clock.minute(), clock.second(),
                             clock.msec());
}

namespace {
// Links are {target, relation[, kb]} strings (EventFactory made them so): building the array
// directly avoids QJsonArray::fromVariantList()'s generic conversion.
QJsonArray linksToJson(const QVariantList &links)
{
    QJsonArray array;
    for (const QVariant &link : links) {
        const QVariantMap map = link.toMap();
        QJsonObject object;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), it.value().toString());
        array.append(object);
    }
    return array;
}
} // namespace

// EnvelopeWriter::writeData() writes the same members under the same conditions: a change here
// is a change there (tst_envelopewriter compares the two).
QJsonObject Event::data() const
{
    QJsonObject data = QJsonObject::fromVariantMap(d->extra);
    if (!d->entryId.isEmpty())
        data.insert(QLatin1String("entry_id"), d->entryId);
    if (!d->kb.isEmpty())
        data.insert(QLatin1String("kb"), d->kb);
    if (!d->entryType.isEmpty())
        data.insert(QLatin1String("entry_type"), d->entryType);
    if (!d->actor.isEmpty())
        data.insert(QLatin1String("actor"), d->actor);
    if (!d->title.isEmpty())
        data.insert(QLatin1String("title"), d->title);
    if (!d->tags.isEmpty())
        data.insert(QLatin1String("tags"), QJsonArray::fromStringList(d->tags));
    if (!d->links.isEmpty())
        data.insert(QLatin1String("links"), linksToJson(d->links));
    if (d->type == u"entry.updated")
        data.insert(QLatin1String("changes"), QJsonArray::fromStringList(d->changes));
    return data;
}

QJsonObject Event::toJsonObject() const
{
    QJsonObject object{
            {QLatin1String("specversion"), SpecVersion},
            {QLatin1String("id"), d->id},
            {QLatin1String("source"), d->source},
            {QLatin1String("type"), d->type},
            {QLatin1String("time"), formatTime(d->timeMsecs)},
            {QLatin1String("datacontenttype"), ContentType},
            {QLatin1String("data"), data()},
    };
    const QString subject = this->subject();
    if (!subject.isEmpty())
        object.insert(QLatin1String("subject"), subject);
    if (d->sequence >= 0)
        object.insert(QLatin1String("sequence"), d->sequence);
    if (!d->epoch.isEmpty())
        object.insert(QLatin1String("epoch"), d->epoch);
    if (!d->hash.isEmpty()) {
        object.insert(QLatin1String("hash"), d->hash);
        object.insert(QLatin1String("prevhash"), d->prevHash);
    }
    return object;
}

QByteArray Event::toJson() const
{
    QByteArray json;
    if (Internal::EnvelopeWriter::write(*this, &json))
        return json;
    return QJsonDocument(toJsonObject()).toJson(QJsonDocument::Compact);
}

Event Event::fromJsonObject(const QJsonObject &object, QString *errorString)
{
    const auto fail = [errorString](const QString &message) {
        if (errorString)
            *errorString = message;
        return Event();
    };
    if (object.value(QLatin1String("specversion")).toString() != SpecVersion)
        return fail(BusTr::tr(
                "not a CloudEvents 1.0 event: \"specversion\" is missing or not \"1.0\""));
    for (const char *required : {"id", "source", "type", "time"}) {
        if (!object.value(QLatin1String(required)).isString())
            return fail(BusTr::tr("event has no \"%1\" string").arg(QLatin1String(required)));
    }
    const QDateTime time = QDateTime::fromString(object.value(QLatin1String("time")).toString(),
                                                 Qt::ISODateWithMs);
    if (!time.isValid())
        return fail(BusTr::tr("event \"time\" is not an RFC 3339 timestamp"));

    Event event;
    event.d->id = object.value(QLatin1String("id")).toString();
    event.d->source = object.value(QLatin1String("source")).toString();
    event.d->type = object.value(QLatin1String("type")).toString();
    event.d->subject = object.value(QLatin1String("subject")).toString();
    event.d->timeMsecs = time.toMSecsSinceEpoch();
    event.d->sequence = object.value(QLatin1String("sequence")).toInteger(-1);
    event.d->epoch = object.value(QLatin1String("epoch")).toString();
    event.d->hash = object.value(QLatin1String("hash")).toString();
    event.d->prevHash = object.value(QLatin1String("prevhash")).toString();

    QVariantMap data = object.value(QLatin1String("data")).toObject().toVariantMap();
    event.d->entryId = data.take(QStringLiteral("entry_id")).toString();
    event.d->kb = data.take(QStringLiteral("kb")).toString();
    event.d->entryType = data.take(QStringLiteral("entry_type")).toString();
    event.d->actor = data.take(QStringLiteral("actor")).toString();
    event.d->title = data.take(QStringLiteral("title")).toString();
    event.d->tags = data.take(QStringLiteral("tags")).toStringList();
    event.d->links = data.take(QStringLiteral("links")).toList();
    event.d->changes = data.take(QStringLiteral("changes")).toStringList();
    event.d->extra = data;
    return event;
}

} // namespace Pyrite
