// The graph the page shows, as data: entries and their links, changed by events with the rules
// of the plugin's GraphModel (plugin/http/graphmodel.cpp), so that the counts match /api/graph
// after every event. A link's target names an entry of the same KB, or "kb/id" of another; a
// link to an entry that does not exist draws nothing until that entry appears.

const MaxLinksPerEntry = 1000; // as GraphModel::MaxLinksPerEntry

export class GraphState {
  constructor() {
    this.nodes = new Map(); // id ("kb/entry_id") -> { id, kb, entry_id, title, type, tags, links, path }
    this.out = new Map(); // source id -> [edge], edge = { id, source, target, relation }
    this.in = new Map(); // target id -> Set of edge ids
    this.edgesById = new Map();
    this.wanting = new Map(); // a possible target id -> Set of source ids whose links name it
  }

  static fromGraph(graph) {
    const state = new GraphState();
    for (const node of graph.nodes) {
      state.nodes.set(node.id, { id: node.id, kb: node.kb, entry_id: node.entry_id,
                                 title: node.title, type: node.type, tags: node.tags || [],
                                 path: node.path || '', links: [] });
    }
    // /api/graph gives resolved edges; the links behind them are what later events change.
    for (const edge of graph.edges.concat(graph.dangling || [])) {
      const source = state.nodes.get(edge.source);
      if (source) source.links.push({ target: edge.target, relation: edge.relation });
    }
    for (const id of state.nodes.keys()) state.resolve(id);
    return state;
  }

  clone() {
    const copy = new GraphState();
    for (const [id, node] of this.nodes) copy.nodes.set(id, { ...node, links: node.links.slice() });
    for (const id of copy.nodes.keys()) copy.resolve(id);
    return copy;
  }

  get edgeCount() { return this.edgesById.size; }

  degree(id) {
    return (this.out.get(id) || []).length + (this.in.get(id) || new Set()).size;
  }

  edgesOut(id) { return this.out.get(id) || []; }

  edgesIn(id) {
    return [...(this.in.get(id) || [])].map((edgeId) => this.edgesById.get(edgeId));
  }

  // The entries id links to or is linked from (not itself).
  neighbours(id) {
    const ids = this.edgesOut(id).map((edge) => edge.target)
      .concat(this.edgesIn(id).map((edge) => edge.source));
    return ids.filter((other) => other !== id);
  }

  // Applies one event; returns what changed: { reload } for kb.indexed (the server reads the KB
  // folder again), else { nodesAdded, nodesUpdated, nodesRemoved, edgesAdded, edgesRemoved }
  // (ids; edges as objects), all empty when the event changes no entry. Adds to changes when
  // given, so that one object collects a batch.
  apply(event, changes = GraphState.noChanges()) {
    const data = event.data || {};
    if (event.type === 'kb.indexed') {
      changes.reload = true;
      return changes;
    }
    if (!event.type || !event.type.startsWith('entry.') || !data.entry_id || !data.kb) return changes;
    const id = `${data.kb}/${data.entry_id}`;
    if (event.type === 'entry.deleted') {
      if (this.nodes.has(id)) this.remove(id, changes);
      return changes;
    }
    const created = event.type === 'entry.created';
    const changed = data.changes || [];
    let node = this.nodes.get(id);
    const isNew = !node;
    if (isNew) {
      node = { id, kb: data.kb, entry_id: data.entry_id, title: '', type: '', tags: [], links: [],
               path: '' };
      this.nodes.set(id, node);
    }
    if (data.title || !node.title) node.title = data.title || data.entry_id;
    if (data.entry_type) node.type = data.entry_type;
    // An update that does not carry tags or links leaves them as they were.
    if (created || (data.tags && data.tags.length) || changed.includes('tags')) node.tags = data.tags || [];
    const carriesLinks = created || (data.links && data.links.length) || changed.includes('links');
    if (carriesLinks) node.links = (data.links || []).slice(0, MaxLinksPerEntry);
    (isNew ? changes.nodesAdded : changes.nodesUpdated).push(id);
    if (isNew) this.wake(id, changes);
    if (isNew || carriesLinks) this.resolve(id, changes);
    return changes;
  }

