#pragma once

#include <QLocale>
#include <QString>

#include <memory>

class QTranslator;

namespace Pyrite {

// Installs the embedded catalogue (":/pyrite/i18n/pyrite_<lang>.qm", compiled from translations/)
// for a locale into the application. English needs none; an unknown language keeps English.
class TranslationLoader
{
public:
    TranslationLoader();
    ~TranslationLoader();

    // locale: a name such as "de" or "de_DE"; empty means the system locale.
    bool install(const QString &locale);
    void uninstall();
    QString loadedFile() const { return m_loadedFile; }

private:
    std::unique_ptr<QTranslator> m_translator;
    QString m_loadedFile;
};

} // namespace Pyrite
