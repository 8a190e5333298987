#include "hostconfig.h"
#include "pluginsettings.h"
#include "processmemory.h"
#include "testfiles.h"
#include "yamldocument.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;

class tst_Config : public QObject
{
    Q_OBJECT

private slots:
    void scalars_data();
    void scalars();
    void malformedYaml_data();
    void malformedYaml();
    void missingAndHugeFiles();
    void expansionIsBounded_data();
    void expansionIsBounded();
    void hostConfigErrors_data();
    void hostConfigErrors();
    void hostConfigValues();
    void hostConfigWarnsUnknownKeys();
    void hostConfigTakesPyritesKnowledgeBases();
    void pluginSettings_data();
    void pluginSettings();
    void kbYaml_data();
    void kbYaml();

private:
    QTemporaryDir m_dir;
};

void tst_Config::scalars_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QVariant>("value");

    QTest::addRow("true") << QByteArray("v: true") << QVariant(true);
    QTest::addRow("False") << QByteArray("v: False") << QVariant(false);
    QTest::addRow("integer") << QByteArray("v: 8080") << QVariant(qlonglong(8080));
    QTest::addRow("negative") << QByteArray("v: -3") << QVariant(qlonglong(-3));
    QTest::addRow("hex") << QByteArray("v: 0x10") << QVariant(qlonglong(16));
    QTest::addRow("decimal") << QByteArray("v: 1.5") << QVariant(1.5);
    QTest::addRow("quoted number stays text")
            << QByteArray("v: \"8080\"") << QVariant(QStringLiteral("8080"));
    QTest::addRow("quoted true stays text")
            << QByteArray("v: 'true'") << QVariant(QStringLiteral("true"));
    QTest::addRow("tilde") << QByteArray("v: ~") << QVariant();
    QTest::addRow("null") << QByteArray("v: null") << QVariant();
    QTest::addRow("empty") << QByteArray("v:") << QVariant();
    QTest::addRow("text") << QByteArray("v: entry.*") << QVariant(QStringLiteral("entry.*"));
    QTest::addRow("yes is text in YAML 1.2")
            << QByteArray("v: yes") << QVariant(QStringLiteral("yes"));
    QTest::addRow("unicode") << QByteArray("v: Grüße") << QVariant(QStringLiteral("Grüße"));
}

void tst_Config::scalars()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QVariant, value);
    YamlDocument document;
    QString error;
    QVERIFY2(document.loadFromData(yaml, QStringLiteral("t.yaml"), &error), qPrintable(error));
    const QVariant actual = document.root().toMap().value(QStringLiteral("v"));
    QCOMPARE(actual.typeId(), value.typeId());
    QCOMPARE(actual, value);
}

void tst_Config::malformedYaml_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("location");

    QTest::addRow("unclosed bracket") << QByteArray("a: 1\nb: [1, 2\n") << "t.yaml:3:";
    QTest::addRow("bad indentation") << QByteArray("a:\n  b: 1\n c: 2\n") << "t.yaml:3:";
    QTest::addRow("tab") << QByteArray("a:\n\tb: 1\n") << "t.yaml:2:";
    QTest::addRow("unknown alias") << QByteArray("a: 1\nb: *nowhere\n") << "t.yaml:2:";
    QTest::addRow("duplicate mapping in flow") << QByteArray("a: {b: 1, c}: 2\n") << "t.yaml:1:";
}

void tst_Config::malformedYaml()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, location);
    YamlDocument document;
    QString error;
    QVERIFY(!document.loadFromData(yaml, QStringLiteral("t.yaml"), &error));
    QVERIFY2(error.startsWith(location), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("invalid YAML")), qPrintable(error));
}

void tst_Config::missingAndHugeFiles()
{
    YamlDocument document;
    QString error;
    QVERIFY(!document.load(m_dir.filePath(QStringLiteral("nope.yaml")), &error));
    QVERIFY2(error.contains(QStringLiteral("nope.yaml: cannot open")), qPrintable(error));

    const QString huge = writeFile(m_dir.filePath(QStringLiteral("huge.yaml")),
                                   QByteArray(YamlDocument::MaxFileSize + 1, '#'));
    QVERIFY(!document.load(huge, &error));
    QVERIFY2(error.contains(QStringLiteral("too large")), qPrintable(error));
}

