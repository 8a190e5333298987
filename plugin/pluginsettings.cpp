#include "pluginsettings.h"

#include "configreader.h"
#include "yamldocument.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

namespace Pyrite::Internal {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(PluginSettings)
};
} // namespace

QStringList PluginSettings::redactableFields()
{
    return {QStringLiteral("title"), QStringLiteral("tags"), QStringLiteral("links"),
            QStringLiteral("actor"), QStringLiteral("changes")};
}

bool PluginSettings::load(const QVariantMap &settings, const HostContext &context,
                          QString *errorString)
{
    m_warnings.clear();
    m_redactedFields.clear();

    ConfigReader reader(settings, context.configFile, context.configLines, context.settingsPath);
    reader.checkKnownKeys({QStringLiteral("instance"), QStringLiteral("locale")});
    m_instanceName = reader.string(QStringLiteral("instance"), QSysInfo::machineHostName());
    if (m_instanceName.contains(u'/') || m_instanceName.contains(u' '))
        reader.addError(QStringLiteral("instance"),
                        Tr::tr("\"%1\" cannot be part of a URI authority (no '/' or spaces)")
                                .arg(m_instanceName));
    m_locale = reader.string(QStringLiteral("locale"));

    QStringList errors = reader.errors();
    m_warnings = reader.warnings();
    for (const KnowledgeBase &kb : context.knowledgeBases)
        loadKbFile(kb, &errors);

    if (!errors.isEmpty()) {
        if (errorString)
            *errorString = errors.join(u'\n');
        return false;
    }
    return true;
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
    section.checkKnownKeys({QStringLiteral("redact")});
    const QStringList redact = section.stringList(QStringLiteral("redact"));
    const QStringList allowed = redactableFields();
    for (const QString &field : redact) {
        if (!allowed.contains(field)) {
            section.addError(QStringLiteral("redact"),
                             Tr::tr("\"%1\" cannot be redacted (fields that can: %2)")
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
