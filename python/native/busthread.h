#pragma once

#include "inprocesshost.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

class QAbstractEventDispatcher;
class QEventLoop;

namespace Pyrite::Python {

class MessageQueue;

// The thread Qt's event loop runs on in Pyrite's process: it creates the QCoreApplication when
// the process has none, hosts the plugins (InProcessHost) and runs until stop().
//
// The thread holds a lock ("the park") whenever it is not waiting for events. A hook call from a
// Python thread that finds the thread parked runs right there, as the thread would have run it:
// the bus is never touched by two threads at once, and the write does not pay for waking a thread
// (tens of microseconds on a virtual machine). Otherwise it is queued: call() waits for the answer
// (before_* hooks), post() does not (after_* hooks, which must never wait for disk or network).
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

    // Runs work here if the bus thread is parked (a hook call), else on the bus thread, and waits
    // for it.
    void call(const std::function<void(InProcessHost *host)> &work);
    // Runs work on the bus thread and waits for it (what must be done there: subscriptions).
    void callOnBusThread(const std::function<void(InProcessHost *host)> &work);
    // Runs work here if the bus thread is parked, else queues it on the bus thread.
    void post(std::function<void(InProcessHost *host)> work);

    // Qt's log messages, as "level\tcategory\tmessage" lines, for Python's logging.
    std::shared_ptr<MessageQueue> logMessages() const { return m_log; }

private:
    void run(HostOptions options);
    // Runs work in the calling thread when the bus thread waits for events; false otherwise.
    bool runIfParked(const std::function<void(InProcessHost *host)> &work);
    void park(QAbstractEventDispatcher *dispatcher);

    std::thread m_thread;
    InProcessHost *m_host = nullptr;
    QEventLoop *m_loop = nullptr;
    // Held by the bus thread unless it waits for events; m_parkedHost is the host while the loop
    // runs (null before and after), read under it.
    std::mutex m_park;
    bool m_holdsPark = false; // the bus thread's own note
    InProcessHost *m_parkedHost = nullptr;
    std::shared_ptr<MessageQueue> m_log;
    // start() waits for the thread's answer.
    std::mutex m_mutex;
    std::condition_variable m_started;
    bool m_answered = false;
    QString m_startError;
};

} // namespace Pyrite::Python
