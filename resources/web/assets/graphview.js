// Draws a GraphState with Cytoscape.js on three stacked canvases sharing one viewport:
//  - the graph itself;
//  - the live layer: for big graphs, what changed lately, until it merges into the graph below
//    (redrawing 5,000 entries for each change would cost every frame);
//  - the focus layer: the hovered or selected entry with its neighbours, drawn over the graph,
//    which only dims (a CSS opacity, no redraw), so highlighting costs the same at any size.
// Emits "select" (detail: id or null) and "hover" (detail: id or null).
import { typeColor, KbShapes } from './typecolors.js';

export const BigGraph = 1000; // above this: no force layout unless asked, labels by zoom only
const LinkDetailZoom = 1.5; // big graphs draw all links from this zoom on
const BigLabelZoom = 16 / 9; // and their labels from this one
const MergeIntervalMs = 5000; // how often a big graph takes in the changes its live layer shows
const MaxFitZoom = 1.6; // a small or filtered graph is not blown up beyond this
const LabelPx = 11; // label size on screen, at any zoom (small graphs)
const CreatedMs = 1500;
const FlashMs = 900;
const FadeMs = 700;
const RecentLinkMs = 3000;

const Themes = {
  dark: { background: '#09090b', label: '#a1a1aa', edge: '#3f3f46', arrow: '#52525b',
          highlight: '#facc15', created: '#22c55e', flash: '#facc15', deleted: '#ef4444',
          recent: '#a1a1aa', mask: '#09090b', outline: '#27272a' },
  light: { background: '#fafafa', label: '#3f3f46', edge: '#c4c4cc', arrow: '#a1a1aa',
           highlight: '#ca8a04', created: '#16a34a', flash: '#ca8a04', deleted: '#dc2626',
           recent: '#52525b', mask: '#fafafa', outline: '#e4e4e7' },
};

function nodeSize(degree) {
  // As Pyrite's graph view: bigger with more links, within bounds.
  return Math.max(14, Math.min(40, 14 + degree * 2.5));
}

function labelOf(title) {
  return title.length > 30 ? `${title.slice(0, 28)}…` : title;
}

export class GraphView extends EventTarget {
  constructor({ graph, live, focus, tooltip }, { theme = 'dark' } = {}) {
    super();
    this.containers = { graph, live, focus, tooltip };
    this.theme = theme;
    this.state = null;
    this.positions = new Map(); // id -> {x, y}: where an entry was, so it comes back there
    this.kbs = [];
    this.big = false;
    this.overview = false;
    this.unmerged = [];
    this.mergeTimer = 0;
    this.hovered = null;
    this.selected = null;
    this.measure = document.createElement('canvas').getContext('2d');
    this.createLayers();
  }

  createLayers() {
    this.cy = cytoscape({ container: this.containers.graph, minZoom: 0.05, maxZoom: 4,
                          hideEdgesOnViewport: true, wheelSensitivity: 0.3,
                          style: this.styles('graph') });
    const overlay = { userZoomingEnabled: false, userPanningEnabled: false,
                      boxSelectionEnabled: false, autoungrabify: true, autounselectify: true };
    this.live = cytoscape({ container: this.containers.live, ...overlay, style: this.styles('live') });
    this.focus = cytoscape({ container: this.containers.focus, ...overlay, style: this.styles('focus') });
    this.cy.on('viewport resize', () => {
      for (const layer of [this.live, this.focus]) {
        layer.resize();
        layer.viewport({ zoom: this.cy.zoom(), pan: this.cy.pan() });
      }
    });
    let viewportTimer = 0;
    this.cy.on('viewport', () => {
      clearTimeout(viewportTimer);
      viewportTimer = setTimeout(() => this.viewportSettled(), 120);
    });
    this.cy.on('mouseover', 'node', (event) => this.setHover(event.target.id()));
    this.cy.on('mouseout', 'node', () => this.setHover(null));
    this.cy.on('tap', 'node', (event) => this.select(event.target.id()));
    this.cy.on('tap', (event) => { if (event.target === this.cy) this.select(null); });
    this.cy.on('mouseover', 'edge', (event) => this.showRelation(event));
    this.cy.on('mouseout', 'edge', () => { this.containers.tooltip.hidden = true; });
    this.cy.on('dragfree', 'node', (event) => {
      const node = event.target;
      this.positions.set(node.id(), { ...node.position() });
      this.spots = null;
    });
  }

