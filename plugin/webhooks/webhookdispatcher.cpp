#include "webhookdispatcher.h"

#include "webhookstr.h"

#include "bus/event.h"
#include "eventlog/eventlog.h"
#include "logging.h"
#include "webhookaddresspolicy.h"
#include "webhookendpointstore.h"
#include "webhookpayload.h"
#include "webhookrequest.h"
#include "webhookresponse.h"

#include <QDateTime>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <algorithm>

namespace Pyrite::Internal {

namespace {
constexpr int ClaimRounds = 8;           // deliveries claimed per endpoint: concurrency x this
constexpr qint64 AddressCacheMs = 60000; // how long a DNS check of an endpoint holds
constexpr qint64 MaxPauseMs = 3600000;
// Attempts are recorded in one transaction per flush: every commit writes the pages it touched
// (the delivery rows, their two indexes, the history) to the WAL again, so fewer and larger ones
// cost the log thread less. A recorded attempt only matters to the outbox's readers (the page, a
// retry's claim, which flushes first); a claim's lease keeps a delivery from being sent twice.
constexpr int FlushDelayMs = 50;
constexpr int FlushBatch = 500;
constexpr int PollIntervalMs = 5000;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The record of the attempt just made for a delivery.
Outbox::Attempt attemptOf(const Outbox::Delivery &delivery, Outbox::Outcome outcome, int status,
                          int durationMs, const QString &error, const QString &response)
{
    Outbox::Attempt attempt;
    attempt.deliveryId = delivery.id;
    attempt.attempt = delivery.attempts + 1;
    attempt.outcome = outcome;
    attempt.timeMs = now();
    attempt.status = status;
    attempt.durationMs = durationMs;
    attempt.error = error;
    attempt.response = response;
    return attempt;
}

} // namespace

struct WebhookDispatcher::Endpoint
{
    WebhookEndpoint config;
    // Configured and enabled now. An endpoint deleted or disabled at run time stays here
    // inactive: replies in flight still refer to it. Read by metrics() from other threads.
    std::atomic<bool> active{true};
    QList<Outbox::Delivery> queue; // claimed, waiting for a free slot
    QSet<qint64> held; // queued or in flight: a re-claim after a lease ran out is skipped
    int inFlight = 0;
    bool claiming = false;
    bool exhausted = false;                  // the last claim found less than it asked for
    bool wokenWhileClaiming = false;         // new deliveries may have come after the claim looked
    std::atomic<int> consecutiveFailures{0}; // this and the next three read by health()
    int trips = 0;
    std::atomic<qint64> pausedUntilMs{0}; // read by metrics() from other threads
    std::atomic<bool> probing{false};     // after a pause: one request at a time until one succeeds
    std::atomic<qint64> lastSuccessMs{0};
    std::atomic<qint64> lastFailureMs{0};
    std::atomic<bool> disabled{false};
    qint64 addressCheckedMs = -1;
    bool resolving = false;
    QString addressError; // why the address is refused; empty when allowed
    QTimer *timer = nullptr;
    qint64 timerAtMs = 0;
    bool claimErrorReported = false;
};

struct RuntimeEndpoints
{
    qint64 revision = -1;
    bool changed = false;
    QList<WebhookEndpoint> endpoints;
    QString error;
};

namespace {
// The endpoints made at run time, read when their revision moved on from `known`.
RuntimeEndpoints readRuntimeEndpoints(LogDatabase *database, qint64 known)
{
    RuntimeEndpoints result;
    WebhookEndpointStore(database->database())
            .endpointsIfChanged(known, &result.revision, &result.changed, &result.endpoints,
                                &result.error);
    return result;
}
} // namespace

struct ClaimResult
{
    QList<Outbox::Delivery> deliveries;
    // Read with the claim: its deliveries go out with the endpoint as it is now, not as the
    // dispatcher last polled it (a secret rotated just before the event was stored signs it).
    RuntimeEndpoints endpoints;
    qint64 nextDueMs = -1;
    QString error;
};

WebhookDispatcher::WebhookDispatcher(const WebhookSettings &settings, EventLog *log,
                                     const QString &claimant, QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_log(log),
      m_claimant(claimant),
      m_network(new QNetworkAccessManager(this)),
      m_flushTimer(new QTimer(this)),
      m_pollTimer(new QTimer(this))
{
    // New events wake the dispatcher at once; this catches the rest: deliveries made pending
    // again by "pyrite-host redeliver", those other instances queued in a shared database, and
    // endpoints another process made, changed or deleted.
    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        refreshEndpoints();
        wake();
    });
    qRegisterMetaType<Outbox::Outcome>();
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { flushResults(); });
    applyEndpoints(settings.endpoints);
}

