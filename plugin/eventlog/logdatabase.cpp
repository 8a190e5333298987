#include "logdatabase.h"

#include "eventlogtr.h"

#include "eventchain.h"
#include "logparticipant.h"
#include "privatepath.h"
#include "sqliteeventinsert.h"
#include "sqlselect.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <limits>

namespace Pyrite::Internal {

namespace {
// Any constant will do; it only has to be the same for every instance sharing the database.
constexpr qint64 AdvisoryLockKey = 0x50797269746545; // "PyriteE"
// Rows per INSERT statement on PostgreSQL, where Qt binds each value (50 measured faster than
// 100: per-value work grows with the statement). SQLite steps one prepared row per event:
// SqliteEventInsert.
constexpr int RowsPerInsert = 50;
constexpr int Columns = 11;

QString driverDir(EventLogSettings::Driver driver)
{
    return driver == EventLogSettings::Driver::Postgresql ? QStringLiteral("postgresql")
                                                          : QStringLiteral("sqlite");
}

QStringList migrationFiles(EventLogSettings::Driver driver)
{
    QDir dir(QStringLiteral(":/pyrite/sql/") + driverDir(driver));
    QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (QString &file : files)
        file = dir.filePath(file);
    return files;
}

QString insertSql(int rows)
{
    QString sql = QStringLiteral("INSERT INTO events (seq, id, type, kb, entry_type, entry_id, "
                                 "time_ms, origin, envelope, hash, prev_hash) VALUES ");
    // Null strings (a KB-wide event has no entry type, the chain's first no prev_hash) bind as
    // NULL: store them as ''.
    const QString row = QStringLiteral(
            "(?, ?, ?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?, COALESCE(?, ''))");
    for (int i = 0; i < rows; ++i) {
        if (i > 0)
            sql += QStringLiteral(", ");
        sql += row;
    }
    return sql;
}

} // namespace

LogDatabase::LogDatabase(const EventLogSettings &settings, const QString &connectionName)
    : m_settings(settings),
      m_connectionName(connectionName)
{ }

LogDatabase::~LogDatabase()
{
    close();
}

bool LogDatabase::isDataError(const QSqlError &error) const
{
    const QString code = error.nativeErrorCode();
    if (m_settings.driver ==
        EventLogSettings::Driver::Postgresql) // SQLSTATE: data exception, integrity violation
        return code.startsWith(QStringLiteral("22")) || code.startsWith(QStringLiteral("23"));
    bool ok = false;
    const int primary =
            code.toInt(&ok) & 0xff; // extended result codes keep the primary one in the low byte
    return ok &&
            (primary == 19 /* CONSTRAINT */ || primary == 20 /* MISMATCH */ ||
             primary == 25 /* RANGE */);
}

QString LogDatabase::failure(const QString &what, const QSqlError &error) const
{
    return failure(what, SqlSelect::cause(error));
}

QString LogDatabase::failure(const QString &what, const QString &cause) const
{
    return EventLogTr::tr("event log %1: %2: %3").arg(m_settings.describe(), what, cause);
}

bool LogDatabase::exec(const QString &sql, QString *errorString)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    if (errorString)
        *errorString = failure(sql.section(u' ', 0, 2), query.lastError());
    return false;
}

bool LogDatabase::ping(QString *errorString)
{
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("SELECT 1")) && query.next())
        return true;
    if (errorString)
        *errorString = failure(EventLogTr::tr("connection lost"), query.lastError());
    return false;
}

bool LogDatabase::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

