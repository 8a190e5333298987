#include "webhookendpointstore.h"

#include "webhookendpointreader.h"
#include "webhooksigner.h"
#include "webhookstr.h"

#include "configreader.h"
#include "logging.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

namespace Pyrite::Internal {

namespace {
constexpr char Columns[] = "id, definition, secret, previous_secret, previous_until_ms, "
                           "created_ms, updated_ms";

WebhookEndpointStore::Row rowOf(const QSqlQuery &query)
{
    WebhookEndpointStore::Row row;
    row.id = query.value(0).toString();
    row.definition = QJsonDocument::fromJson(query.value(1).toString().toUtf8()).object();
    row.secret = query.value(2).toString();
    row.previousSecret = query.value(3).toString();
    row.previousUntilMs = query.value(4).toLongLong();
    row.createdMs = query.value(5).toLongLong();
    row.updatedMs = query.value(6).toLongLong();
    return row;
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}
} // namespace

WebhookEndpointStore::WebhookEndpointStore(QSqlDatabase database)
    : m_db(std::move(database))
{ }

QString WebhookEndpointStore::failure(const QString &what, const QSqlQuery &query) const
{
    return WebhooksTr::tr("webhook endpoints: %1: %2").arg(what, query.lastError().text());
}

bool WebhookEndpointStore::revision(qint64 *revision, QString *errorString)
{
    QSqlQuery query(m_db);
    if (!query.exec(
                QStringLiteral("SELECT revision FROM webhook_endpoint_revision WHERE id = 1")) ||
        !query.next()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot read the revision"), query);
        return false;
    }
    *revision = query.value(0).toLongLong();
    return true;
}

bool WebhookEndpointStore::list(QList<Row> *rows, QString *errorString)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT %1 FROM webhook_endpoints ORDER BY created_ms, id")
                            .arg(QLatin1String(Columns)))) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot read them"), query);
        return false;
    }
    while (query.next())
        rows->append(rowOf(query));
    return true;
}

bool WebhookEndpointStore::endpointsIfChanged(qint64 known, qint64 *revision, bool *changed,
                                              QList<WebhookEndpoint> *endpoints,
                                              QString *errorString)
{
    *changed = false;
    QList<Row> rows;
    if (!this->revision(revision, errorString))
        return false;
    if (*revision == known)
        return true;
    if (!list(&rows, errorString))
        return false;
    *changed = true;
    for (const Row &row : std::as_const(rows)) {
        QString error;
        if (const std::optional<WebhookEndpoint> stored = endpoint(row, &error))
            endpoints->append(*stored);
        else
            qCWarning(lcWebhooks).noquote() << error << "; it is left out";
    }
    return true;
}

WebhookEndpointStore::Status WebhookEndpointStore::find(const QString &id, Row *row,
                                                        QString *errorString)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT %1 FROM webhook_endpoints WHERE id = ?")
                          .arg(QLatin1String(Columns)));
    query.addBindValue(id);
    if (!query.exec()) {
        if (errorString)
            *errorString = failure(WebhooksTr::tr("cannot read endpoint %1").arg(id), query);
        return Status::Failed;
    }
    if (!query.next())
        return Status::NotFound;
    if (row)
        *row = rowOf(query);
    return Status::Ok;
}

WebhookEndpointStore::Status
WebhookEndpointStore::change(const std::function<Status(QString *errorString)> &steps,
                             QString *errorString)
{
    if (!m_db.transaction()) {
        if (errorString)
            *errorString = WebhooksTr::tr("webhook endpoints: cannot begin a transaction: %1")
                                   .arg(m_db.lastError().text());
        return Status::Failed;
    }
    Status status = steps(errorString);
    if (status == Status::Ok) {
        QSqlQuery bump(m_db);
        if (!bump.exec(QStringLiteral("UPDATE webhook_endpoint_revision SET revision = revision "
                                      "+ 1 WHERE id = 1"))) {
            if (errorString)
                *errorString = failure(WebhooksTr::tr("cannot move the revision on"), bump);
            status = Status::Failed;
        }
    }
    if (status != Status::Ok) {
        m_db.rollback();
        return status;
    }
    if (!m_db.commit()) {
        if (errorString)
            *errorString = WebhooksTr::tr("webhook endpoints: cannot commit: %1")
                                   .arg(m_db.lastError().text());
        m_db.rollback();
        return Status::Failed;
    }
    return Status::Ok;
}

WebhookEndpointStore::Status WebhookEndpointStore::insert(const Row &row, QString *errorString)
{
    return change(
            [&](QString *error) {
                // Looked up first for a clear answer; the primary key still guards a race with
                // another instance.
                const Status existing = find(row.id, nullptr, error);
                if (existing != Status::NotFound)
                    return existing == Status::Ok ? Status::Exists : existing;
                QSqlQuery query(m_db);
                query.prepare(QStringLiteral("INSERT INTO webhook_endpoints (%1) VALUES (?, ?, ?, "
                                             "?, ?, ?, ?)")
                                      .arg(QLatin1String(Columns)));
                query.addBindValue(row.id);
                query.addBindValue(compact(row.definition));
                query.addBindValue(row.secret);
                // Not a null QString: that would be bound as NULL.
                query.addBindValue(row.previousSecret.isNull() ? QStringLiteral("")
                                                               : row.previousSecret);
                query.addBindValue(row.previousUntilMs);
                query.addBindValue(row.createdMs);
                query.addBindValue(row.updatedMs);
                if (!query.exec()) {
                    if (error)
                        *error = failure(WebhooksTr::tr("cannot add endpoint %1").arg(row.id),
                                         query);
                    return Status::Failed;
                }
                return Status::Ok;
            },
            errorString);
}