void WebhookDispatcher::applyEndpoints(const QList<WebhookEndpoint> &configs)
{
    // Only this thread changes the list; the lock is for metrics() in others.
    const QMutexLocker locker(&m_endpointsMutex);
    QHash<QString, const WebhookEndpoint *> wanted;
    for (const WebhookEndpoint &config : configs) {
        if (config.enabled)
            wanted.insert(config.id, &config);
    }
    for (auto &endpoint : m_endpoints) {
        const WebhookEndpoint *config = wanted.take(endpoint->config.id);
        if (!config) {
            if (endpoint->active)
                qCInfo(lcWebhooks).noquote()
                        << "webhook endpoint" << endpoint->config.id << "is no longer sent to";
            endpoint->active = false;
            endpoint->timer->stop();
            endpoint->timerAtMs = 0;
            endpoint->queue.clear();
            endpoint->held.clear();
            continue;
        }
        const bool addressChanged = config->url != endpoint->config.url ||
                config->allowPrivate != endpoint->config.allowPrivate;
        endpoint->config = *config;
        endpoint->active = true;
        endpoint->disabled = false; // a 410 Gone holds until the endpoint is changed
        if (addressChanged)
            endpoint->addressCheckedMs = -1;
    }
    // New ones, in the order given.
    for (const WebhookEndpoint &config : configs) {
        if (!wanted.contains(config.id))
            continue;
        auto endpoint = std::make_unique<Endpoint>();
        endpoint->config = config;
        endpoint->timer = new QTimer(this);
        endpoint->timer->setSingleShot(true);
        Endpoint *raw = endpoint.get();
        connect(endpoint->timer, &QTimer::timeout, this, [this, raw] {
            raw->timerAtMs = 0;
            raw->exhausted = false;
            pump(raw);
        });
        m_endpoints.push_back(std::move(endpoint));
    }
}

void WebhookDispatcher::refreshEndpoints()
{
    if (!m_running)
        return;
    if (m_refreshing) {
        m_refreshAgain = true; // the read under way may have missed the change asked about
        return;
    }
    m_refreshing = true;
    const qint64 known = m_runtimeRevision;
    m_log->runAsync<RuntimeEndpoints>(
            this,
            [known](LogDatabase *database) {
                if (!database) {
                    RuntimeEndpoints result;
                    result.error = WebhooksTr::tr("the event log is not available");
                    return result;
                }
                return readRuntimeEndpoints(database, known);
            },
            [this](const RuntimeEndpoints &result) {
                m_refreshing = false;
                if (!m_running)
                    return;
                if (std::exchange(m_refreshAgain, false))
                    QMetaObject::invokeMethod(this, &WebhookDispatcher::refreshEndpoints,
                                              Qt::QueuedConnection);
                if (adoptEndpoints(result))
                    wake();
            });
}

bool WebhookDispatcher::adoptEndpoints(const RuntimeEndpoints &result)
{
    if (!result.error.isEmpty()) {
        qCWarning(lcWebhooks).noquote()
                << "webhooks: cannot read the endpoints made at run time:" << result.error;
        return false;
    }
    // A claim's read and a poll's may come back in either order: only a newer revision counts.
    if (!result.changed || result.revision <= m_runtimeRevision)
        return false;
    m_runtimeRevision = result.revision;
    applyEndpoints(m_settings.endpoints + result.endpoints);
    return true;
}

WebhookDispatcher::~WebhookDispatcher()
{
    stop();
}

void WebhookDispatcher::start()
{
    if (m_running)
        return;
    m_running = true;
    m_pollTimer->start(PollIntervalMs);
    // What this instance had claimed when it stopped (or was killed) is due again now.
    const QString claimant = m_claimant;
    m_log->runAsync<QString>(
            this,
            [claimant](LogDatabase *database) {
                if (!database)
                    return WebhooksTr::tr("the event log is not available");
                int released = 0;
                QString error;
                Outbox outbox(database->database(), database->isPostgres());
                if (!outbox.releaseClaims(claimant, now(), &released, &error))
                    return error;
                if (released > 0)
                    qCInfo(lcWebhooks)
                            << "took back" << released << "deliveries claimed before a restart";
                return QString();
            },
            [this](const QString &error) {
                if (!error.isEmpty())
                    qCWarning(lcWebhooks).noquote() << error;
                refreshEndpoints();
                wake();
            });
}

