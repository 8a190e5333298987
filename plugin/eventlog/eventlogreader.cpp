#include "eventlogreader.h"

#include "chainverifier.h"
#include "eventlog.h"
#include "logdatabase.h"
#include "eventlogtr.h"

#include "bus/eventfilter.h"

namespace Pyrite::Internal {

bool EventLogReader::check(const Query &query, QString *errorString) const
{
    const auto fail = [errorString](const QString &message) {
        if (errorString)
            *errorString = message;
        return false;
    };
    if (!m_log)
        return fail(EventLogTr::tr("the event log is off (event_log.driver: none)"));
    if (!query.epoch.isEmpty() && query.epoch != m_log->epoch())
        return fail(EventLogTr::tr("epoch \"%1\" is not this log's (\"%2\"): its positions are "
                                   "void; start again from sequence 0")
                            .arg(query.epoch, m_log->epoch()));
    if (query.afterSequence < 0)
        return fail(EventLogTr::tr("sequence %1 is negative").arg(query.afterSequence));
    if (query.beforeSequence < 0)
        return fail(EventLogTr::tr("sequence %1 is negative").arg(query.beforeSequence));
    if (!query.entryId.isEmpty() && query.kb.isEmpty())
        return fail(EventLogTr::tr("an entry id needs its knowledge base (kb)"));
    if (query.limit < 1 || query.limit > 100000)
        return fail(EventLogTr::tr("limit %1 is out of range (1 to 100000)").arg(query.limit));
    if (query.fromMsecs >= 0 && query.untilMsecs >= 0 && query.untilMsecs < query.fromMsecs)
        return fail(EventLogTr::tr("the time range ends before it starts"));
    for (const QString &pattern : query.types) {
        QString error;
        if (!EventFilter::isValidPattern(pattern, &error))
            return fail(error);
    }
    return true;
}

bool EventLogReader::readEvents(const Query &query, Page *page, QString *errorString)
{
    if (!check(query, errorString))
        return false;
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    if (!m_log->read(query, &events, &oldest, errorString))
        return false;
    page->events.clear();
    page->events.reserve(events.size());
    for (const LoggedEvent &event : std::as_const(events))
        page->events.append(event.json);
    const qint64 start = query.newestFirst ? query.beforeSequence : query.afterSequence;
    page->lastSequence = events.isEmpty() ? start : events.constLast().sequence;
    page->more = events.size() == query.limit;
    page->epoch = m_log->epoch();
    page->oldestSequence = oldest;
    return true;
}

bool EventLogReader::verifyChain(ChainReport *report, QString *errorString)
{
    if (!m_log) {
        if (errorString)
            *errorString = EventLogTr::tr("the event log is off (event_log.driver: none)");
        return false;
    }
    return m_log->withDatabase(
            [&](LogDatabase &database) {
                return ChainVerifier(database.database()).verify(report, errorString);
            },
            errorString);
}

} // namespace Pyrite::Internal
