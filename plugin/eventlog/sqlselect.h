#pragma once

#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace Pyrite::Internal {

// A SELECT put together from optional conditions, each with its value, then run: the shape that
// the log's reads and the outbox's lists share. Values are bound by position, never spliced in.
class SqlSelect
{
public:
    // head: "SELECT ... FROM t WHERE <condition>", its '?' filled by bind().
    explicit SqlSelect(const QString &head)
        : m_sql(head)
    { }

    SqlSelect &bind(const QVariant &value);
    // " AND condition" with the value of its one '?'.
    SqlSelect &where(const QString &condition, const QVariant &value);
    // " AND (a OR b ...)" with a value for each; nothing when conditions is empty.
    SqlSelect &whereAny(const QStringList &conditions, const QVariantList &values);
    // Text after the conditions (" ORDER BY seq LIMIT ?") with the value of its '?'.
    SqlSelect &append(const QString &text, const QVariant &value);

    // Prepares and runs it forward-only on query's connection; on failure *errorString is what
    // describe() makes of the database's words.
    bool exec(QSqlQuery *query, QString *errorString,
              const std::function<QString(const QString &cause)> &describe) const;

    // What went wrong, in the database's words (its own text, else the driver's).
    static QString cause(const QSqlError &error);

private:
    QString m_sql;
    QVariantList m_values;
};

} // namespace Pyrite::Internal
