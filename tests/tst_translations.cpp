#include "loadedplugin.h"
#include "translationloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Pyrite;

class tst_Translations : public QObject
{
    Q_OBJECT

private slots:
    void germanCatalogue();
    void unknownLanguageStaysEnglish();
    void pluginErrorsInGerman();
    void catalogueIsComplete();
};

void tst_Translations::germanCatalogue()
{
    TranslationLoader loader;
    QVERIFY(loader.install(QStringLiteral("de")));
    QVERIFY(loader.loadedFile().endsWith(QStringLiteral("pyrite_de.qm")));
    QCOMPARE(QCoreApplication::translate("Pyrite::Common", "is required"),
             QStringLiteral("ist erforderlich"));
    loader.uninstall();
    QCOMPARE(QCoreApplication::translate("Pyrite::Common", "is required"),
             QStringLiteral("is required"));
}

void tst_Translations::unknownLanguageStaysEnglish()
{
    TranslationLoader loader;
    QVERIFY(!loader.install(QStringLiteral("fi")));
    QCOMPARE(QCoreApplication::translate("Pyrite::Common", "is required"),
             QStringLiteral("is required"));
}

void tst_Translations::pluginErrorsInGerman()
{
    LoadedPlugin loaded;
    HostContext context;
    context.configFile = QStringLiteral("pyrite.yaml");
    context.settingsPath = QStringLiteral("plugins[0].settings");
    QString error;
    QVERIFY(!loaded.load({{"locale", "de"}, {"instance", QVariantList{1}}}, context, &error));
    QCOMPARE(error,
             QStringLiteral("pyrite.yaml: plugins[0].settings.instance: erwartet eine "
                            "Zeichenkette, erhalten: eine Liste"));
}

// Every message in the German catalogue is translated: no unfinished or empty entries.
void tst_Translations::catalogueIsComplete()
{
    QFile file(QStringLiteral(PYRITE_SOURCE_DIR "/translations/pyrite_de.ts"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString ts = QString::fromUtf8(file.readAll());
    const int messages = int(ts.count(QStringLiteral("<message")));
    QVERIFY2(messages > 100, qPrintable(QString::number(messages)));
    QCOMPARE(ts.count(QStringLiteral("type=\"unfinished\"")), 0);
    QCOMPARE(ts.count(QStringLiteral("<translation></translation>")), 0);
}

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