  static noChanges() {
    return { reload: false, nodesAdded: [], nodesUpdated: [], nodesRemoved: [], edgesAdded: [],
             edgesRemoved: [] };
  }

  remove(id, changes = GraphState.noChanges()) {
    this.dropEdgesOf(id, changes);
    for (const edgeId of [...(this.in.get(id) || [])]) {
      const edge = this.edgesById.get(edgeId);
      this.dropEdge(edge, changes);
    }
    this.in.delete(id);
    this.nodes.delete(id);
    changes.nodesRemoved.push(id);
    // The entries that linked here resolve again (a "kb/id" link may now name another entry).
    this.wake(id, changes);
    return changes;
  }

  targetOf(kb, target) {
    const local = `${kb}/${target}`;
    if (this.nodes.has(local)) return local;
    return this.nodes.has(target) ? target : null;
  }

  // (Re)computes the edges of source from its links.
  resolve(sourceId, changes = GraphState.noChanges()) {
    const node = this.nodes.get(sourceId);
    this.dropEdgesOf(sourceId, changes);
    if (!node) return;
    const edges = [];
    node.links.forEach((link, index) => {
      const target = typeof link === 'string' ? link : link.target;
      if (!target) return;
      for (const candidate of [`${node.kb}/${target}`, target]) {
        if (!this.wanting.has(candidate)) this.wanting.set(candidate, new Set());
        this.wanting.get(candidate).add(sourceId);
      }
      const targetId = this.targetOf(node.kb, target);
      if (!targetId) return;
      const edge = { id: `${sourceId}->${targetId}#${index}`, source: sourceId, target: targetId,
                     relation: (typeof link === 'string' ? '' : link.relation) || 'related' };
      edges.push(edge);
      this.edgesById.set(edge.id, edge);
      if (!this.in.has(targetId)) this.in.set(targetId, new Set());
      this.in.get(targetId).add(edge.id);
      changes.edgesAdded.push(edge);
    });
    if (edges.length) this.out.set(sourceId, edges);
  }

  // Entries whose links name id resolve again: it appeared or went away.
  wake(id, changes) {
    const sources = this.wanting.get(id);
    if (!sources) return;
    for (const source of [...sources]) {
      if (source !== id && this.nodes.has(source)) this.resolve(source, changes);
    }
  }

  dropEdgesOf(sourceId, changes) {
    for (const edge of this.out.get(sourceId) || []) this.dropEdge(edge, changes, false);
    this.out.delete(sourceId);
  }

  dropEdge(edge, changes, fromSource = true) {
    if (!edge || !this.edgesById.has(edge.id)) return;
    this.edgesById.delete(edge.id);
    const incoming = this.in.get(edge.target);
    if (incoming) incoming.delete(edge.id);
    if (fromSource) {
      const outgoing = this.out.get(edge.source);
      if (outgoing) {
        const index = outgoing.indexOf(edge);
        if (index >= 0) outgoing.splice(index, 1);
      }
    }
    changes.edgesRemoved.push(edge.id);
  }

  // How many entries and links differ from other (0: the same graph).
  differences(other) {
    let count = 0;
    for (const [id, node] of this.nodes) {
      const theirs = other.nodes.get(id);
      if (!theirs || theirs.title !== node.title || theirs.type !== node.type) ++count;
    }
    for (const id of other.nodes.keys()) if (!this.nodes.has(id)) ++count;
    for (const id of this.edgesById.keys()) if (!other.edgesById.has(id)) ++count;
    for (const id of other.edgesById.keys()) if (!this.edgesById.has(id)) ++count;
    return count;
  }
}
