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
    reader.setSecretsOptional(context.secretsOptional);
    reader.checkKnownKeys({QStringLiteral("instance"), QStringLiteral("locale"),
                           QStringLiteral("event_log"), QStringLiteral("stream"),
                           QStringLiteral("webhooks"), QStringLiteral("serve"),
                           QStringLiteral("serve_after"), QStringLiteral("wrappers")});
    m_instanceName = reader.string(QStringLiteral("instance"), QSysInfo::machineHostName());
    if (m_instanceName.contains(u'/') || m_instanceName.contains(u' '))
        reader.addError(QStringLiteral("instance"),
                        PluginTr::tr("\"%1\" cannot be part of a URI authority (no '/' or spaces)")
                                .arg(m_instanceName));
    m_locale = reader.string(QStringLiteral("locale"));
    loadServe(reader, context.inProcess);
    loadWrappers(reader);
    ConfigReader log = reader.section(QStringLiteral("event_log"));
    m_eventLog.location = reader.location(QStringLiteral("event_log"));
    m_eventLog.read(log, context.dataDir);
    loadStream(reader);
    m_webhooks.read(reader);

    QStringList errors = reader.errors();
    m_warnings = reader.warnings();
    for (const KnowledgeBase &kb : context.knowledgeBases)
        loadKbFile(kb, context.secretsOptional, &errors);

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

void PluginSettings::loadServe(ConfigReader &reader, bool inProcess)
{
    const QString serve = reader.choice(
            QStringLiteral("serve"),
            {QStringLiteral("always"), QStringLiteral("auto"), QStringLiteral("never")},
            inProcess ? QStringLiteral("auto") : QStringLiteral("always"));
    m_serve = serve == u"auto" ? Serve::Auto : serve == u"never" ? Serve::Never : Serve::Always;
    // Pyrite runs a process per CLI command: those end before they would serve.
    m_serveAfterMs = inProcess ? 2000 : 0;
    const QString after = reader.string(QStringLiteral("serve_after"));
    if (!after.isEmpty()) {
        const qint64 ms = ConfigReader::parseDurationMs(after);
        if (ms < 0 || ms > 3600000)
            reader.addError(QStringLiteral("serve_after"),
                            PluginTr::tr("\"%1\" is not a duration between 0s and 1h").arg(after));
        else
            m_serveAfterMs = int(ms);
    }
}

QStringList PluginSettings::wrapperNames()
{
    return {QStringLiteral("add_link"),   QStringLiteral("sync_index"),
            QStringLiteral("add_type"),   QStringLiteral("remove_type"),
            QStringLiteral("set_schema"), QStringLiteral("validate_entry"),
            QStringLiteral("validate_kb")};
}

void PluginSettings::loadWrappers(ConfigReader &reader)
{
    // Read by the Python package (wrappers.py), which wraps these Pyrite functions; checked here
    // so a misspelt name is an error with its line rather than a switch that does nothing.
    if (!reader.contains(QStringLiteral("wrappers")))
        return;
    ConfigReader wrappers = reader.section(QStringLiteral("wrappers"));
    wrappers.checkKnownKeys(wrapperNames());
    for (const QString &name : wrapperNames()) {
        if (!wrappers.boolean(name, true))
            m_wrappersOff.append(name);
    }
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

bool PluginSettings::loadKbFile(const KnowledgeBase &kb, bool secretsOptional, QStringList *errors)
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
    file.setSecretsOptional(secretsOptional);
    ConfigReader section = file.section(QStringLiteral("eventbus"));
    section.checkKnownKeys({QStringLiteral("redact"), QStringLiteral("webhooks")});
    m_webhooks.readKbEndpoints(section, kb.name);
    // The seed's spelling: a top-level "webhooks:" list (kb.yaml keeps keys Pyrite does not know).
    if (file.contains(QStringLiteral("webhooks"))) {
        if (section.contains(QStringLiteral("webhooks")))
            file.addError(QStringLiteral("webhooks"),
                          PluginTr::tr("webhooks are given twice: here and in eventbus.webhooks; "
                                       "keep one"));
        else
            m_webhooks.readKbEndpoints(file, kb.name);
    }
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