  // The stylesheet of a layer ("graph", "live" or "focus"). Label sizes depend on the graph's
  // size and zoom: small graphs keep labels at LabelPx on screen, big ones show them from a zoom.
  styles(layer) {
    const t = Themes[this.theme];
    const zoom = this.cy ? this.cy.zoom() : 1;
    const big = this.big && layer !== 'focus';
    // A big graph's labels are readable from zoom ~1.8 (9 px, shown from 16 px on screen); below
    // that they are not even measured.
    const labels = big ? { label: zoom >= BigLabelZoom ? 'data(label)' : '', 'font-size': 9,
                           'min-zoomed-font-size': 16 }
                       : { label: layer === 'focus' ? 'data(label)' : '', 'min-zoomed-font-size': 0,
                           'font-size': (layer === 'focus' ? LabelPx + 1 : LabelPx) / zoom,
                           'text-margin-y': 3 / zoom };
    return [
      { selector: 'node', style: { 'background-color': 'data(color)', shape: 'data(shape)',
                                   width: 'data(size)', height: 'data(size)', color: t.label,
                                   'text-valign': 'bottom', 'border-width': 0,
                                   'font-family': 'system-ui, sans-serif', ...labels } },
      { selector: 'node.labelled', style: { label: 'data(label)' } },
      // Arrows, but a big graph's links are plain lines (haystack: the cheapest to draw).
      { selector: 'edge', style: big ? { width: 1, 'line-color': t.edge, 'curve-style': 'haystack' }
                                     : { width: 1.2, 'line-color': t.edge, 'curve-style': 'straight',
                                         'target-arrow-shape': 'triangle', 'target-arrow-color': t.arrow,
                                         'arrow-scale': 0.7 } },
      { selector: 'node.created', style: { 'border-width': 4, 'border-color': t.created } },
      { selector: 'node.flash', style: { 'border-width': 4, 'border-color': t.flash } },
      { selector: 'node.fading', style: { 'border-width': 2, 'border-color': t.deleted } },
      { selector: 'node.center', style: { 'border-width': 3, 'border-color': t.highlight,
                                          'underlay-color': t.highlight, 'underlay-opacity': 0.2,
                                          'underlay-padding': 6 } },
      { selector: 'node.mask', style: { 'background-color': t.mask, label: '', 'border-width': 0 } },
      // Level of detail for big graphs: links drawn when zoomed in, and those just changed.
      { selector: 'edge.overview', style: { display: 'none' } },
      { selector: 'edge.recent', style: { display: 'element', 'line-color': t.recent, width: 2 } },
      { selector: 'edge.near', style: { 'line-color': t.highlight, 'target-arrow-color': t.highlight,
                                        width: 1.8 } },
    ];
  }

  restyle(layers = ['graph', 'live', 'focus']) {
    const instances = { graph: this.cy, live: this.live, focus: this.focus };
    for (const layer of layers) instances[layer].style(this.styles(layer));
  }

  setTheme(theme) {
    this.theme = theme;
    this.restyle();
  }

  // --- Element data -----------------------------------------------------------------------------

  shapeOf(kb) {
    let index = this.kbs.indexOf(kb);
    if (index < 0) {
      this.kbs.push(kb);
      this.kbs.sort();
      index = this.kbs.indexOf(kb);
    }
    return KbShapes[index % KbShapes.length];
  }

  nodeData(node) {
    const degree = this.state.degree(node.id);
    const type = node.type || 'note';
    return { id: node.id, kb: node.kb, entry_id: node.entry_id, title: node.title,
             label: labelOf(node.title || node.entry_id), type, color: typeColor(type),
             shape: this.shapeOf(node.kb), size: nodeSize(degree), degree };
  }

