#pragma once

#include "eventfilter.h"

#include <QHash>
#include <QList>
#include <QVarLengthArray>

#include <unordered_map>

namespace Pyrite {
class Event;
}

namespace Pyrite::Internal {

// Finds the subscriptions an event matches without scanning all of them: subscriptions are
// bucketed by type pattern (exact type, literal prefix before a trailing '*', or other globs)
// and inside each bucket by KB, so an event only looks at buckets its type and KB select.
class SubscriptionIndex
{
public:
    struct Match
    {
        quint64 id;
        void *userData;
        bool operator<(const Match &other) const { return id < other.id; }
        bool operator==(const Match &other) const { return id == other.id; }
    };
    using MatchList = QVarLengthArray<Match, 64>;

    // userData comes back with every match (the bus keeps its subscription there), which saves a
    // lookup per delivery.
    void insert(quint64 id, const EventFilter &filter, void *userData = nullptr);
    bool remove(quint64 id);
    bool contains(quint64 id) const { return m_filters.count(id) > 0; }
    // Whether subscription `id` (if it exists) matches the event.
    bool matches(quint64 id, const Event &event) const;
    int size() const { return int(m_filters.size()); }

    // The matching subscriptions in ascending id order (= subscription order), no duplicates.
    void match(const Event &event, MatchList *ids) const;

private:
    struct Item
    {
        quint64 id;
        const EventFilter *filter;
        void *userData;
    };
    struct KbBuckets
    {
        QHash<QString, QList<Item>> byKb;
        QList<Item> anyKb;
        bool isEmpty() const { return byKb.isEmpty() && anyKb.isEmpty(); }
    };
    enum class PatternKind { Exact, Prefix, Glob };

    static PatternKind classify(const QString &pattern, QString *key);
    KbBuckets &bucketsFor(const QString &pattern);
    void removeFromBuckets(const QString &pattern, const QString &kb, quint64 id);
    static void collect(const QList<Item> &items, const Event &event, bool checkType,
                        MatchList *ids);
    static void collect(const KbBuckets &buckets, const Event &event, bool checkType,
                        MatchList *ids);

    // Node-based so that Item::filter stays valid while others are inserted and removed.
    std::unordered_map<quint64, EventFilter> m_filters;
    QHash<QString, KbBuckets> m_exact;
    QHash<QString, KbBuckets> m_prefix;
    KbBuckets m_glob;
};

} // namespace Pyrite::Internal
