#pragma once

#include "eventlogsettings.h"

#include "bus/event.h"
#include "interface/pyriteplugin.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <memory>

namespace Pyrite::Internal {

class LogParticipant;

// What a replay asks for: the query of the EventLogService interface (the epoch is checked by
// the plugin, not here).
using LogQuery = EventLogService::Query;

// One stored event as replay returns it: the CloudEvents JSON (with "sequence" and "epoch")
// plus the columns filters look at.
struct LoggedEvent
{
    qint64 sequence = 0;
    QString type;
    QString kb;
    QString entryType;
    QString entryId;
    qint64 timeMsecs = 0;
    QByteArray json;
};

// One connection to the event log database (SQLite or PostgreSQL), used on one thread. Creates
// and migrates the schema (resources/sql/<driver>/NNN_*.sql), keeps the epoch and the last
// sequence in log_meta, and appends batches in one transaction each.
class LogDatabase
{
public:
    LogDatabase(const EventLogSettings &settings, const QString &connectionName);
    ~LogDatabase();
    LogDatabase(const LogDatabase &) = delete;
    LogDatabase &operator=(const LogDatabase &) = delete;

    // Run inside every append's transaction (before open()).
    void setParticipants(const QList<std::shared_ptr<LogParticipant>> &participants)
    {
        m_participants = participants;
    }

    bool open(QString *errorString);
    void close();
    bool isOpen() const;
    // A trivial query: false (with the cause) when the connection is gone.
    bool ping(QString *errorString);
    QSqlDatabase database() const { return m_db; }
    bool isPostgres() const { return m_settings.driver == EventLogSettings::Driver::Postgresql; }

    QString epoch() const { return m_epoch; }
    qint64 lastSequence() const { return m_lastSequence; }

    // Gives each event the next sequence and the epoch, and stores the batch in one transaction
    // (PostgreSQL: under an advisory lock, so sequences follow commit order across instances,
    // and with a NOTIFY), together with what the participants store for them. On failure nothing
    // is stored and the events are unchanged.
    // *dataError tells a refusal of the data (a constraint) from an outage (locked, I/O, down).
    bool append(QList<Event> *events, const QString &origin, QString *errorString,
                bool *dataError = nullptr);
    bool read(const LogQuery &query, QList<LoggedEvent> *events, QString *errorString);
    // Events after `afterSequence` (up to `upTo`, -1: no bound) written by other origins, as
    // Event objects (remote fan-out). *lastSeen is the highest sequence looked at, own events
    // included.
    bool readForeign(qint64 afterSequence, qint64 upTo, const QString &origin, int limit,
                     QList<Event> *events, qint64 *lastSeen, QString *errorString);
    // SQLite's PRAGMA data_version: changes when another connection (another process) commits.
    bool dataVersion(qint64 *version, QString *errorString);
    // Deletes at most `chunk` events that are older than maxAgeSeconds or beyond the newest
    // maxEvents (0 = no such limit). *deleted says how many; call again while it equals chunk.
    bool prune(qint64 maxAgeSeconds, qint64 maxEvents, int chunk, int *deleted,
               QString *errorString);
    // The oldest stored sequence; lastSequence() + 1 when the log is empty.
    bool oldestSequence(qint64 *sequence, QString *errorString);

    // SQL LIKE pattern (escape character '\') for an event type pattern with '*'.
    static QString likePattern(const QString &typePattern);
    // A stored envelope (it has no position, which is known only once stored) with "epoch" and
    // "sequence" added to its text, without parsing it again: what replay returns.
    static QByteArray withPosition(const QByteArray &envelope, qint64 sequence,
                                   const QString &epoch, const QByteArray &hash = {},
                                   const QByteArray &prevHash = {});

private:
    // What went wrong inside append()'s transaction, for its message.
    struct SqlFailure
    {
        QString what;
        QSqlError error;
    };

    struct Head // the newest stored event's position and hash
    {
        qint64 lastSequence = 0;
        QByteArray lastHash;
    };
    // One append's events: first's sequence, then each one's stored envelope, hashes and JSON
    // with its position (as replay returns it).
    struct Batch
    {
        qint64 first = 0;
        QByteArray before; // the hash before the batch's first event
        QList<QByteArray> envelopes;
        QList<QByteArray> hashes;
        QList<QByteArray> positioned;
        const QByteArray &prevHash(qsizetype i) const { return i == 0 ? before : hashes.at(i - 1); }
    };
    bool lockAndReadHead(Head *head, SqlFailure *failed);
    // Inserts the events numbered batch.first, batch.first + 1, ... with their hashes.
    bool insertEvents(const QList<Event> &events, const Batch &batch, const QString &origin,
                      SqlFailure *failed);
    // log_meta's last_seq and last_hash, and on PostgreSQL the NOTIFY its listeners get at
    // commit.
    bool storeHead(qint64 sequence, const QByteArray &hash, SqlFailure *failed);
    bool setMeta(const QString &key, const QString &value, SqlFailure *failed);
    // Retention in one transaction: the newest due event of a chunk, then every event up to it.
    bool findPruneCut(const QStringList &conditions, const QVariantList &binds, int chunk,
                      qint64 *cut, QByteArray *cutHash, SqlFailure *failed);
    bool deleteThrough(qint64 cut, const QByteArray &cutHash, int *deleted, SqlFailure *failed);
    bool exec(const QString &sql, QString *errorString);
    bool migrate(QString *errorString);
    bool migrateLocked(QString *errorString);
    // One resources/sql/<driver>/NNN_*.sql file in a transaction, then schema_version = version.
    bool runMigration(const QString &fileName, int version, QString *errorString);
    bool readMeta(QString *errorString);
    bool begin(QString *errorString);
    bool commit(QString *errorString);
    void rollback();
    QString failure(const QString &what, const QSqlError &error) const;
    QString failure(const QString &what, const QString &cause) const;
    bool isDataError(const QSqlError &error) const;

    EventLogSettings m_settings;
    QList<std::shared_ptr<LogParticipant>> m_participants;
    QString m_connectionName;
    QSqlDatabase m_db;
    QString m_epoch;
    qint64 m_lastSequence = 0;
};

} // namespace Pyrite::Internal
