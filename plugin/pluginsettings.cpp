#include "pluginsettings.h"

#include "plugintr.h"

#include "configreader.h"
#include "yamldocument.h"

#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

namespace Pyrite::Internal {

QStringList PluginSettings::redactableFields()
{
    return {QStringLiteral("title"), QStringLiteral("tags"), QStringLiteral("links"),
            QStringLiteral("actor"), QStringLiteral("changes")};
}

bool PluginSettings::load(const QVariantMap &settings, const HostContext &context,
                          QString *errorString)
{
    *this = PluginSettings();
    ConfigReader reader(settings, context.configFile, context.configLines, context.settingsPath);
    reader.checkKnownKeys({QStringLiteral("instance"), QStringLiteral("locale"),
                           QStringLiteral("event_log"), QStringLiteral("stream"),
                           QStringLiteral("webhooks")});
    m_instanceName = reader.string(QStringLiteral("instance"), QSysInfo::machineHostName());
    if (m_instanceName.contains(u'/') || m_instanceName.contains(u' '))
        reader.addError(QStringLiteral("instance"),
                        PluginTr::tr("\"%1\" cannot be part of a URI authority (no '/' or spaces)")
                                .arg(m_instanceName));
    m_locale = reader.string(QStringLiteral("locale"));
    ConfigReader log = reader.section(QStringLiteral("event_log"));
    m_eventLog.location = reader.location(QStringLiteral("event_log"));
    m_eventLog.read(log, context.dataDir);
    loadStream(reader);
    m_webhooks.read(reader);

    QStringList errors = reader.errors();
    m_warnings = reader.warnings();
    for (const KnowledgeBase &kb : context.knowledgeBases)
        loadKbFile(kb, &errors);

    // The outbox lives in the event log's database.
    if (errors.isEmpty() && !m_webhooks.isEmpty() &&
        m_eventLog.driver == EventLogSettings::Driver::None) {
        errors.append(PluginTr::tr("%1: webhooks need the event log for their outbox, but "
                                   "event_log.driver is \"none\"")
                              .arg(reader.location(QStringLiteral("webhooks"))));
    }
    if (!errors.isEmpty()) {
        if (errorString)
            *errorString = errors.join(u'\n');
        return false;
    }
    return true;
}

void PluginSettings::loadStream(ConfigReader &reader)
{
    // One section, two rooms: the streams, and the address they share with HTTP.
    ConfigReader stream = reader.section(QStringLiteral("stream"));
    m_streamLocation = reader.location(QStringLiteral("stream"));
    stream.checkKnownKeys(HttpSettings::keys() + StreamSettings::keys());
    m_http.read(stream);
    m_stream.read(stream);
}

bool PluginSettings::loadKbFile(const KnowledgeBase &kb, QStringList *errors)
{
    const QString fileName = QDir(kb.path).filePath(QStringLiteral("kb.yaml"));
    if (!QFileInfo::exists(fileName))
        return true; // a KB without kb.yaml simply has no per-KB settings

    YamlDocument document;
    QString error;
    if (!document.load(fileName, &error)) {
        errors->append(error);
        return false;
    }
    ConfigReader file(document.root().toMap(), fileName, document.lines());
    ConfigReader section = file.section(QStringLiteral("eventbus"));
    section.checkKnownKeys({QStringLiteral("redact"), QStringLiteral("webhooks")});
    m_webhooks.readKbEndpoints(section, kb.name);
    const QStringList redact = section.stringList(QStringLiteral("redact"));
    const QStringList allowed = redactableFields();
    for (const QString &field : redact) {
        if (!allowed.contains(field)) {
            section.addError(QStringLiteral("redact"),
                             PluginTr::tr("\"%1\" cannot be redacted (fields that can: %2)")
                                     .arg(field, allowed.join(u", ")));
        }
    }
    if (!redact.isEmpty())
        m_redactedFields.insert(kb.name, redact);
    errors->append(file.errors());
    m_warnings.append(file.warnings());
    return !file.hasErrors();
}

} // namespace Pyrite::Internal
