#include "kbwatcher.h"

#include "hosttr.h"

#include "hookregistry.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace Pyrite::Host {

KbWatcher::KbWatcher(const HookRegistry *registry, QObject *parent)
    : QObject(parent),
      m_registry(registry),
      m_watcher(new QFileSystemWatcher(this)),
      m_settleTimer(new QTimer(this))
{
    m_settleTimer->setSingleShot(true);
    m_settleTimer->setInterval(50);
    connect(m_settleTimer, &QTimer::timeout, this, &KbWatcher::compareAll);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &KbWatcher::scheduleCompare);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        // Read again even when size and time look the same (an edit within the time's resolution).
        m_changedFiles.insert(path);
        scheduleCompare(path);
    });
}

KbWatcher::~KbWatcher() = default;

void KbWatcher::setSettleMs(int milliseconds)
{
    m_settleTimer->setInterval(milliseconds);
}

int KbWatcher::start(const QList<KnowledgeBase> &knowledgeBases)
{
    m_kbs.clear();
    m_initialStats = {};
    QElapsedTimer timer;
    timer.start();
    for (const KnowledgeBase &kb : knowledgeBases) {
        const QFileInfo root(kb.path);
        if (!root.isDir()) {
            Q_EMIT problemFound(
                    HostTr::tr("knowledge base %1: %2 is not a folder; it is not watched")
                            .arg(kb.name, kb.path));
            continue;
        }
        WatchedKb watched;
        watched.kb = kb;
        watched.root = root.absoluteFilePath() + u'/';
        m_kbs.append(watched);
    }
    for (WatchedKb &watched : m_kbs) {
        QElapsedTimer kbTimer;
        kbTimer.start();
        const int problemsBefore = m_initialStats.problems;
        compare(&watched);
        const int problems = m_initialStats.problems - problemsBefore;
        m_initialStats.entries += int(watched.entries.size());
        const qint64 milliseconds = kbTimer.elapsed();
        QString error;
        const QStringList errors = m_registry->notify(
                Notification::KbIndexed,
                QVariantMap{{QStringLiteral("entries"), qlonglong(watched.entries.size())},
                            {QStringLiteral("added"), qlonglong(watched.entries.size())},
                            {QStringLiteral("updated"), 0},
                            {QStringLiteral("removed"), 0},
                            {QStringLiteral("duration_ms"), milliseconds}},
                contextFor(watched, QString()));
        for (const QString &message : errors)
            Q_EMIT problemFound(HostTr::tr("kb.indexed for %1: %2").arg(watched.kb.name, message));
        Q_EMIT kbScanned(watched.kb.name, int(watched.entries.size()), problems, milliseconds);
        watchFolders(watched);
    }
    m_initialStats.scanMs = timer.elapsed();
    return int(m_kbs.size());
}

void KbWatcher::scheduleCompare(const QString &path)
{
    for (int i = 0; i < m_kbs.size(); ++i) {
        if (path.startsWith(m_kbs.at(i).root) || path + u'/' == m_kbs.at(i).root)
            m_dirtyKbs.insert(i);
    }
    m_settleTimer->start(); // restarts: editors write in several steps
}

void KbWatcher::compareAll()
{
    const QSet<int> dirty = std::exchange(m_dirtyKbs, {});
    for (int index : dirty) {
        compare(&m_kbs[index]);
        watchFolders(m_kbs.at(index));
    }
}

void KbWatcher::watchFolders(const WatchedKb &watched)
{
    const QStringList watchedDirs = m_watcher->directories();
    const QStringList watchedFiles = m_watcher->files();
    const QSet<QString> known(watchedDirs.cbegin(), watchedDirs.cend());
    const QSet<QString> knownFiles(watchedFiles.cbegin(), watchedFiles.cend());
    QStringList add;
    const QString root = watched.root.chopped(1);
    if (!known.contains(root))
        add.append(root);
    QDirIterator it(root, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!known.contains(dir))
            add.append(dir);
    }
    // Files too: an edit in place changes no folder.
    for (auto file = watched.files.cbegin(); file != watched.files.cend(); ++file) {
        if (!knownFiles.contains(file.key()))
            add.append(file.key());
    }
    if (add.isEmpty())
        return;
    const QStringList failed = m_watcher->addPaths(add);
    if (!failed.isEmpty())
        Q_EMIT problemFound(
                HostTr::tr("knowledge base %1: cannot watch %2 paths (first: %3); raise "
                           "fs.inotify.max_user_watches to see their changes")
                        .arg(watched.kb.name)
                        .arg(failed.size())
                        .arg(failed.constFirst()));
}

HookContext KbWatcher::contextFor(const WatchedKb &watched, const QString &operation) const
{
    HookContext context;
    context.kbName = watched.kb.name;
    context.user = m_user;
    context.operation = operation;
    return context;
}

QVariantMap KbWatcher::entryMap(const WatchedKb &watched, const QString &path,
                                const KbEntry &entry) const
{
    QVariantMap map = entry.toVariantMap();
    map.insert(QStringLiteral("kb_name"), watched.kb.name);
    map.insert(QStringLiteral("file_path"), path.mid(watched.root.size()));
    return map;
}

