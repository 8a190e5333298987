#include "hookregistry.h"

#include "interface/hookchain.h"
#include "hostlogging.h"
#include "interface/pyriteplugin.h"

namespace Pyrite::Host {

void HookRegistry::registerHook(Hook hook, const QString &owner, HookCallback callback)
{
    m_links[size_t(hook)].append(Link{owner, std::move(callback)});
}

void HookRegistry::registerPlugin(PyritePlugin *plugin)
{
    m_plugins.append(plugin);
    for (const Hook hook : plugin->hooks()) {
        registerHook(hook, plugin->name(),
                     [plugin, hook](const QVariantMap &entry, const HookContext &context) {
                         return plugin->callHook(hook, entry, context);
                     });
    }
}

void HookRegistry::clear()
{
    for (auto &links : m_links)
        links.clear();
    m_plugins.clear();
}

HookOutcome HookRegistry::run(Hook hook, const QVariantMap &entry, const HookContext &context) const
{
    HookOutcome outcome;
    outcome.entry = entry;
    const QList<Link> &links = m_links[size_t(hook)];

    if (isBeforeHook(hook)) {
        const HookResult result = HookChain::runBefore(links, entry, context, &outcome.stoppedBy);
        switch (result.action) {
        case HookResult::Action::Continue:
            break;
        case HookResult::Action::Replace:
            outcome.entry = result.entry;
            outcome.replaced = true;
            break;
        case HookResult::Action::Veto:
        case HookResult::Action::Fail:
            outcome.aborted = true;
            outcome.raised = result.action == HookResult::Action::Fail;
            outcome.message = result.message;
            qCInfo(lcHostHooks).noquote()
                    << hookName(hook) << "aborted by" << outcome.stoppedBy << ":" << result.message;
            break;
        }
        return outcome;
    }

    // after_*: every hook runs; a failure is logged and never undoes the write.
    for (const Link &link : links) {
        const HookResult result = HookChain::invoke(link.callback, entry, context);
        if (result.action == HookResult::Action::Fail) {
            qCWarning(lcHostHooks).noquote()
                    << hookName(hook) << "hook of" << link.owner << "failed:" << result.message;
            outcome.failures.append(link.owner + QStringLiteral(": ") + result.message);
        }
    }
    return outcome;
}

QStringList HookRegistry::notify(Notification notification, const QVariantMap &payload,
                                 const HookContext &context) const
{
    QStringList errors;
    for (PyritePlugin *plugin : m_plugins) {
        QString error;
        if (!plugin->notify(notification, payload, context, &error))
            errors.append(plugin->name() + QStringLiteral(": ") + error);
    }
    return errors;
}

} // namespace Pyrite::Host