void LogDatabase::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool LogDatabase::open(QString *errorString)
{
    close();
    const bool sqlite = m_settings.driver == EventLogSettings::Driver::Sqlite;
    if (sqlite) {
        const QFileInfo file(m_settings.path);
        QString error;
        if (!PrivatePath::makeFolder(file.absolutePath(), &error)) {
            if (errorString)
                *errorString = EventLogTr::tr("event log %1: %2").arg(m_settings.describe(), error);
            return false;
        }
        if (file.exists() && !file.isFile()) {
            if (errorString)
                *errorString = EventLogTr::tr("event log %1: %2 is not a file")
                                       .arg(m_settings.describe(), file.absoluteFilePath());
            return false;
        }
        if (!PrivatePath::makeFile(file.absoluteFilePath(), &error)) {
            if (errorString)
                *errorString = EventLogTr::tr("event log %1: %2").arg(m_settings.describe(), error);
            return false;
        }
    }
    m_db = QSqlDatabase::addDatabase(sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"),
                                     m_connectionName);
    if (!m_db.isValid()) {
        if (errorString)
            *errorString =
                    EventLogTr::tr("event log %1: the Qt SQL driver %2 is not installed")
                            .arg(m_settings.describe(),
                                 sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"));
        return false;
    }
    if (sqlite) {
        m_db.setDatabaseName(m_settings.path);
        // A writer that holds the lock gets this long before our write fails and is retried.
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    } else {
        m_db.setHostName(m_settings.host);
        m_db.setPort(m_settings.port);
        m_db.setDatabaseName(m_settings.database);
        m_db.setUserName(m_settings.user);
        m_db.setPassword(m_settings.password);
        QString options = QStringLiteral("connect_timeout=5");
        if (!m_settings.connectOptions.isEmpty())
            options += u';' + m_settings.connectOptions;
        m_db.setConnectOptions(options);
    }
    if (!m_db.open()) {
        const QString message = failure(EventLogTr::tr("cannot connect"), m_db.lastError());
        close();
        if (errorString)
            *errorString = message;
        return false;
    }
    if (sqlite) {
        // WAL: readers never block the writer. NORMAL survives a killed process; FULL also a
        // power cut, for those who asked for durability: sync.
        QSqlQuery wal(m_db);
        if (!wal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !wal.next()) {
            const QString message = failure(EventLogTr::tr("cannot use the file"), wal.lastError());
            close();
            if (errorString)
                *errorString = message;
            return false;
        }
        const QString synchronous = m_settings.durability == EventLogSettings::Durability::Sync
                ? QStringLiteral("FULL")
                : QStringLiteral("NORMAL");
        if (!exec(QStringLiteral("PRAGMA synchronous=") + synchronous, errorString)) {
            close();
            return false;
        }
    }
    if (!migrate(errorString) || !readMeta(errorString)) {
        close();
        return false;
    }
    return true;
}

bool LogDatabase::begin(QString *errorString)
{
    // IMMEDIATE takes SQLite's write lock up front, so the transaction cannot fail half-way
    // because another writer got in first.
    if (m_settings.driver == EventLogSettings::Driver::Sqlite)
        return exec(QStringLiteral("BEGIN IMMEDIATE"), errorString);
    if (m_db.transaction())
        return true;
    if (errorString)
        *errorString = failure(EventLogTr::tr("cannot begin a transaction"), m_db.lastError());
    return false;
}

bool LogDatabase::commit(QString *errorString)
{
    if (m_settings.driver == EventLogSettings::Driver::Sqlite)
        return exec(QStringLiteral("COMMIT"), errorString);
    if (m_db.commit())
        return true;
    if (errorString)
        *errorString = failure(EventLogTr::tr("cannot commit"), m_db.lastError());
    return false;
}

void LogDatabase::rollback()
{
    if (m_settings.driver == EventLogSettings::Driver::Sqlite)
        exec(QStringLiteral("ROLLBACK"), nullptr);
    else
        m_db.rollback();
}

bool LogDatabase::migrate(QString *errorString)
{
    const bool postgres = m_settings.driver == EventLogSettings::Driver::Postgresql;
    // Instances starting together must not both create the schema.
    if (postgres &&
        !exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(AdvisoryLockKey), errorString))
        return false;
    const bool ok = migrateLocked(errorString);
    if (postgres)
        exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(AdvisoryLockKey), nullptr);
    return ok;
}

