// pyrite_eventbus._native: the event bus plugin in Pyrite's own process (docs/python.md). One Bus
// per process; Python's side (pyrite_eventbus/runtime.py) starts it lazily, stops it at exit and
// around fork(). Every call that may wait releases the GIL.

#include "busthread.h"
#include "messagequeue.h"

#include "interface/pyriteplugin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <tuple>

namespace py = pybind11;

namespace Pyrite::Python {

namespace {
// Python values as Qt's: dicts, lists and tuples, text, numbers, booleans and None; anything else
// (a date, a path) as its str(), as JSON would have written it. Called with the GIL held.
QVariant variantFrom(const py::handle &value, int depth = 0)
{
    if (depth > 64)
        throw py::value_error("the entry nests more than 64 levels deep");
    if (value.is_none())
        return QVariant();
    if (py::isinstance<py::bool_>(value))
        return value.cast<bool>();
    if (py::isinstance<py::int_>(value))
        return qint64(value.cast<long long>());
    if (py::isinstance<py::float_>(value))
        return value.cast<double>();
    if (py::isinstance<py::str>(value))
        return QString::fromStdString(value.cast<std::string>());
    if (py::isinstance<py::dict>(value)) {
        QVariantMap map;
        for (const auto &item : value.cast<py::dict>())
            map.insert(QString::fromStdString(py::str(item.first).cast<std::string>()),
                       variantFrom(item.second, depth + 1));
        return map;
    }
    if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
        QVariantList list;
        for (const py::handle &item : value)
            list.append(variantFrom(item, depth + 1));
        return list;
    }
    return QString::fromStdString(py::str(value).cast<std::string>());
}

QVariantMap mapFrom(const py::dict &dict)
{
    return variantFrom(dict).toMap();
}

py::object pythonFrom(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QVariantMap: {
        py::dict dict;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            dict[py::str(it.key().toStdString())] = pythonFrom(it.value());
        return dict;
    }
    case QMetaType::QVariantList: {
        py::list list;
        for (const QVariant &item : value.toList())
            list.append(pythonFrom(item));
        return list;
    }
    case QMetaType::Bool:
        return py::bool_(value.toBool());
    case QMetaType::Int:
    case QMetaType::LongLong:
        return py::int_(value.toLongLong());
    case QMetaType::Double:
        return py::float_(value.toDouble());
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return py::none();
    default:
        return py::str(value.toString().toStdString());
    }
}

HookContext contextFrom(const QVariantMap &map)
{
    HookContext context;
    context.kbName = map.value(QStringLiteral("kb_name")).toString();
    context.user = map.value(QStringLiteral("user")).toString();
    context.operation = map.value(QStringLiteral("operation")).toString();
    context.kbSchema = map.value(QStringLiteral("kb_schema")).toMap();
    context.previousEntry = map.value(QStringLiteral("previous")).toMap();
    context.kbType = map.value(QStringLiteral("kb_type")).toString();
    context.extra = map.value(QStringLiteral("extra")).toMap();
    return context;
}

QString qString(const std::string &text)
{
    return QString::fromStdString(text);
}

QStringList qStringList(const std::vector<std::string> &texts)
{
    QStringList list;
    for (const std::string &text : texts)
        list.append(qString(text));
    return list;
}

py::bytes pythonBytes(const QByteArray &bytes)
{
    return py::bytes(bytes.constData(), size_t(bytes.size()));
}

