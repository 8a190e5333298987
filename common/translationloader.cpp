#include "translationloader.h"

#include <QCoreApplication>
#include <QTranslator>

namespace Pyrite {

TranslationLoader::TranslationLoader() = default;

TranslationLoader::~TranslationLoader()
{
    uninstall();
}

bool TranslationLoader::install(const QString &locale)
{
    uninstall();
    const QLocale wanted = locale.isEmpty() ? QLocale() : QLocale(locale);
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(wanted, QStringLiteral("pyrite"), QStringLiteral("_"),
                          QStringLiteral(":/pyrite/i18n")))
        return false;
    if (!QCoreApplication::installTranslator(translator.get()))
        return false;
    m_loadedFile = translator->filePath();
    m_translator = std::move(translator);
    return true;
}

void TranslationLoader::uninstall()
{
    if (m_translator && QCoreApplication::instance())
        QCoreApplication::removeTranslator(m_translator.get());
    m_translator.reset();
    m_loadedFile.clear();
}

} // namespace Pyrite
