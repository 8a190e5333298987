// Watch mode on real folders: the first scan calls before_index and publishes kb.indexed, then
// creates, edits, renames and deletes on disk become Pyrite's hook calls; bad files are reported
// with file and line and never stop the watcher or lose an entry already accepted.

#include "hookregistry.h"
#include "kbwatcher.h"
#include "interface/pyriteplugin.h"
#include "testfiles.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Pyrite;
using namespace Pyrite::Host;

namespace {

// Records what the watcher calls, the way a plugin sees it.
class RecordingPlugin final : public PyritePlugin
{
public:
    QString name() const override { return "recorder"; }
    QList<Hook> hooks() const override { return {AllHooks.begin(), AllHooks.end()}; }
    bool initialize(const QVariantMap &, const HostContext &, QString *) override { return true; }
    void shutdown() override { }
    HookResult callHook(Hook hook, const QVariantMap &entry, const HookContext &context) override
    {
        QString call = hookName(hook) + u' ' + context.kbName + u'/' + entry.value("id").toString();
        if (!context.operation.isEmpty())
            call += u' ' + context.operation;
        calls.append(call);
        lastEntry = entry;
        lastContext = context;
        if (hook == Hook::BeforeSave && entry.value("id") == vetoId)
            return HookResult::veto("not today");
        return HookResult::proceed();
    }
    bool notify(Notification notification, const QVariantMap &payload, const HookContext &context,
                QString *) override
    {
        calls.append(notificationName(notification) + u' ' + context.kbName + u' ' +
                     payload.value("entries").toString());
        return true;
    }

    QStringList calls;
    QVariantMap lastEntry;
    HookContext lastContext;
    QString vetoId;
};

QByteArray entry(const QString &id, const QString &title, const QString &links = {})
{
    QByteArray text = "---\nid: " + id.toUtf8() + "\ntitle: " + title.toUtf8() + "\n";
    if (!links.isEmpty())
        text += "links: [" + links.toUtf8() + "]\n";
    return text + "---\nbody\n";
}

} // namespace

class tst_KbWatcher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void firstScan();
    void changesBecomeHookCalls();
    void renameKeepsOrChangesTheId_data();
    void renameKeepsOrChangesTheId();
    void malformedEditKeepsTheEntry();
    void vetoedChange();
    void missingFolderAndBadFiles();
    void problemsOfTheFilesNow();

private:
    void startWatching(const QList<KnowledgeBase> &kbs = {});
    QString kbPath(const QString &file) const { return m_dir->filePath("kb/" + file); }

    std::unique_ptr<QTemporaryDir> m_dir;
    RecordingPlugin m_plugin;
    HookRegistry m_registry;
    std::unique_ptr<KbWatcher> m_watcher;
    std::unique_ptr<QSignalSpy> m_problems;
};

void tst_KbWatcher::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QDir().mkpath(m_dir->filePath("kb"));
    m_plugin = RecordingPlugin();
    m_registry.clear();
    m_registry.registerPlugin(&m_plugin);
}

void tst_KbWatcher::cleanup()
{
    m_problems.reset();
    m_watcher.reset();
}

void tst_KbWatcher::startWatching(const QList<KnowledgeBase> &kbs)
{
    m_watcher = std::make_unique<KbWatcher>(&m_registry);
    m_watcher->setSettleMs(20);
    m_problems = std::make_unique<QSignalSpy>(m_watcher.get(), &KbWatcher::problemFound);
    m_watcher->start(kbs.isEmpty() ? QList<KnowledgeBase>{{"notes", m_dir->filePath("kb")}} : kbs);
}