py::bytes pythonJson(const QJsonObject &object)
{
    return pythonBytes(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

using HookAnswer =
        std::tuple<std::string, py::object, std::string, std::string, std::vector<std::string>>;
// events (CloudEvents JSON), last sequence, more, epoch, oldest sequence
using EventPage = std::tuple<std::vector<py::bytes>, qint64, bool, std::string, qint64>;
} // namespace

// The Python-facing object: the bus thread and the subscriptions' queues.
class Bus
{
public:
    void start(const std::string &configFile, const std::string &dataDir,
               const std::vector<std::pair<std::string, std::string>> &knowledgeBases,
               const std::vector<std::string> &pluginDirs, const std::string &hostVersion,
               bool readOnly, bool secretsOptional)
    {
        HostOptions options;
        options.configFile = qString(configFile);
        options.dataDir = qString(dataDir);
        for (const auto &[name, path] : knowledgeBases)
            options.knowledgeBases.append({qString(name), qString(path)});
        options.pluginDirs = qStringList(pluginDirs);
        options.hostVersion = qString(hostVersion);
        options.readOnly = readOnly;
        options.secretsOptional = secretsOptional;
        QString error;
        bool ok = false;
        {
            py::gil_scoped_release release;
            ok = m_thread.start(options, &error);
        }
        if (!ok)
            throw std::runtime_error(error.toStdString());
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_generation;
    }

    // The subscriptions' queues are closed, not dropped: their readers take what is left.
    void stop()
    {
        {
            py::gil_scoped_release release;
            m_thread.stop();
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto &entry : m_subscriptions)
            entry.second.queue->close();
    }

    bool running() const { return m_thread.isRunning(); }

    HookAnswer callHook(const std::string &hookName, const py::dict &entryDict,
                        const py::dict &contextDict)
    {
        const std::optional<Hook> hook = hookFromName(qString(hookName));
        if (!hook)
            throw py::value_error("unknown hook " + hookName);
        requireRunning();
        const QVariantMap entry = mapFrom(entryDict);
        const HookContext context = contextFrom(mapFrom(contextDict));
        if (!isBeforeHook(*hook)) {
            // The after-path runs here if the bus thread is parked, else it is queued; either way
            // the write in Pyrite never waits for the bus. (The host's registry logs an after_*
            // hook that fails.)
            const qint64 posted = m_recordTimings.load(std::memory_order_relaxed) ? now() : 0;
            {
                py::gil_scoped_release release;
                m_thread.post([this, posted, hook = *hook, entry, context](InProcessHost *host) {
                    const qint64 started = posted ? now() : 0;
                    host->runHook(hook, entry, context);
                    if (posted)
                        recordTiming(posted, started);
                });
            }
            return {"continue", py::none(), "", "", {}};
        }
        Host::HookOutcome outcome;
        {
            py::gil_scoped_release release;
            m_thread.call(
                    [&](InProcessHost *host) { outcome = host->runHook(*hook, entry, context); });
        }
        std::vector<std::string> failures;
        for (const QString &failure : std::as_const(outcome.failures))
            failures.push_back(failure.toStdString());
        if (outcome.aborted)
            return {outcome.raised ? "abort" : "veto", py::none(), outcome.message.toStdString(),
                    outcome.stoppedBy.toStdString(), failures};
        if (outcome.replaced)
            return {"replace", pythonFrom(outcome.entry), "", "", failures};
        return {"continue", py::none(), "", "", failures};
    }

    std::vector<std::string> notify(const std::string &name, const py::dict &payloadDict,
                                    const py::dict &contextDict)
    {
        const std::optional<Notification> notification = notificationFromName(qString(name));
        if (!notification)
            throw py::value_error("unknown notification " + name);
        requireRunning();
        const QVariantMap payload = mapFrom(payloadDict);
        const HookContext context = contextFrom(mapFrom(contextDict));
        QStringList errors;
        {
            py::gil_scoped_release release;
            m_thread.call([&](InProcessHost *host) {
                errors = host->notify(*notification, payload, context);
            });
        }
        std::vector<std::string> result;
        for (const QString &error : std::as_const(errors))
            result.push_back(error.toStdString());
        return result;
    }

    // Returns a handle of this object's own: the plugin's ids start again with every start.
    quint64 subscribe(const std::vector<std::string> &types, const std::string &kb,
                      const std::string &entryType, size_t limit)
    {
        requireRunning();
        auto queue = std::make_shared<MessageQueue>(limit);
        quint64 id = 0;
        QString error;
        {
            py::gil_scoped_release release;
            m_thread.callOnBusThread([&](InProcessHost *host) {
                id = host->subscribe(qStringList(types), qString(kb), qString(entryType), queue,
                                     &error);
            });
        }
        if (id == 0)
            throw py::value_error(error.toStdString());
        std::lock_guard<std::mutex> lock(m_mutex);
        const quint64 handle = m_nextHandle++;
        m_subscriptions.emplace(handle, Subscription{id, queue, m_generation});
        return handle;
    }

    void unsubscribe(quint64 handle)
    {
        Subscription subscription;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            const auto it = m_subscriptions.find(handle);
            if (it == m_subscriptions.end())
                return;
            subscription = it->second;
            m_subscriptions.erase(it);
        }
        subscription.queue->close();
        // A subscription of an earlier run of the bus has no id in this one.
        if (m_thread.isRunning() && subscription.generation == m_generation) {
            py::gil_scoped_release release;
            m_thread.callOnBusThread(
                    [id = subscription.nativeId](InProcessHost *host) { host->unsubscribe(id); });
        }
    }

    // Up to max events of a subscription, waiting up to timeoutMs for the first; None once it has
    // ended (unsubscribed, or the bus stopped) and nothing is left.
    py::object takeEvents(quint64 handle, size_t max, int timeoutMs)
    {
        std::shared_ptr<MessageQueue> queue;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            const auto it = m_subscriptions.find(handle);
            if (it != m_subscriptions.end())
                queue = it->second.queue;
        }
        if (!queue)
            return py::none();
        QList<QByteArray> events;
        {
            py::gil_scoped_release release;
            events = queue->take(max, timeoutMs);
        }
        if (events.isEmpty() && queue->isClosed()) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_subscriptions.erase(handle);
            return py::none();
        }
        py::list list;
        for (const QByteArray &event : std::as_const(events))
            list.append(py::bytes(event.constData(), size_t(event.size())));
        return list;
    }

    quint64 takeDropped(quint64 handle)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_subscriptions.find(handle);
        return it == m_subscriptions.end() ? 0 : it->second.queue->takeDropped();
    }

    std::vector<py::bytes> takeLog(size_t max, int timeoutMs)
    {
        const std::shared_ptr<MessageQueue> queue = m_thread.logMessages();
        QList<QByteArray> lines;
        {
            py::gil_scoped_release release;
            lines = queue->take(max, timeoutMs);
        }
        std::vector<py::bytes> result;
        for (const QByteArray &line : std::as_const(lines))
            result.emplace_back(line.constData(), size_t(line.size()));
        return result;
    }

    // For bench/bench_inprocess.py: when each after_* call was queued for the bus thread, when
    // that thread started it and when its event was on the bus (CLOCK_MONOTONIC nanoseconds, the
    // clock of Python's time.monotonic_ns()).
    void recordHookTimings(bool on)
    {
        std::lock_guard<std::mutex> lock(m_timingMutex);
        m_timings.clear();
        m_recordTimings = on;
    }

    std::vector<std::array<qint64, 3>> takeHookTimings()
    {
        std::lock_guard<std::mutex> lock(m_timingMutex);
        return std::exchange(m_timings, {});
    }

    std::vector<std::string> pluginStates()
    {
        requireRunning();
        QStringList states;
        {
            py::gil_scoped_release release;
            m_thread.callOnBusThread([&](InProcessHost *host) { states = host->pluginStates(); });
        }
        std::vector<std::string> result;
        for (const QString &state : std::as_const(states))
            result.push_back(state.toStdString());
        return result;
    }

    // One page of the event log (EventLogService::readEvents); ValueError names what was wrong.
    EventPage readEvents(qint64 after, const std::string &epoch,
                         const std::vector<std::string> &types, const std::string &kb,
                         const std::string &entryType, qint64 fromMsecs, qint64 untilMsecs,
                         int limit)
    {
        requireRunning();
        EventLogService::Query query;
        query.afterSequence = after;
        query.epoch = qString(epoch);
        query.types = qStringList(types);
        query.kb = qString(kb);
        query.entryType = qString(entryType);
        query.fromMsecs = fromMsecs;
        query.untilMsecs = untilMsecs;
        query.limit = limit;
        EventLogService::Page page;
        QString error;
        bool ok = false;
        {
            py::gil_scoped_release release;
            m_thread.callOnBusThread([&](InProcessHost *host) {
                EventLogService *log = host->eventLog(&error);
                ok = log && log->readEvents(query, &page, &error);
            });
        }
        if (!ok)
            throw py::value_error(error.toStdString());
        std::vector<py::bytes> events;
        for (const QByteArray &event : std::as_const(page.events))
            events.push_back(pythonBytes(event));
        return {events, page.lastSequence, page.more, page.epoch.toStdString(),
                page.oldestSequence};
    }

    // The hash chain walked from the oldest kept event (EventLogService::verifyChain): a dict
    // with intact, first_sequence, last_sequence, checked, unchained, and broken_at and problem
    // when it breaks. ValueError when the log cannot be read.
    py::dict verifyEvents()
    {
        requireRunning();
        EventLogService::ChainReport report;
        QString error;
        bool ok = false;
        {
            py::gil_scoped_release release;
            m_thread.callOnBusThread([&](InProcessHost *host) {
                EventLogService *log = host->eventLog(&error);
                ok = log && log->verifyChain(&report, &error);
            });
        }
        if (!ok)
            throw py::value_error(error.toStdString());
        py::dict result;
        result["intact"] = report.intact;
        result["first_sequence"] = report.firstSequence;
        result["last_sequence"] = report.lastSequence;
        result["checked"] = report.checked;
        result["unchained"] = report.unchained;
        if (!report.intact) {
            result["broken_at"] = report.brokenAt;
            result["problem"] = report.problem.toStdString();
        }
        return result;
    }

    std::vector<py::bytes> listDeliveries(const std::string &endpoint, const std::string &state,
                                          int limit, bool withAttempts)
    {
        WebhookService::DeliveryQuery query;
        query.endpoint = qString(endpoint);
        query.state = qString(state);
        query.limit = limit;
        query.withAttempts = withAttempts;
        QList<QJsonObject> deliveries;
        runWebhookCall([&](WebhookService *service, QString *error, QObject *) {
            return service->listDeliveries(query, &deliveries, error);
        });
        std::vector<py::bytes> result;
        for (const QJsonObject &delivery : std::as_const(deliveries))
            result.push_back(pythonJson(delivery));
        return result;
    }

    // Every dead delivery of one endpoint pending again; how many.
    int redeliverDeadOf(const std::string &endpoint)
    {
        int count = 0;
        runWebhookCall([&](WebhookService *service, QString *error, QObject *) {
            return service->redeliverDeadOf(qString(endpoint), &count, error);
        });
        return count;
    }

    int redeliver(qint64 deliveryId)
    {
        int count = 0;
        runWebhookCall([&](WebhookService *service, QString *error, QObject *) {
            return service->redeliver(deliveryId, &count, error);
        });
        return count;
    }

    std::vector<py::bytes> webhookEndpoints()
    {
        QList<QJsonObject> endpoints;
        runWebhookCall([&](WebhookService *service, QString *error, QObject *) {
            return service->listWebhookEndpoints(&endpoints, error);
        });
        std::vector<py::bytes> result;
        for (const QJsonObject &endpoint : std::as_const(endpoints))
            result.push_back(pythonJson(endpoint));
        return result;
    }

    // An endpoint made at run time: "create" (definition), "update" (id, definition), "delete"
    // (id) or "rotate-secret" (id, graceMs). Returns the endpoint as JSON, with "secret" when one
    // was made and "warnings"; a refusal raises ValueError with its message.
    py::bytes changeWebhookEndpoint(const std::string &operation, const std::string &id,
                                    const std::string &definition, qint64 graceMs)
    {
        QJsonObject object;
        if (!definition.empty()) {
            QJsonParseError parseError;
            const QJsonDocument document =
                    QJsonDocument::fromJson(QByteArray::fromStdString(definition), &parseError);
            if (parseError.error != QJsonParseError::NoError || !document.isObject())
                throw py::value_error("the definition is not a JSON object: " +
                                      parseError.errorString().toStdString());
            object = document.object();
        }
        const QString endpoint = qString(id);
        WebhookService::EndpointAnswer answer;
        runWebhookCall([&](WebhookService *service, QString *error, QObject *) {
            if (operation == "create")
                answer = service->createWebhookEndpoint(object);
            else if (operation == "update")
                answer = service->updateWebhookEndpoint(endpoint, object);
            else if (operation == "delete")
                answer = service->deleteWebhookEndpoint(endpoint);
            else if (operation == "rotate-secret")
                answer = service->rotateWebhookSecret(endpoint, graceMs);
            else
                *error = QStringLiteral("unknown operation \"%1\"").arg(qString(operation));
            return error->isEmpty();
        });
        if (answer.failure != WebhookService::Failure::None)
            throw py::value_error(answer.error.toStdString());
        QJsonObject result = answer.endpoint;
        if (!answer.warnings.isEmpty())
            result.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(answer.warnings));
        return pythonJson(result);
    }

    // Sends one sample event to url and waits (GIL released) up to timeoutMs for the answer.
    py::bytes sendTestWebhook(const std::string &url, int timeoutMs)
    {
        struct Answer
        {
            std::mutex mutex;
            std::condition_variable done;
            std::optional<QJsonObject> object;
        };
        auto answer = std::make_shared<Answer>();
        // A URL, or else the id of an endpoint, sent to as it is.
        const QUrl target(qString(url), QUrl::StrictMode);
        const bool byUrl = target.scheme() == u"http" || target.scheme() == u"https";
        if (url.empty() || (byUrl && !target.isValid()))
            throw py::value_error("not a URL: \"" + url + "\"");
        const auto done = [answer](const QJsonObject &object) {
            std::lock_guard<std::mutex> lock(answer->mutex);
            answer->object = object;
            answer->done.notify_all();
        };
        // The host as context: a bus stopped meanwhile never answers, and the wait times out.
        runWebhookCall([&](WebhookService *service, QString *, QObject *host) {
            if (byUrl)
                service->sendTestWebhook(target, host, done);
            else
                service->sendTestToEndpoint(qString(url), host, done);
            return true;
        });
        {
            py::gil_scoped_release release;
            std::unique_lock<std::mutex> lock(answer->mutex);
            answer->done.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                  [&] { return answer->object.has_value(); });
        }
        std::lock_guard<std::mutex> lock(answer->mutex);
        if (!answer->object)
            throw py::value_error("no answer from the test delivery within " +
                                  std::to_string(timeoutMs) + " ms");
        return pythonJson(*answer->object);
    }

