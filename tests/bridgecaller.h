#pragma once

// A client of a running pyrite-host's bridge for crash tests: sends after_save calls and keeps the
// ids of those the host answered "ok" to (those are promised to be durable).

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QSet>

class BridgeCaller : public QObject
{
public:
    explicit BridgeCaller(QSet<QString> *answered)
        : m_answered(answered)
    {
        connect(&m_socket, &QLocalSocket::readyRead, this, [this] {
            m_buffer += m_socket.readAll();
            qsizetype newline;
            while ((newline = m_buffer.indexOf('\n')) >= 0) {
                const QJsonObject reply = QJsonDocument::fromJson(m_buffer.left(newline)).object();
                m_buffer.remove(0, newline + 1);
                if (reply.value(QLatin1String("ok")).toBool())
                    m_answered->insert(reply.value(QLatin1String("id")).toString());
            }
        });
    }
    bool connectTo(const QString &socketPath)
    {
        m_socket.connectToServer(socketPath);
        return m_socket.waitForConnected(5000);
    }
    // An after_save of entry `id` in KB research, as Pyrite calls it on a create.
    void save(const QString &id)
    {
        m_socket.write(
                QStringLiteral(
                        R"({"id":"%1","hook":"after_save","entry":{"id":"%1"},"context":{"kb_name":"research","operation":"create"}})")
                        .arg(id)
                        .toUtf8() +
                '\n');
    }
    void abort() { m_socket.abort(); }

private:
    QSet<QString> *m_answered;
    QLocalSocket m_socket;
    QByteArray m_buffer;
};
