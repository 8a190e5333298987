#pragma once

#include <QByteArray>
#include <QStringList>
#include <QStringView>
#include <QVariantList>

namespace Pyrite {

class Event;

namespace Internal {

// Writes an event's envelope as compact JSON with sorted keys: the same bytes as
// QJsonDocument(event.toJsonObject()).toJson(QJsonDocument::Compact), without building the
// QJsonObject first. Building it was most of the event log writer's time (docs/performance.md,
// Event log). Members of "data" that are not plain strings go through Qt's own conversion, so
// their form is Qt's by construction.
class EnvelopeWriter
{
public:
    // False, with *json untouched, when the event has a key outside ASCII in "data" or a link:
    // Qt orders such keys by its own rules, and toJson() then lets Qt write the whole envelope.
    static bool write(const Event &event, QByteArray *json);

private:
    explicit EnvelopeWriter(QByteArray *json);

    bool writeData(const Event &event);
    bool writeLinks(const QVariantList &links);
    void writeStringList(const QStringList &list);
    void writeExtraValue(const QString &name, const QVariant &value);
    // A member's key, after the comma that separates it from the one before.
    void key(const char *name);
    void key(QStringView name);
    // The comma before every member but an object's first.
    void separate();
    void string(QStringView text);
    void beginObject();
    void endObject();

    QByteArray *m_json;
    bool m_first = true;
};

} // namespace Internal
} // namespace Pyrite