  edgeData(edge) {
    return { id: edge.id, source: edge.source, target: edge.target, relation: edge.relation };
  }

  // --- Loading ----------------------------------------------------------------------------------

  // Shows state as it is: every element anew. Entries seen before keep their place; with layout
  // the rest is laid out (all of it when none had a place), else placed next to their links.
  load(state, { layout = true } = {}) {
    this.state = state;
    this.spots = null;
    clearTimeout(this.mergeTimer);
    this.mergeTimer = 0;
    this.unmerged = [];
    this.live.elements().remove();
    this.clearFocus();
    for (const kb of new Set([...state.nodes.values()].map((node) => node.kb))) this.shapeOf(kb);
    this.big = state.nodes.size > BigGraph;
    const known = [...state.nodes.keys()].filter((id) => this.positions.has(id)).length;
    const fresh = layout && known < state.nodes.size / 2;
    // A big graph gets its places before it is drawn: no layout pass over Cytoscape's elements.
    if (fresh && this.big) this.gridInLinkOrder();
    const elements = [];
    for (const node of state.nodes.values()) {
      const position = this.positions.get(node.id);
      elements.push({ group: 'nodes', data: this.nodeData(node),
                      position: position ? { ...position } : { x: 0, y: 0 } });
    }
    // A big graph starts as an overview: its links are added when zoomed in (updateLinkDetail).
    this.overview = this.big;
    this.edgesShown = !this.big;
    if (this.edgesShown) {
      for (const edge of state.edgesById.values()) elements.push({ group: 'edges', data: this.edgeData(edge) });
    }
    this.updateLabelStyle();
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    if (fresh && !this.big) {
      this.runLayout(false);
    } else if (!fresh) {
      // The rest next to what they link to.
      const placed = this.cy.nodes().filter((node) => !this.positions.has(node.id()));
      placed.forEach((node) => node.position(this.freeSpot(node.id())));
    }
    this.rememberPositions();
    this.fit();
    this.updateLinkDetail();
  }

  rememberPositions() {
    this.cy.nodes().forEach((node) => this.positions.set(node.id(), { ...node.position() }));
  }

  // A grid in breadth-first order over the links, computed on the model: linked entries land near
  // each other, so links stay short (and cheap to draw) without a force layout's O(n^2) cost.
  gridInLinkOrder() {
    const state = this.state;
    const order = [];
    const seen = new Set();
    for (const root of state.nodes.keys()) {
      if (seen.has(root)) continue;
      seen.add(root);
      const queue = [root];
      for (let head = 0; head < queue.length; ++head) {
        const id = queue[head];
        order.push(id);
        for (const other of state.neighbours(id)) {
          if (!seen.has(other)) {
            seen.add(other);
            queue.push(other);
          }
        }
      }
    }
    const width = this.cy.width() || 1;
    const height = this.cy.height() || 1;
    const columns = Math.max(1, Math.ceil(Math.sqrt((order.length * width) / height)));
    const spacing = 48;
    order.forEach((id, index) => {
      this.positions.set(id, { x: (index % columns) * spacing, y: Math.floor(index / columns) * spacing });
    });
  }

  runLayout(force) {
    const cy = this.cy;
    if (this.big && !force) {
      this.gridInLinkOrder();
      cy.nodes().positions((node) => ({ ...this.positions.get(node.id()) }));
    } else {
      this.showAllEdges();
      cy.layout({ name: 'cose-bilkent', animate: false, randomize: true, nodeRepulsion: 6500,
                  idealEdgeLength: 90, edgeElasticity: 0.4, numIter: this.big ? 600 : 2500,
                  // Entries with no links are tiled; wide apart, so that their labels fit side by side.
                  tile: true, tilingPaddingVertical: 50, tilingPaddingHorizontal: 170 }).run();
    }
    this.rememberPositions();
  }

  relayout() {
    this.spots = null;
    this.runLayout(true);
    this.fit();
  }

