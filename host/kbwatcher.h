#pragma once

#include "kbscanner.h"
#include "interface/pyritetypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

class QFileSystemWatcher;
class QTimer;

namespace Pyrite::Host {

class HookRegistry;

// Watch mode (pyrite-host --watch): reads every entry of the KB folders, calls before_index for
// each and publishes kb.indexed, then turns file creates, edits, renames and deletes into the
// hook calls Pyrite makes for the same writes (before_save / after_save, before_delete /
// after_delete), so the bus runs on a real KB folder with no Python at all.
class KbWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(KbWatcher)

public:
    explicit KbWatcher(const HookRegistry *registry, QObject *parent = nullptr);
    ~KbWatcher() override;

    // Who the hook calls name as their user.
    void setUser(const QString &user) { m_user = user; }
    // Quiet time after the last file event before a KB is compared again (editors write in steps).
    void setSettleMs(int milliseconds);

    // Reads each KB and starts watching it. A KB whose folder is missing is reported and skipped;
    // the others are watched. Runs before the event loop; returns the number of KBs watched.
    int start(const QList<KnowledgeBase> &knowledgeBases);

    struct Stats
    {
        int files = 0;    // markdown files read in the first scan
        int entries = 0;  // of them usable entries
        int problems = 0; // files reported and skipped
        qint64 scanMs = 0;
    };
    Stats initialStats() const { return m_initialStats; }

Q_SIGNALS:
    void kbScanned(const QString &kb, int entries, int problems, qint64 milliseconds);
    // A file that could not be used (names the file and line); the scan went on.
    void problemFound(const QString &message);
    // The files of kb that are not used now changed (one message per file, sorted; empty: none).
    void problemsChanged(const QString &kb, const QStringList &problems);
    // A hook call was made for a change on disk: "create", "update" or "delete".
    void changeApplied(const QString &kb, const QString &entryId, const QString &operation);
    // A before_* hook vetoed a change that is already on disk.
    void changeVetoed(const QString &kb, const QString &entryId, const QString &message);

private:
    struct KnownFile
    {
        qint64 modifiedMs = 0;
        qint64 size = 0;
        QString id; // empty: the file is not a usable entry (reported)
    };
    struct WatchedKb
    {
        KnowledgeBase kb;
        QString root;                     // absolute, with a trailing '/'
        QHash<QString, KnownFile> files;  // by absolute path
        QHash<QString, KbEntry> entries;  // by id
        QHash<QString, QString> pathOfId; // by id
        QHash<QString, QString> problems; // by absolute path: why that file is not used now
        bool indexed = false;             // the first scan is done
    };

    void scheduleCompare(const QString &path);
    void compareAll();
    void compare(WatchedKb *watched);
    void watchFolders(const WatchedKb &watched);
    QVariantMap entryMap(const WatchedKb &watched, const QString &path, const KbEntry &entry) const;
    HookContext contextFor(const WatchedKb &watched, const QString &operation) const;
    void applySave(WatchedKb *watched, const QString &path, const KbEntry &entry,
                   const KbEntry *previous, const QString &previousPath);
    void applyDelete(WatchedKb *watched, const QString &id, const QString &path);

    const HookRegistry *m_registry;
    QFileSystemWatcher *m_watcher;
    QTimer *m_settleTimer;
    QList<WatchedKb> m_kbs;
    QSet<int> m_dirtyKbs;
    QSet<QString> m_changedFiles; // fileChanged() since the last compare
    QString m_user = QStringLiteral("watch");
    Stats m_initialStats;
};

} // namespace Pyrite::Host
