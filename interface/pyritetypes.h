#pragma once

// Value types of Pyrite's plugin protocol, shared by the host and every plugin. Header-only on
// purpose: a plugin needs nothing from the host binary but these declarations.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <array>
#include <functional>
#include <optional>

namespace Pyrite {

// The hook names of Pyrite's get_hooks() map.
enum class Hook { BeforeSave, AfterSave, BeforeDelete, AfterDelete, BeforeIndex };

// Lifecycle points that live in Pyrite's services rather than in hooks.
enum class Notification {
    QaValidationFailed,
    TaskClaimed,
    TaskCompleted,
    KbIndexed,
    SchemaChanged
};

inline constexpr std::array<Hook, 5> AllHooks{Hook::BeforeSave, Hook::AfterSave, Hook::BeforeDelete,
                                              Hook::AfterDelete, Hook::BeforeIndex};
inline constexpr std::array<Notification, 5> AllNotifications{
        Notification::QaValidationFailed, Notification::TaskClaimed, Notification::TaskCompleted,
        Notification::KbIndexed, Notification::SchemaChanged};

inline QString hookName(Hook hook)
{
    switch (hook) {
    case Hook::BeforeSave:
        return QStringLiteral("before_save");
    case Hook::AfterSave:
        return QStringLiteral("after_save");
    case Hook::BeforeDelete:
        return QStringLiteral("before_delete");
    case Hook::AfterDelete:
        return QStringLiteral("after_delete");
    case Hook::BeforeIndex:
        return QStringLiteral("before_index");
    }
    return QString();
}

inline std::optional<Hook> hookFromName(QStringView name)
{
    for (Hook hook : AllHooks) {
        if (hookName(hook) == name)
            return hook;
    }
    return std::nullopt;
}

// before_* hooks may replace the entry or veto the write; after_* hooks only observe.
inline bool isBeforeHook(Hook hook)
{
    return hook == Hook::BeforeSave || hook == Hook::BeforeDelete || hook == Hook::BeforeIndex;
}

// Notification names are the event types they become.
inline QString notificationName(Notification notification)
{
    switch (notification) {
    case Notification::QaValidationFailed:
        return QStringLiteral("qa.validation_failed");
    case Notification::TaskClaimed:
        return QStringLiteral("task.claimed");
    case Notification::TaskCompleted:
        return QStringLiteral("task.completed");
    case Notification::KbIndexed:
        return QStringLiteral("kb.indexed");
    case Notification::SchemaChanged:
        return QStringLiteral("schema.changed");
    }
    return QString();
}

inline std::optional<Notification> notificationFromName(QStringView name)
{
    for (Notification notification : AllNotifications) {
        if (notificationName(notification) == name)
            return notification;
    }
    return std::nullopt;
}

// The context Pyrite passes with every hook call.
struct HookContext
{
    QString kbName;
    QString user;
    QVariantMap kbSchema;
    QString operation; // "create" | "update" | "delete"
    QString kbType;    // the KB's type ("generic", "task", ...); Pyrite's context "kb_type"
    // Pyrite's context "extra": on updates {"old_status": ...} for entries with a status.
    QVariantMap extra;
    // The entry as it was before an update, when the caller knows it (lets entry.updated list
    // the changed fields). Not part of Pyrite's context dict; empty when unknown.
    QVariantMap previousEntry;
};

// What a hook returns. before_* hooks may Replace the entry (later hooks see the new one) or
// Veto the write; Fail is a hook that raised: for before_* it aborts like a veto, for after_*
// it is only logged.
struct HookResult
{
    enum class Action { Continue, Replace, Veto, Fail };

    Action action = Action::Continue;
    QVariantMap entry;
    QString message;
    // Who vetoed or failed, when a plugin runs hooks of its own owners (the event bus does):
    // the host reports this owner instead of the plugin's name.
    QString origin;

    static HookResult proceed() { return {}; }
    static HookResult replace(const QVariantMap &entry)
    {
        return {Action::Replace, entry, QString(), QString()};
    }
    static HookResult veto(const QString &message)
    {
        return {Action::Veto, {}, message, QString()};
    }
    static HookResult fail(const QString &message)
    {
        return {Action::Fail, {}, message, QString()};
    }
};

// A hook callable as Pyrite's registry holds them: (entry, context) -> result. It may also throw
// a std::exception, which counts as Fail.
using HookCallback =
        std::function<HookResult(const QVariantMap &entry, const HookContext &context)>;

struct KnowledgeBase
{
    QString name;
    QString path;
};

// What the host tells a plugin about itself when it initializes it.
struct HostContext
{
    QString hostName;
    QString hostVersion;
    QString configFile;
    // Where the plugin's settings stand in configFile ("plugins[0].settings") and the line of every
    // key in that file, so the plugin's errors can name file, line and key.
    QString settingsPath;
    QHash<QString, int> configLines;
    // The host's data directory (default ~/.pyrite); plugins keep their files below it.
    QString dataDir;
    QList<KnowledgeBase> knowledgeBases;
    // The host runs a command, not a service (pyrite-host plugins / events / deliveries /
    // redeliver): the plugin must not prune, listen on ports, send webhooks or start anything that
    // outlives the command; it writes only what the command explicitly asks (redeliver).
    bool readOnly = false;
    // The command sends nothing signed or authenticated (events, deliveries, plugins): secrets and
    // tokens that come from unset environment variables are left out rather than refused, so
    // that reading the log does not need them. webhook-test signs, and needs them.
    bool secretsOptional = false;
    // The host is the application itself (Pyrite's own process, through the Python package), not
    // a dedicated server: several such processes share one event log, and by default the plugin
    // serves (streams, HTTP, webhooks) only once it has run a while and can bind its address.
    bool inProcess = false;
};

} // namespace Pyrite
