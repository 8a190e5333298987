#include "sqliteeventinsert.h"

#include "eventlogtr.h"

#include "bus/event.h"

#include <QSqlDriver>

#include <sqlite3.h>

namespace Pyrite::Internal {

namespace {
// Null strings (a KB-wide event has no entry type, the chain's first no prev_hash) are stored
// as ''. Temporaries are copied; bytes that outlive the step (the envelope, the hashes) are not.
int bindText(sqlite3_stmt *statement, int index, const QByteArray &utf8, bool outlivesStep = false)
{
    return sqlite3_bind_text(statement, index, utf8.isNull() ? "" : utf8.constData(),
                             int(utf8.size()), outlivesStep ? SQLITE_STATIC : SQLITE_TRANSIENT);
}
} // namespace

SqliteEventInsert::SqliteEventInsert(const QSqlDatabase &database)
{
    const QVariant handle = database.driver()->handle();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_db = *static_cast<sqlite3 *const *>(handle.constData());
    if (m_db)
        sqlite3_prepare_v2(m_db,
                           "INSERT INTO events (seq, id, type, kb, entry_type, entry_id, time_ms, "
                           "origin, envelope, hash, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?)",
                           -1, &m_statement, nullptr);
}

SqliteEventInsert::~SqliteEventInsert()
{
    sqlite3_finalize(m_statement);
}

bool SqliteEventInsert::insert(qint64 sequence, const Event &event, const QString &origin,
                               const QByteArray &envelope, const QByteArray &hash,
                               const QByteArray &prevHash, QSqlError *error)
{
    if (!m_statement) {
        *error = m_db ? lastError(EventLogTr::tr("cannot prepare the insert"))
                      : QSqlError(EventLogTr::tr("not an SQLite connection"), QString(),
                                  QSqlError::ConnectionError);
        return false;
    }
    sqlite3_reset(m_statement);
    const bool bound = sqlite3_bind_int64(m_statement, 1, sequence) == SQLITE_OK &&
            bindText(m_statement, 2, event.id().toUtf8()) == SQLITE_OK &&
            bindText(m_statement, 3, event.type().toUtf8()) == SQLITE_OK &&
            bindText(m_statement, 4, event.kb().toUtf8()) == SQLITE_OK &&
            bindText(m_statement, 5, event.entryType().toUtf8()) == SQLITE_OK &&
            bindText(m_statement, 6, event.entryId().toUtf8()) == SQLITE_OK &&
            sqlite3_bind_int64(m_statement, 7, event.timeMsecs()) == SQLITE_OK &&
            bindText(m_statement, 8, origin.toUtf8()) == SQLITE_OK &&
            bindText(m_statement, 9, envelope, true) == SQLITE_OK &&
            bindText(m_statement, 10, hash, true) == SQLITE_OK &&
            bindText(m_statement, 11, prevHash, true) == SQLITE_OK;
    if (bound && sqlite3_step(m_statement) == SQLITE_DONE)
        return true;
    *error = lastError(EventLogTr::tr("cannot insert event %1").arg(sequence));
    sqlite3_reset(m_statement);
    return false;
}

QSqlError SqliteEventInsert::lastError(const QString &what) const
{
    // As Qt's driver reports it: the extended result code is the native code (isDataError()).
    return QSqlError(what, QString::fromUtf8(sqlite3_errmsg(m_db)), QSqlError::StatementError,
                     QString::number(sqlite3_extended_errcode(m_db)));
}

} // namespace Pyrite::Internal
