#pragma once

// A throw-away PostgreSQL server for tests: initdb into a temporary folder, pg_ctl on a Unix
// socket in that folder (no TCP), stopped and removed at the end. PostgreSQL refuses to run as
// root, so as root the folder is handed to the "postgres" user and the tools run through runuser.

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <pwd.h>
#include <unistd.h>

class PostgresServer
{
public:
    ~PostgresServer() { stop(); }

    // Folder of initdb and pg_ctl (Debian: /usr/lib/postgresql/<version>/bin); empty if absent.
    static QString binDir()
    {
        const QStringList versions =
                QDir(QStringLiteral("/usr/lib/postgresql"))
                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
        for (const QString &version : versions) {
            const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(version);
            if (QFile::exists(dir + QStringLiteral("/initdb")) &&
                QFile::exists(dir + QStringLiteral("/pg_ctl")))
                return dir;
        }
        const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
        return initdb.isEmpty() ? QString() : QFileInfo(initdb).canonicalPath();
    }

    bool start(QString *error)
    {
        m_bin = binDir();
        if (m_bin.isEmpty()) {
            *error = QStringLiteral(
                    "PostgreSQL server binaries not found (Debian package postgresql)");
            return false;
        }
        if (!m_dir.isValid()) {
            *error = QStringLiteral("cannot create a temporary folder");
            return false;
        }
        m_asRoot = ::geteuid() == 0;
        if (m_asRoot) {
            const passwd *user = ::getpwnam("postgres");
            if (!user) {
                *error = QStringLiteral(
                        "running as root, but there is no \"postgres\" user to run PostgreSQL as");
                return false;
            }
            if (::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) !=
                0) {
                *error = QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
                return false;
            }
        }
        // Only a Unix socket in our folder is used; the port just names it.
        m_port = 20000 + int(QRandomGenerator::global()->bounded(20000));
        if (!run(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDir(), QStringLiteral("-A"), QStringLiteral("trust"),
                  QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-E"),
                  QStringLiteral("UTF8"), QStringLiteral("--no-sync")},
                 error))
            return false;
        return startServer(error);
    }

    bool startServer(QString *error)
    {
        const QString options =
                QStringLiteral(
                        "-p %1 -k %2 -c listen_addresses= -c fsync=off -c max_connections=50")
                        .arg(m_port)
                        .arg(m_dir.path());
        m_running = run(QStringLiteral("pg_ctl"),
                        {QStringLiteral("-D"), dataDir(), QStringLiteral("-o"), options,
                         QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")),
                         QStringLiteral("-w"), QStringLiteral("start")},
                        error);
        return m_running;
    }

    bool stop()
    {
        if (!m_running)
            return true;
        QString error;
        m_running = !run(QStringLiteral("pg_ctl"),
                         {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"),
                          QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")},
                         &error);
        return !m_running;
    }

    // A fresh database for one test.
    bool createDatabase(const QString &name, QString *error)
    {
        bool ok = false;
        {
            QSqlDatabase admin =
                    QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("pg-admin"));
            admin.setHostName(socketDir());
            admin.setPort(m_port);
            admin.setUserName(QStringLiteral("postgres"));
            admin.setDatabaseName(QStringLiteral("postgres"));
            if (admin.open()) {
                QSqlQuery query(admin);
                ok = query.exec(QStringLiteral("CREATE DATABASE ") + name);
                if (!ok)
                    *error = query.lastError().text();
            } else {
                *error = admin.lastError().text();
            }
            admin.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("pg-admin"));
        return ok;
    }

    // Runs sql in database with Debian's psql, as an operator at the console would.
    bool psql(const QString &database, const QString &sql, QString *error)
    {
        const QString psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
        if (psql.isEmpty()) {
            *error = QStringLiteral("psql not found (Debian's postgresql-client)");
            return false;
        }
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(psql,
                      {QStringLiteral("-h"), socketDir(), QStringLiteral("-p"),
                       QString::number(m_port), QStringLiteral("-U"), QStringLiteral("postgres"),
                       QStringLiteral("-d"), database, QStringLiteral("-v"),
                       QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql});
        if (process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit &&
            process.exitCode() == 0)
            return true;
        *error = QStringLiteral("psql failed: ") + QString::fromLocal8Bit(process.readAll());
        return false;
    }

    QString socketDir() const { return m_dir.path(); }
    int port() const { return m_port; }
    bool isRunning() const { return m_running; }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    bool run(const QString &tool, const QStringList &arguments, QString *error)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        const QString program = m_bin + u'/' + tool;
        if (m_asRoot)
            process.start(QStringLiteral("runuser"),
                          QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                      QStringLiteral("--"), program} +
                                  arguments);
        else
            process.start(program, arguments);
        if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
            process.exitCode() != 0) {
            *error = tool + QStringLiteral(" failed: ") +
                    QString::fromLocal8Bit(process.readAll()).trimmed();
            return false;
        }
        return true;
    }

    QTemporaryDir m_dir;
    QString m_bin;
    int m_port = 0;
    bool m_asRoot = false;
    bool m_running = false;
};
