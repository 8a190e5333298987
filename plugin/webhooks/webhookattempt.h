#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QPair>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QObject;

namespace Pyrite::Internal {

// One HTTP attempt of a webhook, a delivery's or a test's, so that both send and read alike:
// posts the request, waits timeoutMs at most for the whole answer, keeps the first keepBytes of
// its body and stops reading past MaxBodyBytes (a receiver cannot make the host buffer more).
// Redirects are never followed: a 3xx is a failed attempt that says where it pointed (followed,
// a 302 or 303 turns the POST into a GET without the event, and any redirect would carry the
// headers and the signature to another address).
class WebhookAttempt
{
public:
    static constexpr qint64 MaxBodyBytes = 1 << 20;

    struct Result
    {
        int status = 0; // 0: no answer
        int durationMs = 0;
        QByteArray excerpt; // the start of the body
        QList<QPair<QByteArray, QByteArray>> headers;
        QString error;     // empty when delivered (2xx)
        QString abandoned; // when the body was too large: said even if delivered
        bool timedOut = false;
        QByteArray header(QByteArrayView name) const;
    };
    using Done = std::function<void(const Result &result)>;

    // done runs once, in context's thread, unless context is gone by then.
    static void post(QNetworkAccessManager *network, QNetworkRequest request,
                     const QByteArray &body, int timeoutMs, int keepBytes, QObject *context,
                     Done done);

    static QString redirectRefused(int status, const QByteArray &location);
};

} // namespace Pyrite::Internal