void tst_Config::expansionIsBounded_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");
    // Before: a 3 KB pyrite.yaml of this kind grew the host to 2.6 GB.
    QTest::addRow("laughs, 9 levels") << yamlLaughs("anchors", 9)
                                      << "t.yaml:2:12: invalid YAML: the document expands to "
                                         "more than 100000 values under \"anchors\"";
    QTest::addRow("laughs, 20 levels") << yamlLaughs("anchors", 20) << "expands to more than";
    QTest::addRow("laughs deep in a plugin's settings")
            << "plugins:\n  - name: eventbus\n    settings:\n" + yamlLaughs("x", 12, 6)
            << "expands to more than 100000 values under \"plugins\"";
    QTest::addRow("nested 150 deep") << QByteArray(150, '[') + QByteArray(150, ']')
                                     << "values are nested more than 100 deep";
    QTest::addRow("nested maps") << QByteArray("a: ").repeated(1) +
                    QByteArray("{b: ").repeated(120) + QByteArray(120, '}')
                                 << "values are nested more than 100 deep";
}

void tst_Config::expansionIsBounded()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const qint64 before = residentBytes();
    YamlDocument document;
    QString actual;
    QVERIFY(!document.loadFromData(yaml, QStringLiteral("t.yaml"), &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
    QVERIFY(document.lines().isEmpty());
    // At most MaxNodes values were made, and let go of.
    QVERIFY2(residentBytes() - before < 128 * 1024 * 1024,
             qPrintable(QString::number(residentBytes() - before)));
    // Used sparingly, aliases still work.
    QVERIFY(document.loadFromData("base: &b {x: 1}\na: *b\nc: [*b, *b]\n", "t.yaml", &actual));
    QCOMPARE(document.root().toMap().value("c").toList().size(), 2);
}

void tst_Config::hostConfigErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");

    QTest::addRow("top level list")
            << QByteArray("- a\n- b\n") << "expected a map of settings at the top level";
    QTest::addRow("strict not bool")
            << QByteArray("strict_plugins: maybe\n")
            << "pyrite.yaml:1: strict_plugins: expected true or false, got a string";
    // Before: a warning about the unknown key, then a host that watched no KB at all.
    QTest::addRow("watch, misspelt KB list")
            << QByteArray("watch: true\nknowledge_base:\n  - {name: notes, path: notes}\n")
            << "pyrite.yaml:1: watch: watch is on, but there is no knowledge base to watch";
    QTest::addRow("watch, empty KB list")
            << QByteArray("knowledge_bases: []\nwatch: true\n")
            << "pyrite.yaml:2: watch: watch is on, but there is no knowledge base to watch";
    QTest::addRow("watch not bool") << QByteArray("watch: often\n")
                                    << "pyrite.yaml:1: watch: expected true or false, got a string";
    QTest::addRow("plugins not a list") << QByteArray("plugins: eventbus\n")
                                        << "pyrite.yaml:1: plugins: expected a list, got a string";
    QTest::addRow("plugin item a number") << QByteArray("plugins:\n  - 5\n")
                                          << "pyrite.yaml:2: plugins[0]: expected a plugin name";
    QTest::addRow("plugin without name") << QByteArray("plugins:\n  - enabled: true\n")
                                         << "pyrite.yaml:2: plugins[0].name: is required";
    QTest::addRow("plugin enabled not bool")
            << QByteArray("plugins:\n  - name: eventbus\n    enabled: 1\n")
            << "pyrite.yaml:3: plugins[0].enabled: expected true or false, got a whole number";
    QTest::addRow("plugin settings a list")
            << QByteArray("plugins:\n  - name: eventbus\n    settings: [1]\n")
            << "pyrite.yaml:3: plugins[0].settings: expected a map of settings, got a list";
    QTest::addRow("plugin twice")
            << QByteArray("plugins:\n  - eventbus\n  - eventbus\n")
            << "pyrite.yaml:3: plugins[1]: plugin \"eventbus\" is listed twice";
    QTest::addRow("kb without path") << QByteArray("knowledge_bases:\n  - name: r\n")
                                     << "pyrite.yaml:2: knowledge_bases[0].path: is required";
    QTest::addRow("kb bad name")
            << QByteArray("knowledge_bases:\n  - name: a b\n    path: x\n")
            << "pyrite.yaml:2: knowledge_bases[0].name: \"a b\" is not a valid KB name";
    QTest::addRow("kb twice")
            << QByteArray("knowledge_bases:\n  - {name: r, path: a}\n  - {name: r, path: b}\n")
            << "pyrite.yaml:3: knowledge_bases[1].name: KB \"r\" is listed twice";
    QTest::addRow("bridge line cap too small")
            << QByteArray("bridge:\n  max_line_bytes: 10\n")
            << "pyrite.yaml:2: bridge.max_line_bytes: 10 is out of range";
    QTest::addRow("memory trim out of range")
            << QByteArray("memory_trim_seconds: -1\n")
            << "pyrite.yaml:1: memory_trim_seconds: -1 is out of range";
    QTest::addRow("bridge a string")
            << QByteArray("bridge: here\n")
            << "pyrite.yaml:1: bridge: expected a map of settings, got a string";
    QTest::addRow("malformed") << QByteArray("plugins: [\n") << "invalid YAML";
}

