#pragma once

#include <QString>
#include <QStringList>

namespace Pyrite {

class Event;

// What a subscriber wants: event type patterns ("entry.created", "entry.*", "*", "*.failed"),
// and optionally one KB, one entry type and one entry id. Empty fields match everything.
class EventFilter
{
public:
    EventFilter() = default;

    // Validates the patterns; returns false with a message naming the bad one.
    bool setTypePatterns(const QStringList &patterns, QString *errorString);
    const QStringList &typePatterns() const { return m_typePatterns; }
    const QString &kb() const { return m_kb; }
    void setKb(const QString &kb) { m_kb = kb; }
    const QString &entryType() const { return m_entryType; }
    void setEntryType(const QString &entryType) { m_entryType = entryType; }
    const QString &entryId() const { return m_entryId; }
    void setEntryId(const QString &entryId) { m_entryId = entryId; }

    bool matchesType(QStringView type) const;
    bool matches(const Event &event) const;

    static bool isValidPattern(QStringView pattern, QString *errorString);
    static bool patternMatches(QStringView pattern, QStringView type);

    // Longest allowed pattern, matching the longest event type name with room to spare.
    static constexpr int MaxPatternLength = 128;
    // Type patterns one filter may have (a stream subscription's, an /api/events query's).
    static constexpr int MaxPatterns = 32;

private:
    QStringList m_typePatterns{QStringLiteral("*")};
    QString m_kb;
    QString m_entryType;
    QString m_entryId;
};

} // namespace Pyrite
