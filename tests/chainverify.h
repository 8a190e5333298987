#pragma once

// The event log's hash chain checked as pyrite-host's "events verify" does, on a connection of
// its own (tst_eventlog: SQLite, tst_eventlogpostgres: PostgreSQL). configure names the database.

#include "eventlog/chainverifier.h"

#include <QDebug>
#include <QSqlDatabase>
#include <QSqlError>

#include <functional>

inline Pyrite::EventLogService::ChainReport
verifyChainOf(const QString &driver, const std::function<void(QSqlDatabase &)> &configure)
{
    Pyrite::EventLogService::ChainReport report;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, QStringLiteral("verify"));
        configure(db);
        if (!db.open())
            qWarning() << db.lastError();
        QString error;
        if (!Pyrite::Internal::ChainVerifier(db).verify(&report, &error))
            qWarning() << error;
    }
    QSqlDatabase::removeDatabase(QStringLiteral("verify"));
    return report;
}
