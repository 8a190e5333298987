#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>

namespace Pyrite {

// Reads typed values out of a config map and reports every problem with the file, line and
// full key ("pyrite.yaml:12: plugins[0].settings.instance: expected a string"). Readers made
// with section() share one list of errors and warnings, so a whole file is checked in one go.
class ConfigReader
{
public:
    ConfigReader(const QVariantMap &values, const QString &fileName,
                 const QHash<QString, int> &lines, const QString &basePath = QString());

    ConfigReader section(const QString &key);
    // The map at key[index] of a list, sharing this reader's errors (check the item's type first).
    ConfigReader listItem(const QString &key, int index);
    bool contains(const QString &key) const { return m_values.contains(key); }
    QVariantMap values() const { return m_values; }
    QString path(const QString &key = QString()) const;
    QString fileName() const { return m_fileName; }

    QString string(const QString &key, const QString &defaultValue = QString());
    QString requiredString(const QString &key);
    bool boolean(const QString &key, bool defaultValue);
    qint64 integer(const QString &key, qint64 defaultValue, qint64 minimum, qint64 maximum);
    QStringList stringList(const QString &key, const QStringList &defaultValue = QStringList());
    QVariantList list(const QString &key);
    // One of the given words; anything else is an error that lists them.
    QString choice(const QString &key, const QStringList &choices, const QString &defaultValue);

    // Unknown keys are warnings, not errors: a newer config should still load.
    void checkKnownKeys(const QStringList &known);

    void addError(const QString &key, const QString &message);
    void addWarning(const QString &key, const QString &message);

    // Commands that only read (events, deliveries, plugins) send and sign nothing: a secret or
    // token from an unset environment variable is then left out, not an error. Shared with
    // section() readers.
    void setSecretsOptional(bool optional) { m_diagnostics->secretsOptional = optional; }
    bool secretsOptional() const { return m_diagnostics->secretsOptional; }
    // "env:NAME" read from the environment into *value (anything else is *value as it is).
    // False when the variable is unset or empty: an error at key, unless secrets are optional.
    bool secretValue(const QString &key, const QString &configured, QString *value);
    QString location(const QString &key) const;

    bool hasErrors() const { return !m_diagnostics->errors.isEmpty(); }
    QStringList errors() const { return m_diagnostics->errors; }
    QStringList warnings() const { return m_diagnostics->warnings; }

    static QString typeName(const QVariant &value);
    // "90", "90s", "15m", "12h", "30d" -> seconds; -1 when it is none of these.
    static qint64 parseDurationSeconds(const QString &text);
    // "250ms", "5s", "5m", "2h", "1d" (a bare number is seconds) -> milliseconds; -1 when it is
    // none of these.
    static qint64 parseDurationMs(const QString &text);

private:
    struct Diagnostics
    {
        QStringList errors;
        QStringList warnings;
        bool secretsOptional = false;
    };

    ConfigReader(const QVariantMap &values, const QString &fileName,
                 const QHash<QString, int> &lines, const QString &basePath,
                 std::shared_ptr<Diagnostics> diagnostics);

    QVariantMap m_values;
    QString m_fileName;
    QHash<QString, int> m_lines;
    QString m_basePath;
    std::shared_ptr<Diagnostics> m_diagnostics;
};

} // namespace Pyrite
