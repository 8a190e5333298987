#include "hookadapter.h"

#include "eventbus.h"
#include "eventfactory.h"
#include "interface/hookchain.h"
#include "logging.h"

namespace Pyrite::Internal {

HookAdapter::HookAdapter(EventBus *bus, QObject *parent)
    : QObject(parent),
      m_bus(bus)
{ }

HookAdapter::~HookAdapter()
{
    if (m_bus) {
        for (const quint64 id : std::as_const(m_afterSubscriptions))
            m_bus->unsubscribe(id);
    }
}

void HookAdapter::registerHook(Hook hook, const QString &owner, QObject *context,
                               HookCallback callback)
{
    if (isBeforeHook(hook)) {
        m_chains[size_t(hook)].append(
                ChainLink{owner, context, context != nullptr, std::move(callback)});
        return;
    }

    EventFilter filter;
    const QStringList types = hook == Hook::AfterSave
            ? QStringList{QStringLiteral("entry.created"), QStringLiteral("entry.updated")}
            : QStringList{QStringLiteral("entry.deleted")};
    filter.setTypePatterns(types, nullptr);
    const quint64 id = m_bus->subscribe(
            filter, context ? context : this,
            [this, hook, owner, callback = std::move(callback)](const Event &event) {
                // Remote events were written by another instance: their hooks already ran there.
                if (event.isRemote())
                    return;
                const HookResult result =
                        HookChain::invoke(callback, event.entry(), event.hookContext());
                if (result.action == HookResult::Action::Fail) {
                    qCWarning(lcHooks).noquote()
                            << hookName(hook) << "hook of" << owner << "failed for"
                            << event.subject() << ":" << result.message;
                    Q_EMIT hookFailed(hook, owner, result.message);
                }
            });
    m_afterSubscriptions.append(id);
}

HookResult HookAdapter::runChain(Hook hook, const QVariantMap &entry, const HookContext &context)
{
    QList<ChainLink> &links = m_chains[size_t(hook)];
    if (links.isEmpty())
        return HookResult::proceed();

    // Registered callables whose context died are dropped before the run.
    links.removeIf([](const ChainLink &link) { return link.hasContext && !link.context; });
    const QList<ChainLink> chain =
            links; // a callable may register more; they apply from the next call
    QString stoppedBy;
    HookResult result = HookChain::runBefore(chain, entry, context, &stoppedBy);
    result.origin = stoppedBy;
    if (result.action == HookResult::Action::Veto) {
        qCInfo(lcHooks).noquote() << hookName(hook) << "vetoed by" << stoppedBy << ":"
                                  << result.message;
    } else if (result.action == HookResult::Action::Fail) {
        qCWarning(lcHooks).noquote() << hookName(hook) << "hook of" << stoppedBy
                                     << "raised; the write is aborted:" << result.message;
        Q_EMIT hookFailed(hook, stoppedBy, result.message);
    }
    return result;
}

void HookAdapter::redact(Event *event) const
{
    const auto it = m_redacted.constFind(event->kb());
    if (it == m_redacted.cend())
        return;
    for (const QString &field : *it) {
        if (field == u"title")
            event->setTitle(QString());
        else if (field == u"tags")
            event->setTags({});
        else if (field == u"links")
            event->setLinks({});
        else if (field == u"actor")
            event->setActor(QString());
        else if (field == u"changes")
            event->setChanges({});
    }
}

HookResult HookAdapter::handleHook(Hook hook, const QVariantMap &entry, const HookContext &context)
{
    if (isBeforeHook(hook))
        return runChain(hook, entry, context);

    QString errorString;
    Event event = EventFactory::fromHook(hook, entry, context, &errorString);
    if (event.isNull()) {
        qCWarning(lcHooks).noquote() << errorString;
        return HookResult::fail(errorString);
    }
    const QList<Event> derived = EventFactory::derivedFromHook(event, entry, context);
    redact(&event);
    m_bus->publish(std::move(event));
    for (Event next : derived) {
        redact(&next);
        m_bus->publish(std::move(next));
    }
    return HookResult::proceed();
}

bool HookAdapter::handleNotification(Notification notification, const QVariantMap &payload,
                                     const HookContext &context, QString *errorString)
{
    QString error;
    Event event = EventFactory::fromNotification(notification, payload, context, &error);
    if (event.isNull()) {
        qCWarning(lcHooks).noquote() << error;
        if (errorString)
            *errorString = error;
        return false;
    }
    redact(&event);
    m_bus->publish(std::move(event));
    return true;
}

} // namespace Pyrite::Internal
