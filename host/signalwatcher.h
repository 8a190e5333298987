#pragma once

#include <QObject>

class QSocketNotifier;

namespace Pyrite::Host {

// Turns SIGINT and SIGTERM into a Qt signal (self-pipe), so the host shuts down through its
// event loop: plugins get shutdown(), the bridge socket is removed.
class SignalWatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void handle(int signalNumber);
    static int s_pipe[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Pyrite::Host
