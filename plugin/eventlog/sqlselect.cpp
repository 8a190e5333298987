#include "sqlselect.h"

#include "eventlogtr.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Pyrite::Internal {

SqlSelect &SqlSelect::bind(const QVariant &value)
{
    m_values.append(value);
    return *this;
}

SqlSelect &SqlSelect::where(const QString &condition, const QVariant &value)
{
    m_sql += QStringLiteral(" AND ") + condition;
    return bind(value);
}

SqlSelect &SqlSelect::whereAny(const QStringList &conditions, const QVariantList &values)
{
    if (conditions.isEmpty())
        return *this;
    m_sql += QStringLiteral(" AND (") + conditions.join(QStringLiteral(" OR ")) + u')';
    m_values += values;
    return *this;
}

SqlSelect &SqlSelect::append(const QString &text, const QVariant &value)
{
    m_sql += text;
    return bind(value);
}

bool SqlSelect::exec(QSqlQuery *query, QString *errorString,
                     const std::function<QString(const QString &cause)> &describe) const
{
    query->setForwardOnly(true);
    if (query->prepare(m_sql)) {
        for (int i = 0; i < m_values.size(); ++i)
            query->bindValue(i, m_values.at(i));
        if (query->exec())
            return true;
    }
    if (errorString)
        *errorString = describe(cause(query->lastError()));
    return false;
}

QString SqlSelect::cause(const QSqlError &error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    if (text.isEmpty())
        text = EventLogTr::tr("unknown error");
    return text;
}

} // namespace Pyrite::Internal
