#pragma once

#include <QLoggingCategory>

namespace Pyrite::Host {
Q_DECLARE_LOGGING_CATEGORY(lcHost)
Q_DECLARE_LOGGING_CATEGORY(lcHostPlugins)
Q_DECLARE_LOGGING_CATEGORY(lcHostHooks)
Q_DECLARE_LOGGING_CATEGORY(lcHostBridge)
Q_DECLARE_LOGGING_CATEGORY(lcHostMemory)
} // namespace Pyrite::Host
