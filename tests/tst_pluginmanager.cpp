#include "hostconfig.h"
#include "pluginmanager.h"
#include "interface/pyriteplugin.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Host;

class tst_PluginManager : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void discoverReadsMetadataOnly();
    void load_data();
    void load();
    void strictStopsAtFirstFailure();
    void lenientGoesOn();
    void searchPaths();
    void skipsLibrariesThatAreNotPlugins();

private:
    HostConfig configFor(const QByteArray &yaml);
    PluginManager *makeManager();
    QTemporaryDir m_dir;
    int m_configs = 0;
};

void tst_PluginManager::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

HostConfig tst_PluginManager::configFor(const QByteArray &yaml)
{
    const QString path = m_dir.filePath(QStringLiteral("pyrite%1.yaml").arg(++m_configs));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(yaml);
    file.close();
    HostConfig config;
    QString error;
    if (!config.load(path, &error))
        qWarning() << error;
    return config;
}

PluginManager *tst_PluginManager::makeManager()
{
    auto *manager = new PluginManager(this);
    manager->setSearchPaths(
            {QStringLiteral(PYRITE_PLUGIN_DIR), QStringLiteral(PYRITE_TEST_PLUGIN_DIR)});
    manager->discover();
    return manager;
}

void tst_PluginManager::discoverReadsMetadataOnly()
{
    std::unique_ptr<PluginManager> manager(makeManager());
    QStringList ids;
    for (const PluginRecord &record : manager->records()) {
        ids.append(record.id);
        QCOMPARE(record.state, PluginRecord::State::Available);
        QVERIFY(!record.configured);
    }
    ids.sort();
    QCOMPARE(ids, (QStringList{"badversion", "eventbus", "wrongiid"}));
    QVERIFY(manager->plugins().isEmpty());
    const PluginRecord eventbus =
            *std::find_if(manager->records().cbegin(), manager->records().cend(),
                          [](const PluginRecord &r) { return r.id == u"eventbus"; });
    QCOMPARE(eventbus.version, QStringLiteral("0.1.0"));
    QVERIFY(eventbus.fileName.endsWith(QStringLiteral("libpyrite-eventbus.so")));
}

void tst_PluginManager::load_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("messagePart");

    QTest::addRow("eventbus") << QByteArray("plugins: [eventbus]\n") << "eventbus"
                              << int(PluginRecord::State::Loaded) << "";
    QTest::addRow("disabled") << QByteArray("plugins:\n  - {name: eventbus, enabled: false}\n")
                              << "eventbus" << int(PluginRecord::State::Disabled)
                              << "enabled: false";
    QTest::addRow("missing") << QByteArray("plugins: [nosuch]\n") << "nosuch"
                             << int(PluginRecord::State::Failed)
                             << "plugin \"nosuch\" was not found in";
    QTest::addRow("wrong iid") << QByteArray("plugins: [wrongiid]\n") << "wrongiid"
                               << int(PluginRecord::State::Failed)
                               << "implements interface \"org.example.SomethingElse/1.0\", but "
                                  "this host loads \"org.pyrite.Plugin/1.0\"";
    QTest::addRow("interface version")
            << QByteArray("plugins: [badversion]\n") << "badversion"
            << int(PluginRecord::State::Failed) << "declares InterfaceVersion 99";
    QTest::addRow("refused settings")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      instance: [1, 2]\n")
            << "eventbus" << int(PluginRecord::State::Failed)
            << "plugin \"eventbus\" refused its settings:\n";
}

