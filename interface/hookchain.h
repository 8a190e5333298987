#pragma once

// Pyrite's hook semantics in one place, header-only like the rest of the interface so that a
// plugin that re-dispatches hooks (the event bus) runs them exactly as the host's registry does.

#include "pyritetypes.h"

#include <exception>

namespace Pyrite::HookChain {

// Calls a hook; an exception is the C++ form of a Python hook raising and becomes Fail.
inline HookResult invoke(const HookCallback &callback, const QVariantMap &entry,
                         const HookContext &context)
{
    try {
        return callback(entry, context);
    } catch (const std::exception &e) {
        return HookResult::fail(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return HookResult::fail(QStringLiteral("unknown exception"));
    }
}

// before_*: in order; Replace hands the new entry to later hooks; Veto or Fail stops the chain
// and aborts the write. Links are anything with `owner` and `callback` members. On abort,
// *stoppedBy names the hook's owner (or the result's origin, when the hook re-dispatched). Returns
// Replace with the final entry when any hook replaced it, Continue when none did.
template<typename Links>
HookResult runBefore(const Links &links, const QVariantMap &entry, const HookContext &context,
                     QString *stoppedBy)
{
    QVariantMap current = entry;
    bool replaced = false;
    for (const auto &link : links) {
        // Qualified: with a std::function argument, ADL would pick std::invoke.
        const HookResult result = HookChain::invoke(link.callback, current, context);
        switch (result.action) {
        case HookResult::Action::Continue:
            break;
        case HookResult::Action::Replace:
            current = result.entry;
            replaced = true;
            break;
        case HookResult::Action::Veto:
        case HookResult::Action::Fail:
            if (stoppedBy)
                *stoppedBy = result.origin.isEmpty() ? link.owner : result.origin;
            return result;
        }
    }
    return replaced ? HookResult::replace(current) : HookResult::proceed();
}

} // namespace Pyrite::HookChain