bool LogDatabase::migrateLocked(QString *errorString)
{
    int version = 0;
    if (m_db.tables().contains(QStringLiteral("log_meta"))) {
        QSqlQuery query(m_db);
        if (!query.exec(
                    QStringLiteral("SELECT value FROM log_meta WHERE key = 'schema_version'"))) {
            if (errorString)
                *errorString = failure(EventLogTr::tr("cannot read the schema version"),
                                       query.lastError());
            return false;
        }
        if (query.next())
            version = query.value(0).toInt();
    }
    const QStringList files = migrationFiles(m_settings.driver);
    if (version > files.size()) {
        if (errorString)
            *errorString =
                    EventLogTr::tr(
                            "event log %1: schema version %2 is newer than this plugin knows "
                            "(%3); use a newer plugin")
                            .arg(m_settings.describe())
                            .arg(version)
                            .arg(files.size());
        return false;
    }
    for (int next = version; next < files.size(); ++next) {
        if (!runMigration(files.at(next), next + 1, errorString))
            return false;
    }
    return true;
}

bool LogDatabase::runMigration(const QString &fileName, int version, QString *errorString)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (errorString)
            *errorString = EventLogTr::tr("event log: migration %1 is missing from the plugin")
                                   .arg(fileName);
        return false;
    }
    // Comment lines go first; then a statement ends with ';' at the end of a line.
    QString script;
    for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n')) {
        if (!line.trimmed().startsWith(QStringLiteral("--")))
            script += line + u'\n';
    }
    bool ok = begin(errorString);
    static const QRegularExpression statementEnd(QStringLiteral(";\\s*\\n"));
    for (const QString &statement : script.split(statementEnd)) {
        if (ok && !statement.trimmed().isEmpty())
            ok = exec(statement, errorString);
    }
    QSqlQuery meta(m_db);
    if (ok) {
        meta.prepare(version == 1 ? QStringLiteral("INSERT INTO log_meta (key, value) VALUES "
                                                   "('schema_version', ?)")
                                  : QStringLiteral("UPDATE log_meta SET value = ? WHERE key = "
                                                   "'schema_version'"));
        meta.addBindValue(QString::number(version));
        ok = meta.exec();
        if (!ok && errorString)
            *errorString =
                    failure(EventLogTr::tr("cannot record the schema version"), meta.lastError());
    }
    if (ok)
        ok = commit(errorString);
    if (!ok)
        rollback();
    return ok;
}

bool LogDatabase::readMeta(QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT key, value FROM log_meta"))) {
        if (errorString)
            *errorString = failure(EventLogTr::tr("cannot read log_meta"), query.lastError());
        return false;
    }
    m_epoch.clear();
    m_lastSequence = 0;
    bool hasLastSequence = false;
    while (query.next()) {
        const QString key = query.value(0).toString();
        if (key == u"epoch")
            m_epoch = query.value(1).toString();
        else if (key == u"last_seq") {
            m_lastSequence = query.value(1).toLongLong();
            hasLastSequence = true;
        }
    }
    if (!m_epoch.isEmpty() && hasLastSequence)
        return true;

    // A new log: a new epoch, so that positions from any earlier log are recognisably void.
    const QString epoch = QString::number(QRandomGenerator::system()->generate64(), 36);
    if (!begin(errorString))
        return false;
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral(
            "INSERT INTO log_meta (key, value) VALUES ('epoch', ?), ('last_seq', '0')"));
    insert.addBindValue(epoch);
    if (!insert.exec()) {
        rollback();
        // Another instance created it in the meantime (PostgreSQL): read theirs.
        if (m_settings.driver == EventLogSettings::Driver::Postgresql) {
            QSqlQuery again(m_db);
            if (again.exec(QStringLiteral(
                        "SELECT key, value FROM log_meta WHERE key IN ('epoch', 'last_seq')"))) {
                while (again.next()) {
                    if (again.value(0).toString() == u"epoch")
                        m_epoch = again.value(1).toString();
                    else
                        m_lastSequence = again.value(1).toLongLong();
                }
                if (!m_epoch.isEmpty())
                    return true;
            }
        }
        if (errorString)
            *errorString = failure(EventLogTr::tr("cannot create the epoch"), insert.lastError());
        return false;
    }
    if (!commit(errorString))
        return false;
    m_epoch = epoch;
    m_lastSequence = 0;
    return true;
}