void tst_Config::hostConfigErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    const QString file = writeFile(m_dir.filePath(QStringLiteral("bad/pyrite.yaml")), yaml);
    Host::HostConfig config;
    QString error;
    QVERIFY(!config.load(file, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("pyrite.yaml")), qPrintable(error));
}

void tst_Config::hostConfigValues()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("good/kb/research"));
    const QString file = writeFile(m_dir.filePath(QStringLiteral("good/pyrite.yaml")), R"(
data_dir: state
strict_plugins: true
plugin_dirs: [plugins, /opt/pyrite/plugins]
knowledge_bases:
  - name: research
    path: kb/research
bridge:
  socket: run/bridge.sock
memory_trim_seconds: 0
plugins:
  - eventbus
  - name: other
    enabled: false
    settings:
      key: value
)");
    Host::HostConfig config;
    QString error;
    QVERIFY2(config.load(file, &error), qPrintable(error));
    const QString base = m_dir.filePath(QStringLiteral("good"));
    QCOMPARE(config.dataDir(), base + QStringLiteral("/state"));
    QVERIFY(config.strictPlugins());
    QCOMPARE(config.pluginDirs(),
             (QStringList{base + QStringLiteral("/plugins"),
                          QStringLiteral("/opt/pyrite/plugins")}));
    QCOMPARE(config.bridgeSocket(), base + QStringLiteral("/run/bridge.sock"));
    QCOMPARE(config.bridgeMaxLineBytes(), 1024 * 1024);
    QCOMPARE(config.memoryTrimSeconds(), 0);
    QCOMPARE(config.knowledgeBases().size(), 1);
    QCOMPARE(config.knowledgeBases().at(0).path, base + QStringLiteral("/kb/research"));
    QCOMPARE(config.plugins().size(), 2);
    QCOMPARE(config.plugins().at(0).name, QStringLiteral("eventbus"));
    QVERIFY(config.plugins().at(0).enabled);
    QCOMPARE(config.plugins().at(0).settingsPath, QStringLiteral("plugins[0].settings"));
    QVERIFY(!config.plugins().at(1).enabled);
    QCOMPARE(config.plugins().at(1).settings.value(QStringLiteral("key")).toString(),
             QStringLiteral("value"));
    QCOMPARE(config.plugins().at(1).settingsPath, QStringLiteral("plugins[1].settings"));
    QVERIFY(config.warnings().isEmpty());
}

void tst_Config::hostConfigWarnsUnknownKeys()
{
    const QString file = writeFile(m_dir.filePath(QStringLiteral("warn/pyrite.yaml")),
                                   "plugins: []\nplugin: eventbus\nbridge:\n  sockt: x\n");
    Host::HostConfig config;
    QString error;
    QVERIFY2(config.load(file, &error), qPrintable(error));
    QCOMPARE(config.warnings().size(), 2);
    QVERIFY2(config.warnings().at(0).contains(
                     QStringLiteral("pyrite.yaml:4: bridge.sockt: unknown key")) ||
                     config.warnings().at(1).contains(
                             QStringLiteral("pyrite.yaml:4: bridge.sockt: unknown key")),
             qPrintable(config.warnings().join(u'\n')));
    QVERIFY(config.warnings().join(u'\n').contains(
            QStringLiteral("pyrite.yaml:2: plugin: unknown key")));
}