  // The whole graph in view, but a handful of entries is not blown up to fill the screen.
  fit() {
    const cy = this.cy;
    if (!cy.nodes().length) return;
    cy.fit(undefined, 50);
    if (cy.zoom() > MaxFitZoom) {
      cy.zoom(MaxFitZoom);
      cy.center();
    }
    this.viewportSettled();
  }

  // --- Changes ----------------------------------------------------------------------------------

  // Shows what GraphState.apply() reported. highlight: mark the changes for a moment. direct:
  // into the graph at once even when it is big (a replay draws many changes per frame).
  applyChanges(changes, { highlight = true, direct = false } = {}) {
    if (this.big && !direct) {
      this.live.batch(() => this.showLive(changes));
      this.unmerged.push(changes);
      if (!this.mergeTimer) this.mergeTimer = setTimeout(() => this.merge(), MergeIntervalMs);
      return;
    }
    this.cy.batch(() => this.applyToGraph(changes, highlight));
    if (!this.big) this.placeLabelsSoon();
  }

  applyToGraph(changes, highlight) {
    const cy = this.cy;
    const state = this.state;
    const touched = new Set();
    for (const id of changes.edgesRemoved) {
      const edge = cy.getElementById(id);
      if (edge.nonempty()) {
        touched.add(edge.data('source')).add(edge.data('target'));
        edge.remove();
      }
    }
    for (const id of changes.nodesRemoved) this.removeNode(id, highlight);
    for (const id of changes.nodesAdded) {
      const node = state.nodes.get(id);
      if (!node) continue;
      const old = cy.getElementById(id);
      if (old.nonempty()) old.remove(); // still fading out
      const position = this.positions.get(id) || this.freeSpot(id);
      const added = cy.add({ group: 'nodes', data: this.nodeData(node), position: { ...position } });
      this.positions.set(id, { ...position });
      if (highlight) this.mark(added, 'created', CreatedMs);
    }
    for (const id of changes.nodesUpdated) {
      const node = state.nodes.get(id);
      const element = cy.getElementById(id);
      if (!node || element.empty()) continue;
      element.data(this.nodeData(node));
      if (highlight) this.mark(element, 'flash', FlashMs);
    }
    for (const edge of changes.edgesAdded) {
      if (!this.edgesShown) break; // added with the rest when zoomed in
      if (!state.edgesById.has(edge.id) || cy.getElementById(edge.id).nonempty()) continue;
      if (cy.getElementById(edge.source).empty() || cy.getElementById(edge.target).empty()) continue;
      const added = cy.add({ group: 'edges', data: this.edgeData(edge) });
      touched.add(edge.source).add(edge.target);
      if (this.overview) added.addClass('overview');
      if (highlight) this.mark(added, 'recent', RecentLinkMs);
    }
    // Sizes follow link counts.
    for (const edge of changes.edgesAdded) touched.add(edge.source).add(edge.target);
    for (const id of touched) {
      const element = cy.getElementById(id);
      if (element.nonempty() && state.nodes.has(id)) {
        const degree = state.degree(id);
        element.data({ degree, size: nodeSize(degree) });
      }
    }
  }

  removeNode(id, highlight) {
    this.spots = null;
    const node = this.cy.getElementById(id);
    if (node.empty()) return;
    if (!highlight) {
      node.remove();
      return;
    }
    if (node.hasClass('fading')) return;
    node.addClass('fading');
    node.connectedEdges().remove();
    node.animate({ style: { opacity: 0 } }, { duration: FadeMs, complete: () => {
      if (node.hasClass('fading') && !node.removed()) node.remove();
    } });
  }

  mark(element, className, ms) {
    element.addClass(className);
    setTimeout(() => element.removeClass(className), ms);
  }

