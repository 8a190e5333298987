#include "webhookattempt.h"

#include "webhookrequest.h"
#include "webhookstr.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace Pyrite::Internal {

namespace {
struct Progress
{
    QElapsedTimer elapsed;
    WebhookAttempt::Result result;
    qint64 received = 0;
};
} // namespace

QByteArray WebhookAttempt::Result::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void WebhookAttempt::post(QNetworkAccessManager *network, QNetworkRequest request,
                          const QByteArray &body, int timeoutMs, int keepBytes, QObject *context,
                          Done done)
{
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    auto progress = std::make_shared<Progress>();
    progress->elapsed.start();
    QNetworkReply *reply = network->post(request, body);
    auto *timeout = new QTimer(reply);
    timeout->setSingleShot(true);
    QObject::connect(timeout, &QTimer::timeout, reply, [reply, progress] {
        progress->result.timedOut = true;
        reply->abort();
    });
    timeout->start(timeoutMs);
    QObject::connect(reply, &QIODevice::readyRead, reply, [reply, progress, keepBytes] {
        const QByteArray chunk = reply->readAll();
        progress->received += chunk.size();
        QByteArray &excerpt = progress->result.excerpt;
        if (excerpt.size() < keepBytes)
            excerpt += chunk.left(keepBytes - excerpt.size());
        if (progress->received > MaxBodyBytes && progress->result.abandoned.isEmpty()) {
            progress->result.abandoned =
                    WebhooksTr::tr("the response was larger than %1 bytes; the rest was not read")
                            .arg(MaxBodyBytes);
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, progress, timeoutMs, done] {
        Result &result = progress->result;
        result.durationMs = int(progress->elapsed.elapsed());
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.headers = reply->rawHeaderPairs();
        if (result.status >= 200 && result.status < 300)
            result.error.clear();
        else if (result.timedOut)
            result.error = WebhookRequest::noAnswer(timeoutMs);
        else if (result.status >= 300 && result.status < 400)
            result.error = redirectRefused(result.status, result.header("location"));
        else if (!result.abandoned.isEmpty())
            result.error = result.abandoned;
        else if (result.status > 0)
            result.error = WebhookRequest::httpStatus(result.status);
        else
            result.error = reply->errorString();
        done(result);
    });
    // Without a context the reply would outlive whoever asked; it is aborted with it.
    QObject::connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
}

QString WebhookAttempt::redirectRefused(int status, const QByteArray &location)
{
    // Where it pointed, without a query or user info that may hold a key.
    const QString target =
            QUrl::fromEncoded(location).toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    return WebhooksTr::tr("HTTP %1, a redirect to %2: webhooks follow no redirects (configure "
                          "the URL it points to)")
            .arg(status)
            .arg(target.isEmpty() ? QStringLiteral("?") : target);
}

} // namespace Pyrite::Internal
