#include "chainverifier.h"

#include "eventlogtr.h"

#include "eventchain.h"
#include "sqlselect.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Pyrite::Internal {

namespace {
constexpr int RowsPerPage = 1000;
} // namespace

bool ChainVerifier::verify(Report *report, QString *errorString)
{
    *report = Report();
    if (!readMeta(&m_meta, errorString))
        return false;
    m_previousSequence = 0;
    m_previousHash.clear();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT seq, envelope, hash, prev_hash FROM events WHERE seq > ? "
                                 "ORDER BY seq LIMIT ?"));
    qint64 after = 0;
    for (;;) {
        query.addBindValue(after);
        query.addBindValue(RowsPerPage);
        if (!query.exec()) {
            if (errorString)
                *errorString = EventLogTr::tr("cannot read events: %1")
                                       .arg(SqlSelect::cause(query.lastError()));
            return false;
        }
        int rows = 0;
        while (query.next()) {
            ++rows;
            after = query.value(0).toLongLong();
            if (!checkRow(after, query.value(1).toString().toUtf8(),
                          query.value(2).toString().toLatin1(),
                          query.value(3).toString().toLatin1(), report))
                return true;
        }
        if (rows < RowsPerPage)
            break;
    }
    checkHead(report);
    return true;
}

bool ChainVerifier::readMeta(Meta *meta, QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT key, value FROM log_meta"))) {
        if (errorString)
            *errorString = EventLogTr::tr("cannot read log_meta: %1")
                                   .arg(SqlSelect::cause(query.lastError()));
        return false;
    }
    while (query.next()) {
        const QString key = query.value(0).toString();
        const QString value = query.value(1).toString();
        if (key == u"chain_from")
            meta->chainFrom = value.toLongLong();
        else if (key == u"chain_prev")
            meta->chainPrev = value.toLatin1();
        else if (key == u"last_seq")
            meta->lastSequence = value.toLongLong();
        else if (key == u"last_hash")
            meta->lastHash = value.toLatin1();
    }
    return true;
}

bool ChainVerifier::checkRow(qint64 sequence, const QByteArray &envelope, const QByteArray &hash,
                             const QByteArray &prevHash, Report *report)
{
    if (report->firstSequence == 0)
        report->firstSequence = sequence;
    else if (sequence != m_previousSequence + 1)
        return broken(report, m_previousSequence + 1,
                      EventLogTr::tr("events %1 to %2 are missing (deleted?)")
                              .arg(m_previousSequence + 1)
                              .arg(sequence - 1));
    report->lastSequence = sequence;
    m_previousSequence = sequence;
    if (sequence < m_meta.chainFrom) {
        ++report->unchained; // from before the log had a chain: nothing to check
        return true;
    }
    // The chain's first kept event follows the hash retention left, every other the row before.
    const QByteArray expected = sequence == m_meta.chainFrom ? m_meta.chainPrev : m_previousHash;
    if (sequence > m_meta.chainFrom && report->checked == 0)
        return broken(report, m_meta.chainFrom,
                      EventLogTr::tr("the chain starts at %1 but the oldest event is %2: events "
                                     "were removed other than by retention")
                              .arg(m_meta.chainFrom)
                              .arg(sequence));
    if (prevHash != expected)
        return broken(
                report, sequence,
                EventLogTr::tr("it does not follow the event before it (its prev_hash "
                               "is not that event's hash: reordered, inserted or replaced?)"));
    if (EventChain::link(prevHash, sequence, envelope) != hash)
        return broken(report, sequence,
                      EventLogTr::tr("its content does not match its hash (edited?)"));
    m_previousHash = hash;
    ++report->checked;
    return true;
}

bool ChainVerifier::checkHead(Report *report) const
{
    if (m_previousSequence < m_meta.lastSequence && m_meta.lastSequence >= m_meta.chainFrom)
        return broken(report, m_previousSequence + 1,
                      EventLogTr::tr("the log's newest event is %1 but the newest row is %2 "
                                     "(deleted?)")
                              .arg(m_meta.lastSequence)
                              .arg(m_previousSequence));
    if (m_previousSequence > m_meta.lastSequence)
        return broken(report, m_meta.lastSequence + 1,
                      EventLogTr::tr("the log's newest event is %1 but rows go on to %2 "
                                     "(inserted?)")
                              .arg(m_meta.lastSequence)
                              .arg(m_previousSequence));
    if (report->checked > 0 && m_previousHash != m_meta.lastHash)
        return broken(report, m_previousSequence,
                      EventLogTr::tr("its hash is not the one the log recorded as its newest"));
    return true;
}

bool ChainVerifier::broken(Report *report, qint64 sequence, const QString &problem)
{
    report->intact = false;
    report->brokenAt = sequence;
    report->problem = problem;
    return false;
}

} // namespace Pyrite::Internal
