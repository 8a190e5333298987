#pragma once

// The real pyrite-host in a child process, for tests that run it as an operator would: started
// with a config, ready once it says so, killed or stopped. Everything it writes to stderr is kept
// (log()), so that tests can look for what it said (or must never say).

#include <QProcess>
#include <QTest>

#include <signal.h>

class HostProcess
{
public:
    explicit HostProcess(const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
    }
    HostProcess(const HostProcess &) = delete;
    HostProcess &operator=(const HostProcess &) = delete;
    ~HostProcess()
    {
        if (m_process.state() != QProcess::NotRunning)
            kill();
    }

    bool start(const QString &config)
    {
        m_process.start(QStringLiteral(PYRITE_HOST_BINARY), {QStringLiteral("--config"), config});
        const qsizetype from = m_log.size();
        const bool ready =
                QTest::qWaitFor([&] { return log().indexOf("ready; Ctrl+C", from) >= 0; }, 20000);
        const qsizetype at = m_log.indexOf("live event streams on ", from);
        if (at >= 0)
            streamUrl =
                    QString::fromLatin1(m_log.mid(at + 22, m_log.indexOf(' ', at + 22) - at - 22));
        return ready;
    }
    // All it wrote to stderr so far, this start and the ones before.
    const QByteArray &log()
    {
        m_log += m_process.readAllStandardError();
        return m_log;
    }
    quint16 port() const { return quint16(QUrl(streamUrl).port()); }
    qint64 processId() const { return m_process.processId(); }
    void kill()
    {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(10000);
    }
    void stop()
    {
        m_process.terminate();
        m_process.waitForFinished(10000);
        log();
    }

    QString streamUrl; // ws://127.0.0.1:<port>/stream, a new port at every start with port 0

private:
    QProcess m_process;
    QByteArray m_log;
};
