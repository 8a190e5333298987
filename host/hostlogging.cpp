#include "hostlogging.h"

namespace Pyrite::Host {
Q_LOGGING_CATEGORY(lcHost, "pyrite.host", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostPlugins, "pyrite.host.plugins", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostHooks, "pyrite.host.hooks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostBridge, "pyrite.host.bridge", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostMemory, "pyrite.host.memory", QtInfoMsg)
} // namespace Pyrite::Host