void WebhookDispatcher::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer->stop();
    flushResults(true);
    // Aborting reports each reply as finished; those attempts are not recorded (m_running is
    // false), so their deliveries are sent again after a restart: at least once.
    const QList<QNetworkReply *> replies = m_network->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies)
        reply->abort();
    for (auto &endpoint : m_endpoints) {
        endpoint->timer->stop();
        endpoint->queue.clear();
        endpoint->held.clear();
    }
}

WebhookDispatcher::Metrics WebhookDispatcher::metrics() const
{
    Metrics metrics;
    metrics.attempts = m_counters.attempts;
    metrics.delivered = m_counters.delivered;
    metrics.failed = m_counters.failed;
    metrics.dead = m_counters.dead;
    metrics.inFlight = m_counters.inFlight;
    const qint64 current = now();
    const QMutexLocker locker(&m_endpointsMutex);
    for (const auto &endpoint : m_endpoints) {
        if (!endpoint->active)
            continue;
        if (endpoint->disabled)
            ++metrics.disabledEndpoints;
        else if (endpoint->pausedUntilMs > current)
            ++metrics.pausedEndpoints;
    }
    return metrics;
}

QHash<QString, WebhookDispatcher::EndpointHealth> WebhookDispatcher::health() const
{
    QHash<QString, EndpointHealth> health;
    const qint64 current = now();
    const QMutexLocker locker(&m_endpointsMutex);
    for (const auto &endpoint : m_endpoints) {
        EndpointHealth &entry = health[endpoint->config.id];
        const qint64 pausedUntil = endpoint->pausedUntilMs;
        entry.state = !endpoint->active ? QStringLiteral("off")
                : endpoint->disabled    ? QStringLiteral("gone")
                : pausedUntil > current ? QStringLiteral("paused")
                : endpoint->probing     ? QStringLiteral("probing")
                                        : QStringLiteral("ok");
        entry.pausedUntilMs = pausedUntil > current ? pausedUntil : 0;
        entry.consecutiveFailures = endpoint->consecutiveFailures;
        entry.lastSuccessMs = endpoint->lastSuccessMs;
        entry.lastFailureMs = endpoint->lastFailureMs;
    }
    return health;
}

qint64 WebhookDispatcher::scheduledDelayMs(int attempt) const
{
    const QList<qint64> &schedule = m_settings.retryScheduleMs;
    if (schedule.isEmpty())
        return 0;
    return schedule.at(std::clamp<qsizetype>(attempt - 1, 0, schedule.size() - 1));
}

qint64 WebhookDispatcher::delayWithJitter(int attempt) const
{
    const double factor =
            1.0 + m_settings.jitter * (QRandomGenerator::global()->generateDouble() * 2.0 - 1.0);
    return std::max<qint64>(0, qint64(double(scheduledDelayMs(attempt)) * factor));
}

void WebhookDispatcher::wake()
{
    for (auto &endpoint : m_endpoints) {
        endpoint->exhausted = false;
        if (endpoint->claiming)
            endpoint->wokenWhileClaiming = true;
        pump(endpoint.get());
    }
}

void WebhookDispatcher::scheduleAt(Endpoint *endpoint, qint64 atMs)
{
    if (endpoint->timerAtMs > 0 && endpoint->timerAtMs <= atMs)
        return; // an earlier wake-up is planned already
    endpoint->timerAtMs = atMs;
    endpoint->timer->start(int(std::clamp(atMs - now(), qint64(0), qint64(INT_MAX))));
}

