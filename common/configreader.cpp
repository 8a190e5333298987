#include "configreader.h"

#include "commontr.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace Pyrite {

ConfigReader::ConfigReader(const QVariantMap &values, const QString &fileName,
                           const QHash<QString, int> &lines, const QString &basePath)
    : ConfigReader(values, fileName, lines, basePath, std::make_shared<Diagnostics>())
{ }

ConfigReader::ConfigReader(const QVariantMap &values, const QString &fileName,
                           const QHash<QString, int> &lines, const QString &basePath,
                           std::shared_ptr<Diagnostics> diagnostics)
    : m_values(values),
      m_fileName(fileName),
      m_lines(lines),
      m_basePath(basePath),
      m_diagnostics(std::move(diagnostics))
{ }

QString ConfigReader::path(const QString &key) const
{
    if (key.isEmpty())
        return m_basePath;
    if (m_basePath.isEmpty())
        return key;
    return key.startsWith(u'[') ? QString(m_basePath + key) : QString(m_basePath + u'.' + key);
}

QString ConfigReader::location(const QString &key) const
{
    const QString fullPath = path(key);
    int line = m_lines.value(fullPath);
    // A missing key has no line of its own: point at the section that lacks it.
    for (QString parent = m_basePath; line == 0 && !parent.isEmpty();) {
        line = m_lines.value(parent);
        const int cut = std::max(parent.lastIndexOf(u'.'), parent.lastIndexOf(u'['));
        parent = cut > 0 ? parent.left(cut) : QString();
    }
    const QString where =
            line > 0 ? QString(m_fileName + u':' + QString::number(line)) : m_fileName;
    return fullPath.isEmpty() ? where : QString(where + u": " + fullPath);
}

// One diagnostic, one line: a quoted value may hold line breaks (a multi-line YAML scalar), which
// would otherwise split the message and lose its file:line prefix on the rest.
static QString oneLine(QString message)
{
    message.replace(u'\r', QStringLiteral("\\r"));
    message.replace(u'\n', QStringLiteral("\\n"));
    return message;
}

void ConfigReader::addError(const QString &key, const QString &message)
{
    m_diagnostics->errors.append(location(key) + u": " + oneLine(message));
}

void ConfigReader::addWarning(const QString &key, const QString &message)
{
    m_diagnostics->warnings.append(location(key) + u": " + oneLine(message));
}

QString ConfigReader::typeName(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QVariantMap:
        return CommonTr::tr("a map");
    case QMetaType::QVariantList:
        return CommonTr::tr("a list");
    case QMetaType::Bool:
        return CommonTr::tr("a boolean");
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return CommonTr::tr("a whole number");
    case QMetaType::Double:
        return CommonTr::tr("a decimal number");
    case QMetaType::QString:
        return CommonTr::tr("a string");
    default:
        return value.isValid() ? CommonTr::tr("a value of another kind") : CommonTr::tr("nothing");
    }
}

bool ConfigReader::secretValue(const QString &key, const QString &configured, QString *value)
{
    if (!configured.startsWith(QStringLiteral("env:"))) {
        *value = configured;
        return true;
    }
    const QString variable = configured.mid(4);
    const QByteArray name = variable.toLocal8Bit();
    if (qEnvironmentVariableIsEmpty(name.constData())) {
        if (!secretsOptional())
            addError(key, CommonTr::tr("environment variable %1 is not set").arg(variable));
        return false;
    }
    *value = qEnvironmentVariable(name.constData());
    return true;
}

ConfigReader ConfigReader::section(const QString &key)
{
    const QVariant value = m_values.value(key);
    if (value.isValid() && value.typeId() != QMetaType::QVariantMap)
        addError(key, CommonTr::tr("expected a map of settings, got %1").arg(typeName(value)));
    return ConfigReader(value.toMap(), m_fileName, m_lines, path(key), m_diagnostics);
}

ConfigReader ConfigReader::listItem(const QString &key, int index)
{
    const QVariantMap item = m_values.value(key).toList().value(index).toMap();
    return ConfigReader(item, m_fileName, m_lines, path(key) + u'[' + QString::number(index) + u']',
                        m_diagnostics);
}

