#pragma once

#include <QCoreApplication>

namespace Pyrite::Internal {

// The translation context of the plugin class and its settings (one per room, as Qt Creator's Tr
// structs).
struct PluginTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Plugin)
};

} // namespace Pyrite::Internal