void KbWatcher::compare(WatchedKb *watched)
{
    const bool initial = !watched->indexed;
    watched->indexed = true;
    QHash<QString, KnownFile> files;
    QHash<QString, QString> pathOfId;
    QHash<QString, QString> problems;
    QList<std::pair<QString, KbEntry>> changed;
    for (const QString &path : KbScanner::entryPaths(watched->root)) {
        const QFileInfo info(path);
        const KnownFile previous = watched->files.value(path);
        const bool known = watched->files.contains(path);
        if (known && previous.modifiedMs == info.lastModified().toMSecsSinceEpoch() &&
            previous.size == info.size() && !m_changedFiles.remove(path)) {
            files.insert(path, previous);
            if (!previous.id.isEmpty())
                pathOfId.insert(previous.id, path);
            if (const auto problem = watched->problems.constFind(path);
                problem != watched->problems.cend())
                problems.insert(path, *problem);
            continue;
        }
        if (initial)
            ++m_initialStats.files;
        KbScanner::File file;
        QString error;
        if (!KbScanner::readFile(path, &file, &error)) {
            if (initial)
                ++m_initialStats.problems;
            Q_EMIT problemFound(error);
            problems.insert(path, error);
            // A file that turned bad keeps its last good entry: nothing accepted is lost.
            KnownFile bad{info.lastModified().toMSecsSinceEpoch(), info.size(), previous.id};
            files.insert(path, bad);
            if (!bad.id.isEmpty())
                pathOfId.insert(bad.id, path);
            continue;
        }
        files.insert(path, {file.modifiedMs, file.size, file.entry.id});
        changed.append({path, file.entry});
    }
    // Changed files claim their ids after the unchanged ones: a copy never steals an id.
    QList<std::pair<QString, KbEntry>> accepted;
    for (auto &[path, entry] : changed) {
        const QString owner = pathOfId.value(entry.id);
        if (!owner.isEmpty() && owner != path) {
            if (initial)
                ++m_initialStats.problems;
            const QString problem = HostTr::tr("%1: id \"%2\" is already the id of %3; skipped")
                                            .arg(path, entry.id, owner);
            Q_EMIT problemFound(problem);
            problems.insert(path, problem);
            files[path].id.clear();
            continue;
        }
        pathOfId.insert(entry.id, path);
        accepted.append({path, entry});
    }
    // Entries whose files are gone (deleted, or renamed to another id) go first.
    const QHash<QString, QString> previousPathOfId = watched->pathOfId;
    watched->files = files;
    if (problems != watched->problems || initial) {
        watched->problems = problems;
        QStringList messages = problems.values();
        messages.sort();
        Q_EMIT problemsChanged(watched->kb.name, messages);
    }
    for (auto it = previousPathOfId.cbegin(); it != previousPathOfId.cend(); ++it) {
        if (!pathOfId.contains(it.key()))
            applyDelete(watched, it.key(), it.value());
    }
    watched->pathOfId = pathOfId;
    for (const auto &[path, entry] : std::as_const(accepted)) {
        if (initial) {
            const HookOutcome outcome =
                    m_registry->run(Hook::BeforeIndex, entryMap(*watched, path, entry),
                                    contextFor(*watched, QString()));
            if (outcome.aborted) {
                Q_EMIT changeVetoed(watched->kb.name, entry.id, outcome.message);
                continue;
            }
            watched->entries.insert(entry.id, entry);
            continue;
        }
        const auto previous = watched->entries.constFind(entry.id);
        if (previous == watched->entries.cend()) {
            applySave(watched, path, entry, nullptr, QString());
        } else {
            const KbEntry before = previous.value();
            applySave(watched, path, entry, &before, previousPathOfId.value(entry.id));
        }
    }
}

void KbWatcher::applySave(WatchedKb *watched, const QString &path, const KbEntry &entry,
                          const KbEntry *previous, const QString &previousPath)
{
    const QString operation = previous ? QStringLiteral("update") : QStringLiteral("create");
    HookContext context = contextFor(*watched, operation);
    if (previous) {
        // The file an entry comes from is part of it: a rename that keeps the id is an update.
        context.previousEntry = entryMap(*watched, previousPath, *previous);
        if (context.previousEntry == entryMap(*watched, path, entry)) {
            watched->entries.insert(entry.id, entry);
            return; // touched, not changed
        }
    }
    const HookOutcome before =
            m_registry->run(Hook::BeforeSave, entryMap(*watched, path, entry), context);
    if (before.aborted) {
        // The file is on disk already; the bus is told nothing of a change a hook refused.
        Q_EMIT changeVetoed(watched->kb.name, entry.id, before.message);
        return;
    }
    watched->entries.insert(entry.id, entry);
    m_registry->run(Hook::AfterSave, before.entry, context);
    Q_EMIT changeApplied(watched->kb.name, entry.id, operation);
}

void KbWatcher::applyDelete(WatchedKb *watched, const QString &id, const QString &path)
{
    const auto it = watched->entries.constFind(id);
    if (it == watched->entries.cend())
        return;
    const HookContext context = contextFor(*watched, QStringLiteral("delete"));
    const QVariantMap entry = entryMap(*watched, path, it.value());
    const HookOutcome before = m_registry->run(Hook::BeforeDelete, entry, context);
    if (before.aborted) {
        Q_EMIT changeVetoed(watched->kb.name, id, before.message);
        return;
    }
    watched->entries.remove(id);
    m_registry->run(Hook::AfterDelete, before.entry, context);
    Q_EMIT changeApplied(watched->kb.name, id, QStringLiteral("delete"));
}

} // namespace Pyrite::Host
