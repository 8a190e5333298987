#include "graphmodel.h"

#include "httptr.h"

#include "bus/event.h"
#include "kbscanner.h"
#include "wikilinks.h"
#include "logging.h"

#include <QDir>
#include <QJsonArray>
#include <QPointer>
#include <QThreadPool>

namespace Pyrite::Internal {

struct GraphModel::ScanResult
{
    QString kb;
    int generation = 0;
    int scan = 0; // of this KB
    QList<Node> nodes;
    QStringList problems;
};

GraphModel::GraphModel(QObject *parent)
    : QObject(parent)
{ }

GraphModel::~GraphModel()
{
    // A scan still running posts to a QPointer that is null by then.
}

void GraphModel::load(const QList<KnowledgeBase> &knowledgeBases, qint64 sequence)
{
    m_sequence = sequence;
    m_knowledgeBases = knowledgeBases;
    ++m_generation;
    m_nodes.clear();
    m_problemsOfKb.clear();
    m_touchedWhileScanning.clear();
    m_newestScanOfKb.clear();
    m_pendingScans = 0;
    for (const KnowledgeBase &kb : knowledgeBases)
        scanKb(kb);
    if (m_pendingScans == 0)
        Q_EMIT loaded();
}

void GraphModel::Node::setLinks(QVariantList all)
{
    droppedLinks = std::max<qsizetype>(0, all.size() - MaxLinksPerEntry);
    if (droppedLinks > 0) {
        all.resize(MaxLinksPerEntry);
        all.squeeze();
    }
    links = std::move(all);
}

void GraphModel::scanKb(const KnowledgeBase &kb)
{
    ++m_pendingScans;
    m_touchedWhileScanning[kb.name].clear();
    QPointer<GraphModel> self(this);
    const int generation = m_generation;
    const int scanNumber = ++m_newestScanOfKb[kb.name];
    QThreadPool::globalInstance()->start([self, kb, generation, scanNumber] {
        const KbScanner::Result scan = KbScanner::scan(kb.path);
        ScanResult result{kb.name, generation, scanNumber, {}, scan.problems};
        result.nodes.reserve(scan.files.size());
        for (const KbScanner::File &file : scan.files) {
            const KbEntry &entry = file.entry;
            Node node{kb.name, entry.id, entry.title, entry.type, entry.tags, {}, {}, 0};
            node.path = QDir(kb.path).relativeFilePath(file.path);
            // The body's [[wikilinks]] are edges too, as in Pyrite's graph.
            node.setLinks(entry.links + WikiLinks::asLinks(entry.body, entry.id, entry.links));
            result.nodes.append(std::move(node));
        }
        QMetaObject::invokeMethod(
                self,
                [self, result] {
                    if (self)
                        self->takeScan(result);
                },
                Qt::QueuedConnection);
    });
}

void GraphModel::takeScan(const ScanResult &result)
{
    if (result.generation != m_generation)
        return;
    if (result.scan != m_newestScanOfKb.value(result.kb)) {
        // A newer read of this KB is under way: it read the folder later, so this one is stale.
        if (--m_pendingScans == 0)
            Q_EMIT loaded();
        return;
    }
    const QSet<QString> touched = m_touchedWhileScanning.take(result.kb);
    // Entries of this KB that the scan no longer has are gone, unless an event said otherwise.
    QSet<QString> scanned;
    for (const Node &node : result.nodes)
        scanned.insert(keyOf(node.kb, node.id));
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        const QString &key = it.key();
        if (it->kb == result.kb && !scanned.contains(key) && !touched.contains(key))
            it = m_nodes.erase(it);
        else
            ++it;
    }
    for (const Node &node : result.nodes) {
        const QString key = keyOf(node.kb, node.id);
        if (!touched.contains(key))
            m_nodes.insert(key, node);
    }
    for (const QString &problem : result.problems)
        qCWarning(lcPlugin).noquote() << "graph:" << problem;
    m_problemsOfKb.insert(result.kb, result.problems); // they replace the last read's
    qCInfo(lcPlugin).noquote() << "graph: knowledge base" << result.kb << "has"
                               << result.nodes.size() << "entries";
    if (--m_pendingScans == 0)
        Q_EMIT loaded();
}

