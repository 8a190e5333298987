#include "eventbusplugin.h"

#include "eventbus.h"
#include "hookadapter.h"
#include "logging.h"
#include "pluginsettings.h"
#include "translationloader.h"

namespace Pyrite {

EventBusPlugin::EventBusPlugin(QObject *parent)
    : QObject(parent),
      m_bus(new EventBus(this)),
      m_hooks(new Internal::HookAdapter(m_bus, this)),
      m_settings(std::make_unique<Internal::PluginSettings>()),
      m_translations(std::make_unique<TranslationLoader>())
{ }

EventBusPlugin::~EventBusPlugin()
{
    if (m_initialized)
        shutdown();
    // The adapter subscribes to the bus: it goes before the bus does.
    delete m_hooks;
}

QString EventBusPlugin::name() const
{
    return QStringLiteral("eventbus");
}

QList<Hook> EventBusPlugin::hooks() const
{
    return {AllHooks.begin(), AllHooks.end()};
}

bool EventBusPlugin::initialize(const QVariantMap &settings, const HostContext &context,
                                QString *errorString)
{
    // The language comes first so that settings errors are already translated.
    m_translations->install(settings.value(QStringLiteral("locale")).toString());
    if (!m_settings->load(settings, context, errorString))
        return false;
    for (const QString &warning : m_settings->warnings())
        qCWarning(lcConfig).noquote() << warning;
    if (!m_settings->locale().isEmpty() && m_translations->loadedFile().isEmpty() &&
        !m_settings->locale().startsWith(u"en")) {
        qCInfo(lcConfig).noquote() << "no translation for locale" << m_settings->locale()
                                   << "; messages stay in English";
    }

    m_bus->setInstanceName(m_settings->instanceName());
    m_hooks->setRedactedFields(m_settings->redactedFields());
    m_initialized = true;
    qCInfo(lcPlugin).noquote() << "event bus ready; source"
                               << m_bus->sourceFor(QStringLiteral("<kb>")) << "for"
                               << context.knowledgeBases.size() << "knowledge bases";
    return true;
}

void EventBusPlugin::shutdown()
{
    if (!m_initialized)
        return;
    m_initialized = false;
    qCInfo(lcPlugin).noquote() << "event bus stopping after" << m_bus->publishedCount() << "events,"
                               << m_bus->deliveredCount() << "deliveries,"
                               << m_bus->failedDeliveryCount() << "failed subscriber calls";
    m_translations->uninstall();
}

HookResult EventBusPlugin::callHook(Hook hook, const QVariantMap &entry, const HookContext &context)
{
    return m_hooks->handleHook(hook, entry, context);
}

bool EventBusPlugin::notify(Notification notification, const QVariantMap &payload,
                            const HookContext &context, QString *errorString)
{
    return m_hooks->handleNotification(notification, payload, context, errorString);
}

quint64 EventBusPlugin::subscribeEvents(const QStringList &typePatterns, const QString &kb,
                                        const QString &entryType, QObject *context,
                                        EventObserver observer, QString *errorString)
{
    EventFilter filter;
    if (!filter.setTypePatterns(typePatterns, errorString))
        return 0;
    filter.setKb(kb);
    filter.setEntryType(entryType);
    return m_bus->subscribe(filter, context,
                            [this, observer = std::move(observer)](const Event &event) {
                                // Delivery is synchronous on the bus thread: every observer of this
                                // event shares one conversion to JSON.
                                if (m_jsonEventId != event.id()) {
                                    m_jsonEvent = event.toJsonObject();
                                    m_jsonEventId = event.id();
                                }
                                observer(m_jsonEvent);
                            });
}

void EventBusPlugin::unsubscribeEvents(quint64 subscriptionId)
{
    m_bus->unsubscribe(subscriptionId);
}

void EventBusPlugin::registerHook(Hook hook, const QString &owner, QObject *context,
                                  HookCallback callback)
{
    m_hooks->registerHook(hook, owner, context, std::move(callback));
}

} // namespace Pyrite
