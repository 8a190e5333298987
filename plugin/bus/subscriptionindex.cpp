#include "subscriptionindex.h"

#include "event.h"

#include <algorithm>

namespace Pyrite::Internal {

SubscriptionIndex::PatternKind SubscriptionIndex::classify(const QString &pattern, QString *key)
{
    const qsizetype star = pattern.indexOf(u'*');
    if (star < 0) {
        *key = pattern;
        return PatternKind::Exact;
    }
    if (star == pattern.size() - 1) {
        *key = pattern.left(star);
        return PatternKind::Prefix;
    }
    key->clear();
    return PatternKind::Glob;
}

SubscriptionIndex::KbBuckets &SubscriptionIndex::bucketsFor(const QString &pattern)
{
    QString key;
    switch (classify(pattern, &key)) {
    case PatternKind::Exact:
        return m_exact[key];
    case PatternKind::Prefix:
        return m_prefix[key];
    case PatternKind::Glob:
        break;
    }
    return m_glob;
}

void SubscriptionIndex::insert(quint64 id, const EventFilter &filter, void *userData)
{
    remove(id);
    const EventFilter *stored = &m_filters.emplace(id, filter).first->second;
    const Item item{id, stored, userData};
    for (const QString &pattern : stored->typePatterns()) {
        KbBuckets &buckets = bucketsFor(pattern);
        QList<Item> &items = stored->kb().isEmpty() ? buckets.anyKb : buckets.byKb[stored->kb()];
        // Ids only grow, so appending keeps each list sorted; re-inserted ids are put in place.
        const auto at = std::lower_bound(items.begin(), items.end(), id,
                                         [](const Item &a, quint64 b) { return a.id < b; });
        // Two glob patterns of one filter share the glob bucket: keep each id once per list.
        if (at == items.end() || at->id != id)
            items.insert(at, item);
    }
}

void SubscriptionIndex::removeFromBuckets(const QString &pattern, const QString &kb, quint64 id)
{
    QString key;
    const PatternKind kind = classify(pattern, &key);
    QHash<QString, KbBuckets> *table = kind == PatternKind::Exact ? &m_exact
            : kind == PatternKind::Prefix                         ? &m_prefix
                                                                  : nullptr;
    KbBuckets *buckets = table ? &(*table)[key] : &m_glob;
    QList<Item> &items = kb.isEmpty() ? buckets->anyKb : buckets->byKb[kb];
    items.removeIf([id](const Item &item) { return item.id == id; });
    if (items.isEmpty() && !kb.isEmpty())
        buckets->byKb.remove(kb);
    if (table && buckets->isEmpty())
        table->remove(key);
}

bool SubscriptionIndex::matches(quint64 id, const Event &event) const
{
    const auto it = m_filters.find(id);
    return it != m_filters.end() && it->second.matches(event);
}

bool SubscriptionIndex::remove(quint64 id)
{
    const auto it = m_filters.find(id);
    if (it == m_filters.end())
        return false;
    for (const QString &pattern : it->second.typePatterns())
        removeFromBuckets(pattern, it->second.kb(), id);
    m_filters.erase(it);
    return true;
}

void SubscriptionIndex::collect(const QList<Item> &items, const Event &event, bool checkType,
                                MatchList *ids)
{
    const QString &entryType = event.entryType();
    const QString &entryId = event.entryId();
    for (const Item &item : items) {
        const EventFilter &filter = *item.filter;
        if (!filter.entryType().isEmpty() && filter.entryType() != entryType)
            continue;
        if (!filter.entryId().isEmpty() && filter.entryId() != entryId)
            continue;
        if (checkType && !filter.matchesType(event.type()))
            continue;
        ids->append(Match{item.id, item.userData});
    }
}

void SubscriptionIndex::collect(const KbBuckets &buckets, const Event &event, bool checkType,
                                MatchList *ids)
{
    collect(buckets.anyKb, event, checkType, ids);
    if (buckets.byKb.isEmpty())
        return;
    const auto it = buckets.byKb.constFind(event.kb());
    if (it != buckets.byKb.cend())
        collect(*it, event, checkType, ids);
}

void SubscriptionIndex::match(const Event &event, MatchList *ids) const
{
    ids->clear();
    const QString type = event.type();
    int listsWithMatches = 0;
    const auto collectFrom = [&](const KbBuckets &buckets, bool checkType) {
        const qsizetype before = ids->size();
        collect(buckets, event, checkType, ids);
        if (ids->size() > before)
            ++listsWithMatches;
    };
    const auto exact = m_exact.constFind(type);
    if (exact != m_exact.cend())
        collectFrom(*exact, false);
    // Few distinct prefixes exist ("", "entry.", "task."), so walking them is cheap.
    for (auto it = m_prefix.cbegin(); it != m_prefix.cend(); ++it) {
        if (type.startsWith(it.key()))
            collectFrom(*it, false);
    }
    if (!m_glob.isEmpty())
        collectFrom(m_glob, true);

    // Each list is sorted and holds an id once; only matches from several lists (several
    // patterns, or KB-specific and KB-wide buckets) need merging.
    if (listsWithMatches > 1 || (ids->size() > 1 && !std::is_sorted(ids->begin(), ids->end()))) {
        std::sort(ids->begin(), ids->end());
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
}

} // namespace Pyrite::Internal
