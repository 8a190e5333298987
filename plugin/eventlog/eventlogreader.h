#pragma once

#include "interface/pyriteplugin.h"

namespace Pyrite::Internal {

class EventLog;

// The event log's read service (EventLogService) for hosts, tools and the HTTP API: checks a query
// field by field, then reads a page. Safe from any thread (reads run on the log's thread).
class EventLogReader final : public EventLogService
{
public:
    // log may be null (event_log.driver: none): every read then says the log is off.
    explicit EventLogReader(EventLog *log = nullptr)
        : m_log(log)
    { }
    void setLog(EventLog *log) { m_log = log; }

    bool readEvents(const Query &query, Page *page, QString *errorString) override;
    // Walks the chain on the log's thread (ChainVerifier); blocks until it is done.
    bool verifyChain(ChainReport *report, QString *errorString) override;
    // False with a message naming the field for a malformed query or another epoch.
    bool check(const Query &query, QString *errorString) const;

private:
    EventLog *m_log;
};

} // namespace Pyrite::Internal