// pyrite.yaml without a KB list: Pyrite's own config.yaml beside it has the list the user keeps.
void tst_Config::hostConfigTakesPyritesKnowledgeBases()
{
    const QString dir = m_dir.filePath(QStringLiteral("pyrite-kbs"));
    writeFile(dir + QStringLiteral("/config.yaml"),
              "version: 1\nknowledge_bases:\n  - name: notes\n    path: kb/notes\n"
              "    kb_type: generic\n  - name: bad name\n    path: x\nsettings: {}\n");
    const QString file = writeFile(dir + QStringLiteral("/pyrite.yaml"), "plugins: [eventbus]\n");
    Host::HostConfig config;
    QString error;
    QVERIFY2(config.load(file, &error), qPrintable(error));
    QCOMPARE(config.knowledgeBases().size(), 1);
    QCOMPARE(config.knowledgeBases().at(0).name, QStringLiteral("notes"));
    QCOMPARE(config.knowledgeBases().at(0).path, dir + QStringLiteral("/kb/notes"));
    QCOMPARE(config.knowledgeBasesFrom(), dir + QStringLiteral("/config.yaml"));

    // A list in pyrite.yaml, even an empty one, is the list.
    writeFile(file, "plugins: [eventbus]\nknowledge_bases: []\n");
    QVERIFY2(config.load(file, &error), qPrintable(error));
    QVERIFY(config.knowledgeBases().isEmpty());
    QVERIFY(config.knowledgeBasesFrom().isEmpty());
}