private:
    // Runs call on the bus thread with the webhook service; ValueError with its message if it
    // returns false.
    void runWebhookCall(const std::function<bool(WebhookService *, QString *, QObject *)> &call)
    {
        requireRunning();
        QString error;
        bool ok = false;
        {
            py::gil_scoped_release release;
            m_thread.callOnBusThread([&](InProcessHost *host) {
                WebhookService *service = host->webhooks(&error);
                ok = service && call(service, &error, host);
            });
        }
        if (!ok)
            throw py::value_error(error.toStdString());
    }

    static qint64 now()
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                .count();
    }

    void recordTiming(qint64 posted, qint64 started)
    {
        const qint64 done = now();
        std::lock_guard<std::mutex> lock(m_timingMutex);
        m_timings.push_back({posted, started, done});
    }

    void requireRunning() const
    {
        if (!m_thread.isRunning())
            throw std::runtime_error("the event bus is not running");
    }

    struct Subscription
    {
        quint64 nativeId = 0;
        std::shared_ptr<MessageQueue> queue;
        int generation = 0;
    };

    BusThread m_thread;
    std::mutex m_mutex;
    std::map<quint64, Subscription> m_subscriptions;
    quint64 m_nextHandle = 1;
    int m_generation = 0; // of the bus's runs
    std::atomic<bool> m_recordTimings{false};
    std::mutex m_timingMutex;
    std::vector<std::array<qint64, 3>> m_timings; // queued, started, on the bus
};

} // namespace Pyrite::Python

