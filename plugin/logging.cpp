#include "logging.h"

namespace Pyrite {
Q_LOGGING_CATEGORY(lcPlugin, "pyrite.eventbus.plugin", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBus, "pyrite.eventbus.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHooks, "pyrite.eventbus.hooks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "pyrite.eventbus.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLog, "pyrite.eventbus.log", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStream, "pyrite.eventbus.stream", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWebhooks, "pyrite.eventbus.webhooks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "pyrite.eventbus.http", QtInfoMsg)
} // namespace Pyrite