void tst_KbWatcher::firstScan()
{
    writeFile(kbPath("a.md"), entry("a", "A", "b"));
    writeFile(kbPath("sub/b.md"), entry("b", "B"));
    writeFile(kbPath("bad.md"), "---\ntitle: [unclosed\n---\n");
    startWatching();
    QCOMPARE(m_plugin.calls,
             (QStringList{"before_index notes/a", "before_index notes/b", "kb.indexed notes 2"}));
    QCOMPARE(m_problems->size(), 1);
    QVERIFY2(m_problems->at(0).at(0).toString().contains("bad.md:3:"),
             qPrintable(m_problems->at(0).at(0).toString()));
    QCOMPARE(m_watcher->initialStats().files, 3);
    QCOMPARE(m_watcher->initialStats().entries, 2);
    QCOMPARE(m_watcher->initialStats().problems, 1);
}

void tst_KbWatcher::changesBecomeHookCalls()
{
    writeFile(kbPath("a.md"), entry("a", "A"));
    startWatching();
    m_plugin.calls.clear();

    writeFile(kbPath("new.md"), entry("new", "New", "a"));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_save notes/new create", "after_save notes/new create"}));
    QCOMPARE(m_plugin.lastEntry.value("links").toList().size(), 1);
    QCOMPARE(m_plugin.lastEntry.value("file_path").toString(), "new.md");
    m_plugin.calls.clear();

    // An edit in place (same folder, new content).
    writeFile(kbPath("new.md"), entry("new", "New title", "a"));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_save notes/new update", "after_save notes/new update"}));
    QCOMPARE(m_plugin.lastContext.previousEntry.value("title").toString(), "New");
    QCOMPARE(m_plugin.lastEntry.value("title").toString(), "New title");
    m_plugin.calls.clear();

    // A file in a folder created after the start.
    writeFile(kbPath("later/deep.md"), entry("deep", "Deep"));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_save notes/deep create", "after_save notes/deep create"}));
    m_plugin.calls.clear();

    QVERIFY(QFile::remove(kbPath("new.md")));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_delete notes/new delete", "after_delete notes/new delete"}));
    m_plugin.calls.clear();

    // Written again with the same content: nothing changed, no call.
    writeFile(kbPath("a.md"), entry("a", "A"));
    writeFile(kbPath("other.md"), entry("other", "Other"));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_save notes/other create", "after_save notes/other create"}));
    QCOMPARE(m_problems->size(), 0);
}

void tst_KbWatcher::renameKeepsOrChangesTheId_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("calls");
    QTest::newRow("id in the front matter: an update of file_path")
            << entry("kept", "Kept")
            << QStringList{"before_save notes/kept update", "after_save notes/kept update"};
    QTest::newRow("id from the file name: a delete and a create")
            << QByteArray("---\ntitle: Named by its file\n---\n")
            << QStringList{"before_delete notes/first delete", "after_delete notes/first delete",
                           "before_save notes/second create", "after_save notes/second create"};
}

void tst_KbWatcher::renameKeepsOrChangesTheId()
{
    QFETCH(QByteArray, content);
    writeFile(kbPath("first.md"), content);
    startWatching();
    m_plugin.calls.clear();
    QVERIFY(QFile::rename(kbPath("first.md"), kbPath("second.md")));
    QFETCH(QStringList, calls);
    QTRY_COMPARE(m_plugin.calls, calls);
}

void tst_KbWatcher::malformedEditKeepsTheEntry()
{
    writeFile(kbPath("a.md"), entry("a", "A"));
    startWatching();
    m_plugin.calls.clear();
    writeFile(kbPath("a.md"), "---\nid: a\nlinks: {not: a list}\n---\n");
    QTRY_COMPARE(m_problems->size(), 1);
    QVERIFY2(m_problems->at(0).at(0).toString().contains("a.md:3: links must be a list"),
             qPrintable(m_problems->at(0).at(0).toString()));
    QVERIFY2(m_plugin.calls.isEmpty(), "a bad edit deletes nothing");
    writeFile(kbPath("a.md"), entry("a", "A fixed"));
    QTRY_COMPARE(m_plugin.calls,
                 (QStringList{"before_save notes/a update", "after_save notes/a update"}));
}

