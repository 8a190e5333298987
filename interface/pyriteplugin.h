#pragma once

// Pyrite's plugin interface, owned by the host (as the interfaces of Qt's plug-and-paint example).
// A plugin is a Qt plugin whose root object implements PyritePlugin; it may also implement
// EventBusService so that other in-process code can use its bus.

#include "pyritetypes.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <QtPlugin>

#include <functional>

namespace Pyrite {

class PyritePlugin
{
public:
    virtual ~PyritePlugin() = default;

    // Pyrite's plugin "name".
    virtual QString name() const = 0;
    // The keys of get_hooks(): which hooks this plugin wants to be called for.
    virtual QList<Hook> hooks() const = 0;

    // Takes the plugin's settings from pyrite.yaml. Returns false with a message naming file, line
    // and key when they are not acceptable; the host then does not call the plugin again.
    virtual bool initialize(const QVariantMap &settings, const HostContext &context,
                            QString *errorString) = 0;
    // Called once before the host unloads the plugin; pending work is finished or persisted.
    virtual void shutdown() = 0;

    // One hook call with Pyrite's semantics (see HookResult).
    virtual HookResult callHook(Hook hook, const QVariantMap &entry,
                                const HookContext &context) = 0;
    // A lifecycle point that is not a hook (QA, tasks, indexing, schema). Returns false with a
    // message naming the field when the payload is not usable.
    virtual bool notify(Notification notification, const QVariantMap &payload,
                        const HookContext &context, QString *errorString) = 0;
};

class EventBusService
{
public:
    virtual ~EventBusService() = default;

    using EventObserver = std::function<void(const QJsonObject &cloudEvent)>;

    // Calls observer with each event (CloudEvents JSON) whose type matches one of typePatterns
    // ("entry.*", "*"; empty means all) and, when not empty, the KB and entry type. The
    // subscription ends when context is destroyed or on unsubscribeEvents(). Returns 0 and sets
    // errorString for an invalid pattern.
    virtual quint64 subscribeEvents(const QStringList &typePatterns, const QString &kb,
                                    const QString &entryType, QObject *context,
                                    EventObserver observer, QString *errorString) = 0;
    // Like subscribeEvents(), but each event comes once the event log has stored it, with its
    // "sequence" and "epoch", in sequence order; this includes events that other processes
    // sharing the log appended, once this process has read them. Without a log, as
    // subscribeEvents().
    virtual quint64 subscribeStoredEvents(const QStringList &typePatterns, const QString &kb,
                                          const QString &entryType, QObject *context,
                                          EventObserver observer, QString *errorString) = 0;
    // Ends a subscription of either kind.
    virtual void unsubscribeEvents(quint64 subscriptionId) = 0;

    // Registers a Pyrite hook callable to run as a bus subscriber, with the registry's exact
    // semantics: registration order, before_* replace/veto, after_* failures logged and isolated.
    virtual void registerHook(Hook hook, const QString &owner, QObject *context,
                              HookCallback callback) = 0;
};

// Reading the event log, for hosts and tools (pyrite-host events). Implemented by the event bus
// plugin when its log is on.
class EventLogService
{
public:
    virtual ~EventLogService() = default;

    struct Query
    {
        qint64 afterSequence = 0; // events with a larger sequence
        QString epoch;         // when set, must be the log's epoch (positions of another are void)
        qint64 fromMsecs = -1; // time range [from, until), -1 = open
        qint64 untilMsecs = -1;
        QStringList types; // patterns with '*'; empty = all
        QString kb;
        QString entryType;
        int limit = 1000;
        // Newest first (a feed's history): events with a smaller sequence than beforeSequence
        // (0 = from the newest), read downwards; afterSequence still bounds them from below.
        bool newestFirst = false;
        qint64 beforeSequence = 0;
        QString entryId; // one entry's events (with kb); empty = all
    };
    struct Page
    {
        QList<QByteArray> events; // CloudEvents JSON with "sequence" and "epoch"
        // Of the last event in the page (newest first: the oldest in it), or where the query
        // started when the page is empty.
        qint64 lastSequence = 0;
        bool more = false; // a further page may follow
        QString epoch;
        qint64 oldestSequence = 0; // where the log starts now
    };

    // False with a message naming the field for a malformed query or another epoch.
    virtual bool readEvents(const Query &query, Page *page, QString *errorString) = 0;

    // The log's hash chain, walked from its oldest kept event (docs/eventlog.md).
    struct ChainReport
    {
        bool intact = true;
        qint64 firstSequence = 0; // the oldest kept event; 0 when the log is empty
        qint64 lastSequence = 0;
        qint64 checked = 0;   // events whose hash was recomputed and matched
        qint64 unchained = 0; // events stored before the log had a chain
        qint64 brokenAt = 0;  // the first sequence that does not match; 0 when intact
        QString problem;      // what is wrong there
    };
    // False with a message when the log cannot be read; a broken chain is a report, not an error.
    virtual bool verifyChain(ChainReport *report, QString *errorString)
    {
        Q_UNUSED(report);
        if (errorString)
            *errorString = QStringLiteral("this event log keeps no hash chain");
        return false;
    }
};

// Webhook operations for hosts and tools (pyrite-host deliveries / redeliver / webhook-test, and
// the HTTP API). Implemented by the event bus plugin when webhooks are configured.
class WebhookService
{
public:
    virtual ~WebhookService() = default;