WebhookEndpointStore::Status WebhookEndpointStore::update(const QString &id,
                                                          const QJsonObject &definition,
                                                          qint64 nowMs, qint64 expectedUpdatedMs,
                                                          QString *errorString)
{
    return change(
            [&](QString *error) {
                QSqlQuery query(m_db);
                query.prepare(QStringLiteral("UPDATE webhook_endpoints SET definition = ?, "
                                             "updated_ms = ? WHERE id = ? AND updated_ms = ?"));
                query.addBindValue(compact(definition));
                query.addBindValue(nowMs);
                query.addBindValue(id);
                query.addBindValue(expectedUpdatedMs);
                if (!query.exec()) {
                    if (error)
                        *error =
                                failure(WebhooksTr::tr("cannot change endpoint %1").arg(id), query);
                    return Status::Failed;
                }
                return query.numRowsAffected() > 0 ? Status::Ok : Status::NotFound;
            },
            errorString);
}

WebhookEndpointStore::Status WebhookEndpointStore::rotate(const QString &id, const QString &secret,
                                                          qint64 previousUntilMs, qint64 nowMs,
                                                          QString *errorString)
{
    return change(
            [&](QString *error) {
                QSqlQuery query(m_db);
                query.prepare(QStringLiteral(
                        "UPDATE webhook_endpoints SET previous_secret = secret, previous_until_ms "
                        "= ?, secret = ?, updated_ms = ? WHERE id = ?"));
                query.addBindValue(previousUntilMs);
                query.addBindValue(secret);
                query.addBindValue(nowMs);
                query.addBindValue(id);
                if (!query.exec()) {
                    if (error)
                        *error = failure(
                                WebhooksTr::tr("cannot rotate the secret of endpoint %1").arg(id),
                                query);
                    return Status::Failed;
                }
                return query.numRowsAffected() > 0 ? Status::Ok : Status::NotFound;
            },
            errorString);
}

WebhookEndpointStore::Status WebhookEndpointStore::remove(const QString &id, int *deliveriesRemoved,
                                                          QString *errorString)
{
    return change(
            [&](QString *error) {
                QSqlQuery query(m_db);
                query.prepare(QStringLiteral("DELETE FROM webhook_endpoints WHERE id = ?"));
                query.addBindValue(id);
                if (!query.exec()) {
                    if (error)
                        *error =
                                failure(WebhooksTr::tr("cannot delete endpoint %1").arg(id), query);
                    return Status::Failed;
                }
                if (query.numRowsAffected() == 0)
                    return Status::NotFound;
                const QStringList statements{
                        QStringLiteral("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT "
                                       "id FROM webhook_deliveries WHERE endpoint = ?)"),
                        QStringLiteral("DELETE FROM webhook_deliveries WHERE endpoint = ?")};
                for (const QString &statement : statements) {
                    query.prepare(statement);
                    query.addBindValue(id);
                    if (!query.exec()) {
                        if (error)
                            *error = failure(
                                    WebhooksTr::tr("cannot delete the deliveries of endpoint %1")
                                            .arg(id),
                                    query);
                        return Status::Failed;
                    }
                }
                if (deliveriesRemoved)
                    *deliveriesRemoved = query.numRowsAffected();
                return Status::Ok;
            },
            errorString);
}

std::optional<WebhookEndpoint> WebhookEndpointStore::endpoint(const Row &row, QString *errorString)
{
    ConfigReader reader(row.definition.toVariantMap(),
                        QStringLiteral("webhook endpoint %1").arg(row.id), {});
    WebhookEndpoint endpoint =
            WebhookEndpointReader::read(reader, QString(), WebhookEndpointReader::Source::Stored);
    endpoint.id = row.id;
    const std::optional<QByteArray> secret = WebhookSigner::decodeSecret(row.secret);
    if (!secret || secret->isEmpty())
        reader.addError(QStringLiteral("secret"), WebhooksTr::tr("the stored secret is not valid"));
    else
        endpoint.secrets = {*secret};
    if (!row.previousSecret.isEmpty()) {
        endpoint.previousSecret =
                WebhookSigner::decodeSecret(row.previousSecret).value_or(QByteArray());
        endpoint.previousSecretUntilMs = row.previousUntilMs;
    }
    if (reader.hasErrors()) {
        if (errorString)
            *errorString = reader.errors().join(QStringLiteral("; "));
        return std::nullopt;
    }
    return endpoint;
}

QString WebhookEndpointStore::generateSecret()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    return QStringLiteral("whsec_") + QString::fromLatin1(key.toBase64());
}

} // namespace Pyrite::Internal