void tst_Config::pluginSettings_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");   // empty: accepted
    QTest::addColumn<QString>("warning"); // empty: none

    QTest::addRow("empty") << QByteArray("plugins:\n  - name: eventbus\n") << ""
                           << "";
    QTest::addRow("instance")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      instance: host-1\n")
            << ""
            << "";
    QTest::addRow("instance with slash")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      instance: a/b\n")
            << "pyrite.yaml:4: plugins[0].settings.instance: \"a/b\" cannot be part of a URI "
               "authority"
            << "";
    QTest::addRow("instance a list")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      instance: [a]\n")
            << "pyrite.yaml:4: plugins[0].settings.instance: expected a string, got a list"
            << "";
    const QByteArray stream = "plugins:\n  - name: eventbus\n    settings:\n      stream:\n";
    QTest::addRow("stream address") << stream + "        address: localhost-ish\n"
                                    << "pyrite.yaml:5: plugins[0].settings.stream.address: "
                                       "\"localhost-ish\" is not an IP address"
                                    << "";
    QTest::addRow("entry url") << stream +
                    "        entry_url: http://localhost:8088/entries/{id}?kb={kb}\n"
                               << ""
                               << "";
    QTest::addRow("entry url not http")
            << stream + "        entry_url: javascript:alert({id})\n"
            << "pyrite.yaml:5: plugins[0].settings.stream.entry_url: \"javascript:alert({id})\" is "
               "not an http or https address"
            << "";
    QTest::addRow("entry url without id")
            << stream + "        entry_url: http://localhost:8088/entries/\n"
            << "pyrite.yaml:5: plugins[0].settings.stream.entry_url: "
               "\"http://localhost:8088/entries/\" has no {id} for the entry's id"
            << "";
    QTest::addRow("stream short token") << stream + "        tokens: [abc]\n"
                                        << "pyrite.yaml:5: plugins[0].settings.stream.tokens: a "
                                           "token must have at least 16 characters"
                                        << "";
    QTest::addRow("stream token from unset variable")
            << stream + "        tokens: [env:PYRITE_NO_SUCH_TOKEN]\n"
            << "stream.tokens: environment variable PYRITE_NO_SUCH_TOKEN is not set"
            << "";
    // The environment holds "abc" (pluginSettings() sets it); the message must not.
    QTest::addRow("stream short token from a variable")
            << stream + "        tokens: [env:PYRITE_TEST_SHORT_TOKEN]\n"
            << "pyrite.yaml:5: plugins[0].settings.stream.tokens: environment variable "
               "PYRITE_TEST_SHORT_TOKEN holds a token of 3 characters; a token must have at "
               "least 16"
            << "";
    QTest::addRow("stream tokens an empty list")
            << stream + "        tokens: []\n"
            << ""
            << "pyrite.yaml:5: plugins[0].settings.stream.tokens: the list is empty: there is no "
               "authentication";
    QTest::addRow("every address, no tokens")
            << stream + "        address: 0.0.0.0\n"
            << ""
            << "plugins[0].settings.stream.tokens: the plugin listens on 0.0.0.0 without tokens: "
               "anyone who can reach it may read every event and use the API";
    QTest::addRow("every address, tokens") << stream +
                    "        address: 0.0.0.0\n        tokens: "
                    "[0123456789abcdef]\n"
                                           << ""
                                           << "";
    QTest::addRow("loopback, no tokens") << stream + "        address: ::1\n"
                                         << ""
                                         << "";
    QTest::addRow("stream port") << stream + "        port: 70000\n"
                                 << "stream.port: 70000 is out of range (0 to 65535)"
                                 << "";
    QTest::addRow("stream http connections")
            << stream + "        max_http_connections: 0\n"
            << "stream.max_http_connections: 0 is out of range (1 to 1000000)"
            << "";
    QTest::addRow("stream ping interval")
            << stream + "        ping_interval: soon\n"
            << "stream.ping_interval: \"soon\" is not a duration between 1s and 1h"
            << "";
    // A quoted value with a line break stays on the error's one line (found by fuzz_config).
    QTest::addRow("value with a line break")
            << stream + "        address: \"a\n\n        b\"\n"
            << "pyrite.yaml:5: plugins[0].settings.stream.address: \"a\\nb\" is not an IP address"
            << "";
    QTest::addRow("stream fine") << stream +
                    "        port: 0\n        tokens: [0123456789abcdef]\n        ping_interval: "
                    "10s\n"
                                 << ""
                                 << "";
    QTest::addRow("unknown key")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      instanse: x\n") << ""
            << "pyrite.yaml:4: plugins[0].settings.instanse: unknown key (known keys: instance, "
               "locale, event_log, stream, webhooks, serve, serve_after, wrappers)";
    const QByteArray settings = "plugins:\n  - name: eventbus\n    settings:\n";
    QTest::addRow("serve") << settings + "      serve: sometimes\n"
                           << "pyrite.yaml:4: plugins[0].settings.serve: unknown value "
                              "\"sometimes\" (expected one of: always, auto, never)"
                           << "";
    QTest::addRow("serve_after") << settings + "      serve: auto\n      serve_after: 2 days\n"
                                 << "pyrite.yaml:5: plugins[0].settings.serve_after: \"2 days\" is "
                                    "not a duration between 0s and 1h"
                                 << "";
    QTest::addRow("serve fine") << settings + "      serve: auto\n      serve_after: 500ms\n"
                                << ""
                                << "";
    QTest::addRow("wrapper misspelt")
            << settings + "      wrappers: {add_lnk: false}\n"
            << ""
            << "pyrite.yaml:4: plugins[0].settings.wrappers.add_lnk: unknown key (known keys: "
               "add_link, sync_index, add_type, remove_type, set_schema, validate_entry, "
               "validate_kb)";
    QTest::addRow("wrapper not a boolean")
            << settings + "      wrappers:\n        sync_index: sometimes\n"
            << "pyrite.yaml:5: plugins[0].settings.wrappers.sync_index: expected true or false, "
               "got a string"
            << "";
    QTest::addRow("wrappers not a map") << settings + "      wrappers: [add_link]\n"
                                        << "pyrite.yaml:4: plugins[0].settings.wrappers: expected "
                                           "a map of settings, got a list"
                                        << "";
    QTest::addRow("wrappers fine")
            << settings + "      wrappers: {add_link: false, validate_kb: true}\n"
            << ""
            << "";
    // The seed's spelling: a top-level webhooks list belongs to the event bus.
    QTest::addRow("top-level webhooks")
            << QByteArray("plugins: [eventbus]\nwebhooks:\n  - url: ftp://example.com/x\n")
            << "pyrite.yaml:3: plugins[0].settings.webhooks[0].url: the scheme must be https or "
               "http, not \"ftp\""
            << "";
    QTest::addRow("webhooks twice")
            << QByteArray("plugins:\n  - name: eventbus\n    settings:\n      webhooks: []\n"
                          "webhooks:\n  - url: https://example.com/x\n")
            << "pyrite.yaml:5: webhooks: webhooks are given twice: here and in "
               "plugins[0].settings.webhooks; keep one"
            << "";
}