void WebhookDispatcher::pump(Endpoint *endpoint)
{
    if (!m_running || !endpoint->active || endpoint->disabled)
        return;
    const qint64 current = now();
    if (endpoint->pausedUntilMs > current) {
        scheduleAt(endpoint, endpoint->pausedUntilMs);
        return;
    }
    if (endpoint->pausedUntilMs > 0) {
        endpoint->pausedUntilMs = 0;
        endpoint->probing = true;
        qCInfo(lcWebhooks).noquote() << "probing paused endpoint" << endpoint->config.id;
    }
    if (endpoint->addressCheckedMs < 0 || current - endpoint->addressCheckedMs > AddressCacheMs) {
        checkAddress(endpoint);
        if (endpoint->resolving)
            return; // pumped again when the lookup is done
    }
    const int capacity = endpoint->probing ? 1 : m_settings.concurrencyPerEndpoint;
    // A failure in send() may pause or disable the endpoint on the way.
    const auto open = [endpoint] {
        return !endpoint->disabled && endpoint->pausedUntilMs == 0;
    };
    while (endpoint->inFlight < capacity && !endpoint->queue.isEmpty() && open())
        send(endpoint, endpoint->queue.takeFirst());
    if (!open()) {
        if (endpoint->pausedUntilMs > 0)
            scheduleAt(endpoint, endpoint->pausedUntilMs);
        return;
    }
    if (endpoint->queue.size() < capacity && !endpoint->claiming && !endpoint->exhausted)
        claimMore(endpoint);
}

void WebhookDispatcher::claimMore(Endpoint *endpoint)
{
    // Recorded retries first (the log thread runs jobs in order): a retry due soon must be in the
    // outbox before the claim looks for it. Delivered and dead attempts wait for their flush.
    if (std::any_of(m_results.cbegin(), m_results.cend(), [](const Outbox::Attempt &attempt) {
            return attempt.outcome == Outbox::Outcome::Retry;
        }))
        flushResults();
    endpoint->claiming = true;
    const int batch = m_settings.concurrencyPerEndpoint * ClaimRounds;
    // Long enough for the batch to wait its turn and be sent: a lease that runs out early only
    // costs a skipped re-claim (held), one that never runs out would strand a delivery.
    const qint64 lease = qint64(endpoint->config.timeoutMs) * (ClaimRounds + 1) + 10000;
    const QString id = endpoint->config.id;
    const QString claimant = m_claimant;
    const qint64 known = m_runtimeRevision;
    m_log->runAsync<ClaimResult>(
            this,
            [id, claimant, batch, lease, known](LogDatabase *database) {
                ClaimResult result;
                if (!database) {
                    result.error = WebhooksTr::tr("the event log is not available");
                    return result;
                }
                Outbox outbox(database->database(), database->isPostgres());
                const qint64 current = now();
                if (!outbox.claim(id, claimant, batch, current, lease, &result.deliveries,
                                  &result.error))
                    return result;
                result.endpoints = readRuntimeEndpoints(database, known);
                // Only when nothing is due: then the soonest retry sets the timer. (With some
                // found, the endpoint claims again as they finish.)
                if (result.deliveries.isEmpty())
                    outbox.nextDue(id, &result.nextDueMs, &result.error);
                return result;
            },
            [this, endpoint, batch](const ClaimResult &result) {
                endpoint->claiming = false;
                if (!m_running)
                    return;
                if (!result.error.isEmpty()) {
                    if (!endpoint->claimErrorReported)
                        qCWarning(lcWebhooks).noquote()
                                << "webhooks: cannot read the outbox:" << result.error
                                << "; trying again every second";
                    endpoint->claimErrorReported = true;
                    scheduleAt(endpoint, now() + 1000);
                    return;
                }
                if (endpoint->claimErrorReported)
                    qCInfo(lcWebhooks) << "webhooks: the outbox can be read again";
                endpoint->claimErrorReported = false;
                // Deleted or disabled meanwhile: its claimed deliveries come back when their
                // lease runs out (or are removed with the endpoint).
                if (adoptEndpoints(result.endpoints) && !endpoint->active)
                    return;
                for (const Outbox::Delivery &delivery : result.deliveries) {
                    if (!endpoint->held.contains(delivery.id)) {
                        endpoint->held.insert(delivery.id);
                        endpoint->queue.append(delivery);
                    }
                }
                endpoint->exhausted =
                        result.deliveries.size() < batch && !endpoint->wokenWhileClaiming;
                endpoint->wokenWhileClaiming = false;
                if (result.nextDueMs > 0)
                    scheduleAt(endpoint, result.nextDueMs);
                pump(endpoint);
            });
}

