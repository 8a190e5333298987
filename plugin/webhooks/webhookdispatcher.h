#pragma once

#include "outbox.h"
#include "webhookattempt.h"
#include "webhooksettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

class QNetworkAccessManager;
class QTimer;

namespace Pyrite::Internal {

class EventLog;
struct RuntimeEndpoints;

// Sends what the outbox holds (docs/webhooks.md): per endpoint, claims due deliveries from the
// log thread, POSTs them with QNetworkAccessManager (keep-alive, a cap on requests in flight,
// a timeout, a cap on the response kept), signs them, and records every attempt. Failures are
// retried on the configured schedule with jitter, driven by timers; the last failure
// dead-letters. An endpoint that keeps failing is paused and probed later; 410 Gone disables it.
// Everything runs on the event loop: nothing here blocks.
class WebhookDispatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(WebhookDispatcher)

public:
    struct Metrics
    {
        quint64 attempts = 0;
        quint64 delivered = 0;
        quint64 failed = 0; // attempts that did not deliver
        quint64 dead = 0;
        int inFlight = 0;
        int pausedEndpoints = 0;
        int disabledEndpoints = 0;
    };

    // claimant: this instance's name, so that a restart takes back its own claims at once.
    WebhookDispatcher(const WebhookSettings &settings, EventLog *log, const QString &claimant,
                      QObject *parent = nullptr);
    ~WebhookDispatcher() override;

    // Lives in any thread with an event loop; start, stop and destroy it there.
    void start();
    // Stops sending; requests in flight are aborted (their deliveries stay in the outbox). Returns
    // once the log has recorded the attempts made and answered every job of this dispatcher.
    void stop();
    // Safe from any thread.
    Metrics metrics() const;
    // How each endpoint fares, as far as this dispatcher has seen since it started.
    struct EndpointHealth
    {
        QString state; // ok, paused, probing, gone (answered 410) or off (disabled, deleted)
        qint64 pausedUntilMs = 0;
        int consecutiveFailures = 0;
        qint64 lastSuccessMs = 0;
        qint64 lastFailureMs = 0;
    };
    // By endpoint id; safe from any thread.
    QHash<QString, EndpointHealth> health() const;
    // The delay before attempt number `attempt` + 1, without jitter (for docs and tests).
    qint64 scheduledDelayMs(int attempt) const;

public Q_SLOTS:
    // New deliveries may be due (events were stored).
    void wake();
    // Endpoints made, changed or deleted at run time (by any process) take effect.
    void refreshEndpoints();

Q_SIGNALS:
    void attemptRecorded(const QString &endpoint, qint64 deliveryId, int attempt, int status,
                         Pyrite::Internal::Outbox::Outcome outcome);
    void endpointPaused(const QString &endpoint, qint64 pauseMs);
    void endpointDisabled(const QString &endpoint, const QString &reason);

private:
    struct Endpoint;
    struct Result;

    // The endpoints to send to from now on, configured and runtime ones.
    void applyEndpoints(const QList<WebhookEndpoint> &configs);
    // Applies the endpoints made at run time when they are newer than those applied; true then.
    bool adoptEndpoints(const RuntimeEndpoints &result);
    void pump(Endpoint *endpoint);
    void claimMore(Endpoint *endpoint);
    void checkAddress(Endpoint *endpoint);
    void send(Endpoint *endpoint, const Outbox::Delivery &delivery);
    void finish(Endpoint *endpoint, const Outbox::Delivery &delivery,
                const WebhookAttempt::Result &result);
    void fail(Endpoint *endpoint, const Outbox::Delivery &delivery, int status, int durationMs,
              const QString &error, const QString &response, qint64 retryAfterMs);
    void complete(Endpoint *endpoint, const Outbox::Attempt &attempt);
    // Hands the recorded attempts to the log thread; blocking waits until they are written (stop).
    void flushResults(bool blocking = false);
    void scheduleAt(Endpoint *endpoint, qint64 atMs);
    qint64 delayWithJitter(int attempt) const;

    WebhookSettings m_settings;
    EventLog *m_log;
    QString m_claimant;
    QNetworkAccessManager *m_network;
    std::vector<std::unique_ptr<Endpoint>> m_endpoints;
    mutable QMutex m_endpointsMutex; // changes to m_endpoints, against metrics() elsewhere
    QList<Outbox::Attempt> m_results;
    QTimer *m_flushTimer;
    QTimer *m_pollTimer;
    bool m_running = false;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    qint64 m_runtimeRevision = -1;
    // Read by metrics() from other threads (the dispatcher may run in a thread of its own).
    struct Counters
    {
        std::atomic<quint64> attempts{0};
        std::atomic<quint64> delivered{0};
        std::atomic<quint64> failed{0};
        std::atomic<quint64> dead{0};
        std::atomic<int> inFlight{0};
    } m_counters;
};

} // namespace Pyrite::Internal

Q_DECLARE_METATYPE(Pyrite::Internal::Outbox::Outcome)