void GraphModel::apply(const QList<Pyrite::Event> &events)
{
    for (const Event &event : events) {
        m_sequence = std::max(m_sequence, event.sequence());
        const QString type = event.type();
        if (type == u"kb.indexed") {
            for (const KnowledgeBase &kb : std::as_const(m_knowledgeBases)) {
                if (kb.name == event.kb())
                    scanKb(kb);
            }
            continue;
        }
        if (!type.startsWith(u"entry.") || event.entryId().isEmpty())
            continue;
        const QString key = keyOf(event.kb(), event.entryId());
        const auto touched = m_touchedWhileScanning.find(event.kb());
        if (touched != m_touchedWhileScanning.end())
            touched->insert(key);
        if (type == u"entry.deleted") {
            m_nodes.remove(key);
            continue;
        }
        Node &node = m_nodes[key];
        node.kb = event.kb();
        node.id = event.entryId();
        if (!event.title().isEmpty() || node.title.isEmpty())
            node.title = event.title().isEmpty() ? event.entryId() : event.title();
        if (!event.entryType().isEmpty())
            node.type = event.entryType();
        // An update that does not carry links or tags leaves them as they were.
        // (An event from another instance has no entry(), only its data and changes.)
        const QVariantMap entry = event.entry();
        const QString path = entry.value(QStringLiteral("file_path")).toString();
        if (!path.isEmpty())
            node.path = pathInKb(event.kb(), path);
        const QStringList changes = event.changes();
        const auto carries = [&](const QString &field, bool nonEmpty) {
            return type == u"entry.created" || nonEmpty || entry.contains(field) ||
                    changes.contains(field);
        };
        if (carries(QStringLiteral("tags"), !event.tags().isEmpty()))
            node.tags = event.tags();
        if (carries(QStringLiteral("links"), !event.links().isEmpty())) {
            node.setLinks(event.links());
            if (node.droppedLinks > 0)
                qCWarning(lcPlugin).noquote()
                        << "graph:" << key << "has" << node.links.size() + node.droppedLinks
                        << "links; the graph keeps the first" << MaxLinksPerEntry;
        }
    }
}

QStringList GraphModel::problems() const
{
    QStringList all;
    for (const KnowledgeBase &kb : m_knowledgeBases) {
        all += m_problemsOfKb.value(kb.name);
        all += m_hostProblemsOfKb.value(kb.name);
    }
    all.removeDuplicates(); // a host reading the same files finds the same problems
    for (const Node &node : m_nodes) {
        if (node.droppedLinks > 0) {
            all += HttpTr::tr("%1/%2 has %3 links; the graph draws the first %4")
                           .arg(node.kb, node.id)
                           .arg(node.links.size() + node.droppedLinks)
                           .arg(MaxLinksPerEntry);
        }
    }
    return all;
}

// Pyrite's entries carry an absolute file_path, the watcher's one relative to the KB folder: the
// page shows it relative to the folder either way.
QString GraphModel::pathInKb(const QString &kb, const QString &path) const
{
    if (!QDir::isAbsolutePath(path))
        return path;
    for (const KnowledgeBase &knowledgeBase : m_knowledgeBases) {
        if (knowledgeBase.name != kb)
            continue;
        const QString relative = QDir(knowledgeBase.path).relativeFilePath(path);
        if (!relative.startsWith(QLatin1String("../")))
            return relative;
    }
    return path;
}

void GraphModel::setHostProblems(const QString &kb, const QStringList &problems)
{
    if (problems.isEmpty())
        m_hostProblemsOfKb.remove(kb);
    else
        m_hostProblemsOfKb.insert(kb, problems);
}

QJsonObject GraphModel::toJson(const QString &kb, const QString &entryType) const
{
    QJsonArray nodes;
    QJsonArray edges;
    QJsonArray dangling; // links to entries that do not exist (yet): drawn once they do
    for (const Node &node : m_nodes) {
        if ((!kb.isEmpty() && node.kb != kb) || (!entryType.isEmpty() && node.type != entryType))
            continue;
        const QString key = keyOf(node.kb, node.id);
        nodes.append(QJsonObject{{QStringLiteral("id"), key},
                                 {QStringLiteral("entry_id"), node.id},
                                 {QStringLiteral("kb"), node.kb},
                                 {QStringLiteral("title"), node.title},
                                 {QStringLiteral("type"), node.type},
                                 {QStringLiteral("tags"), QJsonArray::fromStringList(node.tags)},
                                 {QStringLiteral("path"), node.path}});
        for (const QVariant &link : node.links) {
            const QVariantMap map = link.toMap();
            // A target names an entry of the same KB, or "kb/id" of another one.
            const QString target = map.value(QStringLiteral("target")).toString();
            QString targetKey = keyOf(node.kb, target);
            if (!m_nodes.contains(targetKey) && m_nodes.contains(target))
                targetKey = target;
            const auto it = m_nodes.constFind(targetKey);
            if (it == m_nodes.cend()) {
                dangling.append(QJsonObject{{QStringLiteral("source"), key},
                                            {QStringLiteral("target"), target},
                                            {QStringLiteral("relation"),
                                             map.value(QStringLiteral("relation")).toString()}});
                continue; // draws nothing
            }
            if ((!kb.isEmpty() && it->kb != kb) || (!entryType.isEmpty() && it->type != entryType))
                continue;
            edges.append(QJsonObject{{QStringLiteral("source"), key},
                                     {QStringLiteral("target"), targetKey},
                                     {QStringLiteral("relation"),
                                      map.value(QStringLiteral("relation")).toString()}});
        }
    }
    QJsonObject graph{{QStringLiteral("nodes"), nodes},
                      {QStringLiteral("edges"), edges},
                      {QStringLiteral("dangling"), dangling},
                      {QStringLiteral("sequence"), m_sequence},
                      {QStringLiteral("loading"), !isLoaded()},
                      {QStringLiteral("problems"), QJsonArray::fromStringList(problems())}};
    if (!m_entryUrl.isEmpty())
        graph.insert(QStringLiteral("entry_url"), m_entryUrl);
    return graph;
}

} // namespace Pyrite::Internal