void tst_Config::pluginSettings()
{
    qputenv("PYRITE_TEST_SHORT_TOKEN", "abc");
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const QString file = writeFile(m_dir.filePath(QStringLiteral("plugin/pyrite.yaml")), yaml);
    Host::HostConfig config;
    QString loadError;
    if (!config.load(file, &loadError)) { // an error of the host's part of the file
        QVERIFY2(!error.isEmpty() && loadError.contains(error), qPrintable(loadError));
        return;
    }
    HostContext context;
    context.configFile = file;
    context.configLines = config.lines();
    context.settingsPath = config.plugins().at(0).settingsPath;

    Internal::PluginSettings settings;
    QString actual;
    QCOMPARE(settings.load(config.plugins().at(0).settings, context, &actual), error.isEmpty());
    if (!error.isEmpty())
        QVERIFY2(actual.contains(error), qPrintable(actual));
    QVERIFY(!actual.contains(u"abc")); // never a token, not even a short one
    if (warning.isEmpty())
        QVERIFY(settings.warnings().isEmpty());
    else
        QVERIFY2(settings.warnings().join(u'\n').contains(warning),
                 qPrintable(settings.warnings().join(u'\n')));
}

void tst_Config::kbYaml_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QStringList>("redacted");

    QTest::addRow("no eventbus section")
            << QByteArray("name: research\ntypes: {note: {}}\n") << "" << QStringList();
    QTest::addRow("redact") << QByteArray("name: research\neventbus:\n  redact: [title, links]\n")
                            << "" << QStringList{QStringLiteral("title"), QStringLiteral("links")};
    QTest::addRow("redact one word") << QByteArray("eventbus:\n  redact: title\n") << ""
                                     << QStringList{QStringLiteral("title")};
    QTest::addRow("redact unknown field")
            << QByteArray("name: research\neventbus:\n  redact: [body]\n")
            << "kb.yaml:3: eventbus.redact: \"body\" cannot be redacted" << QStringList();
    QTest::addRow("redact a number")
            << QByteArray("eventbus:\n  redact: [5]\n")
            << "kb.yaml:2: eventbus.redact[0]: expected a string, got a whole number"
            << QStringList();
    QTest::addRow("section a list")
            << QByteArray("eventbus: [1]\n")
            << "kb.yaml:1: eventbus: expected a map of settings, got a list" << QStringList();
    QTest::addRow("malformed") << QByteArray("eventbus: {redact: [title\n")
                               << "kb.yaml:2:" << QStringList();
    // KB content, not the operator's: a 380-byte kb.yaml of this kind peaked at 258 MiB before.
    QTest::addRow("laughs under types")
            << "name: research\n" + yamlLaughs("types", 9)
            << "kb.yaml:3:7: invalid YAML: the document expands to more than 100000 values under "
               "\"types\""
            << QStringList();
}

void tst_Config::kbYaml()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    QFETCH(QStringList, redacted);
    const QString kbPath = m_dir.filePath(QStringLiteral("kbs/%1").arg(
            QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')));
    writeFile(kbPath + QStringLiteral("/kb.yaml"), yaml);
    HostContext context;
    context.configFile = QStringLiteral("pyrite.yaml");
    context.knowledgeBases = {{QStringLiteral("research"), kbPath},
                              {QStringLiteral("missing"), m_dir.filePath(QStringLiteral("none"))}};
    Internal::PluginSettings settings;
    QString actual;
    QCOMPARE(settings.load({}, context, &actual), error.isEmpty());
    if (!error.isEmpty()) {
        QVERIFY2(actual.contains(error), qPrintable(actual));
        return;
    }
    QCOMPARE(settings.redactedFields().value(QStringLiteral("research")), redacted);
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
