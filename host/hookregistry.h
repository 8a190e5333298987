#pragma once

#include "interface/pyritetypes.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>

namespace Pyrite {
class PyritePlugin;
}

namespace Pyrite::Host {

// What running one hook over all registered callables came to.
struct HookOutcome
{
    bool aborted = false; // a before_* hook vetoed or raised: the write must not happen
    bool raised = false;  // the abort came from a raising hook, not a veto
    QString message;      // the veto or error message
    QString stoppedBy;    // owner of the hook that aborted
    QVariantMap entry;    // the entry after every replacement
    bool replaced = false;
    QStringList failures; // after_* hooks that raised ("owner: message"), logged, not fatal
};

// Pyrite's hook registry: callables per hook name in registration order, run with Pyrite's
// semantics (see HookChain). Plugins the host loaded register here like any other callable.
class HookRegistry
{
public:
    void registerHook(Hook hook, const QString &owner, HookCallback callback);
    // Registers the plugin's callHook for every hook it declares, and keeps it for notify().
    void registerPlugin(PyritePlugin *plugin);
    void clear();

    int hookCount(Hook hook) const { return int(m_links[size_t(hook)].size()); }
    QList<PyritePlugin *> plugins() const { return m_plugins; }

    HookOutcome run(Hook hook, const QVariantMap &entry, const HookContext &context) const;
    // Forwards a notification to every plugin; errors come back as "plugin: message".
    QStringList notify(Notification notification, const QVariantMap &payload,
                       const HookContext &context) const;

private:
    struct Link
    {
        QString owner;
        HookCallback callback;
    };
    std::array<QList<Link>, AllHooks.size()> m_links;
    QList<PyritePlugin *> m_plugins;
};

} // namespace Pyrite::Host
