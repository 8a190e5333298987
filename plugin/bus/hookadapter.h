#pragma once

#include "event.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace Pyrite {
class EventBus;
}

namespace Pyrite::Internal {

// Routes Pyrite's hook calls and notifications onto the bus, and runs hook callables registered
// in-process with Pyrite's exact semantics: before_* callables form an ordered chain that may
// replace the entry or veto; after_* callables are bus subscribers to the event the write made,
// called in registration order, whose failures are logged and never stop the others.
class HookAdapter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(HookAdapter)

public:
    explicit HookAdapter(EventBus *bus, QObject *parent = nullptr);
    ~HookAdapter() override;

    HookResult handleHook(Hook hook, const QVariantMap &entry, const HookContext &context);
    bool handleNotification(Notification notification, const QVariantMap &payload,
                            const HookContext &context, QString *errorString);

    void registerHook(Hook hook, const QString &owner, QObject *context, HookCallback callback);

    // Fields of event "data" never published for a KB (kb.yaml "redact"); hooks still see them.
    void setRedactedFields(const QHash<QString, QStringList> &fieldsByKb)
    {
        m_redacted = fieldsByKb;
    }

Q_SIGNALS:
    void hookFailed(Pyrite::Hook hook, const QString &owner, const QString &message);

private:
    struct ChainLink
    {
        QString owner;
        QPointer<QObject> context;
        bool hasContext;
        HookCallback callback;
    };

    HookResult runChain(Hook hook, const QVariantMap &entry, const HookContext &context);
    void redact(Event *event) const;

    // The bus may go first (sibling QObjects die in creation order).
    QPointer<EventBus> m_bus;
    std::array<QList<ChainLink>, AllHooks.size()> m_chains;
    QList<quint64> m_afterSubscriptions;
    QHash<QString, QStringList> m_redacted;
};

} // namespace Pyrite::Internal