  // A new entry appears next to the entries it links to (or that link to it), else in the middle
  // of the view, at the nearest place where it covers no other entry; nothing else moves.
  freeSpot(id) {
    const state = this.state;
    const anchors = [];
    for (const other of state.neighbours(id)) {
      const position = this.positions.get(other);
      if (position) anchors.push(position);
    }
    let center;
    if (anchors.length) {
      center = { x: anchors.reduce((sum, p) => sum + p.x, 0) / anchors.length,
                 y: anchors.reduce((sum, p) => sum + p.y, 0) / anchors.length };
    } else {
      const extent = this.cy.extent();
      center = { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
    }
    const spots = this.occupied();
    const start = Math.random() * Math.PI * 2;
    for (let ring = 1; ring <= 60; ++ring) {
      const radius = ring * spots.clearance * 0.7;
      const steps = 8 + ring * 4;
      for (let step = 0; step < steps; ++step) {
        const angle = start + (step / steps) * Math.PI * 2;
        const candidate = { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) };
        if (spots.isFree(candidate, id)) {
          spots.add(candidate, id);
          return candidate;
        }
      }
    }
    return { x: center.x + 60, y: center.y + 60 };
  }

  // Where entries are, in a grid of cells as wide as the clearance a new entry needs: a free
  // place is found by looking at nine cells, not at every entry. Built on demand, dropped when
  // entries move or go.
  occupied() {
    if (this.spots) return this.spots;
    // Two big entries side by side with room for a label; a big graph's grid is denser.
    const clearance = this.big ? 24 : 46;
    const cells = new Map();
    const keyOf = (x, y) => `${Math.floor(x / clearance)},${Math.floor(y / clearance)}`;
    const spots = {
      clearance,
      add(p, id) {
        const key = keyOf(p.x, p.y);
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push({ x: p.x, y: p.y, id });
      },
      isFree(p, id) {
        const cx = Math.floor(p.x / clearance);
        const cy = Math.floor(p.y / clearance);
        for (let dx = -1; dx <= 1; ++dx) {
          for (let dy = -1; dy <= 1; ++dy) {
            for (const o of cells.get(`${cx + dx},${cy + dy}`) || []) {
              if (o.id !== id && (o.x - p.x) ** 2 + (o.y - p.y) ** 2 < clearance ** 2) return false;
            }
          }
        }
        return true;
      },
    };
    this.cy.nodes().forEach((node) => { if (!node.hasClass('fading')) spots.add(node.position(), node.id()); });
    this.live.nodes().forEach((node) => spots.add(node.position(), node.id()));
    this.spots = spots;
    return spots;
  }

  // Replaces what is shown by state without a layout: a replay's jump or its end.
  sync(state) {
    this.state = state;
    this.spots = null;
    const cy = this.cy;
    const changes = { nodesAdded: [], nodesUpdated: [], nodesRemoved: [], edgesAdded: [],
                      edgesRemoved: [] };
    cy.edges().forEach((edge) => { if (!state.edgesById.has(edge.id())) changes.edgesRemoved.push(edge.id()); });
    cy.nodes().forEach((node) => { if (!state.nodes.has(node.id())) changes.nodesRemoved.push(node.id()); });
    for (const id of state.nodes.keys()) {
      (cy.getElementById(id).nonempty() ? changes.nodesUpdated : changes.nodesAdded).push(id);
    }
    for (const edge of state.edgesById.values()) {
      if (cy.getElementById(edge.id).empty()) changes.edgesAdded.push(edge);
    }
    clearTimeout(this.mergeTimer);
    this.mergeTimer = 0;
    this.unmerged = [];
    this.live.elements().remove();
    this.big = state.nodes.size > BigGraph;
    if (!this.big) this.edgesShown = true;
    cy.batch(() => this.applyToGraph(changes, false));
    this.updateLabelStyle();
    this.updateLinkDetail(true);
    if (!this.big) this.placeLabelsSoon();
  }

  // --- The live layer (big graphs) --------------------------------------------------------------