bool LogDatabase::append(QList<Event> *events, const QString &origin, QString *errorString,
                         bool *dataError)
{
    if (dataError)
        *dataError = false;
    if (events->isEmpty())
        return true;
    if (!begin(errorString))
        return false;
    SqlFailure failed;
    const auto fail = [&] {
        if (errorString)
            *errorString = failure(failed.what, failed.error);
        if (dataError)
            *dataError = isDataError(failed.error);
        rollback();
        return false;
    };
    Head head;
    if (!lockAndReadHead(&head, &failed))
        return fail();
    // Each envelope once: stored as it is, hashed as it is, handed on with its position.
    Batch batch;
    batch.first = head.lastSequence + 1;
    batch.before = head.lastHash;
    for (qsizetype i = 0; i < events->size(); ++i) {
        batch.envelopes.append(events->at(i).toJson());
        batch.hashes.append(
                EventChain::link(batch.prevHash(i), batch.first + i, batch.envelopes.constLast()));
        if (!m_participants.isEmpty()) // only they need it before the commit
            batch.positioned.append(withPosition(batch.envelopes.constLast(), batch.first + i,
                                                 m_epoch, batch.hashes.constLast(),
                                                 batch.prevHash(i)));
    }
    if (!insertEvents(*events, batch, origin, &failed))
        return fail();
    for (const std::shared_ptr<LogParticipant> &participant : std::as_const(m_participants)) {
        if (!participant->eventsAppended(*this, *events, batch.first, batch.positioned,
                                         errorString)) {
            rollback();
            return false;
        }
    }
    const qint64 sequence = head.lastSequence + events->size();
    if (!storeHead(sequence, batch.hashes.constLast(), &failed))
        return fail();
    if (!commit(errorString)) {
        rollback();
        return false;
    }
    for (qsizetype i = 0; i < events->size(); ++i) {
        Event &event = (*events)[i];
        event.setSequence(batch.first + i);
        event.setEpoch(m_epoch);
        event.setHash(QString::fromLatin1(batch.hashes.at(i)));
        event.setPrevHash(QString::fromLatin1(batch.prevHash(i)));
    }
    m_lastSequence = sequence;
    return true;
}

bool LogDatabase::lockAndReadHead(Head *head, SqlFailure *failed)
{
    QSqlQuery query(m_db);
    // PostgreSQL: sequences follow commit order across instances (SQLite: BEGIN IMMEDIATE did).
    if (isPostgres() &&
        !query.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(AdvisoryLockKey))) {
        *failed = {EventLogTr::tr("cannot lock the log"), query.lastError()};
        return false;
    }
    if (!query.exec(QStringLiteral(
                "SELECT key, value FROM log_meta WHERE key IN ('last_seq', 'last_hash')"))) {
        *failed = {EventLogTr::tr("cannot read the last sequence"), query.lastError()};
        return false;
    }
    bool found = false;
    while (query.next()) {
        if (query.value(0).toString() == u"last_seq") {
            head->lastSequence = query.value(1).toLongLong();
            found = true;
        } else {
            head->lastHash = query.value(1).toString().toLatin1();
        }
    }
    if (!found)
        *failed = {EventLogTr::tr("cannot read the last sequence"), query.lastError()};
    return found;
}

