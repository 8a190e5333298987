#pragma once

#include "interface/pyritetypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QVariantList>

namespace Pyrite {
class Event;
}

namespace Pyrite::Internal {

// The knowledge bases as a graph (entries are nodes, their links edges), for the live graph page.
// Read from the KB folders on a pool thread, then kept current by the events: the page loads
// /api/graph and subscribes from the sequence it reports, so it misses nothing in between.
class GraphModel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(GraphModel)

public:
    struct Node
    {
        QString kb;
        QString id;
        QString title;
        QString type;
        QStringList tags;
        QVariantList links;
        QString path; // the entry's file, relative to its KB folder (empty: not known)
        qsizetype droppedLinks = 0; // past MaxLinksPerEntry

        // Keeps the first MaxLinksPerEntry of links and counts the rest.
        void setLinks(QVariantList all);
    };

    // Links kept per entry: one file (or hook call) with tens of thousands of links would
    // otherwise hold hundreds of MiB in the graph; the rest are reported as a problem.
    static constexpr qsizetype MaxLinksPerEntry = 1000;

    explicit GraphModel(QObject *parent = nullptr);
    ~GraphModel() override;

    // Scans every KB folder in the background; loaded() follows. Problems (bad front matter, a
    // missing folder) are logged with file and line, and the rest of the KB is still read.
    // sequence: the event log's position the folders are read at.
    void load(const QList<KnowledgeBase> &knowledgeBases, qint64 sequence);
    bool isLoaded() const { return m_pendingScans == 0; }

    // Entry events change nodes; kb.indexed reads that KB again.
    void apply(const QList<Pyrite::Event> &events);

    // {"nodes": [...], "edges": [...], "dangling": [links to no entry], "sequence": N,
    //  "loading": bool, "problems": [...],
    //  "entry_url": template (when set)};
    // kb and entryType narrow it (empty: all).
    QJsonObject toJson(const QString &kb, const QString &entryType) const;
    qsizetype nodeCount() const { return m_nodes.size(); }
    // The scans' problems, those a host reported (setHostProblems), and entries with too many
    // links; each once.
    QStringList problems() const;
    // What a host that reads the KB files itself found in kb's (pyrite-host --watch); replaces
    // the last report.
    void setHostProblems(const QString &kb, const QStringList &problems);
    // Pyrite's web UI address of an entry, "{kb}" and "{id}" replaced (stream.entry_url); the
    // page links entries there. Empty: no link.
    void setEntryUrl(const QString &urlTemplate) { m_entryUrl = urlTemplate; }
    // The sequence of the newest event applied; the page resumes its stream from here.
    qint64 sequence() const { return m_sequence; }

Q_SIGNALS:
    void loaded();

private:
    struct ScanResult;
    void scanKb(const KnowledgeBase &kb);
    void takeScan(const ScanResult &result);
    static QString keyOf(const QString &kb, const QString &id) { return kb + u'/' + id; }
    QString pathInKb(const QString &kb, const QString &path) const;

    QList<KnowledgeBase> m_knowledgeBases;
    QHash<QString, Node> m_nodes;               // by "kb/id"
    QHash<QString, QStringList> m_problemsOfKb; // from the newest scan of each KB
    QHash<QString, QStringList> m_hostProblemsOfKb;
    QString m_entryUrl;
    // Entries events touched while a KB was being read: the scan is older news for them.
    QHash<QString, QSet<QString>> m_touchedWhileScanning; // kb -> keys
    // A KB read again (kb.indexed) while a read is under way: only the newest read counts.
    QHash<QString, int> m_newestScanOfKb;
    int m_pendingScans = 0;
    qint64 m_sequence = 0;
    int m_generation = 0; // scans of an older generation are dropped
};

} // namespace Pyrite::Internal