void tst_PluginManager::load()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, id);
    QFETCH(int, state);
    QFETCH(QString, messagePart);

    const HostConfig config = configFor(yaml);
    std::unique_ptr<PluginManager> manager(makeManager());
    QSignalSpy loaded(manager.get(), &PluginManager::pluginLoaded);
    QSignalSpy failed(manager.get(), &PluginManager::pluginFailed);
    HostContext context;
    context.configFile = config.fileName();
    context.configLines = config.lines();
    context.dataDir = m_dir.path();
    QString error;
    if (state == int(PluginRecord::State::Failed))
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".")));
    if (state == int(PluginRecord::State::Failed))
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("goes on without plugin")));
    QVERIFY(manager->loadEnabled(config, context, &error));
    const auto records = manager->records();
    const auto record = std::find_if(records.cbegin(), records.cend(),
                                     [&id](const PluginRecord &r) { return r.id == id; });
    QVERIFY(record != records.cend());
    QVERIFY(record->configured);
    QCOMPARE(int(record->state), state);
    QVERIFY2(record->message.contains(messagePart), qPrintable(record->message));
    QCOMPARE(loaded.size(), state == int(PluginRecord::State::Loaded) ? 1 : 0);
    QCOMPARE(failed.size(), state == int(PluginRecord::State::Failed) ? 1 : 0);
    QCOMPARE(manager->plugins().size(), state == int(PluginRecord::State::Loaded) ? 1 : 0);
    if (id == u"eventbus" && state == int(PluginRecord::State::Failed)) {
        // The plugin's own message names file, line and key.
        QVERIFY2(record->message.contains(config.fileName() +
                                          QStringLiteral(":4: plugins[0].settings.instance")),
                 qPrintable(record->message));
    }
    manager->unloadAll();
    QVERIFY(manager->plugins().isEmpty());
}

void tst_PluginManager::strictStopsAtFirstFailure()
{
    const HostConfig config = configFor("strict_plugins: true\nplugins: [wrongiid, eventbus]\n");
    std::unique_ptr<PluginManager> manager(makeManager());
    QString error;
    HostContext context;
    context.dataDir = m_dir.path();
    QVERIFY(!manager->loadEnabled(config, context, &error));
    QVERIFY2(error.contains(QStringLiteral("org.example.SomethingElse/1.0")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("strict_plugins is on")), qPrintable(error));
    QVERIFY(manager->plugins().isEmpty()); // eventbus was never reached
}

void tst_PluginManager::lenientGoesOn()
{
    const HostConfig config = configFor("plugins: [nosuch, wrongiid, eventbus]\n");
    std::unique_ptr<PluginManager> manager(makeManager());
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("nosuch")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without plugin nosuch")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("SomethingElse")));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("without plugin wrongiid")));
    HostContext context;
    context.dataDir = m_dir.path();
    QVERIFY(manager->loadEnabled(config, context, &error));
    QCOMPARE(manager->plugins().size(), 1);
    QCOMPARE(manager->plugins().at(0)->name(), QStringLiteral("eventbus"));
    QCOMPARE(manager->services<EventBusService>().size(), 1);
}

void tst_PluginManager::searchPaths()
{
    const QString a = m_dir.filePath(QStringLiteral("a"));
    const QString b = m_dir.filePath(QStringLiteral("b"));
    const QString c = m_dir.filePath(QStringLiteral("c"));
    QDir().mkpath(a);
    QDir().mkpath(b);
    QDir().mkpath(c);
    qputenv("PYRITE_PLUGIN_PATH", (b + QStringLiteral(":/does/not/exist")).toLocal8Bit());
    const QStringList paths = PluginManager::searchPathsFor({a}, {c, a});
    qunsetenv("PYRITE_PLUGIN_PATH");
    QCOMPARE(paths.mid(0, 3), (QStringList{a, b, c}));
    QVERIFY(!paths.contains(QStringLiteral("/does/not/exist")));
    QVERIFY(paths.contains(QStringLiteral(PYRITE_PLUGIN_DIR))); // the build tree comes after
}

void tst_PluginManager::skipsLibrariesThatAreNotPlugins()
{
    const QString dir = m_dir.filePath(QStringLiteral("notplugins"));
    QDir().mkpath(dir);
    QFile junk(dir + QStringLiteral("/libjunk.so"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("this is not an ELF file");
    junk.close();
    PluginManager manager;
    manager.setSearchPaths({dir});
    manager.discover();
    QVERIFY(manager.records().isEmpty());
}

QTEST_GUILESS_MAIN(tst_PluginManager)
#include "tst_pluginmanager.moc"