  showLive(changes) {
    const live = this.live;
    const now = Date.now();
    for (const id of changes.nodesRemoved) {
      const below = this.cy.getElementById(id);
      let node = live.getElementById(id);
      if (node.empty() && below.empty()) continue;
      if (node.empty()) {
        node = live.add({ group: 'nodes', data: below.data(), position: { ...below.position() } });
      }
      node.stop(true);
      node.data({ merged: false, until: now + FadeMs });
      node.removeClass('created flash mask ghost').addClass('fading');
      node.animate({ style: { opacity: 0 } }, { duration: FadeMs, complete: () => {
        // Covers the entry below until the deletion merges into the graph.
        node.removeStyle('opacity');
        node.removeClass('fading').addClass('mask');
        this.sweepLive();
      } });
    }
    for (const [ids, created] of [[changes.nodesAdded, true], [changes.nodesUpdated, false]]) {
      for (const id of ids) {
        const node = this.state.nodes.get(id);
        if (!node) continue;
        const below = this.cy.getElementById(id);
        let element = live.getElementById(id);
        if (element.empty()) {
          const position = below.nonempty() ? below.position() : (this.positions.get(id) || this.freeSpot(id));
          this.positions.set(id, { ...position });
          element = live.add({ group: 'nodes', data: this.nodeData(node), position: { ...position } });
        } else {
          element.stop(true);
          element.removeStyle('opacity');
          element.data(this.nodeData(node));
        }
        const isNew = created && below.empty();
        element.removeClass('created flash fading mask ghost').addClass(isNew ? 'created' : 'flash');
        const until = now + (isNew ? CreatedMs : FlashMs);
        element.data({ merged: false, until });
        setTimeout(() => { element.removeClass('created flash'); this.sweepLive(); }, until - now);
      }
    }
    for (const edge of changes.edgesAdded) {
      for (const end of [edge.source, edge.target]) {
        if (live.getElementById(end).nonempty()) continue;
        const original = this.cy.getElementById(end);
        if (original.empty()) continue;
        const ghost = live.add({ group: 'nodes', data: original.data(), position: { ...original.position() } });
        ghost.addClass('ghost');
        ghost.data({ merged: true, until: 0 });
      }
      if (live.getElementById(edge.source).empty() || live.getElementById(edge.target).empty()) continue;
      let element = live.getElementById(edge.id);
      if (element.empty()) element = live.add({ group: 'edges', data: this.edgeData(edge) });
      element.addClass('recent');
      element.data({ merged: false, until: now + RecentLinkMs });
      for (const end of [edge.source, edge.target]) {
        const node = live.getElementById(end);
        if ((node.data('until') || 0) < now + RecentLinkMs) node.data('until', now + RecentLinkMs);
      }
      setTimeout(() => this.sweepLive(), RecentLinkMs + 10);
    }
  }

  merge() {
    this.mergeTimer = 0;
    this.spots = null;
    const all = this.unmerged;
    this.unmerged = [];
    // The state is newer than each change: the graph below takes the entries as they are now.
    this.cy.batch(() => all.forEach((changes) => this.applyToGraph(changes, false)));
    this.big = this.state.nodes.size > BigGraph;
    this.live.elements().data('merged', true);
    this.sweepLive();
  }

  sweepLive() {
    const now = Date.now();
    this.live.batch(() => {
      this.live.elements().filter((element) => element.data('merged') &&
                                               now >= element.data('until') &&
                                               !element.hasClass('fading')).remove();
    });
  }

  // --- Level of detail --------------------------------------------------------------------------

  viewportSettled() {
    this.updateLinkDetail();
    const labelsShown = this.big && this.cy.zoom() >= BigLabelZoom;
    if (this.big && labelsShown !== this.bigLabelsShown) {
      this.bigLabelsShown = labelsShown;
      this.updateLabelStyle();
    }
    if (!this.big) this.placeLabels();
    if (this.hovered || this.selected) this.updateFocusLabels();
  }

  // A software-rendered canvas spends ~8 us per link per frame: a big graph draws its links when
  // zoomed in far enough to tell them apart, and always those of entries that just changed.
  updateLinkDetail(force = false) {
    const overview = this.big && this.cy.zoom() < LinkDetailZoom;
    if (overview === this.overview && !force) return;
    this.overview = overview;
    if (!overview) this.showAllEdges();
    if (overview) this.cy.edges().addClass('overview');
    else this.cy.edges().removeClass('overview');
  }