bool LogDatabase::insertEvents(const QList<Event> &events, const Batch &batch,
                               const QString &origin, SqlFailure *failed)
{
    if (!isPostgres()) {
        SqliteEventInsert insert(m_db);
        for (qsizetype i = 0; i < events.size(); ++i) {
            QSqlError error;
            if (!insert.insert(batch.first + i, events.at(i), origin, batch.envelopes.at(i),
                               batch.hashes.at(i), batch.prevHash(i), &error)) {
                *failed = {EventLogTr::tr("cannot insert %1 events").arg(events.size()), error};
                return false;
            }
        }
        return true;
    }
    QSqlQuery insert(m_db);
    int preparedRows = 0;
    for (qsizetype start = 0; start < events.size(); start += RowsPerInsert) {
        const int rows = int(std::min<qsizetype>(RowsPerInsert, events.size() - start));
        if (rows != preparedRows) {
            if (!insert.prepare(insertSql(rows))) {
                *failed = {EventLogTr::tr("cannot prepare the insert"), insert.lastError()};
                return false;
            }
            preparedRows = rows;
        }
        int bind = 0;
        for (qsizetype i = start; i < start + rows; ++i) {
            const Event &event = events.at(i);
            insert.bindValue(bind++, batch.first + i);
            insert.bindValue(bind++, event.id());
            insert.bindValue(bind++, event.type());
            insert.bindValue(bind++, event.kb());
            insert.bindValue(bind++, event.entryType());
            insert.bindValue(bind++, event.entryId());
            insert.bindValue(bind++, event.timeMsecs());
            insert.bindValue(bind++, origin);
            insert.bindValue(bind++, QString::fromUtf8(batch.envelopes.at(i)));
            insert.bindValue(bind++, QString::fromLatin1(batch.hashes.at(i)));
            insert.bindValue(bind++, QString::fromLatin1(batch.prevHash(i)));
        }
        Q_ASSERT(bind == rows * Columns);
        if (!insert.exec()) {
            *failed = {EventLogTr::tr("cannot insert %1 events").arg(rows), insert.lastError()};
            return false;
        }
    }
    return true;
}

bool LogDatabase::storeHead(qint64 sequence, const QByteArray &hash, SqlFailure *failed)
{
    if (!setMeta(QStringLiteral("last_seq"), QString::number(sequence), failed) ||
        !setMeta(QStringLiteral("last_hash"), QString::fromLatin1(hash), failed))
        return false;
    if (!isPostgres())
        return true;
    // Delivered to every listener when the transaction commits.
    QSqlQuery notify(m_db);
    notify.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    notify.addBindValue(m_settings.channel);
    notify.addBindValue(QString::number(sequence));
    if (!notify.exec()) {
        *failed = {EventLogTr::tr("cannot notify"), notify.lastError()};
        return false;
    }
    return true;
}

