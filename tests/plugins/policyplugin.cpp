#include "fakeplugin.h"

// A plugin with opinions, for the Python bridge's test (tests/test_pyrite_bridge.py): what it does
// depends on the entry's title.
//   "VETO …"       before_* vetoes            "RAISE …"     before_* raises (Fail)
//   "upper: …"     before_save replaces the title with its upper case
//   "AFTERFAIL …"  after_save fails (logged by the host, never undoes the write)
class PolicyPlugin final : public FakePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PyritePlugin_iid FILE "policy.json")
    Q_INTERFACES(Pyrite::PyritePlugin)

public:
    QString name() const override { return QStringLiteral("policy"); }
    QList<Pyrite::Hook> hooks() const override
    {
        return {Pyrite::AllHooks.begin(), Pyrite::AllHooks.end()};
    }
    Pyrite::HookResult callHook(Pyrite::Hook hook, const QVariantMap &entry,
                                const Pyrite::HookContext &) override
    {
        const QString title = entry.value(QStringLiteral("title")).toString();
        if (Pyrite::isBeforeHook(hook) && title.startsWith(QLatin1String("VETO")))
            return Pyrite::HookResult::veto(QStringLiteral("titles may not start with VETO"));
        if (Pyrite::isBeforeHook(hook) && title.startsWith(QLatin1String("RAISE")))
            return Pyrite::HookResult::fail(QStringLiteral("ValueError: cannot index this"));
        if (hook == Pyrite::Hook::BeforeSave && title.startsWith(QLatin1String("upper: "))) {
            QVariantMap replaced = entry;
            replaced.insert(QStringLiteral("title"), title.toUpper());
            return Pyrite::HookResult::replace(replaced);
        }
        if (hook == Pyrite::Hook::AfterSave && title.startsWith(QLatin1String("AFTERFAIL")))
            return Pyrite::HookResult::fail(QStringLiteral("RuntimeError: after hook broke"));
        return Pyrite::HookResult::proceed();
    }
};

#include "policyplugin.moc"