void WebhookDispatcher::checkAddress(Endpoint *endpoint)
{
    endpoint->addressCheckedMs = now();
    endpoint->addressError.clear();
    if (endpoint->config.allowPrivate)
        return;
    const QString host = endpoint->config.url.host();
    const auto judge = [endpoint, host](const QList<QHostAddress> &addresses) {
        for (const QHostAddress &address : addresses) {
            if (!WebhookAddressPolicy::isPublic(address)) {
                endpoint->addressError = WebhookAddressPolicy::refusal(host, address);
                return;
            }
        }
    };
    QHostAddress literal;
    if (literal.setAddress(host)) {
        judge({literal});
        return;
    }
    endpoint->resolving = true;
    QHostInfo::lookupHost(host, this, [this, endpoint, host, judge](const QHostInfo &info) {
        endpoint->resolving = false;
        if (info.error() != QHostInfo::NoError)
            endpoint->addressError = WebhookAddressPolicy::unresolvable(host, info.errorString());
        else
            judge(info.addresses());
        pump(endpoint);
    });
}

void WebhookDispatcher::send(Endpoint *endpoint, const Outbox::Delivery &delivery)
{
    if (!endpoint->addressError.isEmpty()) {
        // Not sent at all: counts as a failed attempt, so it backs off and dead-letters.
        fail(endpoint, delivery, 0, 0, endpoint->addressError, QString(), -1);
        return;
    }
    ++endpoint->inFlight;
    ++m_counters.inFlight;
    Event event;
    if (endpoint->config.format == WebhookEndpoint::Format::Slack) {
        QString error;
        event = Event::fromJsonObject(QJsonDocument::fromJson(delivery.payload).object(), &error);
    }
    const WebhookPayload payload = WebhookPayload::build(endpoint->config.format, event,
                                                         delivery.payload, m_settings.baseUrl);
    const QNetworkRequest request = WebhookRequest::build(
            endpoint->config, delivery.eventId.toLatin1(), now() / 1000, payload);
    WebhookAttempt::post(m_network, request, payload.body, endpoint->config.timeoutMs,
                         m_settings.maxResponseBytes, this,
                         [this, endpoint, delivery](const WebhookAttempt::Result &result) {
                             --endpoint->inFlight;
                             --m_counters.inFlight;
                             if (!m_running)
                                 return;
                             finish(endpoint, delivery, result);
                             pump(endpoint);
                         });
}

void WebhookDispatcher::finish(Endpoint *endpoint, const Outbox::Delivery &delivery,
                               const WebhookAttempt::Result &result)
{
    const int status = result.status;
    const int duration = result.durationMs;
    const QString response = QString::fromUtf8(result.excerpt);
    if (WebhookResponse::isDelivered(status)) {
        // Delivered, even if an oversized body was abandoned: the receiver said yes.
        if (endpoint->probing)
            qCInfo(lcWebhooks).noquote() << "endpoint" << endpoint->config.id << "recovered";
        endpoint->consecutiveFailures = 0;
        endpoint->trips = 0;
        endpoint->probing = false;
        complete(endpoint,
                 attemptOf(delivery, Outbox::Outcome::Delivered, status, duration, result.abandoned,
                           response));
        return;
    }
    const QString &error = result.error;
    if (WebhookResponse::disablesEndpoint(status)) {
        // The receiver says it is gone for good: stop sending to it until the host restarts.
        endpoint->disabled = true;
        const QString reason =
                WebhooksTr::tr("the endpoint answered 410 Gone; it is disabled until the host "
                               "restarts with it configured");
        qCWarning(lcWebhooks).noquote()
                << "webhook endpoint" << endpoint->config.id << ":" << reason;
        Q_EMIT endpointDisabled(endpoint->config.id, reason);
        for (const Outbox::Delivery &queued : std::as_const(endpoint->queue))
            endpoint->held.remove(queued.id);
        endpoint->queue.clear();
        complete(endpoint,
                 attemptOf(delivery, Outbox::Outcome::Dead, status, duration, reason, response));
        return;
    }
    const qint64 retryAfter = WebhookResponse::honoursRetryAfter(status)
            ? WebhookResponse::retryAfterMs(result.header("retry-after"), now())
            : -1;
    fail(endpoint, delivery, status, duration, error, response, retryAfter);
}

