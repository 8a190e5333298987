#include "hostlogging.h"

namespace Pyrite::Host {
Q_LOGGING_CATEGORY(lcHost, "pyrite.host", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostPlugins, "pyrite.host.plugins", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostHooks, "pyrite.host.hooks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHostBridge, "pyrite.host.bridge", QtInfoMsg)
} // namespace Pyrite::Host