bool LogDatabase::setMeta(const QString &key, const QString &value, SqlFailure *failed)
{
    QSqlQuery meta(m_db);
    meta.prepare(QStringLiteral("INSERT INTO log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                                "DO UPDATE SET value = excluded.value"));
    meta.addBindValue(key);
    meta.addBindValue(value);
    if (meta.exec())
        return true;
    *failed = {EventLogTr::tr("cannot update %1").arg(key), meta.lastError()};
    return false;
}

QByteArray LogDatabase::withPosition(const QByteArray &envelope, qint64 sequence,
                                     const QString &epoch, const QByteArray &hash,
                                     const QByteArray &prevHash)
{
    QByteArray json = envelope;
    if (json.endsWith('}'))
        json.chop(1);
    json += ",\"epoch\":\"" + epoch.toLatin1() + "\",\"sequence\":" + QByteArray::number(sequence);
    if (!hash.isEmpty())
        json += ",\"hash\":\"" + hash + "\",\"prevhash\":\"" + prevHash + '"';
    return json + '}';
}

QString LogDatabase::likePattern(const QString &typePattern)
{
    QString like;
    for (const QChar c : typePattern) {
        if (c == u'\\' || c == u'%' || c == u'_')
            like += u'\\';
        like += c == u'*' ? u'%' : c;
    }
    return like;
}

bool LogDatabase::read(const LogQuery &logQuery, QList<LoggedEvent> *events, QString *errorString)
{
    SqlSelect select(QStringLiteral("SELECT seq, type, kb, entry_type, entry_id, time_ms, "
                                    "envelope, hash, prev_hash FROM events WHERE seq > ?"));
    select.bind(logQuery.afterSequence);
    QStringList typeClauses;
    QVariantList patterns;
    if (!logQuery.types.contains(QStringLiteral("*"))) {
        for (const QString &pattern : logQuery.types) {
            const bool glob = pattern.contains(u'*');
            typeClauses.append(glob ? QStringLiteral("type LIKE ? ESCAPE '\\'")
                                    : QStringLiteral("type = ?"));
            patterns.append(glob ? likePattern(pattern) : pattern);
        }
    }
    select.whereAny(typeClauses, patterns);
    if (!logQuery.kb.isEmpty())
        select.where(QStringLiteral("kb = ?"), logQuery.kb);
    if (!logQuery.entryType.isEmpty())
        select.where(QStringLiteral("entry_type = ?"), logQuery.entryType);
    if (logQuery.fromMsecs >= 0)
        select.where(QStringLiteral("time_ms >= ?"), logQuery.fromMsecs);
    if (logQuery.untilMsecs >= 0)
        select.where(QStringLiteral("time_ms < ?"), logQuery.untilMsecs);
    if (!logQuery.entryId.isEmpty())
        select.where(QStringLiteral("entry_id = ?"), logQuery.entryId);
    if (logQuery.newestFirst && logQuery.beforeSequence > 0)
        select.where(QStringLiteral("seq < ?"), logQuery.beforeSequence);
    select.append(logQuery.newestFirst ? QStringLiteral(" ORDER BY seq DESC LIMIT ?")
                                       : QStringLiteral(" ORDER BY seq LIMIT ?"),
                  logQuery.limit);

    QSqlQuery query(m_db);
    if (!select.exec(&query, errorString, [this](const QString &cause) {
            return failure(EventLogTr::tr("cannot read events"), cause);
        }))
        return false;
    while (query.next()) {
        LoggedEvent event;
        event.sequence = query.value(0).toLongLong();
        event.type = query.value(1).toString();
        event.kb = query.value(2).toString();
        event.entryType = query.value(3).toString();
        event.entryId = query.value(4).toString();
        event.timeMsecs = query.value(5).toLongLong();
        event.json = withPosition(query.value(6).toString().toUtf8(), event.sequence, m_epoch,
                                  query.value(7).toString().toLatin1(),
                                  query.value(8).toString().toLatin1());
        events->append(event);
    }
    return true;
}

bool LogDatabase::readForeign(qint64 afterSequence, qint64 upTo, const QString &origin, int limit,
                              QList<Event> *events, qint64 *lastSeen, QString *errorString)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT seq, origin, envelope, hash, prev_hash FROM events WHERE "
                                 "seq > ? AND seq <= ? ORDER BY seq LIMIT ?"));
    query.addBindValue(afterSequence);
    query.addBindValue(upTo < 0 ? std::numeric_limits<qint64>::max() : upTo);
    query.addBindValue(limit);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(EventLogTr::tr("cannot read new events"), query.lastError());
        return false;
    }
    *lastSeen = afterSequence;
    while (query.next()) {
        *lastSeen = query.value(0).toLongLong();
        if (query.value(1).toString() == origin)
            continue;
        QString error;
        Event event = Event::fromJsonObject(
                QJsonDocument::fromJson(query.value(2).toString().toUtf8()).object(), &error);
        if (event.isNull())
            continue; // a row we cannot read is skipped, not fatal for the rest
        event.setSequence(*lastSeen);
        event.setEpoch(m_epoch);
        event.setHash(query.value(3).toString());
        event.setPrevHash(query.value(4).toString());
        event.setRemote(true);
        events->append(event);
    }
    return true;
}