void WebhookDispatcher::fail(Endpoint *endpoint, const Outbox::Delivery &delivery, int status,
                             int durationMs, const QString &error, const QString &response,
                             qint64 retryAfter)
{
    Outbox::Attempt attempt =
            attemptOf(delivery, Outbox::Outcome::Dead, status, durationMs, error, response);
    if (attempt.attempt < endpoint->config.maxAttempts) {
        attempt.outcome = Outbox::Outcome::Retry;
        attempt.nextAtMs =
                attempt.timeMs + (retryAfter >= 0 ? retryAfter : delayWithJitter(attempt.attempt));
    }
    // The circuit breaker: enough failures in a row (or a failed probe) pause the endpoint, longer
    // each time, so a dead receiver costs one probe per pause and never holds up the others.
    // Requests that were already in flight when it paused do not count again.
    const bool paused = endpoint->pausedUntilMs > now();
    if (!paused)
        ++endpoint->consecutiveFailures;
    if (!paused &&
        (endpoint->probing || endpoint->consecutiveFailures >= m_settings.breakerFailures)) {
        ++endpoint->trips;
        const qint64 pause = std::min(
                m_settings.breakerPauseMs << std::min(endpoint->trips - 1, 20), MaxPauseMs);
        endpoint->pausedUntilMs = now() + pause;
        endpoint->probing = false;
        endpoint->consecutiveFailures = 0;
        qCWarning(lcWebhooks).noquote() << "webhook endpoint" << endpoint->config.id << "failed"
                                        << error + u';' << "pausing it for" << pause << "ms";
        Q_EMIT endpointPaused(endpoint->config.id, pause);
    }
    complete(endpoint, attempt);
}

void WebhookDispatcher::complete(Endpoint *endpoint, const Outbox::Attempt &attempt)
{
    endpoint->held.remove(attempt.deliveryId);
    ++m_counters.attempts;
    switch (attempt.outcome) {
    case Outbox::Outcome::Delivered:
        ++m_counters.delivered;
        endpoint->lastSuccessMs = attempt.timeMs;
        break;
    case Outbox::Outcome::Dead:
        ++m_counters.failed;
        ++m_counters.dead;
        endpoint->lastFailureMs = attempt.timeMs;
        qCWarning(lcWebhooks).noquote()
                << "webhook delivery" << attempt.deliveryId << "to" << endpoint->config.id
                << "is dead after" << attempt.attempt << "attempts:" << attempt.error;
        break;
    case Outbox::Outcome::Retry:
        ++m_counters.failed;
        endpoint->lastFailureMs = attempt.timeMs;
        scheduleAt(endpoint, attempt.nextAtMs);
        break;
    }
    m_results.append(attempt);
    Q_EMIT attemptRecorded(endpoint->config.id, attempt.deliveryId, attempt.attempt, attempt.status,
                           attempt.outcome);
    if (m_results.size() >= FlushBatch)
        flushResults();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start(FlushDelayMs);
}

void WebhookDispatcher::flushResults(bool blocking)
{
    m_flushTimer->stop();
    if (m_results.isEmpty() && !blocking)
        return;
    const QList<Outbox::Attempt> results = std::exchange(m_results, {});
    if (blocking) {
        // Also the barrier stop() needs: every job posted before has run and answered.
        m_log->postBlocking([&results](LogDatabase *database) {
            if (results.isEmpty())
                return;
            QString error = WebhooksTr::tr("the event log is not available");
            if (database &&
                Outbox(database->database(), database->isPostgres()).record(results, &error))
                return;
            qCWarning(lcWebhooks).noquote()
                    << "webhooks: could not record" << results.size() << "attempts:" << error;
        });
        return;
    }
    m_log->runAsync<QString>(
            this,
            [results](LogDatabase *database) {
                if (!database)
                    return WebhooksTr::tr("the event log is not available");
                QString error;
                Outbox outbox(database->database(), database->isPostgres());
                outbox.record(results, &error);
                return error;
            },
            [count = results.size()](const QString &error) {
                // The deliveries stay claimed until their lease runs out, then go again: at least
                // once, never lost.
                if (!error.isEmpty())
                    qCWarning(lcWebhooks).noquote()
                            << "webhooks: could not record" << count << "attempts:" << error
                            << "; those deliveries will be sent again";
            });
}

} // namespace Pyrite::Internal