    struct DeliveryQuery
    {
        QString endpoint; // an endpoint id; empty: all
        QString state;    // pending, delivered or dead; empty: all
        int limit = 100;
        bool withAttempts = true;
    };
    // Newest first, as JSON objects: id, sequence, event_id, endpoint, state, attempts,
    // next_attempt, created, updated, last_status, last_error and, asked for, "history": every
    // attempt (attempt, time, status, duration_ms, error, response).
    virtual bool listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                                QString *errorString) = 0;
    // Makes one delivery (or, with deliveryId 0, every dead one) pending again with fresh
    // attempts; *count says how many (0 for an id the outbox does not have).
    virtual bool redeliver(qint64 deliveryId, int *count, QString *errorString) = 0;
    // Every endpoint, configured ones first, then those made at run time: id, url (without its
    // query), events, kb, entry_type, format, headers (names only), timeout_ms, max_attempts,
    // enabled, allow_private, scope_kb, origin ("config" or "runtime"), read_only, signed and,
    // for runtime ones, created, updated and secret_rotation_until. Never a secret. Reads the
    // log's database (runtime endpoints): call it off the event loop that serves requests.
    virtual bool listWebhookEndpoints(QList<QJsonObject> *endpoints, QString *errorString) = 0;

    // Endpoints made at run time (HTTP API, pyrite-host webhooks), kept in the log's database for
    // every process and instance sharing it. An answer says what went wrong: the request is not
    // valid, names no runtime endpoint, collides with an id or a configured endpoint, or the log
    // could not be read or written.
    enum class Failure { None, Invalid, NotFound, Conflict, Unavailable };
    struct EndpointAnswer
    {
        Failure failure = Failure::None;
        QString error;
        // As listWebhookEndpoints() lists it; with "secret" when one was just made, the only
        // time it is shown.
        QJsonObject endpoint;
        QStringList warnings; // the definition is accepted but something in it is unwise
    };
    // definition: the keys of a configured endpoint (docs/webhooks.md) but no secret; "id" may be
    // left out for one to be made.
    virtual EndpointAnswer createWebhookEndpoint(const QJsonObject &definition) = 0;
    // changes: the keys to set (null removes one, back to its default); "id" cannot change.
    virtual EndpointAnswer updateWebhookEndpoint(const QString &id, const QJsonObject &changes) = 0;
    virtual EndpointAnswer deleteWebhookEndpoint(const QString &id) = 0;
    // A new secret, shown in the answer; the old one keeps signing for graceMs as well.
    virtual EndpointAnswer rotateWebhookSecret(const QString &id, qint64 graceMs) = 0;
    // Sends one sample event to url, outside the outbox; a configured endpoint with that URL lends
    // its format, headers and secrets. done gets status, duration_ms, error, response, headers.
    virtual void sendTestWebhook(const QUrl &url, QObject *context,
                                 std::function<void(const QJsonObject &answer)> done) = 0;
    // The same to an endpoint by id, configured or made at run time, exactly as it is; an
    // unknown id answers with "error". Does not wait: done is called on context's thread.
    virtual void sendTestToEndpoint(const QString &id, QObject *context,
                                    std::function<void(const QJsonObject &answer)> done) = 0;
    // Every dead delivery of one endpoint pending again; *count says how many.
    virtual bool redeliverDeadOf(const QString &endpoint, int *count, QString *errorString) = 0;
};

// Counters and gauges a plugin keeps (events published, frames sent, ...), for the host to show:
// the bridge's "metrics" op, and /metrics over HTTP.
class MetricsService
{
public:
    virtual ~MetricsService() = default;

    struct Metric
    {
        enum class Kind { Counter, Gauge };
        QString name; // Prometheus style: pyrite_stream_frames_sent_total
        QString help;
        Kind kind = Kind::Counter;
        double value = 0;

        static Metric counter(const char *name, const char *help, double value)
        {
            return {QLatin1String(name), QLatin1String(help), Kind::Counter, value};
        }
        static Metric gauge(const char *name, const char *help, double value)
        {
            return {QLatin1String(name), QLatin1String(help), Kind::Gauge, value};
        }
    };

    // Cheap enough to call on every scrape; never contains a secret.
    virtual QList<Metric> metrics() const = 0;
};

// Problems a host found in the KB files it reads itself (pyrite-host --watch): files it could not
// read, ids taken twice. Implemented by the event bus plugin, which lists them on the graph page.
class KnowledgeBaseProblems
{
public:
    virtual ~KnowledgeBaseProblems() = default;

    // Replaces what is known of kb's files (empty: nothing is wrong now). Each names file and line.
    virtual void setKnowledgeBaseProblems(const QString &kb, const QStringList &problems) = 0;
};

} // namespace Pyrite

#define PyritePlugin_iid "org.pyrite.Plugin/1.0"
Q_DECLARE_INTERFACE(Pyrite::PyritePlugin, PyritePlugin_iid)

#define PyriteEventBusService_iid "org.pyrite.EventBusService/1.1"
Q_DECLARE_INTERFACE(Pyrite::EventBusService, PyriteEventBusService_iid)

#define PyriteEventLogService_iid "org.pyrite.EventLogService/1.1"
Q_DECLARE_INTERFACE(Pyrite::EventLogService, PyriteEventLogService_iid)

#define PyriteWebhookService_iid "org.pyrite.WebhookService/1.1"
Q_DECLARE_INTERFACE(Pyrite::WebhookService, PyriteWebhookService_iid)

#define PyriteMetricsService_iid "org.pyrite.MetricsService/1.0"
Q_DECLARE_INTERFACE(Pyrite::MetricsService, PyriteMetricsService_iid)

#define PyriteKnowledgeBaseProblems_iid "org.pyrite.KnowledgeBaseProblems/1.0"
Q_DECLARE_INTERFACE(Pyrite::KnowledgeBaseProblems, PyriteKnowledgeBaseProblems_iid)
