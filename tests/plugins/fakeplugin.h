#pragma once

// A plugin that implements Pyrite's interface but declares something the host must refuse; the
// metadata file picks what (see fakeplugin_*.cpp).

#include "interface/pyriteplugin.h"

class FakePlugin : public QObject, public Pyrite::PyritePlugin
{
public:
    QString name() const override { return QStringLiteral("fake"); }
    QList<Pyrite::Hook> hooks() const override { return {}; }
    bool initialize(const QVariantMap &, const Pyrite::HostContext &, QString *) override
    {
        return true;
    }
    void shutdown() override { }
    Pyrite::HookResult callHook(Pyrite::Hook, const QVariantMap &,
                                const Pyrite::HookContext &) override
    {
        return Pyrite::HookResult::proceed();
    }
    bool notify(Pyrite::Notification, const QVariantMap &, const Pyrite::HookContext &,
                QString *) override
    {
        return true;
    }
};