void tst_KbWatcher::vetoedChange()
{
    startWatching();
    m_plugin.calls.clear();
    m_plugin.vetoId = "refused";
    QSignalSpy vetoed(m_watcher.get(), &KbWatcher::changeVetoed);
    writeFile(kbPath("refused.md"), entry("refused", "R"));
    QTRY_COMPARE(vetoed.size(), 1);
    QCOMPARE(vetoed.at(0).at(2).toString(), "not today");
    QCOMPARE(m_plugin.calls, QStringList{"before_save notes/refused create"});
}

void tst_KbWatcher::missingFolderAndBadFiles()
{
    writeFile(kbPath("ok.md"), entry("ok", "OK"));
    writeFile(kbPath("binary.md"), QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11));
    QByteArray huge("---\nid: huge\n---\n");
    huge.append(QByteArray(KbScanner::MaxFileBytes, 'x'));
    writeFile(kbPath("huge.md"), huge);
    startWatching({{"gone", m_dir->filePath("does-not-exist")}, {"notes", m_dir->filePath("kb")}});
    QCOMPARE(m_plugin.calls, (QStringList{"before_index notes/ok", "kb.indexed notes 1"}));
    QStringList problems;
    for (const QList<QVariant> &signal : std::as_const(*m_problems))
        problems.append(signal.at(0).toString());
    QCOMPARE(problems.size(), 3);
    QVERIFY2(problems.at(0).contains("knowledge base gone:") &&
                     problems.at(0).contains("is not a folder"),
             qPrintable(problems.at(0)));
    QVERIFY2(problems.at(1).contains("binary.md: not a text file"), qPrintable(problems.at(1)));
    QVERIFY2(problems.at(2).contains("huge.md: too large"), qPrintable(problems.at(2)));
    // And the watcher goes on.
    m_plugin.calls.clear();
    writeFile(kbPath("after.md"), entry("after", "After"));
    QTRY_COMPARE(m_plugin.calls.size(), 2);
}

// What the graph page lists: the files not used now, a report each time that set changes.
void tst_KbWatcher::problemsOfTheFilesNow()
{
    writeFile(kbPath("a.md"), entry("a", "A"));
    writeFile(kbPath("bad.md"), "---\ntitle: [unclosed\n---\n");
    m_watcher = std::make_unique<KbWatcher>(&m_registry);
    m_watcher->setSettleMs(20);
    QSignalSpy changed(m_watcher.get(), &KbWatcher::problemsChanged);
    m_watcher->start({{"notes", m_dir->filePath("kb")}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), "notes");
    QStringList problems = changed.at(0).at(1).toStringList();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.at(0).contains("bad.md:3:"), qPrintable(problems.join(u'\n')));

    // A second file turns bad; the first stays bad.
    writeFile(kbPath("a.md"), "---\nid: a\nlinks: {not: a list}\n---\n");
    QTRY_COMPARE(changed.size(), 2);
    problems = changed.at(1).at(1).toStringList();
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems.at(0).contains("a.md:3: links must be a list"),
             qPrintable(problems.join(u'\n')));
    QVERIFY(problems.at(1).contains("bad.md:3:"));

    // A copy with a taken id is one too.
    writeFile(kbPath("copy.md"), entry("a", "Copy"));
    QTRY_COMPARE(changed.size(), 3);
    QCOMPARE(changed.at(2).at(1).toStringList().size(), 3);

    // Mended, removed: gone from the list. A change elsewhere reports nothing new.
    writeFile(kbPath("a.md"), entry("a", "A again"));
    QVERIFY(QFile::remove(kbPath("bad.md")));
    QVERIFY(QFile::remove(kbPath("copy.md")));
    QTRY_VERIFY(changed.constLast().at(1).toStringList().isEmpty());
    const qsizetype reports = changed.size();
    writeFile(kbPath("b.md"), entry("b", "B"));
    QTRY_VERIFY(m_plugin.calls.contains("after_save notes/b create"));
    QCOMPARE(changed.size(), reports);
}

QTEST_GUILESS_MAIN(tst_KbWatcher)

#include "tst_kbwatcher.moc"
