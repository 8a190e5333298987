#pragma once

#include "interface/pyriteplugin.h"

#include <QSqlDatabase>

namespace Pyrite::Internal {

// Walks the event log's hash chain (EventChain) from the oldest kept event to the newest and
// names the first sequence that does not match: an edited envelope or hash, a deleted, inserted
// or reordered row, or a log_meta whose head or start does not fit the rows. Reads a page at a
// time, so a log of any size is checked in bounded memory. On the log's thread.
class ChainVerifier
{
public:
    using Report = EventLogService::ChainReport;

    explicit ChainVerifier(QSqlDatabase database)
        : m_db(std::move(database))
    { }

    // False with a message only when the log cannot be read.
    bool verify(Report *report, QString *errorString);

private:
    struct Meta
    {
        qint64 chainFrom = 1;
        QByteArray chainPrev;
        qint64 lastSequence = 0;
        QByteArray lastHash;
    };
    bool readMeta(Meta *meta, QString *errorString);
    // Checks one row after the one before it; false when the chain breaks there.
    bool checkRow(qint64 sequence, const QByteArray &envelope, const QByteArray &hash,
                  const QByteArray &prevHash, Report *report);
    bool checkHead(Report *report) const;
    static bool broken(Report *report, qint64 sequence, const QString &problem);

    QSqlDatabase m_db;
    Meta m_meta;
    qint64 m_previousSequence = 0;
    QByteArray m_previousHash; // of the chained row before; empty before the chain
};

} // namespace Pyrite::Internal
