#include "busthread.h"

#include "messagequeue.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEventLoop>
#include <QLoggingCategory>

namespace Pyrite::Python {

namespace {
// Qt's messages go to Python's logging through this queue (the Qt thread never takes the GIL).
std::weak_ptr<MessageQueue> g_logQueue;
QtMessageHandler g_previousHandler = nullptr;

void forwardMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const std::shared_ptr<MessageQueue> queue = g_logQueue.lock();
    if (!queue) {
        if (g_previousHandler)
            g_previousHandler(type, context, message);
        return;
    }
    const char *level = type == QtDebugMsg ? "debug"
            : type == QtInfoMsg            ? "info"
            : type == QtWarningMsg         ? "warning"
                                           : "error";
    queue->push(QByteArray(level) + '\t' + QByteArray(context.category ? context.category : "qt") +
                '\t' + message.toUtf8());
}

int g_argc = 1;
char g_argv0[] = "pyrite";
char *g_argv[] = {g_argv0, nullptr};
} // namespace

BusThread::BusThread()
    : m_log(std::make_shared<MessageQueue>(10000))
{ }

BusThread::~BusThread()
{
    stop();
}

bool BusThread::start(const HostOptions &options, QString *errorString)
{
    if (m_thread.joinable())
        return true;
    m_answered = false;
    m_startError.clear();
    g_logQueue = m_log;
    g_previousHandler = qInstallMessageHandler(forwardMessage);
    m_thread = std::thread([this, options] { run(options); });
    std::unique_lock<std::mutex> lock(m_mutex);
    m_started.wait(lock, [this] { return m_answered; });
    if (m_host)
        return true;
    lock.unlock();
    m_thread.join();
    if (errorString)
        *errorString = m_startError;
    return false;
}

void BusThread::run(HostOptions options)
{
    // Qt's own UNIX event dispatcher keeps socket notifiers in a hash; GLib's walks a list
    // (docs/performance.md). Only when the process has no application object yet.
    std::unique_ptr<QCoreApplication> app;
    if (!QCoreApplication::instance()) {
        if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
            qputenv("QT_NO_GLIB", "1");
        app = std::make_unique<QCoreApplication>(g_argc, g_argv);
    }
    QEventLoop loop;
    m_park.lock();
    m_holdsPark = true;
    auto host = std::make_unique<InProcessHost>();
    QString error;
    const bool ok = host->start(options, &error);
    if (ok) {
        m_parkedHost = host.get();
        park(QAbstractEventDispatcher::instance());
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_answered = true;
        m_startError = error;
        if (ok) {
            m_host = host.get();
            m_loop = &loop;
        }
    }
    m_started.notify_all();
    if (ok)
        loop.exec();
    if (!m_holdsPark) // the loop may end while waiting: no one may start work here any more
        m_park.lock();
    m_parkedHost = nullptr;
    m_park.unlock();
    m_holdsPark = false;
    host.reset();
    // What the plugins handed to deleteLater() goes now, while their libraries are still loaded.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    app.reset();
}

void BusThread::park(QAbstractEventDispatcher *dispatcher)
{
    // awake() comes at the start of every round of events, aboutToBlock() only before a wait:
    // the note keeps lock and unlock paired.
    QObject::connect(
            dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher,
            [this] {
                if (m_holdsPark) {
                    m_holdsPark = false;
                    m_park.unlock();
                }
            },
            Qt::DirectConnection);
    QObject::connect(
            dispatcher, &QAbstractEventDispatcher::awake, dispatcher,
            [this] {
                if (!m_holdsPark) {
                    m_park.lock();
                    m_holdsPark = true;
                }
            },
            Qt::DirectConnection);
}

bool BusThread::runIfParked(const std::function<void(InProcessHost *host)> &work)
{
    std::unique_lock<std::mutex> lock(m_park, std::try_to_lock);
    if (!lock.owns_lock() || !m_parkedHost)
        return false;
    work(m_parkedHost);
    return true;
}

void BusThread::stop()
{
    if (!m_thread.joinable())
        return;
    if (m_host) {
        QEventLoop *loop = m_loop;
        // Queued behind every call posted before: those run first.
        QMetaObject::invokeMethod(
                m_host,
                [this, loop] {
                    m_host->stop();
                    loop->quit();
                },
                Qt::QueuedConnection);
    }
    m_thread.join();
    m_host = nullptr;
    m_loop = nullptr;
    qInstallMessageHandler(g_previousHandler);
    g_logQueue.reset();
    m_log->close();
    m_log = std::make_shared<MessageQueue>(10000);
}

void BusThread::call(const std::function<void(InProcessHost *host)> &work)
{
    if (!runIfParked(work))
        callOnBusThread(work);
}

void BusThread::callOnBusThread(const std::function<void(InProcessHost *host)> &work)
{
    InProcessHost *host = m_host;
    QMetaObject::invokeMethod(
            host, [host, &work] { work(host); }, Qt::BlockingQueuedConnection);
}

void BusThread::post(std::function<void(InProcessHost *host)> work)
{
    if (runIfParked(work))
        return;
    InProcessHost *host = m_host;
    QMetaObject::invokeMethod(
            host, [host, work = std::move(work)] { work(host); }, Qt::QueuedConnection);
}

} // namespace Pyrite::Python
