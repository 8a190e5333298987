#include "envelopewriter.h"

#include "event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariantMap>

namespace Pyrite::Internal {

namespace {
bool isAscii(QStringView text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

char hexDigit(uint value)
{
    return "0123456789abcdef"[value & 0xf];
}
} // namespace

EnvelopeWriter::EnvelopeWriter(QByteArray *json)
    : m_json(json)
{ }

bool EnvelopeWriter::write(const Event &event, QByteArray *json)
{
    QByteArray out;
    out.reserve(448 + 2 * (event.title().size() + event.entryId().size()));
    EnvelopeWriter writer(&out);
    writer.beginObject();
    writer.key("data");
    if (!writer.writeData(event))
        return false;
    writer.key("datacontenttype");
    writer.string(u"application/json");
    const QString epoch = event.epoch();
    if (!epoch.isEmpty()) {
        writer.key("epoch");
        writer.string(epoch);
    }
    const QString hash = event.hash();
    if (!hash.isEmpty()) {
        writer.key("hash");
        writer.string(hash);
    }
    writer.key("id");
    writer.string(event.id());
    if (!hash.isEmpty()) {
        writer.key("prevhash");
        writer.string(event.prevHash());
    }
    if (event.sequence() >= 0) {
        writer.key("sequence");
        out.append(QByteArray::number(event.sequence()));
    }
    writer.key("source");
    writer.string(event.source());
    writer.key("specversion");
    writer.string(u"1.0");
    const QString subject = event.subject();
    if (!subject.isEmpty()) {
        writer.key("subject");
        writer.string(subject);
    }
    writer.key("time");
    writer.string(Event::formatTime(event.timeMsecs()));
    writer.key("type");
    writer.string(event.type());
    writer.endObject();
    *json = std::move(out);
    return true;
}

// The members Event::data() sets, under its conditions and in key order, merged with the extra
// members: a member the event sets replaces an extra one of the same name, as
// QJsonObject::insert() does there. A member added there must be added here.
bool EnvelopeWriter::writeData(const Event &event)
{
    const QVariantMap extra = event.extra();
    for (auto it = extra.cbegin(); it != extra.cend(); ++it) {
        if (!isAscii(it.key()))
            return false;
    }
    enum class Kind { Text, List, Links };
    struct Member
    {
        const char *name;
        bool present;
        Kind kind;
        QString text;
        QStringList list;
    };
    const QString actor = event.actor(), entryId = event.entryId(), entryType = event.entryType(),
                  kb = event.kb(), title = event.title();
    const QStringList tags = event.tags();
    const QVariantList links = event.links();
    const Member members[] = {
            {"actor", !actor.isEmpty(), Kind::Text, actor, {}},
            {"changes", event.type() == u"entry.updated", Kind::List, {}, event.changes()},
            {"entry_id", !entryId.isEmpty(), Kind::Text, entryId, {}},
            {"entry_type", !entryType.isEmpty(), Kind::Text, entryType, {}},
            {"kb", !kb.isEmpty(), Kind::Text, kb, {}},
            {"links", !links.isEmpty(), Kind::Links, {}, {}},
            {"tags", !tags.isEmpty(), Kind::List, {}, tags},
            {"title", !title.isEmpty(), Kind::Text, title, {}},
    };
    beginObject();
    auto next = extra.cbegin();
    for (const Member &member : members) {
        if (!member.present)
            continue;
        for (; next != extra.cend(); ++next) {
            const int order = next.key().compare(QLatin1String(member.name));
            if (order > 0)
                break;
            if (order < 0)
                writeExtraValue(next.key(), next.value());
        }
        key(member.name);
        switch (member.kind) {
        case Kind::Text:
            string(member.text);
            break;
        case Kind::List:
            writeStringList(member.list);
            break;
        case Kind::Links:
            if (!writeLinks(links))
                return false;
            break;
        }
    }
    for (; next != extra.cend(); ++next)
        writeExtraValue(next.key(), next.value());
    endObject();
    return true;
}

// As Event::data() has them: each link an object of strings.
bool EnvelopeWriter::writeLinks(const QVariantList &links)
{
    m_json->append('[');
    for (qsizetype i = 0; i < links.size(); ++i) {
        if (i > 0)
            m_json->append(',');
        const QVariantMap link = links.at(i).toMap();
        beginObject();
        for (auto it = link.cbegin(); it != link.cend(); ++it) {
            if (!isAscii(it.key()))
                return false;
            key(it.key());
            string(it.value().toString());
        }
        endObject();
    }
    m_json->append(']');
    return true;
}

void EnvelopeWriter::writeStringList(const QStringList &list)
{
    m_json->append('[');
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            m_json->append(',');
        string(list.at(i));
    }
    m_json->append(']');
}

void EnvelopeWriter::writeExtraValue(const QString &name, const QVariant &value)
{
    key(name);
    if (value.metaType().id() == QMetaType::QString) {
        string(value.toString());
        return;
    }
    // Numbers, lists, maps, null: converted as QJsonObject::fromVariantMap() converts them.
    const QJsonValue json = QJsonObject::fromVariantMap({{name, value}}).value(name);
    const QByteArray inArray = QJsonDocument(QJsonArray{json}).toJson(QJsonDocument::Compact);
    m_json->append(inArray.constData() + 1, inArray.size() - 2); // without [ ]
}

void EnvelopeWriter::key(const char *name)
{
    separate();
    m_json->append('"').append(name).append("\":");
}

void EnvelopeWriter::key(QStringView name)
{
    separate();
    string(name);
    m_json->append(':');
}

void EnvelopeWriter::separate()
{
    if (!m_first)
        m_json->append(',');
    m_first = false;
}

// JSON's escapes for '"', '\\' and control characters (\u00xx where there is no short one),
// UTF-8 for the rest; a surrogate without its pair, which UTF-8 cannot carry, as \uxxxx.
void EnvelopeWriter::string(QStringView text)
{
    m_json->append('"');
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p != end) {
        const char16_t *const run = p;
        while (p != end && *p >= 0x20 && *p < 0x80 && *p != u'"' && *p != u'\\')
            ++p;
        if (p != run) {
            const qsizetype at = m_json->size();
            m_json->resize(at + (p - run));
            char *out = m_json->data() + at;
            for (const char16_t *c = run; c != p; ++c)
                *out++ = char(*c);
        }
        if (p == end)
            break;
        const char16_t c = *p++;
        if (c < 0x80) {
            m_json->append('\\');
            switch (c) {
            case u'"':
                m_json->append('"');
                break;
            case u'\\':
                m_json->append('\\');
                break;
            case u'\b':
                m_json->append('b');
                break;
            case u'\f':
                m_json->append('f');
                break;
            case u'\n':
                m_json->append('n');
                break;
            case u'\r':
                m_json->append('r');
                break;
            case u'\t':
                m_json->append('t');
                break;
            default:
                m_json->append("u00").append(hexDigit(c >> 4)).append(hexDigit(c));
            }
        } else if (c < 0x800) {
            m_json->append(char(0xc0 | (c >> 6))).append(char(0x80 | (c & 0x3f)));
        } else if (QChar::isHighSurrogate(c) && p != end && QChar::isLowSurrogate(*p)) {
            const char32_t u = QChar::surrogateToUcs4(c, *p++);
            m_json->append(char(0xf0 | (u >> 18)))
                    .append(char(0x80 | ((u >> 12) & 0x3f)))
                    .append(char(0x80 | ((u >> 6) & 0x3f)))
                    .append(char(0x80 | (u & 0x3f)));
        } else if (QChar::isSurrogate(c)) {
            m_json->append("\\u")
                    .append(hexDigit(c >> 12))
                    .append(hexDigit(c >> 8))
                    .append(hexDigit(c >> 4))
                    .append(hexDigit(c));
        } else {
            m_json->append(char(0xe0 | (c >> 12)))
                    .append(char(0x80 | ((c >> 6) & 0x3f)))
                    .append(char(0x80 | (c & 0x3f)));
        }
    }
    m_json->append('"');
}

void EnvelopeWriter::beginObject()
{
    m_json->append('{');
    m_first = true;
}

void EnvelopeWriter::endObject()
{
    m_json->append('}');
    m_first = false;
}

} // namespace Pyrite::Internal
