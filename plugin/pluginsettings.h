#pragma once

#include "pyritetypes.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Pyrite::Internal {

// The plugin's settings from pyrite.yaml and the "eventbus:" section of each KB's kb.yaml,
// validated. Documented key by key in docs/config.md.
class PluginSettings
{
public:
    bool load(const QVariantMap &settings, const HostContext &context, QString *errorString);
    QStringList warnings() const { return m_warnings; }

    QString instanceName() const { return m_instanceName; }
    QString locale() const { return m_locale; }
    // KB name -> event data fields left out of published events.
    QHash<QString, QStringList> redactedFields() const { return m_redactedFields; }

    static QStringList redactableFields();

private:
    bool loadKbFile(const KnowledgeBase &kb, QStringList *errors);

    QString m_instanceName;
    QString m_locale;
    QHash<QString, QStringList> m_redactedFields;
    QStringList m_warnings;
};

} // namespace Pyrite::Internal
