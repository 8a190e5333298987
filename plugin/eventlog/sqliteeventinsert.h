#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace Pyrite {
class Event;
}

namespace Pyrite::Internal {

// The event log's INSERT on SQLite through SQLite's own API, on the connection Qt opened
// (QSqlDriver::handle(); Debian's Qt SQLite driver and this library are one libsqlite3). Qt's
// binding turns every value into a QVariant, looks each placeholder up by name and hands text
// over as UTF-16 that SQLite converts back to UTF-8: over half of a write's time. Here one
// prepared row is bound with the UTF-8 bytes as they are and stepped once per event.
class SqliteEventInsert
{
public:
    explicit SqliteEventInsert(const QSqlDatabase &database);
    ~SqliteEventInsert();
    SqliteEventInsert(const SqliteEventInsert &) = delete;
    SqliteEventInsert &operator=(const SqliteEventInsert &) = delete;

    // False with the error (its native code SQLite's extended result code) when it fails.
    bool insert(qint64 sequence, const Event &event, const QString &origin,
                const QByteArray &envelope, const QByteArray &hash, const QByteArray &prevHash,
                QSqlError *error);

private:
    QSqlError lastError(const QString &what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace Pyrite::Internal
