#pragma once

#include <QLoggingCategory>

namespace Pyrite {
// One category per room, enabled with QT_LOGGING_RULES="pyrite.eventbus.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcPlugin)
Q_DECLARE_LOGGING_CATEGORY(lcBus)
Q_DECLARE_LOGGING_CATEGORY(lcHooks)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcLog)
Q_DECLARE_LOGGING_CATEGORY(lcStream)
Q_DECLARE_LOGGING_CATEGORY(lcWebhooks)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
} // namespace Pyrite
