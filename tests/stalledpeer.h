#pragma once

// A WebSocket peer on a plain QTcpSocket that does the handshake and sends one message, then never
// reads again and never answers pings (it may send more: a flood of requests, pongs unasked): a
// stalled or silent client. Event-driven, so the server under test can run on the same thread.
// Shared by tests and benchmarks.

#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

class StalledPeer : public QObject
{
public:
    void open(quint16 port, const QByteArray &firstMessage)
    {
        Q_ASSERT(firstMessage.size() < 126); // one frame with a 7-bit length
        connect(&m_socket, &QTcpSocket::connected, this, [this, port] {
            m_socket.write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
                           "13\r\n\r\n");
        });
        connect(&m_socket, &QTcpSocket::readyRead, this, [this, firstMessage] {
            if (m_reading) {
                m_received += m_socket.readAll();
                return;
            }
            if (m_upgraded)
                return; // from here on nothing is read: kernel buffers fill, then the server's
            m_response += m_socket.readAll();
            if (!m_response.contains("\r\n\r\n"))
                return;
            m_upgraded = m_response.startsWith("HTTP/1.1 101");
            m_received = m_response.mid(m_response.indexOf("\r\n\r\n") + 4);
            m_socket.write(frame(0x1, firstMessage));
            m_socket.setReadBufferSize(1);
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool isUpgraded() const { return m_upgraded; }
    // More frames after the first, written without reading anything: opcode 0x1 text, 0xA pong.
    void send(const QByteArray &message, int opcode = 0x1)
    {
        m_socket.write(frame(opcode, message));
    }
    // How much is still waiting in this side's buffer to go out.
    qint64 bytesToWrite() const { return m_socket.bytesToWrite(); }
    // Starts reading at last: everything the server sent from the upgrade on, as raw bytes.
    void resumeReading()
    {
        m_reading = true;
        m_socket.setReadBufferSize(0);
        m_received += m_socket.readAll();
    }
    const QByteArray &received() const { return m_received; }
    // Resets the connection (RST while the server may still hold data for it).
    void abort() { m_socket.abort(); }

private:
    // One masked frame (client frames must be masked) with a 7-bit length.
    static QByteArray frame(int opcode, const QByteArray &payload)
    {
        Q_ASSERT(payload.size() < 126);
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        frame.append(char(0x80 | payload.size()));
        const char mask[4] = {1, 2, 3, 4};
        frame.append(mask, 4);
        for (int i = 0; i < payload.size(); ++i)
            frame.append(char(payload.at(i) ^ mask[i % 4]));
        return frame;
    }

    QTcpSocket m_socket;
    QByteArray m_response;
    QByteArray m_received;
    bool m_upgraded = false;
    bool m_reading = false;
};
