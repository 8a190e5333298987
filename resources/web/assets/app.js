// The live graph page: draws /api/graph with Cytoscape.js and keeps it current from the event
// stream (docs/http.md). Resumes from the last sequence it saw after a dropped connection.
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var token = params.get('token') || '';
  var ForceLayoutLimit = 1000; // above this, cose-bilkent runs only when asked (it is O(n^2))
  var FeedLength = 200;
  var LinkDetailZoom = 1.5; // big graphs draw all links from this zoom on
  var MergeIntervalMs = 5000; // how often a big graph takes in the changes its live layer shows
  var CreatedMs = 1500;
  var FlashMs = 900;
  var FadeMs = 700;
  var RecentLinkMs = 3000;
  var palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
                 '#ff9da7', '#9c755f', '#bab0ac'];
  var typeColors = {};

  var state = {
    cy: null,
    socket: null,
    subscription: '',
    subscriptionCount: 0,
    lastSequence: 0,
    epoch: '',
    retryMs: 500,
    retryTimer: 0,
    status: 'connecting',
    firstRenderMs: null,
    eventsApplied: 0,
    latencies: [],
    arrivals: [], // event time to the page receiving it: the server's and the network's part
    reloadTimer: 0,
    pending: [],
    overview: false,
    live: null,
    unmerged: [],
    mergeTimer: 0,
    countsTimer: 0,
    big: false,
    filters: { types: [], kb: '', entry_type: '' }
  };

  // For tests and benchmarks (tests/browser, bench/graph): read-only views and two actions.
  window.pyriteGraph = {
    get ready() { return state.firstRenderMs !== null; },
    get status() { return state.status; },
    get lastSequence() { return state.lastSequence; },
    get firstRenderMs() { return state.firstRenderMs; },
    get eventsApplied() { return state.eventsApplied; },
    get latencies() { return state.latencies.slice(); },
    get arrivals() { return state.arrivals.slice(); },
    // Big graphs: elements on the live layer, and changes not merged into the graph below yet.
    get liveElements() { return state.live ? state.live.elements().length : 0; },
    get unmerged() { return state.unmerged.length; },
    // What the page shows: the graph with the live layer's changes on top.
    nodeCount: function () {
      if (!state.cy) return 0;
      var count = state.cy.nodes().not('.fading').length;
      state.live.nodes().forEach(function (node) {
        var below = state.cy.getElementById(node.id()).nonempty();
        if (node.hasClass('fading') || node.hasClass('mask')) count -= below ? 1 : 0;
        else if (!below) count += 1;
      });
      return count;
    },
    hasNode: function (id) {
      if (!state.cy) return false;
      var live = state.live.getElementById(id);
      if (live.nonempty()) return !live.hasClass('fading') && !live.hasClass('mask');
      var node = state.cy.getElementById(id);
      return node.nonempty() && !node.hasClass('fading');
    },
    titleOf: function (id) {
      if (!state.cy) return null;
      var node = state.live.getElementById(id);
      if (node.empty()) node = state.cy.getElementById(id);
      return node.nonempty() ? node.data('title') : null;
    },
    // Closes the stream as a network drop would; the page reconnects after retryMs.
    dropConnection: function (retryMs) {
      if (!state.socket) return;
      state.retryMs = retryMs || 500;
      state.socket.close(4100, 'dropped by test');
    }
  };

  function colorOf(type) {
    if (!typeColors[type]) {
      // In order of first sight (the graph's types sorted): distinct while the palette lasts.
      typeColors[type] = palette[Object.keys(typeColors).length % palette.length];
      renderLegend();
    }
    return typeColors[type];
  }

  function renderLegend() {
    var legend = document.getElementById('legend');
    legend.textContent = '';
    Object.keys(typeColors).sort().forEach(function (type) {
      var item = document.createElement('span');
      var dot = document.createElement('i');
      dot.style.background = typeColors[type];
      item.appendChild(dot);
      item.appendChild(document.createTextNode(type));
      legend.appendChild(item);
    });
  }

  function setStatus(status, text) {
    state.status = status;
    var badge = document.getElementById('status');
    badge.className = 'status ' + status;
    badge.textContent = text;
  }

  // Counting walks every element: at most twice a second, not once per frame.
  function updateCounts() {
    if (state.countsTimer) return;
    state.countsTimer = setTimeout(function () {
      state.countsTimer = 0;
      document.getElementById('counts').textContent =
        window.pyriteGraph.nodeCount() + ' entries, ' + state.cy.edges().length +
        ' links, sequence ' + state.lastSequence;
    }, 500);
  }

  function api(path) {
    var headers = token ? { Authorization: 'Bearer ' + token } : {};
    return fetch(path, { headers: headers }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || ('HTTP ' + response.status));
        return body;
      });
    });
  }

  function nodeData(kb, entryId, title, type) {
    return { id: kb + '/' + entryId, kb: kb, entry_id: entryId, title: title || entryId,
             type: type || 'note', color: colorOf(type || 'note') };
  }

  // A link target names an entry of the same KB, or "kb/id" of another one.
  function targetKey(kb, target) {
    var local = kb + '/' + target;
    var exists = function (id) {
      return state.cy.getElementById(id).nonempty() ||
             (!!state.live && state.live.getElementById(id).nonempty());
    };
    if (exists(local)) return local;
    return exists(target) ? target : null;
  }

  // A software-rendered canvas spends ~8 us per link per frame: 10,000 links make every frame of
  // a 5,000-entry graph 130 ms, and every change waits for one. So a big graph draws its links
  // when zoomed in far enough to tell them apart, and always those of entries that just changed.
  function updateLinkDetail() {
    var cy = state.cy;
    var overview = cy.nodes().length > ForceLayoutLimit && cy.zoom() < LinkDetailZoom;
    if (overview === state.overview) return;
    state.overview = overview;
    if (overview) cy.edges().addClass('overview');
    else cy.edges().removeClass('overview');
  }

  function runLayout(force) {
    var cy = state.cy;
    var big = cy.nodes().length > ForceLayoutLimit;
    // Thousands of labels cost more to draw than everything else in a frame: a big graph shows
    // them only when zoomed in.
    [cy, state.live].forEach(function (instance) {
      instance.style().selector('node').style('min-zoomed-font-size', big ? 16 : 7).update();
    });
    if (big && !force) {
      // A grid in breadth-first order over the links: linked entries land near each other, so
      // links stay short (and cheap to draw) without a force layout's O(n^2) cost.
      var order = {};
      var next = 0;
      cy.nodes().forEach(function (root) {
        if (order[root.id()] !== undefined) return;
        cy.elements().bfs({ roots: root, directed: false, visit: function (node) {
          if (order[node.id()] === undefined) order[node.id()] = next++;
        } });
      });
      cy.layout({ name: 'grid', avoidOverlap: false, sort: function (a, b) {
        return order[a.id()] - order[b.id()];
      } }).run();
    } else {
      cy.layout({ name: 'cose-bilkent', animate: false, randomize: true, nodeRepulsion: 4500,
                  idealEdgeLength: 70, numIter: big ? 600 : 2500, tile: true }).run();
    }
  }

  function loadGraph() {
    var query = new URLSearchParams();
    if (state.filters.kb) query.set('kb', state.filters.kb);
    if (state.filters.entry_type) query.set('entry_type', state.filters.entry_type);
    return api('/api/graph?' + query.toString()).then(function (graph) {
      if (graph.loading) {
        // The plugin is still reading the KB folders.
        return new Promise(function (resolve) { setTimeout(resolve, 300); }).then(loadGraph);
      }
      graph.nodes.map(function (node) { return node.type; }).sort().forEach(colorOf);
      var elements = graph.nodes.map(function (node) {
        return { group: 'nodes', data: nodeData(node.kb, node.entry_id, node.title, node.type) };
      }).concat(graph.edges.map(function (edge) {
        return { group: 'edges', data: { id: edge.source + '->' + edge.target, source: edge.source,
                                         target: edge.target, relation: edge.relation } };
      }));
      var cy = state.cy;
      clearTimeout(state.mergeTimer);
      state.mergeTimer = 0;
      state.unmerged = [];
      state.live.elements().remove();
      cy.batch(function () {
        cy.elements().remove();
        cy.add(elements);
      });
      state.overview = false;
      countGraph();
      runLayout(false);
      updateLinkDetail();
      fillFilterChoices(graph.nodes);
      state.lastSequence = graph.sequence;
      if (state.firstRenderMs === null) {
        cy.one('render', function () {
          state.firstRenderMs = Math.round(performance.now());
          console.log('first render of ' + graph.nodes.length + ' nodes after ' +
                      state.firstRenderMs + ' ms');
        });
      }
      updateCounts();
      return graph;
    });
  }

  function fillFilterChoices(nodes) {
    var form = document.getElementById('filters');
    [['kb', 'kb'], ['entry_type', 'type']].forEach(function (pair) {
      var select = form.elements[pair[0]];
      var known = {};
      for (var i = 0; i < select.options.length; ++i) known[select.options[i].value] = true;
      nodes.forEach(function (node) {
        var value = node[pair[1]];
        if (!known[value]) {
          known[value] = true;
          select.add(new Option(value, value));
        }
      });
    });
  }

  function readFilters() {
    var form = document.getElementById('filters');
    var types = [];
    form.querySelectorAll('input[name=types]:checked').forEach(function (box) {
      types.push(box.value);
    });
    state.filters = { types: types, kb: form.elements.kb.value,
                      entry_type: form.elements.entry_type.value };
  }

  function subscribe() {
    var socket = state.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (state.subscription) socket.send(JSON.stringify({ op: 'unsubscribe', id: state.subscription }));
    state.subscription = '';
    if (!state.filters.types.length) {
      setStatus('live', 'live (no event types chosen)');
      return;
    }
    state.subscription = 'graph-' + (++state.subscriptionCount);
    var filter = {};
    if (state.filters.kb) filter.kb = state.filters.kb;
    if (state.filters.entry_type) filter.entry_type = state.filters.entry_type;
    var message = { op: 'subscribe', id: state.subscription,
                    types: state.filters.types,
                    filter: filter, since: state.lastSequence };
    if (state.epoch) message.epoch = state.epoch;
    socket.send(JSON.stringify(message));
  }

  function connect() {
    clearTimeout(state.retryTimer);
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/stream' +
              (token ? '?token=' + encodeURIComponent(token) : '');
    var socket = new WebSocket(url);
    state.socket = socket;
    state.subscription = '';
    socket.onopen = subscribe;
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (e) { return; }
      if (frame.op === 'event' && frame.sub === state.subscription) {
        receive(frame.event);
      } else if (frame.op === 'subscribed' && frame.id === state.subscription) {
        state.retryMs = 500;
        if (frame.epoch) state.epoch = frame.epoch;
        if (frame.recovered === false && state.lastSequence > 0) {
          // Our position is gone (pruned, or another log): start again from a fresh graph.
          addFeed('resync', 'missed events could not be replayed; the graph was reloaded', 0, true);
          state.lastSequence = 0;
          state.epoch = frame.epoch || '';
          loadGraph().then(subscribe);
          return;
        }
        setStatus('live', 'live');
      } else if (frame.op === 'error') {
        addFeed('error', frame.message, 0, true);
      }
    };
    socket.onclose = function (event) {
      if (state.socket !== socket) return;
      state.socket = null;
      if (event.code === 4001) {
        setStatus('failed', 'refused: ' + (event.reason || 'a token is required'));
        state.retryMs = 30000;
      } else {
        setStatus('reconnecting', 'reconnecting in ' + Math.round(state.retryMs / 100) / 10 + ' s');
      }
      state.retryTimer = setTimeout(connect, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 10000);
    };
  }

  function receive(event) {
    if (typeof event.sequence === 'number') {
      if (event.sequence <= state.lastSequence) return; // seen already (a replay overlaps)
      state.lastSequence = event.sequence;
    }
    // Applied once per frame, all together: one style pass and one redraw for however many events
    // arrived, which is what keeps a 5,000-node graph current at 100 events/s.
    var sent = Date.parse(event.time);
    if (!isNaN(sent) && state.arrivals.length < 100000) state.arrivals.push(Date.now() - sent);
    state.pending.push(event);
    if (state.pending.length === 1) requestAnimationFrame(applyPending);
  }

  function applyPending() {
    var events = state.pending;
    state.pending = [];
    if (isBig()) {
      // The big graph is redrawn only when changes merge into it (every MergeIntervalMs); until
      // then the small live layer on top shows them, and its frames stay cheap.
      state.live.batch(function () { events.forEach(showLive); });
      state.unmerged = state.unmerged.concat(events);
      if (!state.mergeTimer) state.mergeTimer = setTimeout(merge, MergeIntervalMs);
    } else {
      state.cy.batch(function () { events.forEach(function (event) { apply(event, true); }); });
    }
    var feed = document.createDocumentFragment();
    events.forEach(function (event) {
      addFeed(event.type, describe(event), event.sequence, false, feed);
    });
    var list = document.getElementById('feed');
    list.insertBefore(feed, list.firstChild);
    while (list.childNodes.length > FeedLength) list.removeChild(list.lastChild);
    state.eventsApplied += events.length;
    updateCounts();
    // The frame after this one shows them.
    requestAnimationFrame(function () {
      var now = Date.now();
      events.forEach(function (event) {
        var sent = Date.parse(event.time);
        if (!isNaN(sent) && state.latencies.length < 100000) state.latencies.push(now - sent);
      });
    });
  }

  function describe(event) {
    var data = event.data || {};
    if (data.entry_id) return (data.kb ? data.kb + '/' : '') + data.entry_id +
                              (data.title ? ' — ' + data.title : '');
    return event.subject || '';
  }

  function apply(event, highlight) {
    var cy = state.cy;
    var data = event.data || {};
    if (event.type === 'kb.indexed') {
      clearTimeout(state.reloadTimer);
      state.reloadTimer = setTimeout(loadGraph, 500);
      return;
    }
    if (event.type.indexOf('entry.') !== 0 || !data.entry_id || !data.kb) return;
    var id = data.kb + '/' + data.entry_id;
    var node = cy.getElementById(id);
    if (event.type === 'entry.deleted') {
      if (node.nonempty() && !highlight) {
        node.remove();
      } else if (node.nonempty() && !node.hasClass('fading')) {
        node.addClass('fading');
        node.animate({ style: { opacity: 0 } }, { duration: FadeMs, complete: function () { node.remove(); } });
      }
      return;
    }
    (function () {
      if (node.empty() || node.hasClass('fading')) {
        if (node.nonempty()) node.remove();
        node = cy.add({ group: 'nodes', data: nodeData(data.kb, data.entry_id, data.title, data.entry_type),
                        position: placeNear(data) });
        if (highlight) {
          node.addClass('created');
          setTimeout(function () { node.removeClass('created'); }, CreatedMs);
        }
      } else {
        if (data.title) node.data('title', data.title);
        if (data.entry_type) node.data({ type: data.entry_type, color: colorOf(data.entry_type) });
        if (highlight) {
          node.addClass('flash');
          setTimeout(function () { node.removeClass('flash'); }, FlashMs);
        }
      }
      if (Array.isArray(data.links)) {
        node.connectedEdges('[source = "' + id + '"]').remove();
        data.links.forEach(function (link) {
          var target = targetKey(data.kb, link.target);
          if (target && target !== id) {
            var edge = cy.add({ group: 'edges', data: { id: id + '->' + target, source: id,
                                                        target: target,
                                                        relation: link.relation || 'related' } });
            if (state.overview) edge.addClass('overview');
            if (highlight) {
              edge.addClass('recent');
              setTimeout(function () { edge.removeClass('recent'); }, RecentLinkMs);
            }
          }
        });
      }
    })();
  }

  // Counted when the graph loads and at each merge: cy.nodes() walks every element.
  function isBig() { return state.big; }

  function countGraph() { state.big = state.cy.nodes().length > ForceLayoutLimit; }

  // The live layer: a second, transparent Cytoscape on top of the big graph, sharing its viewport.
  // It holds only what changed lately (and copies of the entries those link to); each element
  // leaves once its highlight is over and its change has merged into the graph below.
  function showLive(event) {
    var data = event.data || {};
    if (event.type === 'kb.indexed') return apply(event, false);
    if (event.type.indexOf('entry.') !== 0 || !data.entry_id || !data.kb) return;
    var live = state.live;
    var now = Date.now();
    var id = data.kb + '/' + data.entry_id;
    var below = state.cy.getElementById(id);
    var node = live.getElementById(id);
    var fields = nodeData(data.kb, data.entry_id,
                          data.title || (below.nonempty() ? below.data('title') : ''),
                          data.entry_type || (below.nonempty() ? below.data('type') : ''));
    if (node.empty()) {
      var position = below.nonempty() ? below.position() : placeNear(data);
      node = live.add({ group: 'nodes', data: fields, position: { x: position.x, y: position.y } });
    } else {
      node.data(fields);
      node.stop(true);
      node.removeStyle('opacity');
    }
    node.data('merged', false);
    node.removeClass('created flash fading mask ghost');
    if (event.type === 'entry.deleted') {
      node.addClass('fading');
      node.data('until', now + FadeMs);
      node.animate({ style: { opacity: 0 } }, { duration: FadeMs, complete: function () {
        // Covers the entry below until the deletion merges into the graph.
        node.removeStyle('opacity');
        node.removeClass('fading').addClass('mask');
        sweepLive();
      } });
      return;
    }
    var created = below.empty();
    node.addClass(created ? 'created' : 'flash');
    var until = now + (created ? CreatedMs : FlashMs);
    node.data('until', until);
    setTimeout(function () { node.removeClass('created flash'); sweepLive(); }, until - now);
    if (!Array.isArray(data.links)) return;
    data.links.forEach(function (link) {
      var target = targetKey(data.kb, link.target);
      if (!target || target === id) return;
      var end = live.getElementById(target);
      if (end.empty()) {
        var original = state.cy.getElementById(target);
        var p = original.position();
        end = live.add({ group: 'nodes', data: original.data(), position: { x: p.x, y: p.y } });
        end.addClass('ghost');
        end.data({ merged: true, until: 0 });
      }
      var edgeId = id + '->' + target;
      var edge = live.getElementById(edgeId);
      if (edge.empty()) {
        edge = live.add({ group: 'edges', data: { id: edgeId, source: id, target: target } });
      }
      edge.addClass('recent');
      edge.data({ merged: false, until: now + RecentLinkMs });
      if (end.data('until') < now + RecentLinkMs) end.data('until', now + RecentLinkMs);
      setTimeout(sweepLive, RecentLinkMs + 10);
    });
  }

  function merge() {
    state.mergeTimer = 0;
    var events = state.unmerged;
    state.unmerged = [];
    state.cy.batch(function () { events.forEach(function (event) { apply(event, false); }); });
    countGraph();
    state.live.elements().data('merged', true);
    sweepLive();
  }

  function sweepLive() {
    var now = Date.now();
    state.live.batch(function () {
      state.live.elements().filter(function (element) {
        return element.data('merged') && now >= element.data('until') &&
               !element.hasClass('fading');
      }).remove();
    });
  }

  // A new entry appears next to an entry it links to, else in the middle of the view.
  function placeNear(data) {
    var cy = state.cy;
    var links = Array.isArray(data.links) ? data.links : [];
    for (var i = 0; i < links.length; ++i) {
      var target = targetKey(data.kb, links[i].target);
      if (target) {
        var found = cy.getElementById(target);
        if (found.empty()) found = state.live.getElementById(target);
        var p = found.position();
        return { x: p.x + 40 + Math.random() * 30, y: p.y + 40 + Math.random() * 30 };
      }
    }
    var extent = cy.extent();
    return { x: (extent.x1 + extent.x2) / 2 + Math.random() * 60 - 30,
             y: (extent.y1 + extent.y2) / 2 + Math.random() * 60 - 30 };
  }

  function addFeed(type, text, sequence, problem, into) {
    var feed = into || document.getElementById('feed');
    var item = document.createElement('li');
    if (problem) item.className = 'gap';
    var label = document.createElement('span');
    label.className = 'type';
    label.textContent = type;
    item.appendChild(label);
    if (sequence) {
      var seq = document.createElement('span');
      seq.className = 'seq';
      seq.textContent = '#' + sequence;
      item.appendChild(seq);
    }
    item.appendChild(document.createTextNode(' ' + text));
    feed.insertBefore(item, feed.firstChild);
    if (!into) while (feed.childNodes.length > FeedLength) feed.removeChild(feed.lastChild);
  }

  function start() {
    // The webhooks page, behind the same token.
    document.getElementById('webhooks-link').href = 'webhooks' + location.search;
    cytoscape.use(cytoscapeCoseBilkent);
    var graphStyle = [
      { selector: 'node', style: { 'background-color': 'data(color)', label: 'data(title)',
                                    'font-size': 9, 'min-zoomed-font-size': 7, width: 14, height: 14,
                                    'text-valign': 'bottom', 'text-margin-y': 2 } },
      { selector: 'edge', style: { width: 1, 'line-color': '#c5cad3', 'curve-style': 'haystack' } },
      { selector: 'node.created', style: { 'border-width': 4, 'border-color': '#2e8b57' } },
      { selector: 'node.flash', style: { 'border-width': 4, 'border-color': '#f2c12e' } },
      { selector: 'node.fading', style: { 'border-width': 2, 'border-color': '#b22222' } },
      // Level of detail for big graphs: links drawn when zoomed in, and those of entries that
      // just changed (see updateLinkDetail).
      { selector: 'edge.overview', style: { display: 'none' } },
      { selector: 'edge.recent', style: { display: 'element', 'line-color': '#7a8294', width: 2 } }
    ];
    state.cy = cytoscape({
      container: document.getElementById('graph'),
      minZoom: 0.05,
      maxZoom: 4,
      hideEdgesOnViewport: true,
      style: graphStyle
    });
    state.live = cytoscape({
      container: document.getElementById('live'),
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      autounselectify: true,
      style: graphStyle.concat([
        { selector: 'node.mask', style: { 'background-color': '#fafbfc', label: '',
                                          'border-width': 0, width: 16, height: 16 } }
      ])
    });
    state.cy.on('viewport resize', function () {
      state.live.resize();
      state.live.viewport({ zoom: state.cy.zoom(), pan: state.cy.pan() });
    });
    var form = document.getElementById('filters');
    readFilters();
    form.addEventListener('change', function () {
      readFilters();
      loadGraph().then(subscribe).catch(showError);
    });
    document.getElementById('relayout').addEventListener('click', function () { runLayout(true); });
    var zoomTimer = 0;
    state.cy.on('zoom', function () {
      clearTimeout(zoomTimer);
      zoomTimer = setTimeout(updateLinkDetail, 150);
    });
    firstLoad();
  }

  function firstLoad() {
    loadGraph().then(connect).catch(function (error) {
      showError(error);
      setTimeout(firstLoad, 3000);
    });
  }

  function showError(error) {
    setStatus('failed', error.message);
    addFeed('error', error.message, 0, true);
  }

  start();
})();