PYBIND11_MODULE(_native, module)
{
    using Pyrite::Python::Bus;
    module.doc() = "The pyrite-eventbus Qt plugin, hosted in Pyrite's process.";
    py::class_<Bus>(module, "Bus")
            .def(py::init<>())
            .def("start", &Bus::start, py::arg("config_file"), py::arg("data_dir"),
                 py::arg("knowledge_bases"), py::arg("plugin_dirs"), py::arg("host_version"),
                 py::arg("read_only") = false, py::arg("secrets_optional") = false)
            .def("stop", &Bus::stop)
            .def_property_readonly("running", &Bus::running)
            .def("call_hook", &Bus::callHook, py::arg("hook"), py::arg("entry"), py::arg("context"))
            .def("notify", &Bus::notify, py::arg("notification"), py::arg("payload"),
                 py::arg("context"))
            .def("subscribe", &Bus::subscribe, py::arg("types"), py::arg("kb"),
                 py::arg("entry_type"), py::arg("limit"))
            .def("unsubscribe", &Bus::unsubscribe, py::arg("handle"))
            .def("take_events", &Bus::takeEvents, py::arg("handle"), py::arg("max"),
                 py::arg("timeout_ms"))
            .def("take_dropped", &Bus::takeDropped, py::arg("handle"))
            .def("take_log", &Bus::takeLog, py::arg("max"), py::arg("timeout_ms"))
            .def("plugin_states", &Bus::pluginStates)
            .def("record_hook_timings", &Bus::recordHookTimings, py::arg("on"))
            .def("take_hook_timings", &Bus::takeHookTimings)
            .def("read_events", &Bus::readEvents, py::arg("after"), py::arg("epoch"),
                 py::arg("types"), py::arg("kb"), py::arg("entry_type"), py::arg("from_msecs"),
                 py::arg("until_msecs"), py::arg("limit"))
            .def("verify_events", &Bus::verifyEvents)
            .def("list_deliveries", &Bus::listDeliveries, py::arg("endpoint"), py::arg("state"),
                 py::arg("limit"), py::arg("with_attempts"))
            .def("redeliver", &Bus::redeliver, py::arg("delivery_id"))
            .def("redeliver_dead_of", &Bus::redeliverDeadOf, py::arg("endpoint"))
            .def("webhook_endpoints", &Bus::webhookEndpoints)
            .def("change_webhook_endpoint", &Bus::changeWebhookEndpoint, py::arg("operation"),
                 py::arg("id"), py::arg("definition"), py::arg("grace_ms"))
            .def("send_test_webhook", &Bus::sendTestWebhook, py::arg("url"), py::arg("timeout_ms"));
}