bool LogDatabase::prune(qint64 maxAgeSeconds, qint64 maxEvents, int chunk, int *deleted,
                        QString *errorString)
{
    *deleted = 0;
    QStringList conditions;
    QVariantList binds;
    if (maxAgeSeconds > 0) {
        conditions.append(QStringLiteral("time_ms < ?"));
        binds.append(QDateTime::currentMSecsSinceEpoch() - maxAgeSeconds * 1000);
    }
    if (maxEvents > 0) {
        conditions.append(QStringLiteral("seq <= ?"));
        binds.append(m_lastSequence - maxEvents);
    }
    if (conditions.isEmpty())
        return true;
    if (!begin(errorString))
        return false;
    SqlFailure failed;
    qint64 cut = 0;
    QByteArray cutHash;
    if (!findPruneCut(conditions, binds, chunk, &cut, &cutHash, &failed) ||
        (cut > 0 && !deleteThrough(cut, cutHash, deleted, &failed))) {
        if (errorString)
            *errorString = failure(failed.what, failed.error);
        rollback();
        return false;
    }
    return commit(errorString);
}

bool LogDatabase::findPruneCut(const QStringList &conditions, const QVariantList &binds, int chunk,
                               qint64 *cut, QByteArray *cutHash, SqlFailure *failed)
{
    // The newest event of the chunk that retention removes: everything up to it goes, so that the
    // log stays one run of sequences, its chain checkable from the oldest kept event.
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT seq, hash FROM events WHERE seq = (SELECT MAX(seq) FROM "
                                 "(SELECT seq FROM events WHERE %1 ORDER BY seq LIMIT ?) AS due)")
                          .arg(conditions.join(QStringLiteral(" OR "))));
    for (int i = 0; i < binds.size(); ++i)
        query.bindValue(i, binds.at(i));
    query.bindValue(int(binds.size()), chunk);
    if (!query.exec()) {
        *failed = {EventLogTr::tr("cannot prune"), query.lastError()};
        return false;
    }
    if (query.next()) {
        *cut = query.value(0).toLongLong();
        *cutHash = query.value(1).toString().toLatin1();
    }
    return true;
}

bool LogDatabase::deleteThrough(qint64 cut, const QByteArray &cutHash, int *deleted,
                                SqlFailure *failed)
{
    QSqlQuery remove(m_db);
    remove.prepare(QStringLiteral("DELETE FROM events WHERE seq <= ?"));
    remove.addBindValue(cut);
    if (!remove.exec()) {
        *failed = {EventLogTr::tr("cannot prune"), remove.lastError()};
        return false;
    }
    *deleted = remove.numRowsAffected();
    // The chain now starts after the cut: its hash is the one the first kept event names.
    if (cutHash.isEmpty())
        return true; // events from before the chain
    return setMeta(QStringLiteral("chain_prev"), QString::fromLatin1(cutHash), failed) &&
            setMeta(QStringLiteral("chain_from"), QString::number(cut + 1), failed);
}

bool LogDatabase::dataVersion(qint64 *version, QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next()) {
        if (errorString)
            *errorString =
                    failure(EventLogTr::tr("cannot read the data version"), query.lastError());
        return false;
    }
    *version = query.value(0).toLongLong();
    return true;
}

bool LogDatabase::oldestSequence(qint64 *sequence, QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT MIN(seq) FROM events")) || !query.next()) {
        if (errorString)
            *errorString =
                    failure(EventLogTr::tr("cannot read the oldest sequence"), query.lastError());
        return false;
    }
    *sequence = query.value(0).isNull() ? m_lastSequence + 1 : query.value(0).toLongLong();
    return true;
}

} // namespace Pyrite::Internal
