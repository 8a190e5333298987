#include "fakeplugin.h"

// Declares another interface id than the host's org.pyrite.Plugin/1.0.
class WrongIidPlugin final : public FakePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "org.example.SomethingElse/1.0" FILE "wrongiid.json")
};

#include "fakeplugin_wrongiid.moc"