  // A big graph's links go into Cytoscape the first time they are to be seen.
  showAllEdges() {
    if (this.edgesShown) return;
    this.edgesShown = true;
    const edges = [...this.state.edgesById.values()]
      .filter((edge) => this.cy.getElementById(edge.id).empty())
      .map((edge) => ({ group: 'edges', data: this.edgeData(edge), classes: this.overview ? 'overview' : '' }));
    this.cy.add(edges);
  }

  updateLabelStyle() {
    this.bigLabelsShown = this.big && this.cy.zoom() >= BigLabelZoom;
    this.restyle(['graph', 'live']);
  }

  placeLabelsSoon() {
    if (this.labelTimer) return;
    this.labelTimer = setTimeout(() => { this.labelTimer = 0; this.placeLabels(); }, 150);
  }

  // Labels that fit without covering one another, the most linked entries first: zooming in
  // makes room for more. Labels keep their size on screen (LabelPx) at any zoom.
  placeLabels() {
    const cy = this.cy;
    const zoom = cy.zoom();
    const width = cy.width();
    const height = cy.height();
    this.measure.font = `${LabelPx}px system-ui, sans-serif`;
    const nodes = cy.nodes().not('.fading').sort((a, b) => b.data('degree') - a.data('degree') ||
                                                           (a.id() < b.id() ? -1 : 1));
    const taken = []; // rendered boxes
    const cells = new Map(); // a 64-px grid over the screen -> boxes in that cell
    const cellKeys = (box) => {
      const keys = [];
      for (let x = Math.floor(box.x1 / 64); x <= Math.floor(box.x2 / 64); ++x)
        for (let y = Math.floor(box.y1 / 64); y <= Math.floor(box.y2 / 64); ++y) keys.push(`${x},${y}`);
      return keys;
    };
    const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    // Entries are obstacles too: a label does not cover another entry.
    nodes.forEach((node) => {
      const p = node.renderedPosition();
      const r = (node.data('size') * zoom) / 2;
      const box = { x1: p.x - r, y1: p.y - r, x2: p.x + r, y2: p.y + r };
      for (const key of cellKeys(box)) {
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push({ ...box, node: node.id() });
      }
    });
    const show = [];
    nodes.forEach((node) => {
      const p = node.renderedPosition();
      if (p.x < -50 || p.y < -50 || p.x > width + 50 || p.y > height + 50) return;
      const text = node.data('label');
      const w = this.measure.measureText(text).width + 4;
      const top = p.y + (node.data('size') * zoom) / 2 + 2;
      const box = { x1: p.x - w / 2, y1: top, x2: p.x + w / 2, y2: top + LabelPx * 1.35 };
      const keys = cellKeys(box);
      for (const key of keys) {
        for (const other of cells.get(key) || []) {
          if (other.node !== node.id() && overlaps(box, other)) return;
        }
      }
      for (const key of keys) {
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push({ ...box, node: node.id() });
      }
      taken.push(box);
      show.push(node);
    });
    cy.batch(() => {
      cy.nodes().removeClass('labelled');
      show.forEach((node) => node.addClass('labelled'));
      this.restyle(['graph', 'live']);
    });
    this.labelled = show.length;
  }

  // --- Focus: hover, selection, search ------------------------------------------------------------

  setHover(id) {
    this.hovered = id;
    this.showFocus();
    this.dispatchEvent(new CustomEvent('hover', { detail: id }));
  }

  select(id) {
    this.selected = id && this.cy.getElementById(id).nonempty() ? id : null;
    this.showFocus();
    this.dispatchEvent(new CustomEvent('select', { detail: this.selected }));
  }

  // Brings an entry to the middle of the view (at a zoom where it can be read) and selects it.
  reveal(id) {
    const node = this.cy.getElementById(id);
    if (node.empty()) return false;
    const zoom = Math.max(this.cy.zoom(), 1.2);
    const p = node.position();
    // The entry's middle, not that of its box with the label (cy.center would take that).
    this.cy.viewport({ zoom, pan: { x: this.cy.width() / 2 - p.x * zoom, y: this.cy.height() / 2 - p.y * zoom } });
    this.select(id);
    return true;
  }

