#include "fakeplugin.h"

// Right interface id, but metadata for an interface version this host does not speak.
class BadVersionPlugin final : public FakePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PyritePlugin_iid FILE "badversion.json")
    Q_INTERFACES(Pyrite::PyritePlugin)
};

#include "fakeplugin_badversion.moc"
