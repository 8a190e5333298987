#include "webhookresponse.h"

#include <QDateTime>
#include <QString>

#include <algorithm>

namespace Pyrite::Internal {

qint64 WebhookResponse::retryAfterMs(const QByteArray &value, qint64 nowMs)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = text.toLongLong(&ok);
    if (ok) {
        if (seconds < 0)
            return -1;
        // Compared before multiplying: a huge value must not overflow.
        return seconds >= MaxRetryAfterMs / 1000 ? MaxRetryAfterMs : seconds * 1000;
    }
    // An HTTP date (RFC 9110 IMF-fixdate) ends in "GMT", which Qt 6.4's RFC 2822 parser refuses.
    QString date822 = QString::fromLatin1(text);
    if (date822.endsWith(QLatin1String(" GMT")))
        date822 = date822.chopped(4) + QLatin1String(" +0000");
    const QDateTime date = QDateTime::fromString(date822, Qt::RFC2822Date);
    if (!date.isValid())
        return -1;
    const qint64 at = date.toMSecsSinceEpoch();
    if (at <= nowMs)
        return 0;
    return at - nowMs >= MaxRetryAfterMs ? MaxRetryAfterMs : at - nowMs;
}

} // namespace Pyrite::Internal