  clearFocus() {
    this.hovered = null;
    this.focus.elements().remove();
    this.setDimmed(false);
  }

  // The hovered entry (else the selected one) with its neighbours on the focus layer; the graph
  // dims below it.
  showFocus() {
    const id = this.hovered || this.selected;
    const focus = this.focus;
    focus.elements().remove();
    const node = id ? this.cy.getElementById(id) : null;
    if (!node || node.empty()) {
      this.setDimmed(false);
      return;
    }
    // The neighbourhood from the model: a big graph's links may not be in Cytoscape yet.
    const edges = this.state.edgesOut(id).concat(this.state.edgesIn(id));
    const ids = new Set([id]);
    for (const edge of edges) ids.add(edge.source).add(edge.target);
    focus.batch(() => {
      for (const other of ids) {
        const element = this.cy.getElementById(other);
        if (element.nonempty()) {
          focus.add({ group: 'nodes', data: element.data(), position: { ...element.position() },
                      classes: other === id ? 'labelled center' : 'labelled' });
        }
      }
      for (const edge of edges) {
        if (focus.getElementById(edge.source).nonempty() && focus.getElementById(edge.target).nonempty())
          focus.add({ group: 'edges', data: this.edgeData(edge), classes: 'near' });
      }
    });
    this.updateFocusLabels();
    this.setDimmed(true);
  }

  // The focus layer is hidden while there is no focus: one canvas less to composite per frame,
  // which a software-rendered page pays for on every frame.
  setDimmed(dimmed) {
    this.containers.graph.classList.toggle('dimmed', dimmed);
    this.containers.live.classList.toggle('dimmed', dimmed);
    if (this.containers.focus.hidden === !dimmed) return;
    this.containers.focus.hidden = !dimmed;
    if (dimmed) {
      this.focus.resize();
      this.focus.viewport({ zoom: this.cy.zoom(), pan: this.cy.pan() });
    }
  }

  updateFocusLabels() {
    this.restyle(['focus']);
  }

  focusIds() {
    return this.focus.nodes().map((node) => node.id());
  }

  showRelation(event) {
    const edge = event.target;
    const tooltip = this.containers.tooltip;
    const source = this.state.nodes.get(edge.data('source'));
    const target = this.state.nodes.get(edge.data('target'));
    tooltip.textContent = `${source ? source.title : edge.data('source')} → ` +
                          `${edge.data('relation')} → ${target ? target.title : edge.data('target')}`;
    const p = event.renderedPosition || edge.renderedMidpoint();
    tooltip.style.left = `${p.x + 12}px`;
    tooltip.style.top = `${p.y + 8}px`;
    tooltip.hidden = false;
  }

  // --- Views for tests and benchmarks -------------------------------------------------------------

  // Rendered label boxes of the entries whose labels show (small graphs), as Cytoscape draws them.
  labelBoxes() {
    const zoom = this.cy.zoom();
    const pan = this.cy.pan();
    return this.cy.nodes('.labelled').map((node) => {
      const box = node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      return { id: node.id(), x1: box.x1 * zoom + pan.x, y1: box.y1 * zoom + pan.y,
               x2: box.x2 * zoom + pan.x, y2: box.y2 * zoom + pan.y };
    });
  }

  // Model distance from id to the nearest other entry, and to the nearest entry it links with.
  distances(id) {
    const node = this.cy.getElementById(id).nonempty() ? this.cy.getElementById(id)
                                                       : this.live.getElementById(id);
    if (node.empty()) return null;
    const p = node.position();
    const distance = (q) => Math.hypot(q.x - p.x, q.y - p.y);
    let nearest = Infinity;
    this.cy.nodes().forEach((other) => { if (other.id() !== id && !other.hasClass('fading')) nearest = Math.min(nearest, distance(other.position())); });
    let linked = Infinity;
    for (const other of this.state.neighbours(id)) {
      const position = this.positions.get(other);
      if (position) linked = Math.min(linked, distance(position));
    }
    return { nearest, linked };
  }
}