QString ConfigReader::string(const QString &key, const QString &defaultValue)
{
    const QVariant value = m_values.value(key);
    if (!value.isValid())
        return defaultValue;
    switch (value.typeId()) {
    case QMetaType::QString:
        return value.toString();
    case QMetaType::LongLong:
    case QMetaType::Double:
        // "port: 8080" where a string is expected is still meant as text.
        return value.toString();
    default:
        addError(key, CommonTr::tr("expected a string, got %1").arg(typeName(value)));
        return defaultValue;
    }
}

QString ConfigReader::requiredString(const QString &key)
{
    const QString value = string(key);
    if (value.isEmpty() && !m_values.value(key).isValid())
        addError(key, CommonTr::tr("is required"));
    else if (value.isEmpty())
        addError(key, CommonTr::tr("must not be empty"));
    return value;
}

bool ConfigReader::boolean(const QString &key, bool defaultValue)
{
    const QVariant value = m_values.value(key);
    if (!value.isValid())
        return defaultValue;
    if (value.typeId() != QMetaType::Bool) {
        addError(key, CommonTr::tr("expected true or false, got %1").arg(typeName(value)));
        return defaultValue;
    }
    return value.toBool();
}

qint64 ConfigReader::integer(const QString &key, qint64 defaultValue, qint64 minimum,
                             qint64 maximum)
{
    const QVariant value = m_values.value(key);
    if (!value.isValid())
        return defaultValue;
    // YAML gives qlonglong; a host passing settings as a QVariantMap may use any integer type.
    const int type = value.typeId();
    if (type != QMetaType::LongLong && type != QMetaType::Int && type != QMetaType::UInt &&
        type != QMetaType::ULongLong) {
        addError(key, CommonTr::tr("expected a whole number, got %1").arg(typeName(value)));
        return defaultValue;
    }
    const qint64 number = value.toLongLong();
    if (number < minimum || number > maximum) {
        addError(key,
                 CommonTr::tr("%1 is out of range (%2 to %3)")
                         .arg(number)
                         .arg(minimum)
                         .arg(maximum));
        return defaultValue;
    }
    return number;
}

QVariantList ConfigReader::list(const QString &key)
{
    const QVariant value = m_values.value(key);
    if (!value.isValid())
        return {};
    if (value.typeId() != QMetaType::QVariantList) {
        addError(key, CommonTr::tr("expected a list, got %1").arg(typeName(value)));
        return {};
    }
    return value.toList();
}

QStringList ConfigReader::stringList(const QString &key, const QStringList &defaultValue)
{
    const QVariant value = m_values.value(key);
    if (!value.isValid())
        return defaultValue;
    // A single word is accepted where a list is expected: "events: entry.*".
    if (value.typeId() == QMetaType::QString)
        return {value.toString()};
    QStringList result;
    const QVariantList items = list(key);
    for (int i = 0; i < items.size(); ++i) {
        const QVariant &item = items.at(i);
        if (item.typeId() != QMetaType::QString) {
            addError(key + u'[' + QString::number(i) + u']',
                     CommonTr::tr("expected a string, got %1").arg(typeName(item)));
            continue;
        }
        result.append(item.toString());
    }
    return result;
}

QString ConfigReader::choice(const QString &key, const QStringList &choices,
                             const QString &defaultValue)
{
    const QString value = string(key, defaultValue);
    if (!choices.contains(value)) {
        addError(key,
                 CommonTr::tr("unknown value \"%1\" (expected one of: %2)")
                         .arg(value, choices.join(u", ")));
        return defaultValue;
    }
    return value;
}

void ConfigReader::checkKnownKeys(const QStringList &known)
{
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (!known.contains(it.key()))
            addWarning(it.key(),
                       CommonTr::tr("unknown key (known keys: %1)").arg(known.join(u", ")));
    }
}

qint64 ConfigReader::parseDurationSeconds(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([smhd]?)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == u"m" ? 60 : unit == u"h" ? 3600 : unit == u"d" ? 86400 : 1;
    return number * factor;
}

qint64 ConfigReader::parseDurationMs(const QString &text)
{
    static const QRegularExpression pattern(
            QStringLiteral("^\\s*(\\d{1,12})\\s*(ms|s|m|h|d)?\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == u"ms" ? 1
            : unit == u"m"              ? 60000
            : unit == u"h"              ? 3600000
            : unit == u"d"              ? 86400000
                                        : 1000;
    return number * factor;
}

} // namespace Pyrite
