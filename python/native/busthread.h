#pragma once

#include "inprocesshost.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

class QEventLoop;

namespace Pyrite::Python {

class MessageQueue;

// The thread Qt's event loop runs on in Pyrite's process: it creates the QCoreApplication when
// the process has none, hosts the plugins (InProcessHost) and runs until stop(). Hook calls from
// Python threads are queued to it: call() waits for the answer (before_* hooks), post() does not
// (after_* hooks, which must never wait for disk or network).
class BusThread
{
public:
    BusThread();
    ~BusThread();
    BusThread(const BusThread &) = delete;
    BusThread &operator=(const BusThread &) = delete;

    // Starts the thread and the host; returns once both run, or with the reason they do not.
    bool start(const HostOptions &options, QString *errorString);
    // Everything posted before runs first (queued after_* calls included); then the plugins shut
    // down, writing what their logs still queue, and the thread ends.
    void stop();
    bool isRunning() const { return m_host != nullptr; }

    // Runs work on the bus thread and waits for it.
    void call(const std::function<void(InProcessHost *host)> &work);
    // Queues work on the bus thread.
    void post(std::function<void(InProcessHost *host)> work);

    // Qt's log messages, as "level\tcategory\tmessage" lines, for Python's logging.
    std::shared_ptr<MessageQueue> logMessages() const { return m_log; }

private:
    void run(HostOptions options);

    std::thread m_thread;
    InProcessHost *m_host = nullptr;
    QEventLoop *m_loop = nullptr;
    std::shared_ptr<MessageQueue> m_log;
    // start() waits for the thread's answer.
    std::mutex m_mutex;
    std::condition_variable m_started;
    bool m_answered = false;
    QString m_startError;
};

} // namespace Pyrite::Python
